"""A FICTIONAL second study (tests/fixtures/second-study) built beside the shipped 2017 study.

The fixture's ``trustkg.yaml`` merges the shipped ``data/`` with ``mh/``: an invented companion study of
two invented mental-health trusts, ZY1 (Fixture Moorside) and ZY2 (Fixture Valeside), with eight themes
of its own mapped to the 2017 themes. Facts the answers rest on, read off ``mh/``:

Inspections: ZY1 zy1-2014 (2014-11, no rating given), zy1-2016 (2016-03), zy1-2018 (2018-01); its core service
  "forensic" zy1-forensic-2016 (2016-09, safe inadequate), zy1-forensic-2017 (2017-10, safe good);
  ZY2 zy2-2015 (2015-09), zy2-2017 (2017-04, no well-led rating), zy2-2019 (2019-02).
Rating changes: ZY1 overall@zy1-2018 +2 and well-led@zy1-2018 +2 (from zy1-2016: zy1-2014 has no rating);
  safe@zy1-forensic-2017 +2 (the core service's own series); ZY2 overall@zy2-2017 +1 (from zy2-2015) and
  well-led@zy2-2019 +1 (from zy2-2015, across zy2-2017, which did not rate it). overall stays good at zy2-2019.
Regulatory episodes: ZY1 zy1-enforcement (enforcement action, 2016-04 to 2017-06); ZY2 zy2-warning (warning
  notice, 2016-01-20).
Measures (approximate): ZY2 zy2-restraint (a 37% fall, no baseline), zy2-survey-rank (48 in about 2015,
  then 12 with no year).
Actions: zy1-listening staff-listening 2016-06; zy1-board leadership-replacement 2016-05;
  zy2-safewards clinical-practice-fixes 2016.
Evidence (reporter, themes; link claims, with attribution), every item from its trust's cqc report:
  zy1-e1 chief-executive mh-staff-engagement, mh-board-leadership; zy1-listening -> well-led@zy1-2018 stated
  zy1-e2 fx-peer-support-worker (a role the study adds, in the staff group) mh-regulator-relationship; zy1-board -> overall@zy1-2018 reported-together
  zy2-e1 frontline-staff mh-restraint, mh-ward-to-board; zy2-safewards -> overall@zy2-2017 stated
  zy2-e2 chief-executive leadership (a 2017 theme); zy2-safewards -> nothing
Theme mappings: mh-staff-engagement close cultural-change; mh-regulator-relationship exact cqc-engagement;
  mh-board-leadership exact leadership; mh-shared-purpose exact vision-and-values; mh-ward-to-board broad
  governance; mh-safe-wards broad improving-safety; mh-restraint broader mh-safe-wards; mh-service-user-voice
  close patient-and-public-involvement.

With ``study=fx-mh-study-2018`` every query answers on ZY1 and ZY2 alone (worked out by hand below); with
``study=driving-improvement-2017`` it answers as on the shipped data alone (that study names all eight
shipped trusts); without ``study`` the rows of the two studies' trusts are both there.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

import networkx as nx
import pytest
from conftest import REPO, TESTS, CliRun
from query_rows import Short, listed, rows
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, SKOS

from trustkg import api, iris, store
from trustkg.ontology import TKG

SECOND_STUDY = TESTS / "fixtures" / "second-study"
MH = "fx-mh-study-2018"
DI = "driving-improvement-2017"


@pytest.fixture(scope="module", params=store.local_stores())
def combined(request: pytest.FixtureRequest) -> Graph:
    return api.build_graph_from(SECOND_STUDY, request.param).graph


@pytest.fixture(scope="module")
def shipped() -> Graph:
    return api.build_graph_from(REPO / "data", "memory").graph


#: Parameters each query needs (or is asked with) so that it has rows on the shipped data.
ASKED: dict[str, dict[str, str]] = {
    "compare-trusts": {"trust_a": "RGT", "trust_b": "RXR"},
    "evidence-for-link": {"action_type": "visible-leadership"},
    "search-evidence": {"text": "staff"},
    "trust-profile": {"trust": "RGT"},
}


def test_the_second_study_loads_beside_the_first(combined: Graph) -> None:
    study = URIRef("https://example.org/fixture/mh-study-2018")
    shipped_study = URIRef("https://www.cqc.org.uk/publications/evaluation/driving-improvement-case-studies-nhs-trusts")
    assert (study, TKG.companionOf, shipped_study) in combined
    assert (study, TKG.followsUp, shipped_study) not in combined
    assert (study, TKG.themeScheme, iris.theme_scheme(MH)) in combined
    assert (shipped_study, TKG.themeScheme, iris.theme_scheme()) in combined
    assert len(set(combined.objects(study, TKG.studyTheme))) == 8
    assert (iris.theme("mh-board-leadership"), SKOS.exactMatch, iris.theme("leadership")) in combined
    assert (iris.theme("mh-restraint"), SKOS.broader, iris.theme("mh-safe-wards")) in combined


@pytest.mark.parametrize("name", sorted(api.library_query(q.name).name for q in api.queries()))
def test_every_query_answers_for_the_2017_study_as_on_the_shipped_data_alone(
    name: str, combined: Graph, shipped: Graph
) -> None:
    asked = ASKED.get(name, {})
    assert unordered_lists(rows(combined, name, study=DI, **asked)) == unordered_lists(rows(shipped, name, **asked))


def unordered_lists(found: list[tuple[Short, ...]]) -> list[tuple[Short, ...]]:
    """Comma-separated cells (GROUP_CONCAT, whose order SPARQL leaves open) with their parts sorted."""
    return [tuple(", ".join(sorted(c.split(", "))) if isinstance(c, str) else c for c in row) for row in found]


def test_every_query_takes_a_study() -> None:
    for query in api.queries():
        parameter = query.parameter("study")
        assert (parameter.type, parameter.required) == ("study", False), query.name


# --- study=fx-mh-study-2018, worked out by hand ------------------------------------------


def test_theme_coverage_in_the_second_study_own_themes(combined: Graph) -> None:
    # A sub-theme counts for its theme (mh-restraint for mh-safe-wards); trusts in name order.
    assert rows(combined, "theme-coverage", study=MH) == [
        ("ZY1", None, 2),
        ("ZY1", "mh-board-leadership", 1),
        ("ZY1", "mh-regulator-relationship", 1),
        ("ZY1", "mh-staff-engagement", 1),
        ("ZY2", None, 2),
        ("ZY2", "leadership", 1),
        ("ZY2", "mh-restraint", 1),
        ("ZY2", "mh-safe-wards", 1),
        ("ZY2", "mh-ward-to-board", 1),
    ]


def test_theme_coverage_rolls_up_to_the_2017_themes(combined: Graph) -> None:
    assert rows(combined, "theme-coverage", study=MH, in_terms_of=DI) == [
        ("ZY1", None, 2),
        ("ZY1", "cqc-engagement", 1),  # zy1-e2, exact
        ("ZY1", "cultural-change", 1),  # zy1-e1, close
        ("ZY1", "leadership", 1),  # zy1-e1, exact
        ("ZY2", None, 2),
        ("ZY2", "governance", 1),  # zy2-e1, broad
        ("ZY2", "improving-safety", 1),  # zy2-e1, mh-restraint -> mh-safe-wards -> broad
        ("ZY2", "leadership", 1),  # zy2-e2, tagged so
    ]
    # Mappings are read one way: the 2017 trusts' themes do not roll down into the second study's.
    assert {row[1] for row in rows(combined, "theme-coverage", study=DI, in_terms_of=MH)} == {None}


def test_the_theme_matrix_of_the_combined_graph_rolled_up(combined: Graph, shipped: Graph) -> None:
    """Over both studies in the 2017 terms: the shipped trusts' rows as on their own, then ZY1 and ZY2."""
    combined_rows = rows(combined, "theme-coverage", in_terms_of=DI)
    mh_rows = rows(combined, "theme-coverage", study=MH, in_terms_of=DI)
    assert [row for row in combined_rows if row not in mh_rows] == rows(shipped, "theme-coverage")
    assert [row for row in combined_rows if row in mh_rows] == mh_rows


