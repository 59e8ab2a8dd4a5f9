"""networkx views of the fixture graph, against answers worked out by hand from tests/fixtures/casebase.

Evidence naming an action and an outcome (ZZ1 a-e1..a-e4, ZZ2 b-e1..b-e4; c-e1 and b-e5 name no outcome):
  visible-leadership -> well-led improved: a-e1 (ZZ1), b-e1 (ZZ2)   2 items, 2 trusts
  visible-leadership -> staff-engagement: a-e2; -> overall improved: b-e2
  staff-listening -> staff-engagement: a-e3; -> incident-reporting: b-e4
  qi-programme -> safe improved: a-e4; leadership-replacement -> well-led improved: b-e3
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from rdflib import Graph

from trustkg import explorer, exports, instances, iris, metrics, views
from trustkg.errors import TrustKGError
from trustkg.iris import local_name
from trustkg.ontology import ACTION_TYPE, ID, OUTCOME_TYPE, THEME, TKG

VL, SL, QI, LR = (
    str(ACTION_TYPE[t]) for t in ("visible-leadership", "staff-listening", "qi-programme", "leadership-replacement")
)
WELL_LED, OVERALL, SAFE = (str(OUTCOME_TYPE[f"rating-improved/{kq}"]) for kq in ("well-led", "overall", "safe"))
ENGAGEMENT, INCIDENTS = str(OUTCOME_TYPE["staff-engagement"]), str(OUTCOME_TYPE["incident-reporting"])


def _support(view: nx.Graph) -> dict[frozenset[str], tuple[int, int]]:
    return {frozenset((a, b)): (d["evidence"], d["trusts"]) for a, b, d in view.edges(data=True)}


def test_action_outcome_graph_is_weighted_by_support(fixture_graph: Graph) -> None:
    view = views.action_outcome_graph(fixture_graph)
    assert _support(view) == {
        frozenset((VL, WELL_LED)): (2, 2),
        frozenset((VL, ENGAGEMENT)): (1, 1),
        frozenset((VL, OVERALL)): (1, 1),
        frozenset((SL, ENGAGEMENT)): (1, 1),
        frozenset((SL, INCIDENTS)): (1, 1),
        frozenset((QI, SAFE)): (1, 1),
        frozenset((LR, WELL_LED)): (1, 1),
    }
    assert views.node_kinds(view) == {"action-type": 4, "outcome-type": 5}
    assert view.nodes[VL]["label"] == "Visible leadership"


def test_most_central_actions(fixture_graph: Graph) -> None:
    # The graph is a forest: VL joins {WL, LR}, {SE, SL, IR} and {OV}, so 2*3 + 2*1 + 3*1 = 11 of the
    # shortest paths between the other nodes pass through it; SL joins {IR} to 5 others. 9 nodes:
    # normalised betweenness divides by (9-1)(9-2)/2 = 28.
    central = metrics.most_central(views.action_outcome_graph(fixture_graph), views.ACTION_TYPE, 3)
    assert [(m.label, m.strength, m.degree) for m in central] == [
        ("Visible leadership", 4.0, 3),
        ("Staff listening", 2.0, 2),
        ("Leadership replacement", 1.0, 1),  # ties with QI programme on every measure; the label decides
    ]
    assert central[0].betweenness == pytest.approx(11 / 28)
    assert central[1].betweenness == pytest.approx(5 / 28)
    assert central[2].betweenness == 0


def test_theme_cooccurrence(fixture_graph: Graph) -> None:
    view = views.theme_graph(fixture_graph)
    assert view.number_of_nodes() == 9  # all nine themes, used or not
    # Only a-e2 is tagged with two themes (leadership, cultural change); a-qi's two themes are on an action.
    assert [(frozenset((a, b)), d["weight"], d["trusts"]) for a, b, d in view.edges(data=True)] == [
        (frozenset((str(THEME["leadership"]), str(THEME["cultural-change"]))), 1, 1)
    ]
    tagged = {d["label"]: d["tagged"] for _, d in view.nodes(data=True) if d["tagged"]}
    # leadership: a-e1, a-e2, b-e1, b-e2, b-e3 (stated), b-e5; cultural change: a-e2, a-e3, b-e4
    assert tagged == {"Leadership": 6, "Cultural change": 3, "Vision and values": 1, "Improving safety": 1}


def test_trust_similarity_is_jaccard_of_action_types(fixture_graph: Graph) -> None:
    # ZZ1 {VL, SL, QI}, ZZ2 {VL, LR, SL}, ZZ3 {SL}: 2/4, 1/3, 1/3.
    pairs = metrics.most_similar_trusts(views.trust_similarity_graph(fixture_graph))
    assert [(p.first[8:13], p.second[8:13], round(p.similarity, 4), p.shared) for p in pairs] == [
        ("Alpha", "Beta ", 0.5, 2),
        ("Alpha", "Gamma", 0.3333, 1),
        ("Beta ", "Gamma", 0.3333, 1),
    ]
    assert metrics.jaccard(set(), set()) == 0.0


def test_instance_graph_counts(fixture_graph: Graph) -> None:
    view = instances.instance_graph(fixture_graph)
    # 6 rating changes (ZZ1 overall x2, safe, well-led; ZZ2 overall, well-led) + 2 outcomes; 5 themes tag something.
    assert views.node_kinds(view) == {"trust": 3, "action": 7, "outcome": 8, "evidence": 10, "theme": 5}
    relations = [relation for _, _, relation in view.edges(keys=True)]
    # at trust: 7 + 8 + 10; themes: 8 on actions (a-qi has two) + 11 on evidence (a-e2 has two);
    # evidence mentioning actions 9, outcomes 8.
    assert {r: relations.count(r) for r in set(relations)} == {
        "trust": 25, "codedTheme": 18, "statedTheme": 1, "mentionsAction": 9, "mentionsOutcome": 8,
    }  # fmt: skip
    evidence = view.nodes[str(ID["trust/ZZ1/evidence/a-e1"])]
    assert evidence["role"] == "Chief executive"
    assert evidence["source"] == "https://example.org/fixture/cqc/alpha-report"
    assert evidence["detail"].startswith("The inspectors credit")


def test_focus_on_a_trust_a_theme_and_a_neighbourhood(fixture_graph: Graph) -> None:
    view = instances.instance_graph(fixture_graph)
    # ZZ2: the trust, 3 actions, 3 outcomes, 5 evidence items, and the 2 themes tagging its things.
    assert views.node_kinds(instances.focus(view, trust="zz2")) == {
        "trust": 1, "action": 3, "outcome": 3, "evidence": 5, "theme": 2,
    }  # fmt: skip
    # Governance tags only a-qi: the action, its trust ZZ1 and the theme itself.
    assert sorted(instances.focus(view, theme="governance")) == sorted(
        [str(ID["trust/ZZ1/action/a-qi"]), str(ID["trust/ZZ1"]), str(THEME["governance"])]
    )
    # One link from a-walkabouts: its trust, its theme, and the two evidence items naming it.
    near = instances.around(view, "action/a-walkabouts", 1)
    assert sorted(local_name(n) for n in near) == ["ZZ1", "a-e1", "a-e2", "a-walkabouts", "leadership"]


def test_around_stops_at_theme_hubs_unless_asked(fixture_graph: Graph) -> None:
    view = instances.instance_graph(fixture_graph)
    # Two links from a-walkabouts: ZZ1's things through the trust and the evidence, and the themes reached
    # (leadership at one link, cultural change through a-e2); leadership is not walked through to ZZ2.
    near = instances.around(view, "action/a-walkabouts", 2)
    assert {data["trust"] for _, data in near.nodes(data=True) if data["kind"] != "theme"} == {"ZZ1"}
    assert sorted(local_name(n) for n, kind in near.nodes(data="kind") if kind == "theme") == [
        "cultural-change",
        "leadership",
    ]
    # Through the hubs, leadership brings in ZZ2's leadership-tagged action b-ceo-visits and items b-e1, b-e2.
    through = instances.around(view, "action/a-walkabouts", 2, through_hubs=True)
    assert {"b-ceo-visits", "b-e1", "b-e2"} <= {local_name(n) for n in through}
    assert {"b-ceo-visits", "b-e1", "b-e2"}.isdisjoint(local_name(n) for n in near)


def test_an_unknown_node_gets_a_did_you_mean(fixture_graph: Graph) -> None:
    view = instances.instance_graph(fixture_graph)
    # A name missing the trust's prefix, as the README's example once was.
    with pytest.raises(TrustKGError, match=r"\(did you mean 'action/a-walkabouts'\?\)"):
        instances.find_node(view, "action/walkabouts")
    with pytest.raises(TrustKGError, match=r"\(did you mean 'action/a-listening'\?\)"):
        instances.find_node(view, "action/a-listenin")  # a typo: spelt close
    with pytest.raises(TrustKGError) as far_off:
        instances.find_node(view, "nowhere")
    assert "did you mean" not in str(far_off.value)


def test_find_node_needs_one_match(fixture_graph: Graph) -> None:
    view = instances.instance_graph(fixture_graph)
    assert instances.find_node(view, "ZZ3") == str(ID["trust/ZZ3"])
    with pytest.raises(TrustKGError, match="no node named"):
        instances.find_node(view, "nowhere")
    with pytest.raises(TrustKGError, match="names 2 nodes"):
        instances.find_node(view, "a-2018")  # ZZ1's overall and safe ratings changed at a-2018 (well-led stayed good)
    with pytest.raises(TrustKGError, match="depth"):
        instances.around(view, "ZZ1", -1)


@pytest.mark.parametrize("export_format", exports.EXPORT_FORMATS)
@pytest.mark.parametrize("name", sorted(views.VIEWS))
def test_exports_read_back_the_same(fixture_graph: Graph, tmp_path: Path, export_format: str, name: str) -> None:
    view = views.view(fixture_graph, name)
    path = exports.export(view, export_format, tmp_path / f"{name}.{export_format}")
    back = nx.read_graphml(path) if export_format == "graphml" else nx.read_gexf(path)
    assert (back.number_of_nodes(), back.number_of_edges()) == (view.number_of_nodes(), view.number_of_edges())
    weights = sorted(float(d.get("weight", 0)) for _, _, d in view.edges(data=True))
    assert sorted(float(d.get("weight", 0)) for _, _, d in back.edges(data=True)) == pytest.approx(weights)
    assert {back.nodes[n]["label"] for n in back} == {d["label"] for _, d in view.nodes(data=True)}
    assert all("betweenness" in back.nodes[n] for n in back)


def test_unknown_view_and_format(fixture_graph: Graph, tmp_path: Path) -> None:
    with pytest.raises(TrustKGError, match="unknown view"):
        views.view(fixture_graph, "hairball")
    with pytest.raises(TrustKGError, match="unknown export format"):
        exports.export(views.theme_graph(fixture_graph), "dot", tmp_path / "x.dot")
    assert not (tmp_path / "x.dot").exists()


def test_iris_are_taken_apart_in_the_iri_module() -> None:
    action = iris.action("zz1", "a-walkabouts")
    assert (local_name(action), local_name(THEME["leadership"]), local_name(None)) == ("a-walkabouts", "leadership", "")
    assert local_name("https://w3id.org/trustkg/def#codedTheme") == "codedTheme"
    assert iris.ends_with(action, "action/a-walkabouts") and iris.ends_with(action, "/a-walkabouts/")
    assert not iris.ends_with(action, "walkabouts")  # a part of a segment is not an end


# --- the explorer reads only what its focus reaches: the same page data as focusing the whole graph ---


def _whole_then_focused(
    graph: Graph, trust: str | None, theme: str | None, around: str | None, depth: int, through: bool
) -> dict[str, Any]:
    """The focus as it was done before the explorer read parts: the whole instance graph, then narrowed."""
    view = instances.instance_graph(graph)
    if around is not None:
        view = instances.around(view, around, depth, through)
    if trust is not None or theme is not None:
        view = instances.focus(view, trust, theme)
    return explorer.page_data(view, "focus")


def _comparable(data: dict[str, Any]) -> dict[str, Any]:
    """Page data with the links' running numbers left out (they follow the order in which links were read),
    and a theme's trusts as far as the page shows them (all a page's trust filter can choose)."""
    edges = sorted(json.dumps({k: v for k, v in edge.items() if k != "id"}, sort_keys=True) for edge in data["edges"])
    shown = {ods for ods, _ in data["trusts"]}
    nodes = [
        {**node, "trusts": [ods for ods in node["trusts"] if ods in shown]} if node["kind"] == "theme" else node
        for node in data["nodes"]
    ]
    return {**data, "nodes": sorted(nodes, key=lambda node: node["id"]), "edges": edges}


FOCUSES = [
    ("zz1", None, None, 1, False),
    ("zz2", None, None, 1, False),
    (None, "governance", None, 1, False),
    (None, "leadership", None, 1, False),
    ("zz2", "leadership", None, 1, False),
    (None, None, "action/a-walkabouts", 1, False),
    (None, None, "action/a-walkabouts", 2, False),
    (None, None, "action/a-walkabouts", 2, True),
    (None, None, "leadership", 1, False),
    (None, None, "ZZ3", 2, True),
    ("zz1", None, "action/a-walkabouts", 2, True),
]


@pytest.mark.parametrize(("trust", "theme", "around", "depth", "through"), FOCUSES)
def test_a_focused_explorer_reads_its_part_as_the_whole_graph_has_it(
    fixture_graph: Graph, trust: str | None, theme: str | None, around: str | None, depth: int, through: bool
) -> None:
    view, centre = explorer.focused_view(fixture_graph, trust, theme, around, depth, through)
    assert _comparable(explorer.page_data(view, "focus")) == _comparable(
        _whole_then_focused(fixture_graph, trust, theme, around, depth, through)
    )
    assert centre == (None if around is None else instances.find_node(instances.instance_graph(fixture_graph), around))


def test_a_focus_follows_evidence_that_names_another_trusts_things(fixture_graph: Graph) -> None:
    # FICTIONAL edit of the fixture: ZZ2's item b-e5 (tagged leadership) also names ZZ1's outcome a-engagement,
    # which so takes the leadership theme, and ZZ1 with it; reading ZZ1 alone would miss both.
    graph = Graph(store="Oxigraph")
    for triple in fixture_graph:
        graph.add(triple)
    engagement = ID["trust/ZZ1/outcome/a-engagement"]
    assert (engagement, None, None) in graph
    graph.add((ID["trust/ZZ2/evidence/b-e5"], TKG.mentionsOutcome, engagement))
    zz1, zz2 = str(ID["trust/ZZ1"]), str(ID["trust/ZZ2"])
    assert instances.trust_scope(graph, {zz1}) == {zz1, zz2}
    assert instances.trust_scope(fixture_graph, {zz1}) == {zz1}
    whole = instances.instance_graph(graph)
    assert "leadership" in whole.nodes[str(engagement)]["themes"].split()
    for trust, around, depth in (("zz1", None, 1), (None, "outcome/a-engagement", 1), (None, "ZZ1", 2)):
        view, _ = explorer.focused_view(graph, trust, None, around, depth)
        assert _comparable(explorer.page_data(view, "focus")) == _comparable(
            _whole_then_focused(graph, trust, None, around, depth, False)
        )


def test_the_store_counts_the_explorers_nodes_before_any_is_read(fixture_graph: Graph) -> None:
    # 3 trusts + 7 actions + 8 outcomes + 10 evidence items + 5 themes (test_instance_graph_counts).
    assert instances.count_nodes(fixture_graph) == 33 == instances.instance_graph(fixture_graph).number_of_nodes()
    with pytest.raises(TrustKGError, match=r"the graph has 33 nodes, more than the explorer draws \(32\)"):
        explorer.focused_view(fixture_graph, max_nodes=32)
    assert explorer.focused_view(fixture_graph, max_nodes=33)[0].number_of_nodes() == 33


def test_focus_errors_are_found_from_the_store(fixture_graph: Graph) -> None:
    with pytest.raises(TrustKGError, match="no trust with ODS code 'ZZ9'"):
        explorer.focused_view(fixture_graph, trust="ZZ9")
    with pytest.raises(TrustKGError, match="no theme 'nothing-here'"):
        explorer.focused_view(fixture_graph, theme="nothing-here")
    with pytest.raises(TrustKGError, match=r"\(did you mean 'action/a-walkabouts'\?\)"):
        explorer.focused_view(fixture_graph, around="action/walkabouts")
    with pytest.raises(TrustKGError, match="names 2 nodes"):
        explorer.focused_view(fixture_graph, around="a-2018")
    with pytest.raises(TrustKGError, match="nothing to show"):
        explorer.focused_view(fixture_graph, trust="zz3", theme="governance")
