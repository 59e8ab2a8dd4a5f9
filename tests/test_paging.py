"""Library queries read a page at a time: pages worked out by hand on the FICTIONAL fixtures, through the
Python API, the text other clients run, and the command exactly as typed. (serve's ``Link`` header is
tested in test_serve, the engines' agreement on a page in test_shared_store.)

``search-evidence`` for "says" on the query fixture (tests/fixtures/casebase plus queries-extra) finds
seven statements: "A patient panel member says" (b-e1), "The chair says" (b-e3), "A Healthwatch member
says" (d-e1), "A nurse says" (d-e3, d-e5, c-e1), "A non-executive says" (d-e4); "Staff say" (a-e2, a-e3,
b-e4) does not match. Rows are ordered by trust name (Fixture Beta ZZ2, Delta ZZ4, Gamma ZZ3), then evidence.

``names-paged.rq`` (tests/fixtures/formats) declares ``# page: 2`` over the three made-up trusts of tiny.ttl,
ordered by IRI: zz1 "Fictional One", zz2 "Fictional Two", zz3 "Trois".
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from query_rows import rows, short
from rdflib import Graph

from tests.test_query_command import TINY, tiny_query
from tests.test_query_library import EXAMPLES
from trustkg import api
from trustkg.errors import QueryError
from trustkg.sparql import ALL_ROWS, ResultTable, library, run_query

PAGED = Path(__file__).resolve().parent / "fixtures" / "formats" / "names-paged.rq"
SAYS = [("ZZ2", "b-e1"), ("ZZ2", "b-e3"), ("ZZ4", "d-e1"), ("ZZ4", "d-e3"), ("ZZ4", "d-e4"), ("ZZ4", "d-e5")]
SAYS.append(("ZZ3", "c-e1"))
NAMES = ["Fictional One", "Fictional Two", "Trois"]


def says(graph: Graph, **options: int) -> ResultTable:
    return api.query(graph, "search-evidence", text="says", **options)


def items(table: ResultTable) -> list[tuple[object, ...]]:
    return [(short(row[0]), short(row[1])) for row in table.rows]


def names(table: ResultTable) -> list[str]:
    return [str(cell) for cell in table.column("name")]


@pytest.fixture(params=api.local_stores())
def tiny(request: pytest.FixtureRequest) -> Graph:
    return api.open_graph(TINY, request.param)


# --- the Python API ---------------------------------------------------------------------------


def test_search_evidence_in_pages_of_three(query_graph: Graph) -> None:
    first = says(query_graph, limit=3)
    assert (items(first), first.more, first.next_offset) == (SAYS[:3], True, 3)
    second = says(query_graph, limit=3, offset=3)
    assert (items(second), second.more, second.next_offset) == (SAYS[3:6], True, 6)
    last = says(query_graph, limit=3, offset=6)
    assert (items(last), last.more, last.next_offset) == (SAYS[6:], False, None)
    beyond = says(query_graph, limit=3, offset=7)
    assert (items(beyond), beyond.more) == ([], False)


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({}, SAYS),  # the default page, 1,000 items, holds them all
        ({"limit": ALL_ROWS}, SAYS),
        ({"limit": 7}, SAYS),  # exactly the page: no extra row came back, so nothing more follows
        ({"limit": ALL_ROWS, "offset": 5}, SAYS[5:]),
    ],
)
def test_a_page_that_holds_the_rest_says_nothing_more_follows(
    query_graph: Graph, options: dict[str, int], expected: list[tuple[str, str]]
) -> None:
    table = says(query_graph, **options)
    assert (items(table), table.more, table.next_offset) == (expected, False, None)


def test_pages_keep_their_lists_sorted_and_equal_the_whole_answer(query_graph: Graph) -> None:
    # d-e3: improving-safety and cultural-change; d-e4: governance and leadership (a list column, sorted).
    page = rows(query_graph, "search-evidence", text="says", limit=2, offset=3)
    assert [row[4] for row in page] == ["Cultural change, Improving safety", "Governance, Leadership"]
    whole = rows(query_graph, "search-evidence", text="says", limit=ALL_ROWS)
    assert rows(query_graph, "search-evidence", text="says", limit=3) + page + whole[5:] == whole


@pytest.mark.parametrize("name", sorted(library()))
def test_every_library_query_reads_the_same_rows_in_pages(query_graph: Graph, name: str) -> None:
    """Paging appends LIMIT and OFFSET to every library query's text, and its order is the same page by page."""
    query = library()[name]
    example = EXAMPLES.get(name, {})
    whole = run_query(query_graph, query, example, ALL_ROWS)
    assert not whole.more
    read: list[tuple[object, ...]] = []
    offset: int | None = 0
    while offset is not None:
        page = run_query(query_graph, query, example, 2, offset)
        assert len(page) == 2 or not page.more
        read += page.rows
        offset = page.next_offset
    assert read == whole.rows


