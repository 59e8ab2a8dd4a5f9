"""The part of a graph that one study is about: its trusts, and everything else but other trusts' records.

Instance IRIs hang off the trust's ODS code (``trustkg.iris``), so a triple belongs to another trust
when its subject or object is that trust or one of its records. Schema, vocabularies, codebook and
documents are kept whole: a page or an export of the study still has every label and definition.
"""

from __future__ import annotations

from collections.abc import Iterator

from rdflib import Graph, URIRef
from rdflib.term import Node

from trustkg import iris
from trustkg.ontology import ID_BASE, TKG
from trustkg.sparql import params

_TRUSTS = ID_BASE + "trust/"


def study_triples(graph: Graph, study_id: str) -> Iterator[tuple[Node, Node, Node]]:
    """Every triple of ``graph`` except those about a trust the study does not name (an unknown study raises)."""
    study = params.convert("study", study_id, graph)
    studied = set(graph.objects(study, TKG.studiedTrust))

    def outside(term: Node) -> bool:
        text = str(term)
        if not isinstance(term, URIRef) or not text.startswith(_TRUSTS):
            return False
        return iris.trust(text.removeprefix(_TRUSTS).split("/", 1)[0]) not in studied

    for subject, predicate, value in graph:
        if not outside(subject) and not outside(value):
            yield subject, predicate, value
