"""What the pages' client-side filters read: each evidence item's facets and the filters' choices.

The evidence map and the link view recompute their counts in the browser from
the evidence items that pass the chosen filters, so each item carries its
facets (trust, themes, role group, study) as opaque values, and each filter
lists its values with their labels. A new facet (attribution) is one more entry
in :data:`FACETS`, one more query and one more filter: the pages need no change.

An item belongs to a study when its trust is one of the study's cases, or when
it is drawn from the study or from a page of it: the study's own cohort, and
what the study itself said.

It also marks the columns the build derives from inspections (the rating
changes per key question) so that the page can hide the empty ones, marks the
codebook types nothing uses (reserved, or not in the subset of a shared codebook
a study uses), which the page hides unless asked, and gives
every row and column its codebook ID (``skos:notation``), the key of its link
in the link view (``link-view.html#<action>|<outcome>``).

:func:`with_filters` adds these fields to the evidence map's page data.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from rdflib import Graph

from trustkg.reading import select
from trustkg.sparql import labels

#: Facet key -> the filter's heading, in the order the filters appear.
FACETS = {"theme": "Theme", "trust": "Trust", "roleGroup": "Role group", "study": "Study"}

# A role group is a top concept of the role scheme: the reporting role itself or the one it is narrower than.
_FACETS = """
SELECT ?item ?trust ?theme ?group WHERE {
  ?item a tkg:Evidence ; tkg:trust ?trust .
  OPTIONAL { ?item tkg:codedTheme|tkg:statedTheme ?theme }
  OPTIONAL {
    ?item tkg:reportedBy ?role .
    ?role skos:broader* ?group .
    ?group skos:topConceptOf ?scheme .
  }
}
"""
_STUDIES = """
SELECT DISTINCT ?item ?study WHERE {
  ?item a tkg:Evidence ; tkg:trust ?trust .
  { ?study tkg:studiedTrust ?trust } UNION { ?item prov:wasDerivedFrom ?study } UNION
  { ?item prov:wasDerivedFrom/dcterms:isPartOf ?study }
  ?study a tkg:Study .
}
"""
# A study is a document: named by its title (the label rule knows labels, not titles).
_STUDY_TITLES = "SELECT ?study ?title WHERE { ?study a tkg:Study ; dcterms:title ?title }"
# The report's order for themes (T1 ... T9) and roles (as the scheme lists them, by notation otherwise).
_ORDER = "SELECT ?thing ?notation WHERE { ?thing skos:notation ?notation }"
_DERIVED = "SELECT DISTINCT ?type WHERE { ?type a tkg:OutcomeType ; tkg:keyQuestion ?question }"
# Codebook types nothing in the graph uses, directly or through a narrower type (reserved ones, and those of
# a shared codebook that this study does not use). The derived rating changes are left to their own toggle.
_UNUSED = """
SELECT ?type WHERE {
  VALUES ?kind { tkg:ActionType tkg:OutcomeType }
  ?type a ?kind .
  FILTER NOT EXISTS {
    VALUES ?derived { outcome:rating-improved outcome:rating-declined }
    ?type skos:broader* ?derived .
  }
  FILTER NOT EXISTS {
    ?used tkg:actionType|tkg:outcomeType ?narrower .
    ?narrower skos:broader* ?type .
  }
}
"""


def _text(term: object) -> str:
    return "" if term is None else str(term)


def facets(graph: Graph) -> dict[str, dict[str, list[str]]]:
    """Evidence item IRI -> facet key -> the values it has (IRIs, sorted)."""
    found: dict[str, dict[str, set[str]]] = defaultdict(lambda: {key: set() for key in FACETS})
    for item, trust, theme, group in select(graph, _FACETS):
        values = found[_text(item)]
        for key, value in (("trust", trust), ("theme", theme), ("roleGroup", group)):
            if value is not None:
                values[key].add(_text(value))
    for item, study in select(graph, _STUDIES):
        found[_text(item)]["study"].add(_text(study))
    return {item: {key: sorted(values) for key, values in by_key.items()} for item, by_key in found.items()}


def filters(graph: Graph, item_facets: dict[str, dict[str, list[str]]]) -> list[dict[str, Any]]:
    """One filter per facet the evidence has values of: its key, heading and those values, as [value, label] pairs."""
    names = labels(graph)
    titles = {_text(study): _text(title) for study, title in select(graph, _STUDY_TITLES)}
    notation = {_text(thing): _text(code) for thing, code in select(graph, _ORDER)}
    result = []
    for key, heading in FACETS.items():
        values = {value for by_key in item_facets.values() for value in by_key[key]}
        if not values:
            continue  # nothing to choose (a base with no studies): no filter
        name = {value: titles.get(value) or names.get(value, value) for value in values}
        ordered = sorted(values, key=lambda value: (notation.get(value, ""), name[value]))
        result.append({"key": key, "label": heading, "options": [[value, name[value]] for value in ordered]})
    return result


def with_filters(graph: Graph, data: dict[str, Any]) -> dict[str, Any]:
    """The evidence map's page data with the filter fields added (see the module's docstring)."""
    item_facets = facets(graph)
    notation = {_text(thing): _text(code) for thing, code in select(graph, _ORDER)}
    derived = {_text(row[0]) for row in select(graph, _DERIVED)}
    unused = {_text(row[0]) for row in select(graph, _UNUSED)}
    for cell in data["cells"].values():
        for item in cell["items"]:
            item["facets"] = item_facets.get(item["item"], {key: [] for key in FACETS})
    for group in data["groups"]:
        for row in group["rows"]:
            row["key"] = notation.get(row["id"], "")
            row["unused"] = row["id"] in unused
    for column_group in data["columnGroups"]:
        for column in column_group["columns"]:
            column["key"] = notation.get(column["id"], "")
            column["derived"] = column["id"] in derived
            column["unused"] = column["id"] in unused
    return {**data, "filters": filters(graph, item_facets)}
