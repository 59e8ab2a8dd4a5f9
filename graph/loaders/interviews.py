"""The coded-interview loaders: a REFI-QDA project or a coded-segment table, through its mapping, -> records.

Each input is a mapping file (``trustkg.loaders.qdamapping``) naming the project or table it maps.
What becomes what (documented, with an example, in ``data/README.md``):

- each text source (or table document) that has coded passages is one anonymous ``Interview`` at its
  trust, known by the interviewee's role (its ID comes from the source's GUID, not its name);
- each coded passage (a REFI-QDA selection; the table rows of one document with the same words)
  whose codes the mapping (or the trustkg codebook's GUIDs) gives a trustkg meaning is one
  evidence item: derived from its interview, reported by the interviewee's role, citing the project
  with the passage's position (code points) and words, coded by its coders;
- the action and outcome types coded at a trust become one action and one outcome per type,
  "as reported in the project's interviews", citing the project;
- link claims: a passage coded with an action type and an outcome type claims the link
  ``reported-together`` (the interviewee spoke of both in one passage, without the coding saying
  one led to the other); a REFI-QDA link between an action code and an outcome code, in an interview
  with passages coded with each, is a ``curator`` claim in an item of its own whose note names the link;
- the project's other codes are kept as its own SKOS concepts, and a passage carries those applied to it.
  A passage coded only with such codes is not evidence (it says nothing trustkg can place).

Problems are collected, with the mapping's or the project's file and line, into ``Records.problems``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from trustkg.errors import InputError, did_you_mean
from trustkg.loaders.checks import ProblemLog
from trustkg.loaders.qdamapping import (
    ACTION_TYPE,
    OUTCOME_TYPE,
    THEME,
    Attribute,
    Mapping,
    Meaning,
    codebook_key,
    read_mapping,
)
from trustkg.loaders.yamlnodes import parse_partial_date
from trustkg.ontology import vocabulary_ids
from trustkg.qda import CodedSegment, QdaProject, TextSource, read_coded_segments, read_project
from trustkg.qda.model import VariableValueType
from trustkg.records import (
    Action,
    Evidence,
    Interview,
    LinkClaim,
    Origin,
    Outcome,
    PartialDate,
    ProjectCode,
    ProjectCodeRef,
    Records,
    SourceDocument,
    SourceRef,
    StudyDetails,
    TextPosition,
    Trust,
    TrustCase,
)

__all__ = ["read_coded_segment_input", "read_refi_qda"]

_Read = TypeVar("_Read")


@dataclass(frozen=True)
class _Passage:
    """One coded passage, from a project or a table, before it becomes evidence."""

    key: str  # unique within its interview, stable across loads
    quote: str
    start: int | None
    end: int | None
    paraphrase: str | None
    codes: tuple[str, ...]  # code keys as the mapping compares them: GUIDs, or names and paths
    coders: tuple[str, ...]
    origin: Origin


@dataclass(frozen=True)
class _Transcript:
    """One interview's passages, with where its trust, role and date were found."""

    name: str
    interview_id: str
    trust: str | None
    role: str | None
    date: PartialDate | None
    passages: tuple[_Passage, ...]
    origin: Origin
    reported: frozenset[str] = frozenset()  # fields whose problem is already reported


@dataclass
class _Case:
    """What the input says about one trust, built up passage by passage."""

    ods: str
    interviews: list[Interview] = field(default_factory=list)
    actions: dict[str, Action] = field(default_factory=dict)
    outcomes: dict[str, Outcome] = field(default_factory=dict)
    evidence: list[Evidence] = field(default_factory=list)


def read_refi_qda(path: Path) -> Records:
    """A REFI-QDA project (``.qdpx`` or ``.qde``) through the mapping at ``path``."""
    log = ProblemLog()
    read = _mapped(path, "project", read_project, log)
    if isinstance(read, Records):
        return read
    mapping, project = read
    codes = _ProjectCodes(project, mapping, log)
    transcripts = [
        _project_transcript(project, source, mapping, log) for source in project.sources if source.selections
    ]
    links = [
        (link.name or link.guid, link.guid, codes.meaning_of(link.origin), codes.meaning_of(link.target))
        for link in project.links
        if link.origin is not None and link.target is not None
    ]
    return _records(mapping, transcripts, codes.meaning_of, codes.kept(), links, log)


