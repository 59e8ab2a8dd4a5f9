"""Records -> triples. The build never parses files; it only turns records into RDF.

The built graph is self-contained: ontology, reference vocabularies, codebook
and instance data in one graph, so any SPARQL tool can load one file and see
labels and definitions next to the data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import TypeVar

import pyoxigraph as ox
from rdflib import XSD, Graph, Literal, URIRef, namespace

from trustkg import iris, ntriples, ontology
from trustkg.gcpause import collector_paused
from trustkg.ontology import (
    ACTION_TYPE_SCHEME,
    OUTCOME_TYPE_SCHEME,
    THEME_MAPPING_PROPERTIES,
    bind_prefixes,
    schema_files,
    vocabulary_ids,
    vocabulary_labels,
)
from trustkg.progress import report as progress
from trustkg.records import (
    RATING_DECLINED,
    RATING_IMPROVED,
    Action,
    CodebookType,
    Evidence,
    EvidenceBase,
    Inspection,
    Interview,
    MeasureValue,
    Outcome,
    PartialDate,
    RatingChange,
    RatingChangeRef,
    RegulatoryEpisode,
    SourceDocument,
    SourceRef,
    SpecialMeasuresEpisode,
    StudyDetails,
    StudyRole,
    TextPosition,
    ThemeScheme,
    Trust,
    TrustCase,
    later_falls,
    rating_change_type_id,
    rating_gaps,
    statement_source,
)


class _Terms:
    """A namespace whose terms are made once: rdflib makes a new term at every attribute access.

    At 200k triples, ``RDF.type``, ``TKG.trust`` and the like cost 4 s of a 28 s build.
    """

    def __init__(self, namespace: object) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> URIRef:
        term: URIRef = getattr(self._namespace, name)
        setattr(self, name, term)
        return term


DCTERMS, ORG, PROV = _Terms(namespace.DCTERMS), _Terms(namespace.ORG), _Terms(namespace.PROV)
RDF, RDFS, SKOS = _Terms(namespace.RDF), _Terms(namespace.RDFS), _Terms(namespace.SKOS)
OA, TKG = _Terms(ontology.OA), _Terms(ontology.TKG)


@dataclass(frozen=True)
class BuildSummary:
    """What a build produced, as printed by ``trustkg build``."""

    trusts: int
    inspections: int
    interviews: int
    evidence: int
    actions: int
    outcomes: int
    rating_changes: int
    triples: int
    #: What the derived rating changes cannot see (see trustkg.records.rating_gaps), one sentence each.
    gaps: tuple[str, ...] = ()

    def lines(self) -> list[str]:
        gaps = [f"gaps            {len(self.gaps)} in the rating series:", *(f"  {gap}" for gap in self.gaps)]
        return [
            f"trusts          {self.trusts}",
            f"inspections     {self.inspections}",
            f"interviews      {self.interviews}",
            f"evidence items  {self.evidence}",
            f"actions         {self.actions}",
            f"outcomes        {self.outcomes} ({self.rating_changes} rating changes derived from inspections)",
            f"triples         {self.triples}",
            *(gaps if self.gaps else []),
        ]


_XSD_INTEGER, _XSD_DECIMAL, _XSD_BOOLEAN = str(XSD.integer), str(XSD.decimal), str(XSD.boolean)
_XSD_G_YEAR, _XSD_G_YEAR_MONTH, _XSD_DATE = str(XSD.gYear), str(XSD.gYearMonth), str(XSD.date)
_TRUE, _FALSE = ntriples.typed("true", _XSD_BOOLEAN), ntriples.typed("false", _XSD_BOOLEAN)


def _en(text: str) -> ntriples.Term:
    return ntriples.language_tagged(text, "en")


def _date_type(date: PartialDate) -> str:
    """A date's datatype by its precision: xsd:gYear, xsd:gYearMonth or xsd:date."""
    if date.month is None:
        return _XSD_G_YEAR
    if date.day is None:
        return _XSD_G_YEAR_MONTH
    return _XSD_DATE


def _date(date: PartialDate) -> ntriples.Term:
    return ntriples.typed(date.iso(), _date_type(date))


def date_literal(date: PartialDate) -> Literal:
    """A date typed by its precision, as rdflib's term."""
    return Literal(date.iso(), datatype=URIRef(_date_type(date)))


#: The specific relation of each kind of succession (all three are sub-properties of tkg:succeededBy).
_SUCCESSION_PROPERTIES = {"merged_into": TKG.mergedInto, "acquired_by": TKG.acquiredBy, "succeeded_by": TKG.succeededBy}


