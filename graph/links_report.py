"""The reviewer's sheet: every link claim of an evidence base, grouped by link, in one read.

``data/LINKS.md`` is generated from the data by this module, never edited by hand:

    python -m trustkg.links_report --data data --out data/LINKS.md
    python -m trustkg.links_report --data data --out data/LINKS.md --check   # exit 1 if out of date

For each link (an action and an outcome of one trust) it lists each claim with its attribution,
who speaks, the source and the curator's paraphrase of why the claim has that attribution, so that
a reviewer can check every claim against its source. Text from the input is escaped as Markdown.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from trustkg.evidence_profile import claims_of, profile_markdown, role_labels
from trustkg.ontology import vocabulary_labels
from trustkg.records import EvidenceBase, LinkClaim, RatingChangeRef, TrustCase
from trustkg.sources_report import markdown_text, markdown_url, run_report


def _outcome_label(case: TrustCase, outcome: str) -> str:
    """An outcome's label; a rating change as 'Well-led: Inadequate to good (2015 to 2016)'."""
    change = RatingChangeRef.parse(outcome)
    if change is None:
        return next(o.label for o in case.outcomes if o.id == outcome)
    levels, questions = vocabulary_labels("rating-levels"), vocabulary_labels("key-questions")
    found = next(c for c in case.rating_changes() if c.ref == change)
    return (
        f"{questions[found.key_question]} rating: {levels[found.from_level]} to"
        f" {levels[found.to_level].lower()} ({found.before.date} to {found.after.date})"
    )


def links_markdown(base: EvidenceBase, generated_from: str = "`data/`") -> str:
    """The sheet as Markdown: per trust, per link, each claim with its attribution, voice, source and reason.

    ``generated_from`` names the inputs, as :func:`trustkg.sources_report.inputs_markdown` does.
    """
    roles = role_labels(base)
    lines = [
        "# Link claims",
        "",
        "Every claim that an action is linked to an outcome, grouped by link, with how its source makes it.",
        f"Generated from {generated_from} by `python -m trustkg.links_report`; do not edit by hand.",
        "",
        "Attributions: **stated** (the source credits the action for the outcome), **reported together** (it",
        "reports both without crediting one to the other), **curator** (no source makes the link; the note",
        "says why the curator infers it). The reason paraphrases what the source says.",
        "",
        "## What the evidence is",
        "",
        *profile_markdown(base),
        "",
    ]
    grouped: dict[tuple[str, str, str], list[tuple[TrustCase, str, LinkClaim]]] = {}
    for case, item, claim in claims_of(base):
        grouped.setdefault((case.trust.ods, claim.action, claim.outcome), []).append((case, item.id, claim))
    current = None
    for (ods, action_id, outcome), claims in grouped.items():
        case = claims[0][0]
        if ods != current:
            lines += [f"## {markdown_text(case.trust.name)} ({ods})", ""]
            current = ods
        action = next(a.label for a in case.actions if a.id == action_id)
        lines += [f"### {markdown_text(action)} → {markdown_text(_outcome_label(case, outcome))}", ""]
        for _, item_id, claim in claims:
            item = next(i for i in case.evidence if i.id == item_id)
            voice = roles[item.reported_by].lower() if item.reported_by else "the publication itself"
            source = base.sources[item.sources[0].source_id] if item.sources else None
            where = (
                f"[{markdown_text(source.title)}]({markdown_url(source.url)})"
                if source
                else f"interview {markdown_text(item.interview or '')}"
            )
            lines.append(f"- **{claim.attribution.replace('-', ' ')}**: {markdown_text(item_id)}, {voice}, {where}")
            if item.same_statement_as:
                lines.append(f"  - the same statement as {markdown_text(item.same_statement_as)}: counted once")
            if claim.reason:
                lines.append(f"  - why: {markdown_text(claim.reason)}")
            if claim.note:
                lines.append(f"  - note: {markdown_text(claim.note)}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Write (or, with ``--check``, compare) the reviewer's sheet; 0 ok, 1 out of date, 2 bad input."""
    return run_report(argv, "trustkg.links_report", Path("data/LINKS.md"), links_markdown, __doc__)


if __name__ == "__main__":
    sys.exit(main())
