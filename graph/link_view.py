"""The link view: the headline question (which kinds of action link to which kinds of outcome) as a network.

Action types on the left, outcome types on the right, a link where evidence
names both, its width the evidence items and its colour the trusts (or the
support grade, when the query library's ``actions-to-outcomes`` reports one).
Clicking a link lists its evidence: statement, trust, role, and each source
with its locator. The support and the evidence are the evidence map's
(:func:`trustkg.evidence_map.evidence_map`), so the two pages and
``trustkg query actions-to-outcomes`` always agree; the filters are the map's
(:mod:`trustkg.map_filters`), recounted in the browser.

Positions are computed here: a two-column (bipartite) layout of the networkx
graph of links, each column ordered to cross fewer links by the barycentre
heuristic of layered graph drawing (Sugiyama et al. 1981): each node moves
to the mean position of its neighbours in the other column, a few sweeps
back and forth, starting from the evidence map's order (actions by theme).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import Graph

from trustkg import evidence_map, map_filters, pages, trajectories

if TYPE_CHECKING:
    import networkx as nx

DEFAULT_PAGE = Path("build") / "link-view.html"
#: World units between two nodes of a column, and between the columns (labels go outside the columns).
ROW_GAP = 30.0
COLUMN_GAP = 520.0
SWEEPS = 6
ACTION, OUTCOME = "action", "outcome"


def link_graph(evidence: evidence_map.EvidenceMap) -> nx.Graph:
    """The bipartite graph of linked action and outcome types, ``weight`` = evidence items."""
    import networkx as nx  # here, not at the top: networkx takes 0.1-0.2 s to import, and a query needs none of it

    network = nx.Graph()
    for (action, outcome), cell in evidence.cells.items():
        network.add_node(action, kind=ACTION)
        network.add_node(outcome, kind=OUTCOME)
        network.add_edge(action, outcome, weight=cell.evidence)
    return network


def _barycentre_order(network: nx.Graph, columns: tuple[list[str], list[str]]) -> tuple[list[str], list[str]]:
    left, right = list(columns[0]), list(columns[1])
    for sweep in range(SWEEPS):
        fixed, moving = (left, right) if sweep % 2 == 0 else (right, left)
        at = {node: index for index, node in enumerate(fixed)}

        def centre(node: str, at: dict[str, int] = at, moving: list[str] = moving) -> float:
            neighbours = [at[other] for other in network[node] if other in at]
            return sum(neighbours) / len(neighbours) if neighbours else float(moving.index(node))

        moving.sort(key=centre)  # a stable sort: ties keep the order they had
    return left, right


def layout(network: nx.Graph, order: list[str]) -> dict[str, tuple[float, float]]:
    """Positions: actions in a column at x = 0, outcomes at x = COLUMN_GAP, both columns the same height."""
    rank = {node: index for index, node in enumerate(order)}
    actions = sorted((n for n, kind in network.nodes(data="kind") if kind == ACTION), key=lambda n: rank.get(n, 0))
    outcomes = sorted((n for n, kind in network.nodes(data="kind") if kind == OUTCOME), key=lambda n: rank.get(n, 0))
    actions, outcomes = _barycentre_order(network, (actions, outcomes))
    height = ROW_GAP * (max(len(actions), len(outcomes)) - 1)
    positions: dict[str, tuple[float, float]] = {}
    for x, column in ((0.0, actions), (COLUMN_GAP, outcomes)):
        step = height / (len(column) - 1) if len(column) > 1 else 0.0
        offset = 0.0 if len(column) > 1 else height / 2
        for index, node in enumerate(column):
            positions[node] = (x, round(offset + index * step - height / 2, 1))
    return positions


def page_data(graph: Graph, title: str = "trustkg link view") -> dict[str, Any]:
    """Everything the page needs, as JSON-ready data (the evidence map's, rearranged as a network)."""
    found = evidence_map.evidence_map(graph)
    mapped = map_filters.with_filters(graph, evidence_map.page_data(found))
    rows = {row["id"]: row for group in mapped["groups"] for row in group["rows"]}
    columns = {column["id"]: column for group in mapped["columnGroups"] for column in group["columns"]}
    network = link_graph(found)
    order = [row.type for row in found.rows] + [column.type for column in found.columns]
    positions = layout(network, order)
    nodes = []
    for node, kind in network.nodes(data="kind"):
        entry = rows[node] if kind == ACTION else columns[node]
        x, y = positions[node]
        nodes.append(
            {
                "id": node,
                "key": entry["key"],
                "label": entry["label"],
                "definition": entry["definition"],
                "kind": kind,
                "themes": entry.get("themes", []),
                "x": x,
                "y": y,
            }
        )
    # Each evidence item once, the links naming it by index: an item often supports several links. Once per
    # attribution of its claims, rather: its claims of two links can differ (the page counts items by IRI).
    items: list[dict[str, Any]] = []
    index: dict[tuple[str, tuple[str, ...]], int] = {}
    links = []
    for action, outcome in found.cells:
        listed = []
        for item in mapped["cells"][f"{action}\t{outcome}"]["items"]:
            key = (item["item"], tuple(item["attributions"]))
            if key not in index:
                index[key] = len(items)
                items.append(item)
            listed.append(index[key])
        links.append(
            {
                "id": f"{action}\t{outcome}",
                "from": action,
                "to": outcome,
                "items": listed,
                # The first drawing colours links by their trusts before the items (late data) are parsed.
                "trusts": len({items[at]["trust"] for at in listed}),
                "support": dict(found.cells[(action, outcome)].support),
            }
        )
    unlinked = len(found.rows) - sum(1 for _, kind in network.nodes(data="kind") if kind == ACTION)
    return {
        "title": title,
        "nodes": sorted(nodes, key=lambda node: (node["kind"], node["y"])),
        "links": links,
        "items": items,
        "filters": mapped["filters"],
        "unlinkedActionTypes": unlinked,
        "trajectories": trajectories.trajectories(graph),
    }


def write_link_view(graph: Graph, out: Path | str = DEFAULT_PAGE) -> Path:
    """Write the link view page for the graph; return its path."""
    return write_page_data(page_data(graph), out)


#: What the page needs only after its first drawing (the evidence behind the links, the trusts' charts).
LATE = ("items", "trajectories")


def write_page_data(data: dict[str, Any], out: Path | str) -> Path:
    """Write a link view page from its data (as :func:`page_data` makes it); return its path.

    The evidence goes after the page's script (most of the page's bytes): the network is drawn first.
    """
    first = {key: value for key, value in data.items() if key not in LATE}
    # A link's items (indices) go late too; the drawing needs only their number.
    first["links"] = [
        {**{key: value for key, value in link.items() if key != "items"}, "evidence": len(link["items"])}
        for link in data["links"]
    ]
    late = {key: data[key] for key in LATE} | {"linkItems": [link["items"] for link in data["links"]]}
    return pages.write_page(out, pages.render("link-view.html", first, late, **pages.vis_network()))
