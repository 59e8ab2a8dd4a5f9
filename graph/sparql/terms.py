"""pyoxigraph terms as rdflib terms: the common kinds made directly, without rdflib re-checking Oxigraph's work.

oxrdflib's converter builds every term through rdflib's constructors, which check again what Oxigraph
has already checked and normalised: an IRI for characters no IRI can hold, a language tag against its
grammar, and a string's lexical form cast to a Python value and back (which, for a string, gives the
same text). For the kinds of term that answers are made of (IRIs, language-tagged strings and
``xsd:string`` literals), the outcome of those steps is known in advance, so the term is made directly,
some ten times faster: ``search-evidence`` at 1,220 synthetic trusts makes 34,000 statements and
34,000 item IRIs. Every other term (numbers, dates, blank nodes) goes through oxrdflib's converter.

A whole answer is read by :func:`answer_rows`, which makes each distinct term once.

tests/test_oxigraph_terms.py checks that both ways give identical terms: type, text, language,
datatype, Python value, well-formedness, equality, hash and N3, over awkward strings and tags; and that
an answer's rows are the terms of its cells.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import chain

import pyoxigraph as ox
from oxrdflib._converter import from_ox  # oxrdflib's own mapping, not public API
from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

_OX_XSD_STRING = ox.NamedNode(str(XSD.string))
_TSV = ox.QueryResultsFormat.TSV


def rdflib_term(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Node:
    """The rdflib term equal to ``term``, as oxrdflib's converter makes it."""
    if isinstance(term, ox.NamedNode):
        return _iri(term.value)
    if isinstance(term, ox.Literal):
        language = term.language
        if language is not None:
            return _string_literal(term.value, language, None, None)
        if term.datatype == _OX_XSD_STRING:
            # rdflib marks a recognised datatype's literal well-typed (ill_typed False); every string is.
            return _string_literal(term.value, None, XSD.string, False)
    return from_ox(term)  # type: ignore[return-value]


def _iri(text: str) -> URIRef:
    # URIRef's constructor only warns about characters Oxigraph never lets into an IRI.
    return str.__new__(URIRef, text)


def _string_literal(text: str, language: str | None, datatype: URIRef | None, ill_typed: bool | None) -> Literal:
    """What ``Literal(text, lang=language, datatype=datatype)`` makes of a string: the text is its own value."""
    literal = str.__new__(Literal, text)
    literal._language = language
    literal._datatype = datatype
    literal._value = text
    literal._ill_typed = ill_typed
    return literal


def answer_rows(answer: ox.QuerySolutions) -> list[tuple[Node | None, ...]]:
    """The rows of a SELECT answer (read in full) as rdflib terms, ``None`` where a variable is unbound.

    Oxigraph writes the whole answer as SPARQL results TSV in one call, and Python splits it into cells
    in C. Going through the answer cell by cell made a Python object for every cell, then looked it up
    among the terms already made: at 34,160 rows of five cells (``search-evidence`` at 1,220 synthetic
    trusts) that cost more than Oxigraph took to list the rows. Each distinct cell is made a term once:
    an IRI from its text between the angle brackets (TSV writes an IRI as it is), any other term read
    back by Oxigraph's own TSV parser and made by :func:`rdflib_term`, as the cell itself would be.
    """
    width = len(answer.variables)
    with _collection_paused():
        written = answer.serialize(format=_TSV)
        assert written is not None  # given no output, serialize returns the bytes
        lines = written.decode().split("\n")[1:-1]  # after the header; each row ends a line
        if width == 0:
            return [()] * len(lines)
        table = [line.split("\t") for line in lines]
        distinct = dict.fromkeys(chain.from_iterable(table))
        distinct.pop("", None)  # an empty cell is an unbound variable
        # "<<" opens a quoted triple, not an IRI.
        terms: dict[str, Node | None] = {
            cell: _iri(cell[1:-1]) for cell in distinct if cell[0] == "<" and cell[1] != "<"
        }
        unread = [cell for cell in distinct if cell not in terms]
        if unread:
            read = ox.parse_query_results("?term\n" + "\n".join(unread) + "\n", format=_TSV)
            assert isinstance(read, ox.QuerySolutions), "TSV holds solutions"
            terms.update(zip(unread, (rdflib_term(solution[0]) for solution in read), strict=True))
        terms[""] = None
        term = terms.__getitem__
        return [tuple(map(term, cells)) for cells in table]


@contextmanager
def _collection_paused() -> Iterator[None]:
    """Python's cyclic garbage collector held off while a large answer's rows are made.

    Every few hundred new rows and literals start a collection that walks them again, and none of them
    can be garbage: making 34,160 rows took 0.25 s with the collector on, 0.08 s with it off. It is
    switched off for the whole process only while the rows are made (collecting nothing meanwhile, in
    any thread), and back on after, unless something else had switched it off.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
