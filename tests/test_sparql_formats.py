"""The W3C result formats, compared with outputs written by hand from the specifications' rules, on a
tiny FICTIONAL graph (tests/fixtures/formats/tiny.ttl) queried in each store: both stores must give
the same bytes. rdflib's own result parsers read every output back as a second, independent check."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.query import Result

from trustkg.errors import QueryError
from trustkg.sparql_formats import (
    ASK_FORMATS,
    GRAPH_FORMATS,
    SELECT_FORMATS,
    write_ask,
    write_graph,
    write_result,
    write_select,
)
from trustkg.store import local_stores, new_graph

TINY = Path(__file__).resolve().parent / "fixtures" / "formats" / "tiny.ttl"
XSD = "http://www.w3.org/2001/XMLSchema#"
EX = "http://example.org/"

SELECT = """
PREFIX ex: <http://example.org/>
SELECT ?trust ?name ?beds ?note WHERE {
  ?trust ex:name ?name .
  OPTIONAL { ?trust ex:beds ?beds }
  OPTIONAL { ?trust ex:note ?note }
} ORDER BY ?trust
"""
NOTE = 'plain, with "quotes"\nand a\ttab'

EXPECTED_JSON = {
    "head": {"vars": ["trust", "name", "beds", "note"]},
    "results": {
        "bindings": [
            {
                "trust": {"type": "uri", "value": EX + "zz1"},
                "name": {"type": "literal", "value": "Fictional One", "xml:lang": "en"},
                "beds": {"type": "literal", "value": "120", "datatype": XSD + "integer"},
                "note": {"type": "literal", "value": NOTE},
            },
            {
                "trust": {"type": "uri", "value": EX + "zz2"},
                "name": {"type": "literal", "value": "Fictional Two"},
            },
            {
                "trust": {"type": "uri", "value": EX + "zz3"},
                "name": {"type": "literal", "value": "Trois", "xml:lang": "fr"},
                "beds": {"type": "literal", "value": "12.5", "datatype": XSD + "decimal"},
            },
        ]
    },
}

EXPECTED_XML = f"""<?xml version="1.0" encoding="UTF-8"?>
<sparql xmlns="http://www.w3.org/2005/sparql-results#">
  <head>
    <variable name="trust"/>
    <variable name="name"/>
    <variable name="beds"/>
    <variable name="note"/>
  </head>
  <results>
    <result>
      <binding name="trust"><uri>{EX}zz1</uri></binding>
      <binding name="name"><literal xml:lang="en">Fictional One</literal></binding>
      <binding name="beds"><literal datatype="{XSD}integer">120</literal></binding>
      <binding name="note"><literal>{NOTE}</literal></binding>
    </result>
    <result>
      <binding name="trust"><uri>{EX}zz2</uri></binding>
      <binding name="name"><literal>Fictional Two</literal></binding>
    </result>
    <result>
      <binding name="trust"><uri>{EX}zz3</uri></binding>
      <binding name="name"><literal xml:lang="fr">Trois</literal></binding>
      <binding name="beds"><literal datatype="{XSD}decimal">12.5</literal></binding>
    </result>
  </results>
