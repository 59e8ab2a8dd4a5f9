"""The trustkg schema: namespaces, reference vocabularies and load helpers.

Everything else in trustkg conforms to this package, and it imports nothing of
ours. The namespaces are *closed*: they are read from the Turtle files at import
time, so ``TKG.Trsut`` or ``THEME["leadrship"]`` raises instead of minting an
IRI that the ontology does not declare.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

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
#: Codebook types are data that researchers grow, so their namespace is open too.
ACTION_TYPE = Namespace(CODEBOOK_BASE + "action/")
OUTCOME_TYPE = Namespace(CODEBOOK_BASE + "outcome/")
ACTION_TYPE_SCHEME = URIRef(CODEBOOK_BASE + "action")
OUTCOME_TYPE_SCHEME = URIRef(CODEBOOK_BASE + "outcome")

#: Reference vocabularies: file stem -> namespace base. The scheme IRI is the base without "/".
VOCABULARIES: dict[str, str] = {
    "themes": VOCAB_BASE + "theme/",
    "roles": VOCAB_BASE + "role/",
    "key-questions": VOCAB_BASE + "key-question/",
    "rating-levels": VOCAB_BASE + "rating/",
    "trust-types": VOCAB_BASE + "trust-type/",
    "source-kinds": VOCAB_BASE + "source-kind/",
}

PREFIXES: dict[str, str] = {
    "tkg": DEF_BASE,
    "theme": VOCABULARIES["themes"],
    "role": VOCABULARIES["roles"],
    "kq": VOCABULARIES["key-questions"],
    "level": VOCABULARIES["rating-levels"],
    "tt": VOCABULARIES["trust-types"],
    "sk": VOCABULARIES["source-kinds"],
    "action": str(ACTION_TYPE),
    "outcome": str(OUTCOME_TYPE),
    "id": ID_BASE,
    "skos": str(SKOS),
    "prov": str(PROV),
    "org": str(ORG),
    "dcterms": str(DCTERMS),
    "rdfs": str(RDFS),
    "rdf": str(RDF),
    "xsd": str(XSD),
}


def vocabulary_file(stem: str) -> Path:
    """Path of one reference vocabulary, e.g. ``vocabulary_file("themes")``."""
    return VOCAB_DIR / f"{stem}.ttl"


def _declared_terms(path: Path, base: str) -> list[str]:
    graph = Graph().parse(path, format="turtle")
    return sorted(
        {str(s)[len(base) :] for s in graph.subjects() if isinstance(s, URIRef) and str(s).startswith(base)} - {""}
    )


TKG = ClosedNamespace(DEF_BASE, _declared_terms(ONTOLOGY_FILE, DEF_BASE))
THEME = ClosedNamespace(VOCABULARIES["themes"], _declared_terms(vocabulary_file("themes"), VOCABULARIES["themes"]))
ROLE = ClosedNamespace(VOCABULARIES["roles"], _declared_terms(vocabulary_file("roles"), VOCABULARIES["roles"]))
KEY_QUESTION = ClosedNamespace(
    VOCABULARIES["key-questions"],
    _declared_terms(vocabulary_file("key-questions"), VOCABULARIES["key-questions"]),
)
RATING = ClosedNamespace(
    VOCABULARIES["rating-levels"],
    _declared_terms(vocabulary_file("rating-levels"), VOCABULARIES["rating-levels"]),
)
TRUST_TYPE = ClosedNamespace(
    VOCABULARIES["trust-types"], _declared_terms(vocabulary_file("trust-types"), VOCABULARIES["trust-types"])
)
SOURCE_KIND = ClosedNamespace(
    VOCABULARIES["source-kinds"],
    _declared_terms(vocabulary_file("source-kinds"), VOCABULARIES["source-kinds"]),
)


def bind_prefixes(graph: Graph) -> Graph:
    """Bind the project's prefixes so that serialisations stay readable."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)
    return graph


def schema_graph() -> Graph:
    """A fresh graph holding the ontology and every reference vocabulary."""
    graph = bind_prefixes(Graph())
    graph.parse(ONTOLOGY_FILE, format="turtle")
    for stem in VOCABULARIES:
        graph.parse(vocabulary_file(stem), format="turtle")
    return graph


@cache
def vocabulary_ids(stem: str) -> frozenset[str]:
    """The IDs (local names) of the concepts in one vocabulary, e.g. themes."""
    base = VOCABULARIES[stem]
    graph = Graph().parse(vocabulary_file(stem), format="turtle")
    return frozenset(
        str(concept)[len(base) :] for concept in graph.subjects(RDF.type, SKOS.Concept) if str(concept).startswith(base)
    )


@cache
def vocabulary_labels(stem: str) -> dict[str, str]:
    """ID -> English preferred label for the concepts of one vocabulary."""
    base = VOCABULARIES[stem]
    graph = Graph().parse(vocabulary_file(stem), format="turtle")
    return {
        str(concept)[len(base) :]: str(label)
        for concept, label in graph.subject_objects(SKOS.prefLabel)
        if str(concept).startswith(base)
    }


@cache
def rating_ranks() -> dict[str, int]:
    """Rating-level ID -> rank (1 inadequate ... 4 outstanding), read from the vocabulary."""
    base = VOCABULARIES["rating-levels"]
    graph = Graph().parse(vocabulary_file("rating-levels"), format="turtle")
    return {str(level)[len(base) :]: int(rank) for level, rank in graph.subject_objects(TKG.rank)}  # type: ignore[call-overload]


__all__ = [
    "ACTION_TYPE",
    "ACTION_TYPE_SCHEME",
    "BASE",
    "ID",
    "KEY_QUESTION",
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
    "bind_prefixes",
    "rating_ranks",
    "schema_graph",
    "vocabulary_file",
    "vocabulary_ids",
    "vocabulary_labels",
]
