"""Golden checks on the shipped evidence base in data/: what keeps it honest.

The spot-check tables below were written by hand from the facts pack the data was compiled from (its
per-trust inspection tables and special-measures lines), not generated from data/, and are compared
with the built graph.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import REPO
from rdflib import Graph, URIRef

from trustkg import api
from trustkg.build import build_graph
from trustkg.evidence_profile import profile_markdown
from trustkg.iris import local_name as local
from trustkg.links_report import links_markdown
from trustkg.links_report import main as links_report_main
from trustkg.loaders.casefiles import DERIVED_OUTCOME_TYPES, load_case_files
from trustkg.records import EvidenceBase
from trustkg.sources_report import main as sources_report_main
from trustkg.sources_report import sources_markdown
from trustkg.store import local_stores, new_graph

DATA_DIR = REPO / "data"
PREFIXES = """
PREFIX tkg: <https://w3id.org/trustkg/def/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""

TRUSTS = {"RTX", "RXR", "RGT", "RD7", "RA7", "RF4", "RR8", "RQ8"}

ALL_KQ = ("overall", "safe", "effective", "caring", "responsive", "well-led")
RI, INADEQUATE, GOOD, OUTSTANDING = "requires-improvement", "inadequate", "good", "outstanding"


def six(*levels: str) -> dict[str, str]:
    """Ratings on all six key questions, in the order overall, safe, effective, caring, responsive, well-led."""
    return dict(zip(ALL_KQ, levels, strict=True))


# (ODS, site label or None for trust level, start, published or None, every rating the pack gives).
# The rating dicts are exact: a key question the pack marks n/f must be absent from the graph.
INSPECTIONS: list[tuple[str, str | None, str, str | None, dict[str, str]]] = [
    ("RTX", None, "2014-02", "2014-06-26", {"overall": INADEQUATE}),
    ("RTX", None, "2015-07", "2015-12-03", {"overall": RI}),
    ("RTX", None, "2016-10-11", "2017-02-09", six(GOOD, RI, GOOD, OUTSTANDING, GOOD, GOOD)),
    ("RTX", "Royal Lancaster Infirmary", "2015-07", None, six(RI, RI, RI, GOOD, RI, RI)),
    ("RXR", None, "2014-04", "2014-07-09", {"overall": RI}),
    ("RXR", None, "2016-09-20", "2017-01-04", {"overall": GOOD}),
    ("RXR", None, "2018-08-28", "2019-02-12", six(GOOD, GOOD, GOOD, GOOD, RI, GOOD)),
    ("RXR", "Royal Blackburn Hospital", "2015-10-19", None, {"overall": GOOD}),
    (
        "RGT",
        None,
        "2015-04",
        "2015-09-22",
        {"overall": INADEQUATE, "safe": INADEQUATE, "responsive": INADEQUATE, "well-led": INADEQUATE},
    ),
    ("RGT", None, "2016-09-20", "2017-01-18", six(GOOD, GOOD, GOOD, OUTSTANDING, RI, GOOD)),
    ("RGT", None, "2018-10-30", "2019-02-26", six(GOOD, GOOD, GOOD, OUTSTANDING, RI, OUTSTANDING)),
    ("RD7", None, "2014-02-11", "2014-05-01", {"overall": INADEQUATE}),
    ("RD7", "Wexham Park Hospital", "2014-02-11", "2014-05-01", {"overall": INADEQUATE}),
    ("RD7", "Heatherwood Hospital", "2014-02-11", "2014-05-01", {"overall": GOOD}),
    ("RD7", "Wexham Park Hospital", "2015-10", "2016-02-02", {"overall": GOOD}),
    ("RD7", "Wexham Park Hospital", "2018-11", "2019", six(GOOD, GOOD, GOOD, GOOD, GOOD, OUTSTANDING)),
    ("RA7", None, "2014-09", "2014-12-02", {"overall": RI, "effective": GOOD, "caring": GOOD}),
    ("RA7", None, "2016-11", "2017-03-02", six(OUTSTANDING, GOOD, OUTSTANDING, GOOD, RI, OUTSTANDING)),
    ("RA7", None, "2019-04-30", "2019-08-16", six(OUTSTANDING, RI, GOOD, OUTSTANDING, GOOD, OUTSTANDING)),
    ("RF4", None, "2013-10", "2013-12-18", {}),
    ("RF4", None, "2015-03", "2015-07-02", {"overall": RI, "responsive": INADEQUATE}),
    ("RF4", None, "2016-09", "2017-03-07", {"overall": RI}),
    ("RF4", None, "2018-01", "2018-06-22", {"overall": RI, "caring": GOOD}),
    ("RR8", None, "2014-03", "2014-07-01", {"overall": RI}),
    ("RR8", None, "2016-05-10", "2016-09-27", six(GOOD, RI, GOOD, GOOD, GOOD, GOOD)),
    ("RR8", None, "2018-08", "2019-02-15", {"overall": GOOD, "well-led": GOOD}),
    ("RQ8", None, "2014-11-26", "2015-04", {"overall": RI}),
    ("RQ8", None, "2016-06-14", "2016-12-01", six(GOOD, RI, GOOD, GOOD, GOOD, GOOD)),
    ("RQ8", None, "2018-09", "2019-02-01", six(RI, RI, RI, GOOD, RI, RI)),
    ("RQ8", None, "2019-11-05", "2020-03-09", six(RI, RI, GOOD, GOOD, RI, GOOD)),
]