@dataclass(frozen=True)
class _ValueTerms:
    """The properties of a measure's value before, or after."""

    value: URIRef
    year: URIRef
    earliest: URIRef
    latest: URIRef
    approximate: URIRef


_BEFORE = _ValueTerms(
    TKG.valueBefore, TKG.yearBefore, TKG.earliestYearBefore, TKG.latestYearBefore, TKG.approximateYearBefore
)
_AFTER = _ValueTerms(
    TKG.valueAfter, TKG.yearAfter, TKG.earliestYearAfter, TKG.latestYearAfter, TKG.approximateYearAfter
)


def _decimal(value: float) -> ntriples.Term:
    """A decimal in its shortest plain form ("52", "9.5"): stores that canonicalise ("52.0" -> "52") then agree."""
    return ntriples.typed(format(Decimal(repr(value)).normalize(), "f"), _XSD_DECIMAL)


def _year(year: int) -> ntriples.Term:
    return ntriples.typed(f"{year:04d}", _XSD_G_YEAR)


#: The class of each kind of regulatory episode (all sub-classes of tkg:RegulatoryEpisode).
_REGULATORY_CLASSES = {
    "enforcement-action": TKG.EnforcementAction,
    "warning-notice": TKG.WarningNotice,
    "licence-breach": TKG.LicenceBreach,
    "special-measures-recommended": TKG.SpecialMeasuresRecommendation,
}

#: Progress steps (see trustkg.progress): records to triples, then triples into the store.
BUILDING, STORING = "build triples", "load the store"

#: How the N-Triples text reaches the graph, in chunks: the store layer passes Oxigraph's bulk loader.
#: The build writes text, not terms: a Python object per term (rdflib's, then Oxigraph's) was most of a build.
LoadNTriples = Callable[[Graph, Iterable[bytes]], None]


def parse_n_triples(graph: Graph, chunks: Iterable[bytes]) -> None:
    """Read the build's N-Triples into any rdflib graph with rdflib's parser (for a store without a bulk loader).

    Each chunk is parsed as a document of its own: the build keeps every blank node within one chunk.
    """
    for chunk in chunks:
        graph.parse(data=chunk, format="nt")


def build_graph(
    base: EvidenceBase,
    graph: Graph | None = None,
    load: LoadNTriples = parse_n_triples,
    *,
    quotes: bool = True,
    count: Callable[[Graph], int] = len,
    n_triples: Callable[[bytes], object] | None = None,
) -> tuple[Graph, BuildSummary]:
    """Add the schema and every record of ``base`` to ``graph`` (a new in-memory graph by default).

    The triples are made as N-Triples text, loaded into ``graph`` by ``load`` and, given a writer
    ``n_triples`` (a file's), written by it as they go: the whole graph, the schema included.

    With ``quotes=False`` interviewees' verbatim words are left out (for a graph to publish): their
    positions stay, and an evidence item with no paraphrase says only where its passage is.
    """
    graph = bind_prefixes(graph if graph is not None else Graph())
    writer = _Writer(base, quotes)
    with collector_paused():
        load(graph, _n_triples(writer, base, n_triples))
    cases = len(base.cases)
    progress(BUILDING, cases, cases)
    progress(STORING, cases, cases)
    summary = BuildSummary(
        trusts=len(base.cases),
        inspections=sum(len(c.inspections) for c in base.cases),
        interviews=sum(len(c.interviews) for c in base.cases),
        evidence=sum(len(c.evidence) for c in base.cases),
        actions=sum(len(c.actions) for c in base.cases),
        outcomes=sum(len(c.outcomes) for c in base.cases) + writer.changes,
        rating_changes=writer.changes,
        triples=count(graph),
        gaps=tuple(gap for case in base.cases for gap in rating_gaps(case)),
    )
    return graph, summary


_Term = TypeVar("_Term")


@cache
def _schema_n_triples() -> bytes:
    """The ontology and every reference vocabulary as N-Triples, read and written by Oxigraph.

    Blank nodes are labelled in the order the files hold them, so that every build writes the same
    text: rdflib's graph lists triples in an order that changes from one process to the next.
    """
    labels: dict[ox.BlankNode, ox.BlankNode] = {}

    def labelled(term: _Term) -> _Term:
        if isinstance(term, ox.BlankNode):
            return labels.setdefault(term, ox.BlankNode(f"b{len(labels)}"))  # type: ignore[return-value]
        return term

    triples = dict.fromkeys(  # a triple in two files is written once
        ox.Triple(labelled(quad.subject), quad.predicate, labelled(quad.object))
        for path in schema_files()
        for quad in ox.parse(path=path, format=ox.RdfFormat.TURTLE)
    )
    written = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    assert written is not None  # given no output, serialize returns the bytes
    return written


