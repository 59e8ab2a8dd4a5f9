"""Every library query against answers worked out by hand from the fixture plus ZZ4.

Each test runs on both stores (``query_graph`` is parametrised) over the fixture's three
FICTIONAL trusts plus ZZ4 from tests/fixtures/queries-extra. The facts the answers rest on,
read off the four case files:

Rating changes (derived between consecutive inspections of the same scope):
  ZZ1  overall@a-2016 +1, overall@a-2018 +1, safe@a-2018 +2, well-led@a-2016 +2
  ZZ2  overall@b-2016 +1, well-led@b-2016 +2
  ZZ3  none (its two inspections differ in scope)
  ZZ4  overall@d-2016 +1, safe@d-2016 +2, safe@d-2017 -1, well-led@d-2016 +1, well-led@d-2017 -1;
       its site delta-unit overall@d-unit-2017 +2 (d-unit-2015 2015-06 to d-unit-2017 published 2017-03)
Actions (type, start):
  ZZ1  a-walkabouts visible-leadership 2015-06; a-listening staff-listening 2015; a-qi qi-programme 2017-02
  ZZ2  b-ceo-visits visible-leadership 2014-09; b-new-board leadership-replacement 2014; b-fts staff-listening -
  ZZ3  c-values staff-listening -
  ZZ4  d-new-ceo leadership-replacement 2014-12; d-walks visible-leadership 2015-01-15;
       d-qi qi-programme 2016; d-forums staff-listening 2016-09
Evidence (reporter, source kind, themes, actions -> outcomes):
  a-e1 chief-executive cqc leadership; a-walkabouts -> well-led@a-2016
  a-e2 frontline-staff trust leadership, cultural-change; a-walkabouts -> a-engagement (staff-engagement)
  a-e3 frontline-staff trust cultural-change; a-listening -> a-engagement
  a-e4 director-of-nursing cqc improving-safety; a-qi -> safe@a-2018
  b-e1 patient-representative media leadership; b-ceo-visits -> well-led@b-2016
  b-e2 chief-executive media leadership; b-ceo-visits -> overall@b-2016
  b-e3 chair media leadership (stated); b-new-board -> well-led@b-2016
  b-e4 frontline-staff media cultural-change; b-fts -> b-incidents (incident-reporting)
  b-e5 (no role) media leadership; nothing
  c-e1 frontline-staff interview vision-and-values; c-values -> nothing
  d-e1 healthwatch cqc-study leadership, patient-and-public-involvement; d-walks -> well-led@d-2016
  d-e2 chief-executive cqc-study leadership, reaction-to-report, cultural-change; d-walks, d-new-ceo -> overall@d-2016
  d-e3 frontline-staff cqc-study improving-safety, cultural-change; d-qi -> safe@d-2016, d-reporting (incident-reporting)
  d-e4 non-executive-director cqc-study governance, leadership (stated); d-walks -> well-led@d-2016
  d-e5 frontline-staff interview cultural-change; d-forums -> safe@d-2017
Role groups: chief-executive, director-of-nursing -> executive; chair, non-executive-director ->
non-executive; frontline-staff -> staff; patient-representative -> patient-and-public; healthwatch -> external.
Special measures: ZZ1 2015-04 to 2016-11; ZZ4 2014-12 to 2016-06, and again from 2017-11 (not left).
"""

from __future__ import annotations

from query_rows import Short, listed, rows, short
from rdflib import Graph

from trustkg import api

# --- actions-to-outcomes -----------------------------------------------------------------

# Each evidence item naming an action and an outcome is one claim; grouped by (action type, outcome type).
# Columns: action_type, outcome_type, evidence, trusts, roles, source_kinds. Ordered by trusts, evidence,
# roles (all descending), then the two type IRIs.
ALL_LINKS = [
    # a-e1, b-e1, d-e1, d-e4: ZZ1, ZZ2, ZZ4; chief-executive, patient-rep, healthwatch, NED; cqc, media, cqc-study
    ("visible-leadership", "rating-improved/well-led", 4, 3, 4, 3),
    # a-e4 (director-of-nursing, cqc), d-e3 (frontline-staff, cqc-study)
    ("qi-programme", "rating-improved/safe", 2, 2, 2, 2),
    # b-e2 and d-e2, both by a chief executive, in media and cqc-study sources
    ("visible-leadership", "rating-improved/overall", 2, 2, 1, 2),
    ("leadership-replacement", "rating-improved/overall", 1, 1, 1, 1),  # d-e2
    ("leadership-replacement", "rating-improved/well-led", 1, 1, 1, 1),  # b-e3
    ("qi-programme", "incident-reporting", 1, 1, 1, 1),  # d-e3
    ("staff-listening", "incident-reporting", 1, 1, 1, 1),  # b-e4
    ("staff-listening", "rating-declined/safe", 1, 1, 1, 1),  # d-e5
    ("staff-listening", "staff-engagement", 1, 1, 1, 1),  # a-e3
    ("visible-leadership", "staff-engagement", 1, 1, 1, 1),  # a-e2
]


