"""Query results as short, hand-writable values, for comparing with answers worked out by hand.

IRIs become the IDs used in the fixture's case files: ``ZZ1`` for a trust, ``a-walkabouts``
for an action, ``well-led@a-2016`` for a rating change (the case files' own syntax),
``visible-leadership`` or ``rating-improved/well-led`` for a codebook type, ``leadership``
for a vocabulary term. Numbers stay numbers; other literals become their text.
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef

from trustkg import api
from trustkg.iris import local_name
from trustkg.ontology import CODEBOOK_BASE, ID_BASE, VOCAB_BASE
from trustkg.sparql import Cell

Short = str | int | float | bool | None


def short(cell: Cell) -> Short:
    if cell is None:
        return None
    if isinstance(cell, Literal):
        value = cell.toPython()
        return value if isinstance(value, int | float | bool) else str(cell)
    text = str(cell)
    if isinstance(cell, URIRef) and text.startswith(ID_BASE + "trust/"):
        parts = text.removeprefix(ID_BASE + "trust/").split("/")
        if len(parts) == 1:
            return parts[0]
        if parts[1] == "rating-change":
            return f"{parts[2]}@{parts[3]}"
        return parts[-1]
    for base in (CODEBOOK_BASE + "action/", CODEBOOK_BASE + "outcome/"):
        if text.startswith(base):
            return text.removeprefix(base)
    if text.startswith(VOCAB_BASE):
        return local_name(text)
    return text


def rows(graph: Graph, name: str, **params: str | int) -> list[tuple[Short, ...]]:
    """Run a library query through the Python API; every row as a tuple of short values."""
    table = api.query(graph, name, **params)
    return [tuple(short(cell) for cell in row) for row in table.rows]


def listed(text: Short) -> set[str]:
    """A comma-separated column (GROUP_CONCAT, whose order SPARQL leaves open) as a set."""
    assert isinstance(text, str)
    return {part.strip() for part in text.split(",")} if text else set()


#: The columns of actions-to-outcomes: its first two name the link, the rest are its support profile and grade.
LINK_COLUMNS = [
    "action_type",
    "outcome_type",
    "evidence",
    "trusts",
    "roles",
    "source_kinds",
    "independent_sources",
    "role_kinds",
    "stated",
    "contradictions",
    "grade",
]
