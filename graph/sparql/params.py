"""Turning what a user types into RDF terms, checked against the vocabularies and the graph.

A parameter value never reaches SPARQL as text: it becomes an rdflib term here
(an IRI from ``trustkg.iris`` or a typed literal), or the user gets an error
saying what was expected.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass

from rdflib import XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS
from rdflib.term import Node

from trustkg import iris
from trustkg.errors import QueryError, shown
from trustkg.loaders.yamlnodes import parse_partial_date
from trustkg.ontology import TKG, VOCABULARIES, vocabulary_ids


@dataclass(frozen=True)
class ParamType:
    """How one parameter type is converted and what its valid values are."""

    description: str
    convert: Callable[[str, Graph], Node]


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

    return ParamType(f"an {kind} ID from the codebook", convert)


def _extensible(stem: str, cls: URIRef, kind: str, mint: Callable[[str], URIRef]) -> ParamType:
    """A vocabulary the data may extend: the package's IDs and those a study brings in the graph queried."""

    def convert(value: str, graph: Graph) -> Node:
        base = VOCABULARIES[stem]
        known = set(vocabulary_ids(stem)) | {
            str(term).removeprefix(base) for term in graph.subjects(RDF.type, cls) if str(term).startswith(base)
        }
        return mint(_choose(kind, value, known))

    return ParamType(f"a {kind} ID, of the package's vocabulary or one a study brings", convert)


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


def _trust(value: str, graph: Graph) -> Node:
    # The trust itself is looked up first: listing every trust's code (for the error's hint) grows with the graph.
    code = value.upper()
    if graph.value(iris.trust(code), TKG.odsCode) is not None:
        return iris.trust(code)
    known = {str(other) for other in graph.objects(None, TKG.odsCode)}
    return iris.trust(_choose("trust (ODS code)", code, known))


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
    "study": ParamType("a study's ID, as in sources.yaml, e.g. driving-improvement-2017", _study),
    "role": _extensible("roles", TKG.Role, "role", iris.role),
    "key-question": _vocabulary("key-questions", "key question", iris.key_question),
    "rating-level": _vocabulary("rating-levels", "rating level", iris.rating_level),
    "trust-type": _vocabulary("trust-types", "trust type", iris.trust_type),
    "source-kind": _vocabulary("source-kinds", "source kind", iris.source_kind),
    "action-type": _codebook("action type", TKG.ActionType, iris.action_type),
    "outcome-type": _codebook("outcome type", TKG.OutcomeType, iris.outcome_type),
    "trust": ParamType("an ODS code of a trust in the graph, e.g. RGT", _trust),
    "integer": ParamType("a whole number", _integer),
    "date": ParamType("a date: YYYY, YYYY-MM or YYYY-MM-DD", _date),
    "string": ParamType("any text", _string),
    "boolean": ParamType("true or false", _boolean),
    "support-grade": _vocabulary("support-grades", "support grade", iris.support_grade),
    "class": ParamType("a class of the trustkg ontology, e.g. LeadershipAction", _ontology_class),
}


def convert(type_name: str, value: str, graph: Graph) -> Node:
    try:
        param_type = PARAM_TYPES[type_name]
    except KeyError:
        raise QueryError(f"unknown parameter type {type_name!r}; known: {', '.join(sorted(PARAM_TYPES))}") from None
    return param_type.convert(value, graph)