def read_coded_segment_input(path: Path) -> Records:
    """A QualCoder or Taguette coded-segment table (``.csv`` or ``.xlsx``) through the mapping at ``path``."""
    log = ProblemLog()
    read = _mapped(path, "table", read_coded_segments, log)
    if isinstance(read, Records):
        return read
    mapping, segments = read
    codes = _TableCodes(segments, mapping, log)
    coders = _pseudonyms(sorted({s.coder for s in segments if s.coder}), mapping.keep_coder_names)
    transcripts = []
    for document in sorted({segment.document for segment in segments}):
        rows = [segment for segment in segments if segment.document == document]
        transcripts.append(_table_transcript(document, rows, mapping, coders, log))
    return _records(mapping, transcripts, codes.meaning_of, codes.kept(mapping.source_id), [], log)


def _mapped(path: Path, key: str, read: Callable[[Path], _Read], log: ProblemLog) -> tuple[Mapping, _Read] | Records:
    """The mapping at ``path`` and what it names under ``key``, read; or the records of their problems."""
    mapping = read_mapping(Path(path), key, log)
    if mapping is None:
        return Records(problems=tuple(log.problems))
    try:
        return mapping, read(mapping.input)
    except InputError as error:
        return Records(problems=tuple(log.problems) + tuple(error.problems))


# --- codes ---------------------------------------------------------------------------


class _ProjectCodes:
    """A project's codes: what each means in trustkg, and the ones kept as the project's own."""

    def __init__(self, project: QdaProject, mapping: Mapping, log: ProblemLog) -> None:
        self.project, self.mapping = project, mapping
        self.meanings: dict[str, Meaning] = {}
        names: dict[str, list[str]] = {}
        for code in project.codes:
            names.setdefault(code.name, []).append(code.guid)
            names.setdefault("/".join(code.path), []).append(code.guid)
        for written, meaning in mapping.codes.items():
            guids = [written] if written in project.codes_by_guid else names.get(written, [])
            if not guids:
                known = sorted(names)
                log.at(meaning.origin, "codes", f"no code {written!r} in {project.file}" + did_you_mean(written, known))
            elif len(guids) > 1:
                log.at(meaning.origin, "codes", f"{len(guids)} codes are named {written!r}: write its path or GUID")
            else:
                self.meanings[guids[0]] = meaning
        for code in project.codes:
            if code.guid not in self.meanings and code.guid in mapping.by_guid:
                exported = mapping.by_guid[code.guid]
                self.meanings[code.guid] = Meaning(exported.kind, exported.id, Origin(project.file, code.line))

    def meaning_of(self, guid: str | None) -> Meaning | None:
        return self.meanings.get(guid or "")

    def kept(self) -> tuple[ProjectCode, ...]:
        return tuple(
            ProjectCode(
                ProjectCodeRef(self.mapping.source_id, code.guid),
                code.name,
                code.description,
                code.parent,
                Origin(self.project.file, code.line),
            )
            for code in self.project.codes
            if code.guid not in self.meanings
        )


class _TableCodes:
    """A table's codes (paths of names): what the mapping says each means."""

    def __init__(self, segments: Sequence[CodedSegment], mapping: Mapping, log: ProblemLog) -> None:
        self.meanings: dict[str, Meaning] = {}
        self.paths = sorted({"/".join(s.code_path) for s in segments})
        known = set(self.paths) | {s.code_path[-1] for s in segments}
        for written, meaning in mapping.codes.items():
            if written not in known:
                log.at(meaning.origin, "codes", f"no code {written!r} in the table" + did_you_mean(written, known))
            self.meanings[written] = meaning

    def meaning_of(self, key: str | None) -> Meaning | None:
        if key is None:
            return None
        return self.meanings.get(key) or self.meanings.get(key.rsplit("/", 1)[-1])

    def kept(self, project: str) -> tuple[ProjectCode, ...]:
        """The table's unmapped codes, identified by their paths (a table has no GUIDs)."""
        kept = [path for path in self.paths if self.meaning_of(path) is None]
        return tuple(
            ProjectCode(
                ProjectCodeRef(project, path),
                path.rsplit("/", 1)[-1],
                None,
                path.rsplit("/", 1)[0] if "/" in path and path.rsplit("/", 1)[0] in kept else None,
            )
            for path in kept
        )


# --- interviews ------------------------------------------------------------------------


