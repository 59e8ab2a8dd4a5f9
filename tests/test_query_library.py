"""The query library as a whole: every .rq file (found by glob), its header, and how queries are run.

A new file in queries/ is picked up here without being listed: it must parse, its header must be
complete, it must run on the fixture (with example values for its required parameters, from
EXAMPLES below) and return the columns its header promises.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import CliRun
from query_rows import LINK_COLUMNS
from rdflib import Graph, Literal

from trustkg import api
from trustkg.errors import QueryError
from trustkg.iris import local_name
from trustkg.loaders.yamlnodes import parse_partial_date
from trustkg.queries.library import PARAM_TYPE_NAMES, QUERY_DIR, library, parse_query_file
from trustkg.sparql import run_query
from trustkg.sparql.params import PARAM_TYPES

QUERY_FILES = sorted(QUERY_DIR.glob("*.rq"))

#: Values for every required parameter of every library query, chosen so that each returns rows on the
#: fixture. A query with a required parameter missing here fails test_every_query_runs_on_the_fixture.
EXAMPLES: dict[str, dict[str, str]] = {
    "evidence-for-link": {"action_type": "visible-leadership"},
    "trust-profile": {"trust": "ZZ1"},
    "compare-trusts": {"trust_a": "ZZ1", "trust_b": "ZZ4"},
    "search-evidence": {"text": "walk"},
}


def test_the_glob_finds_the_whole_library() -> None:
    # The twelve queries of the issue, and search-evidence; more may come, none may go.
    names = {path.stem for path in QUERY_FILES}
    assert names >= {
        "actions-to-outcomes",
        "outcome-to-actions",
        "evidence-for-link",
        "common-actions-of-improvers",
        "actions-before-rating-change",
        "theme-coverage",
        "theme-cooccurrence",
        "role-perspectives",
        "triangulated-actions",
        "trust-profile",
        "compare-trusts",
        "special-measures-exits",
        "rating-trajectories",
        "search-evidence",
    }
    assert set(library()) == names


def test_every_type_a_header_may_name_has_a_conversion() -> None:
    # The library (below trustkg.sparql) keeps the names; trustkg.sparql.params converts each.
    assert set(PARAM_TYPES) == PARAM_TYPE_NAMES


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda path: path.stem)
def test_every_header_is_complete(path: Path) -> None:
    query = parse_query_file(path)
    assert query.title and query.question.endswith((".", "?"))
    assert query.columns, "no # column: lines"
    body = "\n".join(line for line in query.sparql.splitlines() if not line.lstrip().startswith("#"))
    for parameter in query.parameters:
        assert parameter.type in PARAM_TYPES
        assert parameter.doc
        # Declared and used: the runner binds it as ?name in the query's outer group.
        assert re.search(rf"\?{parameter.name}\b", body), f"parameter {parameter.name} is never used"
    for column in query.columns:
        assert column.doc


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda path: path.stem)
def test_every_query_runs_on_the_fixture(path: Path, query_graph: Graph) -> None:
    query = parse_query_file(path)
    example = EXAMPLES.get(query.name, {})
    missing = [p.name for p in query.parameters if p.required and p.name not in example]
    assert not missing, f"add example values for {missing} to EXAMPLES in {Path(__file__).name}"
    table = run_query(query_graph, query, example)
    assert table.columns == [column.name for column in query.columns]
    assert len(table) > 0, "the example finds nothing on the fixture: choose values that do"


# --- the header parser ---------------------------------------------------------------------


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "probe.rq"
    path.write_text(text, encoding="utf-8")
    return path


def test_comment_lines_continue_the_field_before_them(tmp_path: Path) -> None:
    query = parse_query_file(
        _write(
            tmp_path,
            "# title: Probe\n# question: A question\n#   that goes on.\n"
            "# param: n (integer, default 2): a number\n#   described at length\n"
            "# column: n: the number\n#   again\nSELECT ?n WHERE { }\n",
        )
    )
    assert query.question == "A question that goes on."
    assert query.parameters[0].doc == "a number described at length"
    assert query.parameters[0].default == "2"
    assert query.columns[0].doc == "the number again"


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("# question: q?\n# column: x: x\n", "title: the header must give"),
        ("# title: t\n# column: x: x\n", "question: the header must give"),
        ("# title: t\n# question: q?\n", "column: the header must list the columns"),
        ("# title: t\n# question: q?\n# param: x (colour): a colour\n# column: x: x\n", "unknown type 'colour'"),
        ("# title: t\n# question: q?\n# param: x: no type\n# column: x: x\n", "param: expected 'NAME (TYPE"),
        ("# title: t\n# title: u\n# question: q?\n# column: x: x\n", "title: given twice"),
    ],
)
def test_a_bad_header_names_the_file_line_and_field(tmp_path: Path, header: str, message: str) -> None:
    path = _write(tmp_path, header + "SELECT ?x WHERE { }\n")
    with pytest.raises(QueryError, match=re.escape(message)) as raised:
        parse_query_file(path)
    assert str(raised.value).startswith(f"{path}:")


_HEAD = "# title: t\n# question: q?\n"


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (_HEAD + "# page: 0\n", "3: page: expected a positive whole number of rows, got '0'"),
        (_HEAD + "# page: -5\n", "3: page: expected a positive whole number of rows, got '-5'"),
        (_HEAD + "# page: ten\n", "3: page: expected a positive whole number of rows, got 'ten'"),
        (_HEAD + "# page: 2.5\n", "3: page: expected a positive whole number of rows, got '2.5'"),
        (_HEAD + "# page:\n", "3: page: expected a positive whole number of rows, got ''"),
        (_HEAD + "# page: 5\n# page: 5\n", "4: page: given twice"),
        (_HEAD + "# param: limit (integer): rows\n", "3: param: 'limit' is a caller's option (format, limit, offset)"),
        (_HEAD + "# column: x: x\n# param: offset (integer, optional): o\n", "4: param: 'offset' is a caller's"),
        (_HEAD + "# param: format (string, default csv): f\n", "3: param: 'format' is a caller's option"),
    ],
)
def test_a_bad_page_or_a_reserved_name_names_the_file_and_line(tmp_path: Path, header: str, message: str) -> None:
    path = _write(tmp_path, header + "# column: x: x\nSELECT ?x WHERE { } ORDER BY ?x\n")
    with pytest.raises(QueryError) as raised:
        parse_query_file(path)
    assert str(raised.value).startswith(f"{path}:{message}")


def test_a_page_is_a_number_of_rows_and_optional(tmp_path: Path) -> None:
    header = "# title: t\n# question: q?\n# column: x: x\n"
    assert parse_query_file(_write(tmp_path, header + "# page: 25\nSELECT ?x WHERE { } ORDER BY ?x\n")).page == 25
    assert parse_query_file(_write(tmp_path, header + "SELECT ?x WHERE { } ORDER BY ?x\n")).page is None
    assert library()["search-evidence"].page == 1000
    assert [name for name, query in library().items() if query.page is not None] == ["search-evidence"]


# --- parameters are data ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "hostile",
    [
        '"} DROP ALL ; INSERT DATA { <urn:x> <urn:y> <urn:z> } #',
        "'} } SELECT * WHERE { ?s ?p ?o } #",
        '"""\\" } UNION { ?evidence ?p ?o }',
        "{ } ) ( ?text",
    ],
)
def test_a_hostile_string_is_bound_as_data(query_graph: Graph, hostile: str) -> None:
    size = len(query_graph)
    table = api.query(query_graph, "search-evidence", text=hostile)
    assert len(table) == 0  # no statement contains that text, and nothing else was run
    assert len(query_graph) == size


