"""Exporting a network view, with its centrality measures, as GraphML or GEXF (for Gephi)."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from trustkg.errors import TrustKGError, did_you_mean, escaped
from trustkg.files import write_atomically
from trustkg.metrics import with_centrality

if TYPE_CHECKING:
    import networkx as nx

#: Export format -> networkx's writer of it, by name (networkx is imported only when exporting).
_WRITERS = {"graphml": "write_graphml", "gexf": "write_gexf"}
EXPORT_FORMATS = tuple(_WRITERS)


def export(view_graph: nx.Graph, export_format: str, out: Path | str) -> Path:
    """Write a view with its centrality measures as GraphML or GEXF; the old file is kept if writing fails."""
    import networkx as nx  # here, not at the top: networkx takes 0.1-0.2 s to import, and a query needs none of it

    try:
        write: Callable[[nx.Graph, io.BytesIO], None] = getattr(nx, _WRITERS[export_format])
    except KeyError:
        raise TrustKGError(f"unknown export format {export_format!r}" + did_you_mean(export_format, _WRITERS)) from None
    buffer = io.BytesIO()
    # GraphML and GEXF keep one edge per pair here: a multigraph's relations between two nodes merge.
    write(_xml_safe(with_centrality(nx.DiGraph(view_graph) if view_graph.is_multigraph() else view_graph)), buffer)
    return write_atomically(Path(out), buffer.getvalue())


def _xml_safe(view: nx.Graph) -> nx.Graph:
    """The view with control characters in its names and text escaped: XML 1.0 cannot hold them at all."""
    import networkx as nx  # here, not at the top: networkx takes 0.1-0.2 s to import, and a query needs none of it

    for data in [data for _, data in view.nodes(data=True)] + [data for *_, data in view.edges(data=True)]:
        for key, value in data.items():
            if isinstance(value, str):
                data[key] = escaped(value)
    renamed = {node: escaped(node) for node in view if isinstance(node, str) and escaped(node) != node}
    return nx.relabel_nodes(view, renamed) if renamed else view
