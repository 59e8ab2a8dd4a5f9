"""The OWL reasoner (HermiT via owlready2): consistency, the defined classes, and life without Java.

Hand-worked memberships in the fixture (tests/fixtures/casebase):

Leadership action = an action with coded or stated theme leadership:
  ZZ1 a-walkabouts (leadership), ZZ2 b-ceo-visits (leadership), ZZ2 b-new-board (leadership).
  Not: a-listening (cultural-change), a-qi (improving-safety, governance), b-fts (cultural-change),
  c-values (vision-and-values).

Triangulated action = described (led by, or reported on in evidence that mentions it) by an
executive role and by a frontline-staff or patient-and-public role:
  a-walkabouts: led by chief executive; a-e2 by frontline staff          -> yes
  a-listening:  led by director of nursing; a-e3 by frontline staff      -> yes
  b-ceo-visits: led by chief executive; b-e1 by patient representative   -> yes
  a-qi:         a-e4 by director of nursing only (executive only)        -> no
  b-new-board:  led by and b-e3 by the chair (non-executive only)        -> no
  b-fts:        b-e4 by frontline staff only                             -> no
  c-values:     c-e1 by frontline staff only                             -> no

Rating improvement = a rating change whose outcome type is (under) rating-improved, which the build
gives exactly the changes with a positive rank change:
  ZZ1 a-2015 -> a-2016: overall inadequate -> requires improvement (+1), well-led inadequate -> good (+2),
      safe inadequate -> inadequate (no change, no rating change);
  ZZ1 a-2016 -> a-2018: overall +1, safe inadequate -> good (+2), well-led good -> good (none);
  ZZ2 b-2014 -> b-2016: overall requires improvement -> good (+1), well-led -> outstanding (+2);
  ZZ3: a site inspection then a trust inspection, no change derived.
Improving trust = a trust with a rating improvement: ZZ1 and ZZ2, not ZZ3.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import owlready2
import pytest
from conftest import FIXTURE_DIR, REPO, CliRun, require
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from trustkg import api, iris
from trustkg.build import build_graph
from trustkg.errors import ChecksFailedError, ReasonerError
from trustkg.ontology import ROLE, THEME, TKG, schema_graph
from trustkg.ontology.reasoning import (
    InconsistentGraphError,
    ReasonerUnavailableError,
    ReasoningError,
    java_executable,
    java_version,
    reason,
)
from trustkg.records import EvidenceBase
from trustkg.store import local_stores, new_graph

ZZ1, ZZ2, ZZ3 = iris.trust("ZZ1"), iris.trust("ZZ2"), iris.trust("ZZ3")


def require_java() -> str:
    require(shutil.which(owlready2.JAVA_EXE) is not None, "a Java runtime (Debian: default-jre-headless)")
    return java_executable()


def members(graph: Graph, cls: URIRef) -> set[str]:
    return {str(node).removeprefix("https://w3id.org/trustkg/") for node in graph.subjects(RDF.type, cls)}


@pytest.fixture(scope="module", params=local_stores())
def reasoned_graph(request: pytest.FixtureRequest, fixture_base: EvidenceBase) -> Graph:
    require_java()
    graph, _ = build_graph(fixture_base, new_graph(request.param))
    reason(graph)
    return graph


@pytest.fixture
def fresh_graph(fixture_base: EvidenceBase) -> Graph:
    graph, _ = build_graph(fixture_base, new_graph("memory"))
    return graph


# --- the defined classes, on the fixture -----------------------------------------------


def test_leadership_actions(reasoned_graph: Graph) -> None:
    assert members(reasoned_graph, TKG.LeadershipAction) == {
        "id/trust/ZZ1/action/a-walkabouts",
        "id/trust/ZZ2/action/b-ceo-visits",
        "id/trust/ZZ2/action/b-new-board",
    }


def test_triangulated_actions(reasoned_graph: Graph) -> None:
    assert members(reasoned_graph, TKG.TriangulatedAction) == {
        "id/trust/ZZ1/action/a-walkabouts",
        "id/trust/ZZ1/action/a-listening",
        "id/trust/ZZ2/action/b-ceo-visits",
    }


def test_rating_improvements(reasoned_graph: Graph) -> None:
    assert members(reasoned_graph, TKG.RatingImprovement) == {
        "id/trust/ZZ1/rating-change/overall/a-2016",
        "id/trust/ZZ1/rating-change/well-led/a-2016",
        "id/trust/ZZ1/rating-change/overall/a-2018",
        "id/trust/ZZ1/rating-change/safe/a-2018",
        "id/trust/ZZ2/rating-change/overall/b-2016",
        "id/trust/ZZ2/rating-change/well-led/b-2016",
    }


def test_improving_trusts(reasoned_graph: Graph) -> None:
    assert members(reasoned_graph, TKG.ImprovingTrust) == {"id/trust/ZZ1", "id/trust/ZZ2"}


def test_role_groups_follow_the_vocabulary(reasoned_graph: Graph) -> None:
    """The role-group classes are inferred from skos:broader in ontology/vocab/roles.ttl."""
    executive = {
        "executive",
        "chief-executive",
        "medical-director",
        "director-of-nursing",
        "director-of-workforce",
        "head-of-communications",
        "executive-director",
        "director-of-operations",
        "director-of-strategy",
        "board",
    }
    assert members(reasoned_graph, TKG.ExecutiveRole) == {f"vocab/role/{r}" for r in executive}
    assert members(reasoned_graph, TKG.FrontlineStaffRole) == {"vocab/role/frontline-staff"}
    assert members(reasoned_graph, TKG.PatientAndPublicRole) == {
        "vocab/role/patient-and-public",
        "vocab/role/patient-representative",
        "vocab/role/service-user",
        "vocab/role/carer",
    }


def test_the_other_way_round(fresh_graph: Graph) -> None:
    """Changing the data moves individuals in and out of the defined classes."""
    require_java()
    c_values, b_fts, a_walkabouts = (
        iris.action("ZZ3", "c-values"),
        iris.action("ZZ2", "b-fts"),
        iris.action("ZZ1", "a-walkabouts"),
    )
    # ZZ3 gets only a decline: still not improving.
    decline = URIRef(f"{ZZ3}/rating-change/test-decline")
    fresh_graph.add((decline, RDF.type, TKG.RatingChange))
    fresh_graph.add((decline, TKG.trust, ZZ3))
    fresh_graph.add((decline, TKG.rankChange, Literal(-1)))
    fresh_graph.add((decline, TKG.outcomeType, iris.rating_change_type("rating-declined", "overall")))
    # A stated (not coded) leadership theme makes a leadership action.
    fresh_graph.add((c_values, TKG.statedTheme, THEME["leadership"]))
    # b-fts (frontline evidence) gains an executive vantage point through the group concept itself.
    fresh_graph.add((b_fts, TKG.ledBy, ROLE["executive"]))
    # a-walkabouts loses its frontline evidence (a-e2): only executives describe it now.
    fresh_graph.remove((iris.evidence("ZZ1", "a-e2"), TKG.mentionsAction, a_walkabouts))
    reason(fresh_graph)
    assert members(fresh_graph, TKG.ImprovingTrust) == {"id/trust/ZZ1", "id/trust/ZZ2"}
    assert "id/trust/ZZ3/action/c-values" in members(fresh_graph, TKG.LeadershipAction)
    assert members(fresh_graph, TKG.TriangulatedAction) == {
        "id/trust/ZZ1/action/a-listening",
        "id/trust/ZZ2/action/b-ceo-visits",
        "id/trust/ZZ2/action/b-fts",
    }


def test_an_improvement_makes_an_improving_trust(fresh_graph: Graph) -> None:
    require_java()
    rise = URIRef(f"{ZZ3}/rating-change/test-rise")
    fresh_graph.add((rise, RDF.type, TKG.RatingChange))
    fresh_graph.add((rise, TKG.trust, ZZ3))
    fresh_graph.add((rise, TKG.rankChange, Literal(1)))
    fresh_graph.add((rise, TKG.outcomeType, iris.rating_change_type("rating-improved", "overall")))
    reason(fresh_graph)
    assert members(fresh_graph, TKG.ImprovingTrust) == {"id/trust/ZZ1", "id/trust/ZZ2", "id/trust/ZZ3"}


def test_a_sub_theme_of_leadership_makes_a_leadership_action(fresh_graph: Graph) -> None:
    """The anchor classes follow skos:broader to any depth: a sub-sub-theme of leadership still counts."""
    require_java()
    board_development = URIRef("https://example.org/fixture/theme/board-development")
    board_away_days = URIRef("https://example.org/fixture/theme/board-away-days")
    fresh_graph.add((board_development, SKOS.broader, THEME["leadership"]))
    fresh_graph.add((board_away_days, SKOS.broader, board_development))
    a_qi = iris.action("ZZ1", "a-qi")
    fresh_graph.add((a_qi, TKG.codedTheme, board_away_days))
    reason(fresh_graph)
    assert "id/trust/ZZ1/action/a-qi" in members(fresh_graph, TKG.LeadershipAction)
    assert {board_development, board_away_days} <= set(fresh_graph.subjects(RDF.type, TKG.LeadershipTheme))


def test_reasoning_twice_adds_nothing_more(reasoned_graph: Graph) -> None:
    assert reason(reasoned_graph).memberships == ()


# --- consistency --------------------------------------------------------------------------


def test_ontology_alone_is_consistent_and_every_class_satisfiable() -> None:
    require_java()
    inference = reason(schema_graph())
    assert inference.unsatisfiable == ()


def test_an_individual_in_two_disjoint_classes_is_reported(fresh_graph: Graph) -> None:
    require_java()
    a_qi = iris.action("ZZ1", "a-qi")
    fresh_graph.add((a_qi, RDF.type, TKG.Evidence))
    size = len(fresh_graph)
    with pytest.raises(InconsistentGraphError) as caught:
        reason(fresh_graph)
    assert caught.value.explanation == [
        f"<{a_qi}> is both a tkg:Action and a tkg:Evidence, which the ontology declares disjoint"
    ]
    assert len(fresh_graph) == size, "nothing is added to an inconsistent graph"


def test_api_turns_an_inconsistency_into_failed_checks(fresh_graph: Graph) -> None:
    require_java()
    # A statement outside tkg:statement's range is inconsistent without any disjointness.
    fresh_graph.add((iris.evidence("ZZ1", "a-e1"), TKG.statement, Literal(42)))
    with pytest.raises(ChecksFailedError) as caught:
        api.reason_graph(fresh_graph)
    assert caught.value.summary == "hermit found the graph inconsistent"
    assert caught.value.details == [
        "no individual is in two disjoint classes; look for a literal outside its property's range"
    ]


def test_unsatisfiable_class_is_reported() -> None:
    require_java()
    graph = schema_graph()
    graph.add((TKG.LeadershipAction, URIRef("http://www.w3.org/2002/07/owl#disjointWith"), TKG.Action))
    assert reason(graph).unsatisfiable == (TKG.LeadershipAction,)


def test_unknown_reasoner(fresh_graph: Graph) -> None:
    with pytest.raises(ReasoningError, match="unknown reasoner 'fact'"):
        reason(fresh_graph, "fact")


def test_pellet_runs_or_says_which_java_it_needs(fresh_graph: Graph) -> None:
    """Pellet as shipped with owlready2 0.51 is compiled for Java 25; on older Java it must say so."""
    java = require_java()
    version = java_version(java)
    assert version is not None
    if version >= 25:
        reason(fresh_graph, "pellet")
        assert members(fresh_graph, TKG.ImprovingTrust) == {"id/trust/ZZ1", "id/trust/ZZ2"}
    else:
        with pytest.raises(ReasonerUnavailableError, match=rf"needs Java \d+ or newer, but .* is Java {version}"):
            reason(fresh_graph, "pellet")


# --- without Java --------------------------------------------------------------------------


@pytest.fixture
def no_java(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A PATH on which there is no java (owlready2 starts plain ``java``)."""
    empty = tmp_path / "bin-without-java"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.setattr(owlready2, "JAVA_EXE", "java")


