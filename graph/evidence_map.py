"""The evidence-and-gap map: action types (rows, grouped by theme) against outcome types (columns).

As in the evidence-and-gap maps of systematic reviews, each cell shows how
well the evidence supports a link (circle size: evidence items; colour:
distinct trusts) and an empty cell is a visible gap. The counts come from the
query library's ``actions-to-outcomes``, so the map and ``trustkg query``
always agree; the evidence listed in each cell comes from one more query here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph

from trustkg import map_filters, pages, trajectories
from trustkg.reading import passages, select, text
from trustkg.sparql import ALL_ROWS, find_query, labels, run_query

DEFAULT_PAGE = Path("build") / "evidence-map.html"
NO_THEME = "No theme"

_ACTION_TYPES = """
SELECT ?type ?definition ?theme ?notation WHERE {
  ?type a tkg:ActionType .
  OPTIONAL { ?type skos:definition ?definition }
  OPTIONAL { ?type tkg:hasTheme ?theme . OPTIONAL { ?theme skos:notation ?notation } }
}
"""
# Columns: the most specific outcome types (a broader type is the column group), and any type used directly.
_OUTCOME_TYPES = """
SELECT ?type ?definition ?broader WHERE {
  ?type a tkg:OutcomeType .
  OPTIONAL { ?type skos:definition ?definition }
  OPTIONAL { ?type skos:broader ?broader }
  FILTER(NOT EXISTS { ?narrower skos:broader ?type } || EXISTS { ?outcome tkg:outcomeType ?type })
}
"""
#: A pattern binding ?source and ?locator for an ?item: each document it is drawn from (for an interview, the
#: report that published it) and where in that document, the locator of that very citation (as evidence-for-link).
SOURCES_OF_ITEM = """
  OPTIONAL {
    ?item prov:wasDerivedFrom ?derived .
    OPTIONAL { ?derived tkg:reportedIn ?report }
    BIND(COALESCE(?report, ?derived) AS ?source)
    FILTER(EXISTS { ?source a tkg:Document })
    OPTIONAL {
      { ?item tkg:hasCitation ?citation } UNION { ?derived tkg:hasCitation ?citation }
      ?citation oa:hasSource ?source ; tkg:locator ?locator .
    }
  }
"""
# Each item with its sources, and where in each the item is found (the locator of that very citation), as
# the query library's evidence-for-link gives them, for every link at once.
_CELL_EVIDENCE = (
    """
