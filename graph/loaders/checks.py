"""The cross-record checks: run once, on the records of every input merged, whatever their format.

A loader checks what it can see in one record (types of fields, vocabulary IDs,
dates that parse and their order, IDs repeated within one section). What needs
other records is checked here, on every input's records at once: duplicate
sources, codebook types and trusts; references to sources, codebook types,
studies, trusts, and to the interviews, actions, outcomes and rating changes an
evidence item names; and the codebook types the build relies on.
Each problem is reported at its own file, line and field, and all of them (the
loaders' included) are raised together in one :class:`InputError`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field, replace

from trustkg.errors import InputError, Problem, did_you_mean
from trustkg.ontology import vocabulary_ids
from trustkg.records import (
    DERIVED_OUTCOME_TYPES,
    Action,
    Codebook,
    CodebookType,
    EvidenceBase,
    Inspection,
    Interview,
    Origin,
    Outcome,
    RatingChangeRef,
    Records,
    SourceDocument,
    SourceRef,
    ThemeScheme,
    TrustCase,
    place,
    rating_spans,
)


@dataclass
class ProblemLog:
    """Collects problems across files and inputs; raised once, at the end, with all of them."""

    problems: list[Problem] = field(default_factory=list)

    def add(self, file: str, line: int | None, field_path: str, message: str) -> None:
        self.problems.append(Problem(file, line, field_path, message))

    def at(self, origin: Origin, default_field: str, message: str) -> None:
        self.add(origin.file, origin.line, origin.field or default_field, message)


def checked_evidence_base(records: Records) -> EvidenceBase:
    """The evidence base of merged records; raise :class:`InputError` with every problem, if any."""
    log = ProblemLog(list(records.problems))
    codebook = Codebook(
        action_types=_unique_types(records.action_types, "action type", log),
        outcome_types=_unique_types(records.outcome_types, "outcome type", log),
    )
    _check_codebook(records.codebook, codebook, log)
    sources = _unique_sources(records.sources, log)
    cases = _with_additions(_unique_trusts(records.cases, log), records.additions, records.unreadable_trusts, log)
    _check_source_kinds(sources, log)
    _check_copies(sources, log)
    _check_study_links(sources, {case.trust.ods for case in cases} | records.unreadable_trusts, log)
    _check_theme_schemes(records.theme_schemes, sources, log)
    _check_study_roles(sources, log)
    _check_codebook_subsets(sources, codebook, log)
    _check_source_refs(records, sources, log)
    _check_codebook_refs(cases, codebook, log)
    for case in cases:
        _check_evidence_refs(case, log)
    _check_successions(cases, log)
    if log.problems:
        raise InputError(log.problems)
    return EvidenceBase(
        codebook=codebook,
        sources=sources,
        cases=tuple(cases),
        project_codes=records.project_codes,
        theme_schemes=records.theme_schemes,
    )


def _first_at(first: Origin, again: Origin) -> str:
    """Where the first of two duplicates is: its line in the same file, else its file and line."""
    return f"first on line {first.line}" if first.file == again.file else f"first at {first}"


# --- codebook ------------------------------------------------------------------------


def _unique_types(types: Iterable[CodebookType], what: str, log: ProblemLog) -> dict[str, CodebookType]:
    kept: dict[str, CodebookType] = {}
    for entry in types:
        if entry.id in kept:
            where = place(entry, "id")
            log.at(where, "id", f"duplicate {what} ID {entry.id!r} ({_first_at(kept[entry.id].origin, where)})")
        else:
            kept[entry.id] = entry
    for entry in kept.values():
        if entry.broader is not None and entry.broader not in kept:
            log.at(
                place(entry, "broader"),
                "broader",
                f"unknown {what} {entry.broader!r}" + did_you_mean(entry.broader, kept),
            )
    broader = {entry.id: entry.broader for entry in kept.values() if entry.broader is not None}
    for cycle in _cycles(broader):
        entry = kept[cycle[0]]
        log.at(place(entry, "broader"), "broader", f"{what} {entry.id!r} is broader than itself: {' -> '.join(cycle)}")
    return kept


def _cycles(links: dict[str, str]) -> list[list[str]]:
    """Every cycle in a graph where each node links to at most one other, each once, from its smallest ID.

    Linear: each node is walked once; a walk that meets its own path has found a cycle.
    """
    cycles: list[list[str]] = []
    done: set[str] = set()
    for start in sorted(links):
        path: list[str] = []
        on_path: set[str] = set()
        node: str | None = start
        while node is not None and node not in done and node not in on_path:
            path.append(node)
            on_path.add(node)
            node = links.get(node)
        if node is not None and node in on_path:
            cycle = path[path.index(node) :]
            first = cycle.index(min(cycle))
            cycles.append([*cycle[first:], *cycle[:first], min(cycle)])
        done.update(path)
    return cycles


def _check_codebook(where: Origin | None, codebook: Codebook, log: ProblemLog) -> None:
    if where is None:
        log.add("(inputs)", None, "(codebook)", "no input has a codebook of action and outcome types")
        return
    for needed in DERIVED_OUTCOME_TYPES:
        if needed not in codebook.outcome_types:
            log.at(where, "outcome_types", f"must define {needed!r}: the build uses it for derived rating changes")


def _check_codebook_refs(cases: Iterable[TrustCase], codebook: Codebook, log: ProblemLog) -> None:
    if not codebook.action_types and not codebook.outcome_types:
        return  # no codebook at all is reported once, not again at every type named
    for case in cases:
        typed: tuple[tuple[Iterable[Action | Outcome], dict[str, CodebookType], str], ...] = (
            (case.actions, codebook.action_types, "action type"),
            (case.outcomes, codebook.outcome_types, "outcome type"),
        )
        for records, types, what in typed:
            for record in records:
                if record.type not in types:
                    log.at(
                        place(record, "type"),
                        "type",
                        f"unknown {what} {record.type!r}" + did_you_mean(record.type, types),
                    )


# --- sources -------------------------------------------------------------------------


def _unique_sources(documents: Iterable[SourceDocument], log: ProblemLog) -> dict[str, SourceDocument]:
    by_id: dict[str, SourceDocument] = {}
    by_url: dict[str, SourceDocument] = {}
    for document in documents:
        if document.id in by_id:
            first = by_id[document.id].origin
            log.at(place(document, "id"), "id", f"duplicate source ID {document.id!r} (first at {first})")
        elif document.url in by_url:
            first_document = by_url[document.url]
            log.at(
                place(document, "url"),
                "url",
                f"URL already given as source {first_document.id!r} (at {first_document.origin})",
            )
        else:
            by_id[document.id] = by_url[document.url] = document
    return by_id


def _check_source_kinds(sources: dict[str, SourceDocument], log: ProblemLog) -> None:
    kinds = vocabulary_ids("source-kinds")
    for source in sources.values():
        if source.kind not in kinds:
            log.at(source.origin, "kind", f"unknown source kind {source.kind!r}" + did_you_mean(source.kind, kinds))


def _check_copies(sources: dict[str, SourceDocument], log: ProblemLog) -> None:
    """``copy_of`` names another known source, and an original, so queries reach it in one step."""
    originals = {source.id: source.copy_of for source in sources.values()}
    for source in sources.values():
        _check_original(source.id, originals, place(source, "copy_of"), "copy_of", "source", log)


def _check_original(
    own: str, originals: dict[str, str | None], where: Origin, field_name: str, what: str, log: ProblemLog
) -> None:
    """A record's pointer to the original it stands in for (``copy_of``, ``same_statement_as``).

    It must name another known record that is itself an original, so that whatever counts originals
    reaches one in a single step.
    """
    original = originals[own]
    if original is None:
        return
    if original == own:
        log.at(where, field_name, f"{what} {own!r} cannot name itself as its original")
    elif original not in originals:
        log.at(where, field_name, f"unknown {what} {original!r}" + did_you_mean(original, originals))
    elif originals[original] is not None:
        log.at(where, field_name, f"{original!r} itself names {originals[original]!r} as its original: name that one")


def _check_study_links(sources: dict[str, SourceDocument], trusts: Collection[str], log: ProblemLog) -> None:
    """A study's trusts must have case files; ``follows_up`` and ``part_of`` must name studies."""
    studies = {source.id for source in sources.values() if source.study is not None}
    for source in sources.values():
        where = source.origin
        if source.part_of is not None and source.part_of not in studies:
            log.add(
                where.file,
                where.line,
                "part_of",
                f"{source.id!r} is part of unknown study {source.part_of!r}" + did_you_mean(source.part_of, studies),
            )
        if source.study is None:
            continue
        for ods in source.study.trusts:
            if ods not in trusts:
                log.at(
                    source.study.trust_places.get(ods, where),
                    "trusts",
                    f"study {source.id!r} names trust {ods!r}, which has no case file" + did_you_mean(ods, trusts),
                )
        for relation, other, verb, verbs in (
            ("follows_up", source.study.follows_up, "follow up", "follows up"),
            ("companion_of", source.study.companion_of, "be a companion of", "is a companion of"),
        ):
            if other == source.id:
                log.add(where.file, where.line, relation, f"study {source.id!r} cannot {verb} itself")
            elif other is not None and other not in studies:
                log.add(
                    where.file,
                    where.line,
                    relation,
                    f"study {source.id!r} {verbs} unknown study {other!r}" + did_you_mean(other, studies),
                )

    follows: dict[str, str] = {}
    for source in sources.values():
        if source.study is not None and source.study.follows_up is not None and source.study.follows_up != source.id:
            follows[source.id] = source.study.follows_up
    for cycle in _cycles(follows):  # a study following up itself is reported just above
        where = sources[cycle[0]].origin
        log.add(where.file, where.line, "follows_up", f"studies follow each other up in a cycle: {' -> '.join(cycle)}")


