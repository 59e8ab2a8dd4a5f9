"""The remote store's results reader: hand-written SPARQL results XML read into the terms they spell, malformed
answers refused with the line they go wrong on, and answers in other formats read by their media type.

The samples are written here by hand, in the shape Virtuoso 7.2 writes (its head, its ``results``
attributes, one element a line); the IRIs and values are made up (FICTIONAL)."""

from __future__ import annotations

import http.server
import json
import re
import socket
from collections.abc import Iterator
from typing import ClassVar

import pytest
from rdflib import XSD, BNode, Literal, URIRef, Variable

from tests.loopback_http import send, serving
from trustkg import api
from trustkg.errors import QueryError, StoreError
from trustkg.remote_results import RESULTS_JSON, RESULTS_XML, read_results, read_xml_results
from trustkg.sparql import AskResult

SOURCE = "http://127.0.0.1:1/sparql"
EX = "http://example.org/fictional/"

VIRTUOSO_SHAPED = f"""\
<sparql xmlns="http://www.w3.org/2005/sparql-results#" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" \
xsi:schemaLocation="http://www.w3.org/2001/sw/DataAccess/rf1/result2.xsd">
 <head>
  <variable name="thing"/>
  <variable name="value"/>
  <link href="about:blank"/>
 </head>
 <results distinct="false" ordered="true">
  <result>
   <binding name="thing"><uri>{EX}trust/ZZ1</uri></binding>
   <binding name="value"><literal datatype="http://www.w3.org/2001/XMLSchema#integer">42</literal></binding>
  </result>
  <result>
   <binding name="thing"><bnode>nodeID://b10000</bnode></binding>
   <binding name="value"><literal xml:lang="en-gb">tab\there</literal></binding>
  </result>
  <result>
   <binding name="value"><literal>q"uote\\back&#10;nl&#13;cr &lt;&amp;&gt; caf\u00e9 \U0001f600</literal></binding>
  </result>
  <result>
   <binding name="thing"><uri>{EX}trust/ZZ1</uri></binding>
  </result>
  <result>
   <binding name="thing"><uri>{EX}a&amp;b</uri></binding>
   <binding name="value"><literal datatype="http://www.w3.org/2001/XMLSchema#date">2020-01-02</literal></binding>
  </result>
  <result>
   <binding name="value"><literal></literal></binding>
  </result>
  <result>
   <binding name="value"><literal datatype="{EX}kind"><![CDATA[<not markup> & ]]>  </literal></binding>
  </result>
  <result>
   <binding name="value"><literal datatype="http://www.w3.org/2001/XMLSchema#boolean">true</literal></binding>
  </result>
 </results>
</sparql>
"""

EXPECTED_ROWS = [
    (URIRef(EX + "trust/ZZ1"), Literal("42", datatype=XSD.integer)),
    (BNode("nodeID://b10000"), Literal("tab\there", lang="en-gb")),
    (None, Literal('q"uote\\back\nnl\rcr <&> caf\u00e9 \U0001f600')),
    (URIRef(EX + "trust/ZZ1"), None),
    (URIRef(EX + "a&b"), Literal("2020-01-02", datatype=XSD.date)),
    (None, Literal("")),
    (None, Literal("<not markup> &   ", datatype=URIRef(EX + "kind"))),
    (None, Literal("true", datatype=XSD.boolean)),
]


def test_virtuoso_shaped_results_are_read_term_by_term() -> None:
    result = read_xml_results(VIRTUOSO_SHAPED.encode(), SOURCE)
    assert result.type == "SELECT"
    assert result.vars == [Variable("thing"), Variable("value")]
    rows = [tuple(row) for row in result]
    assert rows == EXPECTED_ROWS
    # Equal is not enough for literals: the datatype and the language tag must be the ones written.
    for row, expected in zip(rows, EXPECTED_ROWS, strict=True):
        for found, wanted in zip(row, expected, strict=True):
            assert type(found) is type(wanted)
            if isinstance(wanted, Literal):
                assert isinstance(found, Literal)
                assert (found.datatype, found.language) == (wanted.datatype, wanted.language)


def test_a_term_that_recurs_is_made_once() -> None:
    rows = list(read_xml_results(VIRTUOSO_SHAPED.encode(), SOURCE))
    assert rows[0][0] is rows[3][0]


