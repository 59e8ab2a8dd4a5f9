"""The SPARQL query library: one question per ``.rq`` file, and the parser of the header each one starts with.

Running a query is ``trustkg.sparql``'s job; this package imports nothing above ``trustkg.errors``.
"""

from trustkg.queries.library import LibraryQuery, find_query, library

__all__ = ["LibraryQuery", "find_query", "library"]