# Special-measures periods (entered, exited) by trust; UH Bristol, Leeds and Mid Essex were never in.
SPECIAL_MEASURES = {
    ("RTX", "2014-06", "2015-12"),
    ("RXR", "2013-07", "2014-07"),
    ("RGT", "2015-09", "2017-01"),
    ("RD7", "2014-05", "2014-10"),
    ("RF4", "2013-12", "2017-03"),
}

# Rating changes the build must derive, worked out by hand from the tables above:
# (ODS, key question, from level, to level, site label of the later inspection or None).
RATING_CHANGES = {
    ("RTX", "overall", INADEQUATE, RI, None),
    ("RTX", "overall", RI, GOOD, None),
    ("RTX", "overall", GOOD, RI, None),
    ("RGT", "well-led", INADEQUATE, GOOD, None),
    ("RGT", "well-led", GOOD, OUTSTANDING, None),
    ("RD7", "overall", INADEQUATE, GOOD, "Wexham Park Hospital"),
    ("RA7", "overall", RI, OUTSTANDING, None),
    ("RQ8", "overall", GOOD, RI, None),
    ("RQ8", "well-led", RI, GOOD, None),
}

# People named in the facts pack's `names` fields. None may appear anywhere in data/ (role only).
PEOPLE = [
    "Jackie Daniel", "Sue Smith", "David Wilkinson", "Aaron Cummins", "Eric Morton", "Jim Birrell",
    "Kevin McGee", "Christine Pearson", "Kevin Moynes", "Keith McNeil", "Roland Sinker", "Lorraine Szeremeta",
    "Fay Gilder", "Ewen Cameron", "Joan Milne", "Andrew Morris", "Neil Dardis", "Janet King", "Tim Ho",
    "Julie Burgess", "Philippa Slinger", "Robert Woolley", "Matthew Hopkins", "Jeff Buggle", "Kathryn Halford",
    "Deborah Tarrant", "Julian Hartley", "Yvette Oade", "Jenny Lewis", "Clare Panniker", "Mike Richards",
    "Jeremy Hunt", "Ted Baker",
]  # fmt: skip
# Surnames distinctive enough to search for on their own (others, like King or Hunt, are common words).
SURNAMES = [
    "Cummins", "Birrell", "McGee", "Moynes", "McNeil", "Sinker", "Szeremeta", "Gilder", "Milne", "Dardis",
    "Slinger", "Woolley", "Hopkins", "Buggle", "Halford", "Tarrant", "Hartley", "Oade", "Panniker",
]  # fmt: skip


@pytest.fixture(scope="module")
def data_base() -> EvidenceBase:
    return load_case_files(DATA_DIR)


@pytest.fixture(scope="module", params=local_stores())
def data_graph(request: pytest.FixtureRequest, data_base: EvidenceBase) -> Graph:
    graph, _ = build_graph(data_base, new_graph(request.param))
    return graph


def select(graph: Graph, sparql: str) -> list[tuple[object, ...]]:
    return [tuple(row) for row in graph.query(PREFIXES + sparql)]  # type: ignore[arg-type]


# --- the build ------------------------------------------------------------------------


