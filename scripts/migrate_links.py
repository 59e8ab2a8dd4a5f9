"""ONE-OFF: convert case files to explicit link claims (issue 11), applying the link audit.

Run once, then deleted: ``python scripts/migrate_links.py AUDIT.yaml``. Every item that names both actions
and outcomes gets ``links:``; shipped items get the audit's claims, fixture items (FICTIONAL) one
``stated`` claim per pair, which is what the old format meant.
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
FIELD_INDENT = "    "


def folded(key: str, text: str, indent: str) -> list[str]:
    """``key: >-`` and the text wrapped under it; a short text stays on one line (quoted)."""
    one = f"{indent}{key}: {text}"
    if (
        len(one) <= 110
        and ": " not in text
        and not text.startswith(("'", '"', "[", "{", "&", "*", "!", "|", ">", "%", "@", "`", "-"))
        and " #" not in text
    ):
        return [one]
    body = textwrap.wrap(text, width=110 - len(indent) - 2)
    return [f"{indent}{key}: >-"] + [f"{indent}  {line}" for line in body]


class CaseFile:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.lines = path.read_text(encoding="utf-8").splitlines()

    def save(self) -> None:
        self.path.write_text("\n".join(self.lines) + "\n", encoding="utf-8")

    def section(self, name: str) -> tuple[int, int]:
        start = self.lines.index(f"{name}:")
        end = start + 1
        while end < len(self.lines) and (not self.lines[end] or self.lines[end][0] in " #"):
            end += 1
        return start, end

    def block(self, section: str, record_id: str) -> tuple[int, int]:
        start, end = self.section(section)
        first = self.lines.index(f"  - id: {record_id}", start, end)
        last = first + 1
        while last < end and not self.lines[last].startswith("  - "):
            last += 1
        return first, last

    def field(self, first: int, last: int, key: str) -> tuple[int, int] | None:
        for index in range(first, last):
            line = self.lines[index]
            if line.startswith(f"{FIELD_INDENT}{key}:") or line == f"  - {key}:" or line.startswith(f"  - {key}:"):
                end = index + 1
                while end < last and self.lines[end].startswith(FIELD_INDENT + "  "):
                    end += 1
                return index, end
        return None

    def set(self, section: str, record_id: str, key: str, new: list[str] | None, after: str | None = None) -> None:
        first, last = self.block(section, record_id)
        found = self.field(first, last, key)
        if found is not None:
            self.lines[found[0] : found[1]] = new or []
            return
        if new is None:
            return
        at = last
        if after is not None:
            anchor = self.field(first, last, after)
            if anchor is not None:
                at = anchor[1]
        self.lines[at:at] = new

    def get(self, section: str, record_id: str, key: str) -> object:
        first, last = self.block(section, record_id)
        found = self.field(first, last, key)
        if found is None:
            return None
        text = "\n".join(self.lines[found[0] : found[1]]).strip()
        return yaml.safe_load(text.removeprefix("- "))[key]


def flow(values: list[str]) -> str:
    return values[0] if len(values) == 1 else "[" + ", ".join(values) + "]"


def link_lines(claims: list[dict[str, str]]) -> list[str]:
    if not claims:
        return [f"{FIELD_INDENT}links: []"]
    out = [f"{FIELD_INDENT}links:"]
    for claim in claims:
        out.append(f"{FIELD_INDENT}  - action: {claim['action']}")
        inner = FIELD_INDENT + "    "
        out.append(f"{inner}outcome: {claim['outcome']}")
        out.append(f"{inner}attribution: {claim['attribution']}")
        for key in ("reason", "note"):
            if claim.get(key):
                out += folded(key, claim[key], inner)
    return out


def case_files() -> dict[str, CaseFile]:
    return {path.stem: CaseFile(path) for path in sorted((REPO / "data" / "cases").glob("*.yaml"))}


def ods_of(item_id: str) -> str:
    return item_id.split("-")[0].upper()


def apply_audit(audit: dict) -> None:
    files = case_files()
    for item in audit["items"]:
        case = files[ods_of(item["id"])]
        item_id = item["id"]
        claims = [{k: c.get(k) for k in ("action", "outcome", "attribution", "reason", "note")} for c in item["links"]]
        if item.get("statement_fix"):
            case.set("evidence", item_id, "statement", folded("statement", item["statement_fix"], FIELD_INDENT))
        voice = item.get("voice_fix")
        if voice is not None:
            role = voice["role"]
            case.set(
                "evidence",
                item_id,
                "reported_by",
                [f"{FIELD_INDENT}reported_by: {role}"] if role else None,
                after="source",
            )
        if item.get("same_statement_as"):
            case.set(
                "evidence",
                item_id,
                "same_statement_as",
                [f"{FIELD_INDENT}same_statement_as: {item['same_statement_as']}"],
                after="source",
            )
        sources = case.get("evidence", item_id, "source")
        if isinstance(sources, list):
            # The item's statement comes from its first source; relaying documents follow it.
            ordered = sorted(sources, key=lambda s: not s.startswith("cqc-"))
            case.set("evidence", item_id, "source", [f"{FIELD_INDENT}source: {flow(ordered)}"])
        outcomes = case.get("evidence", item_id, "outcomes")
        drop = {"rtx-e5": "overall@rtx-2016", "rd7-e4": "rd7-recommend"}.get(item_id)
        if drop is not None and isinstance(outcomes, list):
            kept = [o for o in outcomes if o != drop]
            case.set("evidence", item_id, "outcomes", [f"{FIELD_INDENT}outcomes: {flow(kept)}"] if kept else None)
        case.set("evidence", item_id, "links", link_lines(claims), after="outcomes")
        new = item.get("new_item")
        if new is not None:
            _, last = case.block("evidence", item_id)
            lines = [f"  - id: {new['id']}", *folded("statement", new["statement"], FIELD_INDENT)]
            lines.append(f"{FIELD_INDENT}source: {new['source']}")
            for key in ("themes", "actions", "outcomes"):
                lines.append(f"{FIELD_INDENT}{key}: [{', '.join(new[key])}]")
            lines += link_lines(
                [{k: c.get(k) for k in ("action", "outcome", "attribution", "reason", "note")} for c in new["links"]]
            )
            case.lines[last:last] = lines
    for fix in audit["other_voice_fixes"]:
        case = files[ods_of(fix["id"])]
        role = fix["voice_fix"]["role"]
        case.set(
            "evidence",
            fix["id"],
            "reported_by",
            [f"{FIELD_INDENT}reported_by: {role}"] if role else None,
            after="source",
        )
    sources_file = CaseFile(REPO / "data" / "sources.yaml")
    for fix in audit["source_fixes"]:
        if not fix.get("copy_of"):
            continue
        target = sources_file if fix["file"] == "data/sources.yaml" else files[Path(fix["file"]).stem]
        section = "studies" if target is sources_file and fix["source"] in ("driving-improvement-2017",) else "sources"
        target.set(section, fix["source"], "copy_of", [f"{FIELD_INDENT}copy_of: {fix['copy_of']}"], after="kind")
    rd7 = files["RD7"]
    first, last = rd7.block("sources", "rd7-charity-news")
    del rd7.lines[first:last]
    rd7.set("actions", "rd7-frimley-values", "source", [f"{FIELD_INDENT}source: cqc-wexham-2016"])
    rd7.set(
        "actions",
        "rd7-frimley-values",
        "description",
        [f"{FIELD_INDENT}description: Values centred on patient care and experience, brought by the new leadership."],
    )
    rd7.set("outcomes", "rd7-recommend", "source", [f"{FIELD_INDENT}source: cqc-wexham-2016"])
    rd7.set(
        "outcomes",
        "rd7-engagement",
        "label",
        folded(
            "label",
            "Wexham Park bottom fifth for staff engagement before 2014; Frimley Health as a whole top fifth in 2015",
            FIELD_INDENT,
        ),
    )
    rd7.set(
        "outcomes",
        "rd7-engagement",
        "note",
        folded(
            "note",
            "The two figures describe different organisations (Wexham Park before, the whole Frimley Health group"
            " after), so this is not a measured change at Wexham Park.",
            FIELD_INDENT,
        ),
    )
    for case in [*files.values(), sources_file]:
        case.save()


def convert_fixture(path: Path) -> None:
    """FICTIONAL fixture files: every pair an old-style item named becomes one stated claim."""
    case = CaseFile(path)
    try:
        start, end = case.section("evidence")
    except ValueError:
        return
    ids = [line.removeprefix("  - id: ") for line in case.lines[start:end] if line.startswith("  - id: ")]
    for item_id in ids:
        actions, outcomes = case.get("evidence", item_id, "actions"), case.get("evidence", item_id, "outcomes")
        if not actions or not outcomes or case.get("evidence", item_id, "links") is not None:
            continue
        actions = [actions] if isinstance(actions, str) else actions
        outcomes = [outcomes] if isinstance(outcomes, str) else outcomes
        claims = [{"action": a, "outcome": o, "attribution": "stated"} for a in actions for o in outcomes]
        case.set("evidence", item_id, "links", link_lines(claims), after="outcomes")
    case.save()


if __name__ == "__main__":
    apply_audit(yaml.safe_load(Path(sys.argv[1]).read_text(encoding="utf-8")))
    for fixture in sorted((REPO / "tests" / "fixtures").glob("*/cases/*.yaml")):
        convert_fixture(fixture)