def _check_theme_schemes(schemes: Iterable[ThemeScheme], sources: dict[str, SourceDocument], log: ProblemLog) -> None:
    """One scheme per study, theme IDs unique across every scheme, mappings to themes that exist."""
    studies = {source.id for source in sources.values() if source.study is not None}
    defaults = vocabulary_ids("themes")
    declared: dict[str, Origin] = {}
    owners: dict[str, ThemeScheme] = {}
    kept: list[ThemeScheme] = []
    for scheme in schemes:
        if scheme.study not in studies:
            log.at(
                scheme.origin,
                "study",
                f"theme scheme of unknown study {scheme.study!r} (declare it under studies: in sources.yaml)"
                + did_you_mean(scheme.study, studies),
            )
        if scheme.study in owners:
            log.at(
                scheme.origin,
                "study",
                f"study {scheme.study!r} has a theme scheme already (at {owners[scheme.study].origin})",
            )
            continue
        owners[scheme.study] = scheme
        kept.append(scheme)
        for theme in scheme.themes:
            where = place(theme, "id")
            if theme.id in defaults:
                log.at(where, "id", f"theme {theme.id!r} is a theme of the default scheme (ontology/vocab/themes.ttl)")
            elif theme.id in declared:
                log.at(where, "id", f"duplicate theme ID {theme.id!r} ({_first_at(declared[theme.id], where)})")
            else:
                declared[theme.id] = where
    known = defaults | set(declared)
    for scheme in kept:
        own = {theme.id for theme in scheme.themes}
        for theme in scheme.themes:
            if theme.broader is not None and theme.broader not in own:
                log.at(
                    place(theme, "broader"),
                    "broader",
                    f"unknown theme {theme.broader!r} in the scheme of {scheme.study!r}"
                    + did_you_mean(theme.broader, own),
                )
            for mapping, targets in theme.mappings.items():
                for target in targets:
                    if target in own:
                        log.at(
                            place(theme, mapping),
                            mapping,
                            f"maps {theme.id!r} to {target!r} of its own scheme (use broader)",
                        )
                    elif target not in known:
                        log.at(
                            place(theme, mapping),
                            mapping,
                            f"maps to unknown theme {target!r}" + did_you_mean(target, known),
                        )