def links(graph: Graph, **params: str | int) -> list[tuple[object, ...]]:
    """actions-to-outcomes, its first six columns (the support profile's extra columns are tested below)."""
    return [row[:6] for row in rows(graph, "actions-to-outcomes", **params)]


def test_actions_to_outcomes_counts_every_link(query_graph: Graph) -> None:
    assert links(query_graph) == ALL_LINKS


def test_actions_to_outcomes_by_theme(query_graph: Graph) -> None:
    # Actions with leadership (coded or stated): a-walkabouts, b-ceo-visits, b-new-board, d-new-ceo, d-walks.
    # That drops the qi-programme and staff-listening links and keeps the rest whole.
    expected = [row for row in ALL_LINKS if row[0] in {"visible-leadership", "leadership-replacement"}]
    assert links(query_graph, theme="leadership") == expected


def test_actions_to_outcomes_by_trust(query_graph: Graph) -> None:
    # ZZ4's items only: d-e1 and d-e4 (two roles, one source kind), d-e2, d-e3 (two links), d-e5.
    assert links(query_graph, trust="ZZ4") == [
        ("visible-leadership", "rating-improved/well-led", 2, 1, 2, 1),
        ("leadership-replacement", "rating-improved/overall", 1, 1, 1, 1),
        ("qi-programme", "incident-reporting", 1, 1, 1, 1),
        ("qi-programme", "rating-improved/safe", 1, 1, 1, 1),
        ("staff-listening", "rating-declined/safe", 1, 1, 1, 1),
        ("visible-leadership", "rating-improved/overall", 1, 1, 1, 1),
    ]


def test_actions_to_outcomes_by_role_and_role_group(query_graph: Graph) -> None:
    # Frontline staff reported a-e2, a-e3, b-e4, d-e3 (two links) and d-e5: six links, one item each.
    assert links(query_graph, role="frontline-staff") == [
        ("qi-programme", "incident-reporting", 1, 1, 1, 1),
        ("qi-programme", "rating-improved/safe", 1, 1, 1, 1),
        ("staff-listening", "incident-reporting", 1, 1, 1, 1),
        ("staff-listening", "rating-declined/safe", 1, 1, 1, 1),
        ("staff-listening", "staff-engagement", 1, 1, 1, 1),
        ("visible-leadership", "staff-engagement", 1, 1, 1, 1),
    ]
    # The executive group: a-e1, b-e2, d-e2 (chief executive) and a-e4 (director of nursing).
    assert links(query_graph, role="executive") == [
        ("visible-leadership", "rating-improved/overall", 2, 2, 1, 2),  # b-e2, d-e2
        ("leadership-replacement", "rating-improved/overall", 1, 1, 1, 1),  # d-e2
        ("qi-programme", "rating-improved/safe", 1, 1, 1, 1),  # a-e4
        ("visible-leadership", "rating-improved/well-led", 1, 1, 1, 1),  # a-e1
    ]


def test_actions_to_outcomes_min_trusts_and_combined(query_graph: Graph) -> None:
    assert links(query_graph, min_trusts=2) == ALL_LINKS[:3]
    assert links(query_graph, min_trusts=4) == []
    # Leadership links at three trusts or more: only visible leadership -> well-led.
    assert links(query_graph, theme="leadership", min_trusts=3) == ALL_LINKS[:1]


def test_actions_to_outcomes_support_profile_and_grade(query_graph: Graph) -> None:
    # ZZ4 only; every fixture claim is stated. Columns after the first six: independent_sources,
    # role_kinds, stated, contradictions, grade. d-e1..d-e4 all rest on fx-delta-study (one source);
    # d-e5 rests on its interview. well-led@d-2016 and safe@d-2016 rose and fell again at d-2017, so
    # each link to them shows one contradiction. No link has two independent sources: all are limited.
    found = [(row[0], row[1], *row[6:]) for row in rows(query_graph, "actions-to-outcomes", trust="ZZ4")]
    assert found == [
        ("visible-leadership", "rating-improved/well-led", 1, 2, 2, 1, "limited"),  # external, non-executive
        ("leadership-replacement", "rating-improved/overall", 1, 1, 1, 0, "limited"),
        ("qi-programme", "incident-reporting", 1, 1, 1, 0, "limited"),
        ("qi-programme", "rating-improved/safe", 1, 1, 1, 1, "limited"),
        ("staff-listening", "rating-declined/safe", 1, 1, 1, 0, "limited"),
        ("visible-leadership", "rating-improved/overall", 1, 1, 1, 0, "limited"),
    ]
    # The whole fixture: visible-leadership -> well-led rests on fx-cqc-alpha (a-e1), b-e1's source and
    # fx-delta-study: three sources, four stated claims, of three kinds at three trusts, but the ZZ4 fall
    # contradicts it, so it is moderate, not strong; min_grade=moderate keeps the links graded so.
    moderate = [row[:2] for row in rows(query_graph, "actions-to-outcomes", min_grade="moderate")]
    assert ("visible-leadership", "rating-improved/well-led") in moderate
    assert all(
        row[-1] in {"moderate", "strong"} for row in rows(query_graph, "actions-to-outcomes", min_grade="moderate")
    )