@pytest.mark.usefixtures("no_java")
def test_without_java_reasoning_says_what_to_install(fresh_graph: Graph) -> None:
    with pytest.raises(ReasonerUnavailableError, match=r"apt-get install default-jre-headless"):
        reason(fresh_graph)
    with pytest.raises(ReasonerError, match=r"needs Java"):
        api.reason_graph(fresh_graph)


@pytest.mark.usefixtures("no_java")
def test_without_java_build_reason_fails_and_writes_nothing(cli: Callable[..., CliRun], tmp_path: Path) -> None:
    out = tmp_path / "out"
    run = cli("build", "--data", str(FIXTURE_DIR), "--out", str(out), "--reason")
    assert run.code == 2
    assert "apt-get install default-jre-headless" in run.err
    assert not out.exists()
    assert list(tmp_path.glob(".out.*")) == []  # nor the N-Triples written as the graph was built


@pytest.mark.usefixtures("no_java")
def test_without_java_everything_else_works(cli: Callable[..., CliRun], tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert cli("build", "--data", str(FIXTURE_DIR), "--out", str(out)).code == 0
    assert (out / "trustkg.nt").exists()
    assert cli("validate", "--graph", str(out / "trustkg.nt")).code == 0
    assert cli("query", "actions-of-class", "--graph", str(out / "trustkg.nt"), "-p", "class=Action").code == 0


# --- the CLI and the query library -----------------------------------------------------------


def test_build_reason_writes_the_inferences(cli: Callable[..., CliRun], tmp_path: Path) -> None:
    require_java()
    out = tmp_path / "out"
    run = cli("build", "--data", str(FIXTURE_DIR), "--out", str(out), "--reason")
    assert run.code == 0, run.err
    assert "hermit found the graph consistent" in run.out
    assert "   3  leadership action" in run.out
    written = Graph().parse(out / "trustkg.nt")
    assert members(written, TKG.ImprovingTrust) == {"id/trust/ZZ1", "id/trust/ZZ2"}


def test_actions_of_an_inferred_class(reasoned_graph: Graph) -> None:
    table = api.query(reasoned_graph, "actions-of-class", **{"class": "TriangulatedAction"})
    assert table.values(reasoned_graph) == [
        ("Fixture Alpha Hospitals NHS Trust", "Listening events for all staff", "Staff listening", 1),
        ("Fixture Alpha Hospitals NHS Trust", "Weekly executive walkabouts", "Visible leadership", 2),
        ("Fixture Beta NHS Foundation Trust", "Chief executive's open-door visits", "Visible leadership", 2),
    ]


def test_actions_of_class_filters_by_trust(reasoned_graph: Graph) -> None:
    table = api.query(reasoned_graph, "actions-of-class", trust="ZZ2", **{"class": "LeadershipAction"})
    assert table.values(reasoned_graph) == [
        ("Fixture Beta NHS Foundation Trust", "Chief executive's open-door visits", "Visible leadership", 2),
        ("Fixture Beta NHS Foundation Trust", "New chair and board", "Leadership replacement", 1),
    ]


def test_inferred_classes_are_empty_without_reasoning(fixture_graph: Graph) -> None:
    assert len(api.query(fixture_graph, "actions-of-class", **{"class": "LeadershipAction"})) == 0
    assert len(api.query(fixture_graph, "actions-of-class")) == 7  # the default class: every action


# --- the shipped data ---------------------------------------------------------------------------


def test_shipped_data_is_consistent() -> None:
    require_java()
    inference = api.build_graph_from(REPO / "data", reason=True).inference
    assert inference is not None and inference.unsatisfiable == ()
