"""The ``trustkg`` command, run in-process exactly as a user types it."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from query_rows import LINK_COLUMNS
from rdflib import Graph

from bench.__main__ import benchmarks
from bench.__main__ import main as bench_main
from tests.conftest import FIXTURE_DIR, require_program


def test_build_writes_both_files_and_prints_counts(cli, tmp_path: Path) -> None:
    run = cli("build", "--data", str(FIXTURE_DIR), "--out", str(tmp_path / "out"))
    assert run.code == 0, run.err
    assert "trusts          3" in run.out
    assert "evidence items  10" in run.out
    assert "outcomes        8 (6 rating changes derived from inspections)" in run.out
    assert "triples " in run.out
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["trustkg.nt", "trustkg.ttl"]


def test_bad_input_exits_2_and_leaves_build_untouched(cli, case_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert cli("build", "--data", str(case_dir), "--out", str(out)).code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    zz2 = case_dir / "cases" / "ZZ2.yaml"
    zz2.write_text(
        zz2.read_text()
        .replace("well-led: outstanding", "well-led: excellent")
        .replace("reported_by: chair", "reported_by: chiar")
    )
    run = cli("build", "--data", str(case_dir), "--out", str(out))
    assert run.code == 2
    assert "2 problem(s) in the input; nothing was written" in run.err
    assert f"{zz2}:15: inspections[1].ratings.well-led: unknown rating 'excellent'" in run.err
    assert "evidence[2].reported_by: unknown role 'chiar'" in run.err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # no temporary files left either


def test_default_paths_are_relative_to_the_working_directory(cli, case_dir: Path) -> None:
    project = case_dir.parent
    assert cli("build", cwd=project).code == 0
    assert (project / "build" / "trustkg.nt").exists()
    run = cli("query", "rating-trajectories", "--param", "trust=ZZ2", cwd=project)
    assert run.code == 0, run.err
    assert run.out.count("Fixture Beta NHS Foundation Trust") == 2


def test_query_without_a_built_graph_says_what_to_do(cli, tmp_path: Path) -> None:
    run = cli("query", "rating-trajectories", cwd=tmp_path)
    assert run.code == 2
    assert "no such file (run 'trustkg build' first, or pass --graph)" in run.err


def test_queries_lists_the_library(cli) -> None:
    run = cli("queries")
    assert run.code == 0
    assert "actions-to-outcomes\n  Actions linked to outcomes:" in run.out
    assert "--param theme (theme, optional)" in run.out
    assert "--param min_trusts (integer, default 1)" in run.out


def test_table_shows_labels_and_iris_on_request(cli) -> None:
    run = cli("query", "actions-to-outcomes", "--data", str(FIXTURE_DIR), "-p", "min_trusts=2")
    assert run.code == 0, run.err
    lines = run.out.splitlines()
    assert lines[0].split() == LINK_COLUMNS
    assert lines[2].split("  ")[0] == "Visible leadership"
    assert "Well-led rating improved" in lines[2]
    assert lines[-1] == "(1 row)"
    with_iris = cli(
        "query", "actions-to-outcomes", "--data", str(FIXTURE_DIR), "-p", "min_trusts=2", "--iris", "-f", "csv"
    )
    assert with_iris.out.splitlines()[1].startswith(
        "https://w3id.org/trustkg/codebook/action/visible-leadership,https://w3id.org/trustkg/codebook/outcome/rating-improved/well-led,2,2,2,2"
    )
    # a-e1 (fx-cqc-alpha, chief executive) and b-e1 (Beta's paper, patient representative): two sources,
    # two kinds of role, two stated claims, no later fall; three sources are needed for strong.
    assert with_iris.out.splitlines()[1].endswith(",2,2,2,0,https://w3id.org/trustkg/vocab/support-grade/moderate")


def test_csv_json_and_markdown(cli) -> None:
    args = ("query", "rating-trajectories", "--data", str(FIXTURE_DIR), "-p", "trust=ZZ3")
    rows = list(csv.DictReader(io.StringIO(cli(*args, "-f", "csv").out)))
    assert [(r["date"], r["site"], r["overall"]) for r in rows] == [
        ("2015", "Gamma Community Hospital", "Inadequate"),
        ("2017-03", "", "Good"),
    ]
    records = json.loads(cli(*args, "-f", "json").out)
    assert records[1] == {
        "trust": "Fixture Gamma Community NHS Trust",
        "date": "2017-03",
        "inspection": "Inspection 2017-03",
        "site": None,
        "overall": "Good",
        "well_led": None,
        "predecessor": None,  # set only when following a succession
    }
    markdown = cli(*args, "-f", "md").out.splitlines()
    assert markdown[0] == "| trust | date | inspection | site | overall | well_led | predecessor |"
    assert markdown[1] == "| --- | --- | --- | --- | --- | --- | --- |"
    assert len(markdown) == 4


def test_sparql_text_and_standard_input(cli, monkeypatch) -> None:
    text = "PREFIX tkg: <https://w3id.org/trustkg/def/> SELECT ?code WHERE { ?t tkg:odsCode ?code } ORDER BY ?code"
    run = cli("query", "--sparql", text, "--data", str(FIXTURE_DIR), "-f", "csv")
    assert run.out.splitlines() == ["code", "ZZ1", "ZZ2", "ZZ3"]
    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    assert cli("query", "--sparql", "-", "--data", str(FIXTURE_DIR), "-f", "csv").out.splitlines()[1:] == [
        "ZZ1",
        "ZZ2",
        "ZZ3",
    ]


def test_a_query_file_by_path(cli, tmp_path: Path) -> None:
    query = tmp_path / "trust-count.rq"
    query.write_text(
        "# title: Trust count\n# question: How many trusts?\n# column: n: the number of trusts\n"
        "PREFIX tkg: <https://w3id.org/trustkg/def/>\nSELECT (COUNT(?t) AS ?n) WHERE { ?t a tkg:Trust }\n"
    )
    assert cli("query", str(query), "--data", str(FIXTURE_DIR), "-f", "csv").out.splitlines() == ["n", "3"]


def test_usage_errors(cli) -> None:
    unknown = cli("query", "actions-to-outcome", "--data", str(FIXTURE_DIR))
    assert unknown.code == 2
    assert "unknown query 'actions-to-outcome'; the library has: " in unknown.err
    assert "actions-to-outcomes, " in unknown.err
    bad_type = cli("query", "actions-to-outcomes", "--data", str(FIXTURE_DIR), "-p", "min_trusts=two")
    assert (
        bad_type.code == 2
        and "parameter min_trusts of 'actions-to-outcomes': 'two' is not a whole number" in bad_type.err
    )
    bad_theme = cli("query", "actions-to-outcomes", "--data", str(FIXTURE_DIR), "-p", "theme=leadrship")
    assert "unknown theme 'leadrship'; did you mean 'leadership'?" in bad_theme.err
    no_such_param = cli("query", "actions-to-outcomes", "--data", str(FIXTURE_DIR), "-p", "colour=red")
    assert "has no parameter 'colour'; its parameters: theme, trust, role, min_trusts" in no_such_param.err
    assert cli("query", "actions-to-outcomes", "-p", "theme").code == 2
    assert cli("frobnicate").code == 2


def test_a_mistyped_query_or_command_gets_a_did_you_mean(cli) -> None:
    query = cli("query", "actions-to-outcome", "--data", str(FIXTURE_DIR))
    assert query.code == 2
    assert "; the library has: " in query.err and "(did you mean 'actions-to-outcomes'" in query.err
    command = cli("qurey", "actions-to-outcomes")
    assert command.code == 2
    assert command.err == "trustkg: unknown command 'qurey' (did you mean 'query'?); see 'trustkg --help'\n"
    far_off = cli("frobnicate")
    assert far_off.err.startswith(
        "trustkg: unknown command 'frobnicate' (known: build, codebook, export, links, map, matrix, publish, queries,"
    )
    assert cli("--version").code == 0  # an option before any command is not a command


def test_bad_sparql_is_a_clear_error(cli) -> None:
    run = cli("query", "--sparql", "SELECT ?x WHERE { ?x ", "--data", str(FIXTURE_DIR))
    assert run.code == 2
    assert run.err.startswith("trustkg: the query failed:")


def test_a_closed_pipe_is_not_a_crash() -> None:
    # `trustkg query ... | head -1`: the command must end quietly when its reader goes away. Every
    # triple of the fixture (about 150 kB) overflows the pipe's buffer, so the writer does hit the close.
    program = "from trustkg.cli import entry_point; entry_point()"
    every_triple = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    command = (
        f"{sys.executable} -c '{program}' query --data {FIXTURE_DIR} --iris -f csv --sparql '{every_triple}' | head -1"
    )
    result = subprocess.run(command, shell=True, capture_output=True, text=True, check=False)
    assert result.stdout == "s,p,o\n"
    assert result.stderr == ""


def test_build_with_reason_counts_the_triples_it_wrote(cli, tmp_path: Path) -> None:
    require_program("java")
    plain = cli("build", "--data", str(FIXTURE_DIR), "--out", str(tmp_path / "plain"), "--no-validate")
    reasoned = cli("build", "--data", str(FIXTURE_DIR), "--out", str(tmp_path / "reasoned"), "--reason")
    assert reasoned.code == 0, reasoned.err
    written = len(Graph().parse(tmp_path / "reasoned" / "trustkg.nt"))
    before = len(Graph().parse(tmp_path / "plain" / "trustkg.nt"))
    assert written > before  # the reasoner added class memberships
    assert f"triples         {written}\n" in reasoned.out
    assert f"triples         {before}\n" in plain.out


def test_bench_help_prints_help_instead_of_running(capsys) -> None:
    with pytest.raises(SystemExit) as exited:
        bench_main(["--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: python -m bench [-h] [NAME ...]")
    # argparse wraps the help text: compared with its line breaks as spaces.
    assert ", ".join(benchmarks()) in " ".join(out.split()) and "stores" in benchmarks()
    with pytest.raises(SystemExit) as exited:
        bench_main(["stors"])
    assert exited.value.code == 2
    assert "unknown benchmark 'stors' (did you mean 'stores'?)" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exited:
        bench_main(["checks", "--runs", "1"])
    assert exited.value.code == 2
    assert "benchmark 'checks' takes no options" in capsys.readouterr().err