def _n_triples(writer: _Writer, base: EvidenceBase, copy: Callable[[bytes], object] | None) -> Iterator[bytes]:
    """The schema, then every record's triples one trust at a time, as N-Triples chunks (each copied to ``copy``).

    A trust at a time, so that neither the writer nor the store's loader holds every triple at once.
    Making a chunk and loading it alternate, and each is reported as it starts, so that a listener
    can tell their times apart.
    """
    cases = len(base.cases)

    def handed(chunk: bytes) -> bytes:
        if copy is not None:
            copy(chunk)
        progress(STORING, max(done - 1, 0), cases)
        return chunk

    done = 0
    progress(BUILDING, 0, cases)
    yield handed(_schema_n_triples())
    progress(BUILDING, 0, cases)
    writer.codebook()
    writer.project_codes()
    for scheme in base.theme_schemes:
        writer.theme_scheme(scheme)
    for source in base.sources.values():
        writer.document(source)
    yield handed(writer.taken())
    for done, case in enumerate(base.cases, start=1):
        progress(BUILDING, done - 1, cases)
        writer.case(case)
        yield handed(writer.taken())


#: How many IRIs the writer keeps as text between hand-overs (a few trusts' worth).
_MAX_IRIS = 20_000

#: A value the writer adds: an IRI, a literal's text, or a Python value made a literal as rdflib would type it.
_Value = URIRef | ntriples.Term | str | int | bool | None


