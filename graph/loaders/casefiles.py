"""The case-file loader: ``codebook.yaml``, ``sources.yaml`` and ``cases/*.yaml`` -> records.

The format is documented, with a complete example, in ``data/README.md``.
Every problem in every file is collected with the records read; the checks
across records (``trustkg.loaders.checks``) run once every input is merged.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TypeVar

from trustkg.errors import FileAccessError, Problem, did_you_mean
from trustkg.files import list_directory
from trustkg.gcpause import collector_paused
from trustkg.loaders.checks import ProblemLog, checked_evidence_base
from trustkg.loaders.pool import read_in_chunks
from trustkg.loaders.yamlnodes import Fields, compose_file
from trustkg.ontology import top_concept_ids, vocabulary_ids
from trustkg.progress import report as progress
from trustkg.records import (
    ATTRIBUTIONS,
    CHANGE_DIRECTIONS,
    DERIVED_OUTCOME_TYPES,
    REGULATORY_EPISODE_KINDS,
    SUCCESSIONS,
    THEME_MAPPINGS,
    Action,
    CodebookType,
    CoreService,
    Evidence,
    EvidenceBase,
    Inspection,
    Interview,
    LinkClaim,
    MeasureValue,
    Origin,
    Outcome,
    PartialDate,
    RatingChangeRef,
    Records,
    RegulatoryEpisode,
    RelativeChange,
    Site,
    SourceDocument,
    SpecialMeasuresEpisode,
    StudyDetails,
    StudyRole,
    StudyTheme,
    Succession,
    ThemeScheme,
    Trust,
    TrustCase,
    YearSpan,
)

__all__ = ["DERIVED_OUTCOME_TYPES", "load_case_files", "read_case_files"]

CODEBOOK_FILE = "codebook.yaml"
SOURCES_FILE = "sources.yaml"
CASES_DIR = "cases"
#: The progress step of reading case files, one file at a time.
READING = "read case files"
#: One file per study that brings its own themes: ``themes/STUDY-ID.yaml``.
THEMES_DIR = "themes"

_SOURCE_FIELDS = ("id", "url", "title", "kind", "published", "publisher", "note", "part_of", "copy_of")
_LINK_FIELDS = ("action", "outcome", "attribution", "note", "reason")
#: What an old-style item (actions and outcomes, no links) is told: how to write the links.
OLD_STYLE_HINT = (
    "names actions and outcomes but no links: an item no longer links every action it names to every outcome."
    " List the links its source makes under 'links:', one per pair, e.g."
    " '- {action: ACTION-ID, outcome: OUTCOME-ID, attribution: stated, reason: ...}', with attribution"
    " stated (the source credits the action for the outcome), reported-together (it reports both without"
    " crediting one to the other) or curator (your own inference; needs a note saying why);"
    " write 'links: []' if the source links none of them (data/README.md, 'Link claims')"
)
#: What an unknown theme is told: where a theme of the input's own is declared.
THEME_HINT = (
    "; a theme of a study's own is declared in its theme scheme, themes/STUDY-ID.yaml beside cases/ in the"
    " same input (data/README.md, 'Studies and their themes')"
)
#: A study is a source with these fields too; studies are listed under ``studies:`` in sources.yaml.
STUDIES_SECTION = "studies"
_STUDY_FIELDS = ("interviewee_roles", "themes", "trusts", "follows_up", "companion_of", "roles", "codebook_types")
#: What an unknown role is told: where a role of the input's own is declared.
ROLE_HINT = (
    "; a role of a study's own is declared under the study's roles: in sources.yaml of the same input, with"
    " the role group it belongs to (data/README.md, 'Roles a study adds')"
)
_CASE_SECTIONS = (
    "trust",
    "sources",
    "inspections",
    "special_measures",
    "regulatory_episodes",
    "interviews",
    "actions",
    "outcomes",
    "evidence",
)


@dataclass
class _Vocab:
    """The vocabulary IDs a case file may use."""

    themes: frozenset[str]
    roles: frozenset[str]
    key_questions: frozenset[str]
    ratings: frozenset[str]
    trust_types: frozenset[str]

    @classmethod
    def of(cls, themes: frozenset[str], added_roles: Collection[str]) -> _Vocab:
        """The package's vocabularies, with the input's own themes and the roles its studies add."""
        return cls(
            themes=themes,
            # The input's studies may add roles: its case files may use them (a role dropped for a problem
            # reported where it is declared included, so that its uses are not reported again).
            roles=vocabulary_ids("roles") | frozenset(added_roles),
            key_questions=vocabulary_ids("key-questions"),
            ratings=vocabulary_ids("rating-levels"),
            trust_types=vocabulary_ids("trust-types"),
        )


def load_case_files(data_dir: Path) -> EvidenceBase:
    """Load one directory of case files on its own; raise :class:`InputError` listing every problem found."""
    return checked_evidence_base(read_case_files(data_dir))


def read_case_files(data_dir: Path) -> Records:
    """Read a directory of case files (``codebook.yaml`` and ``sources.yaml`` optional) into records."""
    log = ProblemLog()
    data_dir = Path(data_dir)
    cases_dir = data_dir / CASES_DIR
    if not cases_dir.is_dir():
        log.add(str(cases_dir), None, "(directory)", "no cases/ directory of case files")
        return Records(problems=tuple(log.problems))

    # A study's own themes may be used anywhere in the input, so they are read first.
    theme_schemes = _read_theme_schemes(data_dir / THEMES_DIR, log)
    themes = vocabulary_ids("themes") | {theme.id for scheme in theme_schemes for theme in scheme.themes}
    action_types, outcome_types, codebook_origin = _read_codebook(data_dir / CODEBOOK_FILE, themes, log)
    sources: list[SourceDocument] = []
    declared_sources: set[str] = set()
    added_roles: set[str] = set()
    if (data_dir / SOURCES_FILE).exists():
        root = _root(data_dir / SOURCES_FILE, log, data_dir)
        if root is not None:
            root.allow_only(("sources", STUDIES_SECTION))
            _read_sources(root, sources, themes, STUDIES_SECTION)
            _read_sources(root, sources, themes)
            declared_sources |= _declared(root, STUDIES_SECTION) | _declared(root, "sources")
            added_roles = _added_roles(root)

    vocab = _Vocab.of(themes, added_roles)
    cases: list[TrustCase] = []
    unreadable_trusts: set[str] = set()
    try:
        case_paths = list_directory(cases_dir, (".yaml", ".yml"))
    except FileAccessError as error:
        log.add(str(cases_dir), None, "(directory)", str(error))
        case_paths = []
    progress(READING, 0, len(case_paths))
    reads = read_in_chunks(
        partial(_read_case_files, data_dir=data_dir, vocab=vocab),
        case_paths,
        lambda done: progress(READING, done, len(case_paths)),
    )
    for read in reads:
        sources += read.sources
        declared_sources |= read.declared_sources
        log.problems += read.problems
        if read.case is not None:
            cases.append(read.case)
        elif read.unreadable_trust is not None:
            unreadable_trusts.add(read.unreadable_trust)
    if not case_paths and not log.problems:
        log.add(str(cases_dir), None, "(directory)", "holds no case files (*.yaml)")
    return Records(
        action_types=tuple(action_types),
        outcome_types=tuple(outcome_types),
        sources=tuple(sources),
        cases=tuple(cases),
        theme_schemes=tuple(theme_schemes),
        codebook=codebook_origin,
        unreadable_sources=frozenset(declared_sources - {source.id for source in sources}),
        problems=tuple(log.problems),
        unreadable_trusts=frozenset(unreadable_trusts),
    )


@dataclass(frozen=True)
class _CaseFile:
    """What one case file gave: its sources, its case or else the trust it declares, and its problems."""

    sources: list[SourceDocument]
    declared_sources: set[str]
    case: TrustCase | None
    unreadable_trust: str | None
    problems: list[Problem]


def _read_case_files(paths: Sequence[Path], data_dir: Path, vocab: _Vocab) -> list[_CaseFile]:
    """Read case files, each on its own (in this process or a helper's: see trustkg.loaders.pool)."""
    with collector_paused():
        return [_read_case_file(path, data_dir, vocab) for path in paths]


def _read_case_file(path: Path, data_dir: Path, vocab: _Vocab) -> _CaseFile:
    # Each file's node tree is read into records and dropped before the next file is
    # composed: keeping every tree until the last file was read cost 1.2 GB at 1M triples.
    log = ProblemLog()
    sources: list[SourceDocument] = []
    root = _root(path, log, data_dir)
    if root is None:
        return _CaseFile(sources, set(), None, None, log.problems)
    root.allow_only(_CASE_SECTIONS)
    _read_sources(root, sources, vocab.themes)
    case = _read_case(root, vocab, log)
    unreadable = _declared_trust(root) if case is None else None
    # A file without problems declares only the sources it gave: nothing more to read for them.
    declared = _declared(root, "sources") if log.problems else {source.id for source in sources}
    return _CaseFile(sources, declared, case, unreadable, log.problems)


def _root(path: Path, log: ProblemLog, data_dir: Path) -> Fields | None:
    node = compose_file(path, str(path), log, data_dir)
    if node is None:
        if not any(p.file == str(path) for p in log.problems):
            log.add(str(path), None, "(file)", "is empty")
        return None
    return Fields(node, str(path), "", log)


def _declared_trust(root: Fields) -> str | None:
    """The ODS code a case file declares, read quietly: its trust's problems are reported where they are."""
    quiet = Fields(root.node, root.file, root.path, ProblemLog())
    trust = quiet.mapping("trust")
    ods = trust.peek("ods") if trust is not None else None
    return ods.upper() if ods is not None else None


# --- codebook ------------------------------------------------------------------------


def _read_codebook(
    path: Path, themes: Collection[str], log: ProblemLog
) -> tuple[list[CodebookType], list[CodebookType], Origin | None]:
    """Action types, outcome types, and where the outcome types are listed (None without a codebook)."""
    if not path.exists():
        return [], [], None  # another input may bring the codebook; the checks say if none does
    root = _root(path, log, path.parent)
    if root is None:
        return [], [], None
    root.allow_only(("action_types", "outcome_types"))
    return (
        _read_types(root, "action_types", themes),
        _read_types(root, "outcome_types", themes),
        root.place("outcome_types"),
    )


def read_codebook_types(path: Path, log: ProblemLog) -> tuple[list[CodebookType], list[CodebookType]]:
    """The action and outcome types of one ``codebook.yaml`` (for a mapping that recognises exported codes)."""
    action_types, outcome_types, _ = _read_codebook(path, vocabulary_ids("themes"), log)
    return action_types, outcome_types


def _read_types(root: Fields, key: str, themes: Collection[str]) -> list[CodebookType]:
    types: list[CodebookType] = []
    for entry in root.records(key):
        entry.allow_only(("id", "label", "definition", "themes", "broader", "reserved"))
        type_id = entry.identifier("id", required=True)
        label = entry.text("label", required=True)
        definition = entry.text("definition", required=True)
        chosen_themes = entry.choices("themes", themes, "theme", hint=THEME_HINT)
        broader = entry.identifier("broader")
        reserved = entry.boolean("reserved") or False
        if type_id is None or label is None or definition is None:
            continue
        places = {"id": entry.place("id"), "broader": entry.place("broader")}
        types.append(CodebookType(type_id, label, definition, chosen_themes, broader, reserved, entry.origin, places))
    return types


# --- sources -------------------------------------------------------------------------


def _read_sources(
    root: Fields, sources: list[SourceDocument], themes: Collection[str], section: str = "sources"
) -> None:
    """Read the documents listed under ``section``; under ``studies:`` each is also a study."""
    is_study = section == STUDIES_SECTION
    for entry in root.records(section):
        entry.allow_only(_SOURCE_FIELDS + _STUDY_FIELDS if is_study else _SOURCE_FIELDS)
        source_id = entry.identifier("id", required=True)
        url = entry.url("url", required=True)
        title = entry.text("title", required=True)
        kind = entry.text("kind", required=True)  # checked once every input is merged
        published = entry.date("published")
        part_of = entry.identifier("part_of")  # checked once every study is known
        copy_of = entry.identifier("copy_of")  # checked once every source is known
        study = _read_study(entry, themes) if is_study else None
        if source_id is None or url is None or title is None or kind is None:
            continue
        document = SourceDocument(
            source_id,
            url,
            title,
            kind,
            published,
            entry.text("publisher"),
            entry.text("note"),
            entry.origin,
            part_of,
            study,
            {"id": entry.place("id"), "url": entry.place("url"), "copy_of": entry.place("copy_of")},
            copy_of=copy_of,
        )
        sources.append(document)


def _read_study(entry: Fields, themes: Collection[str]) -> StudyDetails:
    trusts = entry.text_list("trusts")
    roles = [role for role_entry in entry.records("roles") if (role := _read_study_role(role_entry)) is not None]
    places: dict[str, Origin] = {}
    return StudyDetails(
        interviewee_roles=entry.choices(
            "interviewee_roles", vocabulary_ids("roles") | _declared(entry, "roles"), "role", hint=ROLE_HINT
        ),
        themes=entry.choices("themes", themes, "theme", hint=THEME_HINT),
        trusts=tuple(ods.upper() for ods, _ in trusts),
        trust_places={
            ods.upper(): Origin(entry.file, line, f"{entry.sub('trusts')}[{index}]")
            for index, (ods, line) in enumerate(trusts)
        },
        roles=tuple(roles),
        # Checked once every input's codebook is merged.
        codebook_types=entry.references("codebook_types", "codebook type", places),
        places=places,
        follows_up=entry.identifier("follows_up"),
        companion_of=entry.identifier("companion_of"),
    )


def _added_roles(root: Fields) -> set[str]:
    """The IDs of the roles every study of a sources.yaml adds, read quietly (problems are reported where read)."""
    quiet = Fields(root.node, root.file, root.path, ProblemLog())
    return {role for study in quiet.records(STUDIES_SECTION) for role in _declared(study, "roles")}


def _read_study_role(entry: Fields) -> StudyRole | None:
    """A role a study adds: its group must be a role group, its ID not one of the package's roles."""
    entry.allow_only(("id", "label", "group", "definition"))
    role_id, label = entry.identifier("id", required=True), entry.text("label", required=True)
    group = entry.choice("group", top_concept_ids("roles"), "role group", required=True)
    if role_id is not None and role_id in vocabulary_ids("roles"):
        entry.problem(
            entry.sub("id"),
            entry.line_for("id"),
            f"role {role_id!r} is a role of the package (ontology/vocab/roles.ttl)",
        )
        return None
    if role_id is None or label is None or group is None:
        return None
    places = {"id": entry.place("id")}
    return StudyRole(role_id, label, group, entry.text("definition"), entry.origin, places)


# --- theme schemes -------------------------------------------------------------------


def _read_theme_schemes(themes_dir: Path, log: ProblemLog) -> list[ThemeScheme]:
    """Each study's own themes; what they map to (possibly another input's themes) is checked after merging."""
    schemes: list[ThemeScheme] = []
    if not themes_dir.is_dir():
        return schemes
    try:
        paths = list_directory(themes_dir, (".yaml",))
    except FileAccessError as error:
        log.add(str(themes_dir), None, "(directory)", str(error))
        return schemes
    for path in paths:
        root = _root(path, log, themes_dir.parent)
        if root is None:
            continue
        root.allow_only(("study", "label", "themes"))
        study, label = root.identifier("study", required=True), root.text("label", required=True)
        if study is not None and study != path.stem:
            root.problem("study", root.line_for("study"), f"names study {study!r}, but the file is named {path.name!r}")
        themes = [theme for entry in root.records("themes") if (theme := _read_theme(entry)) is not None]
        if not themes and root.has("themes"):
            continue  # every theme had a problem, reported where it was read
        if not themes:
            root.problem("themes", root.line, "a theme scheme needs at least one theme")
        elif study is not None and label is not None:
            schemes.append(ThemeScheme(study, label, tuple(themes), root.origin))
    return schemes


def _read_theme(entry: Fields) -> StudyTheme | None:
    entry.allow_only(("id", "label", "definition", "broader", *THEME_MAPPINGS))
    theme_id, label = entry.identifier("id", required=True), entry.text("label", required=True)
    places = {"id": entry.place("id"), "broader": entry.place("broader")}
    mappings: dict[str, tuple[str, ...]] = {}
    for mapping in THEME_MAPPINGS:
        places[mapping] = entry.place(mapping)
        targets = tuple(value for value, _ in entry.text_list(mapping))
        if targets:
            mappings[mapping] = targets
    broader = entry.identifier("broader")
    if theme_id is None or label is None:
        return None
    return StudyTheme(theme_id, label, entry.text("definition"), broader, mappings, entry.origin, places)


# --- cases ---------------------------------------------------------------------------


def _read_case(root: Fields, vocab: _Vocab, log: ProblemLog) -> TrustCase | None:
    before = len(log.problems)
    trust_fields = root.mapping("trust", required=True)
    trust = _read_trust(trust_fields, vocab) if trust_fields is not None else None
    # References are checked against what the file declares, even where the declaring
    # record itself has a problem: that problem is reported once, not again at every use.
    site_ids = _declared(trust_fields, "sites") if trust_fields is not None else set()
    service_ids = _declared(trust_fields, "core_services") if trust_fields is not None else set()
    inspections = _unique(
        root,
        "inspections",
        [_clean(_read_inspection, e, vocab, site_ids, service_ids) for e in root.records("inspections")],
    )
    episodes = _unique(
        root, "special_measures", [_clean(_read_episode, e, vocab) for e in root.records("special_measures")]
    )
    regulatory = _unique(
        root,
        "regulatory_episodes",
        [_clean(_read_regulatory_episode, e, vocab) for e in root.records("regulatory_episodes")],
    )
    interviews = _unique(root, "interviews", [_clean(_read_interview, e, vocab) for e in root.records("interviews")])
    actions = _unique(root, "actions", [_clean(_read_action, e, vocab) for e in root.records("actions")])
    outcomes = _unique(root, "outcomes", [_clean(_read_outcome, e, vocab) for e in root.records("outcomes")])
    evidence = _unique(root, "evidence", [_clean(_read_evidence, e, vocab) for e in root.records("evidence")])
    if trust is None:
        return None
    kept: dict[str, list[Inspection] | list[Interview] | list[Action] | list[Outcome]] = {
        "inspections": inspections,
        "interviews": interviews,
        "actions": actions,
        "outcomes": outcomes,
    }
    return TrustCase(
        trust=trust,
        inspections=tuple(inspections),
        special_measures=tuple(episodes),
        interviews=tuple(interviews),
        actions=tuple(actions),
        outcomes=tuple(outcomes),
        evidence=tuple(evidence),
        origin=root.origin,
        # A record is dropped only with a problem reported: without one, every declared record was kept.
        unreadable={
            section: frozenset(_declared(root, section) - {record.id for record in records})
            if len(log.problems) > before
            else frozenset()
            for section, records in kept.items()
        },
        regulatory_episodes=tuple(regulatory),
    )


def _declared(fields: Fields, section: str) -> set[str]:
    """The IDs a section declares, read without checks (the records' own reading reports problems)."""
    quiet = Fields(fields.node, fields.file, fields.path, ProblemLog())
    return {entry_id for entry in quiet.records(section) if (entry_id := entry.peek("id")) is not None}


_Record = TypeVar(
    "_Record", Inspection, SpecialMeasuresEpisode, RegulatoryEpisode, Interview, Action, Outcome, Evidence
)


def _clean(read: Callable[..., _Record | None], fields: Fields, *context: object) -> _Record | None:
    """Read one record; a record with any problem is dropped whole, never half-kept."""
    before = len(fields.log.problems)
    record = read(fields, *context)
    return record if len(fields.log.problems) == before else None


def _unique(root: Fields, section: str, records: list[_Record | None]) -> list[_Record]:
    """Drop unreadable records; report IDs used twice within a section."""
    kept: dict[str, _Record] = {}
    for record in records:
        if record is None:
            continue
        if record.id in kept:
            first = kept[record.id].origin.line
            root.problem(f"{section}.id", record.origin.line, f"duplicate ID {record.id!r} (first on line {first})")
            continue
        kept[record.id] = record
    return list(kept.values())


_Part = TypeVar("_Part", Site, CoreService)


def _named_parts(fields: Fields, key: str, what: str, make: Callable[[str, str], _Part]) -> list[_Part]:
    """A trust's sites or core services: each an ID and a name, the IDs unique within the trust."""
    parts: list[_Part] = []
    for entry in fields.records(key):
        entry.allow_only(("id", "name"))
        part_id, part_name = entry.identifier("id", required=True), entry.text("name", required=True)
        if part_id and part_name:
            if any(part.id == part_id for part in parts):
                entry.problem(entry.sub("id"), entry.line_for("id"), f"duplicate {what} ID {part_id!r}")
            else:
                parts.append(make(part_id, part_name))
    return parts


def _read_trust(fields: Fields, vocab: _Vocab) -> Trust | None:
    fields.allow_only(
        (
            "ods",
            "name",
            "type",
            "foundation_trust",
            "other_names",
            "sites",
            "core_services",
            "area_served",
            "cqc_page",
            "source",
            "note",
            *SUCCESSIONS,
            "dissolved",
        )
    )
    ods = _ods_code(fields, "ods", required=True)
    name = fields.text("name", required=True)
    trust_types = fields.choices("type", vocab.trust_types, "trust type", required=True)
    sources = fields.source_refs("source")
    sites = _named_parts(fields, "sites", "site", Site)
    services = _named_parts(fields, "core_services", "core service", CoreService)
    succession = _read_succession(fields)
    dissolved = fields.date("dissolved")
    if ods is None or name is None or not trust_types or not sources:
        return None
    return Trust(
        ods=ods.upper(),
        name=name,
        types=trust_types,
        sources=sources,
        foundation_trust=fields.boolean("foundation_trust"),
        other_names=tuple(value for value, _ in fields.text_list("other_names")),
        sites=tuple(sites),
        core_services=tuple(services),
        area_served=fields.text("area_served"),
        cqc_page=fields.url("cqc_page"),
        note=fields.text("note"),
        origin=fields.origin,
        succession=succession,
        dissolved=dissolved,
        dissolved_origin=fields.place("dissolved"),
    )


def _ods_code(fields: Fields, key: str, required: bool = False) -> str | None:
    ods = fields.text(key, required=required)
    if ods is not None and not (ods.isascii() and ods.isalnum()):
        fields.problem(
            fields.sub(key), fields.line_for(key), f"{ods!r} is not an ODS code (letters and digits, e.g. RGT)"
        )
        return None
    return ods.upper() if ods is not None else None


def _read_succession(fields: Fields) -> Succession | None:
    """The one other trust this trust ended in, if any: ``merged_into``, ``acquired_by`` or ``succeeded_by``."""
    given = sorted((kind for kind in SUCCESSIONS if fields.has(kind)), key=fields.line_for)
    read = [_succession(fields, kind) for kind in given]
    for kind in given[1:]:
        fields.problem(
            fields.sub(kind), fields.line_for(kind), f"a trust ends in one other trust; {given[0]} is already given"
        )
    return read[0] if len(read) == 1 else None


def _succession(fields: Fields, kind: str) -> Succession | None:
    entry = fields.mapping(kind)
    assert entry is not None, "has() saw the field"
    entry.allow_only(("trust", "date"))
    other, date = _ods_code(entry, "trust", required=True), entry.date("date", required=True)
    return Succession(kind, other, date, entry.origin) if other is not None and date is not None else None


def _read_inspection(
    fields: Fields, vocab: _Vocab, site_ids: Collection[str], service_ids: Collection[str]
) -> Inspection | None:
    fields.allow_only(("id", "label", "start", "end", "published", "site", "core_service", "ratings", "source", "note"))
    inspection_id = fields.identifier("id", required=True)
    start, end, published = fields.date("start"), fields.date("end"), fields.date("published")
    if not fields.has("start") and not fields.has("published"):
        fields.problem(fields.sub("start"), fields.line, "an inspection needs a start or a published date")
    if start and end and end.sort_key() < start.sort_key():
        fields.problem(fields.sub("end"), fields.line_for("end"), f"ends ({end}) before it starts ({start})")
    if start and published and published.surely_before(start):
        fields.problem(
            fields.sub("published"), fields.line_for("published"), f"published ({published}) before it starts ({start})"
        )
    site = fields.choice("site", site_ids, "site (declare it under trust.sites)") if fields.has("site") else None
    core_service = (
        fields.choice("core_service", service_ids, "core service (declare it under trust.core_services)")
        if fields.has("core_service")
        else None
    )
    ratings: dict[str, str] = {}
    for key_question, level, line in fields.scalar_pairs("ratings"):
        where = f"{fields.sub('ratings')}.{key_question}"
        if key_question not in vocab.key_questions:
            fields.problem(
                where, line, f"unknown key question {key_question!r}" + did_you_mean(key_question, vocab.key_questions)
            )
        elif level not in vocab.ratings:
            fields.problem(where, line, f"unknown rating {level!r}" + did_you_mean(level, vocab.ratings))
        else:
            ratings[key_question] = level
    sources = fields.source_refs("source")
    if inspection_id is None or not sources or (start is None and published is None):
        return None
    return Inspection(
        id=inspection_id,
        ratings=ratings,
        sources=sources,
        start=start,
        end=end,
        published=published,
        site=site,
        core_service=core_service,
        label=fields.text("label"),
        note=fields.text("note"),
        origin=fields.origin,
    )


def _read_episode(fields: Fields, vocab: _Vocab) -> SpecialMeasuresEpisode | None:
    fields.allow_only(("id", "entered", "exited", "source", "note"))
    episode_id = fields.identifier("id", required=True)
    entered, exited = _ordered_dates(fields, "entered", "exited")
    sources = fields.source_refs("source")
    if episode_id is None or not sources:
        return None
    return SpecialMeasuresEpisode(episode_id, entered, sources, exited, fields.text("note"), fields.origin)


def _read_regulatory_episode(fields: Fields, vocab: _Vocab) -> RegulatoryEpisode | None:
    fields.allow_only(("id", "kind", "start", "end", "source", "note"))
    episode_id = fields.identifier("id", required=True)
    kind = fields.choice("kind", REGULATORY_EPISODE_KINDS, "kind of regulatory episode", required=True)
    start, end = _ordered_dates(fields, "start", "end")
    sources = fields.source_refs("source")
    if episode_id is None or kind is None or not sources:
        return None
    return RegulatoryEpisode(episode_id, kind, sources, start, end, fields.text("note"), fields.origin)


def _ordered_dates(fields: Fields, first: str, last: str) -> tuple[PartialDate | None, PartialDate | None]:
    """An episode's dates, each optional (the source may give neither); the last must not be before the first."""
    start, end = fields.date(first), fields.date(last)
    if start and end and end.sort_key() < start.sort_key():
        fields.problem(fields.sub(last), fields.line_for(last), f"{last} ({end}) is before {first} ({start})")
    return start, end


def _read_interview(fields: Fields, vocab: _Vocab) -> Interview | None:
    fields.allow_only(("id", "role", "date", "source"))
    interview_id = fields.identifier("id", required=True)
    role = fields.choice("role", vocab.roles, "role", required=True, hint=ROLE_HINT)
    sources = fields.source_refs("source", required=False)
    date = fields.date("date")
    if interview_id is None or role is None:
        return None
    return Interview(interview_id, role, sources[0] if sources else None, date, fields.origin)


def _read_action(fields: Fields, vocab: _Vocab) -> Action | None:
    fields.allow_only(
        ("id", "type", "label", "description", "roles", "themes", "stated_themes", "started", "source", "note")
    )
    action_id = fields.identifier("id", required=True)
    action_type = fields.identifier("type", required=True)  # a codebook type: checked once every input is merged
    label = fields.text("label", required=True)
    roles = fields.choices("roles", vocab.roles, "role", hint=ROLE_HINT)
    themes = fields.choices("themes", vocab.themes, "theme", hint=THEME_HINT)
    stated = fields.choices("stated_themes", vocab.themes, "theme", hint=THEME_HINT)
    started = fields.date("started")
    sources = fields.source_refs("source")
    if action_id is None or action_type is None or label is None or not sources:
        return None
    return Action(
        id=action_id,
        type=action_type,
        label=label,
        sources=sources,
        description=fields.text("description"),
        roles=roles,
        themes=themes,
        stated_themes=stated,
        started=started,
        note=fields.text("note"),
        origin=fields.origin,
        places={"type": fields.place("type")},
    )


def _read_outcome(fields: Fields, vocab: _Vocab) -> Outcome | None:
    fields.allow_only(
        ("id", "type", "label", "description", "measure", "unit", "before", "after", "change", "source", "note")
    )
    outcome_id = fields.identifier("id", required=True)
    outcome_type = fields.identifier("type", required=True)  # a codebook type: checked once every input is merged
    if outcome_type in DERIVED_OUTCOME_TYPES:
        fields.problem(
            fields.sub("type"),
            fields.line_for("type"),
            f"{outcome_type!r} outcomes are derived from inspections; refer to them as KEY-QUESTION@INSPECTION-ID in evidence",
        )
        outcome_type = None
    label = fields.text("label", required=True)
    measure = fields.text("measure")
    before, after = _measure_value(fields, "before"), _measure_value(fields, "after")
    relative_change = _relative_change(fields)
    if (before or after or fields.has("change")) and measure is None:
        fields.problem(
            fields.sub("measure"), fields.line, "values before/after or a change need the measure they are of"
        )
    before_years, after_years = before and before.years(), after and after.years()
    if before_years and after_years and after_years[1] < before_years[0]:
        fields.problem(
            fields.sub("after.year"),
            fields.line_for("after"),
            f"the after year ({after and after.when()}) is before the before year ({before and before.when()})",
        )
    sources = fields.source_refs("source")
    if outcome_id is None or outcome_type is None or label is None or not sources:
        return None
    return Outcome(
        id=outcome_id,
        type=outcome_type,
        label=label,
        sources=sources,
        description=fields.text("description"),
        measure=measure,
        unit=fields.text("unit"),
        before=before,
        after=after,
        note=fields.text("note"),
        origin=fields.origin,
        places={"type": fields.place("type")},
        relative_change=relative_change,
    )


def _measure_value(fields: Fields, key: str) -> MeasureValue | None:
    """``{value, year}``: the year exact (2015), a span (``{about: 2015}``, ``{from: 2014, to: 2016}``) or left out."""
    value_fields = fields.mapping(key)
    if value_fields is None:
        return None
    value_fields.allow_only(("value", "year"))
    value = value_fields.number("value", required=True)
    span_fields = value_fields.mapping("year") if value_fields.is_mapping("year") else None
    span = _year_span(span_fields) if span_fields is not None else None
    year = value_fields.year("year") if span_fields is None else None
    if value is None or (span_fields is not None and span is None):
        return None
    return MeasureValue(value, year, span)


def _year_span(fields: Fields) -> YearSpan | None:
    fields.allow_only(("about", "from", "to"))
    if fields.has("about"):
        if fields.has("from") or fields.has("to"):
            fields.problem(fields.sub("about"), fields.line_for("about"), "give about, or from and to, not both")
            return None
        about = fields.year("about")
        return YearSpan(about, about, approximate=True) if about is not None else None
    earliest, latest = fields.year("from", required=True), fields.year("to", required=True)
    if earliest is None or latest is None:
        return None
    if latest < earliest:
        fields.problem(fields.sub("to"), fields.line_for("to"), f"to ({latest}) is before from ({earliest})")
        return None
    return YearSpan(earliest, latest)


def _relative_change(fields: Fields) -> RelativeChange | None:
    """``change: {percent, direction}``: a change the source gives without its baseline ("a 37% fall")."""
    change_fields = fields.mapping("change")
    if change_fields is None:
        return None
    change_fields.allow_only(("percent", "direction"))
    percent = change_fields.number("percent", required=True)
    direction = change_fields.choice("direction", CHANGE_DIRECTIONS, "direction", required=True)
    if percent is not None and percent <= 0:
        change_fields.problem(
            change_fields.sub("percent"),
            change_fields.line_for("percent"),
            f"give the size of the change ({percent:g}) as a positive number; the direction says rise or fall",
        )
        return None
    return RelativeChange(percent, direction) if percent is not None and direction is not None else None


def _read_evidence(fields: Fields, vocab: _Vocab) -> Evidence | None:
    fields.allow_only(
        (
            "id",
            "statement",
            "source",
            "interview",
            "reported_by",
            "themes",
            "stated_themes",
            "actions",
            "outcomes",
            "links",
            "same_statement_as",
            "note",
        )
    )
    evidence_id = fields.identifier("id", required=True)
    statement = fields.text("statement", required=True)
    has_interview = fields.has("interview")
    sources = fields.source_refs("source", required=not has_interview)
    # What the evidence names (interview, actions, outcomes) is checked once every input is merged.
    interview = fields.identifier("interview") if has_interview else None
    reported_by = fields.choice("reported_by", vocab.roles, "role", hint=ROLE_HINT)
    themes = fields.choices("themes", vocab.themes, "theme", hint=THEME_HINT)
    stated = fields.choices("stated_themes", vocab.themes, "theme", hint=THEME_HINT)
    if not themes and not stated:
        fields.problem(
            fields.sub("themes"), fields.line, "an evidence item needs at least one theme (themes or stated_themes)"
        )
    places = {"interview": fields.place("interview")}
    actions = list(fields.references("actions", "action", places))
    named_outcomes = list(fields.references("outcomes", "outcome", places))
    links = _read_links(fields, places)
    # A link names its action and outcome: the item mentions them whether or not its lists repeat them.
    actions += [claim.action for claim in links if claim.action not in actions]
    named_outcomes += [claim.outcome for claim in links if claim.outcome not in named_outcomes]
    outcomes: list[str] = []
    changes: list[RatingChangeRef] = []
    for value in named_outcomes:
        change = RatingChangeRef.parse(value)
        if change is not None:
            changes.append(change)
        else:
            outcomes.append(value)
    if actions and (outcomes or changes) and "links" not in fields.values:
        fields.problem(fields.sub("links"), fields.line, OLD_STYLE_HINT)
    same_statement_as = fields.identifier("same_statement_as")  # checked once the trust's items are known
    if same_statement_as is not None:
        places["same_statement_as"] = fields.place("same_statement_as")
    if evidence_id is None or statement is None or (not sources and interview is None):
        return None
    return Evidence(
        id=evidence_id,
        statement=statement,
        sources=sources,
        interview=interview,
        reported_by=reported_by,
        themes=themes,
        stated_themes=stated,
        actions=tuple(actions),
        outcomes=tuple(outcomes),
        rating_changes=tuple(changes),
        links=links,
        note=fields.text("note"),
        origin=fields.origin,
        places=places,
        same_statement_as=same_statement_as,
    )


def _read_links(fields: Fields, places: dict[str, Origin]) -> tuple[LinkClaim, ...]:
    """The item's link claims; where each names an action or outcome goes in ``places`` for the checks."""
    claims: list[LinkClaim] = []
    for entry in fields.records("links"):
        entry.allow_only(_LINK_FIELDS)
        action = entry.identifier("action", required=True)
        outcome = entry.text("outcome", required=True)  # an outcome ID or KEY-QUESTION@INSPECTION-ID
        attribution = entry.choice("attribution", ATTRIBUTIONS, "attribution", required=True)
        note = entry.text("note")
        if attribution == "curator" and note is None:
            entry.problem(entry.sub("note"), entry.line, "a curator's link needs a note saying why you infer it")
        if action is None or outcome is None or attribution is None:
            continue
        if any(claim.action == action and claim.outcome == outcome for claim in claims):
            entry.problem(entry.path, entry.line, f"the link {action} -> {outcome} is claimed twice")
            continue
        places.setdefault(f"actions/{action}", entry.place("action"))
        places.setdefault(f"outcomes/{outcome}", entry.place("outcome"))
        claims.append(LinkClaim(action, outcome, attribution, note, entry.origin, entry.text("reason")))
    return tuple(claims)
