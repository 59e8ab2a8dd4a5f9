"""Typed records: what every loader produces and what the build consumes.

Records hold IDs from the case files and vocabularies, never IRIs (only
``trustkg.iris`` mints those). Each record keeps the place it was read from, so
that checks made after loading can still name file and line.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import pairwise

from trustkg.errors import Problem
from trustkg.ontology import rating_ranks

#: The outcome types of the rating changes the build derives from inspections; no loader may
#: give them to an outcome of its own, and the merged codebook must define both.
RATING_IMPROVED, RATING_DECLINED = "rating-improved", "rating-declined"
DERIVED_OUTCOME_TYPES = (RATING_IMPROVED, RATING_DECLINED)


def rating_change_type_id(direction: str, key_question: str) -> str:
    """The derived outcome type of one key question's rating change, e.g. 'rating-improved/well-led'."""
    return f"{direction}/{key_question}"


@dataclass(frozen=True)
class Origin:
    """Where a record (or, with ``field``, one of its fields) was read from."""

    file: str
    line: int | None = None
    field: str | None = None  # the field's path in the record's file, e.g. "evidence[2].source[1]"

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line is not None else self.file


@dataclass(frozen=True)
class PartialDate:
    """A date to the precision a source gives it: a year, a month or a day.

    ISO text of partial dates sorts correctly as text ("2015" < "2015-09" <
    "2015-09-22"), which is what the queries rely on to compare them.
    """

    year: int
    month: int | None = None
    day: int | None = None

    def iso(self) -> str:
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
            if self.day is not None:
                text += f"-{self.day:02d}"
        return text

    def __str__(self) -> str:
        return self.iso()

    def sort_key(self) -> tuple[int, int, int]:
        return (self.year, self.month or 0, self.day or 0)

    def surely_before(self, other: PartialDate) -> bool:
        """Whether this date is surely before ``other``, compared only as precisely as both are known."""
        known = [(a, b) for a, b in zip(self.sort_key(), other.sort_key(), strict=True) if a and b]
        return [a for a, _ in known] < [b for _, b in known]


@dataclass(frozen=True)
class TextPosition:
    """A stretch of a text (an interview transcript): code points ``start`` to ``end`` (exclusive), and its words.

    Built as W3C Web Annotation selectors: a text position selector (when the positions are known: a
    coded-segment table gives only the words), and a text quote selector holding ``quote`` unless the
    build is told to leave quotes out.
    """

    start: int | None
    end: int | None
    quote: str


@dataclass(frozen=True)
class SourceRef:
    """A pointer from a fact to a source document, with page or section where known."""

    source_id: str
    locator: str | None = None
    origin: Origin = field(default=Origin("?"), compare=False)  # the reference's own place, checked after merging
    position: TextPosition | None = None  # where in a text source, for a coded interview passage


@dataclass(frozen=True)
class StudyRole:
    """A role a study adds to the role vocabulary, under one of its role groups (executive, staff, ...)."""

    id: str
    label: str
    group: str  # a top concept of the role vocabulary, so that counts by role group include the role
    definition: str | None = None
    origin: Origin = field(default=Origin("?"), compare=False)
    places: Mapping[str, Origin] = field(default_factory=dict, compare=False)  # field name -> where it was read


@dataclass(frozen=True)
class StudyDetails:
    """What makes a document a study of trusts: whom it interviewed, which trusts, which themes it drew."""

    interviewee_roles: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    trusts: tuple[str, ...] = ()  # ODS codes of the trusts studied
    follows_up: str | None = None  # source ID of an earlier study that this one revisits
    companion_of: str | None = None  # source ID of a study this one accompanies (e.g. the same method, another sector)
    #: ODS code -> where the study lists it, so that a problem with one trust is reported at its own line.
    trust_places: Mapping[str, Origin] = field(default_factory=dict, compare=False)
    #: The roles the study adds to the role vocabulary (its interviewees', its sources' speakers').
    roles: tuple[StudyRole, ...] = ()
    #: The subset of a shared codebook the study uses (action and outcome type IDs); empty: it makes no claim.
    codebook_types: tuple[str, ...] = ()
    #: "codebook_types/ID" -> where the study lists that type, for the check made once the codebook is known.
    places: Mapping[str, Origin] = field(default_factory=dict, compare=False)