def test_quotes_in_a_string_match_literally(query_graph: Graph) -> None:
    # b-e1: "A patient panel member says the chief executive's visits changed how the trust is led."
    table = api.query(query_graph, "search-evidence", text="EXECUTIVE'S visits")
    assert [local_name(cell) for cell in table.column("evidence")] == ["b-e1"]


# --- the trustkg query command ----------------------------------------------------------------

Cli = Callable[..., CliRun]


@pytest.fixture
def data(query_fixture_dir: Path) -> tuple[str, str]:
    """The --data option that points the command at the query fixture."""
    return ("--data", str(query_fixture_dir))


# outcome-to-actions with its default (rating-improved), worked out in test_queries.py.
OUTCOME_TO_ACTIONS = [
    ["Visible leadership", "6", "3", "4", "3", "3", "4", "6", "1", "Moderate"],
    ["Leadership replacement", "2", "2", "2", "2", "2", "2", "2", "0", "Moderate"],
    ["Quality improvement programme", "2", "2", "2", "2", "2", "2", "2", "1", "Moderate"],
]
HEADER = [name for name in LINK_COLUMNS if name != "outcome_type"]


def test_table_shows_labels_by_default(cli: Cli, data: tuple[str, str]) -> None:
    run = cli("query", "outcome-to-actions", *data)
    assert run.code == 0, run.err
    lines = run.out.splitlines()
    assert lines[0].split() == HEADER
    assert set(lines[1]) <= {"-", " "}
    assert [re.split(r"\s{2,}", line.strip()) for line in lines[2:5]] == OUTCOME_TO_ACTIONS
    assert lines[5] == "(3 rows)"
    assert "https://" not in run.out