def _check_study_roles(sources: dict[str, SourceDocument], log: ProblemLog) -> None:
    """A role a study adds has one ID across every study (each loader has already kept out the package's)."""
    declared: dict[str, Origin] = {}
    for source in sources.values():
        for role in source.study.roles if source.study is not None else ():
            where = place(role, "id")
            if role.id in declared:
                log.at(where, "id", f"duplicate role ID {role.id!r} ({_first_at(declared[role.id], where)})")
            else:
                declared[role.id] = where


def _check_codebook_subsets(sources: dict[str, SourceDocument], codebook: Codebook, log: ProblemLog) -> None:
    """The types a study says it uses of a shared codebook are types of the merged codebook."""
    if not codebook.action_types and not codebook.outcome_types:
        return  # no codebook at all is reported once
    types = codebook.action_types.keys() | codebook.outcome_types.keys()
    for source in sources.values():
        if source.study is None:
            continue
        for type_id in source.study.codebook_types:
            if type_id not in types:
                log.at(
                    source.study.places.get(f"codebook_types/{type_id}", source.origin),
                    "codebook_types",
                    f"unknown codebook type {type_id!r}" + did_you_mean(type_id, types),
                )


def _source_refs(case: TrustCase) -> Iterator[SourceRef]:
    """Every citation in one case, wherever it hangs."""
    yield from case.trust.sources
    for records in (
        case.inspections,
        case.special_measures,
        case.regulatory_episodes,
        case.actions,
        case.outcomes,
        case.evidence,
    ):
        for record in records:
            yield from record.sources
    for interview in case.interviews:
        if interview.source is not None:
            yield interview.source