#: How a theme of one study's scheme maps to a theme of another: SKOS mapping properties, by field name.
#: Each is read from the declaring theme towards the theme it names, and queries roll up the same way.
THEME_MAPPINGS = ("exact_match", "close_match", "broad_match")


@dataclass(frozen=True)
class StudyTheme:
    """A theme of one study's own scheme, with its mappings to themes of other schemes (by field name)."""

    id: str
    label: str
    definition: str | None = None
    broader: str | None = None  # a theme of the same scheme
    mappings: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # THEME_MAPPINGS field -> theme IDs
    origin: Origin = field(default=Origin("?"), compare=False)
    places: Mapping[str, Origin] = field(default_factory=dict, compare=False)  # field name -> where it was read


@dataclass(frozen=True)
class ThemeScheme:
    """The themes a study brings in its data (``themes/STUDY-ID.yaml``)."""

    study: str  # source ID of the study
    label: str
    themes: tuple[StudyTheme, ...]
    origin: Origin = field(default=Origin("?"), compare=False)


@dataclass(frozen=True)
class SourceDocument:
    """A public document, identified by its URL; a study when ``study`` is set."""

    id: str
    url: str
    title: str
    kind: str
    published: PartialDate | None = None
    publisher: str | None = None
    note: str | None = None
    origin: Origin = field(default=Origin("?"), compare=False)
    part_of: str | None = None  # source ID of the study this document belongs to
    study: StudyDetails | None = None
    places: Mapping[str, Origin] = field(default_factory=dict, compare=False)  # field name -> where it was read
    #: Source ID of the original this document re-publishes (a mirror, a document-sharing copy, a
    #: staging host, a page relaying another's words): counted as that original, never as one more source.
    copy_of: str | None = None


@dataclass(frozen=True)
class CodebookType:
    """An action type or outcome type of the codebook."""

    id: str
    label: str
    definition: str
    themes: tuple[str, ...] = ()
    broader: str | None = None
    reserved: bool = False
    origin: Origin = field(default=Origin("?"), compare=False)
    places: Mapping[str, Origin] = field(default_factory=dict, compare=False)  # field name -> where it was read


@dataclass(frozen=True)
class Codebook:
    action_types: dict[str, CodebookType]
    outcome_types: dict[str, CodebookType]


@dataclass(frozen=True)
class Site:
    id: str
    name: str


@dataclass(frozen=True)
class CoreService:
    """A service the regulator inspects and rates on its own (e.g. forensic inpatient wards)."""

    id: str
    name: str


#: How a trust may end in another: the case file's field for each, read "this trust FIELD the other".
SUCCESSIONS = ("merged_into", "acquired_by", "succeeded_by")


@dataclass(frozen=True)
class Succession:
    """The trust's end in another trust (``kind`` one of :data:`SUCCESSIONS`), on a date as precise as the source.

    ``trust`` is the other trust's ODS code: it may have a case file of its own or be named by its code only.
    """

    kind: str
    trust: str
    date: PartialDate
    origin: Origin = field(default=Origin("?"), compare=False)


@dataclass(frozen=True)
class Trust:
    ods: str
    name: str
    types: tuple[str, ...]  # trust-type IDs: one or more (a trust may run services of several kinds)
    sources: tuple[SourceRef, ...]
    foundation_trust: bool | None = None
    other_names: tuple[str, ...] = ()
    sites: tuple[Site, ...] = ()
    core_services: tuple[CoreService, ...] = ()
    area_served: str | None = None
    cqc_page: str | None = None
    note: str | None = None
    origin: Origin = field(default=Origin("?"), compare=False)
    #: Its end in another trust, if it ended so; its ratings stay its own (never spliced into the other's series).
    succession: Succession | None = None
    dissolved: PartialDate | None = None
    dissolved_origin: Origin = field(default=Origin("?"), compare=False)

    @property
    def ended(self) -> PartialDate | None:
        """When the trust ceased to exist on its own: dissolved, or its succession, whichever the source gives first."""
        succession = self.succession.date if self.succession is not None else None
        dates = [date for date in (self.dissolved, succession) if date is not None]
        return min(dates, key=PartialDate.sort_key) if dates else None


