"""The OWL reasoner bridge: check a graph's consistency and materialise inferred class memberships.

owlready2 runs HermiT (default) or Pellet, both Java programs, over a copy of
the graph. owlready2 does not read Turtle, so the copy is handed over as
N-Triples. HermiT rejects xsd:date, xsd:gYear and xsd:gYearMonth (not in the
OWL 2 datatype map); no defined class depends on a date, so HermiT is told to
ignore unsupported datatypes rather than the dates being rewritten.

What the reasoner infers about individuals (a leadership action, an improving
trust, an executive role ...) is written back into the RDF graph as
``rdf:type`` triples, so that plain SPARQL can use the defined classes.

This module stays in the ground-floor package and imports nothing of ours
outside it; :mod:`trustkg.api` turns its exceptions into trustkg's typed errors.
"""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import subprocess
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rdflib import Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

if TYPE_CHECKING:
    import owlready2

REASONERS = ("hermit", "pellet")
DEFAULT_REASONER = "hermit"
JAVA_HINT = "install a Java runtime (Debian: apt-get install default-jre-headless)"
#: The IRI under which owlready2 holds its copy of the graph; never written anywhere.
_COPY_IRI = "https://w3id.org/trustkg/reasoner-copy"
# Java class-file versions are the Java release plus 44 (Java 17 reads up to 61).
_CLASS_VERSION = re.compile(r"class file version (\d+)(?:\.\d+)?\), this version of the Java Runtime only recognizes")
_JAVA_VERSION = re.compile(r'version "(\d+)(?:\.(\d+))?')


class ReasoningError(Exception):
    """The reasoner could not run, or found the graph inconsistent."""


class ReasonerUnavailableError(ReasoningError):
    """No Java runtime, or one too old for the chosen reasoner."""


class InconsistentGraphError(ReasoningError):
    """The reasoner proved the graph inconsistent; ``explanation`` says what it and we could find out why."""

    def __init__(self, reasoner: str, explanation: list[str]) -> None:
        self.reasoner = reasoner
        self.explanation = explanation
        super().__init__(f"{reasoner} found the graph inconsistent")


@dataclass(frozen=True)
class Inference:
    """What a reasoner run added to the graph."""

    reasoner: str
    seconds: float
    memberships: tuple[tuple[URIRef, URIRef], ...]  # (individual, class), each new to the graph
    unsatisfiable: tuple[URIRef, ...] = ()  # classes that can have no member: a modelling error

    def counts(self) -> Counter[URIRef]:
        return Counter(cls for _, cls in self.memberships)

    def lines(self, label: Callable[[URIRef], str] = str) -> list[str]:
        lines = [
            f"{self.reasoner} found the graph consistent in {self.seconds:.1f} s "
            f"and inferred {len(self.memberships)} class membership(s)"
        ]
        lines.extend(f"  {count:4d}  {label(cls)}" for cls, count in sorted(self.counts().items()))
        lines.extend(f"  unsatisfiable class (can have no member): {label(cls)}" for cls in self.unsatisfiable)
        return lines


def java_executable() -> str:
    """The Java runtime owlready2 will start; raises :class:`ReasonerUnavailableError` when there is none."""
    import owlready2  # imported here: a query or a build without reasoning does not need it

    java: str = owlready2.JAVA_EXE
    found = shutil.which(java)
    if found is None:
        raise ReasonerUnavailableError(f"the OWL reasoner needs Java and none was found ({java!r}): {JAVA_HINT}")
    return found


def java_version(java: str) -> int | None:
    """The major version of a Java runtime (17 for "17.0.15", 8 for "1.8.0"), if it says."""
    try:
        banner = subprocess.run([java, "-version"], capture_output=True, text=True, check=False, timeout=60).stderr
    except OSError:
        return None
    match = _JAVA_VERSION.search(banner)
    if match is None:
        return None
    major = int(match[1])
    return int(match[2]) if major == 1 and match[2] else major


def _too_old(reasoner: str, java: str, message: str) -> ReasonerUnavailableError | None:
    """A clear error when Java refused the reasoner's classes as too new for it."""
    import owlready2  # imported here: a query or a build without reasoning does not need it

    match = _CLASS_VERSION.search(message)
    if match is None:
        return None
    needed = int(match[1]) - 44
    have = java_version(java)
    return ReasonerUnavailableError(
        f"{reasoner} as shipped with owlready2 {owlready2.VERSION} needs Java {needed} or newer, "
        f"but {java} is Java {have if have is not None else 'of an unknown version'}; "
        f"use the default reasoner (hermit), which runs on Java 8 and later, or install a newer Java"
    )


def _disjoint_pairs(graph: Graph) -> set[tuple[URIRef, URIRef]]:
    pairs: set[tuple[URIRef, URIRef]] = set()
    for axiom in graph.subjects(RDF.type, OWL.AllDisjointClasses):
        members = graph.value(axiom, OWL.members)
        classes = [c for c in Collection(graph, members) if isinstance(c, URIRef)] if members is not None else []
        pairs.update((a, b) for a in classes for b in classes if str(a) < str(b))
    for a, b in graph.subject_objects(OWL.disjointWith):
        if isinstance(a, URIRef) and isinstance(b, URIRef):
            pairs.add((a, b) if str(a) < str(b) else (b, a))
    return pairs


