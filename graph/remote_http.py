"""Kept-alive HTTP connections to a SPARQL endpoint: what the remote store sends its queries on.

urllib opens a new connection for every request. Against Virtuoso 7.2 on loopback, with the shipped
data, that cost 0.3-3.5 ms a query (the connection and the server's set-up of it), where most library
queries take 3-9 ms embedded. So the remote store keeps its connection open and reuses it:

- Before each answer is read, TCP_QUICKACK is set (Linux). Once a connection carries request after
  answer, Linux delays acknowledging what it receives (up to 40 ms), and Virtuoso writes an answer in
  parts with Nagle's algorithm on, so the last part of an answer waited for that late acknowledgement:
  ``actions-of-class`` took 45 ms instead of 5 ms on a kept-alive connection. Where the option does not
  exist, a connection is closed after each answer, as urllib's were.
- A kept-alive connection that the server closed while it was idle is opened again and the query sent
  again, once: a query only reads, so sending it twice is harmless.
- A connection is never shared: each thread has its own, and a forked process (a query worker of
  :mod:`trustkg.sparql_workers`) opens its own rather than write into its parent's.
- Anything that goes wrong half-way through an exchange (including a time limit's interruption) closes
  the connection, so the next query starts on a clean one.
- Proxies are used as urllib uses them: named by the environment (``http_proxy``, ``https_proxy``,
  ``no_proxy``).
"""

from __future__ import annotations

import base64
import http.client
import os
import socket
import threading
import urllib.parse
import urllib.request
import weakref
from collections.abc import Mapping
from dataclasses import dataclass

#: Linux's option to acknowledge at once; None elsewhere.
_QUICKACK: int | None = getattr(socket, "TCP_QUICKACK", None)
#: How much of an error's answer is read: its first line is the message, a page of HTML is not.
ERROR_BYTES = 2000


@dataclass(frozen=True)
class Answer:
    """An endpoint's answer: its status line, media type and body (at most :data:`ERROR_BYTES` of an error's)."""

    status: int
    reason: str
    content_type: str
    body: bytes

    @property
    def ok(self) -> bool:
        return _succeeded(self.status)


def _succeeded(status: int) -> bool:
    return 200 <= status < 300


@dataclass(frozen=True)
class _Route:
    """Where a connection goes: the endpoint itself, or a proxy on the way to it."""

    secure: bool
    host: str
    port: int | None
    #: What the request line names: the path, or the whole URL when a plain HTTP proxy forwards it.
    target: str
    #: Sent with each request (a plain proxy's credentials).
    headers: Mapping[str, str]
    #: The endpoint's host and port when an HTTPS proxy tunnels to it, and what opens the tunnel.
    tunnel: tuple[str, int | None] | None = None
    tunnel_headers: Mapping[str, str] | None = None

    def new_connection(self) -> http.client.HTTPConnection:
        """A connection, not yet open (http.client turns Nagle's algorithm off on every one it opens)."""
        if not self.secure:
            return http.client.HTTPConnection(self.host, self.port)
        connection = http.client.HTTPSConnection(self.host, self.port)
        if self.tunnel is not None:
            connection.set_tunnel(*self.tunnel, headers=dict(self.tunnel_headers or {}))
        return connection


def _route(url: str) -> _Route:
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    path = urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query, ""))
    secure = parts.scheme == "https"
    proxy = urllib.request.getproxies().get(parts.scheme)
    if proxy is None or urllib.request.proxy_bypass(parts.netloc):
        return _Route(secure, host, parts.port, path, {})
    proxied = urllib.parse.urlsplit(proxy if "://" in proxy else f"http://{proxy}")
    credentials = {}
    if proxied.username is not None:
        user = urllib.parse.unquote(proxied.username)
        password = urllib.parse.unquote(proxied.password or "")
        credentials["Proxy-Authorization"] = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
    if secure:  # a tunnel through the proxy, TLS inside it to the endpoint itself
        return _Route(True, proxied.hostname or "", proxied.port, path, {}, (host, parts.port), credentials)
    return _Route(False, proxied.hostname or "", proxied.port, url, credentials)


class EndpointConnections:
    """The connections of one process to one endpoint, one a thread, each kept open between queries."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._route = _route(url)
        self._open: dict[tuple[int, int], http.client.HTTPConnection] = {}
        self._lock = threading.Lock()
        self.opened = 0  # how many connections this process opened (each reuse is one fewer)

    def post(self, body: bytes, headers: Mapping[str, str]) -> Answer:
        """POST ``body`` to the endpoint and read its answer; an OSError or HTTPException if it cannot be had."""
        return self._ask("POST", self._route.target, body, headers)

    def get(self, query: str, headers: Mapping[str, str]) -> Answer:
        """GET the endpoint with ``query`` (URL-encoded fields) added to its URL's, and read its answer."""
        target = self._route.target
        return self._ask("GET", f"{target}{'&' if '?' in target else '?'}{query}", None, headers)

    def _ask(self, method: str, target: str, body: bytes | None, headers: Mapping[str, str]) -> Answer:
        connection = self._connection()
        if connection.sock is not None:  # kept alive: the server may have closed it while it was idle
            try:
                return self._exchange(connection, method, target, body, headers)
            except ConnectionError:
                pass  # sent again below, on a new connection
        return self._exchange(connection, method, target, body, headers)

    def close(self) -> None:
        """Close this process's connections (another process's copies are left to it)."""
        with self._lock:
            ours = [key for key in self._open if key[0] == os.getpid()]
            for key in ours:
                self._open.pop(key).close()

    def _connection(self) -> http.client.HTTPConnection:
        process = os.getpid()
        key = (process, threading.get_ident())
        with self._lock:
            connection = self._open.get(key)
            if connection is None:
                # Connections a forked process inherited are its parent's: this process's copies are closed,
                # which leaves the parent's connections open and untouched.
                for inherited in [key for key in self._open if key[0] != process]:
                    self._open.pop(inherited).close()
                connection = self._open[key] = self._route.new_connection()
        return connection

    def _exchange(
        self,
        connection: http.client.HTTPConnection,
        method: str,
        target: str,
        body: bytes | None,
        headers: Mapping[str, str],
    ) -> Answer:
        try:
            if connection.sock is None:
                connection.connect()
                self.opened += 1
            connection.request(method, target, body=body, headers={**self._route.headers, **headers})
            if _QUICKACK is not None:
                connection.sock.setsockopt(socket.IPPROTO_TCP, _QUICKACK, 1)
            response = connection.getresponse()
            answer = Answer(
                response.status,
                response.reason,
                response.headers.get_content_type(),
                response.read() if _succeeded(response.status) else response.read(ERROR_BYTES),
            )
        except BaseException:
            connection.close()
            raise
        if not answer.ok or _QUICKACK is None or response.will_close:
            connection.close()
        return answer


def connections(owner: object, url: str) -> EndpointConnections:
    """Connections to ``url`` for ``owner``, closed when ``owner`` is collected."""
    opened = EndpointConnections(url)
    weakref.finalize(owner, opened.close)
    return opened
