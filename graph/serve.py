"""``trustkg serve``: a read-only SPARQL 1.1 Protocol endpoint over the graph, with the query library as URLs.

- ``/sparql``: GET (``?query=``) and POST (form-encoded ``query=``, or ``application/sparql-query``);
  the answer's format by ``Accept`` or ``?format=`` (see :mod:`trustkg.sparql_protocol`); updates,
  ``SERVICE`` and ``FROM`` are refused with 403; a query past the time limit gets 503.
- ``/queries``: the library, with each query's parameters; ``/queries/NAME?param=value&format=tsv``
  runs one; ``limit=N&offset=M`` choose a page of its rows (``limit=0``: all), and an answer with more
  rows to follow links the next page in a ``Link: <...>; rel="next"`` header (RFC 8288).
- ``/``: a query page. YASGUI when its files were installed beside this module (``make setup``
  fetches them from the npm registry), else a plain form; either works with no network.

Why this stack (measured on the shipped graph, notes of issue 12): Oxigraph's own server took 5.6x
the time of the embedded store over the library (it needs the on-disk store to be read-only), sent
``SERVICE`` queries to the address named, and its time limit did not stop a sorted cross product
(still running after 10 minutes). An in-process app over the in-memory store answers within 0.5-2 ms
of an embedded query. Starlette on uvicorn rather than the standard library's ``http.server``
(which Python documents as not for production): uvicorn answers malformed HTTP with 4xx, stops
cleanly on SIGTERM, and bounds concurrency. Neither engine can stop a query, so every query runs
in a worker process that is killed at the time limit (:mod:`trustkg.sparql_workers`); the server
itself only parses requests and passes bytes on, so other clients keep getting answers.
"""

from __future__ import annotations

import functools
import html
import math
import signal
import socket
import urllib.parse
from collections.abc import Callable, Mapping
from pathlib import Path

import uvicorn
from rdflib import Graph
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response
from starlette.routing import Route

from trustkg.errors import QueryError, QueryTimeoutError, TrustKGError
from trustkg.queries.library import RESERVED_NAMES, LibraryQuery
from trustkg.sparql import library, row_count
from trustkg.sparql_formats import SELECT_FORMATS
from trustkg.sparql_protocol import Answer, answer_library_query, answer_query
from trustkg.sparql_workers import QueryWorkers

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEFAULT_TIMEOUT = 30.0
DEFAULT_WORKERS = 2
#: YASGUI's two files, when ``make setup`` has put them here (they are not in the repository).
YASGUI_DIR = Path(__file__).resolve().parent / "static" / "yasgui"
YASGUI_FILES = ("yasgui.min.js", "yasgui.min.css")
#: A request body larger than this is refused (413): a query is text, never megabytes.
MAX_BODY = 1_000_000
#: How long a request waits for a free worker before it is answered 503 (the time limit counts from its start).
MAX_WAIT = 60.0
#: Open connections beyond this get 503 from uvicorn rather than memory without bound.
MAX_CONNECTIONS = 100
FORMAT_PARAMETER = "format"
LIMIT_PARAMETER = "limit"
OFFSET_PARAMETER = "offset"

_FORM = "application/x-www-form-urlencoded"
_QUERY_BODY = "application/sparql-query"
_UPDATE_BODY = "application/sparql-update"


