"""Link claims counted as claims: a re-published quotation counts once, a later fall is shown.

The fixture (tests/fixtures/republished, FICTIONAL) is read beside the fixture case base, whose
codebook it uses. Worked by hand for ZZ6 (trust=ZZ6):
- visible-leadership -> rating-improved/well-led: z-e1, z-e2, z-e3, three stated claims by the
  regulator; z-e2 shares z-e1's statement and z-e3 cites a copy of z-e1's source, so all three rest
  on fx-zeta-release: one independent source. Source kinds: cqc (release and mirror) and media (2).
  Well-led rose at z-2016 and fell at z-2018: one contradiction. Grade: stated, but one source:
  limited.
- visible-leadership -> staff-engagement: z-e4 only, reported together, one source: very limited.
"""

from __future__ import annotations

import pytest
from query_rows import rows
from rdflib import SKOS, Graph

from tests.conftest import FIXTURE_DIR, TESTS
from trustkg.build import build_graph
from trustkg.links_report import links_markdown
from trustkg.loaders import Input, load_inputs
from trustkg.ontology import TKG
from trustkg.store import local_stores, new_graph
from trustkg.validate import check_shapes

REPUBLISHED = TESTS / "fixtures" / "republished"
RELEASE = "https://example.org/fixture/zeta/release"


@pytest.fixture(scope="module", params=local_stores())
def zeta_graph(request: pytest.FixtureRequest) -> Graph:
    base = load_inputs([Input(FIXTURE_DIR, "case-files"), Input(REPUBLISHED, "case-files")])
    graph, _ = build_graph(base, new_graph(request.param))
    return graph


def test_the_fixture_conforms(zeta_graph: Graph) -> None:
    assert check_shapes(zeta_graph) == ()


def test_a_republished_quotation_counts_once(zeta_graph: Graph) -> None:
    assert rows(zeta_graph, "actions-to-outcomes", trust="ZZ6") == [
        # evidence, trusts, roles, source_kinds, independent_sources, role_kinds, stated, contradictions, grade
        ("visible-leadership", "rating-improved/well-led", 3, 1, 1, 2, 1, 1, 3, 1, "limited"),
        ("visible-leadership", "staff-engagement", 1, 1, 0, 1, 1, 0, 0, 0, "very-limited"),
    ]


def test_only_stated_and_min_grade(zeta_graph: Graph) -> None:
    assert [row[:2] for row in rows(zeta_graph, "actions-to-outcomes", trust="ZZ6", only_stated="true")] == [
        ("visible-leadership", "rating-improved/well-led")
    ]
    assert [row[:2] for row in rows(zeta_graph, "actions-to-outcomes", trust="ZZ6", min_grade="limited")] == [
        ("visible-leadership", "rating-improved/well-led")
    ]


def test_the_later_fall_appears_beside_the_rise(zeta_graph: Graph) -> None:
    found = rows(
        zeta_graph, "evidence-for-link", action_type="visible-leadership", outcome_type="rating-improved/well-led"
    )
    zeta = [(row[1], row[3], row[8], row[9], row[10]) for row in found if row[0] == "ZZ6"]
    assert zeta == [
        ("z-e1", "well-led@z-2016", "stated", RELEASE, "well-led@z-2018"),
        ("z-e2", "well-led@z-2016", "stated", RELEASE, "well-led@z-2018"),
        ("z-e3", "well-led@z-2016", "stated", RELEASE, "well-led@z-2018"),
    ]


# The grade rule on its own, both ways at each boundary: the fragment every link query inserts, run on
# counts given directly (stated, independent sources, source kinds, trusts, contradictions).
GRADES = [
    ((2, 3, 2, 2, 0), "strong"),
    ((2, 3, 2, 2, 1), "moderate"),  # a later fall: not coherent, so not strong
    ((1, 3, 2, 2, 0), "moderate"),  # one stated claim is not enough for strong
    ((2, 2, 2, 2, 0), "moderate"),  # two sources are not enough for strong
    ((2, 3, 1, 2, 0), "moderate"),  # one kind of source
    ((2, 3, 2, 1, 0), "moderate"),  # one trust
    ((1, 2, 1, 1, 0), "moderate"),
    ((1, 1, 1, 1, 0), "limited"),  # stated, but by one source
    ((0, 2, 2, 2, 0), "limited"),  # two sources reporting both, none crediting
    ((0, 1, 1, 1, 0), "very-limited"),
]


