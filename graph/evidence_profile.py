"""What the evidence is: the link claims counted by attribution, by kind of source and by kind of role.

Both generated reports (``data/SOURCES.md`` and ``data/LINKS.md``) and the README say it in the same
words, from :func:`profile_markdown`, so that no count is ever typed by hand.
"""

from __future__ import annotations

import textwrap
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from rdflib import URIRef
from rdflib.namespace import SKOS

from trustkg.ontology import VOCABULARIES, vocabulary_graph, vocabulary_labels
from trustkg.records import ATTRIBUTIONS, Evidence, EvidenceBase, LinkClaim, StudyRole, TrustCase, statement_source

#: What a claim's item counts as when its source names no speaker: the publication speaks for itself.
NO_ROLE = "no role named (the publication's own voice)"
INTERVIEW = "interview"


@dataclass(frozen=True)
class EvidenceProfile:
    items: int
    interviews: int
    claims: Counter[str]  # attribution ID -> claims
    by_source_kind: Counter[str]  # label of the kind of the original source -> claims
    by_role: Counter[str]  # the reporting role and its group, as labels -> claims
    independent_sources: int  # distinct originals the claims rest on


def claims_of(base: EvidenceBase) -> Iterator[tuple[TrustCase, Evidence, LinkClaim]]:
    """Every link claim with its item and trust, in case-file order."""
    for case in base.cases:
        for item in case.evidence:
            for claim in item.links:
                yield case, item, claim


def study_roles(base: EvidenceBase) -> list[StudyRole]:
    """The roles the studies of an evidence base add to the role vocabulary."""
    return [role for source in base.sources.values() if source.study is not None for role in source.study.roles]


def role_labels(base: EvidenceBase) -> dict[str, str]:
    """Role ID -> label: the role vocabulary's and the roles the base's studies add."""
    return vocabulary_labels("roles") | {role.id: role.label for role in study_roles(base)}


def role_groups(base: EvidenceBase) -> dict[str, str]:
    """Role ID -> the label of its top group in the role vocabulary (executive, staff, external, ...)."""
    graph, namespace = vocabulary_graph("roles"), VOCABULARIES["roles"]
    labels = vocabulary_labels("roles")

    def top(role: URIRef) -> URIRef:
        broader = graph.value(role, SKOS.broader)
        return role if not isinstance(broader, URIRef) else top(broader)

    groups = {role_id: labels[str(top(URIRef(namespace + role_id)))[len(namespace) :]] for role_id in labels}
    return groups | {role.id: labels[role.group] for role in study_roles(base)}


def evidence_profile(base: EvidenceBase) -> EvidenceProfile:
    kinds, groups, roles = vocabulary_labels("source-kinds"), role_groups(base), role_labels(base)
    by_kind: Counter[str] = Counter()
    by_group: Counter[str] = Counter()
    originals: set[str] = set()
    for case, item, _ in claims_of(base):
        original = statement_source(item, {i.id: i for i in case.evidence}, base.sources)
        origin = f"{case.trust.ods}/{item.interview}" if original is None else original.id
        originals.add(origin)
        by_kind[INTERVIEW if original is None else kinds[original.kind]] += 1
        by_group[
            f"{roles[item.reported_by]} ({groups[item.reported_by].lower()})" if item.reported_by else NO_ROLE
        ] += 1
    return EvidenceProfile(
        items=sum(len(case.evidence) for case in base.cases),
        interviews=sum(len(case.interviews) for case in base.cases),
        claims=Counter(claim.attribution for _, _, claim in claims_of(base)),
        by_source_kind=by_kind,
        by_role=by_group,
        independent_sources=len(originals),
    )


def profile_markdown(base: EvidenceBase) -> list[str]:
    """The plain statement of what the evidence is, with its counts, as Markdown lines."""
    profile = evidence_profile(base)
    attributions = {"stated": "stated", "reported-together": "reported together", "curator": "the curator's inference"}
    claims = ", ".join(f"{profile.claims[a]} {attributions[a]}" for a in ATTRIBUTIONS)
    interviews = (
        "It holds no interviews at all."
        if profile.interviews == 0
        else f"It holds {profile.interviews} interviews, none of them read from the study's report."
    )
    statement = (
        "The CQC report the cases come from (*Driving improvement*, 2017) could not be read from any available"
        " copy: every copy found shows only its cover, contents and the start of its foreword, so its case-study"
        " chapters (one per trust) are the source of nothing here, and the graph holds no interviews from the"
        f" study. {interviews} The links rest on public documents about each trust: the regulator's releases and"
        " reports, its 2020 follow-up study, the trusts' own pages, news reports and other third parties."
    )
    lines = [
        *textwrap.wrap(statement, width=110),
        "",
        *textwrap.wrap(
            f"{profile.items} evidence items make {sum(profile.claims.values())} link claims ({claims}),"
            f" resting on {profile.independent_sources} independent sources.",
            width=110,
        ),
        "",
        "| kind of the source a claim rests on | claims |",
        "| --- | --- |",
        *(f"| {kind} | {count} |" for kind, count in sorted(profile.by_source_kind.items(), key=_most)),
        "",
        "| role that reported it (kind of role) | claims |",
        "| --- | --- |",
        *(f"| {group} | {count} |" for group, count in sorted(profile.by_role.items(), key=_most)),
    ]
    return lines


def _most(entry: tuple[str, int]) -> tuple[int, str]:
    return (-entry[1], entry[0])
