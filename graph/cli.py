"""The ``trustkg`` command: a thin face on :mod:`trustkg.api`.

Exit codes: 0 ok, 1 checks failed (e.g. validation), 2 bad input or usage.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Never, NoReturn

if TYPE_CHECKING:
    from tqdm import tqdm

from trustkg import api
from trustkg.errors import ChecksFailedError, InputError, TrustKGError, did_you_mean, escaped

OK, CHECKS_FAILED, BAD_INPUT = 0, 1, 2
#: ``--out -``: write to standard output instead of a file.
STDOUT = "-"

Command = Callable[[argparse.Namespace], int]


def _add_graph_options(parser: argparse.ArgumentParser) -> None:
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--graph", type=Path, default=api.DEFAULT_GRAPH, help="a built graph (default: %(default)s)")
    source.add_argument("--data", type=Path, help="build from this data directory in memory instead of reading --graph")
    _add_input_option(source)
    parser.add_argument(
        "--study",
        metavar="ID",
        help="only the trusts this study names (its ID in sources.yaml), e.g. driving-improvement-2017",
    )
    parser.add_argument(
        "--store",
        metavar=api.STORE_SPEC_METAVAR,
        default=api.DEFAULT_STORE,
        help=f"{api.STORE_SPEC_HELP} (default: %(default)s)",
    )


def _add_input_option(parser: argparse.ArgumentParser | argparse._MutuallyExclusiveGroup) -> None:
    parser.add_argument(
        "--input",
        action="append",
        metavar="FORMAT:PATH",
        help=f"an input to merge into the graph, repeatable (formats: {', '.join(api.INPUT_FORMATS)})",
    )


def _data(args: argparse.Namespace) -> api.Data | None:
    """The inputs named with --input (parsed here, so a bad one is a usage error), else --data."""
    if args.input:
        return [api.parse_input(text) for text in args.input]
    data: Path | None = args.data
    return data


def _workspace(args: argparse.Namespace) -> api.Workspace:
    return api.Workspace(data=_data(args), graph_file=args.graph, store=args.store, study=args.study)


# --- commands ------------------------------------------------------------------------


def cmd_build(args: argparse.Namespace) -> int:
    data = _data(args)
    workspace = api.Workspace(data=data, store=args.store)
    built = workspace.build(
        args.out, validate=not args.no_validate, reason=args.reason, reasoner=args.reasoner, quotes=not args.no_quotes
    )
    named = ", ".join(args.input) if args.input else args.data
    print(f"Built the graph from {named}:")
    for line in built.summary.lines():
        print(f"  {line}")
    if built.validation is not None:
        print(f"Validated: {built.validation.summary()}")
    if built.inference is not None:
        print("Reasoned: " + "\n".join(built.inference.lines(workspace.label)))
    for path in built.written:
        print(f"wrote {path}")
    return OK


def cmd_codebook(args: argparse.Namespace) -> int:
    print(f"wrote {api.write_codebook(args.out, _data(args) or api.DEFAULT_DATA)}")
    return OK


def cmd_validate(args: argparse.Namespace) -> int:
    report = _workspace(args).validate()
    for line in report.lines():
        print(line)
    return OK if report.conforms else CHECKS_FAILED


def cmd_queries(args: argparse.Namespace) -> int:
    for query in api.queries():
        print(f"{query.name}\n  {query.title}: {query.question}")
        for parameter in query.parameters:
            print(f"  --param {parameter.describe()}")
        print()
    return OK


def cmd_query(args: argparse.Namespace) -> int:
    given: dict[str, str] = {}
    for pair in args.param:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise TrustKGError(f"--param takes NAME=VALUE, got {pair!r}")
        given[name.strip()] = value.strip()
    result: api.QueryResult
    if args.sparql is not None:
        if given:
            raise TrustKGError("--param goes with a library query or .rq file, not --sparql")
        if args.limit is not None or args.offset:
            raise TrustKGError("--limit and --offset go with a library query or .rq file; SPARQL text has LIMIT")
        text = sys.stdin.read() if args.sparql == "-" else args.sparql
        workspace = _workspace(args)
        result = workspace.run_sparql(text, args.timeout)
    elif args.name is not None:
        api.library_query(args.name)  # a mistyped name is reported before the graph is read or built
        workspace = _workspace(args)
        result = workspace.run_query(args.name, given, args.timeout, limit=args.limit, offset=args.offset)
        if result.more:
            _note_more_rows(result, args.offset)
    else:
        raise TrustKGError("name a library query (see 'trustkg queries'), a .rq file, or give --sparql TEXT")
    text = workspace.format(result, args.format, args.iris)
    # The friendly formats end with a line break; the W3C ones are written exactly as their specifications say.
    _emit(text + "\n" if args.format in api.FORMATS else text, args.out)
    return OK


def _note_more_rows(table: api.ResultTable, offset: int) -> None:
    """On standard error, so that rows piped on as CSV or JSON stay clean."""
    count = len(table)
    rows = f"{count:,} row{'s' if count != 1 else ''}"
    span = f"row {offset + 1:,}" if count == 1 else f"rows {offset + 1:,}-{offset + count:,}"
    print(
        f"trustkg: {'the first ' if offset == 0 else ''}{rows} ({span}); more follow: --offset {table.next_offset} "
        "for the next page, --limit 0 for all",
        file=sys.stderr,
    )


def _row_count(name: str) -> Callable[[str], int]:
    """An argparse type: a limit or offset as typed, a whole number 0 or more (else a usage error, exit 2)."""

    def parse(text: str) -> int:
        try:
            return api.row_count(text, f"--{name}")
        except TrustKGError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    return parse


def _emit(text: str, out: str) -> None:
    """Text to standard output (``-``) or to a file (replaced only once complete)."""
    if out == STDOUT:
        sys.stdout.write(text)
    else:
        print(f"wrote {api.save_text(text, out)}", file=sys.stderr)


def _emit_bytes(write: Callable[[], bytes]) -> int:
    sys.stdout.flush()
    sys.stdout.buffer.write(write())
    return OK


def cmd_show(args: argparse.Namespace) -> int:
    options = {
        "trust": args.trust,
        "theme": args.theme,
        "around": args.around,
        "depth": args.depth,
        "max_nodes": args.max_nodes,
        "through_hubs": args.through_hubs,
    }
    workspace = _workspace(args)
    if args.out == STDOUT:
        return _emit_bytes(lambda: api.page_bytes(workspace.graph, "explorer", **options))
    print(f"wrote {workspace.write_page('explorer', args.out, **options)}")
    return OK


def cmd_page(args: argparse.Namespace) -> int:
    """The pages without options of their own (map, links, matrix): write the one the command names."""
    workspace = _workspace(args)
    if args.out == STDOUT:
        return _emit_bytes(lambda: api.page_bytes(workspace.graph, args.page))
    print(f"wrote {workspace.write_page(args.page, args.out)}")
    return OK


#: The command that writes each page of the registry (every page has one; the test of the CLI checks it).
PAGE_COMMANDS = {"explorer": "show", "evidence-map": "map", "link-view": "links", "framework-matrix": "matrix"}


def cmd_export(args: argparse.Namespace) -> int:
    workspace = _workspace(args)
    if args.out == STDOUT:
        return _emit_bytes(lambda: api.export_bytes(workspace.graph, args.view, args.format))
    exported = workspace.export(args.view, args.format, args.out)
    print(f"wrote {exported.path} (nodes: {exported.nodes}, edges: {exported.edges})")
    return OK


#: Where ``trustkg publish`` finds the store's credentials: never on its command line (any user can list those).
ENDPOINT_USER, ENDPOINT_PASSWORD = "TRUSTKG_ENDPOINT_USER", "TRUSTKG_ENDPOINT_PASSWORD"


def cmd_publish(args: argparse.Namespace) -> int:
    user, password = os.environ.get(ENDPOINT_USER), os.environ.get(ENDPOINT_PASSWORD)
    if (user is None) != (password is None):
        raise TrustKGError(f"set both {ENDPOINT_USER} and {ENDPOINT_PASSWORD}, or neither")
    published = _workspace(args).publish(args.endpoint, args.graph_iri, user, password)
    print(f"published {published.triples} triples as <{published.graph_iri}> to {published.url} (replaced)")
    return OK


def cmd_serve(args: argparse.Namespace) -> int:
    workspace = _workspace(args)
    serving = api.serve(
        workspace.graph, args.host, args.port, timeout=args.timeout, workers=args.workers, cors=args.cors
    )
    print(f"serving SPARQL at {serving.url}sparql, the query library at {serving.url}queries (Ctrl-C stops)")
    sys.stdout.flush()
    serving.start()
    return OK


# --- wiring ----------------------------------------------------------------------------


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="trustkg", description="A knowledge graph of NHS trusts, improvement themes and evidence."
    )
    top.add_argument(
        "--version", action="version", version=f"%(prog)s {version('trustkg')} (C allocator: {api.c_allocator()})"
    )
    top.add_argument(
        "--quiet", "-q", action="store_true", help="no progress bars (they show only on a terminal anyway)"
    )
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = commands.add_parser("build", help="load the data, build the graph, write Turtle and N-Triples")
    build_source = build.add_mutually_exclusive_group()
    build_source.add_argument(
        "--data", type=Path, default=api.DEFAULT_DATA, help="data directory (default: %(default)s)"
    )
    _add_input_option(build_source)
    build.add_argument("--out", type=Path, default=api.DEFAULT_OUT, help="output directory (default: %(default)s)")
    build.add_argument(
        "--store",
        metavar=api.STORE_SPEC_METAVAR,
        default=api.DEFAULT_STORE,
        help=f"{api.STORE_SPEC_HELP} (default: %(default)s)",
    )
    build.add_argument("--no-validate", action="store_true", help="skip the SHACL shapes and curation checks")
    build.add_argument("--reason", action="store_true", help="run the OWL reasoner (needs Java) and add what it infers")
    build.add_argument(
        "--reasoner",
        choices=api.REASONERS,
        default=api.DEFAULT_REASONER,
        help="OWL reasoner for --reason (default: %(default)s)",
    )
    build.add_argument(
        "--no-quotes",
        action="store_true",
        help="leave interviewees' verbatim words out (positions and paraphrases stay): for a graph to publish",
    )
    build.set_defaults(run=cmd_build)

    codebook = commands.add_parser("codebook", help="write the trustkg codebook as a REFI-QDA codebook (.qdc)")
    codebook_source = codebook.add_mutually_exclusive_group()
    codebook_source.add_argument(
        "--data", type=Path, default=api.DEFAULT_DATA, help="data directory (default: %(default)s)"
    )
    _add_input_option(codebook_source)
    codebook.add_argument("--out", type=Path, required=True, help="the .qdc file to write")
    codebook.set_defaults(run=cmd_codebook)

    validate = commands.add_parser("validate", help="check a graph against the SHACL shapes and curation checks")
    _add_graph_options(validate)
    validate.set_defaults(run=cmd_validate)

    queries = commands.add_parser("queries", help="list the query library")
    queries.set_defaults(run=cmd_queries)

    query = commands.add_parser("query", help="run a library query, a .rq file or SPARQL text")
    query.add_argument("name", nargs="?", help="a library query name (see 'trustkg queries') or a .rq file")
    query.add_argument(
        "--sparql", metavar="TEXT", help="SPARQL SELECT text to run, or - to read it from standard input"
    )
    query.add_argument(
        "--param", "-p", action="append", default=[], metavar="NAME=VALUE", help="a query parameter (repeatable)"
    )
    query.add_argument(
        "--format",
        "-f",
        choices=api.OUTPUT_FORMATS,
        default="table",
        help="output format: table, csv, json, md show labels; sparql-json, sparql-xml, sparql-csv, tsv are the W3C "
        "result formats, excel-csv the W3C CSV for Excel (UTF-8 with BOM); turtle, ntriples, json-ld for CONSTRUCT "
        "and DESCRIBE (default: %(default)s)",
    )
    query.add_argument("--iris", action="store_true", help="show IRIs instead of labels")
    query.add_argument(
        "--out", "-o", default=STDOUT, metavar="FILE", help="file to write, or - for standard output (default)"
    )
    query.add_argument(
        "--timeout", type=float, metavar="SECONDS", help="stop the query after this many seconds (default: no limit)"
    )
    query.add_argument(
        "--limit",
        type=_row_count("limit"),
        metavar="N",
        help="at most N rows of a library query (0: all; default: the page its header declares, else all)",
    )
    query.add_argument(
        "--offset", type=_row_count("offset"), default=0, metavar="M", help="skip the first M rows (default: 0)"
    )
    _add_graph_options(query)
    query.set_defaults(run=cmd_query)

    publish = commands.add_parser(
        "publish",
        help="replace a named graph in a shared SPARQL store with the graph (Graph Store Protocol; "
        f"credentials from {ENDPOINT_USER} and {ENDPOINT_PASSWORD})",
    )
    publish.add_argument(
        "--endpoint",
        required=True,
        metavar="URL",
        help="the store's Graph Store Protocol URL (e.g. Virtuoso's http://HOST:8890/sparql-graph-crud-auth)",
    )
    publish.add_argument("--graph-iri", metavar="IRI", help="the named graph to replace (default: trustkg's own)")
    _add_graph_options(publish)
    publish.set_defaults(run=cmd_publish)

    serve = commands.add_parser("serve", help="a read-only SPARQL endpoint over the graph, with the query library")
    serve.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: %(default)s, this machine only)"
    )
    serve.add_argument("--port", type=int, default=8000, help="port (default: %(default)s; 0: any free port)")
    serve.add_argument(
        "--timeout", type=float, default=30.0, metavar="SECONDS", help="time limit of each query (default: %(default)s)"
    )
    serve.add_argument("--workers", type=int, default=2, help="queries run at once (default: %(default)s)")
    serve.add_argument("--cors", action="store_true", help="let web pages from any origin query the endpoint")
    _add_graph_options(serve)
    serve.set_defaults(run=cmd_serve)

    show = commands.add_parser("show", help="write the interactive graph explorer (an offline HTML page)")
    show.add_argument(
        "--out",
        "-o",
        default=str(api.page_default_path("explorer")),
        help="page to write, or - for standard output (default: %(default)s)",
    )
    show.add_argument("--trust", metavar="ODS", help="only this trust (its ODS code)")
    show.add_argument("--theme", metavar="ID", help="only what this theme tags, e.g. leadership")
    show.add_argument("--around", metavar="NODE", help="only the neighbourhood of this node (an IRI or its end)")
    show.add_argument("--depth", type=int, default=1, help="links from --around to include (default: %(default)s)")
    show.add_argument(
        "--max-nodes",
        type=int,
        default=api.EXPLORER_MAX_NODES,
        metavar="N",
        help="refuse to draw more nodes than this (default: %(default)s); focus a large graph instead",
    )
    show.add_argument(
        "--through-hubs",
        action="store_true",
        help="let --around walk on through themes (by default it stops at them: they tag every trust)",
    )
    _add_graph_options(show)
    show.set_defaults(run=cmd_show)

    for name, command in PAGE_COMMANDS.items():
        if command == "show":
            continue
        page = commands.add_parser(command, help=f"write {api.page_description(name)} (an offline HTML page)")
        page.add_argument(
            "--out",
            "-o",
            default=str(api.page_default_path(name)),
            help="page to write, or - for standard output (default: %(default)s)",
        )
        _add_graph_options(page)
        page.set_defaults(run=cmd_page, page=name)

    export = commands.add_parser("export", help="export a network view as GraphML or GEXF (for Gephi)")
    export.add_argument(
        "--format", choices=api.EXPORT_FORMATS, default=api.DEFAULT_EXPORT_FORMAT, help="default: %(default)s"
    )
    export.add_argument("--view", choices=api.VIEWS, default=api.DEFAULT_VIEW, help="default: %(default)s")
    export.add_argument("--out", "-o", help="file to write, or - for standard output (default: build/VIEW.FORMAT)")
    _add_graph_options(export)
    export.set_defaults(run=cmd_export)
    top.set_defaults(command_names=tuple(commands.choices))
    return top


def _unknown_command(top: argparse.ArgumentParser, argv: Sequence[str]) -> str | None:
    """A message for a mistyped command, with a did-you-mean (argparse would only list them all)."""
    command = next((word for word in argv if not word.startswith("-")), None)
    names: tuple[str, ...] = top.get_default("command_names")
    if command is None or command in names:
        return None
    return f"trustkg: unknown command {command!r}" + did_you_mean(command, names) + "; see 'trustkg --help'"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (also the process exit status)."""
    top = parser()
    words = sys.argv[1:] if argv is None else list(argv)
    unknown = _unknown_command(top, words)
    if unknown is not None:
        print(unknown, file=sys.stderr)
        return BAD_INPUT
    try:
        args = top.parse_args(words)
    except SystemExit as exit_:  # argparse's own usage errors and --help
        return int(exit_.code) if isinstance(exit_.code, int) else BAD_INPUT
    run: Command = args.run
    bars = None if args.quiet or not sys.stderr.isatty() else _Bars()
    try:
        with api.reporting(bars):
            return run(args)
    except ChecksFailedError as error:
        print(f"trustkg: the graph failed its checks; nothing was written: {error.summary}", file=sys.stderr)
        for line in error.details:
            print(f"  {line}", file=sys.stderr)
        return CHECKS_FAILED
    except InputError as error:
        print(f"trustkg: {len(error.problems)} problem(s) in the input; nothing was written:", file=sys.stderr)
        for line in error.listing():
            print(f"  {line}", file=sys.stderr)
        return BAD_INPUT
    except TrustKGError as error:
        print(f"trustkg: {escaped(str(error))}", file=sys.stderr)
        return BAD_INPUT
    except BrokenPipeError:
        raise  # the reader went away: run_program ends quietly
    except OSError as error:  # the library turns the OS errors it expects into FileAccessError; this is the net
        print(f"trustkg: {escaped(str(error.filename or ''))}: {error.strerror or error}", file=sys.stderr)
        return BAD_INPUT
    finally:
        if bars is not None:
            bars.close()


