"""trustkg.sparql.terms makes the same rdflib terms as oxrdflib's converter, only faster.

Each term is compared on everything rdflib keeps or derives: its type, its text, language, datatype,
Python value and well-formedness, equality both ways, hash and N3. The strings and tags are chosen to
be awkward (empty, whitespace, quotes, escapes, control characters, non-Latin scripts, astral
characters, long tags). A whole answer read at once has, cell for cell, the terms oxrdflib makes of
its cells.
"""

from __future__ import annotations

import gc

import pyoxigraph as ox
import pytest
from oxrdflib._converter import from_ox
from rdflib import Literal
from rdflib.term import Node

from trustkg.sparql.terms import answer_rows, rdflib_term

TEXTS = [
    "",
    " ",
    "A made-up statement about trust 1.",
    '  leading and trailing "quotes" \\ back\\slash\t\n\r  ',
    "Ünïcödé: Ελληνικά, 中文, العربية, emoji 🦔, astral \U0001d518",
    "line one\nline two",
    "1",
    "true",
    "2017-01-01",
    "<not an IRI>",
    "x" * 5000,
    "control \x00\x01\x1f\x7f and separators \u2028\u2029\x85\x0b\x0c",
    "\\t is not a tab, \\n is not a line end, \\u0041 is not A",
]
LANGUAGES = ["en", "EN-gb", "de-CH-1901", "zh-Hant-TW", "x-private", "sgn-BE-FR", "i-klingon"]
IRIS = [
    "https://w3id.org/trustkg/id/trust/RGT",
    "https://w3id.org/trustkg/id/trust/0XW/evidence/t1220-e28/link/0",
    "http://example.org/a?b=c&d=e#frag",
    "https://example.org/ünïcödé/%20path",
    "urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66",
    "mailto:someone@example.org",
]
OTHER_LITERALS = [
    ox.Literal("12", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
    ox.Literal("012", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
    ox.Literal("not a number", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
    ox.Literal("true", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")),
    ox.Literal("2017-03-01", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")),
    ox.Literal("a  token ", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#token")),
    ox.Literal("anything", datatype=ox.NamedNode("https://example.org/unknown-datatype")),
]


def _assert_identical(made: Node, expected: Node) -> None:
    assert type(made) is type(expected)
    assert str(made) == str(expected)
    assert made == expected
    assert expected == made
    assert hash(made) == hash(expected)
    assert made.n3() == expected.n3()
    if isinstance(expected, Literal):
        assert isinstance(made, Literal)
        assert made.language == expected.language
        assert made.datatype == expected.datatype
        assert type(made.datatype) is type(expected.datatype)
        assert made.value == expected.value
        assert type(made.value) is type(expected.value)
        assert made.ill_typed == expected.ill_typed
        assert made.eq(expected)


def _terms() -> list[ox.NamedNode | ox.BlankNode | ox.Literal]:
    terms: list[ox.NamedNode | ox.BlankNode | ox.Literal] = [ox.NamedNode(iri) for iri in IRIS]
    terms += [ox.Literal(text) for text in TEXTS]
    terms += [ox.Literal(text, language=language) for text in TEXTS for language in LANGUAGES]
    terms += OTHER_LITERALS
    terms.append(ox.BlankNode("b0"))
    return terms


@pytest.mark.parametrize("term", _terms(), ids=repr)
def test_each_term_is_made_as_oxrdflib_makes_it(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> None:
    _assert_identical(rdflib_term(term), from_ox(term))  # type: ignore[arg-type]


def test_the_terms_of_a_real_answer_are_made_as_oxrdflib_makes_them() -> None:
    store = ox.Store()
    subject = ox.NamedNode("https://example.org/item")
    for number, text in enumerate(TEXTS):
        predicate = ox.NamedNode(f"https://example.org/p{number}")
        store.add(ox.Quad(subject, predicate, ox.Literal(text, language="en")))
        store.add(ox.Quad(subject, predicate, ox.Literal(text)))
    answer = store.query(
        "SELECT ?p ?o (STR(?o) AS ?plain) (LANG(?o) AS ?lang) (CONCAT(STR(?o), '!') AS ?joined) WHERE { ?s ?p ?o }"
    )
    cells = [cell for row in answer for cell in row if cell is not None]
    assert len(cells) == 5 * 2 * len(TEXTS)
    for cell in cells:
        _assert_identical(rdflib_term(cell), from_ox(cell))  # type: ignore[arg-type]


def _cells(store: ox.Store, query: str) -> list[tuple[Node | None, ...]]:
    """The answer made term by term, cell by cell, by oxrdflib's converter."""
    return [tuple(None if cell is None else from_ox(cell) for cell in row) for row in store.query(query)]  # type: ignore[arg-type, union-attr]


def _awkward_store() -> ox.Store:
    store = ox.Store()
    item = ox.NamedNode("https://example.org/item")
    for number, term in enumerate([*_terms(), ox.Triple(item, item, ox.Literal("a\tb", language="en"))]):
        subject = ox.NamedNode(f"https://example.org/s{number % 7}")  # a few subjects, so that cells repeat
        store.add(ox.Quad(subject, ox.NamedNode(f"https://example.org/p{number}"), term))
    return store


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?s ?p ?o WHERE { ?s ?p ?o }",
        # Unbound cells, in every place of a row, and rows with nothing bound.
        "SELECT ?o ?lang ?s WHERE { ?s ?p ?o OPTIONAL { FILTER(LANG(?o) != '') BIND(LANG(?o) AS ?lang) } }",
        "SELECT ?x ?y WHERE { VALUES (?x ?y) { (UNDEF UNDEF) (UNDEF UNDEF) (1 UNDEF) } }",
        "SELECT ?x WHERE { VALUES ?x { UNDEF '' } }",
        # Terms an engine makes: numbers, strings, and the same term in many rows.
        "SELECT (STR(?o) AS ?text) (STRLEN(STR(?o)) AS ?length) (?length / 2 AS ?half) (?length > 3 AS ?long)"
        " WHERE { ?s ?p ?o }",
        "SELECT ?s (COUNT(*) AS ?n) (GROUP_CONCAT(STR(?o); separator='\t') AS ?all) WHERE { ?s ?p ?o } GROUP BY ?s",
        # No columns, no rows.
        "SELECT * WHERE { }",
        "SELECT * WHERE { VALUES ?x { } }",
        "SELECT ?s WHERE { ?s ?p ?o FILTER(false) }",
    ],
)
def test_an_answer_read_at_once_has_the_terms_of_its_cells(query: str) -> None:
    store = _awkward_store()
    expected = _cells(store, query)
    answer = store.query(query)
    assert isinstance(answer, ox.QuerySolutions)
    made = answer_rows(answer)
    assert len(made) == len(expected)
    for made_row, expected_row in zip(made, expected, strict=True):
        assert len(made_row) == len(expected_row)
        for made_cell, expected_cell in zip(made_row, expected_row, strict=True):
            if expected_cell is None:
                assert made_cell is None
            elif isinstance(expected_cell, tuple):  # oxrdflib makes a quoted triple a tuple of terms
                assert made_cell == expected_cell
            else:
                assert made_cell is not None
                _assert_identical(made_cell, expected_cell)


def test_reading_an_answer_leaves_the_garbage_collector_as_it_was() -> None:
    store = _awkward_store()
    for enabled in (True, False):
        (gc.enable if enabled else gc.disable)()
        try:
            answer = store.query("SELECT * WHERE { ?s ?p ?o }")
            assert isinstance(answer, ox.QuerySolutions)
            assert answer_rows(answer)
            assert gc.isenabled() is enabled
        finally:
            gc.enable()
