"""Regulatory episodes beyond special measures, on the FICTIONAL second study (tests/fixtures/second-study).

Facts read off ``mh/``: ZY1 zy1-enforcement (enforcement action, 2016-04 to 2017-06); ZY2 zy2-warning (warning
notice, 2016-01-20); ZY3 (merged into ZY1, not a trust of the study) zy3-recommended (special measures
recommended, 2014-08, no end), zy3-licence (licence breach, no date at all) and special measures zy3-sm, whose
source gives only the exit (2015-11). No action of ZY3 is recorded.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from tests.conftest import REPO
from tests.query_rows import rows
from tests.second_study_graphs import ENGINES, MH, SECOND_STUDY, combined_graph, problems_after_edits
from tests.test_loader import write_readme_example
from trustkg import api, iris
from trustkg.loaders import Input, load_inputs
from trustkg.ontology import TKG
from trustkg.records import PartialDate, RegulatoryEpisode


@pytest.fixture(scope="module", params=ENGINES)
def combined(request: pytest.FixtureRequest) -> Graph:
    return combined_graph(request)


def test_the_episodes_are_read_with_the_dates_their_sources_give() -> None:
    base = load_inputs([Input(REPO / "data", "case-files"), Input(SECOND_STUDY / "mh", "case-files")])
    cases = {case.trust.ods: case for case in base.cases}
    found = {ods: [(e.id, e.kind, e.start, e.end) for e in cases[ods].regulatory_episodes] for ods in cases}
    assert {ods: episodes for ods, episodes in found.items() if episodes} == {
        "ZY1": [("zy1-enforcement", "enforcement-action", PartialDate(2016, 4), PartialDate(2017, 6))],
        "ZY2": [("zy2-warning", "warning-notice", PartialDate(2016, 1, 20), None)],
        "ZY3": [
            ("zy3-recommended", "special-measures-recommended", PartialDate(2014, 8), None),
            ("zy3-licence", "licence-breach", None, None),
        ],
    }
    (episode,) = cases["ZY3"].special_measures
    assert (episode.entered, episode.exited) == (None, PartialDate(2015, 11))
    assert isinstance(cases["ZY1"].regulatory_episodes[0], RegulatoryEpisode)


def test_the_graph_types_each_kind_under_regulatory_episode(combined: Graph) -> None:
    query = """PREFIX tkg: <https://w3id.org/trustkg/def/>
    PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    SELECT ?episode ?kind ?start ?end WHERE {
      ?episode a ?kind ; tkg:trust ?trust . ?kind rdfs:subClassOf tkg:RegulatoryEpisode .
      FILTER(STRSTARTS(STR(?trust), "https://w3id.org/trustkg/id/trust/ZY"))
      OPTIONAL { ?episode tkg:startDate ?start } OPTIONAL { ?episode tkg:endDate ?end } }"""
    found = {
        tuple(str(cell).rsplit("/", 1)[-1] if cell is not None else None for cell in row)
        for row in combined.query(query)
    }
    assert found == {
        ("zy1-enforcement", "EnforcementAction", "2016-04", "2017-06"),
        ("zy2-warning", "WarningNotice", "2016-01-20", None),
        ("zy3-recommended", "SpecialMeasuresRecommendation", "2014-08", None),
        ("zy3-licence", "LicenceBreach", None, None),
        ("zy3-sm", "SpecialMeasuresEpisode", None, "2015-11"),
    }


def test_trust_profiles_list_the_episodes(combined: Graph) -> None:
    zy1 = rows(combined, "trust-profile", trust="ZY1", study=MH)
    assert [row for row in zy1 if row[0] == "Regulatory episode"] == [
        ("Regulatory episode", "2016-04", "zy1-enforcement", "enforcement action", "until 2017-06", None)
    ]
    zy2 = rows(combined, "trust-profile", trust="ZY2")
    assert [row for row in zy2 if row[0] == "Regulatory episode"] == [
        ("Regulatory episode", "2016-01-20", "zy2-warning", "warning notice", None, None)
    ]
    # ZY3's, undated last (see test_lifecycles.ZY3_REGULATORY for its whole profile).
    zy3 = rows(combined, "trust-profile", trust="ZY3")
    assert [row for row in zy3 if row[0] in ("Regulatory episode", "Special measures")] == [
        ("Regulatory episode", "2014-08", "zy3-recommended", "special measures recommended", None, None),
        ("Regulatory episode", None, "zy3-licence", "licence breach", None, None),
        ("Special measures", None, "zy3-sm", None, "left 2015-11", None),
    ]


def test_special_measures_exits_lists_an_exit_without_an_entry(combined: Graph) -> None:
    # No action can be placed in an episode whose entry is unknown (and ZY3 has none): the action columns are empty.
    zy3_exit = ("ZY3", "zy3-sm", None, "2015-11", None, None, None, None)
    assert rows(combined, "special-measures-exits", trust="ZY3") == [zy3_exit]
    assert [row for row in rows(combined, "special-measures-exits") if str(row[0]).startswith("ZY")] == [zy3_exit]
    assert rows(combined, "special-measures-exits", study=MH) == []  # ZY3 is not a trust of the study


# --- bad input ----------------------------------------------------------------------------


def test_bad_episodes_are_all_reported_with_file_line_and_field(tmp_path: Path) -> None:
    old = "    kind: enforcement-action\n    start: 2016-04\n    end: 2017-06\n"
    found = problems_after_edits(
        tmp_path,
        {
            "ZY1.yaml": [
                (old, "    kind: enforcement\n    start: 2016-04\n    end: 2015-06\n"),
                ("\nactions:", "  - id: zy1-undated\n    kind: warning-notice\n\nactions:"),  # no source
            ]
        },
    )
    text = (SECOND_STUDY / "mh" / "cases" / "ZY1.yaml").read_text(encoding="utf-8")
    line = text.splitlines().index("  - id: zy1-enforcement") + 1
    assert found == [
        f"ZY1.yaml:{line + 1}: regulatory_episodes[0].kind: unknown kind of regulatory episode 'enforcement' "
        "(did you mean 'enforcement-action'?)",
        f"ZY1.yaml:{line + 3}: regulatory_episodes[0].end: end (2015-06) is before start (2016-04)",
        f"ZY1.yaml:{line + 5}: regulatory_episodes[1].source: required field is missing",
    ]


def test_the_readme_example_builds_its_regulatory_episodes(tmp_path: Path) -> None:
    """data/README.md's ZZ0: an enforcement action with both dates, a warning notice with none."""
    write_readme_example(tmp_path)
    graph = api.build_graph_from(tmp_path, "memory").graph
    enforcement, notice = (iris.regulatory_episode("ZZ0", name) for name in ("conditions-2015", "warning-2014"))
    assert (enforcement, TKG.startDate, None) in graph and (enforcement, TKG.endDate, None) in graph
    assert (enforcement, None, TKG.EnforcementAction) in graph
    assert (notice, None, TKG.WarningNotice) in graph and (notice, TKG.startDate, None) not in graph
    assert [row for row in rows(graph, "trust-profile", trust="ZZ0") if row[0] == "Regulatory episode"] == [
        ("Regulatory episode", "2015-07", "conditions-2015", "enforcement action", "until 2016-11", None),
        ("Regulatory episode", None, "warning-2014", "warning notice", None, None),
    ]