def _check_source_refs(records: Records, sources: dict[str, SourceDocument], log: ProblemLog) -> None:
    # A citation of a source dropped for its own problem is not reported a second time.
    declared = sources.keys() | records.unreadable_sources | {document.id for document in records.sources}
    if not declared and records.cases:
        log.add("(inputs)", None, "(sources)", "no input declares a source document, so no citation can be checked")
        return
    for case in records.cases:
        for ref in _source_refs(case):
            if ref.source_id not in declared:
                log.at(
                    ref.origin,
                    "source",
                    f"unknown source {ref.source_id!r}" + did_you_mean(ref.source_id, declared),
                )


# --- what evidence names -------------------------------------------------------------


def _check_evidence_refs(case: TrustCase, log: ProblemLog) -> None:
    """Interviews, actions, outcomes and rating changes named by evidence must exist in the trust's case."""

    def known(section: str, records: Iterable[Interview | Action | Outcome | Inspection]) -> set[str]:
        # Declared IDs, broken records' included: a broken record is reported where declared, once.
        return {record.id for record in records} | case.unreadable.get(section, frozenset())

    interviews, actions = known("interviews", case.interviews), known("actions", case.actions)
    outcomes, inspections = known("outcomes", case.outcomes), known("inspections", case.inspections)
    valid_inspections = {inspection.id for inspection in case.inspections}
    changes = {change.ref for change in case.rating_changes()}
    change_names = {str(ref) for ref in changes}
    shared = {item.id: item.same_statement_as for item in case.evidence}
    for item in case.evidence:
        _check_original(item.id, shared, place(item, "same_statement_as"), "same_statement_as", "evidence item", log)
        if item.interview is not None and item.interview not in interviews:
            log.at(
                place(item, "interview"),
                "interview",
                f"unknown interview {item.interview!r}" + did_you_mean(item.interview, interviews),
            )
        for action in item.actions:
            if action not in actions:
                log.at(
                    place(item, f"actions/{action}"),
                    "actions",
                    f"unknown action (declare it under actions) {action!r}" + did_you_mean(action, actions),
                )
        for outcome in item.outcomes:
            if outcome not in outcomes:
                log.at(
                    place(item, f"outcomes/{outcome}"),
                    "outcomes",
                    f"unknown outcome {outcome!r}" + did_you_mean(outcome, outcomes | change_names),
                )
        for ref in item.rating_changes:
            where = place(item, f"outcomes/{ref}")
            if ref in changes:
                continue
            if ref.inspection_id not in inspections:
                log.at(
                    where,
                    "outcomes",
                    f"unknown inspection {ref.inspection_id!r}" + did_you_mean(ref.inspection_id, inspections),
                )
            elif ref.inspection_id in valid_inspections:  # a broken inspection is reported where declared
                log.at(
                    where,
                    "outcomes",
                    f"no rating change on {ref.key_question!r} arrives at inspection {ref.inspection_id!r}: "
                    + _why_no_change(case, ref)
                    + (did_you_mean(str(ref), change_names) if change_names else " (this trust has no rating change)"),
                )