SELECT DISTINCT ?action_type ?outcome_type ?item ?statement ?trust ?role ?attribution ?source ?locator WHERE {
  # The items that claim a link, as actions-to-outcomes counts them (naming both is not claiming a link).
  ?item a tkg:Evidence ; tkg:trust ?trust ; tkg:statement ?statement ; tkg:supportsLink ?claim .
  ?claim tkg:claimedAction ?action ; tkg:claimedOutcome ?outcome ; tkg:attribution ?attribution .
  ?action tkg:actionType ?action_type .
  ?outcome tkg:outcomeType ?outcome_type .
  OPTIONAL { ?item tkg:reportedBy ?role }
"""
    + SOURCES_OF_ITEM
    + "}"
)
#: The columns of actions-to-outcomes that name the link; every other column is part of its support profile.
_LINK_COLUMNS = ("action_type", "outcome_type")


@dataclass
class EvidenceItem:
    item: str
    statement: str
    trust: str
    role: str
    sources: list[str] = field(default_factory=list)
    quote: str = ""  # an interview passage's words (empty otherwise, or in a graph built without quotes)
    position: str = ""  # where the passage is in its transcript
    locators: list[str] = field(default_factory=list)  # one per source, "" where none is given
    #: How the item's claims of this very link attribute it (IRIs): an attribution belongs to a claim, so one
    #: item can state one link and only report another's two ends together.
    attributions: list[str] = field(default_factory=list)


@dataclass
class Cell:
    evidence: int
    trusts: int
    items: list[EvidenceItem]
    #: Every other column actions-to-outcomes gives for the link (roles, source kinds, and a grade
    #: or attribution counts when the query reports them), by column name.
    support: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Row:
    type: str
    label: str
    definition: str
    themes: tuple[str, ...]  # theme labels, in the report's order


@dataclass(frozen=True)
class Column:
    type: str
    label: str
    definition: str
    group: str  # the broader type's label, or the type's own


@dataclass
class EvidenceMap:
    groups: dict[str, list[Row]]  # theme label -> its action types, themes in the report's order
    columns: list[Column]
    cells: dict[tuple[str, str], Cell]  # (action type, outcome type) -> support; absent = a gap

    @property
    def rows(self) -> list[Row]:
        return [row for rows in self.groups.values() for row in rows]


def _rows(graph: Graph) -> dict[str, list[Row]]:
    names = labels(graph)
    definitions: dict[str, str] = {}
    themes: dict[str, dict[str, str]] = defaultdict(dict)  # type -> theme label -> notation
    for action_type, definition, theme, notation in select(graph, _ACTION_TYPES):
        key = text(action_type)
        definitions[key] = text(definition)
        if theme is not None:
            themes[key][names.get(text(theme), text(theme))] = text(notation)
    order: dict[str, str] = {}  # theme label -> notation (T1 ... T9) for the report's order
    groups: dict[str, list[Row]] = defaultdict(list)
    for key in definitions:
        by_notation = sorted(themes[key].items(), key=lambda pair: (pair[1], pair[0]))
        order.update(by_notation)
        row = Row(key, names.get(key, key), definitions[key], tuple(label for label, _ in by_notation))
        # Each action type sits under its first theme in the report's order; the row shows the rest.
        groups[row.themes[0] if row.themes else NO_THEME].append(row)
    ordered = sorted(groups, key=lambda label: (label == NO_THEME, order.get(label, ""), label))
    return {label: sorted(groups[label], key=lambda row: row.label) for label in ordered}


def _columns(graph: Graph) -> list[Column]:
    names = labels(graph)
    columns = [
        Column(
            text(kind),
            names.get(text(kind), text(kind)),
            text(definition),
            names.get(text(broader), text(broader)) if broader is not None else names.get(text(kind), text(kind)),
        )
        for kind, definition, broader in select(graph, _OUTCOME_TYPES)
    ]
    return sorted(columns, key=lambda column: (column.group, column.label))


def evidence_map(graph: Graph) -> EvidenceMap:
    """The map's rows, columns and filled cells, read from the graph."""
    names = labels(graph)
    cells: dict[tuple[str, str], Cell] = {}
    for record in run_query(graph, find_query("actions-to-outcomes"), limit=ALL_ROWS).records():
        key = (str(record["action_type"]), str(record["outcome_type"]))
        # A grade is a concept: shown by its label (Moderate), as trustkg query shows it.
        support = {
            name: names.get(value, value) if isinstance(value, str) else value
            for name, value in record.items()
            if name not in _LINK_COLUMNS
        }
        cells[key] = Cell(int(str(record["evidence"])), int(str(record["trusts"])), [], support)
    items: dict[tuple[str, str, str], EvidenceItem] = {}
    coded = passages(graph)
    for action_type, outcome_type, item, statement, trust, role, attribution, source, locator in select(
        graph, _CELL_EVIDENCE
    ):
        cell_key = (text(action_type), text(outcome_type))
        item_key = (*cell_key, text(item))
        if item_key not in items:
            role_label = names.get(text(role), "") if role is not None else ""
            items[item_key] = EvidenceItem(
                text(item),
                text(statement),
                names.get(text(trust), text(trust)),
                role_label,
                [],
                *coded.get(text(item), ("", "")),
            )
            cells[cell_key].items.append(items[item_key])
        if text(attribution) not in items[item_key].attributions:
            items[item_key].attributions.append(text(attribution))
        if source is not None and text(source) not in items[item_key].sources:
            items[item_key].sources.append(text(source))
            items[item_key].locators.append(text(locator))
    for cell in cells.values():
        cell.items.sort(key=lambda entry: (entry.trust, entry.item))
    return EvidenceMap(_rows(graph), _columns(graph), cells)


def page_data(evidence: EvidenceMap, title: str = "trustkg evidence map") -> dict[str, Any]:
    column_groups: dict[str, list[dict[str, str]]] = defaultdict(list)
    for column in evidence.columns:
        column_groups[column.group].append({"id": column.type, "label": column.label, "definition": column.definition})
    cells = {
        f"{action}\t{outcome}": {
            "evidence": cell.evidence,
            "trusts": cell.trusts,
            "items": [
                {
                    "item": e.item,
                    "statement": e.statement,
                    "trust": e.trust,
                    "role": e.role,
                    "sources": e.sources,
                    "quote": e.quote,
                    "position": e.position,
                    "locators": e.locators,
                    "attributions": sorted(e.attributions),
                }
                for e in cell.items
            ],
        }
        for (action, outcome), cell in evidence.cells.items()
    }
    return {
        "title": title,
        "groups": [
            {
                "theme": theme,
                "rows": [
                    {"id": r.type, "label": r.label, "definition": r.definition, "themes": list(r.themes)} for r in rows
                ],
            }
            for theme, rows in evidence.groups.items()
        ],
        "columnGroups": [{"label": label, "columns": columns} for label, columns in column_groups.items()],
        "cells": cells,
        "maxEvidence": max((c.evidence for c in evidence.cells.values()), default=0),
        "maxTrusts": max((c.trusts for c in evidence.cells.values()), default=0),
    }


def write_evidence_map(graph: Graph, out: Path | str = DEFAULT_PAGE) -> Path:
    """Write the evidence-and-gap map page for the graph, with its filters; return its path."""
    data = map_filters.with_filters(graph, page_data(evidence_map(graph)))
    data["trajectories"] = trajectories.trajectories(graph)
    return pages.write_page(out, pages.render("evidence-map.html", data))
