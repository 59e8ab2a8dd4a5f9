"""Hostile and broken input: every case gets a clear error (exit 2, file, line, field), in bounded time and
memory, and a failure never changes ``build/``. The cases are those of the hardening issue, each tried through
the command line as a user would. The data is a writable copy of the FICTIONAL fixture, broken on purpose.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import socket
import stat
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml
from conftest import FIXTURE_DIR, CliRun
from rdflib import Graph, Literal, URIRef

from trustkg import api, errors, store
from trustkg.errors import InputError, Problem, QueryError
from trustkg.sparql import ResultTable, render

Cli = Callable[..., CliRun]
CASE = "cases/ZZ1.yaml"


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def refused(run: CliRun, *expected: str) -> str:
    """The run exited 2 without a traceback, and its errors hold each ``expected`` text."""
    assert run.code == 2, run.err
    assert "Traceback" not in run.err
    for text in expected:
        assert text in run.err, run.err
    return run.err


def build(cli: Cli, case_dir: Path, *more: str) -> CliRun:
    return cli("build", "--data", str(case_dir), "--out", str(case_dir.parent / "build"), "--no-validate", *more)


# --- 2. symlinks and special files -------------------------------------------------------


def test_a_symlink_out_of_the_data_directory_is_not_read(cli: Cli, case_dir: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("root:$6$salt$HASHEDPASSWORD:19000:0:99999:7:::\n", encoding="utf-8")
    (case_dir / "cases" / "ZZ9.yaml").symlink_to(secret)
    err = refused(build(cli, case_dir), "ZZ9.yaml", "outside the data directory")
    assert "HASHEDPASSWORD" not in err


def test_a_link_to_a_device_or_a_fifo_is_refused_without_reading(cli: Cli, case_dir: Path) -> None:
    (case_dir / "cases" / "zero.yaml").symlink_to("/dev/zero")
    refused(build(cli, case_dir), "zero.yaml", "outside the data directory")
    (case_dir / "cases" / "zero.yaml").unlink()
    os.mkfifo(case_dir / "cases" / "x.yaml")  # reading it would block for ever
    refused(build(cli, case_dir), "x.yaml", "is not a regular file")


def test_a_file_over_the_size_cap_is_refused(cli: Cli, case_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("trustkg.loaders.yamlnodes.MAX_FILE_BYTES", 1000)
    refused(build(cli, case_dir), "ZZ1.yaml", "over the limit of 1000")


def test_an_unknown_field_is_echoed_short_and_escaped(cli: Cli, case_dir: Path) -> None:
    long_key = "\\e]0;owned\\a" + "x" * 900
    replace_in(case_dir / CASE, "trust:\n", f'trust:\n  "{long_key}": 1\n')
    err = refused(build(cli, case_dir), "unknown field")
    assert "\x1b" not in err and "\x07" not in err
    assert "x" * 100 not in err
    assert "\\x1b]0;owned\\x07" in err


# --- 3. resource exhaustion --------------------------------------------------------------


ALIAS_BOMB = "\n".join(
    ["a: &a [x, x, x, x, x, x, x, x, x]"]
    + [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]" for i in range(8)]
    + ["? *i\n: boom"]
)


def test_an_alias_bomb_is_refused_quickly(cli: Cli, case_dir: Path) -> None:
    (case_dir / "cases" / "ZZ9.yaml").write_text(ALIAS_BOMB, encoding="utf-8")
    refused(build(cli, case_dir), "ZZ9.yaml", "aliases expand the file")


def test_an_alias_that_contains_itself_is_refused(cli: Cli, case_dir: Path) -> None:
    (case_dir / "cases" / "ZZ9.yaml").write_text("trust: &t\n  sites: [*t]\n", encoding="utf-8")
    refused(build(cli, case_dir), "ZZ9.yaml")


# 2,000 levels: past libyaml's own limit too; 70: within libyaml's, past trustkg's (64), anchor or none.
@pytest.mark.parametrize(("levels", "anchor"), [(2000, ""), (70, ""), (70, "&a ")])
def test_deep_nesting_is_refused_not_a_recursion_error(cli: Cli, case_dir: Path, levels: int, anchor: str) -> None:
    nested = anchor + "[" * levels + "]" * levels
    (case_dir / "cases" / "ZZ9.yaml").write_text("trust: " + nested, encoding="utf-8")
    refused(build(cli, case_dir), "ZZ9.yaml:1: (syntax): nested more than")


def _block_mappings(levels: int, line_break: str = "\n") -> str:
    return line_break.join("  " * level + "k:" for level in range(levels)) + " x" + line_break


def _lists_in_mappings(depth: int) -> str:
    # A list that is a mapping's value may stand at the mapping's own column: two levels per indentation step.
    pairs, leaf = ((depth - 3) // 2, "x") if depth % 2 else ((depth - 4) // 2, "k: x")
    return "k:\n" + "".join("  " * level + "- k:\n" for level in range(pairs)) + "  " * pairs + f"- {leaf}\n"


# Block nesting, without a bracket: the shapes whose depth the loader may tell from the text without counting
# (yamlbounds.surely_shallow). Each shape is given as a function of its depth in nodes, the scalar included.
SHAPES: dict[str, Callable[[int], str]] = {
    "block mappings": lambda depth: _block_mappings(depth - 1),
    "the same, lines broken by carriage returns": lambda depth: _block_mappings(depth - 1, "\r"),
    "compact lists": lambda depth: "- " * (depth - 1) + "x\n",
    "lists in mappings": _lists_in_mappings,
    "a mapping in compact lists": lambda depth: "- " * (depth - 2) + "k: x\n",
    "flow lists in block mappings": lambda depth: _block_mappings(depth - 20).replace(" x", " " + "[" * 20 + "]" * 20),
}


@pytest.mark.parametrize("shape", SHAPES)
def test_nesting_is_bounded_in_every_shape_as_the_reference_composer_bounds_it(shape: str) -> None:
    from trustkg.loaders.yamlbounds import MAX_DEPTH, BoundsError, compose_bounded

    deepest = SHAPES[shape](MAX_DEPTH)
    assert yaml.compose(deepest) is not None  # the shape is well-formed YAML
    assert compose_bounded(deepest) is not None
    for text in (SHAPES[shape](MAX_DEPTH + 1), SHAPES[shape](MAX_DEPTH + 40)):
        with pytest.raises(BoundsError, match="nested more than"):
            compose_bounded(text)


def test_many_unknown_source_references_are_each_reported_and_the_listing_capped(cli: Cli, case_dir: Path) -> None:
    items = "".join(
        f"  - id: e{n}\n    statement: s\n    themes: [leadership]\n    source: nope\n" for n in range(10_000)
    )
    (case_dir / "cases" / "ZZ1.yaml").write_text(
        (case_dir / CASE).read_text(encoding="utf-8").replace("evidence:\n", "evidence:\n" + items, 1), encoding="utf-8"
    )
    err = refused(build(cli, case_dir), "unknown source 'nope'")
    assert re.search(r"\.\.\. and \d+ more problems", err)
    assert err.count("unknown source 'nope'") == 200


# --- 4. URLs -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/%zz",
        "https://[::1",
        "https://example.org:port/x",
        "https://example.org/a#b#c",
        "http://",
        "javascript:alert(1)",
        "https://example.org/a\\nb",
    ],
)
@pytest.mark.parametrize("store_name", ["oxigraph", "memory"])
def test_a_bad_url_is_refused_at_load_in_every_store(cli: Cli, case_dir: Path, url: str, store_name: str) -> None:
    replace_in(case_dir / "sources.yaml", "url: https://example.org/fixture/cqc/alpha-report", f'url: "{url}"')
    refused(build(cli, case_dir, "--store", store_name), "sources.yaml:4: sources[0].url:")
    assert not (case_dir.parent / "build").exists()


def test_a_cqc_page_must_be_a_web_address(cli: Cli, case_dir: Path) -> None:
    replace_in(case_dir / CASE, "  type: acute\n", "  type: acute\n  cqc_page: javascript:alert(1)\n")
    refused(build(cli, case_dir), f"{CASE}:6: trust.cqc_page: 'javascript:alert(1)' is not an http(s) URL")


# --- 5. characters -----------------------------------------------------------------------


@pytest.mark.parametrize("escape", ["\\uD800", "\\0", "\\e[31m", "\\x07", "\\r"])
def test_control_characters_and_lone_surrogates_are_refused_at_load(cli: Cli, case_dir: Path, escape: str) -> None:
    replace_in(case_dir / CASE, "label: Weekly executive walkabouts", f'label: "Weekly{escape} walkabouts"')
    refused(build(cli, case_dir), "actions[0].label: holds the control character")


def test_tab_and_newline_stay_allowed_in_long_text(cli: Cli, case_dir: Path) -> None:
    replace_in(case_dir / CASE, "label: Weekly executive walkabouts", 'label: "Weekly\\texecutive\\nwalkabouts"')
    assert build(cli, case_dir).code == 0


def test_results_escape_control_characters_and_quote_a_bare_carriage_return() -> None:
    hostile = Literal("red\x1b[31m alert\x1b]8;;http://x\x07\rend")
    table = ResultTable(["statement"], [(hostile,)])
    for output_format in ("table", "md"):
        shown = render(table, output_format, None)
        assert "\x1b" not in shown and "\x07" not in shown and "\r" not in shown
        assert "\\x1b[31m" in shown
    csv_text = render(table, "csv", None)
    assert "\x1b" not in csv_text
    assert csv_text.splitlines()[1].startswith('"red\\x1b[31m') and csv_text.endswith('\rend"')


def test_problem_messages_escape_what_the_input_holds() -> None:
    problem = Problem("cases/\x1b[2Jx.yaml", 3, "trust.\x1b]0;t\x07", "unknown 'a\x9bb'")
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", str(problem))
    assert errors.escaped("a\tb\nc\x1b") == "a\tb\nc\\x1b"


# --- 6. values that are wrong but were accepted ----------------------------------------------


@pytest.mark.parametrize(
    "date", ["2099-01", "2999", "0000", "\u0661\u0669\u0669\u0669", "\uff12\uff10\uff11\uff15-\uff10\uff13"]
)
def test_dates_out_of_range_or_in_other_digits_are_refused(cli: Cli, case_dir: Path, date: str) -> None:
    replace_in(case_dir / CASE, "    start: 2015-03\n", f"    start: {date}\n")
    refused(build(cli, case_dir), f"{CASE}:13: inspections[0].start:")


def test_next_year_is_the_latest_date_accepted(cli: Cli, case_dir: Path) -> None:
    replace_in(case_dir / CASE, "    start: 2018-01\n", f"    start: {dt.date.today().year + 1}-01\n")
    assert build(cli, case_dir).code == 0


@pytest.mark.parametrize("value", ["nan", "1e999", "-inf", "1_000", "\u0661\u0662"])
def test_a_measure_value_must_be_a_finite_number_in_ascii_digits(cli: Cli, case_dir: Path, value: str) -> None:
    text = (case_dir / CASE).read_text(encoding="utf-8")
    match = re.search(r"before: \{value: ([^,]+),", text)
    assert match is not None, "the fixture has a measure value"
    replace_in(case_dir / CASE, match.group(0), f"before: {{value: {value},")
    refused(build(cli, case_dir), ".before.value:", "is not a number")


@pytest.mark.parametrize("year", ["0000", "1_000", "2999"])
def test_a_measure_year_must_be_a_real_year(cli: Cli, case_dir: Path, year: str) -> None:
    text = (case_dir / CASE).read_text(encoding="utf-8")
    match = re.search(r"before: \{value: [^,]+, year: (\d+)\}", text)
    assert match is not None
    replace_in(case_dir / CASE, match.group(0), match.group(0).replace(match.group(1), year))
    refused(build(cli, case_dir), ".before.year:")


def test_a_codebook_type_broader_than_itself_through_a_cycle_is_refused(cli: Cli, case_dir: Path) -> None:
    replace_in(
        case_dir / "codebook.yaml",
        "    themes: [leadership]\n",
        "    themes: [leadership]\n    broader: staff-listening\n",
    )
    replace_in(
        case_dir / "codebook.yaml",
        "    themes: [cultural-change]\n",
        "    themes: [cultural-change]\n    broader: visible-leadership\n",
    )
    refused(build(cli, case_dir), "broader than itself: staff-listening -> visible-leadership -> staff-listening")


STUDIES = """studies:
  - id: fx-study-a
    url: https://example.org/fixture/study-a
    title: Fixture study A
    kind: cqc-study
    follows_up: fx-study-b
  - id: fx-study-b
    url: https://example.org/fixture/study-b
    title: Fixture study B
    kind: cqc-study
    follows_up: fx-study-a