def test_actions_before_rating_change(combined: Graph) -> None:
    certain = "certain"
    assert rows(combined, "actions-before-rating-change", study=MH) == [
        (
            "ZY1",
            "well-led@zy1-2018",
            None,
            "2016-03",
            "2018-01",
            "zy1-board",
            "leadership-replacement",
            "2016-05",
            certain,
        ),
        (
            "ZY1",
            "well-led@zy1-2018",
            None,
            "2016-03",
            "2018-01",
            "zy1-listening",
            "staff-listening",
            "2016-06",
            certain,
        ),
        (
            "ZY2",
            "well-led@zy2-2019",
            None,
            "2015-09",
            "2019-02",
            "zy2-safewards",
            "clinical-practice-fixes",
            "2016",
            certain,
        ),
    ]
    overall = rows(combined, "actions-before-rating-change", study=MH, key_question="overall")
    assert overall[2:] == [
        (
            "ZY2",
            "overall@zy2-2017",
            None,
            "2015-09",
            "2017-04",
            "zy2-safewards",
            "clinical-practice-fixes",
            "2016",
            certain,
        )
    ]
    # The forensic service's safe rating rose from 2016-09 to 2017-10; no action started in between.
    assert rows(combined, "actions-before-rating-change", study=MH, key_question="safe") == []


