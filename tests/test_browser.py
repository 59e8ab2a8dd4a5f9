"""The pages in real headless Chromium, opened from file:// with every http(s) request blocked.

Expected counts come from the fixture by hand: 33 explorer nodes (3 trusts, 7 actions,
8 outcomes, 10 evidence items, 5 themes); a 5 x 14 evidence map with 7 linked cells.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import require
from rdflib import Graph, Literal
from rdflib.namespace import RDFS
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.support.ui import WebDriverWait

from bench import browser
from trustkg import evidence_map, explorer
from trustkg.build import build_graph
from trustkg.ontology import ID, TKG
from trustkg.records import EvidenceBase
from trustkg.store import new_graph

HOSTILE = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2"><em>emphasis</em>'
A_E1 = str(ID["trust/ZZ1/evidence/a-e1"])
EXPLORER_READY = "window.explorer && window.explorer.drawn"
MAP_READY = "document.body.dataset.ready"


@pytest.fixture(scope="module")
def chromium() -> Iterator[browser.Browser]:
    require(browser.available(), "chromium and chromedriver")
    with browser.chromium() as opened:
        yield opened


def open_clean(chromium: browser.Browser, page: Path, ready: str) -> None:
    """Open a page and check it loaded offline: no web request attempted, no console error."""
    chromium.open(page, ready)
    assert chromium.web_requests() == []
    assert chromium.console_errors() == []


def shown(chromium: browser.Browser) -> int:
    count = chromium.run("return window.explorer.nodes.length")
    assert chromium.run("return document.body.dataset.shownNodes") == str(count)
    return int(count)


def hover(chromium: browser.Browser, node: str) -> tuple[str, int]:
    """Move the real mouse over a node; return the tooltip's text and how many elements in it are markup from data."""
    at = chromium.run("const n = window.explorer.network; return n.canvasToDOM(n.getPosition(arguments[0]))", node)
    canvas = chromium.driver.find_element("css selector", "#network canvas")
    offset_x, offset_y = int(at["x"] - canvas.size["width"] / 2), int(at["y"] - canvas.size["height"] / 2)
    ActionChains(chromium.driver).move_to_element_with_offset(canvas, offset_x, offset_y).perform()
    shown = "const t = document.querySelector('div.vis-tooltip'); return t !== null && t.style.visibility === 'visible'"
    WebDriverWait(chromium.driver, 10).until(lambda _: chromium.run(shown))
    text, markup = chromium.run(
        "const t = document.querySelector('div.vis-tooltip'); return [t.innerText, t.querySelectorAll('script, img, em').length]"
    )
    return str(text), int(markup)


def test_explorer_loads_and_filters(chromium: browser.Browser, fixture_graph: Graph, tmp_path: Path) -> None:
    open_clean(chromium, explorer.write_explorer(fixture_graph, tmp_path / "explorer.html"), EXPLORER_READY)
    assert shown(chromium) == 33
    assert chromium.run("return window.explorer.edges.length") == 61
    assert "Showing 33 of 33 nodes" in chromium.run("return document.getElementById('status').textContent")
    legend = chromium.run("return [...document.querySelectorAll('#legend label')].map((l) => l.textContent)")
    assert legend == ["Theme5", "Trust3", "Action7", "Outcome8", "Evidence10"]

    chromium.run(
        "const s = document.getElementById('trust-filter'); s.value = 'ZZ2'; s.dispatchEvent(new Event('change'));"
    )
    assert shown(chromium) == 14  # ZZ2: trust, 3 actions, 3 outcomes, 5 evidence items, 2 themes
    chromium.run("document.getElementById('kind-evidence').click()")
    assert shown(chromium) == 9
    chromium.run(
        "const s = document.getElementById('trust-filter'); s.value = ''; s.dispatchEvent(new Event('change'));"
    )
    chromium.run(
        "const s = document.getElementById('theme-filter'); s.value = 'governance'; s.dispatchEvent(new Event('change'));"
    )
    assert shown(chromium) == 3  # a-qi, its trust, the theme
    assert chromium.console_errors() == []