def test_an_ask_answer_and_an_empty_table() -> None:
    namespace = "http://www.w3.org/2005/sparql-results#"
    yes = read_xml_results(f'<sparql xmlns="{namespace}"><head/><boolean> true </boolean></sparql>'.encode(), SOURCE)
    no = read_xml_results(f'<sparql xmlns="{namespace}"><head/><boolean>false</boolean></sparql>'.encode(), SOURCE)
    assert (yes.type, yes.askAnswer, no.askAnswer) == ("ASK", True, False)
    empty = read_xml_results(
        f'<sparql xmlns="{namespace}"><head><variable name="x"/></head><results/></sparql>'.encode(), SOURCE
    )
    assert (empty.type, empty.vars, list(empty)) == ("SELECT", [Variable("x")], [])


def _broken(line_five: str) -> bytes:
    """A results document whose fifth line is ``line_five``."""
    return (
        '<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n'
        ' <head><variable name="x"/></head>\n'
        " <results>\n"
        "  <result>\n"
        f"{line_five}\n"
        "  </result>\n"
        " </results>\n"
        "</sparql>\n"
    ).encode()


@pytest.mark.parametrize(
    ("line_five", "reason"),
    [
        (
            '<binding name="y"><uri>http://example.org/a</uri></binding>',
            "a binding of 'y', which the head does not name",
        ),
        ('<binding name="x"><uri>a</uri><uri>b</uri></binding>', "holds more than one term"),
        ('<binding name="x"></binding>', "holds no term"),
        ('<binding name="x"><uri>a</uri></binding><binding name="x"><uri>b</uri></binding>', "bound twice"),
        ('<binding name="x"><literal datatype="http://e/t" xml:lang="en">a</literal></binding>', "both a datatype"),
        ('<binding name="x"><literal xml:lang="not a tag!">a</literal></binding>', "language"),
        ('<binding name="x"><iri>http://example.org/a</iri></binding>', "is not expected inside <binding>"),
        ('<binding name="x" xmlns="http://example.org/other#"><uri>a</uri></binding>', "is not expected"),
        ("<binding><uri>a</uri></binding>", "without its name attribute"),
        ("stray text", "outside any value"),
        ('<binding name="x"><uri>a</binding>', "mismatched tag"),
    ],
)
def test_malformed_results_raise_a_store_error_naming_the_line(line_five: str, reason: str) -> None:
    with pytest.raises(StoreError) as raised:
        read_xml_results(_broken(line_five), SOURCE)
    message = str(raised.value)
    assert message.startswith(f"{SOURCE}: answered malformed SPARQL results XML, line 5")
    assert reason in message


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b'<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head/>\n<results>', "line 3: no element found"),
        (b'<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head/>\n</sparql>', "line 3: neither results"),
        (
            b'<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<boolean>maybe</boolean></sparql>',
            "line 2: a bool",
        ),
        (b"<html><body>Service unavailable</body></html>", "line 1: <html> is not expected as the document"),
        (b"", "line 1: no element found"),
        # Entity expansion ("billion laughs") never starts: a DOCTYPE is refused where it stands.
        (
            b'<?xml version="1.0"?>\n<!DOCTYPE sparql [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>\n'
            b'<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/><boolean>&b;</boolean></sparql>',
            "line 2: a DOCTYPE",
        ),
    ],
)
def test_documents_that_are_not_results_are_refused(body: bytes, reason: str) -> None:
    with pytest.raises(StoreError, match=reason):
        read_xml_results(body, SOURCE)


def test_an_answer_in_another_results_format_is_read_by_its_media_type() -> None:
    bindings = [{"x": {"type": "literal", "value": "b", "xml:lang": "en"}}, {"y": {"type": "bnode", "value": "n1"}}]
    body = json.dumps({"head": {"vars": ["x", "y"]}, "results": {"bindings": bindings}}).encode()
    result = read_results(body, RESULTS_JSON, SOURCE)
    assert [tuple(row) for row in result] == [(Literal("b", lang="en"), None), (None, BNode("n1"))]
    with pytest.raises(StoreError, match=r"answered 'text/html', which is not a SPARQL results format"):
        read_results(b"<html></html>", "text/html", SOURCE)


VIRTUOSO_ASK_HEAD = """\
<sparql xmlns="http://www.w3.org/2005/sparql-results#">
 <head>
  <variable name="__ASK_RETVAL"/>
 </head>
 <results distinct="false" ordered="true">
{rows} </results>
</sparql>
"""
ASK_ROW = """  <result>
   <binding name="__ASK_RETVAL"><literal datatype="http://www.w3.org/2001/XMLSchema#integer">{value}</literal></binding>
  </result>
"""