def test_a_declared_page_is_the_default(tiny: Graph) -> None:
    first = api.run_library_query(tiny, str(PAGED))
    assert (names(first), first.next_offset) == (NAMES[:2], 2)
    following = api.query(tiny, str(PAGED), offset=first.next_offset or 0)
    assert (names(following), following.more) == (NAMES[2:], False)
    everything = api.run_library_query(tiny, str(PAGED), limit=ALL_ROWS, timeout=30)  # in a worker process too
    assert (names(everything), everything.more) == (NAMES, False)
    assert names(api.query(tiny, str(PAGED), limit="1", offset="1")) == NAMES[1:2]  # as typed, like parameters


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"limit": -1}, "limit is a whole number of rows, 0 or more, not -1"),
        ({"offset": -2}, "offset is a whole number of rows, 0 or more, not -2"),
        ({"limit": True}, "limit is a whole number of rows, 0 or more, not True"),
        ({"limit": "ten"}, "limit is a whole number of rows, 0 or more, not 'ten'"),
        ({"offset": "1 OFFSET 0"}, "offset is a whole number of rows, 0 or more, not '1 OFFSET 0'"),
    ],
)
def test_a_limit_and_an_offset_are_whole_numbers(tiny: Graph, options: dict[str, object], message: str) -> None:
    with pytest.raises(QueryError, match=re.escape(message)):
        api.query(tiny, str(PAGED), **options)  # type: ignore[arg-type]


# --- the text other clients run ---------------------------------------------------------------------


def test_query_text_is_the_text_run_with_its_limit(query_graph: Graph) -> None:
    text = api.query_text(query_graph, "search-evidence", {"text": "says"}, limit=3, offset=3)
    assert text.endswith("\nLIMIT 4 OFFSET 3\n")  # one row past the page: whether it comes back says "more"
    assert items(api.sparql(query_graph, text)) == SAYS[3:7]
    assert api.query_text(query_graph, "search-evidence", {"text": "says"}).endswith("\nLIMIT 1001\n")
    for unpaged in (
        api.query_text(query_graph, "search-evidence", {"text": "says"}, limit=ALL_ROWS),
        api.query_text(query_graph, "rating-trajectories"),
    ):
        assert re.search(r"^\s*(LIMIT|OFFSET)\b", unpaged, re.MULTILINE | re.IGNORECASE) is None
    assert items(api.sparql(query_graph, api.query_text(query_graph, "search-evidence", {"text": "says"}))) == SAYS


HEADER = "# FICTIONAL probe over tests/fixtures/formats/tiny.ttl\n# title: t\n# question: q?\n# column: trust: t\n"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("SELECT ?trust WHERE { ?trust ex:name ?n } ORDER BY ?trust LIMIT 2", "has a LIMIT or OFFSET of its own"),
        ("SELECT ?trust WHERE { ?trust ex:name ?n } ORDER BY ?trust\noffset 1", "has a LIMIT or OFFSET of its own"),
        ("ASK { ?trust ex:name ?n }", "only SELECT queries are read in pages; this one is ASK"),
        ("CONSTRUCT { ?trust ex:name ?n } WHERE { { SELECT ?trust ?n { ?trust ex:name ?n } } }", "one is CONSTRUCT"),
    ],
)
def test_paging_is_refused_for_a_query_that_cannot_take_it(
    tiny: Graph, tmp_path: Path, body: str, message: str
) -> None:
    path = tmp_path / "probe.rq"
    path.write_text(HEADER + "PREFIX ex: <http://example.org/>\n" + body + "\n", encoding="utf-8")
    for options in ({"limit": 1}, {"offset": 1}):
        with pytest.raises(QueryError, match=re.escape(f"{path}: ")) as raised:
            api.query(tiny, str(path), **options)
        assert message in str(raised.value)