def test_iris_on_request(cli: Cli, data: tuple[str, str]) -> None:
    run = cli("query", "outcome-to-actions", *data, "--iris", "--format", "csv")
    assert run.code == 0, run.err
    first = list(csv.reader(io.StringIO(run.out)))[1]
    assert first == [
        "https://w3id.org/trustkg/codebook/action/visible-leadership",
        *["6", "3", "4", "3", "3", "4", "6", "1"],
        "https://w3id.org/trustkg/vocab/support-grade/moderate",
    ]


def test_csv_json_and_markdown(cli: Cli, data: tuple[str, str]) -> None:
    as_csv = cli("query", "outcome-to-actions", *data, "-f", "csv").out
    assert list(csv.reader(io.StringIO(as_csv))) == [HEADER, *OUTCOME_TO_ACTIONS]

    as_json = json.loads(cli("query", "outcome-to-actions", *data, "-f", "json").out)
    assert as_json[0] == {
        "action_type": "Visible leadership",
        "evidence": 6,
        "trusts": 3,
        "roles": 4,
        "source_kinds": 3,
        "independent_sources": 3,
        "role_kinds": 4,
        "stated": 6,
        "contradictions": 1,
        "grade": "Moderate",
    }
    assert len(as_json) == 3

    as_md = cli("query", "outcome-to-actions", *data, "-f", "md").out.splitlines()
    assert as_md[0] == "| " + " | ".join(HEADER) + " |"
    assert as_md[1] == "| " + " | ".join(["---"] * len(HEADER)) + " |"
    assert as_md[2] == "| Visible leadership | 6 | 3 | 4 | 3 | 3 | 4 | 6 | 1 | Moderate |"
    assert len(as_md) == 5


def test_parameters_on_the_command_line(cli: Cli, data: tuple[str, str]) -> None:
    run = cli("query", "outcome-to-actions", *data, "-p", "outcome_type=rating-declined", "-f", "csv")
    assert run.code == 0, run.err
    assert list(csv.reader(io.StringIO(run.out))) == [
        HEADER,
        ["Staff listening", "1", "1", "1", "1", "1", "1", "1", "0", "Limited"],
    ]


def test_a_query_of_your_own_from_a_file_or_text(cli: Cli, data: tuple[str, str], tmp_path: Path) -> None:
    own = tmp_path / "trusts-by-type.rq"
    own.write_text(
        "# title: Trusts of a type\n# question: Which trusts are of one type?\n"
        "# param: kind (trust-type, default acute): the trust type\n# column: trust: the trust\n"
        "PREFIX tkg: <https://w3id.org/trustkg/def/>\n"
        "SELECT ?trust WHERE { ?trust tkg:trustType ?kind } ORDER BY ?trust\n",
        encoding="utf-8",
    )
    run = cli("query", str(own), *data, "-f", "csv", "--iris")
    assert run.out.splitlines()[1:] == [
        "https://w3id.org/trustkg/id/trust/ZZ1",
        "https://w3id.org/trustkg/id/trust/ZZ2",
    ]
    run = cli("query", str(own), *data, "-p", "kind=mental-health", "-f", "csv")
    assert run.out.splitlines() == ["trust", "Fixture Delta Mental Health NHS Trust"]
    text = "PREFIX tkg: <https://w3id.org/trustkg/def/> SELECT (COUNT(*) AS ?trusts) WHERE { ?t a tkg:Trust }"
    run = cli("query", "--sparql", text, *data, "-f", "csv")
    assert run.out.splitlines() == ["trusts", "4"]


# --- clear errors, exit code 2 ------------------------------------------------------------------


def test_unknown_query_lists_the_library(cli: Cli, data: tuple[str, str]) -> None:
    run = cli("query", "actions-to-outcome", *data)
    assert run.code == 2
    assert "unknown query 'actions-to-outcome'" in run.err
    assert all(name in run.err for name in ("actions-to-outcomes", "trust-profile", "special-measures-exits"))
    assert run.out == ""


