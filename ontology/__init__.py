"""The trustkg schema: namespaces, reference vocabularies and load helpers.

Everything else in trustkg conforms to this package, and it imports nothing of
ours. The namespaces are *closed*: they are read from the Turtle files at import
time, so ``TKG.Trsut`` or ``THEME["leadrship"]`` raises instead of minting an
IRI that the ontology does not declare.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, RDFS, SKOS, XSD, ClosedNamespace

HERE = Path(__file__).resolve().parent
ONTOLOGY_FILE = HERE / "trustkg.ttl"
VOCAB_DIR = HERE / "vocab"
SHAPES_FILE = HERE / "shapes.ttl"

BASE = "https://w3id.org/trustkg/"
DEF_BASE = BASE + "def/"
VOCAB_BASE = BASE + "vocab/"
ID_BASE = BASE + "id/"
CODEBOOK_BASE = BASE + "codebook/"

#: Instance IRIs are open-ended (one per trust, inspection, ...): minted only by graph.iris.
ID = Namespace(ID_BASE)
#: W3C Web Annotation: a citation is an oa:SpecificResource of the document it cites; a position in a
#: text is a selector. Closed to the terms trustkg uses, so a misspelt one raises instead of minting.
OA = ClosedNamespace(
    "http://www.w3.org/ns/oa#",
    [
        "SpecificResource",
        "TextPositionSelector",
        "TextQuoteSelector",
        "hasSource",
        "hasSelector",
        "start",
        "end",
        "exact",
        "prefix",
        "suffix",
    ],
)
#: Codebook types are data that researchers grow, so their namespace is open too.
ACTION_TYPE = Namespace(CODEBOOK_BASE + "action/")
OUTCOME_TYPE = Namespace(CODEBOOK_BASE + "outcome/")
ACTION_TYPE_SCHEME = URIRef(CODEBOOK_BASE + "action")
OUTCOME_TYPE_SCHEME = URIRef(CODEBOOK_BASE + "outcome")

#: The SKOS mapping property of each theme mapping a study's scheme may declare (field name -> property).
THEME_MAPPING_PROPERTIES: dict[str, URIRef] = {
    "exact_match": SKOS.exactMatch,
    "close_match": SKOS.closeMatch,
    "broad_match": SKOS.broadMatch,
}

#: Reference vocabularies: file stem -> namespace base. The scheme IRI is the base without "/".
VOCABULARIES: dict[str, str] = {
    "themes": VOCAB_BASE + "theme/",
    "roles": VOCAB_BASE + "role/",
    "key-questions": VOCAB_BASE + "key-question/",
    "rating-levels": VOCAB_BASE + "rating/",
    "trust-types": VOCAB_BASE + "trust-type/",
    "source-kinds": VOCAB_BASE + "source-kind/",
    "attributions": VOCAB_BASE + "attribution/",
    "support-grades": VOCAB_BASE + "support-grade/",
}

PREFIXES: dict[str, str] = {
    "tkg": DEF_BASE,
    "theme": VOCABULARIES["themes"],
    "role": VOCABULARIES["roles"],
    "kq": VOCABULARIES["key-questions"],
    "level": VOCABULARIES["rating-levels"],
    "tt": VOCABULARIES["trust-types"],
    "sk": VOCABULARIES["source-kinds"],
    "at": VOCABULARIES["attributions"],
    "sg": VOCABULARIES["support-grades"],
    "action": str(ACTION_TYPE),
    "outcome": str(OUTCOME_TYPE),
    "id": ID_BASE,
    "skos": str(SKOS),
    "prov": str(PROV),
    "oa": str(OA),
    "org": str(ORG),
    "dcterms": str(DCTERMS),
    "rdfs": str(RDFS),
    "rdf": str(RDF),
    "xsd": str(XSD),
}


def vocabulary_file(stem: str) -> Path:
    """Path of one reference vocabulary, e.g. ``vocabulary_file("themes")``."""
    return VOCAB_DIR / f"{stem}.ttl"


@cache
def _parsed(path: Path) -> Graph:
    """One schema file, parsed once per process (read-only: callers copy what they change)."""
    return Graph().parse(path, format="turtle")


def vocabulary_graph(stem: str) -> Graph:
    return _parsed(vocabulary_file(stem))


def _local_names(graph: Graph, base: str) -> dict[URIRef, str]:
    return {
        s: str(s)[len(base) :]
        for s in set(graph.subjects())
        if isinstance(s, URIRef) and str(s).startswith(base) and str(s) != base
    }


def _closed_namespace(path: Path, base: str) -> ClosedNamespace:
    """The namespace of the IRIs under ``base`` that a schema file describes.

    Read by Oxigraph's parser, not rdflib's: at import time, rdflib's took 0.2 s of every command's start.
    """
    subjects = {quad.subject.value for quad in ox.parse(path=path, format=ox.RdfFormat.TURTLE)}
    return ClosedNamespace(base, sorted(s[len(base) :] for s in subjects if s.startswith(base) and s != base))


def _closed(stem: str) -> ClosedNamespace:
    return _closed_namespace(vocabulary_file(stem), VOCABULARIES[stem])


TKG = _closed_namespace(ONTOLOGY_FILE, DEF_BASE)
THEME = _closed("themes")
ROLE = _closed("roles")
KEY_QUESTION = _closed("key-questions")
RATING = _closed("rating-levels")
TRUST_TYPE = _closed("trust-types")
SOURCE_KIND = _closed("source-kinds")
ATTRIBUTION = _closed("attributions")
SUPPORT_GRADE = _closed("support-grades")


def bind_prefixes(graph: Graph) -> Graph:
    """Bind the project's prefixes so that serialisations stay readable."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)
    return graph