@pytest.mark.parametrize(("rows", "answer"), [("", False), (ASK_ROW.format(value=1), True)])
def test_virtuosos_table_answer_to_an_ask_is_read_as_yes_or_no(rows: str, answer: bool) -> None:
    body = VIRTUOSO_ASK_HEAD.format(rows=rows).encode()
    result = read_results(body, RESULTS_XML, SOURCE, "ASK")
    assert (result.type, result.askAnswer) == ("ASK", answer)
    assert read_results(body, RESULTS_XML, SOURCE, "SELECT").vars == [Variable("__ASK_RETVAL")]  # only for an ASK


@pytest.mark.parametrize("rows", [ASK_ROW.format(value=2), ASK_ROW.format(value=1) * 2], ids=["not 0 or 1", "two rows"])
def test_an_ask_answered_by_any_other_table_is_refused(rows: str) -> None:
    with pytest.raises(StoreError, match=r"answered an ASK with a table, not a yes or no"):
        read_results(VIRTUOSO_ASK_HEAD.format(rows=rows).encode(), RESULTS_XML, SOURCE, "ASK")
    with pytest.raises(StoreError, match=r"answered an ASK with a table, not a yes or no"):
        read_results(VIRTUOSO_SHAPED.encode(), RESULTS_XML, SOURCE, "ASK")


GRAPH_TRIPLES = [
    (URIRef(EX + "trust/ZZ1"), URIRef(EX + "name"), Literal('q"uote\\back\nnl caf\u00e9', lang="en")),
    (URIRef(EX + "trust/ZZ1"), URIRef(EX + "count"), Literal("42", datatype=XSD.integer)),
]
N_TRIPLES = f"""\
<{EX}trust/ZZ1>\t<{EX}name>\t"q\\"uote\\\\back\\nnl caf\\u00E9"@en .
<{EX}trust/ZZ1> <{EX}count> "42"^^<http://www.w3.org/2001/XMLSchema#integer> .
"""
TURTLE = f"""\
@prefix ex: <{EX}> .
ex:trust\\/ZZ1 ex:name "q\\"uote\\\\back\\nnl caf\u00e9"@en ; ex:count 42 .
"""


@pytest.mark.parametrize("form", ["CONSTRUCT", "DESCRIBE"])
@pytest.mark.parametrize(("body", "media_type"), [(N_TRIPLES, "application/n-triples"), (TURTLE, "text/turtle")])
def test_a_graph_answer_is_read_into_the_results_graph(body: str, media_type: str, form: str) -> None:
    result = read_results(body.encode(), media_type, SOURCE, form)
    assert result.type == "CONSTRUCT"
    assert result.graph is not None
    assert sorted(result.graph) == sorted(GRAPH_TRIPLES)


def test_a_graph_answer_that_does_not_fit_the_query_or_its_format_is_refused() -> None:
    with pytest.raises(StoreError, match=r"answered a SELECT query with a graph \(application/n-triples\)"):
        read_results(N_TRIPLES.encode(), "application/n-triples", SOURCE, "SELECT")
    with pytest.raises(StoreError, match=r"answered a malformed application/n-triples graph"):
        read_results(b"<unclosed <p> <o> .\n", "application/n-triples", SOURCE, "CONSTRUCT")
    with pytest.raises(StoreError, match=r"answered a CONSTRUCT query with a results table, not a graph"):
        read_results(VIRTUOSO_SHAPED.encode(), RESULTS_XML, SOURCE, "CONSTRUCT")