def test_build_yields_all_eight_trusts(tmp_path: Path) -> None:
    built = api.build_graph_from(DATA_DIR, out_dir=tmp_path)
    assert built.summary.trusts == 8
    odss = {str(ods) for (ods,) in select(built.graph, "SELECT ?ods WHERE { ?t a tkg:Trust ; tkg:odsCode ?ods }")}
    assert odss == TRUSTS
    per_trust = select(
        built.graph,
        """SELECT ?ods (COUNT(DISTINCT ?i) AS ?inspections) (COUNT(DISTINCT ?a) AS ?actions)
                  (COUNT(DISTINCT ?e) AS ?evidence)
           WHERE { ?t tkg:odsCode ?ods .
                   ?i a tkg:Inspection ; tkg:trust ?t . ?a a tkg:Action ; tkg:trust ?t .
                   ?e a tkg:Evidence ; tkg:trust ?t . }
           GROUP BY ?ods""",
    )
    assert {str(row[0]) for row in per_trust} == TRUSTS
    for ods, inspections, actions, evidence in per_trust:
        assert int(str(inspections)) >= 2 and int(str(actions)) >= 5 and int(str(evidence)) >= 8, ods
    assert {path.suffix for path in built.written} >= {".ttl", ".nt"}


# --- every fact cited -----------------------------------------------------------------


def test_every_fact_has_a_source_document_with_a_url(data_graph: Graph) -> None:
    uncited = select(
        data_graph,
        """SELECT ?x WHERE {
             VALUES ?class { tkg:Trust tkg:Inspection tkg:SpecialMeasuresEpisode tkg:Action
                             tkg:MeasureChange tkg:ReportedChange }
             ?x a ?class .
             FILTER NOT EXISTS { ?x dcterms:source ?d . ?d a tkg:Document }
           }""",
    )
    assert uncited == []
    underived = select(
        data_graph,
        "SELECT ?e WHERE { ?e a tkg:Evidence FILTER NOT EXISTS { ?e prov:wasDerivedFrom ?d . ?d a tkg:Document } }",
    )
    assert underived == []
    documents = select(data_graph, "SELECT ?d WHERE { ?d a tkg:Document }")
    assert documents and all(re.match(r"https?://", str(d)) for (d,) in documents)


def test_measure_changes_have_a_unit_and_a_dated_value(data_base: EvidenceBase) -> None:
    measures = [o for case in data_base.cases for o in case.outcomes if o.measure]
    assert measures
    for outcome in measures:
        assert outcome.unit, outcome.id
        assert outcome.after is not None or outcome.before is not None, outcome.id


# --- the codebook ---------------------------------------------------------------------


def test_every_codebook_entry_is_used_or_reserved(data_base: EvidenceBase) -> None:
    cases = data_base.cases
    used_actions = {a.type for case in cases for a in case.actions}
    used_outcomes = {o.type for case in cases for o in case.outcomes}
    for case in cases:
        for change in case.rating_changes():
            used_outcomes.add(DERIVED_OUTCOME_TYPES[0] if change.rank_change > 0 else DERIVED_OUTCOME_TYPES[1])
    for types, used in (
        (data_base.codebook.action_types, used_actions),
        (data_base.codebook.outcome_types, used_outcomes),
    ):
        unused = {t for t, entry in types.items() if t not in used and not entry.reserved}
        stale = {t for t, entry in types.items() if t in used and entry.reserved}
        assert unused == set(), "define these as reserved: true or use them"
        assert stale == set(), "used, so no longer reserved"
    assert len(data_base.codebook.action_types) >= 25 and len(data_base.codebook.outcome_types) >= 15


def test_codebook_entries_have_definitions_and_labels_are_unique(data_base: EvidenceBase) -> None:
    for types in (data_base.codebook.action_types, data_base.codebook.outcome_types):
        labels = [entry.label.lower() for entry in types.values()]
        assert len(labels) == len(set(labels)), "near-duplicate types share a label"
        assert all(len(entry.definition) >= 40 for entry in types.values())


# --- hand spot checks -------------------------------------------------------------------


def _inspections(graph: Graph) -> dict[tuple[str, str | None, str], tuple[str | None, dict[str, str]]]:
    """(ODS, site label, start) -> (published, ratings) for every inspection in the graph."""
    rows = select(
        graph,
        """SELECT ?ods ?site ?start ?published ?kq ?level WHERE {
             ?i a tkg:Inspection ; tkg:trust/tkg:odsCode ?ods ; tkg:startDate ?start .
             OPTIONAL { ?i tkg:site/rdfs:label ?site }
             OPTIONAL { ?i tkg:publishedDate ?published }
             OPTIONAL { ?i tkg:hasRating [ tkg:keyQuestion ?kq ; tkg:ratingLevel ?level ] }
           }""",
    )
    found: dict[tuple[str, str | None, str], tuple[str | None, dict[str, str]]] = {}
    for ods, site, start, published, kq, level in rows:
        key = (str(ods), str(site) if site is not None else None, str(start))
        entry = found.setdefault(key, (str(published) if published is not None else None, {}))
        if kq is not None:
            entry[1][local(kq)] = local(level)
    return found