@dataclass(frozen=True)
class Inspection:
    id: str
    ratings: dict[str, str]  # key-question ID -> rating-level ID
    sources: tuple[SourceRef, ...]
    start: PartialDate | None = None
    end: PartialDate | None = None
    published: PartialDate | None = None
    site: str | None = None  # site ID for a location-level inspection
    core_service: str | None = None  # core-service ID for an inspection of one core service
    label: str | None = None
    note: str | None = None
    origin: Origin = field(default=Origin("?"), compare=False)

    @property
    def date(self) -> PartialDate:
        """The date that orders inspections: when it started, else when it was published."""
        date = self.start or self.published
        assert date is not None, "the loader guarantees a start or published date"
        return date

    @property
    def scope(self) -> tuple[str | None, str | None]:
        """What was inspected: (site, core service); (None, None) for the whole trust. Each scope is its own series."""
        return (self.site, self.core_service)


@dataclass(frozen=True)
class SpecialMeasuresEpisode:
    id: str
    entered: PartialDate | None  # None when the source does not say when the trust entered
    sources: tuple[SourceRef, ...]
    exited: PartialDate | None = None
    note: str | None = None
    origin: Origin = field(default=Origin("?"), compare=False)


#: The regulatory episodes besides special measures, by the ``kind`` a case file gives them.
REGULATORY_EPISODE_KINDS = ("enforcement-action", "warning-notice", "licence-breach", "special-measures-recommended")


@dataclass(frozen=True)
class RegulatoryEpisode:
    """An enforcement action, warning notice, licence breach or recommendation of special measures, with
    whatever dates the source gives (a start, an end, both or neither)."""

    id: str
    kind: str  # one of REGULATORY_EPISODE_KINDS
    sources: tuple[SourceRef, ...]
    start: PartialDate | None = None
    end: PartialDate | None = None
    note: str | None = None
    origin: Origin = field(default=Origin("?"), compare=False)


@dataclass(frozen=True)
class Interview:
    id: str
    role: str
    source: SourceRef | None = None
    date: PartialDate | None = None
    origin: Origin = field(default=Origin("?"), compare=False)


@dataclass(frozen=True)
class Action:
    id: str
    type: str
    label: str
    sources: tuple[SourceRef, ...]
    description: str | None = None
    roles: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()  # coded by the curator
    stated_themes: tuple[str, ...] = ()  # stated by the source itself
    started: PartialDate | None = None
    note: str | None = None
    origin: Origin = field(default=Origin("?"), compare=False)
    places: Mapping[str, Origin] = field(default_factory=dict, compare=False)  # field name -> where it was read


@dataclass(frozen=True)
class YearSpan:
    """A year the source gives only roughly: "about 2015" (``approximate``, one year) or a range, 2014 to 2016."""

    earliest: int
    latest: int
    approximate: bool = False

    def __str__(self) -> str:
        return f"about {self.earliest}" if self.approximate else f"{self.earliest} to {self.latest}"


@dataclass(frozen=True)
class MeasureValue:
    """A measure's value, in a year (``year``), a span of years (``span``) or no year at all (a rank the source
    gives without one)."""

    value: float
    year: int | None = None
    span: YearSpan | None = None

    def years(self) -> tuple[int, int] | None:
        """The earliest and latest year the value can be of; None when the source gives no year."""
        if self.year is not None:
            return (self.year, self.year)
        return (self.span.earliest, self.span.latest) if self.span is not None else None

    def when(self) -> str:
        return str(self.year) if self.year is not None else str(self.span) if self.span is not None else "no year"


#: Which way a relative change went.
CHANGE_DIRECTIONS = ("rise", "fall")


@dataclass(frozen=True)
class RelativeChange:
    """A change the source gives only as a percentage of an unstated baseline: "a 37% fall"."""

    percent: float
    direction: str  # one of CHANGE_DIRECTIONS