def test_explorer_tooltip_has_the_facts(chromium: browser.Browser, fixture_graph: Graph, tmp_path: Path) -> None:
    open_clean(chromium, explorer.write_explorer(fixture_graph, tmp_path / "explorer.html"), EXPLORER_READY)
    card = chromium.run("return window.explorer.nodes.get(arguments[0]).title.innerText", A_E1)
    assert "The inspectors credit the executives' regular presence" in card
    assert "Trust: Fixture Alpha Hospitals NHS Trust" in card
    assert "Reported by: Chief executive" in card
    link = chromium.run("return window.explorer.nodes.get(arguments[0]).title.querySelector('a').href", A_E1)
    assert link == "https://example.org/fixture/cqc/alpha-report"
    text, _ = hover(chromium, A_E1)
    assert "Reported by: Chief executive" in text
    labels = chromium.run("return [...new Set(window.explorer.edges.get().map((e) => e.label))].sort()")
    assert labels == ["at trust", "mentions action", "mentions outcome", "stated theme", "theme"]
    # Relation labels are drawn once zoomed in far enough to read them, and left off the overview.
    label_drawn = "const n = window.explorer.network; n.moveTo({scale: arguments[0]}); n.redraw(); return n.body.edges[0].labelModule.visible()"
    assert chromium.run(label_drawn, 1.5) is True
    assert chromium.run(label_drawn, 0.3) is False


def test_focused_explorer(chromium: browser.Browser, fixture_graph: Graph, tmp_path: Path) -> None:
    page = explorer.write_explorer(fixture_graph, tmp_path / "around.html", around="a-walkabouts", depth=1)
    open_clean(chromium, page, EXPLORER_READY)
    assert shown(chromium) == 5


def test_evidence_map_cells_and_click(chromium: browser.Browser, fixture_graph: Graph, tmp_path: Path) -> None:
    open_clean(chromium, evidence_map.write_evidence_map(fixture_graph, tmp_path / "map.html"), MAP_READY)
    assert chromium.run("return document.querySelectorAll('td.cell').length") == 70
    assert chromium.run("return document.querySelectorAll('td.cell.filled').length") == 7
    assert chromium.run("return document.querySelectorAll('td.cell.gap').length") == 63
    bubbles = chromium.run("return [...document.querySelectorAll('td.cell.filled')].map((c) => c.textContent)")
    assert sorted(bubbles) == ["1", "1", "1", "1", "1", "1", "2"]
    chromium.run("[...document.querySelectorAll('td.cell.filled')].find((c) => c.textContent === '2').click()")
    items = chromium.run(
        "return [...document.querySelectorAll('#cell-evidence .evidence-item')].map((e) => e.innerText)"
    )
    assert len(items) == 2
    assert "Fixture Alpha Hospitals NHS Trust" in items[0] and "Fixture Beta NHS Foundation Trust" in items[1]
    heading = chromium.run("return document.querySelector('#cell-evidence h3').textContent")
    assert heading == "Visible leadership → Well-led rating improved"


@pytest.fixture
def hostile_graph(fixture_base: EvidenceBase) -> Graph:
    """The fixture with markup in an evidence statement, an action label and a trust name."""
    graph, _ = build_graph(fixture_base, new_graph("memory"))
    graph.set((ID["trust/ZZ1/evidence/a-e1"], TKG.statement, Literal("Said: " + HOSTILE, lang="en")))
    graph.set((ID["trust/ZZ1/action/a-walkabouts"], RDFS.label, Literal(HOSTILE, lang="en")))
    graph.set((ID["trust/ZZ1"], RDFS.label, Literal(HOSTILE, lang="en")))
    return graph


def test_hostile_text_shows_as_text(chromium: browser.Browser, hostile_graph: Graph, tmp_path: Path) -> None:
    open_clean(chromium, explorer.write_explorer(hostile_graph, tmp_path / "explorer.html"), EXPLORER_READY)
    chromium.run("window.explorer.network.body.emitter.emit('click', {nodes: [arguments[0]], edges: []})", A_E1)
    details = chromium.run(
        "const d = document.getElementById('details'); return [d.innerText, d.querySelectorAll('script, img, em').length]"
    )
    assert HOSTILE in details[0] and details[1] == 0
    assert "Trust: " + HOSTILE in details[0]
    assert chromium.run("return document.querySelectorAll('img, em').length") == 0
    assert chromium.run("return window.__pwned === undefined")
    text, markup = hover(chromium, A_E1)
    assert "Said: " + HOSTILE in text and markup == 0
    assert chromium.console_errors() == []

    open_clean(chromium, evidence_map.write_evidence_map(hostile_graph, tmp_path / "map.html"), MAP_READY)
    chromium.run("[...document.querySelectorAll('td.cell.filled')].find((c) => c.textContent === '2').click()")
    listed = chromium.run(
        "const d = document.getElementById('cell-evidence'); return [d.innerText, d.querySelectorAll('script, img, em').length]"
    )
    assert "Said: " + HOSTILE in listed[0] and listed[1] == 0
    assert chromium.run("return window.__pwned === undefined")
    assert chromium.web_requests() == []
