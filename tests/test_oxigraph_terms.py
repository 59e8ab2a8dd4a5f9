"""trustkg.sparql.terms makes the same rdflib terms as oxrdflib's converter, only faster.

Each term is compared on everything rdflib keeps or derives: its type, its text, language, datatype,
Python value and well-formedness, equality both ways, hash and N3. The strings and tags are chosen to
be awkward (empty, whitespace, quotes, escapes, non-Latin scripts, astral characters, long tags).
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from oxrdflib._converter import from_ox
from rdflib import Literal
from rdflib.term import Node

from trustkg.sparql.terms import rdflib_term

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