def schema_files() -> list[Path]:
    """The ontology and every reference vocabulary, in the order :func:`add_schema` adds them."""
    return [ONTOLOGY_FILE, *(vocabulary_file(stem) for stem in VOCABULARIES)]


def add_schema(graph: Graph) -> Graph:
    """Add the ontology and every reference vocabulary to ``graph``."""
    for path in schema_files():
        graph += _parsed(path)
    return graph


def schema_graph() -> Graph:
    """A fresh graph holding the ontology and every reference vocabulary."""
    return add_schema(bind_prefixes(Graph()))


@cache
def vocabulary_ids(stem: str) -> frozenset[str]:
    """The IDs (local names) of the concepts in one vocabulary, e.g. themes."""
    graph = vocabulary_graph(stem)
    names = _local_names(graph, VOCABULARIES[stem])
    return frozenset(name for concept, name in names.items() if (concept, RDF.type, SKOS.Concept) in graph)


@cache
def top_concept_ids(stem: str) -> frozenset[str]:
    """The IDs of one vocabulary's top concepts, e.g. the role groups (executive, staff, ...)."""
    graph = vocabulary_graph(stem)
    names = _local_names(graph, VOCABULARIES[stem])
    return frozenset(name for concept, name in names.items() if (concept, SKOS.topConceptOf, None) in graph)


@cache
def vocabulary_labels(stem: str) -> dict[str, str]:
    """ID -> English preferred label for the concepts of one vocabulary."""
    graph = vocabulary_graph(stem)
    names = _local_names(graph, VOCABULARIES[stem])
    return {
        name: str(label)
        for concept, name in names.items()
        if (label := graph.value(concept, SKOS.prefLabel)) is not None
    }


@cache
def rating_ranks() -> dict[str, int]:
    """Rating-level ID -> rank (1 inadequate ... 4 outstanding), read from the vocabulary."""
    graph = vocabulary_graph("rating-levels")
    names = _local_names(graph, VOCABULARIES["rating-levels"])
    return {name: int(rank) for concept, name in names.items() if (rank := graph.value(concept, TKG.rank)) is not None}  # type: ignore[call-overload]


__all__ = [
    "ACTION_TYPE",
    "ACTION_TYPE_SCHEME",
    "BASE",
    "ID",
    "KEY_QUESTION",
    "OA",
    "ONTOLOGY_FILE",
    "OUTCOME_TYPE",
    "OUTCOME_TYPE_SCHEME",
    "PREFIXES",
    "RATING",
    "ROLE",
    "SHAPES_FILE",
    "SOURCE_KIND",
    "THEME",
    "TKG",
    "TRUST_TYPE",
    "VOCABULARIES",
    "add_schema",
    "bind_prefixes",
    "rating_ranks",
    "schema_graph",
    "top_concept_ids",
    "vocabulary_file",
    "vocabulary_graph",
    "vocabulary_ids",
    "vocabulary_labels",
]
