"""Turning what a user types into RDF terms, checked against the vocabularies and the graph.

A parameter value never reaches SPARQL as text: it becomes an rdflib term here
(an IRI from ``trustkg.iris`` or a typed literal), or the user gets an error
saying what was expected.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from rdflib import XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS
from rdflib.term import Node

from trustkg import iris
from trustkg.errors import QueryError, shown
from trustkg.loaders.yamlnodes import parse_partial_date
from trustkg.ontology import TKG, VOCABULARIES, vocabulary_ids


@dataclass(frozen=True)
class Lookup:
    """One value's check against the graph, a group of SPARQL the graph matches only if the value is valid.

    ``given`` is bound to ``?given`` and ``found`` (when the term is known before asking) to ``?found``; a
    pattern that finds the term itself binds ``?found``. The terms are bound by ``VALUES``, never spliced.
    """

    pattern: str
    given: Node | None = None
    found: Node | None = None


@dataclass(frozen=True)
class ParamType:
    """How one parameter type is converted and what its valid values are.

    A type whose valid values are in the graph also offers ``lookup``: the check of one value, so that
    all of a query's parameters are checked in one question (on a remote store each question is a
    request). ``convert`` stays the whole rule; it lists the known values only to explain a bad one.
    """

    description: str
    convert: Callable[[str, Graph], Node]
    lookup: Callable[[str], Lookup | None] | None = None


def _choose(kind: str, value: str, known: set[str] | frozenset[str]) -> str:
    if value in known:
        return value
    close = difflib.get_close_matches(value, sorted(known), n=3, cutoff=0.6)
    hint = f"; did you mean {' or '.join(map(repr, close))}?" if close else ""
    listing = ", ".join(sorted(known)) if len(known) <= 40 else f"{len(known)} values"
    raise QueryError(f"unknown {kind} {value!r}{hint} (known: {listing})")


def _vocabulary(stem: str, kind: str, mint: Callable[[str], URIRef]) -> ParamType:
    def convert(value: str, _graph: Graph) -> Node:
        return mint(_choose(kind, value, vocabulary_ids(stem)))

    return ParamType(f"a {kind} ID", convert)


def _codebook(kind: str, cls: URIRef, mint: Callable[[str], URIRef]) -> ParamType:
    """Codebook types are data: the valid IDs are those in the graph being queried."""

    def convert(value: str, graph: Graph) -> Node:
        # One query, not a read per type: on a remote store (--store URL) each read is a request.
        found = graph.query(f"SELECT ?id WHERE {{ ?type a {cls.n3()} ; {SKOS.notation.n3()} ?id }}")
        known = {str(row[0]) for row in found}  # type: ignore[index]
        return mint(_choose(kind, value, known))

    def lookup(value: str) -> Lookup:
        pattern = f"?type a {cls.n3()} ; {SKOS.notation.n3()} ?id . FILTER(STR(?id) = ?given)"
        return Lookup(pattern, given=Literal(value), found=mint(value))

    return ParamType(f"an {kind} ID from the codebook", convert, lookup)


def _extensible(stem: str, cls: URIRef, kind: str, mint: Callable[[str], URIRef]) -> ParamType:
    """A vocabulary the data may extend: the package's IDs and those a study brings in the graph queried."""

    base = VOCABULARIES[stem]

    def convert(value: str, graph: Graph) -> Node:
        if value in vocabulary_ids(stem):
            return mint(value)
        known = set(vocabulary_ids(stem)) | {
            str(term).removeprefix(base) for term in graph.subjects(RDF.type, cls) if str(term).startswith(base)
        }
        return mint(_choose(kind, value, known))

    def lookup(value: str) -> Lookup | None:
        # The package's own IDs need no graph; a study's is a term of the vocabulary's namespace the graph types.
        return None if value in vocabulary_ids(stem) else Lookup(f"?found a {cls.n3()}", found=URIRef(base + value))

    return ParamType(f"a {kind} ID, of the package's vocabulary or one a study brings", convert, lookup)


def _study(value: str, graph: Graph) -> Node:
    """A study by its source ID, as the data declares it: the document it is in the graph."""
    studies = {
        str(identifier): study
        for study in graph.subjects(RDF.type, TKG.Study)
        for identifier in graph.objects(study, DCTERMS.identifier)
    }
    chosen = _choose("study", value, set(studies))
    node = studies[chosen]
    assert isinstance(node, URIRef), "a study is a document, named by its URL"
    return node


def _study_lookup(value: str) -> Lookup:
    pattern = f"?found a {TKG.Study.n3()} ; {DCTERMS.identifier.n3()} ?id . FILTER(STR(?id) = ?given)"
    return Lookup(pattern, given=Literal(value))


#: What an IRI written as ``<...>`` may hold (SPARQL's IRIREF): a value making any other IRI is left to ``convert``.
_IRI_TEXT = re.compile(r'[^<>"{}|^`\\\x00-\x20]*')


def _writable(term: Node | None) -> bool:
    # A value typed with a '>' or a space makes no IRI: rdflib refuses to write one in SPARQL (a remote store's
    # every read is SPARQL), and no such term is in the graph.
    return not isinstance(term, URIRef) or _IRI_TEXT.fullmatch(term) is not None