@pytest.mark.parametrize(("ods", "site", "start", "published", "ratings"), INSPECTIONS)
def test_inspection_spot_checks(
    data_graph: Graph, ods: str, site: str | None, start: str, published: str | None, ratings: dict[str, str]
) -> None:
    found = _inspections(data_graph)
    assert (ods, site, start) in found, f"no inspection of {ods} {site or ''} starting {start}"
    assert found[(ods, site, start)] == (published, ratings)


def test_spot_checks_cover_two_inspections_per_trust() -> None:
    for ods in TRUSTS:
        assert sum(1 for row in INSPECTIONS if row[0] == ods) >= 2, ods


def test_special_measures_periods(data_graph: Graph) -> None:
    rows = select(
        data_graph,
        """SELECT ?ods ?entered ?exited WHERE {
             ?e a tkg:SpecialMeasuresEpisode ; tkg:trust/tkg:odsCode ?ods ; tkg:startDate ?entered .
             OPTIONAL { ?e tkg:endDate ?exited } }""",
    )
    assert {(str(ods), str(entered), str(exited)) for ods, entered, exited in rows} == SPECIAL_MEASURES


def test_derived_rating_changes(data_graph: Graph) -> None:
    rows = select(
        data_graph,
        """SELECT ?ods ?kq ?from ?to ?site WHERE {
             ?c a tkg:RatingChange ; tkg:trust/tkg:odsCode ?ods ; tkg:keyQuestion ?kq ;
                tkg:fromLevel ?from ; tkg:toLevel ?to ; tkg:toInspection ?i .
             OPTIONAL { ?i tkg:site/rdfs:label ?site } }""",
    )
    derived = {(str(o), local(k), local(f), local(t), str(s) if s is not None else None) for o, k, f, t, s in rows}
    assert derived >= RATING_CHANGES
    # Wexham Park: every RD7 change is within one site's series, never trust-level (see the case file).
    assert all(site is not None for ods, *_, site in derived if ods == "RD7")
    # Barking, Havering and Redbridge stayed Requires improvement overall: no overall change.
    assert not any(ods == "RF4" and kq == "overall" for ods, kq, *_ in derived)


# --- people by role only ----------------------------------------------------------------


def test_no_personal_names_in_data() -> None:
    pattern = re.compile(
        r"\b(?:"
        + "|".join(
            [r"[\s_-]+".join(map(re.escape, person.split())) for person in PEOPLE] + [re.escape(s) for s in SURNAMES]
        )
        + r")\b",
        re.IGNORECASE,
    )
    files = sorted(path for path in DATA_DIR.rglob("*") if path.is_file())
    assert files
    # A title before a capitalised word is how a name usually slips in, whoever it is.
    titled = re.compile(r"\b(?:Dr|Prof|Professor|Sir|Dame|Mr|Mrs|Ms|Miss)\.? [A-Z][a-z]+")
    hits = [
        f"{path.name}: {m.group(0)}"
        for path in files
        for found in (pattern, titled)
        for m in found.finditer(path.read_text(encoding="utf-8"))
    ]
    assert hits == []


# --- the studies ------------------------------------------------------------------------


def test_driving_improvement_is_a_study_of_the_eight_trusts(data_graph: Graph) -> None:
    study = URIRef("https://www.cqc.org.uk/publications/evaluation/driving-improvement-case-studies-nhs-trusts")
    facts = select(
        data_graph,
        f"""SELECT (COUNT(DISTINCT ?theme) AS ?themes) (COUNT(DISTINCT ?role) AS ?roles)
                   (COUNT(DISTINCT ?trust) AS ?trusts) (SAMPLE(STR(?issued)) AS ?date)
            WHERE {{ <{study}> a tkg:Study ; tkg:studyTheme ?theme ; tkg:intervieweeRole ?role ;
                     tkg:studiedTrust ?trust ; dcterms:issued ?issued . }}""",
    )
    assert [tuple(map(str, row)) for row in facts] == [("9", "10", "8", "2017-06-14")]


def test_sustaining_improvement_follows_up_two_confirmed_trusts(data_graph: Graph) -> None:
    rows = select(
        data_graph,
        """SELECT ?ods ?page WHERE {
             ?s a tkg:Study ; tkg:followsUp ?earlier ; tkg:studiedTrust/tkg:odsCode ?ods .
             ?earlier a tkg:Study .
             ?page dcterms:isPartOf ?s .
             ?e prov:wasDerivedFrom ?page ; tkg:trust/tkg:odsCode ?ods . }""",
    )
    assert {str(ods) for ods, _ in rows} == {"RGT", "RXR"}


