"""Putting the graph into a shared SPARQL store through the SPARQL 1.1 Graph Store Protocol.

One ``PUT <store>?graph=<IRI>`` with the whole graph: the store *replaces* the named graph, so a
second publish never leaves the first one's triples behind (a POST would append). The graph goes as
N-Triples labelled ``text/turtle`` (N-Triples is a subset of Turtle, the one syntax every Graph
Store Protocol server reads). Credentials are given by the caller (the command reads them from the
environment, never from its command line, where other users could see them in the process list);
the server's challenge to a bodiless probe decides between HTTP digest (Virtuoso) and basic authentication.
"""

from __future__ import annotations

import base64
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


def _authorization(request: urllib.request.Request, user: str, password: str) -> str | None:
    """The ``Authorization`` header for ``request``, answering the challenge a bodiless probe of its URL gets.

    The graph goes in one request with the credentials already on it: sent without, Virtuoso answers
    401 and closes the connection while a large body is still being sent (connection reset by peer).
    """
    probe = urllib.request.Request(request.full_url, method="HEAD")
    try:
        with urllib.request.urlopen(probe, timeout=REQUEST_SECONDS):
            return None  # no credentials asked for
    except urllib.error.HTTPError as error:
        if error.code != 401:
            return None  # the PUT itself reports what is wrong
        challenge = error.headers.get("WWW-Authenticate", "")
    scheme, _, parameters = challenge.partition(" ")
    if scheme.lower() == "basic":
        return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
    if scheme.lower() == "digest":
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        passwords.add_password(None, request.full_url, user, password)
        fields = urllib.request.parse_keqv_list([item for item in urllib.request.parse_http_list(parameters) if item])
        answer = urllib.request.HTTPDigestAuthHandler(passwords).get_authorization(request, fields)
        return f"Digest {answer}" if answer else None
    raise StoreError(
        f"{request.full_url}: the store asks for {scheme or 'an unknown'} authentication; basic or digest work"
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
        if user is not None and password is not None:
            authorization = _authorization(request, user, password)
            if authorization is not None:
                request.add_header("Authorization", authorization)
        with urllib.request.urlopen(request, timeout=REQUEST_SECONDS) as response:
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
