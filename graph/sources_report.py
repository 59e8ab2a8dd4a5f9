"""The source list: every source document of an evidence base, with its URL and what was taken from it.

``data/SOURCES.md`` is generated from the data by this module, never edited by hand:

    python -m trustkg.sources_report --data data --out data/SOURCES.md
    python -m trustkg.sources_report --data data --out data/SOURCES.md --check   # exit 1 if out of date

Titles and notes come from the input, so they are escaped as Markdown text: a title can never become a
link, heading or HTML.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from trustkg.errors import TrustKGError
from trustkg.evidence_profile import profile_markdown, role_labels
from trustkg.files import write_atomically
from trustkg.loaders import DEFAULT_FORMAT, LOADERS, load
from trustkg.loaders.manifest import MANIFEST_FILE, inputs_of
from trustkg.ontology import vocabulary_labels
from trustkg.records import EvidenceBase, SourceDocument, SourceRef

# Text is always written inline, after a fixed prefix, so line-start syntax (#, -, 1.) cannot trigger;
# what is left is emphasis, code, links, HTML, tables and entities.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")


def markdown_text(text: str) -> str:
    """Input text made inert in inline Markdown: every character that could start markup or HTML is escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def markdown_url(url: str) -> str:
    """A URL as a Markdown link destination: in angle brackets, with the characters they forbid encoded."""
    return "<" + url.replace(" ", "%20").replace("<", "%3C").replace(">", "%3E") + ">"


def _uses(base: EvidenceBase) -> dict[str, dict[str, list[str]]]:
    """Source ID -> trust ODS code -> what that trust's case file takes from it (one phrase per fact)."""
    uses: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))

    def cite(refs: Iterable[SourceRef], ods: str, what: str) -> None:
        for ref in refs:
            place = f" ({ref.locator})" if ref.locator else ""
            uses[ref.source_id][ods].append(what + place)

    for case in base.cases:
        ods = case.trust.ods
        cite(case.trust.sources, ods, "identity")
        for inspection in case.inspections:
            cite(inspection.sources, ods, f"inspection {inspection.id}")
        for episode in case.special_measures:
            cite(episode.sources, ods, f"special measures {episode.id}")
        for regulatory in case.regulatory_episodes:
            cite(regulatory.sources, ods, f"{regulatory.kind.replace('-', ' ')} {regulatory.id}")
        for action in case.actions:
            cite(action.sources, ods, f"action {action.id}")
        for outcome in case.outcomes:
            cite(outcome.sources, ods, f"{'measure' if outcome.measure else 'outcome'} {outcome.id}")
        for item in case.evidence:
            cite(item.sources, ods, f"evidence {item.id}")
    return uses


def _describe(source: SourceDocument, base: EvidenceBase) -> list[str]:
    kinds = vocabulary_labels("source-kinds")
    facts = [kinds.get(source.kind, source.kind)]
    if source.publisher:
        facts.append(markdown_text(source.publisher))
    if source.published:
        facts.append(f"published {source.published}")
    lines = [f"- **{markdown_text(source.id)}**: [{markdown_text(source.title)}]({markdown_url(source.url)})"]
    lines.append(f"  - {'; '.join(facts)}")
    if source.part_of is not None:
        lines.append(f"  - part of the study {markdown_text(source.part_of)}")
    if source.copy_of is not None:
        lines.append(f"  - a copy of {markdown_text(source.copy_of)}, which queries count in its place")
    if source.study is not None:
        lines.extend(_describe_study(source, base))
    if source.note:
        lines.append(f"  - note: {markdown_text(source.note)}")
    return lines


def _describe_study(source: SourceDocument, base: EvidenceBase) -> list[str]:
    assert source.study is not None
    roles = role_labels(base)
    themes = vocabulary_labels("themes") | {t.id: t.label for scheme in base.theme_schemes for t in scheme.themes}
    own = [t.id for scheme in base.theme_schemes if scheme.study == source.id for t in scheme.themes]
    names = {case.trust.ods: case.trust.name for case in base.cases}
    lines = []
    if source.study.follows_up:
        lines.append(f"  - follows up the study {markdown_text(source.study.follows_up)}")
    if source.study.companion_of:
        lines.append(f"  - companion of the study {markdown_text(source.study.companion_of)}")
    if source.study.trusts:
        studied = ", ".join(f"{markdown_text(names[ods])} ({ods})" for ods in source.study.trusts)
        lines.append(f"  - trusts studied: {studied}")
    if source.study.interviewee_roles:
        lines.append("  - interviewee roles: " + ", ".join(roles[r].lower() for r in source.study.interviewee_roles))
    listed = [*source.study.themes, *(t for t in own if t not in source.study.themes)]
    if listed:
        lines.append("  - themes: " + "; ".join(markdown_text(themes[t]) for t in listed))
    return lines