def test_only_stated_keeps_stated_claims(query_graph: Graph) -> None:
    # Every fixture claim is stated, so keeping only stated claims changes nothing.
    assert links(query_graph, only_stated="true") == ALL_LINKS


# --- outcome-to-actions ------------------------------------------------------------------


def test_outcome_to_actions_default_takes_every_rating_rise(query_graph: Graph) -> None:
    # rating-improved covers its narrower types. Visible leadership: a-e1, b-e1, b-e2, d-e1, d-e2, d-e4 = 6
    # items at 3 trusts by 4 roles (chief executive twice) from 3 kinds of source. Leadership replacement:
    # b-e3 (chair, media), d-e2 (chief executive, cqc-study). QI: a-e4 (cqc), d-e3 (cqc-study).
    # Then the profile: independent sources, kinds of role, stated claims, later falls, grade.
    # Visible leadership rests on fx-cqc-alpha, fx-beta-paper and fx-delta-study (3); its roles are of the
    # executive, patient-and-public, external and non-executive kinds (4); six stated claims; but
    # well-led@d-2016 fell again at d-2017 (1), so it is moderate, not strong. QI's safe@d-2016 fell too.
    assert rows(query_graph, "outcome-to-actions") == [
        ("visible-leadership", 6, 3, 4, 3, 3, 4, 6, 1, "moderate"),
        ("leadership-replacement", 2, 2, 2, 2, 2, 2, 2, 0, "moderate"),
        ("qi-programme", 2, 2, 2, 2, 2, 2, 2, 1, "moderate"),
    ]


def test_outcome_to_actions_narrow_and_declined(query_graph: Graph) -> None:
    # a-e1, b-e1, d-e1, d-e4: three sources, four kinds of role, four stated claims, the ZZ4 fall.
    assert rows(query_graph, "outcome-to-actions", outcome_type="rating-improved/well-led") == [
        ("visible-leadership", 4, 3, 4, 3, 3, 4, 4, 1, "moderate"),
        ("leadership-replacement", 1, 1, 1, 1, 1, 1, 1, 0, "limited"),
    ]
    # Declines are not rises: only d-e5 links an action to a fall (it rests on its interview).
    assert rows(query_graph, "outcome-to-actions", outcome_type="rating-declined") == [
        ("staff-listening", 1, 1, 1, 1, 1, 1, 1, 0, "limited")
    ]
    # Both trusts' staff-engagement items (a-e2, a-e3) are at ZZ1.
    assert rows(query_graph, "outcome-to-actions", outcome_type="staff-engagement") == [
        ("staff-listening", 1, 1, 1, 1, 1, 1, 1, 0, "limited"),
        ("visible-leadership", 1, 1, 1, 1, 1, 1, 1, 0, "limited"),
    ]
    # Only links graded moderate or better; no fixture link is strong.
    assert [row[0] for row in rows(query_graph, "outcome-to-actions", min_grade="moderate")] == [
        "visible-leadership",
        "leadership-replacement",
        "qi-programme",
    ]
    assert rows(query_graph, "outcome-to-actions", min_grade="strong") == []


def test_outcome_to_actions_min_grade_leaves_out_the_links_graded_lower(query_graph: Graph) -> None:
    # The well-led rises, worked above: visible leadership is moderate (three sources, but the ZZ4 fall),
    # leadership replacement limited (b-e3 alone: one stated claim, one source).
    well_led = "rating-improved/well-led"
    moderate = ("visible-leadership", 4, 3, 4, 3, 3, 4, 4, 1, "moderate")
    limited = ("leadership-replacement", 1, 1, 1, 1, 1, 1, 1, 0, "limited")
    for min_grade, expected in [
        ("strong", []),
        ("moderate", [moderate]),
        ("limited", [moderate, limited]),
        ("very-limited", [moderate, limited]),
    ]:
        found = rows(query_graph, "outcome-to-actions", outcome_type=well_led, min_grade=min_grade)
        assert found == expected, min_grade


# --- evidence-for-link -------------------------------------------------------------------

ALPHA, BETA, DELTA = (
    "https://example.org/fixture/cqc/alpha-report",
    "https://example.org/fixture/news/beta",
    "https://example.org/fixture/study/delta",
)