</sparql>
"""

# CSV: CRLF after every line, lexical forms only, RFC 4180 quoting, unbound as an empty field.
EXPECTED_CSV = (
    "trust,name,beds,note\r\n"
    f'{EX}zz1,Fictional One,120,"plain, with ""quotes""\nand a\ttab"\r\n'
    f"{EX}zz2,Fictional Two,,\r\n"
    f"{EX}zz3,Trois,12.5,\r\n"
)

# TSV: ?-named header, terms as in Turtle, tab/newline/quote escaped inside strings, LF line ends.
EXPECTED_TSV = (
    "?trust\t?name\t?beds\t?note\n"
    f'<{EX}zz1>\t"Fictional One"@en\t"120"^^<{XSD}integer>\t"plain, with \\"quotes\\"\\nand a\\ttab"\n'
    f'<{EX}zz2>\t"Fictional Two"\t\t\n'
    f'<{EX}zz3>\t"Trois"@fr\t"12.5"^^<{XSD}decimal>\t\n'
)


@pytest.fixture(scope="module", params=local_stores())
def tiny(request: pytest.FixtureRequest) -> Graph:
    graph = new_graph(request.param)
    graph.parse(TINY, format="turtle")
    return graph


def select(graph: Graph, format_name: str) -> str:
    return write_result(graph.query(SELECT), format_name)


def check_results_json_shape(document: object) -> None:
    """The shape of https://www.w3.org/TR/sparql11-results-json/: fails on any key the spec does not define."""
    assert isinstance(document, dict)
    assert isinstance(document["head"], dict)
    if "boolean" in document:
        assert set(document) == {"head", "boolean"}
        assert isinstance(document["boolean"], bool)
        assert set(document["head"]) <= {"link"}
        return
    assert set(document) == {"head", "results"}
    assert set(document["head"]) <= {"vars", "link"}
    variables = document["head"]["vars"]
    assert isinstance(variables, list)
    assert all(isinstance(name, str) and not name.startswith("?") for name in variables)
    assert set(document["results"]) == {"bindings"}
    for binding in document["results"]["bindings"]:
        assert set(binding) <= set(variables)
        for term in binding.values():
            assert isinstance(term["value"], str)
            if term["type"] in ("uri", "bnode"):
                assert set(term) == {"type", "value"}
            else:
                assert term["type"] == "literal"
                assert set(term) in ({"type", "value"}, {"type", "value", "xml:lang"}, {"type", "value", "datatype"})


def test_sparql_json(tiny: Graph) -> None:
    document = json.loads(select(tiny, "sparql-json"))
    check_results_json_shape(document)
    assert document == EXPECTED_JSON


def test_sparql_xml(tiny: Graph) -> None:
    assert select(tiny, "sparql-xml") == EXPECTED_XML


def test_sparql_csv(tiny: Graph) -> None:
    assert select(tiny, "sparql-csv") == EXPECTED_CSV


def test_tsv(tiny: Graph) -> None:
    assert select(tiny, "tsv") == EXPECTED_TSV


def test_excel_csv_is_the_csv_behind_a_byte_order_mark(tiny: Graph) -> None:
    written = select(tiny, "excel-csv").encode("utf-8")
    assert written == b"\xef\xbb\xbf" + EXPECTED_CSV.encode("utf-8")


@pytest.mark.parametrize("format_name", ["sparql-json", "sparql-xml", "tsv"])
def test_rdflib_reads_back_the_same_terms(tiny: Graph, format_name: str) -> None:
    original = tiny.query(SELECT)
    rdflib_format = {"sparql-json": "json", "sparql-xml": "xml", "tsv": "tsv"}[format_name]
    read = Result.parse(io.StringIO(select(tiny, format_name)), format=rdflib_format)
    assert [str(variable) for variable in read.vars or ()] == ["trust", "name", "beds", "note"]
    # xsd:string and the simple literal are one thing in RDF 1.1; the formats write the simple form.
    simple = [tuple(None if c is None else _simple(c) for c in row) for row in original]
    assert [tuple(row) for row in read] == simple


def _simple(term: object) -> object:
    if isinstance(term, Literal) and str(term.datatype) == XSD + "string":
        return Literal(str(term))
    return term


def test_blank_nodes_and_line_breaks_in_each_format() -> None:
    rows = [(BNode("b0"), Literal("one\r\ntwo"))]
    assert write_select(["node", "text"], rows, "sparql-csv") == 'node,text\r\n_:b0,"one\r\ntwo"\r\n'
    assert write_select(["node", "text"], rows, "tsv") == '?node\t?text\n_:b0\t"one\\r\\ntwo"\n'
    assert json.loads(write_select(["node", "text"], rows, "sparql-json"))["results"]["bindings"] == [
        {"node": {"type": "bnode", "value": "b0"}, "text": {"type": "literal", "value": "one\r\ntwo"}}
    ]
    xml = write_select(["node", "text"], rows, "sparql-xml")
    assert '<binding name="node"><bnode>b0</bnode></binding>' in xml
    assert '<binding name="text"><literal>one&#13;\ntwo</literal></binding>' in xml
    read = Result.parse(io.StringIO(xml), format="xml")
    assert [tuple(row) for row in read] == [(BNode("b0"), Literal("one\r\ntwo"))]