def disjointness_clashes(graph: Graph) -> list[str]:
    """Individuals that the graph places in two disjoint classes, as sentences.

    The commonest cause of an inconsistency in instance data, and one that can
    be found without a reasoner: an individual's classes are those it is typed
    with and those implied by the domains and ranges of the properties it is
    used with, each with its superclasses.
    """
    pairs = _disjoint_pairs(graph)
    if not pairs:
        return []
    domains = {p: set(graph.objects(p, RDFS.domain)) for p in set(graph.subjects(RDFS.domain, None))}
    ranges = {p: set(graph.objects(p, RDFS.range)) for p in set(graph.subjects(RDFS.range, None))}
    classes: dict[Node, set[Node]] = defaultdict(set)
    for subject, predicate, value in graph:
        if predicate == RDF.type:
            classes[subject].add(value)
        classes[subject] |= domains.get(predicate, set())
        classes[value] |= ranges.get(predicate, set())
    superclasses: dict[Node, set[Node]] = {}

    def closure(cls: Node) -> set[Node]:
        if cls not in superclasses:
            superclasses[cls] = {c for c in graph.transitive_objects(cls, RDFS.subClassOf) if c is not None}
        return superclasses[cls]

    compact = graph.namespace_manager.normalizeUri
    clashes: list[str] = []
    for individual, direct in classes.items():
        if not isinstance(individual, URIRef):
            continue
        implied: set[Node] = set().union(*(closure(cls) for cls in direct))
        clashes.extend(
            f"<{individual}> is both a {compact(first)} and a {compact(second)}, which the ontology declares disjoint"
            for first, second in sorted(pairs)
            if first in implied and second in implied
        )
    return sorted(clashes)


def _run(world: owlready2.World, reasoner: str) -> None:
    import owlready2  # imported here: a query or a build without reasoning does not need it

    # owlready2 prints progress (and, for Pellet at debug 2, its whole output) to stderr.
    with contextlib.redirect_stderr(io.StringIO()):
        if reasoner == "hermit":
            owlready2.sync_reasoner_hermit(world, debug=0, ignore_unsupported_datatypes=True)
        else:
            # debug=2 makes owlready2 run `pellet explain` when the graph is inconsistent.
            owlready2.sync_reasoner_pellet(world, debug=2)


def _inferred_memberships(world: owlready2.World, graph: Graph) -> list[tuple[URIRef, URIRef]]:
    """(individual, named class) pairs the reasoner found that the graph does not yet state."""
    import owlready2  # imported here: a query or a build without reasoning does not need it

    found: set[tuple[URIRef, URIRef]] = set()
    # world.individuals() lists only declared owl:NamedIndividuals, so start from the graph's subjects.
    for subject in set(graph.subjects()):
        if not isinstance(subject, URIRef):
            continue
        individual = world[str(subject)]
        if not isinstance(individual, owlready2.Thing):
            continue
        for cls in individual.is_a:
            if isinstance(cls, owlready2.ThingClass) and (subject, RDF.type, URIRef(cls.iri)) not in graph:
                found.add((subject, URIRef(cls.iri)))
    return sorted(found)


def _rdflib_n_triples(graph: Graph) -> bytes:
    return graph.serialize(format="nt", encoding="utf-8")


def reason(
    graph: Graph, reasoner: str = DEFAULT_REASONER, n_triples: Callable[[Graph], bytes] = _rdflib_n_triples
) -> Inference:
    """Check ``graph`` (ontology and instances) for consistency and add the class memberships inferred.

    ``n_triples`` writes the copy owlready2 reads; the store layer passes Oxigraph's writer
    (rdflib's took 9 s at 200k triples, Oxigraph's 0.7 s).

    Raises :class:`ReasonerUnavailableError` (no suitable Java) or :class:`InconsistentGraphError`;
    the graph is changed only when reasoning succeeds.
    """
    if reasoner not in REASONERS:
        raise ReasoningError(f"unknown reasoner {reasoner!r}; known: {', '.join(REASONERS)}")
    import owlready2

    java = java_executable()
    world = owlready2.World()
    try:
        copy = n_triples(graph)
        world.get_ontology(_COPY_IRI).load(fileobj=io.BytesIO(copy), format="ntriples")
        started = time.perf_counter()
        try:
            _run(world, reasoner)
        except owlready2.OwlReadyInconsistentOntologyError as error:
            # HermiT says only that it is inconsistent; Pellet's message carries `pellet explain`.
            said = [line for line in str(error).splitlines() if line.strip()]
            clashes = disjointness_clashes(graph)
            hint = (
                []
                if clashes
                else ["no individual is in two disjoint classes; look for a literal outside its property's range"]
            )
            raise InconsistentGraphError(reasoner, said + clashes + hint) from error
        except owlready2.OwlReadyJavaError as error:
            raise _too_old(reasoner, java, str(error)) or ReasoningError(f"{reasoner} failed: {error}") from error
        seconds = time.perf_counter() - started
        memberships = _inferred_memberships(world, graph)
        unsatisfiable = tuple(
            sorted(URIRef(cls.iri) for cls in world.inconsistent_classes() if cls is not owlready2.Nothing)
        )
    finally:
        world.close()
    for individual, cls in memberships:
        graph.add((individual, RDF.type, cls))
    return Inference(reasoner, seconds, tuple(memberships), unsatisfiable)
