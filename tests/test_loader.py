"""The case-file loader: the documented example loads, and every kind of bad input is reported
with file, line and field, all at once."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import URIRef
from rdflib.namespace import SKOS

from tests.conftest import FIXTURE_DIR, REPO
from tests.query_rows import rows
from trustkg import api, iris
from trustkg.errors import InputError, Problem
from trustkg.loaders import load
from trustkg.loaders.casefiles import load_case_files
from trustkg.ontology import TKG
from trustkg.records import PartialDate, RatingChangeRef


def write_readme_example(target: Path) -> None:
    """Write the ```yaml blocks of data/README.md to the files their first line names."""
    text = (REPO / "data" / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", text, flags=re.DOTALL)
    assert len(blocks) == 4, "data/README.md should show codebook.yaml, sources.yaml, a theme scheme and a case file"
    for block in blocks:
        name = re.match(r"# file: (\S+)", block)
        assert name is not None, "each example block starts with '# file: NAME'"
        path = target / name[1]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(block, encoding="utf-8")


def test_the_readme_example_loads(tmp_path: Path) -> None:
    write_readme_example(tmp_path)
    base = load_case_files(tmp_path)
    (case,) = base.cases
    assert case.trust.ods == "ZZ0"
    assert [i.id for i in case.inspections] == ["zz0-2015", "zz0-2016", "zz0-2016-site", "zz0-2017-wards"]
    assert case.inspections[3].scope == (None, "acute-wards")
    assert [service.name for service in case.trust.core_services] == ["Acute wards for adults of working age"]
    assert case.inspections[1].start == PartialDate(2016, 10, 11)
    assert case.special_measures[0].exited == PartialDate(2016, 12)
    assert base.sources["example-news-2018"].kind == "trust"
    assert case.evidence[0].rating_changes == (RatingChangeRef("well-led", "zz0-2016"),)
    assert case.evidence[1].interview == "int-01"
    assert base.codebook.action_types["peer-support"].reserved
    (scheme,) = base.theme_schemes
    assert scheme.study == "example-study-2019"
    assert base.sources["example-study-2019"].study is not None
    assert base.sources["example-study-2019"].study.companion_of == "example-study-2017"


def test_the_readme_example_builds_its_studies_and_themes(tmp_path: Path) -> None:
    """The example's second study, its themes and their mappings, as the graph holds them and queries use them."""
    write_readme_example(tmp_path)
    graph = api.build_graph_from(tmp_path, "memory").graph
    first, second = (URIRef(f"https://example.org/studies/{page}") for page in ("improvement-2017", "staff-voice-2019"))
    assert (second, TKG.companionOf, first) in graph
    assert (second, TKG.themeScheme, iris.theme_scheme("example-study-2019")) in graph
    assert (first, TKG.themeScheme, iris.theme_scheme()) in graph
    assert (iris.theme("ex-staff-voice"), SKOS.closeMatch, iris.theme("cultural-change")) in graph
    assert (iris.theme("ex-speaking-up"), SKOS.broader, iris.theme("ex-staff-voice")) in graph
    # The core service's inspection is in the graph with its scope; its one safe rating starts no change.
    assert (iris.inspection("ZZ0", "zz0-2017-wards"), TKG.coreService, iris.core_service("ZZ0", "acute-wards")) in graph
    # ev-01 and ev-03 are tagged leadership, ev-02 leadership and ex-speaking-up: in the items' own terms,
    # and rolled up to the first study's.
    assert rows(graph, "theme-coverage", study="example-study-2019") == [
        ("ZZ0", None, 3),
        ("ZZ0", "ex-speaking-up", 1),
        ("ZZ0", "ex-staff-voice", 1),
        ("ZZ0", "leadership", 3),
    ]
    assert rows(graph, "theme-coverage", in_terms_of="example-study-2017") == [
        ("ZZ0", None, 3),
        ("ZZ0", "cultural-change", 1),  # ev-02: ex-speaking-up -> ex-staff-voice -> close match
        ("ZZ0", "leadership", 3),
    ]


def test_fixture_records(fixture_base) -> None:
    assert [c.trust.ods for c in fixture_base.cases] == ["ZZ1", "ZZ2", "ZZ3"]
    zz1 = fixture_base.cases[0]
    assert zz1.inspections[1].sources[0].locator == "p. 2"
    assert zz1.outcomes[0].before is not None and zz1.outcomes[0].before.value == 3.6


def test_rating_changes_are_derived_per_key_question_and_scope(fixture_base) -> None:
    # By hand from the fixture: ZZ1 overall inadequate -> RI -> good, well-led inadequate -> good -> good,
    # safe inadequate -> inadequate -> good; ZZ2 overall RI -> good, well-led RI -> outstanding;
    # ZZ3's two inspections differ in scope (site, then trust), so nothing is derived.
    found = {
        (case.trust.ods, str(change.ref), change.from_level, change.to_level, change.rank_change)
        for case in fixture_base.cases
        for change in case.rating_changes()
    }
    assert found == {
        ("ZZ1", "overall@a-2016", "inadequate", "requires-improvement", 1),
        ("ZZ1", "overall@a-2018", "requires-improvement", "good", 1),
        ("ZZ1", "well-led@a-2016", "inadequate", "good", 2),
        ("ZZ1", "safe@a-2018", "inadequate", "good", 2),
        ("ZZ2", "overall@b-2016", "requires-improvement", "good", 1),
        ("ZZ2", "well-led@b-2016", "requires-improvement", "outstanding", 2),
    }


def test_unknown_input_format() -> None:
    with pytest.raises(Exception, match="unknown input format 'qdpx'; known: case-files"):
        load(FIXTURE_DIR, "qdpx")


# --- bad input ----------------------------------------------------------------------------


def problems_after(data: Path, file: str, old: str, new: str) -> list[Problem]:
    """Replace ``old`` by ``new`` once in one fixture file and return the loader's problems."""
    path = data / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, f"test set-up: {old!r} not in {file}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(InputError) as raised:
        load_case_files(data)
    return raised.value.problems


def line_of(data: Path, file: str, needle: str) -> int:
    """The 1-based line of the first occurrence of ``needle`` (how a person would find it)."""
    for number, line in enumerate((data / file).read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {file}")


def only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, "\n".join(map(str, problems))
    return problems[0]


def test_malformed_yaml(case_dir: Path) -> None:
    problem = only(problems_after(case_dir, "cases/ZZ2.yaml", "  type: acute\n", "  type: [acute\n"))
    assert problem.file.endswith("cases/ZZ2.yaml")
    assert problem.field == "(syntax)"
    assert problem.line is not None and problem.line >= line_of(case_dir, "cases/ZZ2.yaml", "type: [acute")
    assert "malformed YAML" in problem.message


def test_missing_required_field(case_dir: Path) -> None:
    problem = only(problems_after(case_dir, "cases/ZZ1.yaml", "    label: Listening events for all staff\n", ""))
    assert problem.file.endswith("cases/ZZ1.yaml")
    assert problem.field == "actions[1].label"
    assert problem.line == line_of(case_dir, "cases/ZZ1.yaml", "id: a-listening")
    assert problem.message == "required field is missing"


def test_unknown_codebook_id_suggests(case_dir: Path) -> None:
    problem = only(problems_after(case_dir, "cases/ZZ1.yaml", "type: visible-leadership", "type: visible-leadershp"))
    assert problem.field == "actions[0].type"
    assert problem.line == line_of(case_dir, "cases/ZZ1.yaml", "visible-leadershp")
    assert "unknown action type 'visible-leadershp'" in problem.message
    assert "did you mean 'visible-leadership'" in problem.message


def test_unknown_theme_suggests(case_dir: Path) -> None:
    problem = only(
        problems_after(
            case_dir,
            "cases/ZZ2.yaml",
            "    themes: [cultural-change]\n    source",
            "    themes: [culture-change]\n    source",
        )
    )
    assert problem.field == "actions[2].themes[0]"
    assert problem.line == line_of(case_dir, "cases/ZZ2.yaml", "culture-change")
    assert "did you mean 'cultural-change'" in problem.message


def test_unknown_role_suggests(case_dir: Path) -> None:
    problem = only(problems_after(case_dir, "cases/ZZ2.yaml", "reported_by: chair", "reported_by: chiar"))
    assert problem.field == "evidence[2].reported_by"
    assert problem.line == line_of(case_dir, "cases/ZZ2.yaml", "reported_by: chiar")
    assert "unknown role 'chiar'" in problem.message and "'chair'" in problem.message


def test_duplicate_id(case_dir: Path) -> None:
    problems = problems_after(case_dir, "cases/ZZ1.yaml", "- id: a-listening", "- id: a-walkabouts")
    lines = [
        n
        for n, text in enumerate((case_dir / "cases/ZZ1.yaml").read_text().splitlines(), 1)
        if "- id: a-walkabouts" in text
    ]
    duplicate, dangling = problems
    assert (duplicate.field, duplicate.line) == ("actions.id", lines[1])
    assert duplicate.message == f"duplicate ID 'a-walkabouts' (first on line {lines[0]})"
    # The evidence that named the renamed action is reported in the same run.
    assert dangling.field == "evidence[2].actions[0]" and "'a-listening'" in dangling.message


def test_duplicate_trust_across_files(case_dir: Path) -> None:
    problem = only(problems_after(case_dir, "cases/ZZ3.yaml", "ods: ZZ3", "ods: ZZ1"))
    assert problem.file.endswith("cases/ZZ3.yaml")
    assert problem.field == "trust.ods"
    assert "duplicate trust 'ZZ1'" in problem.message and "ZZ1.yaml" in problem.message


def test_date_that_does_not_parse(case_dir: Path) -> None:
    problem = only(problems_after(case_dir, "cases/ZZ1.yaml", "start: 2016-09-12", "start: 2016-09-31"))
    assert problem.field == "inspections[1].start"
    assert problem.line == line_of(case_dir, "cases/ZZ1.yaml", "2016-09-31")
    assert "'2016-09-31' is not a date" in problem.message


def test_rating_outside_vocabulary(case_dir: Path) -> None:
    problem = only(problems_after(case_dir, "cases/ZZ2.yaml", "well-led: outstanding", "well-led: excellent"))
    assert problem.field == "inspections[1].ratings.well-led"
    assert problem.line == line_of(case_dir, "cases/ZZ2.yaml", "excellent")
    assert "unknown rating 'excellent'" in problem.message


def test_unknown_key_question(case_dir: Path) -> None:
    problem = only(problems_after(case_dir, "cases/ZZ2.yaml", "{overall: good, well-led", "{overal: good, well-led"))
    assert problem.field == "inspections[1].ratings.overal"
    assert "did you mean 'overall'" in problem.message


def test_evidence_naming_a_missing_action(case_dir: Path) -> None:
    problem = only(problems_after(case_dir, "cases/ZZ1.yaml", "actions: [a-qi]", "actions: [a-qii]"))
    assert problem.field == "evidence[3].actions[0]"
    assert problem.line == line_of(case_dir, "cases/ZZ1.yaml", "a-qii")
    assert "unknown action (declare it under actions) 'a-qii'" in problem.message
    assert "did you mean 'a-qi'" in problem.message


def test_evidence_naming_a_missing_outcome(case_dir: Path) -> None:
    problem = only(problems_after(case_dir, "cases/ZZ2.yaml", "outcomes: [b-incidents]", "outcomes: [b-incident]"))
    assert problem.field == "evidence[3].outcomes[0]"
    assert "unknown outcome 'b-incident'" in problem.message and "did you mean 'b-incidents'" in problem.message


def test_evidence_naming_a_rating_change_that_did_not_happen(case_dir: Path) -> None:
    # a-2016 -> a-2018 kept well-led at good: no change arrives at a-2018.
    problem = only(
        problems_after(case_dir, "cases/ZZ1.yaml", "outcomes: [well-led@a-2016]", "outcomes: [well-led@a-2018]")
    )
    assert problem.field == "evidence[0].outcomes[0]"
    assert "no rating change on 'well-led' arrives at inspection 'a-2018'" in problem.message
    assert "the rating stayed 'good' from inspection 'a-2016'" in problem.message
    assert "(known: )" not in problem.message


@pytest.mark.parametrize(
    ("ref", "reason"),
    [
        ("well-led@a-2015", "it is the first inspection of its scope to rate 'well-led'"),
        ("caring@a-2016", "the inspection does not rate 'caring'"),
    ],
)
def test_a_rating_change_that_cannot_exist_says_why(case_dir: Path, ref: str, reason: str) -> None:
    problem = only(problems_after(case_dir, "cases/ZZ1.yaml", "outcomes: [well-led@a-2016]", f"outcomes: [{ref}]"))
    assert reason in problem.message


def test_unknown_source(case_dir: Path) -> None:
    problem = only(
        problems_after(
            case_dir, "cases/ZZ2.yaml", "  source: fx-beta-paper\ninspections", "  source: fx-beta-papr\ninspections"
        )
    )
    assert problem.field == "trust.source"
    assert "unknown source 'fx-beta-papr'" in problem.message and "did you mean 'fx-beta-paper'" in problem.message


def test_unknown_field_is_an_error(case_dir: Path) -> None:
    problem = only(problems_after(case_dir, "cases/ZZ2.yaml", "    started: 2014-09", "    strated: 2014-09"))
    assert problem.field == "actions[0].strated"
    assert "unknown field" in problem.message and "did you mean 'started'" in problem.message


def test_duplicate_source_url(case_dir: Path) -> None:
    problem = only(
        problems_after(
            case_dir,
            "sources.yaml",
            "https://example.org/fixture/alpha/news",
            "https://example.org/fixture/cqc/alpha-report",
        )
    )
    assert problem.file.endswith("sources.yaml")
    assert problem.field == "sources[1].url"
    assert "URL already given as source 'fx-cqc-alpha'" in problem.message


def test_hostile_yaml_is_not_constructed(case_dir: Path) -> None:
    # The safe composer never builds Python objects; a tag is read as plain text, then checked as text.
    problem = only(
        problems_after(
            case_dir,
            "cases/ZZ3.yaml",
            "name: Fixture Gamma Community NHS Trust",
            "name: !!python/object/apply:os.system ['true']",
        )
    )
    assert problem.field == "trust.name"
    assert "must be text" in problem.message


def test_all_problems_are_reported_at_once(case_dir: Path) -> None:
    cases = case_dir / "cases"
    (cases / "ZZ1.yaml").write_text(
        (cases / "ZZ1.yaml")
        .read_text()
        .replace("type: visible-leadership", "type: nope")
        .replace("start: 2018-01", "start: 2018-13"),
        encoding="utf-8",
    )
    (cases / "ZZ2.yaml").write_text(
        (cases / "ZZ2.yaml").read_text().replace("well-led: outstanding", "well-led: great"), encoding="utf-8"
    )
    with pytest.raises(InputError) as raised:
        load_case_files(case_dir)
    fields = {(Path(p.file).name, p.field) for p in raised.value.problems}
    # Each broken record is reported where it is declared, once: the evidence items that
    # name the broken action or the broken inspections' rating changes are not reported again.
    assert fields == {
        ("ZZ1.yaml", "actions[0].type"),
        ("ZZ1.yaml", "inspections[2].start"),
        ("ZZ2.yaml", "inspections[1].ratings.well-led"),
    }
    assert str(raised.value).startswith("3 problems in the input:")


# --- link claims (FICTIONAL fixture edits) -------------------------------------------------


def test_old_style_item_is_told_how_to_write_links(case_dir: Path) -> None:
    old_links = (
        "    links:\n      - action: a-walkabouts\n        outcome: well-led@a-2016\n        attribution: stated\n"
    )
    problem = only(problems_after(case_dir, "cases/ZZ1.yaml", old_links, ""))
    assert problem.field == "evidence[0].links"
    assert problem.line == line_of(case_dir, "cases/ZZ1.yaml", "id: a-e1")
    assert "names actions and outcomes but no links" in problem.message
    assert "attribution: stated" in problem.message and "links: []" in problem.message


def test_an_item_may_name_without_linking(case_dir: Path) -> None:
    old_links = (
        "    links:\n      - action: a-walkabouts\n        outcome: well-led@a-2016\n        attribution: stated\n"
    )
    path = case_dir / "cases/ZZ1.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(old_links, "    links: []\n", 1), encoding="utf-8")
    item = next(e for c in load_case_files(case_dir).cases for e in c.evidence if e.id == "a-e1")
    assert item.links == () and item.actions == ("a-walkabouts",)


def test_curator_claim_needs_a_note(case_dir: Path) -> None:
    problem = only(
        problems_after(
            case_dir,
            "cases/ZZ1.yaml",
            "outcome: well-led@a-2016\n        attribution: stated",
            "outcome: well-led@a-2016\n        attribution: curator",
        )
    )
    assert problem.field == "evidence[0].links[0].note"
    assert "needs a note" in problem.message


def test_unknown_attribution_suggests(case_dir: Path) -> None:
    problem = only(
        problems_after(
            case_dir,
            "cases/ZZ1.yaml",
            "outcome: well-led@a-2016\n        attribution: stated",
            "outcome: well-led@a-2016\n        attribution: stater",
        )
    )
    assert problem.field == "evidence[0].links[0].attribution"
    assert "unknown attribution 'stater'" in problem.message and "did you mean 'stated'" in problem.message


def test_link_to_an_unknown_outcome_is_placed_at_the_link(case_dir: Path) -> None:
    problem = only(
        problems_after(
            case_dir,
            "cases/ZZ1.yaml",
            "    links:\n      - action: a-walkabouts\n        outcome: well-led@a-2016",
            "    links:\n      - action: a-walkabouts\n        outcome: a-engagment",
        )
    )
    assert problem.field == "evidence[0].links[0].outcome"
    assert "unknown outcome 'a-engagment'" in problem.message and "did you mean 'a-engagement'" in problem.message


def test_same_statement_and_copy_must_name_known_records(case_dir: Path) -> None:
    path = case_dir / "cases/ZZ1.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "    source: fx-cqc-alpha\n    reported_by: chief-executive",
        "    source: fx-cqc-alpha\n    same_statement_as: a-e9\n    reported_by: chief-executive",
        1,
    )
    path.write_text(text, encoding="utf-8")
    problems = problems_after(case_dir, "sources.yaml", "    kind: cqc\n", "    kind: cqc\n    copy_of: fx-nowhere\n")
    messages = sorted(p.message for p in problems)
    assert len(problems) == 2, messages
    assert any("unknown evidence item 'a-e9'" in m for m in messages)
    assert any("unknown source 'fx-nowhere'" in m for m in messages)