@pytest.mark.parametrize(("counts", "grade"), GRADES, ids=[g for _, g in GRADES])
def test_grade_rule(zeta_graph: Graph, counts: tuple[int, ...], grade: str) -> None:
    fragment = (TESTS.parent / "queries" / "fragments" / "support-grade.rq").read_text(encoding="utf-8")
    values = " ".join(str(n) for n in counts)
    text = (
        "SELECT ?grade WHERE { VALUES (?stated ?independent_sources ?source_kinds ?trusts ?contradictions) "
        f"{{ ({values}) }}\n{fragment}\n}}"
    )
    found = [str(row[0]) for row in zeta_graph.query(text)]
    assert found == [f"https://w3id.org/trustkg/vocab/support-grade/{grade}"]


@pytest.mark.parametrize(("counts", "grade"), GRADES, ids=[g for _, g in GRADES])
def test_min_grade_keeps_a_grade_ranked_at_least_as_high(
    zeta_graph: Graph, counts: tuple[int, ...], grade: str
) -> None:
    # The fragment tests min_grade without its ranks (Virtuoso 7.2 cannot compare the grade it computes);
    # the vocabulary's ranks decide here which minimum grades must keep these counts.
    fragment = (TESTS.parent / "queries" / "fragments" / "support-grade.rq").read_text(encoding="utf-8")
    values = " ".join(str(n) for n in counts)
    # Each grade's notation (the min_grade value) and its rank, as the vocabulary in the graph gives them.
    ranks = {
        str(zeta_graph.value(grade, SKOS.notation)): int(rank)
        for grade, rank in zeta_graph.subject_objects(TKG.gradeRank)  # type: ignore[arg-type]
    }
    assert sorted(ranks, key=ranks.__getitem__) == ["very-limited", "limited", "moderate", "strong"]
    for minimum, rank in ranks.items():
        text = (
            "SELECT ?grade WHERE { VALUES (?stated ?independent_sources ?source_kinds ?trusts ?contradictions ?min_grade) "
            f"{{ ({values} <https://w3id.org/trustkg/vocab/support-grade/{minimum}>) }}\n{fragment}\n}}"
        )
        kept = [str(row[0]) for row in zeta_graph.query(text)]
        expected = [f"https://w3id.org/trustkg/vocab/support-grade/{grade}"] if ranks[grade] >= rank else []
        assert kept == expected, minimum


def test_the_reviewers_sheet_groups_claims_by_link() -> None:
    base = load_inputs([Input(FIXTURE_DIR, "case-files"), Input(REPUBLISHED, "case-files")])
    text = links_markdown(base)
    zeta = text[text.index("## Fixture Zeta NHS Trust (ZZ6)") :]
    # Two links: the walk-rounds to the well-led rise (three claims), and to the survey (one).
    assert zeta.count("\n### ") == 2
    rise = zeta[zeta.index("### Executive walk-rounds → Well-led rating: Inadequate to good (2014-03 to 2016-03)") :]
    claims = [line for line in rise.split("\n### ")[0].splitlines() if line.startswith("- **")]
    assert claims == [
        "- **stated**: z-e1, cqc inspector, [Fixture regulator's release on Zeta](<https://example.org/fixture/zeta/release>)",
        "- **stated**: z-e2, cqc inspector, [Fixture newspaper story re-publishing the release](<https://example.org/fixture/zeta/paper>)",
        "- **stated**: z-e3, cqc inspector, [Fixture copy of the release on a document-sharing site](<https://mirror.example.org/fixture/zeta/release>)",
    ]
    assert "  - the same statement as z-e1: counted once" in rise
    assert "  - why: The release gives the walk-rounds as a reason for the rating." in rise
    assert "- **reported together**: z-e4, the publication itself" in zeta
