"""Approximate measures on the FICTIONAL second study (tests/fixtures/second-study).

Facts read off ``mh/``: ZY2 zy2-restraint, incidents of restraint on the wards, a 37% fall with no baseline;
ZY2 zy2-survey-rank, rank among mental-health trusts in the staff survey (unit rank), 48 in about 2015, then
12 with no year; ZY3 (merged into ZY1, not a trust of the study) zy3-waiting, median weeks from referral to a
first appointment (unit weeks), 14 in 2013 to 2014, then 9.5 in 2015.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import XSD

from tests.conftest import REPO
from tests.query_rows import Short, rows
from tests.second_study_graphs import ENGINES, MH, SECOND_STUDY, combined_graph, problems_after_edits
from tests.test_loader import write_readme_example
from trustkg import api, iris, store
from trustkg.loaders import Input, load_inputs
from trustkg.ontology import TKG
from trustkg.records import MeasureValue, RelativeChange, YearSpan
from trustkg.validate import check_shapes


@pytest.fixture(scope="module", params=ENGINES)
def combined(request: pytest.FixtureRequest) -> Graph:
    return combined_graph(request)


def test_the_measures_are_read_as_the_source_gives_them() -> None:
    base = load_inputs([Input(REPO / "data", "case-files"), Input(SECOND_STUDY / "mh", "case-files")])
    outcomes = {outcome.id: outcome for case in base.cases for outcome in case.outcomes}
    restraint, rank, waiting = outcomes["zy2-restraint"], outcomes["zy2-survey-rank"], outcomes["zy3-waiting"]
    assert (restraint.relative_change, restraint.before, restraint.after) == (RelativeChange(37, "fall"), None, None)
    assert rank.before == MeasureValue(48, None, YearSpan(2015, 2015, approximate=True))
    assert rank.after == MeasureValue(12)
    assert rank.after.years() is None and rank.before.years() == (2015, 2015)
    assert waiting.before == MeasureValue(14, None, YearSpan(2013, 2014))
    assert waiting.after == MeasureValue(9.5, 2015)


def test_the_graph_holds_bounds_flags_and_the_relative_change() -> None:
    graph = api.build_graph_from(SECOND_STUDY, "memory").graph
    rank, restraint = iris.outcome("ZY2", "zy2-survey-rank"), iris.outcome("ZY2", "zy2-restraint")
    waiting = iris.outcome("ZY3", "zy3-waiting")

    def year(value: str) -> Literal:
        return Literal(value, datatype=XSD.gYear)

    assert set(graph.predicate_objects(rank)) >= {
        (TKG.earliestYearBefore, year("2015")),
        (TKG.latestYearBefore, year("2015")),
        (TKG.approximateYearBefore, Literal(True)),
    }
    assert (rank, TKG.yearBefore, None) not in graph and (rank, TKG.yearAfter, None) not in graph
    assert (rank, TKG.earliestYearAfter, None) not in graph  # a rank without a year has no year at all
    assert set(graph.predicate_objects(waiting)) >= {
        (TKG.earliestYearBefore, year("2013")),
        (TKG.latestYearBefore, year("2014")),
        (TKG.approximateYearBefore, Literal(False)),
        (TKG.yearAfter, year("2015")),
    }
    assert set(graph.objects(restraint, TKG.percentChange)) == {Literal("37", datatype=XSD.decimal)}
    assert set(graph.objects(restraint, TKG.changeDirection)) == {Literal("fall")}
    assert (restraint, TKG.valueBefore, None) not in graph


def numbers(found: list[tuple[Short, ...]]) -> list[tuple[Short, ...]]:
    """The value columns (before, after) as numbers: engines write the same decimal differently ("14.0", "14")."""
    return [tuple(float(c) if i in (4, 6) and c is not None else c for i, c in enumerate(row)) for row in found]


ZY2_MEASURES = [
    ("ZY2", "zy2-restraint", "incidents of restraint on the wards", None, None, None, None, None, "37% fall"),
    (
        "ZY2",
        "zy2-survey-rank",
        "rank among mental-health trusts in the staff survey",
        "rank",
        48.0,
        "about 2015",
        12.0,
        None,
        None,
    ),
]
ZY3_MEASURES = [
    (
        "ZY3",
        "zy3-waiting",
        "median weeks from referral to a first appointment",
        "weeks",
        14.0,
        "2013 to 2014",
        9.5,
        "2015",
        None,
    )
]


def test_measure_changes_reads_them(combined: Graph) -> None:
    assert numbers(rows(combined, "measure-changes", study=MH)) == ZY2_MEASURES
    assert numbers(rows(combined, "measure-changes", trust="ZY3")) == ZY3_MEASURES
    # Over the whole graph, Hillcrest (ZY3) comes before Valeside (ZY2) by name; ZY1 has no measure.
    everything = numbers(rows(combined, "measure-changes"))
    assert [row for row in everything if str(row[0]).startswith("ZY")] == ZY3_MEASURES + ZY2_MEASURES


def test_measure_changes_on_the_shipped_data_have_exact_years(combined: Graph) -> None:
    """The shipped study's measures all give both years: none is approximate or relative (read off data/)."""
    base = load_inputs([Input(REPO / "data", "case-files")])
    measured = {
        (case.trust.ods, outcome.id) for case in base.cases for outcome in case.outcomes if outcome.measure is not None
    }
    shipped = rows(combined, "measure-changes", study="driving-improvement-2017")
    assert {(row[0], row[1]) for row in shipped} == measured
    assert all(row[8] is None for row in shipped)


