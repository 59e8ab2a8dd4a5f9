"""The build's N-Triples, written as text: every value from the input stays data, and the text is the graph.

The case-file edits here put FICTIONAL, deliberately awkward text into a copy of the fixture case base.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDFS, XSD, BNode, Graph, Literal
from rdflib.compare import isomorphic

from tests.case_edits import edit
from tests.conftest import FIXTURE_DIR
from tests.test_build import rdf11
from trustkg import api, iris, ntriples
from trustkg.ontology import TKG, schema_graph
from trustkg.store import load_graph, local_stores

#: Text that N-Triples must escape, or that looks like its syntax, or that a careless writer would mangle.
AWKWARD = (
    "plain",
    "",
    'Said "with" staff',
    'a back\\slash, \\" and \\n written out',
    "ends with a backslash\\",
    "two\nlines\r\nand a\ttab",
    "ünïcödé “curly” — 😀 ≠ ASCII",
    '<http://example.org/not-an-iri> "x" . _:b0 @en ^^<http://example.org/t>',
    "\\u0041 is not A, \\U0001F600 is not a face",
)
_S, _P = "<http://example.org/s>", "<http://example.org/p>"


def _object_read_by_both(term_text: str) -> tuple[ox.Term, Literal]:
    """The object of one triple with ``term_text`` as its object, as Oxigraph reads it and as rdflib does."""
    line = f"{_S} {_P} {term_text} .\n"
    (quad,) = ox.parse(line.encode(), format=ox.RdfFormat.N_TRIPLES)
    (rdflib_object,) = Graph().parse(data=line, format="nt").objects()
    assert isinstance(rdflib_object, Literal)
    return quad.object, rdflib_object


@pytest.mark.parametrize("text", AWKWARD)
def test_a_literal_reads_back_as_its_text_in_both_parsers(text: str) -> None:
    assert _object_read_by_both(ntriples.quoted(text)) == (ox.Literal(text), Literal(text))
    tagged = ox.Literal(text, language="en"), Literal(text, lang="en")
    assert _object_read_by_both(ntriples.language_tagged(text, "en")) == tagged
    typed = ox.Literal(text, datatype=ox.NamedNode(str(XSD.token))), Literal(text, datatype=XSD.token)
    assert _object_read_by_both(ntriples.typed(text, str(XSD.token))) == typed


@pytest.mark.parametrize("bad", [" ", "<", ">", '"', "{", "}", "|", "^", "`", "\\", "\n", "\x00"])
def test_text_that_no_iri_holds_is_refused_not_written(bad: str) -> None:
    with pytest.raises(ValueError, match="is not an IRI"):
        ntriples.iri(f"http://example.org/a{bad}b")


def _awkward_case_base(case_dir: Path) -> tuple[str, str]:
    """Put awkward text into a label and a statement of the fixture's ZZ3 (YAML double-quoted escapes)."""
    cases = case_dir / "cases" / "ZZ3.yaml"
    label = 'Said "with" staff \\ not\nfor them\t“curly” 😀 <a> . _:b0 @en'
    edit(
        cases,
        "label: Values written with staff",
        r'label: "Said \"with\" staff \\ not\nfor them\t“curly” 😀 <a> . _:b0 @en"',
    )
    statement = '\\""\\n \\u0041 ends with a backslash\\'
    edit(
        cases,
        "statement: A nurse says the values were written with staff, not for them.",
        r'statement: "\\\"\"\\n \\u0041 ends with a backslash\\"',
    )
    return label, statement


@pytest.mark.parametrize("store_name", local_stores())
def test_awkward_text_from_a_case_file_is_data_in_the_store_and_the_written_file(
    store_name: str, case_dir: Path, tmp_path: Path
) -> None:
    label, statement = _awkward_case_base(case_dir)
    out = tmp_path / "out"
    graph = api.build_graph_from(case_dir, store_name, out_dir=out).graph
    action, item = iris.action("ZZ3", "c-values"), iris.evidence("ZZ3", "c-e1")
    written = load_graph(out / "trustkg.nt", "memory")  # rdflib's parser
    in_oxigraph = load_graph(out / "trustkg.nt", "oxigraph")
    for read in (graph, written, in_oxigraph):
        assert read.value(action, RDFS.label) == Literal(label, lang="en")
        assert read.value(item, TKG.statement) == Literal(statement, lang="en")
    assert isomorphic(rdf11(written), rdf11(graph))


def test_the_written_n_triples_are_the_same_bytes_in_another_process(tmp_path: Path) -> None:
    """Blank nodes are labelled in the order the schema files hold them, not by a parser's random IDs."""
    api.build_graph_from(FIXTURE_DIR, out_dir=tmp_path / "here")
    program = "import sys; from trustkg import api; api.build_graph_from(sys.argv[1], out_dir=sys.argv[2])"
    environment = {**os.environ, "PYTHONHASHSEED": "12345"}
    command = [sys.executable, "-c", program, str(FIXTURE_DIR), str(tmp_path / "there")]
    subprocess.run(command, check=True, env=environment, capture_output=True)
    here, there = ((tmp_path / name / "trustkg.nt").read_bytes() for name in ("here", "there"))
    assert here == there
    assert b"_:b0 " in here


def test_the_schema_is_in_the_build_as_rdflib_reads_it(tmp_path: Path) -> None:
    api.build_graph_from(FIXTURE_DIR, out_dir=tmp_path)
    written = Graph().parse(tmp_path / "trustkg.nt", format="nt")
    schema = schema_graph()

    def with_blank_nodes(graph: Graph) -> Graph:
        part = Graph()
        for triple in graph:
            if isinstance(triple[0], BNode) or isinstance(triple[2], BNode):
                part.add(triple)
        return part

    schema_blank = with_blank_nodes(schema)
    assert len(schema_blank) > 0
    # The records add no blank node: every triple with one is the schema's.
    assert isomorphic(with_blank_nodes(written), schema_blank)
    ground = {t for t in schema if not isinstance(t[0], BNode) and not isinstance(t[2], BNode)}
    simple = {
        (s, p, Literal(str(o)) if isinstance(o, Literal) and o.datatype == XSD.string else o) for s, p, o in ground
    }
    assert simple <= set(written)
