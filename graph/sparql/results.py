"""Query results (a table, a yes/no answer or a graph), and tables shown with labels as text, CSV, JSON or Markdown."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rdflib import XSD, Graph, Literal, URIRef
from rdflib.plugins.sparql.processor import SPARQLResult
from rdflib.query import Result
from rdflib.term import Node

from trustkg.errors import QueryError, TrustKGError, escaped
from trustkg.sparql.labels import label_lookup

if TYPE_CHECKING:
    import pandas

Cell = Node | None


@dataclass(frozen=True)
class ResultTable:
    columns: list[str]
    rows: list[tuple[Cell, ...]]
    #: When more rows follow this page of a library query's answer: the offset of the next page.
    next_offset: int | None = None

    @property
    def more(self) -> bool:
        """Whether more rows follow (the table is one page of a longer answer)."""
        return self.next_offset is not None

    def __len__(self) -> int:
        return len(self.rows)

    def values(self, graph: Graph | None = None) -> list[tuple[object, ...]]:
        """Rows as Python values: numbers as numbers, IRIs as labels when a graph is given."""
        label = label_lookup(graph) if graph is not None else str
        return [tuple(_python(cell, label) for cell in row) for row in self.rows]

    def column(self, name: str) -> list[Cell]:
        index = self.columns.index(name)
        return [row[index] for row in self.rows]

    def records(self, graph: Graph | None = None) -> list[dict[str, object]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.values(graph)]

    def to_dataframe(self, graph: Graph | None = None) -> pandas.DataFrame:
        """The rows as a pandas DataFrame (``pip install trustkg[pandas]``): numbers as numbers, IRIs as labels
        when a graph is given, unbound cells as ``None``."""
        try:
            import pandas
        except ImportError:
            raise TrustKGError("a DataFrame needs pandas: pip install 'trustkg[pandas]'") from None
        return pandas.DataFrame.from_records(self.values(graph), columns=self.columns)


@dataclass(frozen=True)
class AskResult:
    """The answer to an ASK query."""

    answer: bool


Triple = tuple[Node, Node, Node]


@dataclass(frozen=True)
class GraphResult:
    """The answer to a CONSTRUCT or DESCRIBE query: its triples (kept as a tuple, so it can cross processes)."""

    triples: tuple[Triple, ...]

    def __len__(self) -> int:
        return len(self.triples)

    def graph(self) -> Graph:
        graph = Graph()
        for triple in self.triples:
            graph.add(triple)
        return graph


#: What any query gives: SELECT a table, ASK a yes or no, CONSTRUCT and DESCRIBE a graph.
QueryResult = ResultTable | AskResult | GraphResult


def query_result(result: Result) -> QueryResult:
    """An rdflib result read in full (so an engine's run-time error surfaces here, not later)."""
    if result.type == "SELECT":
        variables = list(result.vars or ())
        # A solution with nothing bound is a row like any other (an OPTIONAL that matched nothing), but rdflib's
        # rows leave it out. That hides a fault of rdflib's own engine, which answers a GROUP BY that matched
        # nothing with one such solution (RDFLib/rdflib#3382), so from that engine it stays left out (a row lost
        # on the memory store alone); an endpoint's answer is read whole.
        from_rdflib_engine = isinstance(result, SPARQLResult)
        rows: list[tuple[Node | None, ...]] = [
            tuple(solution.get(variable) for variable in variables)
            for solution in result.bindings
            if solution or not from_rdflib_engine
        ]
        return ResultTable([str(variable) for variable in variables], rows)
    if result.type == "ASK":
        return AskResult(bool(result.askAnswer))
    if result.graph is None:
        raise QueryError(f"a {result.type} query returned no graph")
    return GraphResult(tuple((s, p, simple_strings(o)) for s, p, o in result.graph))


def simple_strings(term: Node) -> Node:
    """A literal typed ``xsd:string`` as the simple literal it equals (RDF 1.1): Oxigraph types every string,
    rdflib's memory store does not, and answers must not depend on the store."""
    return Literal(str(term)) if isinstance(term, Literal) and term.datatype == XSD.string else term


def pivot(table: ResultTable, row: str, column: str, value: str, total: str) -> ResultTable:
    """Long rows (row, column, value) as a matrix: one row per ``row``, one column per ``column`` found.

    A long row whose ``column`` is empty holds the row's ``total``; an absent cell is 0. Columns are
    named by the local name of each ``column`` value, in the order they first appear.
    """
    cells: dict[Cell, dict[Cell, Cell]] = {}
    for record in table.rows:
        line = dict(zip(table.columns, record, strict=True))
        cells.setdefault(line[row], {})[line[column]] = line[value]
    headings = list(dict.fromkeys(key for line in cells.values() for key in line if key is not None))
    headings.sort(key=str)
    zero = Literal(0)
    return ResultTable(
        [row, total, *(_local(str(key)) for key in headings)],
        [(key, line.get(None, zero), *(line.get(h, zero) for h in headings)) for key, line in cells.items()],
    )


def _local(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1].replace("-", "_")


def _python(cell: Cell, label: Callable[[URIRef], str]) -> object:
    if cell is None:
        return None
    if isinstance(cell, URIRef):
        return label(cell)
    if isinstance(cell, Literal):
        value = cell.toPython()
        return value if isinstance(value, int | float | bool) else str(cell)
    return str(cell)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


FORMATS = ("table", "csv", "json", "md")


def render(table: ResultTable, output_format: str, graph: Graph | None, show_iris: bool = False) -> str:
    """The table in one of :data:`FORMATS`; labels replace IRIs unless ``show_iris``."""
    rows = table.values(None if show_iris else graph)
    if output_format == "json":
        return json.dumps(
            [dict(zip(table.columns, row, strict=True)) for row in rows], indent=2, ensure_ascii=False, default=str
        )
    text_rows = [[_text(value) for value in row] for row in rows]
    if output_format == "csv":
        return "\n".join(_csv_line(cells) for cells in [table.columns, *text_rows])
    # Control characters in the data (an ANSI or OSC sequence) are shown escaped, never sent to a terminal.
    text_rows = [[escaped(cell) for cell in row] for row in text_rows]
    if output_format == "md":
        return _markdown(table.columns, text_rows)
    if output_format == "table":
        return _aligned(table.columns, text_rows)
    raise ValueError(f"unknown output format {output_format!r}; known: {', '.join(FORMATS)}")


def _csv_line(cells: Sequence[str]) -> str:
    """One CSV record: control characters escaped but for tab, newline and carriage return, which are quoted."""
    buffer = io.StringIO()
    # With CRLF as the terminator the writer quotes a cell holding a bare carriage return, as it must.
    csv.writer(buffer, lineterminator="\r\n").writerow(["\r".join(map(escaped, cell.split("\r"))) for cell in cells])
    return buffer.getvalue().removesuffix("\r\n")


def _markdown(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(cell.replace("|", "\\|").replace("\n", " ") for cell in cells) + " |"

    return "\n".join([line(columns), line(["---"] * len(columns)), *(line(row) for row in rows)])


def _aligned(columns: Sequence[str], rows: Sequence[Sequence[str]], max_width: int = 60) -> str:
    def clip(cell: str) -> str:
        cell = cell.replace("\n", " ")
        return cell if len(cell) <= max_width else cell[: max_width - 1] + "…"

    clipped = [[clip(cell) for cell in row] for row in rows]
    widths = [max([len(column), *(len(row[i]) for row in clipped)]) for i, column in enumerate(columns)]
    lines = ["  ".join(column.ljust(width) for column, width in zip(columns, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * width for width in widths))
    lines.extend(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in clipped
    )
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines)