class _JsonOnlyEndpoint(http.server.BaseHTTPRequestHandler):
    """An endpoint that offers no XML: whatever is asked, it answers results JSON (or ASK JSON) and notes the
    Accept header it was sent."""

    asked: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        path, _, query = self.path.partition("?")
        self._answer(path, query)

    def do_POST(self) -> None:
        self._answer(self.path, self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode())

    def _answer(self, path: str, form: str) -> None:
        if path != "/sparql":
            self.send_error(404, "no endpoint here")
            return
        self.asked.append(self.headers.get("Accept", ""))
        answer: dict[str, object] = (
            {"head": {}, "boolean": True}
            if "ASK" in form
            else {"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "uri", "value": EX + "one"}}]}}
        )
        send(self, 200, RESULTS_JSON, json.dumps(answer).encode())

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def json_only_endpoint() -> Iterator[str]:
    _JsonOnlyEndpoint.asked.clear()
    with serving(_JsonOnlyEndpoint) as port:
        yield f"http://127.0.0.1:{port}/sparql"


def test_the_remote_store_prefers_a_result_set_for_a_select_and_reads_json_when_that_is_what_comes(
    json_only_endpoint: str,
) -> None:
    graph = api.open_graph(store_name=json_only_endpoint)
    table = api.sparql(graph, "# a comment first\nPREFIX ex: <http://example.org/>\nselect ?x WHERE { ?x ?p ?o }")
    assert table.rows == [(URIRef(EX + "one"),)]
    assert api.run_sparql(graph, "ASK { ?s ?p ?o }") == AskResult(True)
    select_accept, ask_accept = _JsonOnlyEndpoint.asked
    assert select_accept == f"application/n-triples, {RESULTS_XML};q=0.9, {RESULTS_JSON};q=0.8"
    assert ask_accept == f"{RESULTS_XML}, {RESULTS_JSON};q=0.9"  # an ASK's answer is a results document


def test_an_endpoint_that_refuses_a_query_gives_a_query_error(json_only_endpoint: str) -> None:
    graph = api.open_graph(store_name=json_only_endpoint.replace("/sparql", "/nowhere"))
    with pytest.raises(QueryError, match=r"answered HTTP 404: .*no endpoint here"):
        api.sparql(graph, "SELECT ?x WHERE { ?x ?p ?o }")


def test_an_endpoint_nobody_answers_at_gives_a_query_error_naming_it() -> None:
    with socket.socket() as probe:  # a port just free on loopback: nothing listens there
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    endpoint = f"http://127.0.0.1:{port}/sparql"
    with pytest.raises(QueryError, match=rf"the query failed: {re.escape(endpoint)} could not be reached: .*refused"):
        api.sparql(api.open_graph(store_name=endpoint), "SELECT ?x WHERE { ?x ?p ?o }")


RS = "http://www.w3.org/2005/sparql-results#"
#: Rows like VIRTUOSO_SHAPED's, with a double (which Virtuoso's Turtle would write as a bare decimal) and a carriage
#: return kept, as Virtuoso 7.2 writes a result set in N-Triples: its first line (not N-Triples), the head, then
#: each solution's line and its bindings, three lines each in one order. That layout is read by a faster path.
VIRTUOSO_LAYOUT_NT = f"""\
_:ResultSet1 rdf:type <http://www.w3.org/1999/02/22-rdf-syntax-ns#res:ResultSet> .
_:ResultSet1 <{RS}resultVariable> "thing" .
_:ResultSet1 <{RS}resultVariable> "value" .
_:ResultSet1 <{RS}solution> _:ResultSet1r0 .
_:ResultSet1r0 <{RS}binding> _:ResultSet1r0c0 .
_:ResultSet1r0c0 <{RS}variable> "thing" .
_:ResultSet1r0c0 <{RS}value> <{EX}trust/ZZ1> .
_:ResultSet1r0 <{RS}binding> _:ResultSet1r0c1 .
_:ResultSet1r0c1 <{RS}variable> "value" .
_:ResultSet1r0c1 <{RS}value> "42"^^<http://www.w3.org/2001/XMLSchema#integer> .
_:ResultSet1 <{RS}solution> _:ResultSet1r1 .
_:ResultSet1r1 <{RS}binding> _:ResultSet1r1c1 .
_:ResultSet1r1c1 <{RS}variable> "value" .
_:ResultSet1r1c1 <{RS}value> "q\\"uote\\\\back\\nnl\\rcr caf\\u00E9 \\U0001F600"@en-GB .
_:ResultSet1 <{RS}solution> _:ResultSet1r2 .
_:ResultSet1 <{RS}solution> _:ResultSet1r3 .
_:ResultSet1r3 <{RS}binding> _:ResultSet1r3c0 .
_:ResultSet1r3c0 <{RS}variable> "thing" .
_:ResultSet1r3c0 <{RS}value> _:b10000 .
_:ResultSet1r3 <{RS}binding> _:ResultSet1r3c1 .
_:ResultSet1r3c1 <{RS}variable> "value" .
_:ResultSet1r3c1 <{RS}value> "1.0"^^<http://www.w3.org/2001/XMLSchema#double> .
_:ResultSet1 <{RS}solution> _:ResultSet1r4 .
_:ResultSet1r4 <{RS}binding> _:ResultSet1r4c1 .
_:ResultSet1r4c1 <{RS}variable> "value" .
_:ResultSet1r4c1 <{RS}value> "plain"^^<http://www.w3.org/2001/XMLSchema#string> .
"""
#: The same with one binding's lines in another order: read the general way, through Oxigraph's parser.
RESULT_SET_NT = VIRTUOSO_LAYOUT_NT.replace(
    f'_:ResultSet1r3c1 <{RS}variable> "value" .\n_:ResultSet1r3c1 <{RS}value> "1.0"^^<http://www.w3.org/2001/XMLSchema#double> .\n',
    f'_:ResultSet1r3c1 <{RS}value> "1.0"^^<http://www.w3.org/2001/XMLSchema#double> .\n_:ResultSet1r3c1 <{RS}variable> "value" .\n',
)
RESULT_SET_ROWS = [
    (URIRef(EX + "trust/ZZ1"), Literal("42", datatype=XSD.integer)),
    (None, Literal('q"uote\\back\nnl\rcr caf\u00e9 \U0001f600', lang="en-gb")),
    (None, None),
    (BNode("b10000"), Literal("1.0", datatype=XSD.double)),
    (None, Literal("plain")),
]


def test_a_result_set_in_n_triples_is_read_term_by_term_in_its_order() -> None:
    result = read_results(RESULT_SET_NT.encode(), "application/n-triples", SOURCE)
    assert result.vars == [Variable("thing"), Variable("value")]
    assert [tuple(row.get(variable) for variable in result.vars) for row in result.bindings] == RESULT_SET_ROWS
    # Numbered solutions (as other endpoints write them) come in the order of their numbers, not of the text.
    typed = f"_:ResultSet1 <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{RS}ResultSet> .\n"
    numbered = typed + RESULT_SET_NT.split("\n", 1)[1]
    numbers = "".join(
        f'_:ResultSet1r{row} <{RS}index> "{5 - row}"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
        for row in range(5)
    )
    reversed_rows = read_results((numbered + numbers).encode(), "application/n-triples", SOURCE)
    assert [
        tuple(row.get(variable) for variable in reversed_rows.vars) for row in reversed_rows.bindings
    ] == RESULT_SET_ROWS[::-1]


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ((f"<{RS}binding> _:ResultSet1r3c0", f"<{RS}binding> _:ResultSet1r0c0"), "in two solutions"),
        (
            (f'<{RS}variable> "value" .\n_:ResultSet1r4', f'<{RS}variable> "other" .\n_:ResultSet1r4'),
            "'other', which the head does not name",
        ),
        ((f"_:ResultSet1r3c1 <{RS}variable>", f"_:ResultSet1r3c9 <{RS}variable>"), "without its variable or value"),
        (
            (f'_:ResultSet1r0c1 <{RS}variable> "value"', f'_:ResultSet1r0c1 <{RS}variable> "thing"'),
            "bound twice in one solution",
        ),
        (
            (f'<{RS}resultVariable> "value"', f"<{RS}resultVariable> <{EX}value>"),
            "named by something other than a string",
        ),
        (
            (f"_:ResultSet1 <{RS}solution> _:ResultSet1r2", f"_:Other <{RS}solution> _:ResultSet1r2"),
            "something other than the result set",
        ),
        ((f"<{RS}binding> _:ResultSet1r4c1", f"<{EX}binding> _:ResultSet1r4c1"), "which result sets do not have"),
        (("_:ResultSet1 rdf:type", "_:ResultSet1 <http://example.org/fictional/p>"), "which result sets do not have"),
        (
            (
                "#res:ResultSet> .\n",
                "#res:ResultSet> .\n_:ResultSet1 <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/2005/sparql-results#ResultSet> .\n_:R2 <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/2005/sparql-results#ResultSet> .\n",
            ),
            "3 result sets, not one",
        ),
    ],
)
def test_a_graph_that_is_not_a_result_set_is_refused(change: tuple[str, str], reason: str) -> None:
    assert change[0] in RESULT_SET_NT
    with pytest.raises(StoreError) as raised:
        read_results(RESULT_SET_NT.replace(*change, 1).encode(), "application/n-triples", SOURCE)
    message = str(raised.value)
    assert message.startswith(f"{SOURCE}: answered a SELECT query with a graph (application/n-triples) that is not")
    assert reason in message