@dataclass(frozen=True)
class Outcome:
    """A measure change (``measure`` set) or a reported change (``measure`` unset)."""

    id: str
    type: str
    label: str
    sources: tuple[SourceRef, ...]
    description: str | None = None
    measure: str | None = None
    unit: str | None = None
    before: MeasureValue | None = None
    after: MeasureValue | None = None
    note: str | None = None
    origin: Origin = field(default=Origin("?"), compare=False)
    places: Mapping[str, Origin] = field(default_factory=dict, compare=False)  # field name -> where it was read
    relative_change: RelativeChange | None = None


@dataclass(frozen=True)
class RatingChangeRef:
    """An evidence item's pointer to a derived rating change: the key question and the later inspection."""

    key_question: str
    inspection_id: str

    def __str__(self) -> str:
        return f"{self.key_question}@{self.inspection_id}"

    @staticmethod
    def parse(outcome: str) -> RatingChangeRef | None:
        """The rating change an outcome name ``KEY-QUESTION@INSPECTION-ID`` points to; None for an outcome's ID."""
        if "@" not in outcome:
            return None
        key_question, _, inspection_id = outcome.partition("@")
        return RatingChangeRef(key_question, inspection_id)


@dataclass(frozen=True)
class RatingChange:
    """Derived, never loaded: one key question's rating between two consecutive inspections rating it.

    ``skipped`` are the inspections of the same scope in between that did not rate the key question:
    the change spans them.
    """

    key_question: str
    before: Inspection
    after: Inspection
    skipped: tuple[Inspection, ...] = ()

    @property
    def ref(self) -> RatingChangeRef:
        return RatingChangeRef(self.key_question, self.after.id)

    @property
    def from_level(self) -> str:
        return self.before.ratings[self.key_question]

    @property
    def to_level(self) -> str:
        return self.after.ratings[self.key_question]

    @property
    def rank_change(self) -> int:
        ranks = rating_ranks()
        return ranks[self.to_level] - ranks[self.from_level]

    @property
    def direction(self) -> str:
        """The broad derived outcome type: rating-improved or rating-declined."""
        return RATING_IMPROVED if self.rank_change > 0 else RATING_DECLINED


#: How strongly a source links an action to an outcome, strongest first: ``stated`` (the source credits
#: the action for the outcome), ``reported-together`` (it reports both without crediting one to the
#: other), ``curator`` (the curator's own inference, which needs a note saying why).
ATTRIBUTIONS = ("stated", "reported-together", "curator")


@dataclass(frozen=True)
class LinkClaim:
    """One action -> outcome link that an evidence item supports, with how its source makes it.

    ``outcome`` is an outcome's ID, or a derived rating change written ``KEY-QUESTION@INSPECTION-ID``
    (the inspection the change arrives at), as evidence items name them.
    """

    action: str
    outcome: str
    attribution: str
    note: str | None = None
    origin: Origin = field(default=Origin("?"), compare=False)
    #: Why the claim has this attribution, paraphrasing the source (what the reviewer's sheet shows).
    reason: str | None = None


@dataclass(frozen=True)
class ProjectCodeRef:
    """A code of one QDA project, by the project (its source ID) and the code's GUID."""

    project: str
    guid: str


@dataclass(frozen=True)
class ProjectCode:
    """A code of a QDA project kept as it is (a SKOS concept in a scheme of its project), not dropped."""

    ref: ProjectCodeRef
    label: str
    definition: str | None
    broader: str | None  # the parent code's GUID
    origin: Origin = field(default=Origin("?"), compare=False)


