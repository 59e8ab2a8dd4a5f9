"""The graph explorer: the instance network as an interactive, offline vis-network page.

Positions are computed here with networkx and the page draws with physics off:
on a 2,000-node graph vis-network's default physics had not settled after three
minutes, 200 iterations took 10 s and precomputed positions drew in 1.6 s
(``make bench`` repeats the comparison). pyvis holds the
network (nodes, edges, options) but its ``add_node``/``add_edge`` check
membership in lists, which is quadratic, so the lists are filled directly
(``python -m bench`` measures both).
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import Graph

if TYPE_CHECKING:
    import networkx as nx
    from pyvis.network import Network

from trustkg import instances, pages, trajectories
from trustkg.errors import TrustKGError
from trustkg.iris import local_name
from trustkg.views import node_kinds

DEFAULT_PAGE = Path("build") / "explorer.html"
#: The most nodes the explorer draws. Above a few thousand the page is slow to draw and unreadable
#: (1,500 synthetic trusts: 76k nodes, an 84 MB page, 31 s to draw); a focus is what helps then.
MAX_NODES = 5000
LAYOUT_SEED = 2017  # the year of the CQC report; any fixed seed makes the layout repeatable


@dataclass(frozen=True)
class NodeStyle:
    label: str
    colour: str
    shape: str
    size: int
    font_size: int  # 0: no label on the canvas (the tooltip still has it)


#: One look per node kind; the page's legend is drawn from this table.
STYLES: dict[str, NodeStyle] = {
    instances.THEME_NODE: NodeStyle("Theme", "#7b3fa0", "hexagon", 30, 22),
    instances.TRUST_NODE: NodeStyle("Trust", "#1f4e79", "box", 20, 24),
    instances.ACTION: NodeStyle("Action", "#d9730d", "dot", 12, 13),
    instances.OUTCOME: NodeStyle("Outcome", "#2e8b57", "triangle", 12, 13),
    instances.EVIDENCE: NodeStyle("Evidence", "#8a8a8a", "square", 6, 0),
}

OPTIONS: dict[str, Any] = {
    "physics": {"enabled": False},
    "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": True, "navigationButtons": False},
    "edges": {
        # Arrowheads only where the direction is not plain from the ends (see vis_edges).
        "arrows": {"to": {"enabled": False, "scaleFactor": 0.4}},
        "smooth": False,
        "color": {"color": "#b9c2cc", "highlight": "#333333", "hover": "#333333"},
        "font": {"size": 10, "color": "#555555", "strokeWidth": 2, "align": "middle"},
        # Relation labels appear once zoomed in far enough to read them, not on the overview.
        "scaling": {"label": {"drawThreshold": 8}},
        "width": 0.8,
    },
    "nodes": {"borderWidth": 1, "font": {"face": "Segoe UI, Helvetica, Arial, sans-serif"}},
    "groups": {
        kind: {
            "color": {"background": style.colour, "border": style.colour},
            "shape": style.shape,
            "size": style.size,
            "font": {"size": style.font_size, "color": "#ffffff" if style.shape == "box" else "#222222"},
        }
        for kind, style in STYLES.items()
    },
}


#: Links that always point into a hub (a trust, a theme) need no arrowhead: two in three links of a
#: big graph, and arrowheads are a good part of the drawing's cost.
_PLAIN_DIRECTION = ("trust", "codedTheme", "statedTheme")
#: Theme links are spokes from every trust to the centre: drawn faint, in the theme colour.
_THEME_RELATIONS = ("codedTheme", "statedTheme")
_THEME_LINK = "#c9b3d9"


def layout(view: nx.MultiDiGraph) -> dict[str, tuple[float, float]]:
    """Screen positions: one cluster per trust on an outer ring, the themes on an inner ring.

    A spring layout of the whole graph pulls every trust towards the shared
    themes into one hairball; laying out each trust's own actions, outcomes and
    evidence separately keeps each trust readable, and theme links become spokes.
    """
    import networkx as nx  # here, not at the top: networkx takes 0.1-0.2 s to import, and a query needs none of it

    clusters: dict[str, list[str]] = defaultdict(list)
    themes: list[str] = []
    for node, data in view.nodes(data=True):
        if data["kind"] == instances.THEME_NODE:
            themes.append(node)
        else:
            clusters[data["trust"]].append(node)
    radii = {trust: 40 + 75 * math.sqrt(len(members)) for trust, members in clusters.items()}
    largest = max(radii.values(), default=0.0)
    clearance = 1.3 * largest + 80  # from a cluster's centre to where the themes may start
    # The ring is long enough for every cluster with a fifth of its width spare, and leaves the
    # themes at least as much room inside as the clusters take.
    ring = max(1.2 * sum(2 * r for r in radii.values()) / (2 * math.pi), 2.6 * clearance)
    theme_ring = min(0.6 * ring, ring - clearance)
    positions: dict[str, tuple[float, float]] = {}
    for index, trust in enumerate(sorted(clusters)):
        turn = 2 * math.pi * index / len(clusters) - math.pi / 2
        centre = (ring * math.cos(turn), ring * math.sin(turn)) if len(clusters) > 1 else (0.0, 0.0)
        # The nodes in a fixed order (the seed fixes the layout only for one order), however the graph was read.
        members = nx.Graph()
        members.add_nodes_from(sorted(clusters[trust]))
        members.add_edges_from(view.subgraph(clusters[trust]).edges())
        local = nx.spring_layout(members, seed=LAYOUT_SEED) if len(members) > 1 else {}
        for node in clusters[trust]:
            x, y = local.get(node, (0.0, 0.0))
            positions[node] = (centre[0] + float(x) * radii[trust], centre[1] + float(y) * radii[trust])
    if len(clusters) <= 1:  # one trust in the middle, its themes round it
        theme_ring = clearance + 100
    for index, theme in enumerate(sorted(themes)):
        turn = 2 * math.pi * index / len(themes)
        # Every other theme a little further in, so that neighbouring labels do not collide.
        radius = theme_ring * (0.8 if index % 2 else 1.0)
        positions[theme] = (radius * math.cos(turn), radius * math.sin(turn))
    return positions


def vis_nodes(view: nx.MultiDiGraph, positions: dict[str, tuple[float, float]]) -> list[dict[str, Any]]:
    """vis-network node objects: the drawing fields plus the fields the page's tooltips and filters read."""
    trust_labels = {data["trust"]: data["label"] for _, data in view.nodes(data=True) if data["kind"] == "trust"}
    # The overview of a big graph is zoomed far out: draw trusts and themes larger so that they stay
    # findable (their labels the page sizes for the screen).
    extent = max((max(abs(x), abs(y)) for x, y in positions.values()), default=0.0)
    emphasis = max(1.0, extent / 800)
    nodes = []
    for node, data in view.nodes(data=True):
        x, y = positions[node]
        style = STYLES[data["kind"]]
        landmark = data["kind"] in (instances.TRUST_NODE, instances.THEME_NODE)
        nodes.append(
            {
                **({"size": round(style.size * emphasis)} if landmark else {}),
                "id": node,
                "label": _canvas_label(data),
                "group": data["kind"],
                "x": round(x, 1),
                "y": round(y, 1),
                "name": data["label"],
                "kind": data["kind"],
                "type": data.get("type", ""),
                "detail": data["detail"],
                "trust": trust_labels.get(data["trust"], data["trust"]),
                "role": data["role"],
                "quote": data["quote"],
                "position": data["position"],
                "sources": data["source"].split(),
                "trusts": data["trusts"].split(),
                "themes": data["themes"].split(),
            }
        )
    return nodes