def _why_no_change(case: TrustCase, ref: RatingChangeRef) -> str:
    """Why no change arrives at an inspection that exists: not rated there, first rated there, or unchanged."""
    inspection = next(i for i in case.inspections if i.id == ref.inspection_id)
    if ref.key_question not in inspection.ratings:
        return f"the inspection does not rate {ref.key_question!r}"
    span = next(
        (s for s in rating_spans(case.inspections) if s.ref == ref),
        None,
    )
    if span is None:
        return f"it is the first inspection of its scope to rate {ref.key_question!r}"
    return f"the rating stayed {span.to_level!r} from inspection {span.before.id!r}"


# --- trusts --------------------------------------------------------------------------


def _unique_trusts(cases: Iterable[TrustCase], log: ProblemLog) -> list[TrustCase]:
    seen: dict[str, TrustCase] = {}
    for case in cases:
        ods = case.trust.ods
        if ods in seen:
            first = seen[ods].trust.origin
            log.add(
                case.trust.origin.file,
                case.trust.origin.line,
                "trust.ods",
                f"duplicate trust {ods!r} (also in {first})",
            )
        else:
            seen[ods] = case
    return list(seen.values())


def _with_additions(
    cases: list[TrustCase], additions: Iterable[TrustCase], unreadable: Collection[str], log: ProblemLog
) -> list[TrustCase]:
    """Merge what one input adds about a trust (interviews and their evidence) into the case another declares.

    An addition to a trust whose case file was dropped for its own problem is dropped too, unreported:
    the case file's problem is the one to fix.
    """
    by_ods = {case.trust.ods: case for case in cases}
    for addition in additions:
        ods = addition.trust.ods
        case = by_ods.get(ods)
        if case is None and ods in unreadable:
            continue
        if case is None:
            log.at(
                addition.trust.origin,
                "trust",
                f"trust {ods!r} has no case file and is not declared under the mapping's trusts"
                + did_you_mean(ods, by_ods),
            )
            continue
        by_ods[ods] = replace(
            case,
            interviews=case.interviews + addition.interviews,
            actions=case.actions + addition.actions,
            outcomes=case.outcomes + addition.outcomes,
            evidence=case.evidence + addition.evidence,
        )
    return [by_ods[case.trust.ods] for case in cases]


# --- lifecycles ----------------------------------------------------------------------


def _check_successions(cases: Collection[TrustCase], log: ProblemLog) -> None:
    """A trust ends in another trust (with a case file or named by ODS code only), never in itself or in a
    circle, and after the trust it ends in has itself ended; nothing of it is dated after it ended."""
    trusts = {case.trust.ods: case.trust for case in cases}
    successors = {ods: trust.succession.trust for ods, trust in trusts.items() if trust.succession is not None}
    in_cycles = {ods for cycle in _cycles(successors) for ods in cycle}
    for case in cases:
        trust, succession = case.trust, case.trust.succession
        if succession is not None:
            where = replace(succession.origin, field=f"trust.{succession.kind}.trust")
            if trust.ods in in_cycles:
                chain = [trust.ods]
                while chain[-1] != trust.ods or len(chain) == 1:
                    chain.append(successors[chain[-1]])
                log.at(where, "trust", f"the trusts end in each other in a circle: {' -> '.join(chain)}")
            successor = trusts.get(succession.trust)
            if successor is not None and successor.ended is not None and successor.ended.surely_before(succession.date):
                log.at(
                    replace(succession.origin, field=f"trust.{succession.kind}.date"),
                    "trust",
                    f"{trust.ods} {_ENDINGS[succession.kind]} {succession.trust} on {succession.date}, "
                    f"but {succession.trust} had itself ended on {successor.ended}",
                )
            if trust.dissolved is not None and trust.dissolved.surely_before(succession.date):
                log.at(
                    trust.dissolved_origin,
                    "trust.dissolved",
                    f"dissolved ({trust.dissolved}) before it {_ENDINGS[succession.kind]} {succession.trust} "
                    f"({succession.date})",
                )
        if trust.ended is not None:
            for inspection in case.inspections:
                if trust.ended.surely_before(inspection.date):
                    log.at(
                        inspection.origin,
                        "inspections.start",
                        f"inspection {inspection.id!r} ({inspection.date}) is after {trust.ods} ended ({trust.ended})",
                    )


#: How each kind of succession reads in a message: "ZY3 merged into ZY1".
_ENDINGS = {"merged_into": "merged into", "acquired_by": "was acquired by", "succeeded_by": "was succeeded by"}
