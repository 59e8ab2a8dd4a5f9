"""The W3C result formats: SPARQL 1.1 results JSON, XML, CSV and TSV, and RDF for graph results.

Written here rather than taken from rdflib's result serializers because those are not exact or
not the same across our stores: rdflib has no TSV writer, its XML writer fails on an unbound
variable in a result from Oxigraph, and its JSON writer adds ``"datatype": xsd:string`` to plain
strings from Oxigraph but not from the memory store. pyoxigraph's writer only takes pyoxigraph's
own results. Here a plain string is a simple literal whatever the store (RDF 1.1 makes
``xsd:string`` and the simple literal one thing), so each format's bytes depend on the answer only.

Specifications: https://www.w3.org/TR/sparql11-results-json/, https://www.w3.org/TR/rdf-sparql-XMLres/,
https://www.w3.org/TR/sparql11-results-csv-tsv/.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.query import Result

from trustkg.errors import QueryError
from trustkg.ontology import bind_prefixes
from trustkg.sparql import AskResult, Cell, QueryResult, ResultTable, query_result, simple_strings

RESULTS_NAMESPACE = "http://www.w3.org/2005/sparql-results#"
_BYTE_ORDER_MARK = "\ufeff"


@dataclass(frozen=True)
class Format:
    """One output format: its name on the command line, its media type and its file extension."""

    name: str
    media_type: str
    extension: str


SELECT_FORMATS: Mapping[str, Format] = {
    f.name: f
    for f in (
        Format("sparql-json", "application/sparql-results+json", "srj"),
        Format("sparql-xml", "application/sparql-results+xml", "srx"),
        Format("sparql-csv", "text/csv; charset=utf-8", "csv"),
        Format("tsv", "text/tab-separated-values; charset=utf-8", "tsv"),
        # Excel reads a CSV file as the machine's legacy code page unless it starts with a byte order mark.
        Format("excel-csv", "text/csv; charset=utf-8", "csv"),
    )
}
# The CSV and TSV specifications cover SELECT only.
ASK_FORMATS: Mapping[str, Format] = {name: SELECT_FORMATS[name] for name in ("sparql-json", "sparql-xml")}
GRAPH_FORMATS: Mapping[str, Format] = {
    f.name: f
    for f in (
        Format("turtle", "text/turtle; charset=utf-8", "ttl"),
        Format("ntriples", "application/n-triples", "nt"),
        Format("json-ld", "application/ld+json", "jsonld"),
    )
}
_RDFLIB_FORMAT = {"turtle": "turtle", "ntriples": "nt", "json-ld": "json-ld"}


def _known(formats: Mapping[str, Format], name: str, what: str) -> Format:
    if name not in formats:
        raise QueryError(f"{what} cannot be written as {name!r}; formats: {', '.join(formats)}")
    return formats[name]


def _is_simple(literal: Literal) -> bool:
    return literal.language is None and literal.datatype in (None, XSD.string)


# --- JSON ---


def _json_term(term: URIRef | BNode | Literal) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    encoded = {"type": "literal", "value": str(term)}
    if term.language is not None:
        encoded["xml:lang"] = term.language
    elif not _is_simple(term):
        encoded["datatype"] = str(term.datatype)
    return encoded


def _json_text(term: URIRef | BNode | Literal) -> str:
    return json.dumps(_json_term(term), ensure_ascii=False)


def _select_json(columns: Sequence[str], rows: Iterable[Sequence[Cell]]) -> str:
    # What json.dumps wrote for the whole document, separators included, with each distinct term encoded once.
    names = [json.dumps(name, ensure_ascii=False) + ": " for name in columns]
    bindings = ", ".join("{" + ", ".join(cells) + "}" for cells in _encoded_rows(names, rows, _json_text))
    head = json.dumps(list(columns), ensure_ascii=False)
    return f'{{"head": {{"vars": {head}}}, "results": {{"bindings": [{bindings}]}}}}'


# --- XML ---


def _xml_text(text: str) -> str:
    # A bare CR would come back as LF from any XML parser (end-of-line handling), so it is a reference.
    return escape(text).replace("\r", "&#13;")


def _xml_term(term: URIRef | BNode | Literal) -> str:
    if isinstance(term, URIRef):
        return f"<uri>{_xml_text(str(term))}</uri>"
    if isinstance(term, BNode):
        return f"<bnode>{_xml_text(str(term))}</bnode>"
    if term.language is not None:
        attribute = f" xml:lang={quoteattr(term.language)}"
    elif not _is_simple(term):
        attribute = f" datatype={quoteattr(str(term.datatype))}"
    else:
        attribute = ""
    return f"<literal{attribute}>{_xml_text(str(term))}</literal>"


def _xml_document(head: Iterable[str], body: Iterable[str]) -> str:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<sparql xmlns="{RESULTS_NAMESPACE}">', "  <head>"]
    lines.extend(head)
    lines.append("  </head>")
    lines.extend(body)
    lines.append("</sparql>")
    return "\n".join(lines) + "\n"


def _xml_binding(term: URIRef | BNode | Literal) -> str:
    return _xml_term(term) + "</binding>"


def _select_xml(columns: Sequence[str], rows: Iterable[Sequence[Cell]]) -> str:
    names = [f"      <binding name={quoteattr(name)}>" for name in columns]
    body = ["  <results>"]
    for cells in _encoded_rows(names, rows, _xml_binding):
        body.append("    <result>")
        body.extend(cells)
        body.append("    </result>")
    body.append("  </results>")
    return _xml_document((f"    <variable name={quoteattr(name)}/>" for name in columns), body)


# --- CSV and TSV ---


def _csv_field(cell: Cell) -> str:
    if cell is None:
        return ""
    text = f"_:{cell}" if isinstance(cell, BNode) else str(cell)
    # RFC 4180 quoting, written out: the csv module quotes a lone empty field, which the spec leaves empty.
    if any(character in text for character in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _select_csv(columns: Sequence[str], rows: Iterable[Sequence[Cell]]) -> str:
    lines = [",".join(columns)]  # variable names hold no comma, quote or line break
    lines.extend(",".join(_csv_field(cell) for cell in row) for row in rows)
    return "".join(line + "\r\n" for line in lines)


_TSV_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def _tsv_field(cell: Cell) -> str:
    if cell is None:
        return ""
    term = _term(cell)
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    # Turtle's one-line string form: rdflib's n3() would use a long string with a raw newline, which ends a TSV row.
    quoted = '"' + str(term).translate(_TSV_ESCAPES) + '"'
    if term.language is not None:
        return f"{quoted}@{term.language}"
    return quoted if _is_simple(term) else f"{quoted}^^<{term.datatype}>"


def _select_tsv(columns: Sequence[str], rows: Iterable[Sequence[Cell]]) -> str:
    lines = ["\t".join(f"?{name}" for name in columns)]
    lines.extend("\t".join(_tsv_field(cell) for cell in row) for row in rows)
    return "".join(line + "\n" for line in lines)


def _excel_csv(columns: Sequence[str], rows: Iterable[Sequence[Cell]]) -> str:
    return _BYTE_ORDER_MARK + _select_csv(columns, rows)


def _term(cell: Cell) -> URIRef | BNode | Literal:
    if isinstance(cell, URIRef | BNode | Literal):
        return cell
    raise QueryError(f"a result holds {cell!r}, which is not an IRI, blank node or literal")


def _encoded_rows(
    starts: Sequence[str], rows: Iterable[Sequence[Cell]], encode: Callable[[URIRef | BNode | Literal], str]
) -> Iterator[list[str]]:
    """Each row's bound cells as a format writes them: its column's start, then the term encoded.

    Each distinct cell object is encoded once per answer: a table's recurring values (a grade, a count, a
    trust) are one object each (trustkg.sparql makes each distinct term of an answer once), and encoding
    them cell by cell was half the time ``serve`` took to answer the largest library query. A cell is
    remembered by its identity and held, so that identity is never another cell's while the answer is written.
    """
    done: dict[int, tuple[Cell, str]] = {}
    for row in rows:
        cells = []
        for start, cell in zip(starts, row, strict=True):
            if cell is None:
                continue
            held = done.get(id(cell))
            if held is None:
                held = done[id(cell)] = (cell, encode(_term(cell)))
            cells.append(start + held[1])
        yield cells


_SELECT_WRITERS: Mapping[str, Callable[[Sequence[str], Iterable[Sequence[Cell]]], str]] = {
    "sparql-json": _select_json,
    "sparql-xml": _select_xml,
    "sparql-csv": _select_csv,
    "tsv": _select_tsv,
    "excel-csv": _excel_csv,
}


def write_select(columns: Sequence[str], rows: Iterable[Sequence[Cell]], format_name: str) -> str:
    """A SELECT answer (variables without ``?``, rows with ``None`` for unbound) in one of :data:`SELECT_FORMATS`."""
    _known(SELECT_FORMATS, format_name, "a SELECT result")
    return _SELECT_WRITERS[format_name](columns, rows)


def write_ask(answer: bool, format_name: str) -> str:
    """An ASK answer in one of :data:`ASK_FORMATS`."""
    _known(ASK_FORMATS, format_name, "an ASK result (CSV and TSV are defined for SELECT only)")
    if format_name == "sparql-json":
        return json.dumps({"head": {}, "boolean": answer})
    return _xml_document([], [f"  <boolean>{'true' if answer else 'false'}</boolean>"])


def write_graph(graph: Graph, format_name: str) -> str:
    """A CONSTRUCT or DESCRIBE answer in one of :data:`GRAPH_FORMATS`, with the project's prefixes."""
    _known(GRAPH_FORMATS, format_name, "a graph result")
    # Oxigraph's graphs type every plain string xsd:string (rdflib's do not): one form, whatever the store.
    written = bind_prefixes(Graph())
    for triple in graph:
        written.add((triple[0], triple[1], simple_strings(triple[2])))
    return written.serialize(format=_RDFLIB_FORMAT[format_name])


def formats_for(result: QueryResult) -> Mapping[str, Format]:
    """The formats a result of this form can be written in."""
    if isinstance(result, ResultTable):
        return SELECT_FORMATS
    if isinstance(result, AskResult):
        return ASK_FORMATS
    return GRAPH_FORMATS


def write_result(result: Result | QueryResult, format_name: str) -> str:
    """Any query result, by its form: SELECT rows, an ASK answer, or a CONSTRUCT/DESCRIBE graph."""
    if isinstance(result, Result):
        result = query_result(result)
    if isinstance(result, ResultTable):
        return write_select(result.columns, result.rows, format_name)
    if isinstance(result, AskResult):
        return write_ask(result.answer, format_name)
    return write_graph(result.graph(), format_name)
