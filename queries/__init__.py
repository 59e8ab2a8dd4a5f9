"""The SPARQL query library: one question per ``.rq`` file, with a runner that binds parameters safely."""

from trustkg.queries.library import LibraryQuery, find_query, library
from trustkg.queries.results import ResultTable, render
from trustkg.queries.runner import run_query, run_sparql

__all__ = ["LibraryQuery", "ResultTable", "find_query", "library", "render", "run_query", "run_sparql"]