def test_actions_of_class(combined: Graph) -> None:
    assert rows(combined, "actions-of-class", study=MH) == [
        ("ZY1", "zy1-board", "leadership-replacement", 1),
        ("ZY1", "zy1-listening", "staff-listening", 1),
        ("ZY2", "zy2-safewards", "clinical-practice-fixes", 2),
    ]


#: One claim each: (evidence, trusts, roles, source kinds, independent sources, role kinds, stated,
#: contradictions, grade). A stated claim from one source is "limited", a reported-together one "very limited".
ONE_STATED = (1, 1, 1, 1, 1, 1, 1, 0, "limited")
ONE_REPORTED_TOGETHER = (1, 1, 1, 1, 1, 1, 0, 0, "very-limited")


def test_actions_to_outcomes_and_back(combined: Graph) -> None:
    assert rows(combined, "actions-to-outcomes", study=MH) == [
        ("clinical-practice-fixes", "rating-improved/overall", *ONE_STATED),
        ("leadership-replacement", "rating-improved/overall", *ONE_REPORTED_TOGETHER),
        ("staff-listening", "rating-improved/well-led", *ONE_STATED),
    ]
    # A theme asked for takes in the themes of other studies mapped to it: zy1-board's mh-board-leadership is an
    # exact match of leadership, zy1-listening's mh-staff-engagement a close match of cultural-change.
    assert rows(combined, "actions-to-outcomes", study=MH, theme="leadership") == [
        ("leadership-replacement", "rating-improved/overall", *ONE_REPORTED_TOGETHER)
    ]
    assert rows(combined, "actions-to-outcomes", study=MH, theme="cultural-change") == [
        ("staff-listening", "rating-improved/well-led", *ONE_STATED)
    ]
    assert rows(combined, "actions-to-outcomes", study=MH, theme="mh-safe-wards") == [
        ("clinical-practice-fixes", "rating-improved/overall", *ONE_STATED)
    ]
    assert rows(combined, "outcome-to-actions", study=MH) == [
        ("clinical-practice-fixes", *ONE_STATED),
        ("leadership-replacement", *ONE_REPORTED_TOGETHER),
        ("staff-listening", *ONE_STATED),
    ]


def test_common_actions_of_improvers_counts_the_study_improvers(combined: Graph) -> None:
    assert rows(combined, "common-actions-of-improvers", study=MH) == []  # no type at two improvers
    # claimed_at, stated_at: zy2-e1 states its link to the overall rise, zy1-e2 reports its link together;
    # zy1-e1 links staff listening to the well-led rise, not the overall one.
    assert rows(combined, "common-actions-of-improvers", study=MH, min_trusts=1) == [
        ("clinical-practice-fixes", 1, 2, "ZY2", 1, 1),
        ("leadership-replacement", 1, 2, "ZY1", 1, 0),
        ("staff-listening", 1, 2, "ZY1", 0, 0),
    ]