def _trust(value: str, graph: Graph) -> Node:
    # The trust itself is looked up first: listing every trust's code (for the error's hint) grows with the graph.
    code = value.upper()
    if _writable(iris.trust(code)) and graph.value(iris.trust(code), TKG.odsCode) is not None:
        return iris.trust(code)
    known = {str(other) for other in graph.objects(None, TKG.odsCode)}
    return iris.trust(_choose("trust (ODS code)", code, known))


def _trust_lookup(value: str) -> Lookup:
    return Lookup(f"?found {TKG.odsCode.n3()} ?code", found=iris.trust(value.upper()))


#: Digits a whole-number parameter may have: Python refuses to read more than 4,300.
_MAX_DIGITS = 18


def _integer(value: str, _graph: Graph) -> Node:
    if not re.fullmatch(rf"[+-]?\d{{1,{_MAX_DIGITS}}}", value.strip(), re.ASCII):
        raise QueryError(f"{shown(value)!r} is not a whole number of at most {_MAX_DIGITS} digits")
    return Literal(int(value), datatype=XSD.integer)


def _date(value: str, _graph: Graph) -> Node:
    # The loader's rule, so a date the case files would reject is rejected here too.
    problems: list[str] = []
    date = parse_partial_date(value.strip(), problems.append)
    if date is None:
        raise QueryError(problems[0])
    # Compared as ISO text in queries, so the lexical form is what matters.
    return Literal(date.iso())


def _boolean(value: str, _graph: Graph) -> Node:
    words = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}
    if value.strip().lower() not in words:
        raise QueryError(f"{value!r} is not true or false")
    return Literal(words[value.strip().lower()])


def _string(value: str, _graph: Graph) -> Node:
    return Literal(value)


def _ontology_class(value: str, _graph: Graph) -> Node:
    try:
        return TKG[value]
    except KeyError:
        classes = sorted(name for name in dir(TKG) if name[:1].isupper())
        return TKG[_choose("ontology class", value, set(classes))]


PARAM_TYPES: dict[str, ParamType] = {
    "theme": _extensible("themes", TKG.Theme, "theme", iris.theme),
    "study": ParamType("a study's ID, as in sources.yaml, e.g. driving-improvement-2017", _study, _study_lookup),
    "role": _extensible("roles", TKG.Role, "role", iris.role),
    "key-question": _vocabulary("key-questions", "key question", iris.key_question),
    "rating-level": _vocabulary("rating-levels", "rating level", iris.rating_level),
    "trust-type": _vocabulary("trust-types", "trust type", iris.trust_type),
    "source-kind": _vocabulary("source-kinds", "source kind", iris.source_kind),
    "action-type": _codebook("action type", TKG.ActionType, iris.action_type),
    "outcome-type": _codebook("outcome type", TKG.OutcomeType, iris.outcome_type),
    "trust": ParamType("an ODS code of a trust in the graph, e.g. RGT", _trust, _trust_lookup),
    "integer": ParamType("a whole number", _integer),
    "date": ParamType("a date: YYYY, YYYY-MM or YYYY-MM-DD", _date),
    "string": ParamType("any text", _string),
    "boolean": ParamType("true or false", _boolean),
    "support-grade": _vocabulary("support-grades", "support grade", iris.support_grade),
    "class": ParamType("a class of the trustkg ontology, e.g. LeadershipAction", _ontology_class),
}


def _param_type(type_name: str) -> ParamType:
    try:
        return PARAM_TYPES[type_name]
    except KeyError:
        raise QueryError(f"unknown parameter type {type_name!r}; known: {', '.join(sorted(PARAM_TYPES))}") from None


def convert(type_name: str, value: str, graph: Graph) -> Node:
    return _param_type(type_name).convert(value, graph)


def _branch(index: int, lookup: Lookup) -> str:
    bound = {"index": Literal(index), "given": lookup.given, "found": lookup.found}
    names = " ".join(f"?{name}" for name, term in bound.items() if term is not None)
    terms = " ".join(term.n3() for term in bound.values() if term is not None)
    return f"{{ VALUES ({names}) {{ ({terms}) }} {lookup.pattern} }}"


def _found_in_graph(lookups: Mapping[int, Lookup], graph: Graph) -> dict[int, Node]:
    """The term each lookup finds, by its index, asked in one query: a value the graph lacks is left out."""
    if not lookups:
        return {}
    union = "\n  UNION ".join(_branch(index, lookup) for index, lookup in lookups.items())
    found: dict[int, Node] = {}
    for index, term in graph.query(f"SELECT ?index ?found WHERE {{\n  {union}\n}}"):  # type: ignore[misc]
        found[int(index)] = term
    return found


def convert_all(typed_values: Sequence[tuple[str, str]], graph: Graph) -> Iterator[Node]:
    """Each ``(type, value)`` converted, in order; the values the graph decides are checked in one query.

    A value that check does not find goes through its type's whole rule, which raises the error that
    names the known values; so the first bad value in order raises, as converting one by one would.
    """
    types = [_param_type(type_name) for type_name, _value in typed_values]
    lookups: dict[int, Lookup] = {}
    for index, (param_type, (_type_name, value)) in enumerate(zip(types, typed_values, strict=True)):
        lookup = param_type.lookup(value) if param_type.lookup is not None else None
        if lookup is not None and _writable(lookup.found):
            lookups[index] = lookup
    found = _found_in_graph(lookups, graph)
    for index, (param_type, (_type_name, value)) in enumerate(zip(types, typed_values, strict=True)):
        yield found[index] if index in found else param_type.convert(value, graph)
