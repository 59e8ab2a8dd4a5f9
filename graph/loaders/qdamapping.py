"""The mapping file of a coded-interview input: what a QDA project's codes and variables mean in trustkg.

The format is documented, with an example, in ``data/README.md`` ("Coded interviews"). One mapping
names one project (``project:``, a REFI-QDA ``.qdpx`` or ``.qde``) or one coded-segment table
(``table:``, a QualCoder or Taguette ``.csv`` or ``.xlsx``), relative to the mapping's folder, and says:

- ``source``: the project as a source document (ID, URL, title), which every item cites;
- ``codes``: code (GUID, ``Parent/Child`` path, or name) -> ``theme``, ``action_type`` or ``outcome_type``;
- ``codebook``: a trustkg ``codebook.yaml`` whose codes, exported with ``trustkg codebook``, are then
  recognised by their GUIDs with no entry under ``codes``;
- ``trust``, ``role``, ``date``: the project variable (of a source or its case) that gives each
  interview's trust (ODS code), interviewee's role and date, or one ``value`` for the whole project;
- ``interviews``: per source or document name, its trust, role and date (the only way for tables);
- ``trusts``: trusts no case file declares (name and trust type);
- ``coders``: ``pseudonyms`` (the default) or ``names``.

Every ID is checked here where the loader can see its list (themes, roles, trust types, and
codebook types when ``codebook`` is given), with a did-you-mean; codebook types and trusts named
for another input's records are checked once the inputs are merged.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import URIRef
from rdflib.namespace import SKOS

from trustkg.errors import did_you_mean
from trustkg.loaders.casefiles import read_codebook_types
from trustkg.loaders.checks import ProblemLog
from trustkg.loaders.yamlnodes import Fields, compose_file
from trustkg.ontology import VOCABULARIES, vocabulary_graph, vocabulary_ids, vocabulary_labels
from trustkg.qda import CodebookEntry, codebook_guid
from trustkg.records import DERIVED_OUTCOME_TYPES, CodebookType, Origin, PartialDate

THEME, ACTION_TYPE, OUTCOME_TYPE = "theme", "action_type", "outcome_type"
MEANINGS = (THEME, ACTION_TYPE, OUTCOME_TYPE)
#: The prefix of each kind of code in the codebook's GUID keys: ``theme/leadership``, ``action/qi-programme``.
_KEY_PREFIX = {THEME: "theme", ACTION_TYPE: "action", OUTCOME_TYPE: "outcome"}
_TOP = {THEME: "Themes", ACTION_TYPE: "Action types", OUTCOME_TYPE: "Outcome types"}
CODERS = ("pseudonyms", "names")


@dataclass(frozen=True)
class Meaning:
    """What one code means in trustkg: a theme, an action type or an outcome type, and where that was said."""

    kind: str  # THEME, ACTION_TYPE or OUTCOME_TYPE
    id: str
    origin: Origin


@dataclass(frozen=True)
class Attribute:
    """Where an interview's trust, role or date comes from: one variable, or one value for every interview."""

    variable: str | None
    value: str | None
    values: dict[str, str]  # the tool's value -> trustkg ID
    origin: Origin


@dataclass(frozen=True)
class InterviewFacts:
    """An interview's trust, role and date given in the mapping for one source or document."""

    trust: str | None
    role: str | None
    date: PartialDate | None
    origin: Origin


@dataclass(frozen=True)
class DeclaredTrust:
    ods: str
    name: str
    types: tuple[str, ...]
    origin: Origin


@dataclass(frozen=True)
class Mapping:
    file: str
    input: Path  # the project or table the mapping is for
    source_id: str
    url: str
    title: str
    publisher: str | None
    published: PartialDate | None
    codes: dict[str, Meaning]  # as written: GUID (normalised), path or name
    by_guid: dict[str, Meaning]  # trustkg codebook GUIDs -> meaning (themes always; types with ``codebook``)
    types: dict[str, CodebookType]  # the codebook's types, when ``codebook`` is given (for their themes)
    trust: Attribute | None
    role: Attribute | None
    date: Attribute | None
    interviews: dict[str, InterviewFacts]
    trusts: dict[str, DeclaredTrust]
    keep_coder_names: bool
    origin: Origin
    places: dict[str, Origin] = field(default_factory=dict)


def codebook_key(kind: str, type_id: str) -> str:
    """The key a trustkg code's GUID is made from (``codebook_guid``), e.g. ``action/qi-programme``."""
    return f"{_KEY_PREFIX[kind]}/{type_id}"


