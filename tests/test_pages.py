"""The explorer and evidence-map pages as files: self-contained, data escaped, written by the CLI.

What the pages do once drawn is tested in a real browser in test_browser.py.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import FIXTURE_DIR, REPO, CliRun
from rdflib import Graph

from trustkg import evidence_map, explorer, framework_matrix, instances, link_view, pages
from trustkg.iris import local_name
from trustkg.ontology import OUTCOME_TYPE

# Any way a page could pull a script, style sheet or font from the web.
REMOTE = re.compile(
    r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*[\"']?(?:https?:)?//|@import|url\(\s*[\"']?(?:https?:)?//",
    re.I,
)


def test_script_json_cannot_close_its_element() -> None:
    text = pages.script_json({"statement": "</script><script>alert(1)</script> <!-- & -->"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert "\\u003c/script\\u003e" in text


@pytest.mark.parametrize(
    "write",
    [
        explorer.write_explorer,
        evidence_map.write_evidence_map,
        link_view.write_link_view,
        framework_matrix.write_framework_matrix,
    ],
)
def test_pages_are_self_contained(fixture_graph: Graph, tmp_path: Path, write: Callable[..., Path]) -> None:
    html = write(fixture_graph, tmp_path / "page.html").read_text(encoding="utf-8")
    assert REMOTE.search(html) is None
    assert re.search(r"<script\b[^>]*\bsrc=", html) is None  # every script inline, none beside the page either
    assert "sourceMappingURL" not in html
    assert "@" + "DATA@" not in html  # every slot filled


def test_cli_show_map_export(cli: Callable[..., CliRun], tmp_path: Path) -> None:
    data = ("--data", str(FIXTURE_DIR))
    run = cli("show", *data, "--out", str(tmp_path / "e.html"), "--trust", "ZZ2")
    assert run.code == 0 and (tmp_path / "e.html").exists(), run.err
    assert cli("map", *data, "--out", str(tmp_path / "m.html")).code == 0
    run = cli("export", *data, "--format", "gexf", "--view", "themes", "--out", str(tmp_path / "t.gexf"))
    assert run.code == 0 and "(nodes: 9, edges: 1)" in run.out


def test_cli_default_paths(cli: Callable[..., CliRun], tmp_path: Path) -> None:
    assert cli("show", "--data", str(FIXTURE_DIR), cwd=tmp_path).code == 0
    assert cli("map", "--data", str(FIXTURE_DIR), cwd=tmp_path).code == 0
    assert cli("export", "--data", str(FIXTURE_DIR), cwd=tmp_path).code == 0
    assert sorted(p.name for p in (tmp_path / "build").iterdir()) == [
        "action-outcome.graphml", "evidence-map.html", "explorer.html",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (("--trust", "ZZ9"), "no trust with ODS code 'ZZ9'"),
        (("--theme", "cqc-engagement"), "no theme 'cqc-engagement' tags anything"),
        (("--around", "nowhere"), "no node named 'nowhere'"),
        (("--theme", "governance", "--trust", "ZZ2"), "nothing to show"),
    ],
)
def test_cli_show_rejects_a_bad_focus(
    cli: Callable[..., CliRun], tmp_path: Path, options: tuple[str, ...], message: str
) -> None:
    run = cli("show", "--data", str(FIXTURE_DIR), "--out", str(tmp_path / "e.html"), *options)
    assert run.code == 2 and message in run.err
    assert not (tmp_path / "e.html").exists()


def test_evidence_map_counts_agree_with_its_items(fixture_graph: Graph) -> None:
    evidence = evidence_map.evidence_map(fixture_graph)
    # Codebook: 5 action types; outcome types: 12 derived rating changes + staff engagement + incident reporting.
    assert (len(evidence.rows), len(evidence.columns), len(evidence.cells)) == (5, 14, 7)
    assert list(evidence.groups) == ["Leadership", "Cultural change", "Governance", "Looking outwards"]
    for cell in evidence.cells.values():
        assert cell.evidence == len(cell.items)
        assert cell.trusts == len({item.trust for item in cell.items})
    visible_leadership = evidence.groups["Leadership"][1]
    well_led = evidence.cells[(visible_leadership.type, str(OUTCOME_TYPE["rating-improved/well-led"]))]
    assert [(local_name(item.item), item.role) for item in well_led.items] == [
        ("a-e1", "Chief executive"),
        ("b-e1", "Patient representative"),
    ]


def test_central_actions_script() -> None:
    script = REPO / "scripts" / "central_actions.py"
    run = subprocess.run(
        [sys.executable, str(script), "--data", str(FIXTURE_DIR), "--top", "2"],
        capture_output=True, text=True, check=True, cwd=REPO,
    )  # fmt: skip
    assert run.stdout.splitlines() == [
        "Most central action types (evidence items, outcome types, betweenness):",
        "  Visible leadership: 4 evidence, 3 outcome types, betweenness 0.393",
        "  Staff listening: 2 evidence, 2 outcome types, betweenness 0.179",
        "Most similar pairs of trusts (Jaccard similarity of their action types):",
        "  Fixture Alpha Hospitals NHS Trust / Fixture Beta NHS Foundation Trust: 0.50 (2 shared action types)",
        "  Fixture Alpha Hospitals NHS Trust / Fixture Gamma Community NHS Trust: 0.33 (1 shared action types)",
    ]
    help_text = subprocess.run([sys.executable, str(script), "--help"], capture_output=True, text=True, check=True)
    assert "--data" in help_text.stdout


def test_cli_show_refuses_more_nodes_than_the_cap_and_says_how_to_focus(
    cli: Callable[..., CliRun], tmp_path: Path
) -> None:
    page = tmp_path / "e.html"
    run = cli("show", "--data", str(FIXTURE_DIR), "--out", str(page), "--max-nodes", "10")
    assert run.code == 2 and not page.exists()
    assert "more than the explorer draws (10)" in run.err and "--trust" in run.err
    # The same cap, raised past the whole graph, draws it.
    assert cli("show", "--data", str(FIXTURE_DIR), "--out", str(page), "--max-nodes", "100000").code == 0


def test_the_readme_around_example_names_a_node(cli: Callable[..., CliRun], tmp_path: Path) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    example = re.search(r"`--around NODE --depth 2` \(a node by its IRI or the end of it, e\.g\.\s+`([^`]+)`", readme)
    assert example is not None
    run = cli("show", "--data", str(REPO / "data"), "--around", example.group(1), "--out", str(tmp_path / "e.html"))
    assert run.code == 0, run.err


def test_naming_scales_from_nearest_neighbours() -> None:
    # Actions at x = 0, 10 and 40: nearest others 10, 10 and 30, median 10, so named from 48 px / 10 = 4.8;
    # the outcome counts with them (one kind set); a lone trust and the themes are named at any zoom.
    nodes = [
        {"kind": "action", "x": 0.0, "y": 0.0},
        {"kind": "action", "x": 10.0, "y": 0.0},
        {"kind": "outcome", "x": 40.0, "y": 0.0},
        {"kind": "trust", "x": 500.0, "y": 500.0},
        {"kind": "theme", "x": 0.0, "y": 30.0},
    ]
    assert explorer.naming_scales(nodes) == {
        "theme": 0.0,
        "trust": 0.0,
        "action": 4.8,
        "outcome": 4.8,
        "evidence": 4.8,
    }


def test_only_the_rarer_relations_between_two_kinds_are_labelled(fixture_graph: Graph) -> None:
    # On the fixture, evidence -> theme links are coded ("theme") but one is stated by its source (b-e3):
    # only that one tells something the kinds at its ends do not.
    view = instances.instance_graph(fixture_graph)
    labelled = [(edge["from"], edge["label"]) for edge in explorer.vis_edges(view) if "label" in edge]
    assert labelled == [(next(n for n in view if n.endswith("/evidence/b-e3")), "stated theme")]
    assert explorer.telling_relations(view) == {(("evidence", "theme"), "statedTheme")}