@dataclass(frozen=True)
class Evidence:
    id: str
    statement: str
    sources: tuple[SourceRef, ...] = ()
    interview: str | None = None
    reported_by: str | None = None
    themes: tuple[str, ...] = ()
    stated_themes: tuple[str, ...] = ()
    actions: tuple[str, ...] = ()
    outcomes: tuple[str, ...] = ()
    rating_changes: tuple[RatingChangeRef, ...] = ()
    #: The links this item supports, each claimed as strongly as its source claims it.
    links: tuple[LinkClaim, ...] = ()
    #: Another evidence item of the same trust that rests on the same underlying statement (the same
    #: quotation, or this item's source re-publishing that item's): the two count as one source.
    same_statement_as: str | None = None
    note: str | None = None
    #: Who coded the passage (names or pseudonyms, as the loader was told), for a coded interview passage.
    coders: tuple[str, ...] = ()
    #: True when ``statement`` is the interviewee's verbatim words (no paraphrase was given), so that a
    #: build leaving quotes out replaces it.
    verbatim: bool = False
    #: The QDA project's own codes applied to the passage that the mapping gives no trustkg meaning.
    project_codes: tuple[ProjectCodeRef, ...] = ()
    origin: Origin = field(default=Origin("?"), compare=False)
    #: Where each reference was read, checked once the inputs are merged: "interview",
    #: "actions/ID", "outcomes/ID" and "outcomes/KEY-QUESTION@INSPECTION-ID".
    places: Mapping[str, Origin] = field(default_factory=dict, compare=False)


def statement_source(
    item: Evidence, items: Mapping[str, Evidence], sources: Mapping[str, SourceDocument]
) -> SourceDocument | None:
    """The original source an item's statement rests on; None for interview evidence (it rests on its interview).

    The item's first source is where its statement comes from (documents cited after it relay it),
    counted as the original it copies; an item sharing another's statement rests on what that one
    rests on. Independent sources are counted as distinct values of this.
    """
    if item.same_statement_as is not None:
        item = items[item.same_statement_as]
    # A coded interview passage cites its project (for the position), but its statement is the interview's.
    if item.interview is not None or not item.sources:
        return None
    source = sources[item.sources[0].source_id]
    return sources[source.copy_of] if source.copy_of is not None else source