def _project_transcript(project: QdaProject, source: TextSource, mapping: Mapping, log: ProblemLog) -> _Transcript:
    where = Origin(project.file, source.line)
    values = _variables(project, source)
    facts = mapping.interviews.get(source.name or "")

    def attribute(attr: Attribute | None, given: str | None, what: str) -> str | None:
        if given is not None:
            return given
        if attr is None:
            return None
        if attr.value is not None:
            return attr.value
        value = values.get(attr.variable or "")
        if value is None:
            log.at(where, what, f"has no variable {attr.variable!r} (named at {attr.origin})")
            return None
        text = value.isoformat() if hasattr(value, "isoformat") else str(value)
        return attr.values.get(text, text)

    users = {user.guid: user.name or user.guid for user in project.users}
    coder_names = _pseudonyms(sorted(users), mapping.keep_coder_names, users)
    passages = tuple(
        _Passage(
            selection.guid,
            selection.quote,
            selection.start,
            selection.end,
            selection.description,
            tuple(coding.code for coding in selection.codings),
            tuple(
                sorted(
                    {
                        coder_names[c]
                        for c in [selection.coder, *(x.coder for x in selection.codings)]
                        if c in coder_names
                    }
                )
            ),
            Origin(project.file, selection.line),
        )
        for selection in source.selections
    )
    role = attribute(mapping.role, facts.role if facts else None, "role")
    roles = vocabulary_ids("roles")
    reported: frozenset[str] = frozenset()
    if role is not None and role not in roles:
        log.at(where, "role", f"unknown role {role!r}: map it under role.values" + did_you_mean(role, roles))
        role, reported = None, frozenset({"role"})
    date_text = attribute(mapping.date, None, "date")
    date = facts.date if facts and facts.date else _date(date_text, where, log)
    return _Transcript(
        source.name or source.guid,
        f"iv-{source.guid[:8]}",
        attribute(mapping.trust, facts.trust if facts else None, "trust"),
        role,
        date,
        passages,
        where,
        reported,
    )


def _variables(project: QdaProject, source: TextSource) -> dict[str, VariableValueType]:
    """A source's variables by name: its own, then those of the cases it belongs to."""
    names = {variable.guid: variable.name for variable in project.variables}
    values: dict[str, VariableValueType] = {}
    for case in project.cases:
        if source.guid in case.sources:
            values |= {names.get(v.variable, v.variable): v.value for v in case.variables}
    return values | {names.get(v.variable, v.variable): v.value for v in source.variables}


def _date(text: str | None, where: Origin, log: ProblemLog) -> PartialDate | None:
    if text is None:
        return None
    return parse_partial_date(text[:10], lambda message: log.at(where, "date", message))


def _table_transcript(
    document: str,
    rows: Sequence[CodedSegment],
    mapping: Mapping,
    coders: dict[str, str],
    log: ProblemLog,
) -> _Transcript:
    where = Origin(rows[0].file, rows[0].line)
    facts = mapping.interviews.get(document)
    if facts is None:
        log.at(
            where,
            "document",
            f"{document!r} is not listed under interviews in {mapping.file}"
            + did_you_mean(document, mapping.interviews),
        )
    by_quote: dict[str, list[CodedSegment]] = {}
    for row in rows:
        by_quote.setdefault(row.quote, []).append(row)
    passages = tuple(
        _Passage(
            f"row-{same[0].line}",
            quote,
            None,
            None,
            None,
            tuple("/".join(row.code_path) for row in same),
            tuple(sorted({coders[row.coder] for row in same if row.coder})),
            Origin(same[0].file, same[0].line),
        )
        for quote, same in by_quote.items()
    )
    trust = facts.trust if facts else None
    trust = trust or (mapping.trust.value if mapping.trust else None)
    role = facts.role if facts else None
    role = role or (mapping.role.value if mapping.role else None)
    return _Transcript(document, f"iv-{_slug(document)}", trust, role, facts.date if facts else None, passages, where)


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")[:40] or "document"


def _pseudonyms(coders: Sequence[str], keep_names: bool, names: dict[str, str] | None = None) -> dict[str, str]:
    """Coder -> how the graph names them: ``coder-1``, ``coder-2``... in the order given, unless names are kept."""
    if keep_names:
        return {coder: (names or {}).get(coder, coder) for coder in coders}
    return {coder: f"coder-{index}" for index, coder in enumerate(coders, start=1)}


# --- records ---------------------------------------------------------------------------

MeaningOf = Callable[[str | None], Meaning | None]
#: A link between two codes: its name, GUID, and what its two ends mean.
CodeLink = tuple[str, str, Meaning | None, Meaning | None]
_ODS = re.compile(r"[A-Z0-9]{3}")