def _count(number: int, singular: str, plural: str) -> str:
    return f"{number} {singular if number == 1 else plural}"


def sources_markdown(base: EvidenceBase, generated_from: str = "`data/`") -> str:
    """The source list as Markdown: studies first, then the sources each trust's case cites.

    ``generated_from`` names the inputs it was generated from, as the reader should see them
    (Markdown, see :func:`inputs_markdown`).
    """
    uses = _uses(base)
    names = {case.trust.ods: case.trust.name for case in base.cases}
    lines = [
        "# Sources",
        "",
        "Every source document of the evidence base, with its URL and what each trust's case file takes from it.",
        f"Generated from {generated_from} by `python -m trustkg.sources_report`; do not edit by hand.",
        "",
    ]
    studies = [s for s in base.sources.values() if s.study is not None]
    documents = [s for s in base.sources.values() if s.study is None]
    counts = (
        _count(len(base.sources), "source", "sources"),
        _count(len(studies), "study", "studies"),
        _count(len(documents), "other document", "other documents"),
    )
    lines += ["{}: {} and {}.".format(*counts), ""]
    lines += ["## What the evidence is", "", *profile_markdown(base), ""]
    if studies:
        lines += ["## Studies", ""]
        for study in studies:
            lines += _describe(study, base) + _used_by(uses.get(study.id, {}), names)
        lines.append("")
    by_trust: dict[str, list[SourceDocument]] = defaultdict(list)
    for document in documents:
        citing = sorted(uses.get(document.id, {}))
        by_trust[citing[0] if len(citing) == 1 else ""].append(document)
    groups = [("", "Sources cited by several trusts, or by none")] + [
        (case.trust.ods, f"{case.trust.name} ({case.trust.ods})") for case in base.cases
    ]
    for ods, heading in groups:
        if not by_trust.get(ods):
            continue
        lines += [f"## {markdown_text(heading)}", ""]
        for document in sorted(by_trust[ods], key=lambda d: d.id):
            lines += _describe(document, base) + _used_by(uses.get(document.id, {}), names)
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _used_by(uses: dict[str, list[str]], names: dict[str, str]) -> list[str]:
    if not uses:
        return ["  - cited by no fact directly"]
    return [f"  - {ods}: {', '.join(markdown_text(what) for what in facts)}" for ods, facts in sorted(uses.items())]


def main(argv: Sequence[str] | None = None) -> int:
    """Write (or, with ``--check``, compare) the source list; 0 ok, 1 out of date, 2 bad input."""
    return run_report(argv, "trustkg.sources_report", Path("data/SOURCES.md"), sources_markdown, __doc__)


def inputs_markdown(data_dir: Path) -> str:
    """The inputs a report is generated from, as the reader should see them, the same wherever it is run.

    A directory without a manifest is named by itself (`data/`); with a manifest, its inputs are named as
    the manifest names them, relative to it, each with its format where that is not case files.
    """
    if not (data_dir / MANIFEST_FILE).exists():
        return f"`{data_dir.resolve().name}/`"
    named = []
    for item in inputs_of(data_dir, DEFAULT_FORMAT, LOADERS):
        path = os.path.relpath(item.path, data_dir)
        shown = f"`{path}/`" if item.path.is_dir() else f"`{path}`"
        named.append(shown if item.format == DEFAULT_FORMAT else f"{shown} ({item.format})")
    listed = named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]
    return f"the inputs of `{data_dir.resolve().name}/{MANIFEST_FILE}` ({listed})"


def run_report(
    argv: Sequence[str] | None,
    module: str,
    default_out: Path,
    render: Callable[[EvidenceBase, str], str],
    doc: str | None,
) -> int:
    """The command line of a generated report: write it, or with ``--check`` fail if it is out of date."""
    parser = argparse.ArgumentParser(prog=f"python -m {module}", description=doc)
    parser.add_argument("--data", type=Path, default=Path("data"), help="data directory (default: %(default)s)")
    parser.add_argument("--out", type=Path, default=default_out, help="file to write (default: %(default)s)")
    parser.add_argument("--check", action="store_true", help="do not write; fail if the file is not current")
    args = parser.parse_args(argv)
    try:
        text = render(load(args.data), inputs_markdown(args.data))
    except TrustKGError as error:
        print(f"{module.rsplit('.', 1)[-1]}: {error}", file=sys.stderr)
        return 2
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        if current != text:
            print(f"{args.out} is out of date; run: python -m {module} --out {args.out}", file=sys.stderr)
            return 1
        return 0
    write_atomically(args.out, text.encode("utf-8"))
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