def test_limit_and_offset_as_names_strings_or_comments_are_not_the_querys_own(tiny: Graph, tmp_path: Path) -> None:
    path = tmp_path / "probe.rq"
    path.write_text(
        HEADER + "PREFIX limit: <http://example.org/>\n"
        'SELECT ?trust WHERE { ?trust limit:name ?offset FILTER(?offset != "LIMIT 1") }  # OFFSET 9\n'
        "ORDER BY ?trust # no LIMIT of its own",
        encoding="utf-8",
    )
    page = api.query(tiny, str(path), limit=1, offset=1)
    assert ([str(cell) for cell in page.column("trust")], page.next_offset) == (["http://example.org/zz2"], 2)


# --- the command ------------------------------------------------------------------------------------


@pytest.mark.parametrize("store_name", api.local_stores())
def test_the_command_reads_a_page_and_says_on_stderr_that_more_follow(cli, store_name: str) -> None:  # type: ignore[no-untyped-def]
    first = tiny_query(cli, store_name, str(PAGED), "-f", "csv")
    assert (first.code, first.out) == (
        0,
        "trust,name\nhttp://example.org/zz1,Fictional One\nhttp://example.org/zz2,Fictional Two\n",
    )
    assert (
        first.err
        == "trustkg: the first 2 rows (rows 1-2); more follow: --offset 2 for the next page, --limit 0 for all\n"
    )
    rest = tiny_query(cli, store_name, str(PAGED), "-f", "csv", "--offset", "2")
    assert (rest.code, rest.out, rest.err) == (0, "trust,name\nhttp://example.org/zz3,Trois\n", "")
    middle = tiny_query(cli, store_name, str(PAGED), "-f", "csv", "--limit", "1", "--offset", "1")
    assert (middle.code, middle.out) == (0, "trust,name\nhttp://example.org/zz2,Fictional Two\n")
    assert middle.err == "trustkg: 1 row (row 2); more follow: --offset 2 for the next page, --limit 0 for all\n"
    everything = tiny_query(cli, store_name, str(PAGED), "-f", "csv", "--limit", "0")
    assert (everything.code, everything.out.count("\n"), everything.err) == (0, 4, "")


def test_search_evidence_from_the_command(cli, query_fixture_dir: Path) -> None:  # type: ignore[no-untyped-def]
    run = cli(
        "query", "search-evidence", "-p", "text=says", "--limit", "5", "--data", str(query_fixture_dir), "-f", "json"
    )
    assert run.code == 0, run.err
    assert run.out.count('"evidence"') == 5
    assert "the first 5 rows (rows 1-5); more follow: --offset 5 for the next page" in run.err


@pytest.mark.parametrize(
    ("words", "message"),
    [
        (("--limit", "-1"), "argument --limit: --limit is a whole number of rows, 0 or more, not '-1'"),
        (("--limit", "1e3"), "argument --limit: --limit is a whole number of rows, 0 or more, not '1e3'"),
        (("--offset", "x"), "argument --offset: --offset is a whole number of rows, 0 or more, not 'x'"),
    ],
)
def test_a_bad_limit_or_offset_is_a_usage_error(cli, words: tuple[str, ...], message: str) -> None:  # type: ignore[no-untyped-def]
    run = tiny_query(cli, "oxigraph", str(PAGED), *words)
    assert (run.code, run.out) == (2, "")
    assert message in run.err


def test_sparql_text_takes_its_own_limit(cli) -> None:  # type: ignore[no-untyped-def]
    run = tiny_query(cli, "oxigraph", "--sparql", "SELECT * WHERE { ?s ?p ?o }", "--limit", "1")
    assert (run.code, run.out) == (2, "")
    assert "--limit and --offset go with a library query" in run.err