def _records(
    mapping: Mapping,
    transcripts: Iterable[_Transcript],
    meaning_of: MeaningOf,
    kept: tuple[ProjectCode, ...],
    links: Sequence[CodeLink],
    log: ProblemLog,
) -> Records:
    builder = _Builder(mapping, meaning_of, links, log)
    for transcript in transcripts:
        builder.interview(transcript)
    project = SourceRef(mapping.source_id, origin=mapping.places["source"])
    cases: list[TrustCase] = []
    additions: list[TrustCase] = []
    for ods, case in sorted(builder.cases.items()):
        declared = mapping.trusts.get(ods)
        trust = (
            Trust(ods, declared.name, declared.types, (project,), origin=declared.origin)
            if declared
            else Trust(ods, "", (), (), origin=builder.named_at[ods])
        )
        record = TrustCase(
            trust,
            interviews=tuple(case.interviews),
            actions=tuple(case.actions.values()),
            outcomes=tuple(case.outcomes.values()),
            evidence=tuple(case.evidence),
            origin=trust.origin,
        )
        (cases if declared else additions).append(record)
    document = SourceDocument(
        mapping.source_id,
        mapping.url,
        mapping.title,
        "interview",
        mapping.published,
        mapping.publisher,
        f"Coded interviews loaded from {mapping.input.name} through {Path(mapping.file).name}.",
        mapping.places["source"],
        study=StudyDetails(
            interviewee_roles=tuple(sorted(builder.roles)),
            themes=tuple(sorted(builder.themes)),
            trusts=tuple(sorted(builder.cases)),
        ),
    )
    return Records(
        sources=(document,),
        cases=tuple(cases),
        additions=tuple(additions),
        project_codes=kept,
        problems=tuple(log.problems),
    )