class _Bars:
    """Progress bars on the terminal (standard error), one per step of long work (see ``api.reporting``)."""

    def __init__(self) -> None:
        from tqdm import tqdm  # imported here: only a terminal shows bars

        self._new = tqdm
        self._bars: dict[str, tqdm[Never]] = {}

    def __call__(self, step: str, done: int, total: int | None) -> None:
        if step not in self._bars:
            self._bars[step] = self._new(total=total, desc=step, leave=False, file=sys.stderr)
        bar = self._bars[step]
        bar.update(done - bar.n)
        if total is not None and done >= total:
            bar.close()

    def close(self) -> None:
        for bar in self._bars.values():
            bar.close()


def run_program(main: Callable[[], int]) -> NoReturn:
    """Run a program's ``main`` (the command's or a script's) and exit with its code.

    A trustkg error that ``main`` lets through becomes one message on standard error and
    exit code 2; a closed pipe (``... | head -1``) is the reader going away, not an error of ours.
    """
    try:
        try:
            code = main()
        except TrustKGError as error:
            print(f"{Path(sys.argv[0]).name}: {error}", file=sys.stderr)
            code = BAD_INPUT
        sys.stdout.flush()
    except BrokenPipeError:
        # Point stdout at devnull so that the interpreter's final flush does not raise again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = OK
    sys.exit(code)


def entry_point() -> NoReturn:
    run_program(main)


if __name__ == "__main__":
    entry_point()
