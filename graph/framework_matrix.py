"""The framework matrix: trusts (rows) against the nine themes (columns), each cell shaded by its evidence.

The framework matrix of qualitative analysis (the "framework method"), as
the query library's ``theme-coverage`` counts it: a cell is the number of
evidence items about the trust tagged with the theme (a sub-theme counts for
its theme). Clicking a cell lists those items, with the trust's rating
trajectory; clicking a trust shows its card.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from rdflib import Graph

from trustkg import evidence_map, pages, trajectories
from trustkg.iris import local_name
from trustkg.reading import select, text
from trustkg.sparql import ALL_ROWS, find_query, labels, run_query

DEFAULT_PAGE = Path("build") / "framework-matrix.html"

_THEMES = """
SELECT ?theme ?notation ?definition WHERE {
  ?theme a tkg:Theme ; skos:topConceptOf ?scheme ; skos:notation ?notation .
  OPTIONAL { ?theme skos:definition ?definition }
}
"""
# Each item under every top theme it is tagged with, directly or through a sub-theme, with its sources'
# locators as the link view gives them.
_ITEMS = (
    """
SELECT DISTINCT ?trust ?theme ?item ?statement ?role ?source ?locator WHERE {
  ?item a tkg:Evidence ; tkg:trust ?trust ; tkg:statement ?statement ;
        (tkg:codedTheme|tkg:statedTheme)/skos:broader* ?theme .
  ?theme skos:topConceptOf ?scheme .
  OPTIONAL { ?item tkg:reportedBy ?role }
"""
    + evidence_map.SOURCES_OF_ITEM
    + "}"
)


def page_data(graph: Graph, title: str = "trustkg framework matrix") -> dict[str, Any]:
    """Rows (trusts with their counts per theme), columns (themes) and each cell's evidence items."""
    names = labels(graph)
    themes = sorted(select(graph, _THEMES), key=lambda row: int(text(row[1]).lstrip("T") or 0))
    columns = [
        {"id": text(theme), "key": local_name(theme), "label": names.get(text(theme), text(theme)), "notation": text(n)}
        for theme, n, _ in themes
    ]
    # theme-coverage gives a row per trust and theme, and a row per trust with no theme for all its evidence.
    coverage = run_query(graph, find_query("theme-coverage"), limit=ALL_ROWS)
    by_trust: dict[str, dict[str, Any]] = {}
    for trust, theme, evidence in coverage.rows:
        trust_iri = text(trust)
        row = by_trust.setdefault(
            trust_iri,
            {
                "id": trust_iri,
                "label": names.get(trust_iri, trust_iri),
                "evidence": 0,
                "counts": {column["id"]: 0 for column in columns},
            },
        )
        if theme is None:
            row["evidence"] = int(text(evidence))
        elif text(theme) in row["counts"]:
            row["counts"][text(theme)] = int(text(evidence))
    rows = sorted(by_trust.values(), key=lambda row: str(row["label"]))
    items: dict[tuple[str, str, str], dict[str, Any]] = {}
    cells: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for trust, theme, item, statement, role, source, locator in select(graph, _ITEMS):
        key = (text(trust), text(theme), text(item))
        if key not in items:
            items[key] = {
                "item": text(item),
                "statement": text(statement),
                "trust": names.get(text(trust), text(trust)),
                "role": names.get(text(role), "") if role is not None else "",
                "sources": [],
                "locators": [],
                "facets": {"trust": [text(trust)]},
            }
            cells[f"{text(trust)}\t{text(theme)}"].append(items[key])
        if source is not None and text(source) not in items[key]["sources"]:
            items[key]["sources"].append(text(source))
            items[key]["locators"].append(text(locator))
    for listed in cells.values():
        listed.sort(key=lambda entry: entry["item"])
    return {
        "title": title,
        "columns": columns,
        "rows": rows,
        "cells": dict(cells),
        "maxCount": max((count for row in rows for count in row["counts"].values()), default=0),
        "trajectories": trajectories.trajectories(graph),
    }


def write_framework_matrix(graph: Graph, out: Path | str = DEFAULT_PAGE) -> Path:
    """Write the framework matrix page for the graph; return its path."""
    return pages.write_page(out, pages.render("framework-matrix.html", page_data(graph)))
