"""SPARQL in one place: the single import point for running queries, result tables and labels.

- ``params``: a typed parameter value -> an RDF term, checked against the vocabularies and the graph;
- ``run``: binding parameters into a query (a ``VALUES`` block) and running it;
- ``results``: the result table and its rendering as text, CSV, JSON or Markdown;
- ``labels``: the one label rule that tables, pages and exports all use.

The query library itself (the ``.rq`` files and their headers) is ``trustkg.queries``,
which sits below this layer and knows nothing of running queries.
"""

from trustkg.queries.library import LibraryQuery, find_query, library, query_names
from trustkg.sparql.labels import Labels, label_lookup, labels
from trustkg.sparql.results import (
    FORMATS,
    AskResult,
    Cell,
    GraphResult,
    QueryResult,
    ResultTable,
    pivot,
    query_result,
    render,
    simple_strings,
)
from trustkg.sparql.run import (
    ALL_ROWS,
    bind_parameters,
    bound_text,
    row_count,
    run_any,
    run_bound_query,
    run_query,
    run_sparql,
    with_values,
)

__all__ = [
    "ALL_ROWS",
    "FORMATS",
    "AskResult",
    "Cell",
    "GraphResult",
    "Labels",
    "LibraryQuery",
    "QueryResult",
    "ResultTable",
    "bind_parameters",
    "bound_text",
    "find_query",
    "label_lookup",
    "labels",
    "library",
    "pivot",
    "query_names",
    "query_result",
    "render",
    "row_count",
    "run_any",
    "run_bound_query",
    "run_query",
    "run_sparql",
    "simple_strings",
    "with_values",
]