def read_mapping(path: Path, input_key: str, log: ProblemLog) -> Mapping | None:
    """Read a mapping naming its input under ``input_key`` (``project`` or ``table``); None if unusable."""
    display = str(path)
    node = compose_file(path, display, log)
    if node is None:
        if not any(p.file == display for p in log.problems):
            log.add(display, None, "(file)", "is empty")
        return None
    root = Fields(node, display, "", log)
    root.allow_only(
        (input_key, "source", "codebook", "codes", "trust", "role", "date", "interviews", "trusts", "coders")
    )
    input_name = root.text(input_key, required=True)
    source = root.mapping("source", required=True)
    source_fields = _source(source)
    types = _codebook(root, path.parent, log)
    codes = _codes(root, types)
    roles = vocabulary_ids("roles")
    coders = root.choice("coders", CODERS, "coders setting") or "pseudonyms"
    mapping_trusts = _trusts(root)
    trust = _attribute(root, "trust", None)
    role = _attribute(root, "role", roles)
    date = _attribute(root, "date", None)
    interviews = _interviews(root, roles)
    if input_name is None:
        return None
    # A broken source is reported above; the rest of the input is still read, to report all its problems.
    source_id, url, title, publisher, published = source_fields or ("(unreadable source)", "", "", None, None)
    return Mapping(
        display,
        path.parent / input_name,
        source_id,
        url,
        title,
        publisher,
        published,
        codes,
        _codebook_guids(types, root.origin),
        types,
        trust,
        role,
        date,
        interviews,
        mapping_trusts,
        coders == "names",
        root.origin,
        {"source": root.place("source")},
    )


def _source(source: Fields | None) -> tuple[str, str, str, str | None, PartialDate | None] | None:
    if source is None:
        return None
    source.allow_only(("id", "url", "title", "publisher", "published"))
    source_id = source.identifier("id", required=True)
    url = source.text("url", required=True)
    title = source.text("title", required=True)
    if url is not None and not url.startswith(("https://", "http://")):
        source.problem(source.sub("url"), source.line_for("url"), f"{url!r} is not an http(s) URL")
        url = None
    publisher, published = source.text("publisher"), source.date("published")
    if source_id is None or url is None or title is None:
        return None
    return source_id, url, title, publisher, published


def _codebook(root: Fields, folder: Path, log: ProblemLog) -> dict[str, CodebookType]:
    name = root.text("codebook")
    if name is None:
        return {}
    path = folder / name
    if not path.is_file():
        root.problem("codebook", root.line_for("codebook"), f"no codebook file {name!r} next to the mapping")
        return {}
    action_types, outcome_types = read_codebook_types(path, log)
    return {codebook_key(ACTION_TYPE, t.id): t for t in action_types} | {
        codebook_key(OUTCOME_TYPE, t.id): t for t in outcome_types
    }


def _codebook_guids(types: dict[str, CodebookType], origin: Origin) -> dict[str, Meaning]:
    keys = [codebook_key(THEME, theme) for theme in vocabulary_ids("themes")] + list(types)
    meanings: dict[str, Meaning] = {}
    for key in keys:
        prefix, _, type_id = key.partition("/")
        kind = next(kind for kind, written in _KEY_PREFIX.items() if written == prefix)
        if type_id not in DERIVED_OUTCOME_TYPES:
            meanings[codebook_guid(key)] = Meaning(kind, type_id, origin)
    return meanings


def _codes(root: Fields, types: dict[str, CodebookType]) -> dict[str, Meaning]:
    codes_node = root.mapping("codes")
    if codes_node is None:
        return {}
    known = {
        THEME: vocabulary_ids("themes"),
        ACTION_TYPE: {key.partition("/")[2] for key in types if key.startswith("action/")},
        OUTCOME_TYPE: {key.partition("/")[2] for key in types if key.startswith("outcome/")},
    }
    codes: dict[str, Meaning] = {}
    for code in codes_node.values:
        entry = codes_node.mapping(code, required=True)
        if entry is None:
            continue
        entry.allow_only(MEANINGS)
        given = [kind for kind in MEANINGS if entry.has(kind)]
        if len(given) != 1:
            entry.problem(entry.path, entry.line, "give exactly one of theme, action_type, outcome_type")
            continue
        kind = given[0]
        # Codebook types are checked here when the codebook is named, else once the inputs are merged.
        value = entry.choice(kind, known[kind], kind.replace("_", " ")) if known[kind] else entry.identifier(kind)
        if value in DERIVED_OUTCOME_TYPES:
            entry.problem(
                entry.sub(kind), entry.line_for(kind), f"{value!r} is derived from inspections; no code may carry it"
            )
        elif value is not None:
            codes[_guid_or_name(code)] = Meaning(kind, value, entry.place(kind))
    return codes