def test_virtuosos_broken_first_line_is_read_only_where_it_stands() -> None:
    # Anywhere but first, the line is what it is: not N-Triples.
    first, rest = RESULT_SET_NT.split("\n", 1)
    with pytest.raises(StoreError, match=r"answered a malformed application/n-triples graph: .*line 2"):
        read_results(f"{rest.splitlines()[0]}\n{first}\n{rest}".encode(), "application/n-triples", SOURCE)
    # A datatype without its brackets, as Virtuoso 7.2 sometimes writes one, is refused, not guessed at.
    unbracketed = RESULT_SET_NT.replace(
        "^^<http://www.w3.org/2001/XMLSchema#string>", "^^http://www.w3.org/2001/XMLSchema#string"
    )
    with pytest.raises(StoreError, match=r"answered a malformed application/n-triples graph"):
        read_results(unbracketed.encode(), "application/n-triples", SOURCE)


class _BrokenNTriplesEndpoint(http.server.BaseHTTPRequestHandler):
    """Answers a SELECT asked in N-Triples first with Virtuoso 7.2's occasional unbracketed datatype, and results
    XML when asked for that; notes each Accept header it was sent."""

    asked: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self._answer()

    def _answer(self) -> None:
        accept = self.headers.get("Accept", "")
        self.asked.append(accept)
        broken = RESULT_SET_NT.replace(
            "^^<http://www.w3.org/2001/XMLSchema#string>", "^^http://www.w3.org/2001/XMLSchema#string"
        )
        media_type, body = (
            ("application/n-triples", broken)
            if accept.startswith("application/n-triples")
            else (RESULTS_XML, VIRTUOSO_SHAPED)
        )
        send(self, 200, media_type, body.encode())

    def log_message(self, format: str, *args: object) -> None:
        return