def test_compare_trusts(combined: Graph) -> None:
    assert rows(combined, "compare-trusts", study=MH, trust_a="ZY1", trust_b="ZY2") == [
        ("Action type", "clinical-practice-fixes", 0, 1, "ZY2 only"),
        ("Action type", "leadership-replacement", 1, 0, "ZY1 only"),
        ("Action type", "staff-listening", 1, 0, "ZY1 only"),
        (
            "Rating",
            "overall",
            "Inadequate (2016-03) to Good (2018-01), 1 up, 0 down",
            "Requires improvement (2015-09) to Good (2019-02), 1 up, 0 down",
            "both",
        ),
        # The core service's safe ratings are not the trust's: no safe row.
        (
            "Rating",
            "well-led",
            "Inadequate (2016-03) to Good (2018-01), 1 up, 0 down",
            "Requires improvement (2015-09) to Good (2019-02), 1 up, 0 down",
            "both",
        ),
    ]
    assert rows(combined, "compare-trusts", study=DI, trust_a="ZY1", trust_b="ZY2") == []


def test_evidence_for_link(combined: Graph) -> None:
    found = rows(combined, "evidence-for-link", study=MH, action_type="staff-listening")
    assert [row[:5] for row in found] == [("ZY1", "zy1-e1", "zy1-listening", "well-led@zy1-2018", "chief-executive")]
    assert found[0][6:8] == ("https://example.org/fixture/mh/cqc-zy1", None)


def test_rating_trajectories(combined: Graph) -> None:
    # The last column (predecessor) is empty: the succession is followed only when asked (test_lifecycles.py).
    assert rows(combined, "rating-trajectories", study=MH) == [
        ("ZY1", "2014-11", "zy1-2014", None, None, None, None),
        ("ZY1", "2016-03", "zy1-2016", None, "inadequate", "inadequate", None),
        ("ZY1", "2016-09", "zy1-forensic-2016", None, None, None, None),
        ("ZY1", "2017-10", "zy1-forensic-2017", None, None, None, None),
        ("ZY1", "2018-01", "zy1-2018", None, "good", "good", None),
        ("ZY2", "2015-09", "zy2-2015", None, "requires-improvement", "requires-improvement", None),
        ("ZY2", "2017-04", "zy2-2017", None, "good", None, None),
        ("ZY2", "2019-02", "zy2-2019", None, "good", "good", None),
    ]


def test_role_perspectives_in_the_second_study_themes(combined: Graph) -> None:
    # Top concepts of its scheme (mh-restraint is narrower), in notation order; groups: executive,
    # non-executive, staff, patient and public, external; then all items.
    assert rows(combined, "role-perspectives", study=MH) == [
        ("mh-board-leadership", 1, 0, 0, 0, 0, 1),
        ("mh-regulator-relationship", 0, 0, 1, 0, 0, 1),
        ("mh-safe-wards", 0, 0, 1, 0, 0, 1),
        ("mh-service-user-voice", 0, 0, 0, 0, 0, 0),
        ("mh-shared-purpose", 0, 0, 0, 0, 0, 0),
        ("mh-staff-engagement", 1, 0, 0, 0, 0, 1),
        ("mh-ward-to-board", 0, 0, 1, 0, 0, 1),
    ]


def test_search_evidence(combined: Graph) -> None:
    found = rows(combined, "search-evidence", study=MH, text="programme")
    assert [row[:3] for row in found] == [("ZY2", "zy2-e1", "frontline-staff"), ("ZY2", "zy2-e2", "chief-executive")]
    assert [listed(row[4]) for row in found] == [
        {"Less restrictive practice", "Ward-to-board assurance"},
        {"Leadership"},
    ]


