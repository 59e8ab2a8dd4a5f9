"""Every fixed term a query or script relies on is in the vocabulary it comes from.

A query names terms of the ontology (``tkg:``), of the reference vocabularies in
``ontology/vocab/`` (``theme:``, ``role:``, ``kq:``, ...), of the codebook (``outcome:``) and
of W3C vocabularies (``skos:``, ``prov:``, ...). A term renamed or removed there would make a
query quietly match nothing; here it fails. The queries with one column per vocabulary term
(``role-perspectives``: a column per group of roles) must have exactly the vocabulary's terms as
columns, and so must the script that reads them. ``theme-coverage`` names no theme: its themes
are those of the data, of every study's scheme.
"""

from __future__ import annotations

import importlib.util
import re
import warnings
from pathlib import Path

import pytest
from conftest import REPO
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, RDFS, SKOS, XSD, ClosedNamespace, DefinedNamespace
from rdflib.term import Node

from trustkg import api
from trustkg.ontology import CODEBOOK_BASE, DEF_BASE, OA, TKG, VOCAB_BASE, VOCABULARIES, schema_graph
from trustkg.queries.library import CHECKS_DIR, QUERY_DIR, LibraryQuery, parse_query_file

QUERIES = sorted([*QUERY_DIR.glob("*.rq"), *CHECKS_DIR.glob("*.rq")])

_PREFIX = re.compile(r"PREFIX\s+([A-Za-z][\w-]*)?:\s*<([^>]*)>", re.IGNORECASE)
_IRI = re.compile(r"<([^<>\s]*)>")
_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'')
_COMMENT = re.compile(r"#[^\n]*")
_PREFIXED = re.compile(r"(?<![\w?$:/.-])([A-Za-z][\w-]*):([A-Za-z_][\w-]*)")

#: W3C vocabularies rdflib knows term by term: a term not in them raises.
CLOSED = {str(namespace): namespace for namespace in (DCTERMS, OA, ORG, PROV, RDF, RDFS, SKOS, XSD)}


def fixed_terms(query: LibraryQuery) -> set[URIRef]:
    """Every IRI the SPARQL names (whole or prefixed), namespaces themselves left out."""
    text = query.sparql
    prefixes = dict(_PREFIX.findall(text))
    body = _PREFIX.sub(" ", text)
    terms = {URIRef(iri) for iri in _IRI.findall(body)}
    body = _COMMENT.sub(" ", _STRING.sub(" ", _IRI.sub(" ", body)))
    for prefix, local in _PREFIXED.findall(body):
        assert prefix in prefixes, f"{query.name}: prefix {prefix}: is not declared"
        terms.add(URIRef(prefixes[prefix] + local))
    return terms


def vocabulary_terms() -> set[Node]:
    schema = schema_graph()
    return {*schema.subjects(RDF.type, SKOS.Concept), *schema.subjects(RDF.type, SKOS.ConceptScheme)}


def vocabulary_ids_of(stem: str) -> set[str]:
    base = VOCABULARIES[stem]
    return {str(term).removeprefix(base) for term in vocabulary_terms() if str(term).startswith(base)}


def top_concepts(stem: str) -> list[str]:
    """The IDs of a vocabulary's top concepts, in notation order (then ID)."""
    schema = schema_graph()
    scheme = URIRef(VOCABULARIES[stem].rstrip("/"))
    found = [
        (str(schema.value(concept, SKOS.notation)), str(concept).removeprefix(VOCABULARIES[stem]))
        for concept in schema.subjects(SKOS.topConceptOf, scheme)
    ]
    return [identifier for _, identifier in sorted(found)]


def column_names(query: LibraryQuery) -> list[str]:
    return [column.name for column in query.columns]