# --- bad input ----------------------------------------------------------------------------


def test_bad_measures_are_all_reported_with_file_line_and_field(tmp_path: Path) -> None:
    edits = [
        ("change: {percent: 37, direction: fall}", "change: {percent: -37, direction: down}"),
        ("before: {value: 48, year: {about: 2015}}", "before: {value: 48, year: {about: 2015, from: 2014}}"),
        ("    after: {value: 12}\n", "    after: {value: 12, year: {from: 2019, to: 2017}}\n"),
        ("    measure: incidents of restraint on the wards\n", "    note: the measure is left out\n"),  # same lines
    ]
    found = problems_after_edits(tmp_path, {"ZY2.yaml": edits})
    lines = (SECOND_STUDY / "mh" / "cases" / "ZY2.yaml").read_text(encoding="utf-8").splitlines()

    def line(needle: str) -> int:
        return next(number for number, content in enumerate(lines, start=1) if needle in content)

    assert found == sorted(
        [
            f"ZY2.yaml:{line('- id: zy2-restraint')}: outcomes[0].measure: values before/after or a change need the "
            "measure they are of",
            f"ZY2.yaml:{line('change:')}: outcomes[0].change.direction: unknown direction 'down' (known: fall, rise)",
            f"ZY2.yaml:{line('change:')}: outcomes[0].change.percent: give the size of the change (-37) as a positive "
            "number; the direction says rise or fall",
            f"ZY2.yaml:{line('before:')}: outcomes[1].before.year.about: give about, or from and to, not both",
            f"ZY2.yaml:{line('after:')}: outcomes[1].after.year.to: to (2017) is before from (2019)",
        ]
    )


def test_the_readme_example_builds_its_approximate_measures(tmp_path: Path) -> None:
    """data/README.md's ZZ0: a score for about 2014 and a range, and a fall given only in percent."""
    write_readme_example(tmp_path)
    graph = api.build_graph_from(tmp_path, "memory").graph
    assert numbers(rows(graph, "measure-changes", trust="ZZ0")) == [
        ("ZZ0", "complaints", "complaints received a year", None, None, None, None, None, "30% fall"),
        (
            "ZZ0",
            "recommend-work",
            "staff who would recommend the trust as a place to work",
            "percent",
            52.0,
            "2015",
            68.0,
            "2018",
            None,
        ),
        (
            "ZZ0",
            "survey-rank",
            "rank in the national staff survey",
            "rank",
            120.0,
            "about 2014",
            35.0,
            "2016 to 2017",
            None,
        ),
    ]
    assert (iris.outcome("ZZ0", "survey-rank"), TKG.approximateYearBefore, Literal(True)) in graph


@pytest.mark.parametrize("store_name", store.local_stores())
def test_the_new_records_conform_to_their_shapes(store_name: str) -> None:
    """Lifecycles, regulatory episodes and approximate measures of the combined graph break none of their shapes,
    in a store that types every string (Oxigraph) as in one that does not."""
    graph = api.build_graph_from(SECOND_STUDY, store_name).graph
    ours = ("shape:Trust-succe", "shape:Trust-dissolved", "shape:RegulatoryEpisode", "shape:SpecialMeasures")
    broken = [str(v) for v in check_shapes(graph) if v.shape.startswith((*ours, "shape:MeasureChange"))]
    assert broken == []
