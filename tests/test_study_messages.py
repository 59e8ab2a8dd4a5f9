"""Messages about a study's data that used to mislead: each says what is wrong, where, and how to fix it.

Run on the data README's example (a FICTIONAL trust ZZ0 studied by two example studies) and on the
FICTIONAL second-study fixture.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from case_edits import edit, line_of, problems_of
from conftest import REPO, TESTS
from test_loader import write_readme_example

from trustkg.errors import InputError
from trustkg.loaders import Input, load_inputs
from trustkg.sources_report import inputs_markdown, main

SECOND_STUDY = TESTS / "fixtures" / "second-study"


@pytest.fixture
def readme_dir(tmp_path: Path) -> Path:
    write_readme_example(tmp_path / "data")
    return tmp_path / "data"


def test_a_bad_trust_type_is_the_only_problem_reported(readme_dir: Path) -> None:
    """Both studies name ZZ0, whose file exists: they are not told it has no case file."""
    case = readme_dir / "cases" / "ZZ0.yaml"
    edit(case, "type: [acute, community]", "type: acutee")
    assert problems_of(readme_dir) == [
        f"{case}:{line_of(case, 'acutee')}: trust.type: unknown trust type 'acutee' (did you mean 'acute'?)"
    ]


def test_a_trust_a_study_lists_is_reported_at_its_own_line(readme_dir: Path) -> None:
    sources = readme_dir / "sources.yaml"
    edit(
        sources,
        "    trusts: [ZZ0]\n  - id: example-study-2019",
        "    trusts:\n      - ZZ0\n      - ZZ9\n  - id: example-study-2019",
    )
    assert problems_of(readme_dir) == [
        f"{sources}:{line_of(sources, '- ZZ9')}: studies[0].trusts[1]: study 'example-study-2017' names trust"
        " 'ZZ9', which has no case file (did you mean 'ZZ0'?)"
    ]


def test_an_unknown_theme_says_how_to_add_one(readme_dir: Path) -> None:
    case = readme_dir / "cases" / "ZZ0.yaml"
    edit(case, "themes: [leadership, ex-speaking-up]", "themes: [leadership, ex-speaking-out]")
    (problem,) = problems_of(readme_dir)
    assert problem.startswith(f"{case}:{line_of(case, 'ex-speaking-out')}: evidence[1].themes[1]: ")
    assert "unknown theme 'ex-speaking-out' (did you mean 'ex-speaking-up'?)" in problem
    assert "themes/STUDY-ID.yaml" in problem and "'Studies and their themes'" in problem


def test_the_source_list_names_the_inputs_it_was_generated_from(tmp_path: Path) -> None:
    out = tmp_path / "SOURCES.md"
    assert main(["--data", str(SECOND_STUDY), "--out", str(out)]) == 0
    assert "Generated from the inputs of `second-study/trustkg.yaml` (`../../../data/` and `mh/`) by " in out.read_text(
        encoding="utf-8"
    )
    assert "Generated from `data/` by " in (REPO / "data" / "SOURCES.md").read_text(encoding="utf-8")
    assert inputs_markdown(REPO / "data") == "`data/`"


def test_an_input_that_is_not_case_files_is_named_with_its_format(tmp_path: Path) -> None:
    (tmp_path / "cases").mkdir()
    (tmp_path / "trustkg.yaml").write_text(
        "inputs:\n  - {path: ., format: case-files}\n  - {path: interviews/mapping.yaml, format: refi-qda}\n",
        encoding="utf-8",
    )
    assert inputs_markdown(tmp_path) == (
        f"the inputs of `{tmp_path.name}/trustkg.yaml` (`./` and `interviews/mapping.yaml` (refi-qda))"
    )


def test_interviews_at_a_trust_whose_case_file_is_broken_are_not_told_it_has_none(case_dir: Path) -> None:
    """The demo project's interviews at ZZ2 join the fixture's ZZ2 (FICTIONAL); its bad type is the one problem."""
    example = REPO / "examples" / "interviews"
    mapping = case_dir.parent / "mapping.yaml"
    text = (example / "mapping.yaml").read_text(encoding="utf-8").replace("../../data", str(case_dir))
    mapping.write_text(re.sub(r"trusts:\n(  .*\n)+", "", text), encoding="utf-8")
    (case_dir.parent / "fictional-interviews.qdpx").write_bytes((example / "fictional-interviews.qdpx").read_bytes())
    case = case_dir / "cases" / "ZZ2.yaml"
    edit(case, "  type: acute\n", "  type: acutee\n")
    with pytest.raises(InputError) as raised:
        load_inputs([Input(case_dir, "case-files"), Input(mapping, "refi-qda")])
    assert [str(problem) for problem in raised.value.problems] == [
        f"{case}:{line_of(case, 'acutee')}: trust.type: unknown trust type 'acutee' (did you mean 'acute'?)"
    ]