def in_vocabulary(namespace: type[DefinedNamespace] | ClosedNamespace, local: str) -> bool:
    """Whether a closed namespace defines the term; rdflib raises for most unknown terms, warns for some (XSD)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            namespace[local]
        except (AttributeError, KeyError, UserWarning):
            return False
    return True


@pytest.mark.parametrize("path", QUERIES, ids=lambda path: path.stem)
def test_every_fixed_term_is_in_its_vocabulary(path: Path, query_graph: Graph) -> None:
    query = parse_query_file(path)
    vocabulary = vocabulary_terms()
    terms = fixed_terms(query)
    assert terms, "a query names at least one class or property"
    for term in terms:
        iri = str(term)
        if iri.startswith(DEF_BASE):
            assert in_vocabulary(TKG, iri.removeprefix(DEF_BASE)), f"{iri}: not in the ontology"
        elif iri.startswith(VOCAB_BASE):
            assert term in vocabulary, f"{iri}: not in ontology/vocab/"
        elif iri.startswith(CODEBOOK_BASE):
            # The codebook is data; the types a query names are those every codebook must define.
            assert (term, RDF.type, TKG.OutcomeType) in query_graph or (term, RDF.type, TKG.ActionType) in query_graph
        else:
            namespace = next((CLOSED[base] for base in CLOSED if iri.startswith(base)), None)
            assert namespace is not None, f"{iri}: from no vocabulary this test knows"
            assert in_vocabulary(namespace, iri.removeprefix(str(namespace))), f"{iri}: not in {namespace}"


def test_the_vocabulary_check_refuses_unknown_terms() -> None:
    assert in_vocabulary(SKOS, "broader") and in_vocabulary(XSD, "integer") and in_vocabulary(TKG, "trust")
    assert not any(in_vocabulary(namespace, "madeUpTerm") for namespace in (SKOS, XSD, PROV, TKG))
    assert URIRef(VOCAB_BASE + "theme/made-up") not in vocabulary_terms()


def test_the_term_reader_reads_prefixed_names_and_iris_not_comments_or_strings(tmp_path: Path) -> None:
    path = tmp_path / "probe.rq"
    path.write_text(
        "# title: Probe\n# question: Does the reader work?\n# column: x: a thing\n"
        "PREFIX theme: <https://w3id.org/trustkg/vocab/theme/>\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
        "SELECT ?x WHERE {\n  # theme:in-a-comment\n  ?x skos:broader theme:leadership ;\n"
        '     <https://w3id.org/trustkg/def/trust> ?t . FILTER(?t != "theme:in-a-string")\n}\n',
        encoding="utf-8",
    )
    assert fixed_terms(parse_query_file(path)) == {
        SKOS.broader,
        URIRef(VOCAB_BASE + "theme/leadership"),
        URIRef(DEF_BASE + "trust"),
    }


def test_theme_coverage_takes_its_themes_from_the_data(query_graph: Graph) -> None:
    """No theme is fixed in the query: its rows, and the API's matrix columns, are the themes the evidence has."""
    query = parse_query_file(QUERY_DIR / "theme-coverage.rq")
    assert column_names(query) == ["trust", "theme", "evidence"]
    assert not {term for term in fixed_terms(query) if str(term).startswith(VOCABULARIES["themes"])}
    tagged = {
        str(theme).removeprefix(VOCABULARIES["themes"])
        for predicate in (TKG.codedTheme, TKG.statedTheme)
        for theme in query_graph.objects(None, predicate)
    }
    matrix = api.theme_matrix(query_graph)
    assert matrix.columns[:2] == ["trust", "evidence"]
    assert matrix.columns[2:] == sorted(theme.replace("-", "_") for theme in tagged)


def test_role_perspectives_has_a_column_per_role_group() -> None:
    query = parse_query_file(QUERY_DIR / "role-perspectives.rq")
    groups = top_concepts("roles")
    assert len(groups) == 5
    columns = column_names(query)
    assert (columns[0], columns[-1]) == ("theme", "evidence")
    assert sorted(columns[1:-1]) == sorted(group.replace("-", "_") for group in groups)
    named = {str(term).removeprefix(VOCABULARIES["roles"]) for term in fixed_terms(query)}
    assert named & set(vocabulary_ids_of("roles")) == set(groups)


def test_themes_by_role_knows_exactly_the_role_groups() -> None:
    spec = importlib.util.spec_from_file_location("scripts_themes_by_role", REPO / "scripts" / "themes_by_role.py")
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    assert sorted(script.GROUPS) == sorted(top_concepts("roles"))