def test_evidence_for_link_lists_each_item_with_its_source(query_graph: Graph) -> None:
    found = rows(query_graph, "evidence-for-link", action_type="visible-leadership")
    # trust, evidence, action, outcome, role, source, locator (the statement is checked below)
    assert [row[:5] + row[6:8] for row in found] == [
        ("ZZ1", "a-e1", "a-walkabouts", "well-led@a-2016", "chief-executive", ALPHA, None),
        ("ZZ2", "b-e1", "b-ceo-visits", "well-led@b-2016", "patient-representative", BETA, None),
        ("ZZ2", "b-e2", "b-ceo-visits", "overall@b-2016", "chief-executive", BETA, None),
        ("ZZ4", "d-e1", "d-walks", "well-led@d-2016", "healthwatch", DELTA, None),
        ("ZZ4", "d-e2", "d-walks", "overall@d-2016", "chief-executive", DELTA, None),
        ("ZZ4", "d-e4", "d-walks", "well-led@d-2016", "non-executive-director", DELTA, None),
    ]
    assert found[0][5] == (
        "The inspectors credit the executives' regular presence on wards for the better well-led rating."
    )
    # attribution, rests_on, later_fall: every fixture claim is stated; ZZ4's well-led rise fell at d-2017.
    assert [row[8:] for row in found] == [
        ("stated", ALPHA, None),
        ("stated", BETA, None),
        ("stated", BETA, None),
        ("stated", DELTA, "well-led@d-2017"),
        ("stated", DELTA, None),
        ("stated", DELTA, "well-led@d-2017"),
    ]


def test_evidence_for_link_locator_and_interview_source(query_graph: Graph) -> None:
    # d-e3 cites its source with a page; d-e5 comes from interview d-i1, published in the Delta study.
    assert rows(query_graph, "evidence-for-link", action_type="qi-programme", outcome_type="incident-reporting") == [
        (
            "ZZ4",
            "d-e3",
            "d-qi",
            "d-reporting",
            "frontline-staff",
            "A nurse says the safety collaborative made near-miss reporting normal.",
            DELTA,
            "p. 7",
            "stated",
            DELTA,
            None,
        )
    ]
    found = rows(query_graph, "evidence-for-link", action_type="staff-listening", outcome_type="rating-declined")
    assert [row[:5] + row[6:8] for row in found] == [
        ("ZZ4", "d-e5", "d-forums", "safe@d-2017", "frontline-staff", DELTA, None)
    ]
    # It rests on its interview, not on the study that published it.
    assert found[0][9] == "d-i1"


# --- common-actions-of-improvers ---------------------------------------------------------


def test_common_actions_of_improvers_overall(query_graph: Graph) -> None:
    # Overall rose at ZZ1, ZZ2, ZZ4 (3 improvers). Their action types: ZZ1 VL, SL, QI; ZZ2 VL, LR, SL;
    # ZZ4 LR, VL, QI, SL. ZZ3 (staff listening) never improved, so it counts nowhere.
    found = rows(query_graph, "common-actions-of-improvers")
    assert [row[:3] for row in found] == [
        ("staff-listening", 3, 3),
        ("visible-leadership", 3, 3),
        ("leadership-replacement", 2, 3),
        ("qi-programme", 2, 3),
    ]
    assert [listed(row[3]) for row in found] == [
        {"ZZ1", "ZZ2", "ZZ4"},
        {"ZZ1", "ZZ2", "ZZ4"},
        {"ZZ2", "ZZ4"},
        {"ZZ1", "ZZ4"},
    ]
    assert [row[:3] for row in rows(query_graph, "common-actions-of-improvers", min_trusts=3)] == [
        ("staff-listening", 3, 3),
        ("visible-leadership", 3, 3),
    ]
    # Taking an action is not a link. Claims to an overall rise: b-e2 (b-ceo-visits -> overall@b-2016) and
    # d-e2 (d-walks and d-new-ceo -> overall@d-2016), all stated; nothing links staff listening or QI to it.
    assert [row[4:] for row in found] == [(0, 0), (2, 2), (1, 1), (0, 0)]


def test_common_actions_of_improvers_safe(query_graph: Graph) -> None:
    # Safe rose at ZZ1 (a-2018) and ZZ4 (d-2016; that it fell later does not undo the rise). Leadership
    # replacement is ZZ4's alone, so at the default of two trusts it drops out.
    found = rows(query_graph, "common-actions-of-improvers", key_question="safe")
    assert [row[:3] for row in found] == [
        ("qi-programme", 2, 2),
        ("staff-listening", 2, 2),
        ("visible-leadership", 2, 2),
    ]
    assert all(listed(row[3]) == {"ZZ1", "ZZ4"} for row in found)
    # a-e4 (a-qi -> safe@a-2018) and d-e3 (d-qi -> safe@d-2016) link QI to the rise at both trusts.
    assert [row[4:] for row in found] == [(2, 2), (0, 0), (0, 0)]
    # No trust was rated on caring.
    assert rows(query_graph, "common-actions-of-improvers", key_question="caring", min_trusts=1) == []


# --- actions-before-rating-change --------------------------------------------------------

