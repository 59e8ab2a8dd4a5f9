"""Studies in sources.yaml: how they load, what they become in the graph, and how bad ones are reported.

Each test writes a `studies:` section into a writable copy of the fictional fixture (the shared fixture
files themselves are left as they are, since other tests count their documents).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import CliRun
from rdflib import URIRef
from rdflib.namespace import DCTERMS, RDF

from trustkg.build import build_graph, date_literal
from trustkg.errors import InputError
from trustkg.loaders.casefiles import load_case_files
from trustkg.ontology import ID, ROLE, THEME, TKG
from trustkg.records import PartialDate, StudyDetails

STUDY = """
studies:
  - id: fx-study
    url: https://example.org/fixture/study
    title: Fixture study of two trusts
    kind: cqc-study
    published: 2017-06-14
    interviewee_roles: [chief-executive, frontline-staff]
    themes: [leadership, governance]
    trusts: [ZZ1, zz2]
  - id: fx-follow-up
    url: https://example.org/fixture/follow-up
    title: Fixture follow-up
    kind: cqc-study
    follows_up: fx-study
    trusts: [ZZ1]
"""

PAGE = """
  - id: fx-follow-up-page
    url: https://example.org/fixture/follow-up/zz1
    title: Fixture follow-up, page on Alpha
    kind: cqc-study
    part_of: fx-follow-up
"""


def add_to_sources(case_dir: Path, studies: str, sources: str = "") -> Path:
    """Prepend a studies section and append source entries to the copy's sources.yaml."""
    path = case_dir / "sources.yaml"
    path.write_text(studies + path.read_text(encoding="utf-8") + sources, encoding="utf-8")
    return path


def problems_of(case_dir: Path) -> list[tuple[int | None, str, str]]:
    with pytest.raises(InputError) as raised:
        load_case_files(case_dir)
    assert all(p.file.endswith("sources.yaml") for p in raised.value.problems)
    return [(p.line, p.field, p.message) for p in raised.value.problems]


def test_a_study_loads_with_its_details(case_dir: Path) -> None:
    add_to_sources(case_dir, STUDY, PAGE)
    sources = load_case_files(case_dir).sources
    assert sources["fx-study"].study == StudyDetails(
        interviewee_roles=("chief-executive", "frontline-staff"),
        themes=("leadership", "governance"),
        trusts=("ZZ1", "ZZ2"),
    )
    assert sources["fx-study"].published == PartialDate(2017, 6, 14)
    assert sources["fx-follow-up"].study == StudyDetails(trusts=("ZZ1",), follows_up="fx-study")
    assert sources["fx-follow-up-page"].study is None
    assert sources["fx-follow-up-page"].part_of == "fx-follow-up"
    assert sources["fx-alpha-news"].study is None and sources["fx-alpha-news"].part_of is None


def test_a_study_in_the_graph(case_dir: Path) -> None:
    add_to_sources(case_dir, STUDY, PAGE)
    graph, _ = build_graph(load_case_files(case_dir))
    study, follow_up = URIRef("https://example.org/fixture/study"), URIRef("https://example.org/fixture/follow-up")
    assert (study, RDF.type, TKG.Study) in graph and (study, RDF.type, TKG.Document) in graph
    assert set(graph.objects(study, TKG.intervieweeRole)) == {ROLE["chief-executive"], ROLE["frontline-staff"]}
    assert set(graph.objects(study, TKG.studyTheme)) == {THEME.leadership, THEME.governance}
    assert set(graph.objects(study, TKG.studiedTrust)) == {ID["trust/ZZ1"], ID["trust/ZZ2"]}
    assert graph.value(study, DCTERMS.issued) == date_literal(PartialDate(2017, 6, 14))
    assert list(graph.objects(follow_up, TKG.followsUp)) == [study]
    page = URIRef("https://example.org/fixture/follow-up/zz1")
    assert list(graph.objects(page, DCTERMS.isPartOf)) == [follow_up]
    assert (page, RDF.type, TKG.Study) not in graph


def test_bad_studies_are_all_reported_with_line_and_field(case_dir: Path) -> None:
    add_to_sources(
        case_dir,
        """studies:
  - id: bad-study
    url: https://example.org/fixture/bad-study
    title: A bad study
    kind: cqc-study
    interviewee_roles: [chief-executiv]
    themes: [leadrship, leadership, leadership]
    trusts: [ZZ9]
    follows_up: no-such-study
    authors: [someone]
""",
        """
  - id: fx-page
    url: https://example.org/fixture/page
    title: A page of an unknown study
    kind: cqc-study
    part_of: fx-alpha-news
  - id: fx-not-a-study
    url: https://example.org/fixture/not-a-study
    title: A source with a study field
    kind: trust
    themes: [leadership]
""",
    )
    found = problems_of(case_dir)
    by_field = {field: (line, message) for line, field, message in found}
    assert by_field["studies[0].interviewee_roles[0]"][0] == 6
    assert "unknown role 'chief-executiv'" in by_field["studies[0].interviewee_roles[0]"][1]
    assert "unknown theme 'leadrship'" in by_field["studies[0].themes[0]"][1]
    assert "listed twice" in by_field["studies[0].themes[2]"][1]
    assert by_field["studies[0].authors"][0] == 10
    assert by_field["studies[0].authors"][1].startswith("unknown field")
    assert by_field["studies[0].trusts[0]"][0] == 8  # the item's own line, not the study's
    assert "names trust 'ZZ9', which has no case file" in by_field["studies[0].trusts[0]"][1]
    assert "follows up unknown study 'no-such-study'" in by_field["follows_up"][1]
    assert "part of unknown study 'fx-alpha-news'" in by_field["part_of"][1]
    assert by_field["sources[4].themes"][1].startswith("unknown field")
    assert len(found) == 8


def test_a_study_cannot_follow_itself(case_dir: Path) -> None:
    add_to_sources(
        case_dir,
        """studies:
  - id: loop
    url: https://example.org/fixture/loop
    title: A study that follows itself
    kind: cqc-study
    follows_up: loop
""",
    )
    assert problems_of(case_dir) == [(2, "follows_up", "study 'loop' cannot follow up itself")]


def test_a_failed_build_writes_nothing(case_dir: Path, tmp_path: Path, cli: Callable[..., CliRun]) -> None:
    add_to_sources(case_dir, STUDY.replace("[ZZ1, zz2]", "[ZZ1, ZZ404]"))
    out = tmp_path / "out"
    run = cli("build", "--data", str(case_dir), "--out", str(out))
    assert run.code == 2
    assert "ZZ404" in run.err
    assert not out.exists()