def _canvas_label(data: dict[str, str], width: int = 36) -> str:
    """The label drawn on the canvas: none for evidence, long action and outcome labels cut (tooltips have all)."""
    label, kind = data["label"], data["kind"]
    if not STYLES[kind].font_size:
        return ""
    if kind in (instances.TRUST_NODE, instances.THEME_NODE) or len(label) <= width:
        return label
    return label[: width - 1].rstrip() + "…"


def vis_edges(view: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """vis-network edge objects: each names its relation on hover, and only the telling ones carry a label."""
    telling = telling_relations(view)
    return [
        {
            "id": index,
            "from": start,
            "to": end,
            **({"label": data["label"]} if (_ends(view, start, end), data["relation"]) in telling else {}),
            "title": data["label"],
            "relation": data["relation"],
            **({"color": {"color": _THEME_LINK, "opacity": 0.35}} if data["relation"] in _THEME_RELATIONS else {}),
            **({} if data["relation"] in _PLAIN_DIRECTION else {"arrows": "to"}),
        }
        for index, (start, end, data) in enumerate(view.edges(data=True))
    ]


def _ends(view: nx.MultiDiGraph, start: str, end: str) -> tuple[str, str]:
    return view.nodes[start]["kind"], view.nodes[end]["kind"]


def telling_relations(view: nx.MultiDiGraph) -> set[tuple[tuple[str, str], str]]:
    """The relations worth drawing a label for: ((kind, kind), relation) pairs.

    A link is labelled only where its label says something the picture does not:
    where the kinds at its ends allow more than one relation, the rarer ones are
    labelled ("stated theme" among the coded themes); "at trust" or "mentions
    action" follow from the kinds and stay unlabelled (the tooltip still names them).
    """
    counts: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for start, end, relation in view.edges(data="relation"):
        counts[_ends(view, start, end)][relation] += 1
    return {
        (ends, relation)
        for ends, relations in counts.items()
        for relation, count in relations.items()
        if count < max(relations.values())
    }


#: On-screen gaps (CSS px) between neighbouring nodes at which their kind's names start to be drawn.
_NAMING_GAPS = {instances.TRUST_NODE: 28, "detail": 48}
#: Nearest-neighbour distances are measured from at most this many nodes of a kind, sampled evenly.
_NAMING_SAMPLE = 400


def naming_scales(nodes: list[dict[str, Any]]) -> dict[str, float]:
    """The zoom from which each kind's names are drawn (themes, being few, always).

    A kind is named once zoomed in far enough that its nodes sit a label's gap
    apart on screen: the gap over the median distance from one node to its
    nearest other of the same kinds. Computed here, not in the page, so that
    the page draws sooner.
    """
    detail = _naming_scale(nodes, (instances.ACTION, instances.OUTCOME), _NAMING_GAPS["detail"])
    return {
        instances.THEME_NODE: 0.0,
        instances.TRUST_NODE: _naming_scale(nodes, (instances.TRUST_NODE,), _NAMING_GAPS[instances.TRUST_NODE]),
        instances.ACTION: detail,
        instances.OUTCOME: detail,
        instances.EVIDENCE: detail,
    }


def _naming_scale(nodes: list[dict[str, Any]], kinds: tuple[str, ...], gap: float) -> float:
    import numpy as np  # here, not at the top: `trustkg query` imports this module and needs no numpy

    points = np.array([(node["x"], node["y"]) for node in nodes if node["kind"] in kinds], dtype=float)
    if len(points) < 2:
        return 0.0
    sample = np.arange(0, len(points), max(1, len(points) // _NAMING_SAMPLE))
    distances = np.hypot(*(points[sample, None, :] - points[None, :, :]).transpose(2, 0, 1))
    distances[np.arange(len(sample)), sample] = np.inf  # not its own nearest neighbour
    nearest = np.sort(distances.min(axis=1))
    return round(gap / max(1.0, float(nearest[len(nearest) // 2])), 6)


def pyvis_network(view: nx.MultiDiGraph, positions: dict[str, tuple[float, float]]) -> Network:
    """A pyvis network with its node and edge lists filled directly (``add_node`` is quadratic)."""
    from pyvis.network import Network  # imported here: pyvis pulls in IPython, which a query does not need

    net = Network(directed=True)
    net.nodes = vis_nodes(view, positions)
    net.edges = vis_edges(view)
    net.node_ids = [node["id"] for node in net.nodes]
    net.node_map = {node["id"]: node for node in net.nodes}
    net.set_options(json.dumps(OPTIONS))
    return net


def focused_view(
    graph: Graph,
    trust: str | None = None,
    theme: str | None = None,
    around: str | None = None,
    depth: int = 1,
    through_hubs: bool = False,
    max_nodes: int = MAX_NODES,
) -> tuple[nx.MultiDiGraph, str | None]:
    """The part of the instance graph to draw (one trust, one theme, the neighbourhood of one node), and
    the node it is drawn around (None without ``around``).

    Only the trusts the focus can reach are read (see :func:`instances.trust_scope`), so a focused page
    costs in proportion to its focus, not to the base. Without a focus the store counts the nodes first,
    so a base too big to draw is refused before it is read. Raises :class:`TrustKGError` when the part
    has more than ``max_nodes`` nodes.
    """
    if trust is None and theme is None and around is None:
        if (total := instances.count_nodes(graph)) > max_nodes:
            raise TrustKGError(_too_many("the graph has", total, max_nodes))
        return instances.instance_graph(graph), None
    trust_iri = instances.trust_with_code(graph, trust) if trust is not None else None
    if trust is not None and trust_iri is None:
        raise TrustKGError(f"no trust with ODS code {trust!r} in the graph")
    themes = instances.themes(graph)
    if theme is not None and theme not in {local_name(iri) for iri in themes}:
        raise TrustKGError(f"no theme {theme!r} tags anything in the graph (theme IDs look like 'leadership')")
    if depth < 0:
        raise TrustKGError(f"--depth must be 0 or more, got {depth}")
    centre = instances.find_drawn_node(graph, around) if around is not None else None
    # The trusts the focus starts from: a theme's are all those it tags.
    if centre is not None:
        seeds = instances.tagging_trusts(graph, {centre}) if centre in themes else instances.trusts_of(graph, centre)
    elif trust_iri is not None:
        seeds = {trust_iri}
    else:
        seeds = instances.tagging_trusts(graph, {iri for iri in themes if local_name(iri) == theme})
    scope = instances.trust_scope(graph, seeds)
    walked: set[str] = set()
    while True:
        view = instances.instance_graph(graph, scope)
        if centre is None:
            break
        view = instances.around(view, centre, depth, through_hubs)
        # A walk through the themes reaches every trust they tag: read those too, and walk again.
        crossed = {node for node in view if node in themes and node != centre} - walked if through_hubs else set()
        if not crossed:
            break
        walked |= crossed
        reached = instances.tagging_trusts(graph, crossed) - scope
        if not reached:
            break
        scope = instances.trust_scope(graph, scope | reached)
    if trust is not None or theme is not None:
        view = instances.focus(view, trust, theme)
    if view.number_of_nodes() == 0:
        raise TrustKGError("nothing to show: the focus options leave no nodes")
    if view.number_of_nodes() > max_nodes:
        raise TrustKGError(_too_many("the focused part of the graph has", view.number_of_nodes(), max_nodes))
    return view, centre


def _too_many(what: str, nodes: int, max_nodes: int) -> str:
    return (
        f"{what} {nodes:,} nodes, more than the explorer draws ({max_nodes:,}): "
        "focus it with --trust, --theme or --around, or raise the limit with --max-nodes (the link view, evidence"
        " map and framework matrix show the whole base)"
    )


def page_data(view: nx.MultiDiGraph, title: str) -> dict[str, Any]:
    """Everything the page needs, as JSON-ready data."""
    net = pyvis_network(view, layout(view))
    nodes, edges, _, _, _, options = net.get_network_data()
    counts = node_kinds(view)
    trusts = sorted((data["trust"], data["label"]) for _, data in view.nodes(data=True) if data["kind"] == "trust")
    themes = sorted(
        (local_name(node), data["label"]) for node, data in view.nodes(data=True) if data["kind"] == "theme"
    )
    return {
        "title": title,
        "nodes": nodes,
        "edges": edges,
        "options": json.loads(options),
        "kinds": [
            {"kind": kind, "label": s.label, "colour": s.colour, "shape": s.shape, "count": counts.get(kind, 0)}
            for kind, s in STYLES.items()
        ],
        "trusts": trusts,
        "themes": themes,
        "namedFrom": naming_scales(nodes),
    }


def write_explorer(
    graph: Graph,
    out: Path | str = DEFAULT_PAGE,
    trust: str | None = None,
    theme: str | None = None,
    around: str | None = None,
    depth: int = 1,
    through_hubs: bool = False,
    max_nodes: int = MAX_NODES,
) -> Path:
    """Write the explorer page for the graph (or the focused part of it); return its path.

    With ``around`` the page marks that node as its focus.
    """
    view, centre = focused_view(graph, trust, theme, around, depth, through_hubs, max_nodes)
    parts = [
        f"trust {trust.upper()}" if trust else "",
        f"theme {theme}" if theme else "",
        f"around {around}" if around else "",
    ]
    title = "trustkg explorer" + (": " + ", ".join(p for p in parts if p) if any(parts) else "")
    data = page_data(view, title)
    shown = {node for node, kind in view.nodes(data="kind") if kind == instances.TRUST_NODE}
    data["trajectories"] = trajectories.trajectories(graph, shown)
    if centre is not None:
        data["focus"] = centre
    return write_page_data(data, out)


def write_page_data(data: dict[str, Any], out: Path | str) -> Path:
    """Write an explorer page from its data (as :func:`page_data` makes it); return its path."""
    return pages.write_page(out, pages.render("explorer.html", data, **pages.vis_network()))