# A partial date is the span of days it could mean. "certain": the whole span lies after the earlier
# inspection's date (its whole span too) and before the later one's; "possible": they overlap only.
WELL_LED_BEFORE = [
    # ZZ1 well-led@a-2016: 2015-03 to 2016-09-12. "2015" may be Jan-Mar 2015, before the inspection.
    ("ZZ1", "well-led@a-2016", None, "2015-03", "2016-09-12", "a-listening", "staff-listening", "2015", "possible"),
    (
        "ZZ1",
        "well-led@a-2016",
        None,
        "2015-03",
        "2016-09-12",
        "a-walkabouts",
        "visible-leadership",
        "2015-06",
        "certain",
    ),
    # (a-qi, 2017-02, is after the later inspection.)
    # ZZ2 well-led@b-2016: 2014-05 to 2016-06. "2014" may be before May; b-fts has no date.
    ("ZZ2", "well-led@b-2016", None, "2014-05", "2016-06", "b-new-board", "leadership-replacement", "2014", "possible"),
    ("ZZ2", "well-led@b-2016", None, "2014-05", "2016-06", "b-ceo-visits", "visible-leadership", "2014-09", "certain"),
    # ZZ4 well-led@d-2016: 2014-11 to 2016-04. "2016" may be after April; d-forums (2016-09) is after;
    # the fall well-led@d-2017 is not a rise.
    ("ZZ4", "well-led@d-2016", None, "2014-11", "2016-04", "d-new-ceo", "leadership-replacement", "2014-12", "certain"),
    ("ZZ4", "well-led@d-2016", None, "2014-11", "2016-04", "d-walks", "visible-leadership", "2015-01-15", "certain"),
    ("ZZ4", "well-led@d-2016", None, "2014-11", "2016-04", "d-qi", "qi-programme", "2016", "possible"),
]


def test_actions_before_well_led_rose(query_graph: Graph) -> None:
    assert rows(query_graph, "actions-before-rating-change") == WELL_LED_BEFORE
    assert rows(query_graph, "actions-before-rating-change", trust="ZZ2") == WELL_LED_BEFORE[2:4]


def test_actions_before_overall_rose_at_one_trust(query_graph: Graph) -> None:
    # ZZ1's overall rose twice: with well-led at a-2016 (same window), and again by a-2018 (2016-09-12 to
    # 2018-01), when only a-qi (2017-02) started.
    assert rows(query_graph, "actions-before-rating-change", key_question="overall", trust="ZZ1") == [
        ("ZZ1", "overall@a-2016", None, "2015-03", "2016-09-12", "a-listening", "staff-listening", "2015", "possible"),
        (
            "ZZ1",
            "overall@a-2016",
            None,
            "2015-03",
            "2016-09-12",
            "a-walkabouts",
            "visible-leadership",
            "2015-06",
            "certain",
        ),
        ("ZZ1", "overall@a-2018", None, "2016-09-12", "2018-01", "a-qi", "qi-programme", "2017-02", "certain"),
    ]


def test_actions_before_a_site_rating_rose(query_graph: Graph) -> None:
    # ZZ4's overall rose for the trust (d-2014 2014-11 to d-2016 2016-04) and for its site delta-unit
    # (d-unit-2015 2015-06 to d-unit-2017, published 2017-03). In the site's window: d-qi ("2016", wholly
    # inside) and d-forums (2016-09); d-walks (2015-01-15) and d-new-ceo (2014-12) came before it.
    assert rows(query_graph, "actions-before-rating-change", key_question="overall", trust="ZZ4") == [
        (
            "ZZ4",
            "overall@d-2016",
            None,
            "2014-11",
            "2016-04",
            "d-new-ceo",
            "leadership-replacement",
            "2014-12",
            "certain",
        ),
        ("ZZ4", "overall@d-2016", None, "2014-11", "2016-04", "d-walks", "visible-leadership", "2015-01-15", "certain"),
        ("ZZ4", "overall@d-2016", None, "2014-11", "2016-04", "d-qi", "qi-programme", "2016", "possible"),
        ("ZZ4", "overall@d-unit-2017", "delta-unit", "2015-06", "2017-03", "d-qi", "qi-programme", "2016", "certain"),
        (
            "ZZ4",
            "overall@d-unit-2017",
            "delta-unit",
            "2015-06",
            "2017-03",
            "d-forums",
            "staff-listening",
            "2016-09",
            "certain",
        ),
    ]


# --- theme-coverage ----------------------------------------------------------------------