class _Writer:
    """Records to N-Triples lines, collected until a trust's are handed over."""

    def __init__(self, base: EvidenceBase, quotes: bool) -> None:
        self.lines: list[str] = []
        self.base = base
        self.quotes = quotes
        #: Rating changes derived so far.
        self.changes = 0
        # IRI -> its text: a node is named in about five triples, a vocabulary term in many.
        # Emptied at a hand-over once it holds _MAX_IRIS, so vocabulary terms are made again only then.
        self._iris: dict[str, str] = {}

    def taken(self) -> bytes:
        """The triples written since the last call, as N-Triples (the writer keeps none)."""
        lines, self.lines = self.lines, []
        if len(self._iris) > _MAX_IRIS:
            self._iris.clear()
        return "".join(lines).encode()

    def iri(self, iri: str) -> str:
        text = self._iris.get(iri)
        if text is None:
            text = self._iris[iri] = ntriples.iri(iri)
        return text

    # add() runs once per triple: the cache is read inline, and iri() called only for a new IRI.
    def add(self, subject: URIRef, predicate: URIRef, value: _Value) -> None:
        """Add one triple; ``None`` means the source is silent, so nothing is said."""
        if value is None:
            return
        iris = self._iris
        kind = type(value)
        # The kinds in the order of how often they come.
        if kind is URIRef:
            term = iris.get(value) or self.iri(value)  # type: ignore[arg-type]
        elif kind is ntriples.Term:
            term = value  # type: ignore[assignment]
        elif kind is str:
            term = ntriples.quoted(value)  # type: ignore[arg-type]
        elif kind is bool:
            term = _TRUE if value else _FALSE
        elif kind is int:
            term = ntriples.typed(str(value), _XSD_INTEGER)
        else:
            raise TypeError(f"no literal for {value!r}")
        self.lines.append(
            f"{iris.get(subject) or self.iri(subject)} {iris.get(predicate) or self.iri(predicate)} {term} .\n"
        )

    def add_all(self, subject: URIRef, predicate: URIRef, values: Iterable[URIRef]) -> None:
        iris = self._iris
        head = f"{iris.get(subject) or self.iri(subject)} {iris.get(predicate) or self.iri(predicate)} "
        lines = self.lines
        for value in values:
            lines.append(f"{head}{iris.get(value) or self.iri(value)} .\n")

    # --- codebook and sources ---------------------------------------------------------

    def codebook(self) -> None:
        schemes = (
            (ACTION_TYPE_SCHEME, "Action types", TKG.ActionType, iris.action_type, self.base.codebook.action_types),
            (
                OUTCOME_TYPE_SCHEME,
                "Outcome types",
                TKG.OutcomeType,
                iris.outcome_type,
                self.base.codebook.outcome_types,
            ),
        )
        for scheme, title, cls, mint, types in schemes:
            self.add(scheme, RDF.type, SKOS.ConceptScheme)
            self.add(scheme, SKOS.prefLabel, _en(f"trustkg codebook: {title.lower()}"))
            for entry in types.values():
                self.codebook_type(mint(entry.id), entry, scheme, cls, mint)
        # The build derives rating changes per key question: give each its own narrower type.
        for direction, verb in ((RATING_IMPROVED, "improved"), (RATING_DECLINED, "declined")):
            for kq_id, kq_label in sorted(vocabulary_labels("key-questions").items()):
                concept = iris.rating_change_type(direction, kq_id)
                label = f"{kq_label} rating {verb}"
                self.add(concept, RDF.type, SKOS.Concept)
                self.add(concept, RDF.type, TKG.OutcomeType)
                self.add(concept, SKOS.inScheme, OUTCOME_TYPE_SCHEME)
                self.add(concept, SKOS.broader, iris.outcome_type(direction))
                self.add(concept, SKOS.prefLabel, _en(label))
                self.add(concept, SKOS.notation, rating_change_type_id(direction, kq_id))
                self.add(concept, TKG.keyQuestion, iris.key_question(kq_id))
                definition = (
                    f"The {kq_label.lower()} rating {verb} between two consecutive inspections of the same scope."
                )
                self.add(concept, SKOS.definition, _en(definition))

    def codebook_type(
        self, concept: URIRef, entry: CodebookType, scheme: URIRef, cls: URIRef, mint: Callable[[str], URIRef]
    ) -> None:
        self.add(concept, RDF.type, SKOS.Concept)
        self.add(concept, RDF.type, cls)
        self.add(concept, SKOS.inScheme, scheme)
        self.add(concept, SKOS.notation, entry.id)
        self.add(concept, SKOS.prefLabel, _en(entry.label))
        self.add(concept, SKOS.definition, _en(entry.definition))
        self.add_all(concept, TKG.hasTheme, map(iris.theme, entry.themes))
        if entry.broader is not None:
            self.add(concept, SKOS.broader, mint(entry.broader))
        else:
            self.add(concept, SKOS.topConceptOf, scheme)
        if entry.reserved:
            self.add(concept, SKOS.editorialNote, "Reserved: defined for coding, not yet used in the data.")
            # A property, not only the note, so that checks can tell reserved types apart.
            self.add(concept, TKG.reserved, True)

    def project_codes(self) -> None:
        """QDA projects' own codes, one SKOS scheme per project, so they can be queried and mapped later."""
        for code in self.base.project_codes:
            project = code.ref.project
            scheme, concept = iris.project_codes(project), iris.project_code(project, code.ref.guid)
            self.add(scheme, RDF.type, SKOS.ConceptScheme)
            self.add(scheme, SKOS.prefLabel, _en(f"Codes of project {project}"))
            self.add(scheme, DCTERMS.source, iris.document(self.base.sources[project].url))
            self.add(concept, RDF.type, SKOS.Concept)
            self.add(concept, SKOS.inScheme, scheme)
            self.add(concept, SKOS.notation, code.ref.guid)
            self.add(concept, SKOS.prefLabel, _en(code.label))
            definition = code.definition or f"A code of project {project}; the project gives it no description."
            self.add(concept, SKOS.definition, _en(definition))
            if code.broader is not None:
                self.add(concept, SKOS.broader, iris.project_code(project, code.broader))
            else:
                self.add(concept, SKOS.topConceptOf, scheme)

    def document(self, source: SourceDocument) -> None:
        node = iris.document(source.url)
        self.add(node, RDF.type, TKG.Document)
        self.add(node, DCTERMS.title, source.title)
        self.add(node, DCTERMS.identifier, source.id)
        self.add(node, TKG.sourceKind, iris.source_kind(source.kind))
        self.add(node, DCTERMS.issued, _date(source.published) if source.published else None)
        self.add(node, DCTERMS.publisher, source.publisher)
        self.add(node, SKOS.editorialNote, source.note)
        if source.part_of is not None:
            self.add(node, DCTERMS.isPartOf, iris.document(self.base.sources[source.part_of].url))
        if source.copy_of is not None:
            self.add(node, TKG.copyOf, iris.document(self.base.sources[source.copy_of].url))
        if source.study is not None:
            self.study(node, source.study)
            self.study_scheme(node, source.id, source.study)

    def theme_scheme(self, scheme: ThemeScheme) -> None:
        """A study's own themes: each defined by the study, and named as its source (the study may define none)."""
        node = iris.theme_scheme(scheme.study)
        study = iris.document(self.base.sources[scheme.study].url)
        self.add(node, RDF.type, SKOS.ConceptScheme)
        self.add(node, SKOS.prefLabel, _en(scheme.label))
        self.add(node, DCTERMS.source, study)
        for theme in scheme.themes:
            concept = iris.theme(theme.id)
            self.add(concept, RDF.type, SKOS.Concept)
            self.add(concept, RDF.type, TKG.Theme)
            self.add(concept, SKOS.inScheme, node)
            self.add(concept, SKOS.notation, theme.id)
            self.add(concept, SKOS.prefLabel, _en(theme.label))
            self.add(concept, DCTERMS.source, study)
            if theme.definition is not None:
                self.add(concept, SKOS.definition, _en(theme.definition))
            if theme.broader is not None:
                self.add(concept, SKOS.broader, iris.theme(theme.broader))
            else:
                self.add(concept, SKOS.topConceptOf, node)
            for mapping, targets in theme.mappings.items():
                self.add_all(concept, THEME_MAPPING_PROPERTIES[mapping], map(iris.theme, targets))

    def study(self, node: URIRef, study: StudyDetails) -> None:
        self.add(node, RDF.type, TKG.Study)
        for role in study.roles:
            self.study_role(node, role)
        self.add_all(node, TKG.intervieweeRole, map(iris.role, study.interviewee_roles))
        codebook = self.base.codebook
        for type_id in study.codebook_types:
            mint = iris.action_type if type_id in codebook.action_types else iris.outcome_type
            self.add(node, TKG.usesCodebookType, mint(type_id))
        self.add_all(node, TKG.studyTheme, map(iris.theme, study.themes))
        self.add_all(node, TKG.studiedTrust, map(iris.trust, study.trusts))
        for relation, other in ((TKG.followsUp, study.follows_up), (TKG.companionOf, study.companion_of)):
            if other is not None:
                self.add(node, relation, iris.document(self.base.sources[other].url))

    def study_role(self, study: URIRef, role: StudyRole) -> None:
        """A role the study adds: in the role vocabulary's scheme, under its role group, defined by the study."""
        concept = iris.role(role.id)
        self.add(concept, RDF.type, SKOS.Concept)
        self.add(concept, RDF.type, TKG.Role)
        self.add(concept, SKOS.inScheme, iris.role_scheme())
        self.add(concept, SKOS.broader, iris.role(role.group))
        self.add(concept, SKOS.notation, role.id)
        self.add(concept, SKOS.prefLabel, _en(role.label))
        if role.definition is not None:
            self.add(concept, SKOS.definition, _en(role.definition))
        self.add(concept, DCTERMS.source, study)

    def study_scheme(self, node: URIRef, study_id: str, study: StudyDetails) -> None:
        """A study's scheme: the one it brings in its data, else the default one when it lists themes from it."""
        own = next((scheme for scheme in self.base.theme_schemes if scheme.study == study_id), None)
        if own is not None:
            self.add(node, TKG.themeScheme, iris.theme_scheme(study_id))
            self.add_all(node, TKG.studyTheme, (iris.theme(t.id) for t in own.themes if t.id not in study.themes))
        elif study.themes and set(study.themes) <= vocabulary_ids("themes"):
            self.add(node, TKG.themeScheme, iris.theme_scheme())

    def sources(self, subject: URIRef, refs: Iterable[SourceRef], predicate: URIRef = DCTERMS.source) -> None:
        """Link ``subject`` to each source directly, and through one citation per source holding its locator."""
        for index, ref in enumerate(refs):
            document = iris.document(self.base.sources[ref.source_id].url)
            citation = iris.citation(subject, index)
            self.add(subject, predicate, document)
            self.add(subject, TKG.hasCitation, citation)
            self.add(citation, RDF.type, TKG.Citation)
            self.add(citation, OA.hasSource, document)
            self.add(citation, TKG.locator, ref.locator)
            if ref.position is not None:
                self.position(citation, ref.position)

    def position(self, citation: URIRef, position: TextPosition) -> None:
        """Where in a text the cited passage is, and (unless quotes are left out) its words."""
        if position.start is not None and position.end is not None:
            where = iris.selector(citation, "position")
            self.add(citation, OA.hasSelector, where)
            self.add(where, RDF.type, OA.TextPositionSelector)
            self.add(where, OA.start, position.start)
            self.add(where, OA.end, position.end)
        if self.quotes:
            words = iris.selector(citation, "quote")
            self.add(citation, OA.hasSelector, words)
            self.add(words, RDF.type, OA.TextQuoteSelector)
            self.add(words, OA.exact, position.quote)

    # --- one trust ---------------------------------------------------------------------

    def case(self, case: TrustCase) -> None:
        """Write one trust's case, counting the rating changes derived."""
        trust = case.trust
        ods = trust.ods
        node = iris.trust(ods)
        self.add(node, RDF.type, TKG.Trust)
        self.add(node, TKG.odsCode, ods)
        self.add(node, RDFS.label, _en(trust.name))
        self.add_all(node, TKG.trustType, map(iris.trust_type, trust.types))
        self.add(node, TKG.isFoundationTrust, trust.foundation_trust)
        self.add(node, TKG.areaServed, trust.area_served)
        self.add(node, SKOS.editorialNote, trust.note)
        for other in trust.other_names:
            self.add(node, SKOS.altLabel, _en(other))
        if trust.cqc_page:
            self.add(node, RDFS.seeAlso, iris.document(trust.cqc_page))
        self.sources(node, trust.sources)
        for site in trust.sites:
            site_node = iris.site(ods, site.id)
            self.add(node, ORG.hasSite, site_node)
            self.add(site_node, RDF.type, TKG.Site)
            self.add(site_node, RDFS.label, _en(site.name))
        for service in trust.core_services:
            service_node = iris.core_service(ods, service.id)
            self.add(service_node, RDF.type, TKG.CoreService)
            self.add(service_node, TKG.trust, node)
            self.add(service_node, RDFS.label, _en(service.name))
        self.lifecycle(trust)
        for inspection in case.inspections:
            self.inspection(ods, inspection)
        for episode in case.special_measures:
            self.special_measures(ods, episode)
        for regulatory in case.regulatory_episodes:
            self.regulatory_episode(ods, regulatory)
        for interview in case.interviews:
            self.interview(ods, interview)
        for action in case.actions:
            self.action(ods, action)
        for outcome in case.outcomes:
            self.outcome(ods, outcome)
        changes = list(case.rating_changes())
        for change in changes:
            self.rating_change(ods, change)
        for rise, fall in later_falls(changes):
            self.add(self.change_iri(ods, rise), TKG.followedByFall, self.change_iri(ods, fall))
        items = {item.id: item for item in case.evidence}
        for item in case.evidence:
            self.evidence(ods, item)
            self.add(iris.evidence(ods, item.id), TKG.restsOn, self.statement_origin(ods, item, items))
        self.changes += len(changes)

    def lifecycle(self, trust: Trust) -> None:
        """How the trust ended, if it did: the specific relation and, so that queries need no inference, tkg:succeededBy."""
        node = iris.trust(trust.ods)
        if trust.succession is not None:
            successor = iris.trust(trust.succession.trust)
            self.add(node, _SUCCESSION_PROPERTIES[trust.succession.kind], successor)
            self.add(node, TKG.succeededBy, successor)
            self.add(node, TKG.successionDate, _date(trust.succession.date))
        if trust.dissolved is not None:
            self.add(node, TKG.dissolvedDate, _date(trust.dissolved))

    def statement_origin(self, ods: str, item: Evidence, items: dict[str, Evidence]) -> URIRef:
        """What an item's statement rests on, so that queries count each independent source once."""
        original = statement_source(item, items, self.base.sources)
        if original is not None:
            return iris.document(original.url)
        shared = items[item.same_statement_as] if item.same_statement_as is not None else item
        assert shared.interview is not None, "the loader guarantees a source or an interview"
        return iris.interview(ods, shared.interview)

    def inspection(self, ods: str, inspection: Inspection) -> None:
        node = iris.inspection(ods, inspection.id)
        self.add(node, RDF.type, TKG.Inspection)
        self.add(node, TKG.trust, iris.trust(ods))
        self.add(node, RDFS.label, _en(inspection.label or f"Inspection {inspection.date}"))
        self.add(node, TKG.startDate, _date(inspection.start) if inspection.start else None)
        self.add(node, TKG.endDate, _date(inspection.end) if inspection.end else None)
        self.add(node, TKG.publishedDate, _date(inspection.published) if inspection.published else None)
        self.add(node, TKG.site, iris.site(ods, inspection.site) if inspection.site else None)
        if inspection.core_service:
            self.add(node, TKG.coreService, iris.core_service(ods, inspection.core_service))
        self.add(node, SKOS.editorialNote, inspection.note)
        self.sources(node, inspection.sources)
        for key_question, level in inspection.ratings.items():
            rating = iris.rating(ods, inspection.id, key_question)
            self.add(node, TKG.hasRating, rating)
            self.add(rating, RDF.type, TKG.Rating)
            self.add(rating, TKG.keyQuestion, iris.key_question(key_question))
            self.add(rating, TKG.ratingLevel, iris.rating_level(level))

    def special_measures(self, ods: str, episode: SpecialMeasuresEpisode) -> None:
        node = iris.special_measures(ods, episode.id)
        self.add(node, RDF.type, TKG.SpecialMeasuresEpisode)
        self.add(node, TKG.trust, iris.trust(ods))
        since = (
            f"from {episode.entered}"
            if episode.entered
            else f"until {episode.exited}"
            if episode.exited
            else "(undated)"
        )
        self.add(node, RDFS.label, _en(f"Special measures {since}"))
        self.add(node, TKG.startDate, _date(episode.entered) if episode.entered else None)
        self.add(node, TKG.endDate, _date(episode.exited) if episode.exited else None)
        self.add(node, SKOS.editorialNote, episode.note)
        self.sources(node, episode.sources)

    def regulatory_episode(self, ods: str, episode: RegulatoryEpisode) -> None:
        node = iris.regulatory_episode(ods, episode.id)
        self.add(node, RDF.type, _REGULATORY_CLASSES[episode.kind])
        self.add(node, TKG.trust, iris.trust(ods))
        dated = f" from {episode.start}" if episode.start else f" until {episode.end}" if episode.end else ""
        self.add(node, RDFS.label, _en(f"{episode.kind.replace('-', ' ').capitalize()}{dated}"))
        self.add(node, TKG.startDate, _date(episode.start) if episode.start else None)
        self.add(node, TKG.endDate, _date(episode.end) if episode.end else None)
        self.add(node, SKOS.editorialNote, episode.note)
        self.sources(node, episode.sources)

    def interview(self, ods: str, interview: Interview) -> None:
        node, person = iris.interview(ods, interview.id), iris.participant(ods, interview.id)
        self.add(node, RDF.type, TKG.Interview)
        self.add(node, RDFS.label, _en(f"Interview {interview.id}"))
        self.add(node, TKG.trust, iris.trust(ods))
        self.add(node, TKG.sourceKind, iris.source_kind("interview"))
        self.add(node, TKG.interviewee, person)
        self.add(node, DCTERMS.date, _date(interview.date) if interview.date else None)
        self.add(person, RDF.type, TKG.Participant)
        self.add(person, TKG.role, iris.role(interview.role))
        if interview.source is not None:
            self.sources(node, [interview.source], TKG.reportedIn)

    def action(self, ods: str, action: Action) -> None:
        node = iris.action(ods, action.id)
        self.add(node, RDF.type, TKG.Action)
        self.add(node, TKG.trust, iris.trust(ods))
        self.add(node, TKG.actionType, iris.action_type(action.type))
        self.add(node, RDFS.label, _en(action.label))
        self.add(node, DCTERMS.description, action.description)
        self.add(node, TKG.startDate, _date(action.started) if action.started else None)
        self.add(node, SKOS.editorialNote, action.note)
        self.add_all(node, TKG.ledBy, map(iris.role, action.roles))
        self.add_all(node, TKG.codedTheme, map(iris.theme, action.themes))
        self.add_all(node, TKG.statedTheme, map(iris.theme, action.stated_themes))
        self.sources(node, action.sources)

    def outcome(self, ods: str, outcome: Outcome) -> None:
        node = iris.outcome(ods, outcome.id)
        self.add(node, RDF.type, TKG.MeasureChange if outcome.measure else TKG.ReportedChange)
        self.add(node, TKG.trust, iris.trust(ods))
        self.add(node, TKG.outcomeType, iris.outcome_type(outcome.type))
        self.add(node, RDFS.label, _en(outcome.label))
        self.add(node, DCTERMS.description, outcome.description)
        self.add(node, TKG.measure, outcome.measure)
        self.add(node, TKG.unit, outcome.unit)
        for measured, terms in ((outcome.before, _BEFORE), (outcome.after, _AFTER)):
            if measured is not None:
                self.measure_value(node, measured, terms)
        if outcome.relative_change is not None:
            self.add(node, TKG.percentChange, _decimal(outcome.relative_change.percent))
            self.add(node, TKG.changeDirection, outcome.relative_change.direction)
        self.add(node, SKOS.editorialNote, outcome.note)
        self.sources(node, outcome.sources)

    def measure_value(self, node: URIRef, measured: MeasureValue, terms: _ValueTerms) -> None:
        """A value before or after, with its year: exact, a span (earliest and latest, approximate or not) or none."""
        self.add(node, terms.value, _decimal(measured.value))
        if measured.year is not None:
            self.add(node, terms.year, _year(measured.year))
        if measured.span is not None:
            self.add(node, terms.earliest, _year(measured.span.earliest))
            self.add(node, terms.latest, _year(measured.span.latest))
            self.add(node, terms.approximate, measured.span.approximate)

    @staticmethod
    def change_iri(ods: str, change: RatingChange) -> URIRef:
        return iris.rating_change(ods, change.key_question, change.after.id)

    def rating_change(self, ods: str, change: RatingChange) -> None:
        node = self.change_iri(ods, change)
        levels = vocabulary_labels("rating-levels")
        kq_label = vocabulary_labels("key-questions")[change.key_question]
        label = f"{kq_label}: {levels[change.from_level]} to {levels[change.to_level].lower()} ({change.before.date} to {change.after.date})"
        if change.skipped:
            label += f", across {len(change.skipped)} inspection(s) not rating it"
        self.add(node, RDF.type, TKG.RatingChange)
        self.add(node, TKG.trust, iris.trust(ods))
        self.add(node, TKG.outcomeType, iris.rating_change_type(change.direction, change.key_question))
        self.add(node, RDFS.label, _en(label))
        self.add(node, TKG.keyQuestion, iris.key_question(change.key_question))
        self.add(node, TKG.fromInspection, iris.inspection(ods, change.before.id))
        self.add(node, TKG.toInspection, iris.inspection(ods, change.after.id))
        self.add_all(node, TKG.skipsInspection, (iris.inspection(ods, i.id) for i in change.skipped))
        # tkg:site has the domain Inspection: a change's site is read through its inspections.
        if change.after.core_service:
            self.add(node, TKG.coreService, iris.core_service(ods, change.after.core_service))
        self.add(node, TKG.fromLevel, iris.rating_level(change.from_level))
        self.add(node, TKG.toLevel, iris.rating_level(change.to_level))
        self.add(node, TKG.rankChange, change.rank_change)

    def evidence(self, ods: str, item: Evidence) -> None:
        node = iris.evidence(ods, item.id)
        self.add(node, RDF.type, TKG.Evidence)
        self.add(node, TKG.trust, iris.trust(ods))
        self.add(node, RDFS.label, _en(f"Evidence {item.id}"))
        self.add(node, TKG.statement, _en(self.statement(item)))
        for coder in item.coders:
            self.add(node, TKG.codedBy, coder)
        self.add_all(node, TKG.projectCode, (iris.project_code(c.project, c.guid) for c in item.project_codes))
        self.add(node, TKG.reportedBy, iris.role(item.reported_by) if item.reported_by else None)
        self.add(node, SKOS.editorialNote, item.note)
        self.sources(node, item.sources, PROV.wasDerivedFrom)
        if item.interview is not None:
            self.add(node, PROV.wasDerivedFrom, iris.interview(ods, item.interview))
        self.add_all(node, TKG.codedTheme, map(iris.theme, item.themes))
        self.add_all(node, TKG.statedTheme, map(iris.theme, item.stated_themes))
        self.add_all(node, TKG.mentionsAction, (iris.action(ods, a) for a in item.actions))
        self.add_all(node, TKG.mentionsOutcome, (iris.outcome(ods, o) for o in item.outcomes))
        self.add_all(
            node,
            TKG.mentionsOutcome,
            (iris.rating_change(ods, r.key_question, r.inspection_id) for r in item.rating_changes),
        )
        if item.same_statement_as is not None:
            self.add(node, TKG.sameStatementAs, iris.evidence(ods, item.same_statement_as))
        for index, claim in enumerate(item.links):
            link = iris.link_claim(node, index)
            self.add(node, TKG.supportsLink, link)
            self.add(link, RDF.type, TKG.LinkClaim)
            self.add(link, TKG.claimedAction, iris.action(ods, claim.action))
            self.add(link, TKG.claimedOutcome, self.outcome_iri(ods, claim.outcome))
            self.add(link, TKG.attribution, iris.attribution(claim.attribution))
            self.add(link, TKG.reason, _en(claim.reason) if claim.reason else None)
            self.add(link, SKOS.editorialNote, claim.note)

    @staticmethod
    def outcome_iri(ods: str, outcome: str) -> URIRef:
        """An outcome named as evidence names it: an outcome's ID, or KEY-QUESTION@INSPECTION-ID."""
        change = RatingChangeRef.parse(outcome)
        if change is not None:
            return iris.rating_change(ods, change.key_question, change.inspection_id)
        return iris.outcome(ods, outcome)

    def statement(self, item: Evidence) -> str:
        """The item's statement; an interviewee's verbatim words are replaced by where they are when quotes are left out."""
        if self.quotes or not item.verbatim:
            return item.statement
        where = [
            f"{ref.locator or ref.source_id}"
            + (f", characters {ref.position.start}-{ref.position.end}" if ref.position.start is not None else "")
            for ref in item.sources
            if ref.position is not None
        ]
        return "Quote withheld: a coded interview passage (" + "; ".join(where) + ")."
