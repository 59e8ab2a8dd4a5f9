"""N-Triples text of single terms, written directly rather than by a serialiser.

The build writes its triples as N-Triples text, which Oxigraph's bulk loader reads
into the store and which is the output file as it stands: making a Python object
per term (rdflib's or Oxigraph's), then having a serialiser write them out, was
most of a build at scale.

Text from the input is data, never syntax. Per the N-Triples grammar (RDF 1.1
N-Triples, productions STRING_LITERAL_QUOTE and IRIREF): in a string literal the
quote, the backslash, line feed and carriage return must be escaped, and every
other character may stand as itself; an IRI can hold no space, control character
or any of ``<>"{}|^`\\``, so one that does is refused rather than written.
"""

from __future__ import annotations

import re

from rdflib import XSD, BNode, Literal, URIRef
from rdflib.term import Node

#: The N-Triples escapes (ECHAR) of the characters a string literal cannot hold as themselves.
_ESCAPES = str.maketrans({'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r"})
_NEEDS_ESCAPE = re.compile(r'["\\\n\r]')
_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_XSD_STRING = str(XSD.string)


class Term(str):
    """A literal's N-Triples text, ready to write: unlike a plain ``str``, not a string still to be quoted."""

    __slots__ = ()


def iri(value: str) -> str:
    """``<value>``; raises ValueError for text that no IRI can be (the loaders' checks keep it out)."""
    if _NOT_IN_IRI.search(value) is not None:
        raise ValueError(f"{value!r} is not an IRI: it cannot be written as one")
    return f"<{value}>"


def quoted(text: str) -> str:
    """A string literal of ``text`` (xsd:string), escaped as the grammar requires."""
    if _NEEDS_ESCAPE.search(text) is not None:
        text = text.translate(_ESCAPES)
    return f'"{text}"'


def language_tagged(text: str, language: str) -> Term:
    return Term(f"{quoted(text)}@{language}")


def typed(lexical: str, datatype: str) -> Term:
    return Term(f"{quoted(lexical)}^^<{datatype}>")


def rdflib_term(node: Node, blank_labels: dict[BNode, str]) -> str:
    """Any rdflib term as N-Triples; each blank node is labelled in ``blank_labels``, in the order first met."""
    if isinstance(node, URIRef):
        return iri(node)
    if isinstance(node, BNode):
        label = blank_labels.get(node)
        if label is None:
            label = blank_labels[node] = f"_:b{len(blank_labels)}"
        return label
    if not isinstance(node, Literal):
        raise TypeError(f"not an RDF term: {node!r}")
    lexical = str(node)
    if node.language:
        return language_tagged(lexical, node.language)
    if node.datatype is None or str(node.datatype) == _XSD_STRING:
        return quoted(lexical)
    return typed(lexical, str(node.datatype))
