"""The two foundation queries, on both stores, against answers worked out by hand from the fixture.

How the fixture's evidence links actions to outcomes (tests/fixtures/casebase/cases):
  ZZ1 a-e1  visible-leadership -> well-led improved    chief-executive     cqc
  ZZ1 a-e2  visible-leadership -> staff-engagement     frontline-staff     trust
  ZZ1 a-e3  staff-listening    -> staff-engagement     frontline-staff     trust
  ZZ1 a-e4  qi-programme       -> safe improved        director-of-nursing cqc
  ZZ2 b-e1  visible-leadership -> well-led improved    patient-rep         media
  ZZ2 b-e2  visible-leadership -> overall improved     chief-executive     media
  ZZ2 b-e3  leadership-replacement -> well-led improved chair              media
  ZZ2 b-e4  staff-listening    -> incident-reporting   frontline-staff     media
  (b-e5 and c-e1 name no outcome, so they support no link.)
Only visible-leadership -> well-led improved has two items (two trusts, two roles, two kinds of
source); every other link has one of each. Ties are ordered by action type IRI, then outcome type
IRI (leadership-replacement < qi-programme < staff-listening < visible-leadership; incident-reporting
< rating-improved/overall < rating-improved/safe < rating-improved/well-led < staff-engagement).
"""

from __future__ import annotations

import pytest
from query_rows import LINK_COLUMNS
from rdflib import Graph, Literal

from trustkg import api
from trustkg.errors import QueryError
from trustkg.sparql import find_query, with_values

ONE = (1, 1, 1, 1)
ALL_LINKS = [
    ("Visible leadership", "Well-led rating improved", 2, 2, 2, 2),
    ("Leadership replacement", "Well-led rating improved", *ONE),
    ("Quality improvement programme", "Safe rating improved", *ONE),
    ("Staff listening", "Incident reporting culture", *ONE),
    ("Staff listening", "Staff engagement", *ONE),
    ("Visible leadership", "Overall rating improved", *ONE),
    ("Visible leadership", "Staff engagement", *ONE),
]


def links(graph: Graph, **params: str) -> list[tuple[object, ...]]:
    """The first six columns; the support profile and grade are checked in test_queries."""
    return [row[:6] for row in api.query(graph, "actions-to-outcomes", **params).values(graph)]


def test_actions_to_outcomes(fixture_graph: Graph) -> None:
    assert links(fixture_graph) == ALL_LINKS


def test_actions_to_outcomes_for_leadership_actions(fixture_graph: Graph) -> None:
    # Actions coded leadership: a-walkabouts, b-ceo-visits, b-new-board; a-listening, a-qi and b-fts are not.
    assert links(fixture_graph, theme="leadership") == [
        ("Visible leadership", "Well-led rating improved", 2, 2, 2, 2),
        ("Leadership replacement", "Well-led rating improved", *ONE),
        ("Visible leadership", "Overall rating improved", *ONE),
        ("Visible leadership", "Staff engagement", *ONE),
    ]


def test_actions_to_outcomes_restricted(fixture_graph: Graph) -> None:
    assert links(fixture_graph, min_trusts="2") == ALL_LINKS[:1]
    assert links(fixture_graph, role="frontline-staff") == [
        ("Staff listening", "Incident reporting culture", *ONE),
        ("Staff listening", "Staff engagement", *ONE),
        ("Visible leadership", "Staff engagement", *ONE),
    ]
    assert links(fixture_graph, trust="zz2") == [
        ("Leadership replacement", "Well-led rating improved", *ONE),
        ("Staff listening", "Incident reporting culture", *ONE),
        ("Visible leadership", "Overall rating improved", *ONE),
        ("Visible leadership", "Well-led rating improved", *ONE),
    ]
    assert links(fixture_graph, theme="patient-and-public-involvement") == []


def test_rating_trajectories(fixture_graph: Graph) -> None:
    rows = api.query(fixture_graph, "rating-trajectories").values(fixture_graph)
    alpha, beta, gamma = (
        "Fixture Alpha Hospitals NHS Trust",
        "Fixture Beta NHS Foundation Trust",
        "Fixture Gamma Community NHS Trust",
    )
    assert [(r[0], r[1], r[3], r[4], r[5]) for r in rows] == [
        (alpha, "2015-03", None, "Inadequate", "Inadequate"),
        (alpha, "2016-09-12", None, "Requires improvement", "Good"),
        (alpha, "2018-01", None, "Good", "Good"),
        (beta, "2014-05", None, "Requires improvement", "Requires improvement"),
        (beta, "2016-06", None, "Good", "Outstanding"),
        (gamma, "2015", "Gamma Community Hospital", "Inadequate", None),
        (gamma, "2017-03", None, "Good", None),  # published date: the source gives no start
    ]


def test_unknown_trust_lists_what_exists(fixture_graph: Graph) -> None:
    with pytest.raises(QueryError, match=r"unknown trust \(ODS code\) 'RXX'.*known: ZZ1, ZZ2, ZZ3"):
        api.query(fixture_graph, "rating-trajectories", trust="RXX")


def test_parameters_are_bound_as_terms_not_text(fixture_graph: Graph) -> None:
    hostile = 'x" } } INSERT DATA { <urn:a> <urn:b> <urn:c> } #'
    text = with_values("SELECT ?label WHERE { ?s ?p ?label }", {"label": Literal(hostile)})
    assert 'VALUES (?label) { ("x\\" } } INSERT DATA { <urn:a> <urn:b> <urn:c> } #") }' in text
    assert list(fixture_graph.query(text)) == []  # parsed as one string literal: no such label, nothing injected
    # A '{' in a comment before the group does not fool the insertion point.
    tricky = "# a {comment\nPREFIX tkg: <https://w3id.org/trustkg/def/>\nSELECT ?n WHERE { ?t tkg:odsCode ?n }"
    bound = with_values(tricky, {"n": Literal("ZZ1")})
    assert bound.index("VALUES") > bound.index("WHERE {")
    assert [str(row[0]) for row in fixture_graph.query(bound)] == ["ZZ1"]


def test_library_queries_parse() -> None:
    query = find_query("actions-to-outcomes")
    assert [p.name for p in query.parameters] == [
        "theme",
        "trust",
        "role",
        "min_trusts",
        "only_stated",
        "min_grade",
        "study",
    ]
    assert [c.name for c in query.columns] == LINK_COLUMNS
    assert query.question.startswith("Which kinds of action are linked to which kinds of outcome")