"""


def test_studies_following_each_other_up_in_a_cycle_are_refused(cli: Cli, case_dir: Path) -> None:
    sources = case_dir / "sources.yaml"
    sources.write_text(STUDIES + sources.read_text(encoding="utf-8"), encoding="utf-8")
    refused(build(cli, case_dir), "sources.yaml:2: follows_up: studies follow each other up in a cycle")


def test_published_before_the_inspection_started_is_refused_at_load(cli: Cli, case_dir: Path) -> None:
    replace_in(case_dir / CASE, "    published: 2016-12\n", "    published: 2016-08\n")
    refused(build(cli, case_dir), f"{CASE}:19: inspections[1].published: published (2016-08) before it starts")


def test_an_ods_code_in_other_letters_is_refused_at_load(cli: Cli, case_dir: Path) -> None:
    replace_in(case_dir / CASE, "ods: ZZ1", "ods: ZZ\u0661")
    refused(build(cli, case_dir), f"{CASE}:3: trust.ods:")


# --- 7. writes ---------------------------------------------------------------------------


def test_a_build_replaces_the_output_set_whole_and_keeps_other_files(cli: Cli, case_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "build"
    out.mkdir()
    (out / "explorer.html").write_text("a page written earlier", encoding="utf-8")
    stale = tmp_path / ".build.killed.staging"
    stale.mkdir()
    old = tmp_path / "build" / ".trustkg.nt.x.tmp"
    old.write_bytes(b"left by a killed build")
    os.utime(old, (0, 0))
    # N-Triples written ahead of the output set, beside it: a killed build's go, a running build's stay.
    killed = tmp_path / ".build.killed.ahead"
    killed.write_bytes(b"left by a killed build")
    os.utime(killed, (0, 0))
    (tmp_path / ".build.running.ahead").write_bytes(b"another build, still running")
    assert cli("build", "--data", str(case_dir), "--out", str(out), "--no-validate").code == 0
    assert sorted(p.name for p in out.iterdir()) == ["explorer.html", "trustkg.nt", "trustkg.ttl"]
    assert (out / "explorer.html").read_text(encoding="utf-8") == "a page written earlier"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".build.running.ahead", "build", "data"]
    assert Graph().parse(out / "trustkg.ttl").isomorphic(Graph().parse(out / "trustkg.nt"))


def test_written_files_follow_the_umask(cli: Cli, case_dir: Path, tmp_path: Path) -> None:
    previous = os.umask(0o027)
    try:
        assert cli("build", "--data", str(case_dir), "--out", str(tmp_path / "b"), "--no-validate").code == 0
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "b" / "trustkg.nt").stat().st_mode) == 0o640
    assert stat.S_IMODE((tmp_path / "b").stat().st_mode) == 0o750


def test_a_build_while_another_holds_the_lock_is_refused(cli: Cli, case_dir: Path, tmp_path: Path) -> None:
    import fcntl

    out = tmp_path / "build"
    out.mkdir()
    descriptor = os.open(out, os.O_RDONLY | os.O_DIRECTORY)
    fcntl.flock(descriptor, fcntl.LOCK_EX)
    try:
        refused(cli("build", "--data", str(case_dir), "--out", str(out), "--no-validate"), "another trustkg build")
    finally:
        os.close(descriptor)
    assert list(out.iterdir()) == []


def test_an_output_that_is_a_file_is_a_clear_error(cli: Cli, case_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "build").write_text("not a directory", encoding="utf-8")
    refused(cli("build", "--data", str(case_dir), "--out", str(tmp_path / "build")), "is not a directory")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through read-only permissions")
def test_a_read_only_output_is_a_clear_error(cli: Cli, case_dir: Path, tmp_path: Path) -> None:
    tmp_path.chmod(0o555)
    try:
        refused(
            cli("build", "--data", str(case_dir), "--out", str(tmp_path / "build"), "--no-validate"), "cannot write"
        )
    finally:
        tmp_path.chmod(0o755)


def test_a_page_written_over_a_directory_is_a_clear_error(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "page").mkdir()
    refused(cli("map", "--data", str(FIXTURE_DIR), "--out", str(tmp_path / "page")), "is a directory")


@pytest.mark.parametrize("store_name", ["oxigraph", "memory"])
def test_a_truncated_or_corrupt_graph_file_is_a_clear_error(cli: Cli, tmp_path: Path, store_name: str) -> None:
    graph = tmp_path / "trustkg.nt"
    graph.write_text('<https://example.org/a> <https://example.org/p> "cut sho', encoding="utf-8")
    refused(cli("query", "rating-trajectories", "--graph", str(graph), "--store", store_name), "not a readable graph")
    graph.write_bytes(b"\xff\xfe\x00garbage")
    refused(cli("query", "rating-trajectories", "--graph", str(graph), "--store", store_name), str(graph))


QUERY_FILE = """# FICTIONAL test query
# title: Subjects
# question: which subjects are there?
# param: n (integer, optional): a number
# column: s: a subject
SELECT ?s WHERE { ?s ?p ?o FILTER(!BOUND(?n) || ?n > 0) } LIMIT 1
"""


def test_a_huge_integer_parameter_is_a_clear_error(cli: Cli, tmp_path: Path) -> None:
    query = tmp_path / "limit.rq"
    query.write_text(QUERY_FILE, encoding="utf-8")
    refused(cli("query", str(query), "-p", "n=" + "9" * 5000, "--data", str(FIXTURE_DIR)), "is not a whole number")


# --- 8. messages -------------------------------------------------------------------------


def test_the_root_cause_comes_first_and_follow_on_errors_are_not_listed(cli: Cli, case_dir: Path) -> None:
    (case_dir / "codebook.yaml").unlink()
    err = refused(build(cli, case_dir))
    problems = err.splitlines()[1:]
    assert "no input has a codebook" in problems[0]
    assert "(known: )" not in err
    assert "unknown action type" not in err


def test_an_unreadable_file_comes_before_what_follows_from_it() -> None:
    later = Problem("a.yaml", 1, "x", "follows")
    root = Problem("z.yaml", None, "(file)", "cannot be read")
    assert InputError([later, root]).problems == [root, later]


def test_a_file_that_is_not_utf8_is_reported_by_line(cli: Cli, case_dir: Path) -> None:
    data = (case_dir / CASE).read_bytes().replace(b"Fixture Alpha", b"Fixture \xe9lpha", 1)
    (case_dir / CASE).write_bytes(data)
    refused(build(cli, case_dir), f"{CASE}:4: (file): is not UTF-8 text (byte 0xe9")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads through permissions")
def test_an_unreadable_cases_directory_is_not_called_empty(cli: Cli, case_dir: Path) -> None:
    (case_dir / "cases").chmod(0)
    try:
        err = refused(build(cli, case_dir), "cannot be read")
    finally:
        (case_dir / "cases").chmod(0o755)
    assert "holds no case files" not in err


def test_a_complex_key_is_described_not_dumped(cli: Cli, case_dir: Path) -> None:
    replace_in(case_dir / CASE, "trust:\n", "trust:\n  ? [a, b]\n  : 1\n")
    err = refused(build(cli, case_dir), f"{CASE}:3: trust: a field name must be plain text")
    assert "ScalarNode" not in err and "SequenceNode" not in err


def test_a_query_name_cannot_climb_out_of_the_library(cli: Cli, tmp_path: Path) -> None:
    outside = tmp_path / "x.rq"
    outside.write_text(QUERY_FILE, encoding="utf-8")
    library_dir = Path(__file__).resolve().parents[1] / "queries"
    climb = os.path.relpath(tmp_path / "x", library_dir)
    refused(cli("query", climb, "--data", str(FIXTURE_DIR)), "unknown query")
    from trustkg.queries.library import find_query

    with pytest.raises(Exception, match="unknown query"):
        find_query(climb)
    assert cli("query", str(outside), "--data", str(FIXTURE_DIR)).code == 0  # an explicit path is the user's choice


# --- 1. run-time query errors ----------------------------------------------------------------


@pytest.mark.parametrize("store_name", ["oxigraph", "memory"])
def test_an_error_while_reading_rows_is_a_query_error(store_name: str) -> None:
    graph = store.new_graph(store_name)
    graph.add((URIRef("https://example.org/fictional/a"), URIRef("https://example.org/fictional/p"), Literal(1)))
    with socket.socket() as probe:  # a loopback port nothing listens on: the engine fails while giving rows
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(QueryError):
        api.sparql(graph, f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/x> {{ ?s ?p ?o }} }}")


@pytest.mark.parametrize("export_format", ["graphml", "gexf"])
def test_an_export_of_a_graph_holding_control_characters_is_well_formed_xml(
    cli: Cli, case_dir: Path, tmp_path: Path, export_format: str
) -> None:
    assert build(cli, case_dir).code == 0
    graph_file = case_dir.parent / "build" / "trustkg.nt"
    text = graph_file.read_text(encoding="utf-8")
    assert '"Fixture Alpha Hospitals NHS Trust"' in text
    # A graph written elsewhere may hold what the loader refuses: N-Triples can escape any character.
    graph_file.write_text(
        text.replace('"Fixture Alpha Hospitals NHS Trust"', '"Fixture\\u0001Alpha\\u001b[2J"'), "utf-8"
    )
    for view in api.VIEWS:
        out = tmp_path / f"{view}.{export_format}"
        assert (
            cli("export", "--graph", str(graph_file), "--view", view, "--format", export_format, "--out", str(out)).code
            == 0
        )
        ElementTree.parse(out)  # raises on ill-formed XML
    assert "Fixture\\x01Alpha\\x1b[2J" in (tmp_path / f"trust-similarity.{export_format}").read_text(encoding="utf-8")


def test_a_coded_segment_table_that_is_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    from trustkg.qda import read_coded_segments

    os.mkfifo(tmp_path / "segments.csv")
    with pytest.raises(InputError, match="not a regular file"):
        read_coded_segments(tmp_path / "segments.csv")


def test_a_project_source_linked_out_of_its_folder_is_not_read(tmp_path: Path) -> None:
    from qda_files import project_xml

    from trustkg.qda import read_project

    secret = tmp_path / "secret.txt"
    secret.write_text("FICTIONAL secret that must not be read", encoding="utf-8")
    project = tmp_path / "study"
    project.mkdir()
    (project / "interview.txt").symlink_to(secret)
    body = (
        '<CodeBook><Codes><Code guid="c0de0009-9999-4999-8999-000000000001" name="Staffing" isCodable="true"/>'
        '</Codes></CodeBook>\n<Sources><TextSource guid="5a5a0009-9999-4999-8999-000000000003" '
        'plainTextPath="relative://interview.txt"/></Sources>'
    )
    qde = project / "study.qde"
    qde.write_text(project_xml(body, origin="Fictional tool"), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_project(qde)
    assert any("outside" in problem.message for problem in caught.value.problems), caught.value.problems