def test_missing_required_parameter_says_what_is_expected(cli: Cli, data: tuple[str, str]) -> None:
    run = cli("query", "compare-trusts", *data, "-p", "trust_a=ZZ1")
    assert run.code == 2
    assert "needs trust_b" in run.err
    assert "trust_b (trust, required): the second trust" in run.err


@pytest.mark.parametrize(
    ("query", "param", "expected"),
    [
        ("actions-to-outcomes", "min_trusts=several", "'several' is not a whole number"),
        ("actions-to-outcomes", "theme=leadrship", "did you mean 'leadership'?"),
        ("actions-to-outcomes", "theme=leadrship", "known: cqc-engagement, cultural-change"),
        ("actions-to-outcomes", "trust=ZZ9", "unknown trust (ODS code) 'ZZ9'"),
        ("actions-to-outcomes", "trust=ZZ9", "known: ZZ1, ZZ2, ZZ3, ZZ4"),
        (
            "actions-to-outcomes",
            "colour=red",
            "has no parameter 'colour'; its parameters: theme, trust, role, min_trusts",
        ),
        ("outcome-to-actions", "outcome_type=better", "unknown outcome type 'better'"),
        ("common-actions-of-improvers", "key_question=kind", "unknown key question 'kind'"),
    ],
)
def test_a_bad_value_says_what_is_expected(
    cli: Cli, data: tuple[str, str], query: str, param: str, expected: str
) -> None:
    run = cli("query", query, *data, "-p", param)
    assert run.code == 2
    assert expected in run.err
    assert run.out == ""


def test_bad_param_syntax_and_bad_sparql(cli: Cli, data: tuple[str, str]) -> None:
    run = cli("query", "actions-to-outcomes", *data, "-p", "theme")
    assert (run.code, "--param takes NAME=VALUE" in run.err) == (2, True)
    run = cli("query", "--sparql", "SELECT ?x WHERE { ?x", *data)
    assert (run.code, "the query failed" in run.err) == (2, True)


# --- dates: one rule, the loader's ----------------------------------------------------------------

SINCE = (
    "# title: Inspections since a date\n# question: Which inspections started on or after a date?\n"
    "# param: since (date): the earliest start, YYYY, YYYY-MM or YYYY-MM-DD\n# column: start: the start\n"
    "PREFIX tkg: <https://w3id.org/trustkg/def/>\n"
    "SELECT DISTINCT ?start WHERE { ?i a tkg:Inspection ; tkg:startDate ?start FILTER(STR(?start) >= STR(?since)) }\n"
    "ORDER BY ?start\n"
)


@pytest.mark.parametrize("value", ["2015-13-45", "2015-02-30", "15-01", "2015-1-2", "2015/01"])
def test_a_date_parameter_is_as_strict_as_the_loader(
    cli: Cli, data: tuple[str, str], tmp_path: Path, value: str
) -> None:
    loader_says: list[str] = []
    assert parse_partial_date(value, loader_says.append) is None
    own = tmp_path / "since.rq"
    own.write_text(SINCE, encoding="utf-8")
    run = cli("query", str(own), *data, "-p", f"since={value}")
    assert run.code == 2
    assert run.err.strip() == f"trustkg: parameter since of 'since': {loader_says[0]}"
    assert run.out == ""


@pytest.mark.parametrize(("value", "bound"), [("2016", "2016"), ("2016-02", "2016-02"), ("2016-02-29", "2016-02-29")])
def test_a_partial_date_parameter_binds_its_iso_text(query_graph: Graph, value: str, bound: str) -> None:
    assert PARAM_TYPES["date"].convert(value, query_graph) == Literal(bound)


def test_a_query_file_edited_is_read_again(tmp_path: Path) -> None:
    # Headers are kept per text read: an edit, even one that keeps the file's size, is a new text.
    path = tmp_path / "edited.rq"
    header = "# title: {}\n# question: Which names? (a fictional query)\n# column: name: a name\n"
    path.write_text(header.format("First") + "SELECT ?name WHERE { ?s ?p ?name }\n", encoding="utf-8")
    assert parse_query_file(path).title == "First"
    path.write_text(header.format("Again") + "SELECT ?name WHERE { ?s ?q ?name }\n", encoding="utf-8")
    edited = parse_query_file(path)
    assert (edited.title, "?q" in edited.sparql) == ("Again", True)
    path.write_text("# title: Broken\nSELECT ?name WHERE { ?s ?p ?name }\n", encoding="utf-8")
    with pytest.raises(QueryError, match=r"edited\.rq:1: question: the header must give"):
        parse_query_file(path)