def _guid_or_name(code: str) -> str:
    """A code key as the loader compares it: a GUID normalised, a name or path as written."""
    try:
        return str(uuid.UUID(code.strip("{}")))
    except ValueError:
        return code


def _attribute(root: Fields, key: str, known: Collection[str] | None) -> Attribute | None:
    entry = root.mapping(key)
    if entry is None:
        return None
    entry.allow_only(("variable", "value", "values"))
    variable, value = entry.text("variable"), entry.text("value")
    if (variable is None) == (value is None):
        entry.problem(entry.path, entry.line, "give exactly one of variable and value")
        return None
    values: dict[str, str] = {}
    for written, meant, line in entry.scalar_pairs("values"):
        if known is not None and meant not in known:
            entry.problem(
                f"{entry.sub('values')}.{written}", line, f"unknown {key} {meant!r}" + did_you_mean(meant, known)
            )
        else:
            values[written] = meant
    if value is not None and known is not None and value not in known:
        entry.problem(
            entry.sub("value"), entry.line_for("value"), f"unknown {key} {value!r}" + did_you_mean(value, known)
        )
        return None
    return Attribute(variable, value, values, entry.place("variable" if variable is not None else "value"))


def _interviews(root: Fields, roles: Collection[str]) -> dict[str, InterviewFacts]:
    node = root.mapping("interviews")
    if node is None:
        return {}
    facts: dict[str, InterviewFacts] = {}
    for name in node.values:
        entry = node.mapping(name, required=True)
        if entry is None:
            continue
        entry.allow_only(("trust", "role", "date"))
        facts[name] = InterviewFacts(
            entry.text("trust"), entry.choice("role", roles, "role"), entry.date("date"), entry.origin
        )
    return facts


def _trusts(root: Fields) -> dict[str, DeclaredTrust]:
    node = root.mapping("trusts")
    if node is None:
        return {}
    types = vocabulary_ids("trust-types")
    trusts: dict[str, DeclaredTrust] = {}
    for ods in node.values:
        entry = node.mapping(ods, required=True)
        if entry is None:
            continue
        entry.allow_only(("name", "type"))
        name = entry.text("name", required=True)
        trust_types = entry.choices("type", types, "trust type", required=True)
        if name is not None and trust_types:
            trusts[ods] = DeclaredTrust(ods, name, trust_types, entry.origin)
    return trusts


# --- the trustkg codebook as REFI-QDA codes --------------------------------------------------


def codebook_entries(
    action_types: Collection[CodebookType], outcome_types: Collection[CodebookType]
) -> list[CodebookEntry]:
    """The trustkg codebook as REFI-QDA codes: themes, action types and outcome types, each under its heading.

    Entry IDs are the keys of :func:`codebook_key`, so each code's GUID is recognised when a project
    coded with it is loaded back. The outcome types derived from inspections are left out: no
    passage may be coded with them.
    """
    entries = [CodebookEntry(f"top/{kind}", _TOP[kind], f"trustkg {_TOP[kind].lower()}") for kind in MEANINGS]
    themes, base = vocabulary_graph("themes"), VOCABULARIES["themes"]
    for theme_id, label in sorted(vocabulary_labels("themes").items()):
        concept = URIRef(base + theme_id)
        definition, broader = themes.value(concept, SKOS.definition), themes.value(concept, SKOS.broader)
        parent = codebook_key(THEME, str(broader)[len(base) :]) if broader is not None else f"top/{THEME}"
        entries.append(CodebookEntry(codebook_key(THEME, theme_id), label, str(definition or "") or None, parent))
    for kind, types in ((ACTION_TYPE, action_types), (OUTCOME_TYPE, outcome_types)):
        for entry in types:
            if entry.id in DERIVED_OUTCOME_TYPES:
                continue
            under_derived = entry.broader is None or entry.broader in DERIVED_OUTCOME_TYPES
            parent = f"top/{kind}" if under_derived else codebook_key(kind, str(entry.broader))
            entries.append(CodebookEntry(codebook_key(kind, entry.id), entry.label, entry.definition, parent))
    return entries