class _Builder:
    """Transcripts -> interviews, actions, outcomes and evidence, per trust."""

    def __init__(self, mapping: Mapping, meaning_of: MeaningOf, links: Sequence[CodeLink], log: ProblemLog) -> None:
        self.mapping, self.meaning_of, self.links, self.log = mapping, meaning_of, links, log
        self.cases: dict[str, _Case] = {}
        self.named_at: dict[str, Origin] = {}
        self.roles: set[str] = set()
        self.themes: set[str] = set()

    def interview(self, transcript: _Transcript) -> None:
        where = transcript.origin
        trust, role = transcript.trust, transcript.role
        if trust is None:
            self.log.at(where, "trust", "no trust: set it under interviews or give a trust variable or value")
        elif not _ODS.fullmatch(trust):
            self.log.at(where, "trust", f"{trust!r} is not an ODS code (three capital letters or digits)")
        if role is None and "role" not in transcript.reported:
            self.log.at(where, "role", "no role: set it under interviews or give a role variable or value")
        if trust is None or role is None or not _ODS.fullmatch(trust):
            return
        case = self.cases.setdefault(trust, _Case(trust))
        self.named_at.setdefault(trust, where)
        self.roles.add(role)
        locator = f"transcript {transcript.interview_id}"
        interview_ref = SourceRef(self.mapping.source_id, locator, where)
        case.interviews.append(Interview(transcript.interview_id, role, interview_ref, transcript.date, where))
        spoken: dict[tuple[str, str], list[str]] = {}  # (kind, type) -> themes of the passages coded with it
        for passage in transcript.passages:
            self.passage(case, transcript, passage, spoken)
        for name, guid, first, second in self.links:
            self.code_link(case, transcript, name, guid, first, second, spoken)

    def passage(
        self, case: _Case, transcript: _Transcript, passage: _Passage, spoken: dict[tuple[str, str], list[str]]
    ) -> None:
        meanings = [m for code in passage.codes if (m := self.meaning_of(code)) is not None]
        if not meanings:
            return  # only the project's own codes: nothing trustkg can place
        themes = _unique(
            [m.id for m in meanings if m.kind == THEME]
            + [t for m in meanings if m.kind != THEME for t in self.type_themes(m)]
        )
        if not themes:
            self.log.at(
                passage.origin,
                "codes",
                "the passage has no theme: code a theme too, or name the codebook (codebook:) so its types' themes apply",
            )
            return
        self.themes.update(themes)
        actions = _unique([self.action(case, m) for m in meanings if m.kind == ACTION_TYPE])
        outcomes = _unique([self.outcome(case, m) for m in meanings if m.kind == OUTCOME_TYPE])
        for m in meanings:
            spoken.setdefault((m.kind, m.id), []).extend(themes)
        places = {"interview": passage.origin} | {f"actions/{a}": passage.origin for a in actions}
        places |= {f"outcomes/{o}": passage.origin for o in outcomes}
        position = TextPosition(passage.start, passage.end, passage.quote)
        locator = f"transcript {transcript.interview_id}"
        case.evidence.append(
            Evidence(
                f"{transcript.interview_id}-{passage.key[:8]}",
                passage.paraphrase or passage.quote,
                sources=(SourceRef(self.mapping.source_id, locator, passage.origin, position),),
                interview=transcript.interview_id,
                reported_by=transcript.role,
                themes=themes,
                actions=actions,
                outcomes=outcomes,
                links=tuple(
                    LinkClaim(a, o, "reported-together", "coded in one passage", passage.origin)
                    for a in actions
                    for o in outcomes
                ),
                coders=passage.coders,
                verbatim=passage.paraphrase is None,
                project_codes=tuple(
                    ProjectCodeRef(self.mapping.source_id, code)
                    for code in passage.codes
                    if self.meaning_of(code) is None
                ),
                origin=passage.origin,
                places=places,
            )
        )

    def code_link(
        self,
        case: _Case,
        transcript: _Transcript,
        name: str,
        guid: str,
        first: Meaning | None,
        second: Meaning | None,
        spoken: dict[tuple[str, str], list[str]],
    ) -> None:
        """A curator claim for a project link between an action code and an outcome code, if this interview spoke of both."""
        ends = {m.kind: m for m in (first, second) if m is not None}
        action, outcome = ends.get(ACTION_TYPE), ends.get(OUTCOME_TYPE)
        if action is None or outcome is None:
            return
        themes = spoken.get((ACTION_TYPE, action.id), []) + spoken.get((OUTCOME_TYPE, outcome.id), [])
        if (ACTION_TYPE, action.id) not in spoken or (OUTCOME_TYPE, outcome.id) not in spoken:
            return
        action_id, outcome_id = self.action(case, action), self.outcome(case, outcome)
        note = (
            f"The project's coders linked the codes for {action.id!r} and {outcome.id!r} (REFI-QDA link {name!r}); "
            f"this interview has passages coded with each."
        )
        where = action.origin
        case.evidence.append(
            Evidence(
                f"{transcript.interview_id}-link-{guid[:8]}",
                note,
                sources=(SourceRef(self.mapping.source_id, f"link {name}", where),),
                interview=transcript.interview_id,
                themes=_unique(themes),
                actions=(action_id,),
                outcomes=(outcome_id,),
                links=(LinkClaim(action_id, outcome_id, "curator", note, where),),
                origin=where,
                places={"interview": transcript.origin},
            )
        )

    def type_themes(self, meaning: Meaning) -> tuple[str, ...]:
        entry = self.mapping.types.get(codebook_key(meaning.kind, meaning.id))
        return entry.themes if entry is not None else ()

    def _label(self, meaning: Meaning) -> str:
        entry = self.mapping.types.get(codebook_key(meaning.kind, meaning.id))
        return f"{entry.label if entry else meaning.id} (as reported in interviews: {self.mapping.title})"

    def action(self, case: _Case, meaning: Meaning) -> str:
        """The trust's action of this type as reported in the project's interviews (made on first mention)."""
        action_id = f"{self.mapping.source_id}-{meaning.id}"
        if action_id not in case.actions:
            source = SourceRef(self.mapping.source_id, origin=meaning.origin)
            themes = self.type_themes(meaning)
            case.actions[action_id] = Action(
                action_id,
                meaning.id,
                self._label(meaning),
                (source,),
                themes=themes,
                origin=meaning.origin,
                places={"type": meaning.origin},
            )
        return action_id

    def outcome(self, case: _Case, meaning: Meaning) -> str:
        outcome_id = f"{self.mapping.source_id}-{meaning.id}"
        if outcome_id not in case.outcomes:
            source = SourceRef(self.mapping.source_id, origin=meaning.origin)
            case.outcomes[outcome_id] = Outcome(
                outcome_id,
                meaning.id,
                self._label(meaning),
                (source,),
                origin=meaning.origin,
                places={"type": meaning.origin},
            )
        return outcome_id


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))
