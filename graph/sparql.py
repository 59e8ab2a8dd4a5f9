"""SPARQL in one place: parameter binding, running, result tables and labels.

(Being consolidated: the implementations still live in ``trustkg.queries``; import from here.)
"""

from trustkg.queries.library import LibraryQuery, find_query, library
from trustkg.queries.results import FORMATS, Cell, ResultTable, label_lookup, render
from trustkg.queries.runner import bind_parameters, run_query, run_sparql, with_values

__all__ = [
    "FORMATS",
    "Cell",
    "LibraryQuery",
    "ResultTable",
    "bind_parameters",
    "find_query",
    "label_lookup",
    "library",
    "render",
    "run_query",
    "run_sparql",
    "with_values",
]