def test_markup_in_values_is_escaped_in_xml() -> None:
    rows = [(URIRef(EX + "a?b=1&c=2"), Literal("<b>bold</b> & more", lang="en-GB"))]
    xml = write_select(["page", "text"], rows, "sparql-xml")
    assert f"<uri>{EX}a?b=1&amp;c=2</uri>" in xml
    assert '<literal xml:lang="en-GB">&lt;b&gt;bold&lt;/b&gt; &amp; more</literal>' in xml


def test_an_empty_answer_keeps_its_header() -> None:
    assert write_select(["a", "b"], [], "sparql-csv") == "a,b\r\n"
    assert write_select(["a", "b"], [], "tsv") == "?a\t?b\n"
    assert json.loads(write_select(["a", "b"], [], "sparql-json")) == {
        "head": {"vars": ["a", "b"]},
        "results": {"bindings": []},
    }


def test_ask(tiny: Graph) -> None:
    yes = tiny.query("ASK { ?trust <http://example.org/beds> 120 }")
    no = tiny.query("ASK { ?trust <http://example.org/beds> 121 }")
    for answer, result in ((True, yes), (False, no)):
        document = json.loads(write_result(result, "sparql-json"))
        check_results_json_shape(document)
        assert document == {"head": {}, "boolean": answer}
        assert write_result(result, "sparql-xml") == (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n'
            "  <head>\n"
            "  </head>\n"
            f"  <boolean>{'true' if answer else 'false'}</boolean>\n"
            "</sparql>\n"
        )
        assert Result.parse(io.StringIO(write_result(result, "sparql-xml")), format="xml").askAnswer is answer


@pytest.mark.parametrize("format_name", ["sparql-csv", "tsv", "excel-csv"])
def test_ask_has_no_csv_or_tsv_form(format_name: str) -> None:
    assert format_name not in ASK_FORMATS
    with pytest.raises(QueryError, match="SELECT only"):
        write_ask(True, format_name)


CONSTRUCTED = f"""
<{EX}zz1> <{EX}label> "Fictional One"@en .
<{EX}zz2> <{EX}label> "Fictional Two" .
<{EX}zz3> <{EX}label> "Trois"@fr .
"""


# rdflib's own JSON-LD parser warns about its internals; the warning says nothing about our output.
@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
@pytest.mark.parametrize("format_name", sorted(GRAPH_FORMATS))
def test_construct_in_each_graph_format(tiny: Graph, format_name: str) -> None:
    result = tiny.query("CONSTRUCT { ?t <http://example.org/label> ?n } WHERE { ?t <http://example.org/name> ?n }")
    written = write_result(result, format_name)
    rdflib_format = {"turtle": "turtle", "ntriples": "nt", "json-ld": "json-ld"}[format_name]
    assert isomorphic(Graph().parse(data=written, format=rdflib_format), Graph().parse(data=CONSTRUCTED, format="nt"))


def test_describe_is_a_graph(tiny: Graph) -> None:
    written = write_result(tiny.query("DESCRIBE <http://example.org/zz2>"), "ntriples")
    assert (URIRef(EX + "zz2"), URIRef(EX + "name"), Literal("Fictional Two")) in Graph().parse(
        data=written, format="nt"
    )


def test_a_select_answer_cannot_be_turtle_nor_a_graph_a_table() -> None:
    with pytest.raises(QueryError, match="formats: sparql-json"):
        write_select(["a"], [], "turtle")
    with pytest.raises(QueryError, match="formats: turtle"):
        write_graph(Graph(), "sparql-json")


def test_media_types_are_the_registered_ones() -> None:
    assert SELECT_FORMATS["sparql-json"].media_type == "application/sparql-results+json"
    assert SELECT_FORMATS["sparql-xml"].media_type == "application/sparql-results+xml"
    assert SELECT_FORMATS["sparql-csv"].media_type.startswith("text/csv")
    assert SELECT_FORMATS["tsv"].media_type.startswith("text/tab-separated-values")
    assert GRAPH_FORMATS["ntriples"].media_type == "application/n-triples"