def test_a_select_whose_n_triples_do_not_parse_is_asked_again_in_xml() -> None:
    _BrokenNTriplesEndpoint.asked.clear()
    with serving(_BrokenNTriplesEndpoint) as port:
        graph = api.open_graph(store_name=f"http://127.0.0.1:{port}/sparql")
        table = api.sparql(graph, "SELECT ?thing ?value WHERE { ?thing ?p ?value }")
    assert table.rows == EXPECTED_ROWS
    assert [accept.split(",")[0] for accept in _BrokenNTriplesEndpoint.asked] == ["application/n-triples", RESULTS_XML]


def _table(body: str) -> tuple[list[Variable], list[tuple[object, ...]]]:
    result = read_results(body.encode(), "application/n-triples", SOURCE)
    return result.vars, [tuple(row.get(variable) for variable in result.vars) for row in result.bindings]


def test_virtuosos_layout_is_read_as_any_other_result_set() -> None:
    assert RESULT_SET_NT != VIRTUOSO_LAYOUT_NT
    # With its first line written as N-Triples, the same result set is read the general way.
    general = f"_:ResultSet1 <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{RS}ResultSet> .\n"
    rest = VIRTUOSO_LAYOUT_NT.split("\n", 1)[1]
    assert (
        _table(VIRTUOSO_LAYOUT_NT)
        == _table(general + rest)
        == ([Variable("thing"), Variable("value")], RESULT_SET_ROWS)
    )
    for found, expected in zip(_table(VIRTUOSO_LAYOUT_NT)[1], RESULT_SET_ROWS, strict=True):
        assert [(type(term), getattr(term, "datatype", None), getattr(term, "language", None)) for term in found] == [
            (type(term), getattr(term, "datatype", None), getattr(term, "language", None)) for term in expected
        ]


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (
            (f'_:ResultSet1r4c1 <{RS}variable> "value"', f'_:ResultSet1r4c1 <{RS}variable> "other"'),
            "which the head does not name",
        ),
        (
            (f'_:ResultSet1r0c1 <{RS}variable> "value"', f'_:ResultSet1r0c1 <{RS}variable> "thing"'),
            "bound twice in one solution",
        ),
        (("_:ResultSet1 <", "_:Other <"), "something other than the result set"),
        (("caf\\u00E9", "caf\\uD800"), "not a valid unicode character"),
        (("@en-GB", "@not a tag"), "malformed application/n-triples"),
    ],
)
def test_virtuosos_layout_is_refused_as_any_other_when_malformed(change: tuple[str, str], reason: str) -> None:
    assert change[0] in VIRTUOSO_LAYOUT_NT
    with pytest.raises(StoreError, match=reason):
        read_results(VIRTUOSO_LAYOUT_NT.replace(*change, 1).encode(), "application/n-triples", SOURCE)
