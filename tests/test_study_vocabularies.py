"""What a study brings beside the package's vocabularies: several types per trust, roles of its own, and
the subset of a shared codebook it uses. On the FICTIONAL second study (tests/fixtures/second-study) built
beside the shipped data, and on the data README's example, with answers worked out by hand.

Facts read off ``tests/fixtures/second-study/mh/`` for these answers (the rest is in test_second_study.py):
ZY1 is of type mental-health; ZY2 of types mental-health and learning-disability. ZY2's items: zy2-e1
(mh-restraint, mh-ward-to-board) and zy2-e2 (leadership).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from case_edits import edit, line_of, problems_of
from conftest import REPO, TESTS
from query_rows import rows
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS
from test_loader import write_readme_example

from trustkg import api, iris, store
from trustkg.evidence_map import evidence_map, page_data
from trustkg.evidence_profile import role_groups
from trustkg.instances import instance_graph
from trustkg.links_report import links_markdown
from trustkg.loaders import load
from trustkg.map_filters import facets, with_filters
from trustkg.ontology import TKG, vocabulary_ids
from trustkg.sources_report import sources_markdown
from trustkg.sparql import run_query
from trustkg.validate import curation_checks

SECOND_STUDY = TESTS / "fixtures" / "second-study"
MH = "fx-mh-study-2018"
DI = "driving-improvement-2017"

#: ZY2's theme-coverage rows, the same with study=MH and without: its items' own themes and their broader ones.
ZY2_COVERAGE = [
    ("ZY2", None, 2),
    ("ZY2", "leadership", 1),
    ("ZY2", "mh-restraint", 1),
    ("ZY2", "mh-safe-wards", 1),
    ("ZY2", "mh-ward-to-board", 1),
]


@pytest.fixture(scope="module", params=store.local_stores())
def combined(request: pytest.FixtureRequest) -> Graph:
    return api.build_graph_from(SECOND_STUDY, request.param).graph


@pytest.fixture
def readme_dir(tmp_path: Path) -> Path:
    write_readme_example(tmp_path)
    return tmp_path


# --- several types per trust -----------------------------------------------------------------


def test_the_readme_example_builds_a_trust_of_two_types(readme_dir: Path) -> None:
    graph = api.build_graph_from(readme_dir, "memory").graph
    assert set(graph.objects(iris.trust("ZZ0"), TKG.trustType)) == {
        iris.trust_type("acute"),
        iris.trust_type("community"),
    }


def test_a_single_type_is_still_one_value(combined: Graph) -> None:
    assert set(combined.objects(iris.trust("ZY1"), TKG.trustType)) == {iris.trust_type("mental-health")}
    assert set(combined.objects(iris.trust("ZY2"), TKG.trustType)) == {
        iris.trust_type("mental-health"),
        iris.trust_type("learning-disability"),
    }


def test_a_query_on_trust_type_finds_a_trust_by_any_of_its_types(combined: Graph) -> None:
    for study in ({"study": MH}, {}):
        assert rows(combined, "theme-coverage", trust_type="learning-disability", **study) == ZY2_COVERAGE
    mental_health = rows(combined, "theme-coverage", trust_type="mental-health")
    assert {row[0] for row in mental_health} == {"ZY1", "ZY2"}
    assert [row for row in mental_health if row[0] == "ZY2"] == ZY2_COVERAGE
    # No trust of the 2017 study is of either type.
    assert rows(combined, "theme-coverage", trust_type="learning-disability", study=DI) == []


def test_an_unknown_type_in_a_list_is_reported_at_its_item(readme_dir: Path) -> None:
    case = readme_dir / "cases" / "ZZ0.yaml"
    edit(case, "type: [acute, community]", "type: [acute, comunity]")
    assert problems_of(readme_dir) == [
        f"{case}:{line_of(case, 'comunity')}: trust.type[1]: unknown trust type 'comunity' (did you mean 'community'?)"
    ]


def test_the_vocabulary_has_the_trust_types_of_the_nhs() -> None:
    assert {"acute", "mental-health", "community", "ambulance", "learning-disability", "combined", "specialist"} == set(
        vocabulary_ids("trust-types")
    )


def test_the_shipped_data_is_untouched_by_the_change(combined: Graph) -> None:
    """Every shipped trust keeps its one type (the shipped files were not migrated: a single value is kept)."""
    shipped = sorted(path.stem for path in (REPO / "data" / "cases").glob("*.yaml"))
    for ods in shipped:
        assert len(set(combined.objects(iris.trust(ods), TKG.trustType))) == 1, ods


# --- roles a study adds ----------------------------------------------------------------------

PEER = "fx-peer-support-worker"  # the fixture study's own role, in the staff group; zy1-e2 is reported by it


def test_the_readme_example_builds_the_role_its_study_adds(readme_dir: Path) -> None:
    graph = api.build_graph_from(readme_dir, "memory").graph
    guardian = iris.role("ex-speak-up-guardian")
    study = URIRef("https://example.org/studies/staff-voice-2019")
    assert (guardian, RDF.type, TKG.Role) in graph
    assert (guardian, SKOS.broader, iris.role("staff")) in graph
    assert (guardian, SKOS.inScheme, iris.role_scheme()) in graph
    assert (guardian, SKOS.prefLabel, Literal("Freedom to speak up guardian", lang="en")) in graph
    assert (guardian, DCTERMS.source, study) in graph
    assert (study, TKG.intervieweeRole, guardian) in graph
    assert (iris.participant("ZZ0", "int-02"), TKG.role, guardian) in graph


def test_a_role_a_study_adds_counts_in_its_role_group(combined: Graph) -> None:
    # zy1-e2 (the study's own role) speaks of mh-regulator-relationship: counted under staff, not lost.
    regulator = ("mh-regulator-relationship", 0, 0, 1, 0, 0, 1)
    assert regulator in rows(combined, "role-perspectives", study=MH)
    assert regulator in rows(combined, "role-perspectives")
    # Asked by the role, or by its group: zy1-e2's link; the group adds zy2-e1 (frontline staff).
    for study in ({"study": MH}, {}):
        assert [row[:2] for row in rows(combined, "actions-to-outcomes", role=PEER, **study)] == [
            ("leadership-replacement", "rating-improved/overall")
        ]
    assert [row[:2] for row in rows(combined, "actions-to-outcomes", role="staff", study=MH)] == [
        ("clinical-practice-fixes", "rating-improved/overall"),
        ("leadership-replacement", "rating-improved/overall"),
    ]
    assert [row[:3] for row in rows(combined, "search-evidence", text="peer support")] == [("ZY1", "zy1-e2", PEER)]


def test_the_reports_name_a_role_a_study_adds() -> None:
    base = load(SECOND_STUDY)
    sources = sources_markdown(base)
    assert "interviewee roles: chief executive, frontline staff, peer support worker" in sources
    assert "| Peer support worker (staff) | 1 |" in sources  # zy1-e2's one link claim, in the evidence profile
    assert "- **reported together**: zy1-e2, peer support worker, [Fixture CQC report on Moorside" in links_markdown(
        base
    )


def test_the_package_has_the_new_roles_in_their_groups() -> None:
    groups = role_groups(load(SECOND_STUDY))
    assert {role: groups[role] for role in NEW_ROLES} == NEW_ROLES


NEW_ROLES = {
    "director-of-operations": "Executive",
    "director-of-strategy": "Executive",
    "clinical-director": "Staff",
    "carer": "Patient and public",
    "service-user": "Patient and public",
    "voluntary-or-community-group": "External stakeholder",
    PEER: "Staff",
}


def test_an_unknown_role_group_is_reported_at_its_field(readme_dir: Path) -> None:
    sources = readme_dir / "sources.yaml"
    edit(sources, "        group: staff", "        group: staf")
    # The one problem: what uses the role is not told that the role is unknown.
    assert problems_of(readme_dir) == [
        f"{sources}:{line_of(sources, 'group: staf')}: studies[1].roles[0].group: unknown role group 'staf'"
        " (did you mean 'staff'?)"
    ]


def test_an_unknown_role_says_how_to_add_one(readme_dir: Path) -> None:
    case = readme_dir / "cases" / "ZZ0.yaml"
    edit(case, "role: ex-speak-up-guardian", "role: ex-speak-up-guardin")
    assert problems_of(readme_dir) == [
        f"{case}:{line_of(case, 'ex-speak-up-guardin')}: interviews[1].role: unknown role 'ex-speak-up-guardin'"
        " (did you mean 'ex-speak-up-guardian'?); a role of a study's own is declared under the study's roles: in"
        " sources.yaml of the same input, with the role group it belongs to (data/README.md, 'Roles a study adds')"
    ]


def test_a_study_cannot_take_a_role_of_the_package_or_another_study(readme_dir: Path) -> None:
    sources = readme_dir / "sources.yaml"
    edit(sources, "      - id: ex-speak-up-guardian", "      - id: chair")
    problems = problems_of(readme_dir)
    clash = (
        f"{sources}:{line_of(sources, '- id: chair')}: studies[1].roles[0].id: role 'chair' is a role of the package"
        " (ontology/vocab/roles.ttl)"
    )
    assert clash in problems
    # The study and the case file still name the study's role, which it no longer adds under that ID.
    others = [problem for problem in problems if problem != clash]
    assert len(others) == 2 and all("unknown role 'ex-speak-up-guardian'" in problem for problem in others)


def test_two_studies_adding_one_role_is_reported_where_the_second_does(readme_dir: Path) -> None:
    sources = readme_dir / "sources.yaml"
    edit(
        sources,
        "    trusts: [ZZ0]\n  - id: example-study-2019",
        "    trusts: [ZZ0]\n    roles: [{id: ex-speak-up-guardian, label: Guardian, group: staff}]\n"
        "  - id: example-study-2019",
    )
    first = line_of(sources, "roles: [{id: ex-speak-up-guardian")
    assert problems_of(readme_dir) == [
        f"{sources}:{line_of(sources, '      - id: ex-speak-up-guardian')}: studies[1].roles[0].id: duplicate role ID"
        f" 'ex-speak-up-guardian' (first on line {first})"
    ]


# --- a study's part of a shared codebook ------------------------------------------------------


def test_the_readme_example_builds_the_codebook_part_its_study_uses(readme_dir: Path) -> None:
    graph = api.build_graph_from(readme_dir, "memory").graph
    study = URIRef("https://example.org/studies/staff-voice-2019")
    assert set(graph.objects(study, TKG.usesCodebookType)) == {
        iris.action_type("visible-leadership"),
        iris.outcome_type("staff-recommend-work"),
    }


def test_the_second_study_uses_part_of_the_shared_codebook(combined: Graph) -> None:
    study = URIRef("https://example.org/fixture/mh-study-2018")
    assert set(combined.objects(study, TKG.usesCodebookType)) == {
        iris.action_type(type_id)
        for type_id in ("staff-listening", "leadership-replacement", "clinical-practice-fixes")
    }
    # The 2017 study names no subset: the whole codebook is expected, and the shipped data uses it all.
    assert len(run_query(combined, curation_checks()["unused-codebook-type-violation"])) == 0


def test_an_unknown_codebook_type_of_a_study_is_reported_at_its_item(readme_dir: Path) -> None:
    sources = readme_dir / "sources.yaml"
    edit(sources, "codebook_types: [visible-leadership, staff-recommend-work]", "codebook_types: [visible-leadershp]")
    assert problems_of(readme_dir) == [
        f"{sources}:{line_of(sources, 'visible-leadershp')}: studies[1].codebook_types[0]: unknown codebook type"
        " 'visible-leadershp' (did you mean 'visible-leadership'?)"
    ]


def test_the_evidence_map_of_the_study_marks_the_types_it_does_not_use(combined: Graph) -> None:
    """On the study's pages the codebook is whole, but its trusts use three action types: the rest are unused."""
    graph = api.study_graph(combined, MH, "memory")
    data = with_filters(graph, page_data(evidence_map(graph)))
    used = {row["key"] for group in data["groups"] for row in group["rows"] if not row["unused"]}
    assert used == {"staff-listening", "leadership-replacement", "clinical-practice-fixes"}
    # Its columns in use are the types of its trusts' own outcomes (read off the records, not the graph) and
    # the derived rating changes, which have their own toggle and are never marked unused.
    base = load(SECOND_STUDY)
    study = base.sources[MH].study
    assert study is not None
    own = {outcome.type for case in base.cases if case.trust.ods in study.trusts for outcome in case.outcomes}
    columns = [column for group in data["columnGroups"] for column in group["columns"]]
    assert {c["key"] for c in columns if not c["unused"]} == own | {c["key"] for c in columns if c["derived"]}
    # On the combined graph the shipped data uses every type but those its codebook marks reserved.
    whole = with_filters(combined, page_data(evidence_map(combined)))
    reserved = {
        str(notation)
        for t in combined.subjects(TKG.reserved, Literal(True))
        for notation in combined.objects(t, SKOS.notation)
    }
    assert reserved == {"performance-information"}  # data/codebook.yaml
    assert {row["key"] for group in whole["groups"] for row in group["rows"] if row["unused"]} == reserved


def test_the_explorer_shows_every_type_of_a_trust(combined: Graph) -> None:
    view = instance_graph(combined)
    assert view.nodes[str(iris.trust("ZY2"))]["type"] == "Learning disability trust; Mental health trust"
    assert view.nodes[str(iris.trust("ZY1"))]["type"] == "Mental health trust"


def test_role_perspectives_without_a_study_add_the_second_study_to_the_shipped_counts(combined: Graph) -> None:
    """Without study=, the leadership row is the shipped one plus zy2-e2 (chief executive, tagged leadership)."""
    shipped = api.build_graph_from(REPO / "data", "memory").graph
    (before,) = [row for row in rows(shipped, "role-perspectives") if row[0] == "leadership"]
    (after,) = [row for row in rows(combined, "role-perspectives") if row[0] == "leadership"]
    assert after == (before[0], before[1] + 1, *before[2:6], before[6] + 1)


def test_the_pages_role_group_filter_puts_a_study_role_in_its_group(combined: Graph) -> None:
    assert facets(combined)[str(iris.evidence("ZY1", "zy1-e2"))]["roleGroup"] == [str(iris.role("staff"))]