def test_special_measures_exits_and_cooccurrence(combined: Graph) -> None:
    assert rows(combined, "special-measures-exits", study=MH) == []
    assert rows(combined, "theme-cooccurrence", study=MH) == [
        ("mh-board-leadership", "mh-staff-engagement", 1, 1),
        ("mh-restraint", "mh-ward-to-board", 1, 1),
    ]


def test_triangulated_actions(combined: Graph) -> None:
    found: list[tuple[Short, ...]] = rows(combined, "triangulated-actions", study=MH)
    assert [row[:5] for row in found] == [("ZY2", "zy2-safewards", "clinical-practice-fixes", 2, 2)]
    assert listed(found[0][6]) == {"Chief executive", "Frontline staff"}  # labels, as the query gives them


def test_trust_profile(combined: Graph) -> None:
    assert rows(combined, "trust-profile", study=MH, trust="ZY2") == [
        ("Inspection", "2015-09", "zy2-2015", "requires-improvement", None, None),
        ("Inspection", "2017-04", "zy2-2017", "good", None, None),
        ("Inspection", "2019-02", "zy2-2019", "good", None, None),
        ("Regulatory episode", "2016-01-20", "zy2-warning", "warning notice", None, None),
        ("Action", "2016", "zy2-safewards", "clinical-practice-fixes", "Safe wards", 2),
        ("Outcome", "2017-04", "overall@zy2-2017", "rating-improved/overall", None, 1),
        ("Outcome", "2019-02", "well-led@zy2-2019", "rating-improved/well-led", None, 0),
        # The measures the source gives with no later year come last (tests/test_approximate_measures.py).
        ("Outcome", None, "zy2-restraint", "patient-experience", None, 0),
        ("Outcome", None, "zy2-survey-rank", "staff-engagement", None, 0),
    ]
    zy1 = rows(combined, "trust-profile", study=MH, trust="ZY1")
    assert [row[2:5] for row in zy1 if row[0] == "Inspection"] == [
        ("zy1-2014", None, None),
        ("zy1-2016", "inadequate", None),
        ("zy1-forensic-2016", None, "forensic"),
        ("zy1-forensic-2017", None, "forensic"),
        ("zy1-2018", "good", None),
    ]
    assert [row[2:4] for row in zy1 if row[0] == "Outcome"] == [
        ("safe@zy1-forensic-2017", "rating-improved/safe"),
        ("overall@zy1-2018", "rating-improved/overall"),
        ("well-led@zy1-2018", "rating-improved/well-led"),
    ]
    assert rows(combined, "trust-profile", study=DI, trust="ZY2") == []


# --- pages, exports and queries restricted to a study --------------------------------------


def test_a_workspace_of_one_study_holds_only_its_trusts() -> None:
    workspace = api.Workspace(data=SECOND_STUDY, store="memory", study=MH)
    graph = workspace.graph
    assert {str(code) for code in graph.objects(None, TKG.odsCode)} == {"ZY1", "ZY2"}
    assert not [s for s in graph.subjects() if str(s).startswith(str(iris.trust("RGT")))]
    # The schema and the shipped study's themes stay: a page of the study still has every label.
    assert (iris.theme("leadership"), SKOS.prefLabel, None) in graph
    # By hand: 2 trusts, 3 actions, 7 outcomes (5 rating changes and ZY2's two approximate measures), 4 evidence
    # items, and the 7 themes their actions and items are tagged with (mh-staff-engagement, mh-board-leadership,
    # mh-regulator-relationship, mh-safe-wards, mh-restraint, mh-ward-to-board, leadership).
    kinds = Counter(data["kind"] for _, data in workspace.view("instances").nodes(data=True))
    assert kinds == {"trust": 2, "action": 3, "outcome": 7, "evidence": 4, "theme": 7}


