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

#: The N-Triples escapes (ECHAR) of the characters a string literal cannot hold as themselves.
_ESCAPES = str.maketrans({'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r"})
_NEEDS_ESCAPE = re.compile(r'["\\\n\r]')
_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')


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