# Columns: trust, evidence, then the nine themes in the report's order: reaction-to-report, leadership,
# cultural-change, vision-and-values, governance, improving-safety, patient-and-public-involvement,
# looking-outwards, cqc-engagement.
COVERAGE = [
    ("ZZ1", 4, 0, 2, 2, 0, 0, 1, 0, 0, 0),  # leadership a-e1 a-e2; culture a-e2 a-e3; safety a-e4
    ("ZZ2", 5, 0, 4, 1, 0, 0, 0, 0, 0, 0),  # leadership b-e1 b-e2 b-e3 (stated) b-e5; culture b-e4
    # reaction d-e2; leadership d-e1 d-e2 d-e4 (stated); culture d-e2 d-e3 d-e5; governance d-e4;
    # safety d-e3; patient and public involvement d-e1
    ("ZZ4", 5, 1, 3, 3, 0, 1, 1, 1, 0, 0),
    ("ZZ3", 1, 0, 0, 0, 1, 0, 0, 0, 0, 0),  # vision c-e1
]  # in the order of the trusts' names: Alpha, Beta, Delta (ZZ4), Gamma (ZZ3)


#: The nine themes of the default scheme, in COVERAGE's column order.
COVERAGE_THEMES = (
    "reaction-to-report",
    "leadership",
    "cultural-change",
    "vision-and-values",
    "governance",
    "improving-safety",
    "patient-and-public-involvement",
    "looking-outwards",
    "cqc-engagement",
)


def coverage_matrix(graph: Graph, **params: str) -> list[tuple[Short, ...]]:
    """theme-coverage pivoted by the API, read back in COVERAGE's columns (a theme no item has is 0)."""
    table = api.theme_matrix(graph, **params)
    found = [dict(zip(table.columns, (short(cell) for cell in row), strict=True)) for row in table.rows]
    assert set(table.columns[2:]) <= {theme.replace("-", "_") for theme in COVERAGE_THEMES}
    return [
        (line["trust"], line["evidence"], *(line.get(theme.replace("-", "_"), 0) for theme in COVERAGE_THEMES))
        for line in found
    ]


def test_theme_coverage_matrix(query_graph: Graph) -> None:
    assert coverage_matrix(query_graph) == COVERAGE
    assert coverage_matrix(query_graph, trust_type="acute") == COVERAGE[:2]  # ZZ1, ZZ2
    assert coverage_matrix(query_graph, trust_type="ambulance") == []


def test_theme_coverage_rows_are_cells(query_graph: Graph) -> None:
    """The long rows the matrix is made of: a row per trust and theme tagged, and one per trust for all items."""
    assert rows(query_graph, "theme-coverage", trust_type="acute") == [
        ("ZZ1", None, 4),
        ("ZZ1", "cultural-change", 2),
        ("ZZ1", "improving-safety", 1),
        ("ZZ1", "leadership", 2),
        ("ZZ2", None, 5),
        ("ZZ2", "cultural-change", 1),
        ("ZZ2", "leadership", 4),
    ]


# --- theme-cooccurrence ------------------------------------------------------------------


def test_theme_cooccurrence_pairs(query_graph: Graph) -> None:
    # Items with two or more themes: a-e2 {leadership, cultural-change}; d-e1 {leadership, ppi};
    # d-e2 {leadership, reaction, cultural-change}; d-e3 {safety, cultural-change};
    # d-e4 {governance, leadership (stated)}. Pairs in IRI order, most frequent first.
    assert rows(query_graph, "theme-cooccurrence") == [
        ("cultural-change", "leadership", 2, 2),  # a-e2 (ZZ1), d-e2 (ZZ4)
        ("cultural-change", "improving-safety", 1, 1),
        ("cultural-change", "reaction-to-report", 1, 1),
        ("governance", "leadership", 1, 1),
        ("leadership", "patient-and-public-involvement", 1, 1),
        ("leadership", "reaction-to-report", 1, 1),
    ]
    assert rows(query_graph, "theme-cooccurrence", theme="improving-safety") == [
        ("cultural-change", "improving-safety", 1, 1)
    ]


# --- role-perspectives -------------------------------------------------------------------


def test_role_perspectives_by_role_group(query_graph: Graph) -> None:
    # theme, executive, non_executive, staff, patient_and_public, external, evidence (b-e5 has no role).
    assert rows(query_graph, "role-perspectives") == [
        ("reaction-to-report", 1, 0, 0, 0, 0, 1),  # d-e2
        # exec a-e1 b-e2 d-e2; non-exec b-e3 d-e4; staff a-e2; patient b-e1; external d-e1; plus b-e5
        ("leadership", 3, 2, 1, 1, 1, 9),
        ("cultural-change", 1, 0, 5, 0, 0, 6),  # exec d-e2; staff a-e2 a-e3 b-e4 d-e3 d-e5
        ("vision-and-values", 0, 0, 1, 0, 0, 1),  # c-e1
        ("governance", 0, 1, 0, 0, 0, 1),  # d-e4
        ("improving-safety", 1, 0, 1, 0, 0, 2),  # a-e4, d-e3
        ("patient-and-public-involvement", 0, 0, 0, 0, 1, 1),  # d-e1
        ("looking-outwards", 0, 0, 0, 0, 0, 0),
        ("cqc-engagement", 0, 0, 0, 0, 0, 0),
    ]
    beta = rows(query_graph, "role-perspectives", trust="ZZ2")
    assert beta[1] == ("leadership", 1, 1, 0, 1, 0, 4)  # b-e2, b-e3, b-e1, and b-e5 with no role
    assert beta[2] == ("cultural-change", 0, 0, 1, 0, 0, 1)  # b-e4
    assert all(row[1:] == (0, 0, 0, 0, 0, 0) for i, row in enumerate(beta) if i not in (1, 2))


