"""Putting the graph into a shared SPARQL store through the SPARQL 1.1 Graph Store Protocol.

One ``PUT <store>?graph=<IRI>`` with the whole graph: the store *replaces* the named graph, so a
second publish never leaves the first one's triples behind (a POST would append). The graph goes as
N-Triples labelled ``text/turtle`` (N-Triples is a subset of Turtle, the one syntax every Graph
Store Protocol server reads). Credentials are given by the caller (the command reads them from the
environment, never from its command line, where other users could see them in the process list);
the server's challenge decides between HTTP digest (Virtuoso) and basic authentication.
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from rdflib import Graph

from trustkg.errors import StoreError
from trustkg.store import GRAPH_ID

#: How long one request may take before publishing is reported as failed.
REQUEST_SECONDS = 300


@dataclass(frozen=True)
class Published:
    """A graph put into a store: where, under which name, how many triples, and the store's status."""

    url: str
    graph_iri: str
    triples: int
    status: int


def _opener(url: str, user: str | None, password: str | None) -> urllib.request.OpenerDirector:
    if user is None or password is None:
        return urllib.request.build_opener()
    passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    passwords.add_password(None, url, user, password)
    return urllib.request.build_opener(
        urllib.request.HTTPDigestAuthHandler(passwords), urllib.request.HTTPBasicAuthHandler(passwords)
    )


def publish(
    graph: Graph,
    store_url: str,
    graph_iri: str | None = None,
    user: str | None = None,
    password: str | None = None,
) -> Published:
    """Replace the named graph ``graph_iri`` (default: trustkg's own graph IRI) in the store at ``store_url``."""
    parts = urllib.parse.urlsplit(store_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise StoreError(
            f"{store_url}: a Graph Store Protocol URL is http(s)://HOST/..., e.g. .../sparql-graph-crud-auth"
        )
    name = graph_iri or str(GRAPH_ID)
    if not urllib.parse.urlsplit(name).scheme:
        raise StoreError(f"{name}: a graph IRI is absolute, e.g. {GRAPH_ID}")
    separator = "&" if parts.query else "?"
    url = f"{store_url}{separator}{urllib.parse.urlencode({'graph': name})}"
    body = graph.serialize(format="nt", encoding="utf-8")
    request = urllib.request.Request(url, data=body, method="PUT", headers={"Content-Type": "text/turtle"})
    try:
        with _opener(store_url, user, password).open(request, timeout=REQUEST_SECONDS) as response:
            status = int(response.status)
    except urllib.error.HTTPError as error:
        hint = (
            " (set TRUSTKG_ENDPOINT_USER and TRUSTKG_ENDPOINT_PASSWORD to a user who may write)"
            if error.code in (401, 403)
            else ""
        )
        raise StoreError(f"{store_url}: the store refused the graph: HTTP {error.code} {error.reason}{hint}") from None
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise StoreError(f"{store_url}: cannot reach the store: {reason}") from None
    return Published(store_url, name, len(graph), status)