class BadRequestError(Exception):
    """A request the protocol rejects, with the status to answer."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _text(status: int, message: str) -> Response:
    return Response(message + "\n", status, media_type="text/plain; charset=utf-8")


async def _body(request: Request) -> bytes:
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise BadRequestError(413, f"the request body is over {MAX_BODY} bytes")
    return body


def _single(fields: Mapping[str, list[str]], name: str) -> str | None:
    values = fields.get(name, [])
    if len(values) > 1:
        raise BadRequestError(400, f"give {name!r} once, not {len(values)} times")
    return values[0] if values else None


def _fields(text: str) -> dict[str, list[str]]:
    try:
        return urllib.parse.parse_qs(text, keep_blank_values=True, strict_parsing=False, errors="strict")
    except UnicodeDecodeError:
        raise BadRequestError(400, "the parameters are not UTF-8") from None


async def _query_text(request: Request) -> tuple[str, dict[str, list[str]]]:
    """The query text of a protocol request and all its parameters (URL and form)."""
    fields = _fields(request.url.query)
    if request.method == "POST":
        media_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        body = await _body(request)
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise BadRequestError(400, "the request body is not UTF-8") from None
        if media_type == _FORM:
            for name, values in _fields(text).items():
                fields.setdefault(name, []).extend(values)
        elif media_type == _QUERY_BODY:
            fields.setdefault("query", []).append(text)
        elif media_type == _UPDATE_BODY:
            raise BadRequestError(403, "updates are refused: the graph is read-only")
        else:
            raise BadRequestError(415, f"POST a query as {_FORM} or {_QUERY_BODY}, not {media_type or 'no type'}")
    if "update" in fields:
        raise BadRequestError(403, "updates are refused: the graph is read-only")
    if "default-graph-uri" in fields or "named-graph-uri" in fields:
        raise BadRequestError(400, "this endpoint has one graph: default-graph-uri and named-graph-uri are not taken")
    query = _single(fields, "query")
    if query is None or not query.strip():
        raise BadRequestError(400, "no query: give it as ?query=... or POST it")
    return query, fields


class Endpoint:
    """The web application over one graph: each query goes to ``workers`` within ``timeout`` seconds."""

    def __init__(self, workers: QueryWorkers, timeout: float, cors: bool = False) -> None:
        self.workers = workers
        self.timeout = timeout
        # Read once: the .rq files do not change while serving, and parsing them took 40-60 ms a request.
        self.queries = library()
        middleware = [Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST"])] if cors else []
        routes = [
            Route("/", self.home),
            Route("/sparql", self.sparql, methods=["GET", "POST"]),
            Route("/queries", self.index),
            Route("/queries/{name}", self.library_query),
            *(Route(f"/yasgui/{name}", functools.partial(self.asset, name=name)) for name in YASGUI_FILES),
        ]
        self.app = Starlette(routes=routes, middleware=middleware)

    async def _answer(self, task: Callable[[Graph], Answer], request: Request) -> Response:
        try:
            answer = await run_in_threadpool(self.workers.run, task, self.timeout, MAX_WAIT)
        except QueryTimeoutError as error:
            return _text(503, str(error))
        except TrustKGError as error:
            return _text(400, str(error))
        headers = {}
        if answer.next_offset is not None:
            # The same URL, every other field kept, with the next page's offset (encoded by Starlette).
            following = request.url.include_query_params(**{OFFSET_PARAMETER: answer.next_offset})
            headers["Link"] = f'<{following}>; rel="next"'
        return Response(answer.body, answer.status, headers, media_type=answer.media_type)

    async def sparql(self, request: Request) -> Response:
        try:
            query, fields = await _query_text(request)
            format_name = _single(fields, FORMAT_PARAMETER)
        except BadRequestError as problem:
            return _text(problem.status, str(problem))
        accept = request.headers.get("accept")
        task = functools.partial(answer_query, sparql=query, accept=accept, format_name=format_name)
        return await self._answer(task, request)

    async def library_query(self, request: Request) -> Response:
        try:
            fields = _fields(request.url.query)
            format_name = _single(fields, FORMAT_PARAMETER)
            limit, offset = _single(fields, LIMIT_PARAMETER), _single(fields, OFFSET_PARAMETER)
            rows = None if limit is None else row_count(limit, LIMIT_PARAMETER)
            skipped = 0 if offset is None else row_count(offset, OFFSET_PARAMETER)
            # The caller's options, the names no query's parameter may take; every other field is a parameter.
            given = {name: value for name in fields if name not in RESERVED_NAMES if (value := _single(fields, name))}
        except BadRequestError as problem:
            return _text(problem.status, str(problem))
        except QueryError as error:
            return _text(400, str(error))
        name = request.path_params["name"]
        chosen = self.queries.get(name)
        # The worker is sent the query asked for, not the library (80 KB pickled, 0.4 ms a request); for an
        # unknown name it gets the library, whose names its 404 lists.
        task = functools.partial(
            answer_library_query,
            name=name,
            given=given,
            accept=request.headers.get("accept"),
            format_name=format_name,
            queries=self.queries if chosen is None else {name: chosen},
            limit=rows,
            offset=skipped,
        )
        return await self._answer(task, request)

    async def index(self, request: Request) -> Response:
        return HTMLResponse(index_page(list(self.queries.values())))

    async def home(self, request: Request) -> Response:
        if all((YASGUI_DIR / name).is_file() for name in YASGUI_FILES):
            return HTMLResponse(_YASGUI_PAGE)
        return HTMLResponse(_FORM_PAGE)

    async def asset(self, request: Request, name: str) -> Response:
        path = YASGUI_DIR / name
        if not path.is_file():
            return _text(404, f"{name} is not installed (make setup fetches YASGUI)")
        return FileResponse(path)


def _format_links(query: LibraryQuery) -> str:
    # The library's queries are all SELECT queries.
    return " ".join(
        f'<a href="/queries/{urllib.parse.quote(query.name)}?format={name}">{html.escape(name)}</a>'
        for name in SELECT_FORMATS
    )


def index_page(queries: list[LibraryQuery]) -> str:
    """The library as an HTML page: each query with its question, its parameters and links to run it."""
    items = []
    for query in queries:
        parameters = "".join(f"<li><code>{html.escape(p.describe())}</code></li>" for p in query.parameters)
        needs = [p for p in query.parameters if p.required]
        run = (
            f"needs {html.escape(', '.join(p.name for p in needs))}: add <code>?NAME=VALUE</code> to its URL"
            if needs
            else _format_links(query)
        )
        items.append(
            f'<section><h2><a href="/queries/{urllib.parse.quote(query.name)}">{html.escape(query.name)}</a></h2>'
            f"<p><strong>{html.escape(query.title)}</strong>: {html.escape(query.question)}</p>"
            f"<ul>{parameters}</ul><p>{run}</p></section>"
        )
    return _page(
        "trustkg query library",
        "<p>Each query runs at <code>/queries/NAME?PARAMETER=VALUE</code>; add <code>format=</code> "
        f"({html.escape(', '.join(SELECT_FORMATS))}) or send an <code>Accept</code> header. "
        "<code>limit=N&amp;offset=M</code> give a page of the rows (<code>limit=0</code>: all of them); "
        'an answer with more rows to follow names the next page in its <code>Link: &lt;…&gt;; rel="next"</code> '
        "header.</p>" + "".join(items),
    )


def _page(title: str, body: str, head: str = "") -> str:
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f'<link rel="icon" href="data:,"><title>{html.escape(title)}</title>{head}</head>'
        f"<body><h1>{html.escape(title)}</h1>{body}</body></html>"
    )


_FORM_PAGE = _page(
    "trustkg SPARQL",
    '<p>The query library: <a href="/queries">/queries</a>. The endpoint: <code>/sparql</code>.</p>'
    '<form action="/sparql" method="get">'
    '<textarea name="query" rows="12" cols="100">SELECT * WHERE { ?s ?p ?o } LIMIT 10</textarea><br>'
    '<select name="format">'
    + "".join(f'<option value="{name}">{name}</option>' for name in SELECT_FORMATS)
    + '</select> <button type="submit">Run</button></form>',
)

_YASGUI_PAGE = _page(
    "trustkg SPARQL",
    '<p><a href="/queries">The query library</a></p><div id="yasgui"></div>'
    "<script>"
    "window.yasgui = new Yasgui(document.getElementById('yasgui'), {"
    "requestConfig: {endpoint: location.origin + '/sparql', method: 'POST'},"
    "copyEndpointOnNewTab: false,"
    # The property and class autocompleters ask a web service; prefixes and variables work offline.
    "yasqe: {autocompleters: ['prefixes', 'variables']}"
    "});"
    "</script>",
    head='<link rel="stylesheet" href="/yasgui/yasgui.min.css"><script src="/yasgui/yasgui.min.js"></script>',
)


def listen(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> socket.socket:
    """A listening socket (port 0: any free port), made before the server so its address is known at once."""
    try:
        info = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        # Named as TCP, not left to the default protocol (0): asyncio turns Nagle's algorithm off only on
        # sockets whose protocol says TCP, and with it on, an answer uvicorn writes as headers then body
        # waited for the client's delayed ACK on a kept-alive connection (about 40 ms an answer).
        listener = socket.socket(info[0], socket.SOCK_STREAM, socket.IPPROTO_TCP)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(info[4])
        listener.listen(128)
    except OSError as error:
        raise TrustKGError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None
    return listener


def run(
    graph: Graph,
    listener: socket.socket,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    workers: int = DEFAULT_WORKERS,
    cors: bool = False,
) -> None:
    """Serve ``graph`` on ``listener`` until SIGTERM or SIGINT."""
    # The workers are forked before uvicorn starts any thread.
    with QueryWorkers(graph, workers) as pool:
        config = uvicorn.Config(
            Endpoint(pool, timeout, cors).app,
            log_level="warning",
            limit_concurrency=MAX_CONNECTIONS,
            timeout_keep_alive=5,
            timeout_graceful_shutdown=max(5, math.ceil(timeout)),
        )
        # uvicorn shuts down gracefully on SIGTERM and SIGINT, then raises the signal again for the handler it
        # found: a quiet one here, so the workers are closed and the command ends with status 0.
        quiet = {number: signal.signal(number, lambda *_: None) for number in (signal.SIGTERM, signal.SIGINT)}
        try:
            uvicorn.Server(config).run(sockets=[listener])
        finally:
            for number, handler in quiet.items():
                signal.signal(number, handler)