# --- triangulated-actions ----------------------------------------------------------------


def test_triangulated_actions(query_graph: Graph) -> None:
    found = rows(query_graph, "triangulated-actions")
    # d-walks: d-e1 healthwatch (external), d-e2 chief executive, d-e4 NED; a-walkabouts: a-e1 chief
    # executive, a-e2 frontline staff; b-ceo-visits: b-e1 patient representative, b-e2 chief executive.
    # Every other action is described from one kind of role only.
    assert [row[:5] for row in found] == [
        ("ZZ4", "d-walks", "visible-leadership", 3, 3),
        ("ZZ1", "a-walkabouts", "visible-leadership", 2, 2),
        ("ZZ2", "b-ceo-visits", "visible-leadership", 2, 2),
    ]
    assert [(listed(row[5]), listed(row[6])) for row in found] == [
        (
            {"Executive", "Non-executive", "External stakeholder"},
            {"Chief executive", "Non-executive director", "Healthwatch"},
        ),
        ({"Executive", "Staff"}, {"Chief executive", "Frontline staff"}),
        ({"Executive", "Patient and public"}, {"Chief executive", "Patient representative"}),
    ]
    assert [row[1] for row in rows(query_graph, "triangulated-actions", min_kinds=3)] == ["d-walks"]
    # With one kind enough, every action some role reported on: all eleven.
    assert len(rows(query_graph, "triangulated-actions", min_kinds=1)) == 11
    assert rows(query_graph, "triangulated-actions", trust="ZZ3") == []


# --- trust-profile -----------------------------------------------------------------------


def test_trust_profile_of_alpha(query_graph: Graph) -> None:
    found = rows(query_graph, "trust-profile", trust="ZZ1")
    # section, date, item, type, detail, evidence; themes (GROUP_CONCAT) compared as sets below.
    themes = {row[2]: listed(row[4]) for row in found if row[0] == "Action"}
    assert [row if row[0] != "Action" else row[:4] + row[5:] for row in found] == [
        ("Inspection", "2015-03", "a-2015", "inadequate", None, None),
        ("Inspection", "2016-09-12", "a-2016", "requires-improvement", None, None),
        ("Inspection", "2018-01", "a-2018", "good", None, None),
        ("Special measures", "2015-04", "sm-2015", None, "left 2016-11", None),
        ("Action", "2015", "a-listening", "staff-listening", 1),  # a-e3
        ("Action", "2015-06", "a-walkabouts", "visible-leadership", 2),  # a-e1, a-e2
        ("Action", "2017-02", "a-qi", "qi-programme", 1),  # a-e4
        # a rating change is dated by its later inspection; a measure by its later year
        ("Outcome", "2016-09-12", "overall@a-2016", "rating-improved/overall", None, 0),
        ("Outcome", "2016-09-12", "well-led@a-2016", "rating-improved/well-led", None, 1),  # a-e1
        ("Outcome", "2017", "a-engagement", "staff-engagement", None, 2),  # a-e2, a-e3
        ("Outcome", "2018-01", "overall@a-2018", "rating-improved/overall", None, 0),
        ("Outcome", "2018-01", "safe@a-2018", "rating-improved/safe", None, 1),  # a-e4
    ]
    assert themes == {
        "a-listening": {"Cultural change"},
        "a-walkabouts": {"Leadership"},
        "a-qi": {"Improving safety", "Governance"},
    }


def test_trust_profile_sites_undated_and_open_episodes(query_graph: Graph) -> None:
    # ZZ3: a site inspection names its site; an undated action still appears.
    assert rows(query_graph, "trust-profile", trust="ZZ3") == [
        ("Inspection", "2015", "c-2015", "inadequate", "gamma-hospital", None),
        ("Inspection", "2017-03", "c-2017", "good", None, None),
        ("Action", None, "c-values", "staff-listening", "Vision and values", 1),
    ]
    delta = rows(query_graph, "trust-profile", trust="ZZ4")
    assert [row for row in delta if row[0] == "Special measures"] == [
        ("Special measures", "2014-12", "d-sm1", None, "left 2016-06", None),
        ("Special measures", "2017-11", "d-sm2", None, "not left", None),
    ]
    # The site's rise is dated by its later inspection (published 2017-03); the undated reported change
    # comes last among ZZ4's seven outcomes.
    outcomes = [row[2] for row in delta if row[0] == "Outcome"]
    assert outcomes == [
        "overall@d-2016",
        "safe@d-2016",
        "well-led@d-2016",
        "overall@d-unit-2017",
        "safe@d-2017",
        "well-led@d-2017",
        "d-reporting",
    ]