@dataclass(frozen=True)
class TrustCase:
    """Everything one case file says about one trust."""

    trust: Trust
    inspections: tuple[Inspection, ...] = ()
    special_measures: tuple[SpecialMeasuresEpisode, ...] = ()
    interviews: tuple[Interview, ...] = ()
    actions: tuple[Action, ...] = ()
    outcomes: tuple[Outcome, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    origin: Origin = field(default=Origin("?"), compare=False)
    #: Section -> IDs declared by records dropped for a problem already reported where declared,
    #: so that the evidence naming them is not reported again.
    unreadable: Mapping[str, frozenset[str]] = field(default_factory=dict, compare=False)
    regulatory_episodes: tuple[RegulatoryEpisode, ...] = ()

    def rating_changes(self) -> Iterator[RatingChange]:
        return derive_rating_changes(self.inspections)


def rating_spans(inspections: Iterable[Inspection]) -> Iterator[RatingChange]:
    """Every pair of consecutive inspections of one scope rating one key question, changed or not.

    Trust-level, site-level and core-service inspections are separate series: a hospital
    rated Good after the trust was rated Inadequate is not a trust change.
    """
    scopes: dict[tuple[str | None, str | None], list[Inspection]] = {}
    for inspection in sorted(inspections, key=lambda i: i.date.sort_key()):
        scopes.setdefault(inspection.scope, []).append(inspection)
    for ordered in scopes.values():
        key_questions = dict.fromkeys(kq for inspection in ordered for kq in inspection.ratings)
        for key_question in key_questions:
            rated = [index for index, inspection in enumerate(ordered) if key_question in inspection.ratings]
            for first, second in pairwise(rated):
                skipped = tuple(ordered[first + 1 : second])
                yield RatingChange(key_question, ordered[first], ordered[second], skipped)


def derive_rating_changes(inspections: Iterable[Inspection]) -> Iterator[RatingChange]:
    """Rating changes between consecutive inspections of the same scope, per key question.

    Only real changes are yielded; an unchanged rating is not an outcome.
    """
    return (span for span in rating_spans(inspections) if span.rank_change != 0)


def rating_gaps(case: TrustCase) -> Iterator[str]:
    """What the derived changes of one trust cannot see, in words: for the build report.

    An inspection that did not rate a key question rated before and after it (the change spans it),
    and a first inspection of a scope with no published rating at all (no change can start there).
    """
    ods = case.trust.ods
    for span in rating_spans(case.inspections):
        for inspection in span.skipped:
            yield (
                f"{ods}: {span.key_question} not rated at {inspection.id}; "
                f"the {span.key_question} change is taken from {span.before.id} to {span.after.id}"
            )
    firsts: dict[tuple[str | None, str | None], Inspection] = {}
    for inspection in sorted(case.inspections, key=lambda i: i.date.sort_key()):
        firsts.setdefault(inspection.scope, inspection)
    for inspection in firsts.values():
        if not inspection.ratings:
            yield f"{ods}: {inspection.id} has no published rating, so no rating change starts there"


def later_falls(changes: Iterable[RatingChange]) -> Iterator[tuple[RatingChange, RatingChange]]:
    """Each rise with every later fall of the same rating in the same scope: evidence that it did not last."""
    series: dict[tuple[tuple[str | None, str | None], str], list[RatingChange]] = {}
    for change in changes:
        series.setdefault((change.after.scope, change.key_question), []).append(change)
    for ordered in series.values():
        ordered.sort(key=lambda change: change.after.date.sort_key())
        for index, rise in enumerate(ordered):
            if rise.rank_change > 0:
                yield from ((rise, fall) for fall in ordered[index + 1 :] if fall.rank_change < 0)


def place(
    record: SourceDocument | CodebookType | StudyTheme | StudyRole | Action | Outcome | Evidence,
    field_name: str,
) -> Origin:
    """Where one field of a record was read, or the record itself when the loader did not say."""
    return record.places.get(field_name, record.origin)


@dataclass(frozen=True)
class Records:
    """What one loader read from one input (KGX style: source -> records), not yet checked across records.

    Lists, not maps keyed by ID: a duplicate must survive the merge to be reported
    at its own place. References (to sources, codebook types, studies, trusts) are
    kept as read; the checks run once the records of every input are merged.
    """

    action_types: tuple[CodebookType, ...] = ()
    outcome_types: tuple[CodebookType, ...] = ()
    sources: tuple[SourceDocument, ...] = ()
    cases: tuple[TrustCase, ...] = ()
    #: The theme schemes the input's studies bring (the package's default scheme is not among them).
    theme_schemes: tuple[ThemeScheme, ...] = ()
    #: Where this input's codebook lists its outcome types; None when the input relies on another's codebook.
    codebook: Origin | None = None
    #: Source IDs declared by entries dropped for a problem already reported where declared,
    #: so that the records citing them are not reported again.
    unreadable_sources: frozenset[str] = frozenset()
    #: What the loader found wrong while reading (the records with a problem are left out).
    problems: tuple[Problem, ...] = ()
    #: Interviews, actions, outcomes and evidence about trusts whose case another input declares: each is
    #: merged into that trust's case (``trust`` gives only the ODS code and where it was named).
    additions: tuple[TrustCase, ...] = ()
    #: QDA projects' own codes that no mapping gave a trustkg meaning.
    project_codes: tuple[ProjectCode, ...] = ()
    #: ODS codes of case files whose trust was dropped for a problem reported where it was read, so that
    #: what names the trust (a study, another input's interviews) is not told it has no case file.
    unreadable_trusts: frozenset[str] = frozenset()

    def __add__(self, other: Records) -> Records:
        return Records(
            self.action_types + other.action_types,
            self.outcome_types + other.outcome_types,
            self.sources + other.sources,
            self.cases + other.cases,
            self.theme_schemes + other.theme_schemes,
            self.codebook or other.codebook,
            self.unreadable_sources | other.unreadable_sources,
            self.problems + other.problems,
            self.additions + other.additions,
            self.project_codes + other.project_codes,
            self.unreadable_trusts | other.unreadable_trusts,
        )


@dataclass(frozen=True)
class EvidenceBase:
    """The whole loaded input: codebook, shared sources and one case per trust."""

    codebook: Codebook
    sources: dict[str, SourceDocument]
    cases: tuple[TrustCase, ...]
    project_codes: tuple[ProjectCode, ...] = ()
    theme_schemes: tuple[ThemeScheme, ...] = ()
