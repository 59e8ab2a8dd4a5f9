"""Each trust's rating trajectory, as the pages draw it: key-question ratings over time, special-measures spans.

Every page's data carries ``trajectories`` (trust IRI -> trajectory), and the
shared page script draws it as a small inline SVG chart on the trust's card.
Only trust-level inspections are drawn: a site-level inspection rates one
hospital, and putting it on the trust's line would read as the trust moving.
Dates become fractional years (a year alone is taken as its middle, a month
as its middle) so that the chart can place them on one axis.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from typing import Any

from rdflib import Graph

from trustkg.reading import bound_to_trusts, select, text
from trustkg.sparql import label_lookup, labels

_RATINGS = """
SELECT ?trust ?inspection ?date ?question ?rank WHERE {
  # trusts
  ?inspection a tkg:Inspection ; tkg:trust ?trust ;
              tkg:hasRating [ tkg:keyQuestion ?q ; tkg:ratingLevel ?level ] .
  FILTER NOT EXISTS { ?inspection tkg:site ?site }
  ?q skos:notation ?question .
  ?level tkg:rank ?rank .
  OPTIONAL { ?inspection tkg:startDate ?start }
  OPTIONAL { ?inspection tkg:publishedDate ?published }
  BIND(COALESCE(?start, ?published) AS ?date)
  FILTER(BOUND(?date))
}
"""
_SPECIAL_MEASURES = """
SELECT ?trust ?start ?end WHERE {
  # trusts
  ?episode a tkg:SpecialMeasuresEpisode ; tkg:trust ?trust .
  OPTIONAL { ?episode tkg:startDate ?start }
  OPTIONAL { ?episode tkg:endDate ?end }
}
"""

#: The key questions in the order the chart's legend names them; overall and well-led are drawn in colour.
KEY_QUESTIONS = ("overall", "well-led", "safe", "effective", "caring", "responsive")


def _at(date: object) -> float | None:
    return None if date is None else round(year(text(date)), 3)


def year(date: str) -> float:
    """A partial ISO date (2016, 2016-09, 2016-09-12) as a fractional year, at the middle of what it names."""
    parts = [int(part) for part in date[:10].split("-")]
    if len(parts) == 1:
        return parts[0] + 0.5
    if len(parts) == 2:
        return parts[0] + (parts[1] - 0.5) / 12
    return parts[0] + (parts[1] - 1) / 12 + (parts[2] - 0.5) / 365


def trajectories(graph: Graph, trusts: Collection[str] | None = None) -> dict[str, dict[str, Any]]:
    """Trust IRI -> {name, inspections: [{date, at, ratings: {question: rank}}], specialMeasures: [[from, to]]}.

    ``at`` is the fractional year; a special-measures span still open has ``to`` null, and one whose
    source does not say when the trust entered has ``from`` null. With ``trusts``
    (IRIs), only theirs, read at a cost in proportion to them.
    """
    names = labels(graph) if trusts is None else label_lookup(graph)
    by_trust: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for trust, inspection, date, question, rank in select(graph, bound_to_trusts(_RATINGS, trusts)):
        entry = by_trust[text(trust)].setdefault(
            text(inspection), {"date": text(date), "at": round(year(text(date)), 3), "ratings": {}}
        )
        entry["ratings"][text(question)] = int(text(rank))
    spans: dict[str, list[list[float | None]]] = defaultdict(list)
    for trust, start, end in select(graph, bound_to_trusts(_SPECIAL_MEASURES, trusts)):
        spans[text(trust)].append([_at(start), _at(end)])
    result: dict[str, dict[str, Any]] = {}
    for key in sorted(set(by_trust) | set(spans)):
        inspections = sorted(by_trust[key].values(), key=lambda entry: (entry["at"], entry["date"]))
        result[key] = {
            "name": names.get(key, key),
            "inspections": inspections,
            "specialMeasures": sorted(spans[key], key=lambda span: span[0] or 0.0),
        }
    return result