def test_the_command_line_takes_a_study(cli: Callable[..., CliRun], tmp_path: Path) -> None:
    out = tmp_path / "mh.graphml"
    options = ("--data", str(SECOND_STUDY), "--store", "memory", "--study")
    run = cli("export", *options, MH, "--view", "trust-similarity", "--out", str(out))
    assert run.code == 0, run.err
    exported = nx.read_graphml(out)
    assert {data.get("label") for _, data in exported.nodes(data=True) if data.get("kind") == "trust"} == {
        "Fixture Moorside Mental Health NHS Trust",
        "Fixture Valeside Mental Health NHS Trust",
    }
    bad = cli("query", "rating-trajectories", *options, "fx-mh")
    assert bad.code == 2 and "unknown study 'fx-mh'" in bad.err and "fx-mh-study-2018" in bad.err


def test_the_second_study_builds_and_validates_from_the_command_line(
    cli: Callable[..., CliRun], tmp_path: Path
) -> None:
    # Seven of the study's eight themes have no definition (the study gives none): each names the study as
    # its source instead, and the shapes accept that; trustkg's own concepts still need their definition.
    run = cli("build", "--data", str(SECOND_STUDY), "--out", str(tmp_path / "build"))
    assert run.code == 0, run.err
    assert "0 shape violation(s); 0 of 6 curation check(s) failed" in run.out + run.err
    built = store.load_graph(tmp_path / "build" / "trustkg.nt")
    undefined = set(built.subjects(SKOS.inScheme, iris.theme_scheme(MH))) - set(built.subjects(SKOS.definition, None))
    assert len(undefined) == 7 and iris.theme("mh-staff-engagement") not in undefined
    study = URIRef("https://example.org/fixture/mh-study-2018")
    assert all((theme, DCTERMS.source, study) in built for theme in undefined)


# --- scopes and gaps ----------------------------------------------------------------------


def test_the_build_report_lists_the_gaps_in_the_rating_series() -> None:
    summary = api.build_graph_from(SECOND_STUDY, "memory").summary
    assert [gap for gap in summary.gaps if gap.startswith("ZY")] == [
        "ZY1: zy1-2014 has no published rating, so no rating change starts there",
        "ZY2: well-led not rated at zy2-2017; the well-led change is taken from zy2-2015 to zy2-2019",
    ]
    assert f"gaps            {len(summary.gaps)} in the rating series:" in summary.lines()


def test_a_rating_change_says_its_scope_and_the_inspections_it_spans(combined: Graph) -> None:
    spanning = iris.rating_change("ZY2", "well-led", "zy2-2019")
    assert set(combined.objects(spanning, TKG.fromInspection)) == {iris.inspection("ZY2", "zy2-2015")}
    assert set(combined.objects(spanning, TKG.skipsInspection)) == {iris.inspection("ZY2", "zy2-2017")}
    forensic = iris.rating_change("ZY1", "safe", "zy1-forensic-2017")
    assert set(combined.objects(forensic, TKG.coreService)) == {iris.core_service("ZY1", "forensic")}
    assert set(combined.objects(forensic, TKG.skipsInspection)) == set()
    # The trust-level safe series is empty: the core service's ratings are a series of their own.
    assert (iris.rating_change("ZY1", "overall", "zy1-2018"), TKG.coreService, None) not in combined


@pytest.mark.parametrize(
    "name", ["rating-trajectories", "theme-coverage", "actions-of-class", "special-measures-exits", "search-evidence"]
)
def test_tables_list_trusts_by_name(name: str, combined: Graph) -> None:
    """Over both studies, the trusts come in the order of their names (what the reader sees), not of ODS codes."""
    asked = {"text": "staff"} if name == "search-evidence" else {}
    names = {str(code): str(label) for code, label in combined.query(NAMES)}
    listed_trusts = list(dict.fromkeys(str(row[0]) for row in rows(combined, name, **asked)))
    assert len(listed_trusts) > 2
    assert listed_trusts == sorted(listed_trusts, key=lambda ods: names[ods])
    assert listed_trusts != sorted(listed_trusts)  # the shipped and the fixture names and codes differ in order


NAMES = """PREFIX tkg: <https://w3id.org/trustkg/def/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?ods ?name WHERE { ?trust tkg:odsCode ?ods ; rdfs:label ?name }"""
