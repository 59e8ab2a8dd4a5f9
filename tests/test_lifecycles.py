"""Trust lifecycles on the FICTIONAL second study (tests/fixtures/second-study): a trust that merged into another.

Facts read off ``mh/`` (besides those in test_second_study.py): ZY3 (Fixture Hillcrest Mental Health NHS Trust,
not one of the study's trusts) merged into ZY1 (Fixture Moorside) in 2016-02. ZY3 was inspected at zy3-2014
(2014-06, overall and well-led inadequate) and zy3-2015 (2015-05, both requires improvement). ZY1's own
trust-level series: zy1-2014 (2014-11, no rating), zy1-2016 (2016-03, inadequate), zy1-2018 (2018-01, good).
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
from trustkg.records import PartialDate, Succession


@pytest.fixture(scope="module", params=ENGINES)
def combined(request: pytest.FixtureRequest) -> Graph:
    return combined_graph(request)


def test_the_merger_is_read_and_written() -> None:
    base = load_inputs([Input(REPO / "data", "case-files"), Input(SECOND_STUDY / "mh", "case-files")])
    trusts = {case.trust.ods: case.trust for case in base.cases}
    assert trusts["ZY3"].succession == Succession("merged_into", "ZY1", PartialDate(2016, 2))
    assert trusts["ZY3"].ended == PartialDate(2016, 2)
    assert trusts["ZY1"].succession is None and trusts["ZY1"].ended is None
    graph = api.build_graph_from(SECOND_STUDY, "memory").graph
    zy3, zy1 = iris.trust("ZY3"), iris.trust("ZY1")
    assert (zy3, TKG.mergedInto, zy1) in graph
    assert (zy3, TKG.succeededBy, zy1) in graph  # stated too, so that queries need no inference
    assert [str(date) for date in graph.objects(zy3, TKG.successionDate)] == ["2016-02"]


def test_a_successor_series_never_continues_the_predecessor(combined: Graph) -> None:
    """Spliced, ZY3's requires-improvement (2015-05) then ZY1's inadequate (2016-03) would be a fall: there is none."""
    base = load_inputs([Input(REPO / "data", "case-files"), Input(SECOND_STUDY / "mh", "case-files")])
    cases = {case.trust.ods: case for case in base.cases}
    changes = {
        ods: {(str(change.ref), change.before.id, change.rank_change) for change in cases[ods].rating_changes()}
        for ods in ("ZY1", "ZY3")
    }
    assert changes == {
        "ZY1": {
            ("overall@zy1-2018", "zy1-2016", 2),
            ("well-led@zy1-2018", "zy1-2016", 2),
            ("safe@zy1-forensic-2017", "zy1-forensic-2016", 2),
        },
        "ZY3": {("overall@zy3-2015", "zy3-2014", 1), ("well-led@zy3-2015", "zy3-2014", 1)},
    }
    # In the graph: every rating change runs between two inspections of its own trust.
    query = """PREFIX tkg: <https://w3id.org/trustkg/def/>
    SELECT ?change WHERE { ?change tkg:fromInspection/tkg:trust ?one ; tkg:toInspection/tkg:trust ?other .
                           FILTER(?one != ?other) }"""
    assert list(combined.query(query)) == []
    assert rows(combined, "rating-trajectories", trust="ZY1") == rows(
        combined, "rating-trajectories", trust="ZY1", follow_succession="false"
    )


#: ZY1's trajectory with its predecessor's inspections, in date order (the last column names the predecessor).
ZY1_FOLLOWED = [
    ("ZY1", "2014-06", "zy3-2014", None, "inadequate", "inadequate", "ZY3"),
    ("ZY1", "2014-11", "zy1-2014", None, None, None, None),
    ("ZY1", "2015-05", "zy3-2015", None, "requires-improvement", "requires-improvement", "ZY3"),
    ("ZY1", "2016-03", "zy1-2016", None, "inadequate", "inadequate", None),
    ("ZY1", "2016-09", "zy1-forensic-2016", None, None, None, None),
    ("ZY1", "2017-10", "zy1-forensic-2017", None, None, None, None),
    ("ZY1", "2018-01", "zy1-2018", None, "good", "good", None),
]
ZY2_OWN = [
    ("ZY2", "2015-09", "zy2-2015", None, "requires-improvement", "requires-improvement", None),
    ("ZY2", "2017-04", "zy2-2017", None, "good", None, None),
    ("ZY2", "2019-02", "zy2-2019", None, "good", "good", None),
]
ZY3_OWN = [
    ("ZY3", "2014-06", "zy3-2014", None, "inadequate", "inadequate", None),
    ("ZY3", "2015-05", "zy3-2015", None, "requires-improvement", "requires-improvement", None),
]


def test_rating_trajectories_follow_the_succession_when_asked(combined: Graph) -> None:
    followed = rows(combined, "rating-trajectories", study=MH, follow_succession="true")
    assert followed == ZY1_FOLLOWED + ZY2_OWN
    assert rows(combined, "rating-trajectories", trust="ZY1", follow_succession="true") == ZY1_FOLLOWED
    # Not asked, ZY1's rows are its own; ZY3 is not a trust of the study.
    assert rows(combined, "rating-trajectories", study=MH) == [row for row in ZY1_FOLLOWED if row[6] is None] + ZY2_OWN
    # Over the whole graph (no study): ZY3 keeps its own rows, under its own name (Hillcrest before Moorside),
    # and they come again under ZY1 when following.
    everything = [row for row in rows(combined, "rating-trajectories", follow_succession="true") if row[0] in ZY]
    assert everything == ZY3_OWN + ZY1_FOLLOWED + ZY2_OWN
    unfollowed = [row for row in rows(combined, "rating-trajectories") if row[0] in ZY]
    assert unfollowed == ZY3_OWN + [row for row in ZY1_FOLLOWED if row[6] is None] + ZY2_OWN
    # The shipped study has no succession: following changes nothing there.
    assert rows(combined, "rating-trajectories", study="driving-improvement-2017", follow_succession="true") == rows(
        combined, "rating-trajectories", study="driving-improvement-2017"
    )


ZY = {"ZY1", "ZY2", "ZY3"}
#: ZY3's regulatory rows in its profile (tests/test_regulatory_episodes.py): dated first, undated last by ID.
ZY3_REGULATORY = [
    ("Regulatory episode", "2014-08", "zy3-recommended", "special measures recommended", None, None),
    ("Regulatory episode", None, "zy3-licence", "licence breach", None, None),
    ("Special measures", None, "zy3-sm", None, "left 2015-11", None),
]


def test_trust_profile_shows_the_succession_both_ways(combined: Graph) -> None:
    zy3 = rows(combined, "trust-profile", trust="ZY3")
    assert zy3 == [
        ("Inspection", "2014-06", "zy3-2014", "inadequate", None, None),
        ("Inspection", "2015-05", "zy3-2015", "requires-improvement", None, None),
        *ZY3_REGULATORY,
        ("Outcome", "2015", "zy3-waiting", "access-performance", None, 0),  # its later value is of 2015
        ("Outcome", "2015-05", "overall@zy3-2015", "rating-improved/overall", None, 0),
        ("Outcome", "2015-05", "well-led@zy3-2015", "rating-improved/well-led", None, 0),
        ("Succession", "2016-02", "ZY1", "merged into", None, None),
    ]
    zy1 = rows(combined, "trust-profile", trust="ZY1", study=MH)
    assert [row for row in zy1 if row[0] == "Succession"] == [
        ("Succession", "2016-02", "ZY3", "merged into this trust", None, None)
    ]
    # ZY3 is not a trust of the study: asked within it, its profile is empty.
    assert rows(combined, "trust-profile", trust="ZY3", study=MH) == []


# --- bad input ----------------------------------------------------------------------------


def test_bad_lifecycles_are_all_reported_with_file_line_and_field(tmp_path: Path) -> None:
    found = problems_after_edits(
        tmp_path,
        {
            # ZY3 is now inspected after it merged, and dissolved before it merged.
            "ZY3.yaml": [
                (
                    "merged_into: {trust: ZY1, date: 2016-02}",
                    "merged_into: {trust: ZY1, date: 2015-01}\n  dissolved: 2014-12",
                )
            ],
            # ZY1 now ends in ZY3, which ended in ZY1: a circle (and ZY1 ended before ZY3 merged into it).
            "ZY1.yaml": [
                (
                    "  source: fx-mh-cqc-zy1\n\ninspections:",
                    "  succeeded_by: {trust: ZY3, date: 2019}\n  source: fx-mh-cqc-zy1\n\ninspections:",
                )
            ],
            # Two ends at once, and a code that is not an ODS code.
            "ZY2.yaml": [
                (
                    "  source: fx-mh-cqc-zy2\n",
                    "  acquired_by: {trust: Z-9, date: 2020}\n  dissolved: 2020\n  merged_into: {trust: ZY1, date: 2020}\n"
                    "  source: fx-mh-cqc-zy2\n",
                )
            ],
        },
    )
    assert found == sorted(
        [
            "ZY3.yaml:8: trust.merged_into.trust: the trusts end in each other in a circle: ZY3 -> ZY1 -> ZY3",
            "ZY1.yaml:8: trust.succeeded_by.trust: the trusts end in each other in a circle: ZY1 -> ZY3 -> ZY1",
            "ZY1.yaml:8: trust.succeeded_by.date: ZY1 was succeeded by ZY3 on 2019, but ZY3 had itself ended on 2014-12",
            "ZY3.yaml:9: trust.dissolved: dissolved (2014-12) before it merged into ZY1 (2015-01)",
            "ZY3.yaml:17: inspections.start: inspection 'zy3-2015' (2015-05) is after ZY3 ended (2014-12)",
            "ZY2.yaml:8: trust.merged_into: a trust ends in one other trust; acquired_by is already given",
            "ZY2.yaml:6: trust.acquired_by.trust: 'Z-9' is not an ODS code (letters and digits, e.g. RGT)",
        ]
    )


def test_the_readme_example_builds_its_merger(tmp_path: Path) -> None:
    """data/README.md's ZZ0 merged into ZZ9, which has no case file: named by its ODS code only."""
    write_readme_example(tmp_path)
    graph = api.build_graph_from(tmp_path, "memory").graph
    zz0, zz9 = iris.trust("ZZ0"), iris.trust("ZZ9")
    assert (zz0, TKG.mergedInto, zz9) in graph and (zz0, TKG.succeededBy, zz9) in graph
    assert [str(date) for date in graph.objects(zz0, TKG.successionDate)] == ["2019-04"]
    assert (zz9, None, None) not in graph  # nothing is invented about the other trust
    assert [row for row in rows(graph, "trust-profile", trust="ZZ0") if row[0] == "Succession"] == [
        ("Succession", "2019-04", "ZZ9", "merged into", None, None)
    ]
