"""Composable inputs: several inputs merge into one evidence base, and the cross-record checks run once
on the merged records, reporting each problem at its own file, line and field.

Every input here is FICTIONAL test data: the fixture case base, its ZZ4 extension, and small
case files written by the tests themselves.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib.compare import isomorphic

from tests.conftest import FIXTURE_DIR, QUERY_FIXTURE_EXTRA, CliRun
from trustkg.build import build_graph
from trustkg.errors import InputError, TrustKGError
from trustkg.loaders import Input, load, load_inputs
from trustkg.loaders.casefiles import load_case_files
from trustkg.loaders.manifest import MANIFEST_FILE

# A second input's case file, FICTIONAL: it cites a source that only the first input declares.
EXTRA_CASE = """\
# FICTIONAL trust for tests: a second input that cites the first input's sources.
trust:
  ods: ZZ9
  name: Fixture Omega NHS Trust
  type: acute
  source: fx-cqc-alpha
actions:
  - id: o-walks
    type: visible-leadership
    label: Board walkabouts
    source: {id: fx-cqc-alpah, locator: p. 3}
"""


def two_inputs(case_dir: Path) -> list[Input]:
    return [Input(FIXTURE_DIR, "case-files"), Input(case_dir, "case-files")]


def write_case(directory: Path, name: str, text: str) -> Path:
    path = directory / "cases" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_two_inputs_give_the_graph_of_one(query_fixture_dir: Path) -> None:
    # The fixture and its ZZ4 extension (no codebook, no sources.yaml of its own) read as two
    # inputs build the same graph as the two copied into one directory.
    merged = load_inputs([Input(FIXTURE_DIR, "case-files"), Input(QUERY_FIXTURE_EXTRA, "case-files")])
    one = load_case_files(query_fixture_dir)
    assert [case.trust.ods for case in merged.cases] == ["ZZ1", "ZZ2", "ZZ3", "ZZ4"]
    assert isomorphic(build_graph(merged)[0], build_graph(one)[0])


def test_a_dangling_reference_across_inputs_is_reported_where_it_is(tmp_path: Path) -> None:
    path = write_case(tmp_path, "ZZ9.yaml", EXTRA_CASE)
    with pytest.raises(InputError) as raised:
        load_inputs(two_inputs(tmp_path))
    # trust.source names the first input's fx-cqc-alpha and is fine; the misspelt one is not.
    (problem,) = raised.value.problems
    assert (problem.file, problem.line, problem.field) == (str(path), 11, "actions[0].source.id")
    assert "unknown source 'fx-cqc-alpah'" in problem.message and "did you mean 'fx-cqc-alpha'" in problem.message


def test_an_unknown_codebook_type_in_a_second_input_is_reported_there(tmp_path: Path) -> None:
    text = EXTRA_CASE.replace("fx-cqc-alpah", "fx-cqc-alpha").replace("visible-leadership", "visible-leadershp")
    path = write_case(tmp_path, "ZZ9.yaml", text)
    with pytest.raises(InputError) as raised:
        load_inputs(two_inputs(tmp_path))
    (problem,) = raised.value.problems
    assert (problem.file, problem.line, problem.field) == (str(path), 9, "actions[0].type")
    assert "unknown action type 'visible-leadershp'" in problem.message


DUPLICATE_SOURCE = """\
# FICTIONAL: ZZ1's case file again, in a second input, declaring a source under an ID the first input uses.
sources:
  - id: fx-cqc-alpha
    url: https://example.org/fixture/elsewhere
    title: Another document under the same ID
    kind: cqc
"""


def line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def test_duplicates_across_inputs_name_both_places(tmp_path: Path) -> None:
    first_case, first_sources = FIXTURE_DIR / "cases" / "ZZ1.yaml", FIXTURE_DIR / "sources.yaml"
    again = write_case(tmp_path, "ZZ1.yaml", DUPLICATE_SOURCE + first_case.read_text(encoding="utf-8"))
    with pytest.raises(InputError) as raised:
        load_inputs(two_inputs(tmp_path))
    found = [(p.file, p.line, p.field, p.message) for p in raised.value.problems]
    # Each duplicate is reported once, at the second place, naming the first: one line says both.
    assert found == [
        (
            str(again),
            line_of(again, "- id: fx-cqc-alpha"),
            "sources[0].id",
            f"duplicate source ID 'fx-cqc-alpha' (first at {first_sources}:{line_of(first_sources, 'id: fx-cqc-alpha')})",
        ),
        (
            str(again),
            line_of(again, "ods: ZZ1"),
            "trust.ods",
            f"duplicate trust 'ZZ1' (also in {first_case}:{line_of(first_case, 'ods: ZZ1')})",
        ),
    ]


def test_a_manifest_declares_the_inputs(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(FIXTURE_DIR, data)
    shutil.copytree(QUERY_FIXTURE_EXTRA, tmp_path / "extra")
    (data / MANIFEST_FILE).write_text(
        "# FICTIONAL test inputs\ninputs:\n  - {path: ., format: case-files}\n  - {path: ../extra, format: case-files}\n",
        encoding="utf-8",
    )
    merged = load(data)
    assert [case.trust.ods for case in merged.cases] == ["ZZ1", "ZZ2", "ZZ3", "ZZ4"]
    # Naming a format reads the directory as that one input, manifest or not.
    assert [case.trust.ods for case in load(data, "case-files").cases] == ["ZZ1", "ZZ2", "ZZ3"]


def test_a_bad_manifest_is_reported_with_line_and_field(tmp_path: Path) -> None:
    manifest = tmp_path / MANIFEST_FILE
    manifest.write_text("inputs:\n  - path: .\n    format: case-file\n  - format: case-files\n", encoding="utf-8")
    with pytest.raises(InputError) as raised:
        load(tmp_path)
    found = [(p.line, p.field, p.message) for p in raised.value.problems]
    assert found == [
        (3, "inputs[0].format", "unknown input format 'case-file' (did you mean 'case-files'?)"),
        (4, "inputs[1].path", "required field is missing"),
    ]


def test_an_unknown_format_in_code_is_an_error() -> None:
    with pytest.raises(TrustKGError, match="unknown input format 'qdpx'"):
        load_inputs([Input(FIXTURE_DIR, "qdpx")])


def test_the_command_merges_named_inputs(cli: Callable[..., CliRun], tmp_path: Path) -> None:
    # build --input twice: the fixture's three trusts and ZZ4 from the second input, as one graph.
    fixture, extra = f"case-files:{FIXTURE_DIR}", f"case-files:{QUERY_FIXTURE_EXTRA}"
    built = cli("build", "--input", fixture, "--input", extra, "--out", str(tmp_path / "out"), "--no-validate")
    assert built.code == 0, built.err
    assert "trusts          4" in built.out
    answered = cli("query", "--input", fixture, "--input", extra, "--sparql", COUNT_TRUSTS, "-f", "csv")
    assert (answered.code, answered.out.split()) == (0, ["trusts", "4"])


def test_a_badly_named_input_is_a_usage_error(cli: Callable[..., CliRun]) -> None:
    assert cli("build", "--input", str(FIXTURE_DIR)).err.startswith("trustkg: input ")
    unknown = cli("build", "--input", f"case-file:{FIXTURE_DIR}")
    assert unknown.code == 2
    assert "unknown format 'case-file' (did you mean 'case-files'?)" in unknown.err


COUNT_TRUSTS = "PREFIX tkg: <https://w3id.org/trustkg/def/> SELECT (COUNT(?t) AS ?trusts) WHERE { ?t a tkg:Trust }"