# --- the headline query -----------------------------------------------------------------


def test_leadership_actions_to_outcomes(data_graph: Graph) -> None:
    table = api.query(data_graph, "actions-to-outcomes", theme="leadership")
    rows = {(local(r[0]), local(r[1])): tuple(int(str(v)) for v in r[2:10]) for r in table.rows}
    grades = {(local(r[0]), local(r[1])): local(r[10]) for r in table.rows}
    # Worked out by hand from the case files: rxr-e1, rf4-e1 and rq8-e1 each claim a link from a change of
    # leadership to a more open culture, all three reported by the regulator, from CQC and news sources,
    # resting on three CQC releases (the news items relay them). Only rq8-e1's claim is stated (the CQC
    # puts the improvement down to the interim chief executive); rxr-e1 and rf4-e1 report the two side
    # by side. No rating is involved, so nothing contradicts it: moderate (strong needs two stated).
    assert rows[("leadership-replacement", "open-culture")] == (3, 3, 1, 3, 3, 1, 1, 0)
    assert grades[("leadership-replacement", "open-culture")] == "moderate"
    # rgt-e1 (the CQC release) and rgt-e2 (Nursing Times re-publishing the same CQC statement): special
    # measures as a wake-up call, then exit. Both are the regulator's voice, and rgt-e2 shares rgt-e1's
    # statement, so the re-published quotation counts once: one independent source, limited support.
    assert rows[("report-as-catalyst", "special-measures-exit")] == (2, 1, 1, 2, 1, 1, 2, 0)
    assert grades[("report-as-catalyst", "special-measures-exit")] == "limited"
    assert len(rows) >= 15
    # Seven kinds of leadership action, not eight: the audit dropped ra7-e2's claim from ra7-listening
    # (staff-listening) to the Outstanding rating, a pledge for the future made on receiving it.
    assert len({key[0] for key in rows}) >= 7
    assert ("staff-listening", "rating-improved/overall") not in rows


# --- SOURCES.md -----------------------------------------------------------------------------


def test_sources_md_is_current(data_base: EvidenceBase) -> None:
    committed = (DATA_DIR / "SOURCES.md").read_text(encoding="utf-8")
    assert committed == sources_markdown(data_base), "run: python -m trustkg.sources_report"
    assert sources_report_main(["--data", str(DATA_DIR), "--out", str(DATA_DIR / "SOURCES.md"), "--check"]) == 0


def test_sources_md_lists_every_source_with_its_url(data_base: EvidenceBase) -> None:
    text = sources_markdown(data_base)
    for source in data_base.sources.values():
        assert f"(<{source.url}>)" in text


# --- the reviewer's sheet and what the evidence is --------------------------------------------


def test_links_md_is_current(data_base: EvidenceBase) -> None:
    committed = (DATA_DIR / "LINKS.md").read_text(encoding="utf-8")
    assert committed == links_markdown(data_base), "run: python -m trustkg.links_report"
    assert links_report_main(["--data", str(DATA_DIR), "--out", str(DATA_DIR / "LINKS.md"), "--check"]) == 0


def test_every_shipped_claim_has_a_reason_on_the_sheet(data_base: EvidenceBase) -> None:
    text = links_markdown(data_base)
    claims = [(case, item, claim) for case in data_base.cases for item in case.evidence for claim in item.links]
    # The audit's counts: 83 claims, 46 stated, 36 reported together, one curator's inference with a note.
    assert len(claims) == 83
    assert sorted(c.attribution for _, _, c in claims).count("stated") == 46
    assert all(claim.reason for _, _, claim in claims)
    assert all(claim.note for _, _, claim in claims if claim.attribution == "curator")
    assert text.count("\n- **") == 83
    assert "rgt-e2, cqc inspector" in text and "the same statement as rgt-e1: counted once" in text


def test_readme_and_sources_say_what_the_evidence_is(data_base: EvidenceBase) -> None:
    profile = "\n".join(profile_markdown(data_base))
    assert "could not be read from any available copy" in profile and "no interviews from the study" in profile
    assert profile in (REPO / "README.md").read_text(encoding="utf-8"), "copy profile_markdown into README.md"
    assert profile in sources_markdown(data_base)


def test_readme_headline_answer_is_current(data_graph: Graph) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    shown = readme.split("$ trustkg query actions-to-outcomes -p min_grade=moderate\n", 1)[1].split("\n```", 1)[0]
    table = api.query(data_graph, "actions-to-outcomes", min_grade="moderate")
    assert shown == api.show_table(table, data_graph).rstrip("\n")