# --- compare-trusts ----------------------------------------------------------------------


def test_compare_alpha_and_delta(query_graph: Graph) -> None:
    assert rows(query_graph, "compare-trusts", trust_a="ZZ1", trust_b="ZZ4") == [
        # action types: ZZ1 has one each of QI, SL, VL; ZZ4 one each of LR, QI, SL, VL
        ("Action type", "leadership-replacement", 0, 1, "ZZ4 only"),
        ("Action type", "qi-programme", 1, 1, "both"),
        ("Action type", "staff-listening", 1, 1, "both"),
        ("Action type", "visible-leadership", 1, 1, "both"),
        # ZZ1 overall rose twice (a-2016, a-2018); ZZ4 overall rose at d-2016 and stayed at d-2017 (its
        # site delta-unit, which also rose, is not the trust's trajectory)
        (
            "Rating",
            "overall",
            "Inadequate (2015-03) to Good (2018-01), 2 up, 0 down",
            "Inadequate (2014-11) to Requires improvement (2017-09), 1 up, 0 down",
            "both",
        ),
        (
            "Rating",
            "safe",
            "Inadequate (2015-03) to Good (2018-01), 1 up, 0 down",
            "Inadequate (2014-11) to Requires improvement (2017-09), 1 up, 1 down",
            "both",
        ),
        (
            "Rating",
            "well-led",
            "Inadequate (2015-03) to Good (2018-01), 1 up, 0 down",
            "Inadequate (2014-11) to Inadequate (2017-09), 1 up, 1 down",
            "both",
        ),
    ]


def test_compare_beta_and_gamma(query_graph: Graph) -> None:
    # ZZ3's site inspection (c-2015) is left out, so its overall trajectory is the one trust-level rating;
    # it has no well-led rating at all.
    assert rows(query_graph, "compare-trusts", trust_a="ZZ2", trust_b="ZZ3") == [
        ("Action type", "leadership-replacement", 1, 0, "ZZ2 only"),
        ("Action type", "staff-listening", 1, 1, "both"),
        ("Action type", "visible-leadership", 1, 0, "ZZ2 only"),
        (
            "Rating",
            "overall",
            "Requires improvement (2014-05) to Good (2016-06), 1 up, 0 down",
            "Good (2017-03), one inspection",
            "both",
        ),
        ("Rating", "well-led", "Requires improvement (2014-05) to Outstanding (2016-06), 1 up, 0 down", "", "ZZ2 only"),
    ]


# --- special-measures-exits --------------------------------------------------------------


ALPHA_EXIT = [
    # ZZ1 2015-04 to 2016-11: "2015" may be before April; a-qi (2017-02) is after the exit.
    ("ZZ1", "sm-2015", "2015-04", "2016-11", "a-listening", "staff-listening", "2015", "possible"),
    ("ZZ1", "sm-2015", "2015-04", "2016-11", "a-walkabouts", "visible-leadership", "2015-06", "certain"),
]
DELTA_EXIT = [
    # ZZ4 2014-12 to 2016-06: d-new-ceo started the month it entered (it may have been the day before);
    # "2016" may be after June; d-forums (2016-09) is after. d-sm2 has no exit, so it is not listed.
    ("ZZ4", "d-sm1", "2014-12", "2016-06", "d-new-ceo", "leadership-replacement", "2014-12", "possible"),
    ("ZZ4", "d-sm1", "2014-12", "2016-06", "d-walks", "visible-leadership", "2015-01-15", "certain"),
    ("ZZ4", "d-sm1", "2014-12", "2016-06", "d-qi", "qi-programme", "2016", "possible"),
]


def test_special_measures_exits(query_graph: Graph) -> None:
    assert rows(query_graph, "special-measures-exits") == ALPHA_EXIT + DELTA_EXIT
    assert rows(query_graph, "special-measures-exits", trust="ZZ4") == DELTA_EXIT
    assert rows(query_graph, "special-measures-exits", trust="ZZ2") == []  # never in special measures


# --- search-evidence ---------------------------------------------------------------------


def test_search_evidence_ignores_case(query_graph: Graph) -> None:
    # Only d-e2 and d-e4 say "walk" ("walk-rounds"); a-e1 and d-e1 speak of wards, not walks.
    found = rows(query_graph, "search-evidence", text="WALK")
    assert [row[:3] for row in found] == [("ZZ4", "d-e2", "chief-executive"), ("ZZ4", "d-e4", "non-executive-director")]
    assert listed(found[1][4]) == {"Governance", "Leadership"}
    assert rows(query_graph, "search-evidence", text="walk", trust="ZZ4") == found
    assert rows(query_graph, "search-evidence", text="walk", trust="ZZ1") == []
