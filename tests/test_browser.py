"""The pages in real headless Chromium, opened from file:// with every http(s) request blocked.

Expected counts come from the fixture by hand: 33 explorer nodes (3 trusts, 7 actions,
8 outcomes, 10 evidence items, 5 themes); a 5 x 14 evidence map with 7 linked cells; a link
view of those 7 links; a 3 x 9 framework matrix.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from case_edits import edit
from conftest import FIXTURE_DIR, require
from rdflib import Graph, Literal
from rdflib.namespace import RDFS
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from bench import browser
from trustkg import evidence_map, explorer, framework_matrix, instances, link_view, pages, trajectories
from trustkg.build import build_graph
from trustkg.loaders.casefiles import load_case_files
from trustkg.ontology import ACTION_TYPE, ID, OUTCOME_TYPE, THEME, TKG
from trustkg.records import EvidenceBase
from trustkg.store import new_graph

HOSTILE = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2"><em>emphasis</em>'
A_E1 = str(ID["trust/ZZ1/evidence/a-e1"])
# Drawn, and every node has its hover card (built once the network is on screen).
EXPLORER_READY = "window.explorer && window.explorer.ready"
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


def zoom_to(chromium: browser.Browser, scale: float) -> bool:
    """Zoom the explorer and wait until its labels are resized for the new zoom."""
    chromium.run("window.explorer.network.moveTo({scale: arguments[0]})", scale)
    restyled = "return Math.abs(window.explorer.styledAt / arguments[0] - 1) <= 0.02"  # the page's own tolerance
    WebDriverWait(chromium.driver, 10).until(lambda _: chromium.run(restyled, scale))
    return True


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
    # Every link names its relation on hover; only the one the kinds at its ends do not tell is drawn.
    titles = chromium.run("return [...new Set(window.explorer.edges.get().map((e) => e.title))].sort()")
    assert titles == ["at trust", "mentions action", "mentions outcome", "stated theme", "theme"]
    labelled = chromium.run("return window.explorer.edges.get({filter: (e) => e.label}).map((e) => [e.from, e.label])")
    assert labelled == [[str(ID["trust/ZZ2/evidence/b-e3"]), "stated theme"]]
    # The stated-theme label (b-e3 -> leadership) is drawn once zoomed in far enough to read it, not on the overview.
    detail = chromium.run("return window.explorer.detailScale")
    stated = "return window.explorer.network.body.edges[window.explorer.edges.get({filter: (e) => e.label})[0].id]"
    assert zoom_to(chromium, 1.2 * detail) and chromium.run(stated + ".labelModule.visible()") is True
    assert zoom_to(chromium, 0.5 * detail) and chromium.run(stated + ".labelModule.visible()") is False


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


# --- the researcher's views (issue 14): search, neighbours, focus, screen-size labels; the map's
# headers, filters and legend. explorer_page marks a focus on the whole graph (write_explorer marks
# it on the neighbourhood it draws: test_around_page_marks_its_focus).

A_WALKABOUTS = str(ID["trust/ZZ1/action/a-walkabouts"])
A_LISTENING = str(ID["trust/ZZ1/action/a-listening"])
# Drawn labels and their size on screen (CSS px): nodes and edges whose label vis-network draws now.
DRAWN_LABELS = """
const n = window.explorer.network, scale = n.getScale();
return [...Object.values(n.body.nodes), ...Object.values(n.body.edges)]
  .filter((item) => item.options.label && item.labelModule.visible())
  .map((item) => [item.options.label, item.labelModule.fontOptions.size * scale, item.id]);
"""


def explorer_page(graph: Graph, path: Path, focus: str | None = None) -> Path:
    view = instances.instance_graph(graph)
    data = explorer.page_data(view, "trustkg explorer")
    if focus is not None:
        data["focus"] = instances.find_node(view, focus)
    return pages.write_page(path, pages.render("explorer.html", data, **pages.vis_network()))


def map_page(graph: Graph, path: Path) -> Path:
    return evidence_map.write_evidence_map(graph, path)


def test_labels_readable_at_every_zoom(chromium: browser.Browser, fixture_graph: Graph, tmp_path: Path) -> None:
    open_clean(chromium, explorer_page(fixture_graph, tmp_path / "explorer.html"), EXPLORER_READY)
    default = chromium.run("return window.explorer.network.getScale()")
    assert zoom_to(chromium, default)
    drawn = chromium.run(DRAWN_LABELS)
    names = {label for label, _, _ in drawn}
    # At the overview: the 3 trusts and 5 themes are named, every drawn label at least 10 px.
    assert {"Fixture Alpha Hospitals NHS Trust", "Leadership", "Vision and values"} <= names and len(drawn) >= 8
    assert min(round(size, 6) for _, size, _ in drawn) >= 10
    # Zoomed in 6 times: more is named (actions, the stated theme) and nothing grows into a banner.
    assert zoom_to(chromium, 6 * default)
    zoomed = chromium.run(DRAWN_LABELS)
    assert {"Weekly executive walkabouts", "stated theme"} <= {label for label, _, _ in zoomed}
    assert all(10 <= round(size, 6) <= 13 for _, size, _ in zoomed)
    trust_box = "return window.explorer.network.getBoundingBox(arguments[0])"
    box = chromium.run(trust_box, str(ID["trust/ZZ1"]))
    assert (box["right"] - box["left"]) * 6 * default < 400  # a label-sized box on screen, not a banner
    assert chromium.console_errors() == []


def test_search_finds_and_focuses_a_node(chromium: browser.Browser, fixture_graph: Graph, tmp_path: Path) -> None:
    open_clean(chromium, explorer_page(fixture_graph, tmp_path / "explorer.html"), EXPLORER_READY)
    box = chromium.driver.find_element("id", "search")
    box.send_keys("staff")
    options = (
        "return [...document.querySelectorAll('#search-results [role=option]')].map((o) => o.firstChild.textContent)"
    )
    # Names starting with "staff" first, then those with a word starting with it (themes, trusts, actions, ... then by name).
    assert chromium.run(options) == [
        "Staff engagement score rose",
        "Listening events for all staff",
        "Values written with staff",
    ]
    active = "return document.querySelector('#search-results [aria-selected=true]').firstChild.textContent"
    assert chromium.run(active) == "Staff engagement score rose"
    box.send_keys(Keys.ARROW_DOWN, Keys.ARROW_DOWN, Keys.ARROW_UP)
    assert chromium.run(active) == "Listening events for all staff"
    assert box.get_attribute("aria-activedescendant") == "search-option-1"
    box.send_keys(Keys.ENTER)
    assert chromium.run("return window.explorer.network.getSelectedNodes()") == [A_LISTENING]
    assert chromium.run("return document.body.dataset.lit") == "4"  # itself, ZZ1, cultural change, a-e3
    assert "Listening events for all staff" in chromium.run("return document.getElementById('details').innerText")
    at = chromium.run(
        "const n = window.explorer.network; return n.canvasToDOM(n.getPosition(arguments[0]))", A_LISTENING
    )
    canvas = chromium.driver.find_element("css selector", "#network canvas")
    assert 0 <= at["x"] <= canvas.size["width"] and 0 <= at["y"] <= canvas.size["height"]
    WebDriverWait(chromium.driver, 10).until(
        lambda _: "Listening events for all staff" in str(chromium.run(DRAWN_LABELS))
    )

    # A node hidden by a filter is still found: the filters give way.
    chromium.run(
        "const s = document.getElementById('trust-filter'); s.value = 'ZZ2'; s.dispatchEvent(new Event('change'));"
    )
    box.clear()
    box.send_keys("walkabouts", Keys.ENTER)
    assert chromium.run("return window.explorer.network.getSelectedNodes()") == [A_WALKABOUTS]
    assert shown(chromium) == 33
    box.clear()
    box.send_keys("no such node")
    assert chromium.run(options) == []
    assert chromium.run("return document.querySelector('#search-results').innerText") == "No node has that in its name"
    assert chromium.console_errors() == []


def test_click_lights_up_the_neighbours(chromium: browser.Browser, fixture_graph: Graph, tmp_path: Path) -> None:
    open_clean(chromium, explorer_page(fixture_graph, tmp_path / "explorer.html"), EXPLORER_READY)
    assert zoom_to(chromium, 2 * chromium.run("return window.explorer.network.getScale()"))
    chromium.run("window.explorer.network.focus(arguments[0], {animation: false})", A_WALKABOUTS)
    at = chromium.run(
        "const n = window.explorer.network; return n.canvasToDOM(n.getPosition(arguments[0]))", A_WALKABOUTS
    )
    canvas = chromium.driver.find_element("css selector", "#network canvas")
    offset = int(at["x"] - canvas.size["width"] / 2), int(at["y"] - canvas.size["height"] / 2)
    ActionChains(chromium.driver).move_to_element_with_offset(canvas, *offset).click().perform()
    opacity = "return Object.fromEntries(window.explorer.nodes.get().map((n) => [n.id, n.opacity]))"
    lit = {node for node, value in chromium.run(opacity).items() if value == 1}
    neighbours = {"trust/ZZ1", "trust/ZZ1/evidence/a-e1", "trust/ZZ1/evidence/a-e2"}
    assert lit == {A_WALKABOUTS, str(THEME["leadership"]), *(str(ID[n]) for n in neighbours)}
    assert set(chromium.run(opacity).values()) == {1, 0.15}
    # The selected node's label (drawn last, over its neighbours) sits on an opaque plate; its neighbours' do not.
    plate = "return window.explorer.network.body.nodes[arguments[0]].options.font.background"
    assert chromium.run(plate, A_WALKABOUTS) == "rgba(255,255,255,0.92)"
    assert chromium.run(plate, str(ID["trust/ZZ1"])) in (None, "rgba(255,255,255,0)")
    # Clicking the background clears it; so does Escape.
    ActionChains(chromium.driver).move_to_element_with_offset(
        canvas, -canvas.size["width"] // 2 + 5, 0
    ).click().perform()
    assert set(chromium.run(opacity).values()) == {1}
    ActionChains(chromium.driver).move_to_element_with_offset(canvas, *offset).click().perform()
    assert set(chromium.run(opacity).values()) == {1, 0.15}
    ActionChains(chromium.driver).send_keys(Keys.ESCAPE).perform()
    assert set(chromium.run(opacity).values()) == {1}
    assert chromium.run("return window.explorer.network.getSelectedNodes()") == []
    assert chromium.run(plate, A_WALKABOUTS) == "rgba(255,255,255,0)"
    assert chromium.console_errors() == []


def test_focus_node_is_marked(chromium: browser.Browser, fixture_graph: Graph, tmp_path: Path) -> None:
    open_clean(
        chromium, explorer_page(fixture_graph, tmp_path / "explorer.html", "action/a-walkabouts"), EXPLORER_READY
    )
    marked = "return window.explorer.network.body.nodes[arguments[0]].options.shadow.enabled"
    assert chromium.run(marked, A_WALKABOUTS) is True
    assert chromium.run(marked, A_LISTENING) is False
    assert "Focus: Weekly executive walkabouts" in chromium.run("return document.getElementById('legend').innerText")
    assert "Weekly executive walkabouts" in chromium.run("return document.getElementById('details').innerText")
    assert "Weekly executive walkabouts" in {label for label, _, _ in chromium.run(DRAWN_LABELS)}


def cells(chromium: browser.Browser) -> dict[tuple[str, str], str]:
    """Filled cells of the evidence map: (action type ID, outcome type ID) -> the number in the circle."""
    found = chromium.run(
        "return [...document.querySelectorAll('td.cell.filled')].map((c) => [c.dataset.action, c.dataset.outcome, c.textContent])"
    )
    return {(action, outcome): count for action, outcome, count in found}


def choose(chromium: browser.Browser, key: str, label: str) -> None:
    chromium.run(
        "const s = document.getElementById('filter-' + arguments[0]);"
        "s.value = [...s.options].find((o) => o.textContent === arguments[1]).value;"
        "s.dispatchEvent(new Event('change'));",
        key,
        label,
    )


VL, LR, SL, QI = "visible-leadership", "leadership-replacement", "staff-listening", "qi-programme"
WELL_LED, OVERALL, SAFE = "rating-improved/well-led", "rating-improved/overall", "rating-improved/safe"
ENGAGEMENT, INCIDENTS = "staff-engagement", "incident-reporting"


def test_evidence_map_filters_recount(chromium: browser.Browser, fixture_graph: Graph, tmp_path: Path) -> None:
    """Counts by hand from tests/fixtures/casebase: which evidence item links which types, and its facets."""
    open_clean(chromium, map_page(fixture_graph, tmp_path / "map.html"), MAP_READY)
    everything = {
        (VL, WELL_LED): "2",  # a-e1 (ZZ1), b-e1 (ZZ2)
        (VL, ENGAGEMENT): "1",  # a-e2
        (SL, ENGAGEMENT): "1",  # a-e3
        (QI, SAFE): "1",  # a-e4
        (VL, OVERALL): "1",  # b-e2
        (LR, WELL_LED): "1",  # b-e3
        (SL, INCIDENTS): "1",  # b-e4
    }
    assert cells(chromium) == everything
    status = "return document.getElementById('status').textContent"
    # 5 action types less peer-support (reserved, unused); 14 outcome types less the 9 derived ones nobody
    # links (all but well-led, overall, safe improved): 4 x 5 cells, 7 of them linked.
    assert chromium.run(status) == (
        "4 action types \N{MULTIPLICATION SIGN} 5 outcome types: 7 linked, 13 gaps, 8 evidence items"
        " (1 unused type, 9 empty derived columns hidden)"
    )
    choose(chromium, "trust", "Fixture Beta NHS Foundation Trust")
    assert cells(chromium) == {(VL, WELL_LED): "1", (VL, OVERALL): "1", (LR, WELL_LED): "1", (SL, INCIDENTS): "1"}
    chromium.run("document.getElementById('clear-filters').click()")
    choose(chromium, "theme", "Leadership")  # a-e1, a-e2, b-e1, b-e2, b-e3 (b-e3's theme is stated)
    assert cells(chromium) == {(VL, WELL_LED): "2", (VL, ENGAGEMENT): "1", (VL, OVERALL): "1", (LR, WELL_LED): "1"}
    choose(chromium, "trust", "Fixture Alpha Hospitals NHS Trust")  # and ZZ1: a-e1, a-e2
    assert cells(chromium) == {(VL, WELL_LED): "1", (VL, ENGAGEMENT): "1"}
    well_led = f'return document.querySelector(\'td[data-action="{VL}"][data-outcome="{WELL_LED}"]\').title'
    assert chromium.run(well_led).endswith("1 evidence item from 1 trust. Click to list them.")
    chromium.run("document.getElementById('clear-filters').click()")
    choose(chromium, "roleGroup", "Staff")  # frontline staff reported a-e2, a-e3, b-e4
    assert cells(chromium) == {(VL, ENGAGEMENT): "1", (SL, ENGAGEMENT): "1", (SL, INCIDENTS): "1"}
    choose(chromium, "roleGroup", "Executive")  # chief executive a-e1, b-e2; director of nursing a-e4
    assert cells(chromium) == {(VL, WELL_LED): "1", (QI, SAFE): "1", (VL, OVERALL): "1"}
    chromium.run("document.getElementById('clear-filters').click()")
    assert cells(chromium) == everything
    assert chromium.run(well_led).endswith("2 evidence items from 2 trusts. Click to list them.")

    chromium.run("document.getElementById('show-empty-derived').click()")
    assert chromium.run(status) == (
        "4 action types \N{MULTIPLICATION SIGN} 14 outcome types: 7 linked, 49 gaps, 8 evidence items"
        " (1 unused type hidden)"
    )
    chromium.run("document.getElementById('show-unused').click()")
    assert (
        chromium.run(status)
        == "5 action types \N{MULTIPLICATION SIGN} 14 outcome types: 7 linked, 63 gaps, 8 evidence items"
    )
    assert chromium.run("return document.querySelectorAll('thead th:not([hidden])').length") == 1 + 2 + 14
    link = (
        f"return document.querySelector('td[data-action=\"{VL}\"][data-outcome=\"{WELL_LED}\"] a').getAttribute('href')"
    )
    assert chromium.run(link) == "link-view.html#visible-leadership|rating-improved%2Fwell-led"
    assert chromium.console_errors() == []


def test_evidence_map_hides_unused_types_until_asked(
    chromium: browser.Browser, fixture_graph: Graph, tmp_path: Path
) -> None:
    """peer-support is the fixture's one codebook type nothing uses (it is reserved): its row is hidden."""
    open_clean(chromium, map_page(fixture_graph, tmp_path / "map.html"), MAP_READY)
    shown_rows = (
        "return [...document.querySelectorAll('tbody tr:not(.theme)')]"
        ".filter((tr) => getComputedStyle(tr).display !== 'none').map((tr) => tr.querySelector('td.cell').dataset.action)"
    )
    assert sorted(chromium.run(shown_rows)) == sorted([LR, QI, SL, VL])
    label = "return document.getElementById('show-unused-label').textContent"
    assert chromium.run(label) == "Show unused types (1)"
    chromium.run("document.getElementById('show-unused').click()")
    assert sorted(chromium.run(shown_rows)) == sorted([LR, "peer-support", QI, SL, VL])
    chromium.run("document.getElementById('show-unused').click()")
    assert "peer-support" not in chromium.run(shown_rows)
    assert chromium.console_errors() == []


def test_evidence_map_cell_by_keyboard(chromium: browser.Browser, fixture_graph: Graph, tmp_path: Path) -> None:
    """Each circle is a link to the link view; Enter on it (as a click) lists its evidence here first."""
    page = map_page(fixture_graph, tmp_path / "map.html")
    open_clean(chromium, page, MAP_READY)
    chromium.run(f'document.querySelector(\'td[data-action="{VL}"][data-outcome="{WELL_LED}"] a\').focus()')
    ActionChains(chromium.driver).send_keys(Keys.ENTER).perform()
    heading = chromium.run("return document.querySelector('#cell-evidence h3').textContent")
    assert heading == "Visible leadership \N{RIGHTWARDS ARROW} Well-led rating improved"
    assert len(chromium.run("return [...document.querySelectorAll('#cell-evidence .evidence-item')]")) == 2
    assert chromium.driver.current_url == page.resolve().as_uri()
    link = chromium.run("return document.querySelector('#cell-evidence a.open-link').getAttribute('href')")
    assert link == "link-view.html#visible-leadership|rating-improved%2Fwell-led"


def test_evidence_map_legend_is_complete(chromium: browser.Browser, fixture_graph: Graph, tmp_path: Path) -> None:
    open_clean(chromium, map_page(fixture_graph, tmp_path / "map.html"), MAP_READY)
    legend = "return [...document.querySelectorAll('.legend-colour')].map((r) => [r.textContent, r.firstChild.style.background])"
    colours = dict(chromium.run(legend))
    assert list(colours) == ["1 trust", "2 trusts"]  # the fixture's cells come from one trust or two
    used = chromium.run(
        "return [...document.querySelectorAll('td.cell.filled .bubble')].map((b) => b.style.background)"
    )
    assert set(used) == set(colours.values())


def test_evidence_map_headers_stay_aligned(chromium: browser.Browser, fixture_graph: Graph, tmp_path: Path) -> None:
    chromium.driver.set_window_size(720, 480)  # small enough for the fixture's map to scroll both ways
    try:
        open_clean(chromium, map_page(fixture_graph, tmp_path / "map.html"), MAP_READY)
        chromium.run("document.getElementById('show-empty-derived').click()")
        scrolled = chromium.run(
            "const g = document.getElementById('grid'); g.scrollTop = 200; g.scrollLeft = 200;"
            "return [g.scrollTop, g.scrollLeft]"
        )
        assert scrolled[0] > 100 and scrolled[1] > 100
        boxes = chromium.run("""
            const box = (e) => { const r = e.getBoundingClientRect(); return {top: r.top, bottom: r.bottom, left: r.left, right: r.right}; };
            const grid = document.getElementById('grid');
            const below = document.querySelector('th.corner').getBoundingClientRect().bottom;
            const row = [...document.querySelectorAll('tbody tr')].find((tr) => tr.querySelector('td.cell') && tr.getBoundingClientRect().top > below);
            return {
              grid: box(grid),
              corner: box(document.querySelector('th.corner')),
              groups: [...document.querySelectorAll('tr.groups th:not(.corner):not(.solo):not([hidden])')].map(box),
              columns: [...document.querySelectorAll('tr.columns th, tr.groups th.solo')].map(box).sort((a, b) => a.left - b.left),
              cells: [...row.querySelectorAll('td.cell')].map(box),
              label: box(row.querySelector('th.row')),
            };
        """)
        grid, corner = boxes["grid"], boxes["corner"]
        assert abs(corner["top"] - grid["top"]) < 1 and abs(corner["left"] - grid["left"]) < 1
        assert all(abs(group["top"] - grid["top"]) < 1 for group in boxes["groups"])
        group_bottom = boxes["groups"][0]["bottom"]
        assert all(abs(column["bottom"] - corner["bottom"]) < 1 for column in boxes["columns"])
        # Column headings sit below the group headings, not over them, and over their own column of cells.
        assert all(
            column["top"] >= group_bottom - 1 or abs(column["top"] - grid["top"]) < 1 for column in boxes["columns"]
        )
        assert len(boxes["columns"]) == len(boxes["cells"]) == 14
        for column, cell in zip(boxes["columns"], boxes["cells"], strict=True):
            assert abs(column["left"] - cell["left"]) < 1 and abs(column["right"] - cell["right"]) < 1
        label = boxes["label"]
        assert abs(label["left"] - grid["left"]) < 1
        assert all(abs(cell["top"] - label["top"]) < 1 for cell in boxes["cells"])
        # Nothing scrolled under the header or the row labels shows through them.
        on_top = chromium.run("""
            const seen = (e) => { const r = e.getBoundingClientRect(), x = (r.left + r.right) / 2, y = (r.top + r.bottom) / 2;
              const corner = document.querySelector('th.corner').getBoundingClientRect();
              if (x < corner.right || x > document.getElementById('grid').getBoundingClientRect().right - 20) return true;
              return e.contains(document.elementFromPoint(x, y)); };
            return [...document.querySelectorAll('thead th:not([hidden]), tbody th.row')].filter((e) => e.getBoundingClientRect().bottom > 0).map(seen);
        """)
        assert on_top and all(on_top)
    finally:
        chromium.driver.set_window_size(1400, 900)


def test_hostile_text_in_search_focus_and_filters(
    chromium: browser.Browser, hostile_graph: Graph, tmp_path: Path
) -> None:
    open_clean(
        chromium, explorer_page(hostile_graph, tmp_path / "explorer.html", "action/a-walkabouts"), EXPLORER_READY
    )
    chromium.driver.find_element("id", "search").send_keys("script")
    listed = chromium.run(
        "const r = document.getElementById('search-results'); return [r.innerText, r.querySelectorAll('script, img, em').length]"
    )
    assert HOSTILE in listed[0] and listed[1] == 0
    assert "Focus: " + HOSTILE in chromium.run("return document.getElementById('legend').innerText")
    assert chromium.run("return document.querySelectorAll('aside img, aside em').length") == 0
    assert chromium.run("return window.__pwned === undefined")
    open_clean(chromium, map_page(hostile_graph, tmp_path / "map.html"), MAP_READY)
    options = chromium.run("return [...document.querySelectorAll('#filter-trust option')].map((o) => o.textContent)")
    assert HOSTILE in options
    assert chromium.run("return document.querySelectorAll('#filters img, #filters em, #filters script').length") == 0
    assert chromium.run("return window.__pwned === undefined")


def test_around_page_marks_its_focus(chromium: browser.Browser, fixture_graph: Graph, tmp_path: Path) -> None:
    page = explorer.write_explorer(fixture_graph, tmp_path / "around.html", around="action/a-walkabouts", depth=1)
    open_clean(chromium, page, EXPLORER_READY)
    assert chromium.run("return window.explorer.focus") == A_WALKABOUTS
    marked = "return window.explorer.network.body.nodes[arguments[0]].options.shadow.enabled"
    assert chromium.run(marked, A_WALKABOUTS) is True
    assert chromium.run(marked, str(ID["trust/ZZ1"])) is False
    assert "Focus: Weekly executive walkabouts" in chromium.run("return document.getElementById('legend').innerText")


def test_trust_card_has_its_rating_trajectory(chromium: browser.Browser, fixture_graph: Graph, tmp_path: Path) -> None:
    open_clean(chromium, explorer.write_explorer(fixture_graph, tmp_path / "explorer.html"), EXPLORER_READY)
    chromium.run(
        "window.explorer.network.body.emitter.emit('click', {nodes: [arguments[0]], edges: []})", str(ID["trust/ZZ1"])
    )
    # ZZ1 (tests/fixtures/casebase/cases/ZZ1.yaml): trust-level inspections 2015-03, 2016-09-12 and 2018-01,
    # overall inadequate -> requires improvement -> good; special measures 2015-04 to 2016-11.
    chart = chromium.run("""
        const svg = document.querySelector('#details svg.trajectory');
        const overall = svg.querySelector('polyline.question-overall').getAttribute('points').split(' ').map((p) => p.split(',').map(Number));
        const shaded = [...svg.querySelectorAll('rect.special-measures')].map((r) => [Number(r.getAttribute('x')), Number(r.getAttribute('width'))]);
        return {overall: overall, shaded: shaded, questions: [...svg.querySelectorAll('polyline')].map((l) => l.getAttribute('class')).sort()};
    """)
    xs, ys = [x for x, _ in chart["overall"]], [y for _, y in chart["overall"]]
    assert len(chart["overall"]) == 3 and xs == sorted(xs) and ys[0] > ys[1] > ys[2]  # rising: up the chart
    assert chart["questions"] == ["question-overall", "question-safe", "question-well-led"]
    ((start, width),) = chart["shaded"]
    assert xs[0] < start < xs[1] < start + width < xs[2]  # entered after the 2015 inspection, left before 2018
    assert chromium.console_errors() == []


def test_a_special_measures_span_without_its_entry_is_hatched_from_the_axis(
    chromium: browser.Browser, case_dir: Path, tmp_path: Path
) -> None:
    # A copy of the FICTIONAL fixture whose source gives only when ZZ1 left special measures (2016-11).
    edit(case_dir / "cases" / "ZZ1.yaml", "    entered: 2015-04\n", "")
    graph, _ = build_graph(load_case_files(case_dir), new_graph("oxigraph"))
    assert trajectories.trajectories(graph)[str(ID["trust/ZZ1"])]["specialMeasures"] == [[None, 2016.875]]
    open_clean(chromium, explorer.write_explorer(graph, tmp_path / "explorer.html", trust="ZZ1"), EXPLORER_READY)
    chromium.run(
        "window.explorer.network.body.emitter.emit('click', {nodes: [arguments[0]], edges: []})", str(ID["trust/ZZ1"])
    )
    chart = chromium.run("""
        const svg = document.querySelector('#details svg.trajectory');
        const span = svg.querySelector('rect.special-measures');
        const overall = svg.querySelector('polyline.question-overall').getAttribute('points').split(' ').map((p) => Number(p.split(',')[0]));
        const axis = Math.min(...[...svg.querySelectorAll(':scope > line')].map((l) => Number(l.getAttribute('x1'))));
        return {x: Number(span.getAttribute('x')), end: Number(span.getAttribute('x')) + Number(span.getAttribute('width')),
          open: span.classList.contains('open-start'), fill: span.getAttribute('fill'), overall: overall, axis: axis,
          hatch: Boolean(svg.querySelector(span.getAttribute('fill').slice(4, -1) + ' line')),
          key: document.querySelector('#details .trajectory-key').textContent};
    """)
    # From the axis (the chart starts in 2015, the first inspection's year) to between the 2016 and 2018 inspections.
    assert chart["open"] and chart["x"] == chart["axis"] and chart["hatch"]
    assert chart["overall"][1] < chart["end"] < chart["overall"][2]
    assert "entry date not given" in chart["key"]
    assert chromium.console_errors() == []


# --- the link view -------------------------------------------------------------------------

LINK_VIEW_READY = "window.linkView && window.linkView.drawn && document.body.dataset.ready"


def link_status(chromium: browser.Browser) -> str:
    return str(chromium.run("return document.getElementById('status').textContent"))


def shown_links(chromium: browser.Browser) -> dict[tuple[str, str], float]:
    """Links drawn: (action type ID, outcome type ID) -> width."""
    found = chromium.run("""
        const keys = Object.fromEntries(JSON.parse(document.getElementById('page-data').textContent).nodes.map((n) => [n.id, n.key]));
        return window.linkView.network.body.data.edges.get({filter: (e) => !e.hidden}).map((e) => [keys[e.from], keys[e.to], e.width]);
    """)
    return {(action, outcome): width for action, outcome, width in found}


def click_link(chromium: browser.Browser, action: str, outcome: str) -> None:
    """Click the middle of a drawn link with the real mouse."""
    at = chromium.run(
        """const n = window.linkView.network, data = JSON.parse(document.getElementById('page-data').textContent);
        const find = (key) => data.nodes.find((node) => node.key === key).id;
        const a = n.getPosition(find(arguments[0])), b = n.getPosition(find(arguments[1]));
        return n.canvasToDOM({x: (a.x + b.x) / 2, y: (a.y + b.y) / 2});""",
        action,
        outcome,
    )
    canvas = chromium.driver.find_element("css selector", "#network canvas")
    offset = int(at["x"] - canvas.size["width"] / 2), int(at["y"] - canvas.size["height"] / 2)
    ActionChains(chromium.driver).move_to_element_with_offset(canvas, *offset).click().perform()


def test_link_view_click_lists_the_evidence(chromium: browser.Browser, fixture_graph: Graph, tmp_path: Path) -> None:
    open_clean(chromium, link_view.write_link_view(fixture_graph, tmp_path / "link-view.html"), LINK_VIEW_READY)
    # The map's 7 linked cells; its 5th action type (c-values, Looking outwards) links to no outcome.
    assert link_status(chromium) == (
        "7 links between 4 action types and 5 outcome types: 8 evidence items from 2 trusts"
        " (1 action type with no linked outcome not drawn)"
    )
    widths = shown_links(chromium)
    assert set(widths) == {
        (VL, WELL_LED),
        (VL, ENGAGEMENT),
        (SL, ENGAGEMENT),
        (QI, SAFE),
        (VL, OVERALL),
        (LR, WELL_LED),
        (SL, INCIDENTS),
    }
    assert widths[(VL, WELL_LED)] > widths[(VL, OVERALL)] == widths[(SL, INCIDENTS)]  # 2 items against 1
    # Colour by the support grade: VL -> well-led has 2 stated claims from 2 independent sources (a-e1 from
    # fx-cqc-alpha, b-e1 from fx-beta-paper), short of strong's 3: moderate; each other link, one stated claim: limited.
    legend = chromium.run("return [...document.querySelectorAll('.legend-class')].map((r) => r.textContent)")
    assert legend == ["colour: grade: Moderate", "colour: grade: Limited"]
    colours = chromium.run(
        "return Object.fromEntries(window.linkView.network.body.data.edges.get().map((e) => [e.id, e.color.color]))"
    )
    assert len(set(colours.values())) == 2
    assert sum(colour == colours[f"{ACTION_TYPE[VL]}\t{OUTCOME_TYPE[WELL_LED]}"] for colour in colours.values()) == 1
    click_link(chromium, VL, WELL_LED)
    heading = chromium.run("return document.querySelector('#link-evidence h3').textContent")
    assert heading == "Visible leadership \N{RIGHTWARDS ARROW} Well-led rating improved"
    items = chromium.run(
        "return [...document.querySelectorAll('#link-evidence .evidence-item')].map((e) => e.innerText)"
    )
    assert len(items) == 2  # a-e1 (ZZ1, chief executive), b-e1 (ZZ2, patient representative)
    assert "The inspectors credit the executives' regular presence" in items[0]
    assert "Trust: Fixture Alpha Hospitals NHS Trust" in items[0] and "Reported by: Chief executive" in items[0]
    assert "Source: https://example.org/fixture/cqc/alpha-report" in items[0]
    assert "Trust: Fixture Beta NHS Foundation Trust" in items[1] and "Reported by: Patient representative" in items[1]
    support = chromium.run("return document.querySelector('#link-evidence .support').textContent")
    assert support.startswith("Support: evidence: 2, trusts: 2, roles: 2")
    assert chromium.run("return location.hash") == "#visible-leadership|rating-improved%2Fwell-led"
    assert chromium.console_errors() == []


def test_link_view_opens_on_the_link_in_its_address(
    chromium: browser.Browser, fixture_graph: Graph, tmp_path: Path
) -> None:
    """The evidence map's circles link to link-view.html#<action>|<outcome>."""
    page = link_view.write_link_view(fixture_graph, tmp_path / "link-view.html")
    chromium.driver.get(page.resolve().as_uri() + "#staff-listening|incident-reporting")
    WebDriverWait(chromium.driver, 30).until(lambda _: chromium.run(f"return Boolean({LINK_VIEW_READY})"))
    assert chromium.run("return document.querySelector('#link-evidence h3').textContent").startswith("Staff listening")
    items = chromium.run(
        "return [...document.querySelectorAll('#link-evidence .evidence-item')].map((e) => e.innerText)"
    )
    assert len(items) == 1 and "Trust: Fixture Beta NHS Foundation Trust" in items[0]  # b-e4
    assert chromium.web_requests() == [] and chromium.console_errors() == []


def test_link_view_filters_recount(chromium: browser.Browser, fixture_graph: Graph, tmp_path: Path) -> None:
    """Counts by hand from tests/fixtures/casebase, as in test_evidence_map_filters_recount."""
    open_clean(chromium, link_view.write_link_view(fixture_graph, tmp_path / "link-view.html"), LINK_VIEW_READY)
    rest = " (1 action type with no linked outcome not drawn)"
    choose(chromium, "trust", "Fixture Beta NHS Foundation Trust")  # b-e1 .. b-e4
    assert set(shown_links(chromium)) == {(VL, WELL_LED), (VL, OVERALL), (LR, WELL_LED), (SL, INCIDENTS)}
    assert (
        link_status(chromium)
        == "4 links between 3 action types and 3 outcome types: 4 evidence items from 1 trust" + rest
    )
    chromium.run("document.getElementById('clear-filters').click()")
    choose(chromium, "theme", "Leadership")  # a-e1, a-e2, b-e1, b-e2, b-e3
    assert set(shown_links(chromium)) == {(VL, WELL_LED), (VL, ENGAGEMENT), (VL, OVERALL), (LR, WELL_LED)}
    assert (
        link_status(chromium)
        == "4 links between 2 action types and 3 outcome types: 5 evidence items from 2 trusts" + rest
    )
    chromium.run("document.getElementById('clear-filters').click()")
    choose(chromium, "roleGroup", "Staff")  # frontline staff: a-e2, a-e3, b-e4
    assert set(shown_links(chromium)) == {(VL, ENGAGEMENT), (SL, ENGAGEMENT), (SL, INCIDENTS)}
    assert (
        link_status(chromium)
        == "3 links between 2 action types and 2 outcome types: 3 evidence items from 2 trusts" + rest
    )
    chromium.run("document.getElementById('clear-filters').click()")
    assert len(shown_links(chromium)) == 7
    # The fixture has no study: no study filter to offer.
    assert chromium.run("return document.getElementById('filter-study')") is None
    assert chromium.console_errors() == []


def test_link_view_study_filter(chromium: browser.Browser, tmp_path: Path) -> None:
    """A copy of the fixture with a study whose one case is ZZ1: its items a-e1 .. a-e4 pass."""
    data = tmp_path / "data"
    shutil.copytree(FIXTURE_DIR, data)
    sources = data / "sources.yaml"
    sources.write_text(STUDY_OF_ZZ1 + sources.read_text(encoding="utf-8"), encoding="utf-8")
    graph, _ = build_graph(load_case_files(data), new_graph("memory"))
    open_clean(chromium, link_view.write_link_view(graph, tmp_path / "link-view.html"), LINK_VIEW_READY)
    choose(chromium, "study", "Fixture study of one trust")
    assert set(shown_links(chromium)) == {(VL, WELL_LED), (VL, ENGAGEMENT), (SL, ENGAGEMENT), (QI, SAFE)}
    assert link_status(chromium).startswith(
        "4 links between 3 action types and 3 outcome types: 4 evidence items from 1 trust"
    )
    open_clean(chromium, map_page(graph, tmp_path / "map.html"), MAP_READY)
    choose(chromium, "study", "Fixture study of one trust")
    assert cells(chromium) == {(VL, WELL_LED): "1", (VL, ENGAGEMENT): "1", (SL, ENGAGEMENT): "1", (QI, SAFE): "1"}


def attributed_fixture(tmp_path: Path) -> Graph:
    """A copy of the fixture (FICTIONAL) whose claims differ in attribution, one item's between its two links.

    a-e1 now also claims walkabouts -> engagement, but only reports the two together (it still states
    walkabouts -> well-led), and the link b-e4 claims is the curator's inference.
    """
    data = tmp_path / "data"
    shutil.copytree(FIXTURE_DIR, data)
    zz1, zz2 = data / "cases" / "ZZ1.yaml", data / "cases" / "ZZ2.yaml"
    a_e1 = """    outcomes: [well-led@a-2016]
    links:
      - action: a-walkabouts
        outcome: well-led@a-2016
        attribution: stated
"""
    assert a_e1 in zz1.read_text(encoding="utf-8")
    zz1.write_text(
        zz1.read_text(encoding="utf-8").replace(
            a_e1,
            a_e1.replace("[well-led@a-2016]", "[well-led@a-2016, a-engagement]")
            + "      - action: a-walkabouts\n        outcome: a-engagement\n        attribution: reported-together\n",
        ),
        encoding="utf-8",
    )
    b_e4 = "        outcome: b-incidents\n        attribution: stated\n"
    assert b_e4 in zz2.read_text(encoding="utf-8")
    zz2.write_text(
        zz2.read_text(encoding="utf-8").replace(
            b_e4,
            "        outcome: b-incidents\n        attribution: curator\n"
            "        note: A fictional curator's reason for the test.\n",
        ),
        encoding="utf-8",
    )
    graph, _ = build_graph(load_case_files(data), new_graph("memory"))
    return graph


def test_attribution_filter_counts_claims(chromium: browser.Browser, tmp_path: Path) -> None:
    """Counts by hand from attributed_fixture: an item counts under a link only if its claim of that link passes."""
    graph = attributed_fixture(tmp_path)
    open_clean(chromium, map_page(graph, tmp_path / "map.html"), MAP_READY)
    assert cells(chromium) == {
        (VL, WELL_LED): "2",  # a-e1 (stated), b-e1
        (VL, ENGAGEMENT): "2",  # a-e2 (stated), a-e1 (reported together)
        (SL, ENGAGEMENT): "1",  # a-e3
        (QI, SAFE): "1",  # a-e4
        (VL, OVERALL): "1",  # b-e2
        (LR, WELL_LED): "1",  # b-e3
        (SL, INCIDENTS): "1",  # b-e4 (the curator's)
    }
    options = "return [...document.querySelectorAll('#filter-attribution option')].map((o) => o.textContent)"
    assert chromium.run(options) == [
        "Any attribution",
        "Curator's inference",
        "Reported together",
        "Stated by the source",
    ]
    choose(chromium, "attribution", "Reported together")
    assert cells(chromium) == {(VL, ENGAGEMENT): "1"}  # a-e1, whose other claim (-> well-led) is stated
    choose(chromium, "attribution", "Stated by the source")
    assert cells(chromium) == {
        (VL, WELL_LED): "2",  # a-e1 counts here, by its stated claim
        (VL, ENGAGEMENT): "1",  # a-e2 only
        (SL, ENGAGEMENT): "1",
        (QI, SAFE): "1",
        (VL, OVERALL): "1",
        (LR, WELL_LED): "1",
    }
    choose(chromium, "attribution", "Curator's inference")
    assert cells(chromium) == {(SL, INCIDENTS): "1"}
    choose(chromium, "trust", "Fixture Alpha Hospitals NHS Trust")
    assert cells(chromium) == {}
    assert chromium.console_errors() == []

    open_clean(chromium, link_view.write_link_view(graph, tmp_path / "link-view.html"), LINK_VIEW_READY)
    choose(chromium, "attribution", "Reported together")
    assert set(shown_links(chromium)) == {(VL, ENGAGEMENT)}
    assert link_status(chromium).startswith(
        "1 link between 1 action type and 1 outcome type: 1 evidence item from 1 trust"
    )
    choose(chromium, "attribution", "Stated by the source")
    assert set(shown_links(chromium)) == {
        (VL, WELL_LED), (VL, ENGAGEMENT), (SL, ENGAGEMENT), (QI, SAFE), (VL, OVERALL), (LR, WELL_LED)
    }  # fmt: skip
    assert link_status(chromium).startswith(
        "6 links between 4 action types and 4 outcome types: 7 evidence items from 2 trusts"
    )
    assert chromium.console_errors() == []
    # Each listed item says how it attributes the link: a-e1 and a-e2 differ on walkabouts -> engagement.
    page = tmp_path / "link-view.html"
    chromium.driver.get("about:blank")  # a fresh load, no filter chosen
    chromium.driver.get(page.resolve().as_uri() + "#visible-leadership|staff-engagement")
    WebDriverWait(chromium.driver, 30).until(lambda _: chromium.run(f"return Boolean({LINK_VIEW_READY})"))
    items = chromium.run(
        "return [...document.querySelectorAll('#link-evidence .evidence-item')].map((e) => e.innerText)"
    )
    attributed = sorted(line for text in items for line in text.splitlines() if line.startswith("Attribution: "))
    assert attributed == ["Attribution: Reported together", "Attribution: Stated by the source"]


STUDY_OF_ZZ1 = """# FICTIONAL study for the study filter's test.
studies:
  - id: fx-study
    url: https://example.org/fixture/study
    title: Fixture study of one trust
    kind: cqc-study
    published: 2017-06-14
    trusts: [ZZ1]
"""


def test_link_view_labels_readable(chromium: browser.Browser, fixture_graph: Graph, tmp_path: Path) -> None:
    open_clean(chromium, link_view.write_link_view(fixture_graph, tmp_path / "link-view.html"), LINK_VIEW_READY)
    labels = chromium.run("return window.linkView.labels")
    assert sorted(label for label, _ in labels) == sorted(
        ["Visible leadership", "Leadership replacement", "Staff listening", "Quality improvement programme",
         "Well-led rating improved", "Overall rating improved", "Safe rating improved", "Staff engagement",
         "Incident reporting culture"]
    )  # fmt: skip
    assert min(size for _, size in labels) >= 10
    # Every node on the canvas at the default view.
    inside = chromium.run("""
        const n = window.linkView.network, box = document.querySelector('#network canvas').getBoundingClientRect();
        return JSON.parse(document.getElementById('page-data').textContent).nodes.map((node) => n.canvasToDOM({x: node.x, y: node.y}))
          .every((p) => p.x >= 0 && p.y >= 0 && p.x <= box.width && p.y <= box.height);
    """)
    assert inside is True


def test_hostile_text_in_the_link_view_and_matrix(
    chromium: browser.Browser, hostile_graph: Graph, tmp_path: Path
) -> None:
    open_clean(chromium, link_view.write_link_view(hostile_graph, tmp_path / "link-view.html"), LINK_VIEW_READY)
    chromium.run("location.hash = '#visible-leadership|rating-improved%2Fwell-led'")
    WebDriverWait(chromium.driver, 10).until(
        lambda _: chromium.run("return document.body.dataset.selected !== undefined")
    )
    listed = chromium.run(
        "const d = document.getElementById('link-evidence'); return [d.innerText, d.querySelectorAll('script, img, em').length]"
    )
    assert "Said: " + HOSTILE in listed[0] and "Trust: " + HOSTILE in listed[0] and listed[1] == 0
    assert HOSTILE in chromium.run(
        "return [...document.querySelectorAll('#filter-trust option')].map((o) => o.textContent)"
    )
    assert chromium.run("return document.querySelectorAll('aside img, aside em, aside script').length") == 0
    assert chromium.run("return window.__pwned === undefined")
    open_clean(chromium, framework_matrix.write_framework_matrix(hostile_graph, tmp_path / "matrix.html"), MAP_READY)
    chromium.run('document.querySelector(\'td.cell.filled[data-trust$="/ZZ1"][data-theme="leadership"]\').click()')
    listed = chromium.run(
        "const d = document.getElementById('matrix-evidence'); return [d.innerText, d.querySelectorAll('script, img, em').length]"
    )
    assert "Said: " + HOSTILE in listed[0] and listed[1] == 0
    # The trust's name (markup, sorted first) heads its row as text.
    assert chromium.run("return document.querySelector('tbody th.row').textContent") == HOSTILE
    assert chromium.run("return window.__pwned === undefined")


# --- the framework matrix ------------------------------------------------------------------


def test_framework_matrix_counts_and_drill_down(
    chromium: browser.Browser, fixture_graph: Graph, tmp_path: Path
) -> None:
    open_clean(chromium, framework_matrix.write_framework_matrix(fixture_graph, tmp_path / "matrix.html"), MAP_READY)
    found = chromium.run(
        "return [...document.querySelectorAll('td.cell.filled')].map((c) => [c.dataset.trust.split('/').pop(), c.dataset.theme, c.textContent])"
    )
    # By hand: ZZ1 a-e1 L, a-e2 L+CC, a-e3 CC, a-e4 IS; ZZ2 b-e1, b-e2, b-e3 (stated), b-e5 L, b-e4 CC; ZZ3 c-e1 V&V.
    assert sorted(found) == sorted(
        [["ZZ1", "leadership", "2"], ["ZZ1", "cultural-change", "2"], ["ZZ1", "improving-safety", "1"],
         ["ZZ2", "leadership", "4"], ["ZZ2", "cultural-change", "1"], ["ZZ3", "vision-and-values", "1"]]
    )  # fmt: skip
    assert chromium.run("return document.getElementById('status').textContent") == (
        "3 trusts \N{MULTIPLICATION SIGN} 9 themes: 6 cells with evidence, 21 without"
    )
    chromium.run('document.querySelector(\'td.cell.filled[data-trust$="/ZZ2"][data-theme="leadership"]\').click()')
    items = chromium.run(
        "return [...document.querySelectorAll('#matrix-evidence .evidence-item')].map((e) => e.innerText)"
    )
    assert len(items) == 4 and all("Trust: Fixture Beta NHS Foundation Trust" in item for item in items)
    assert chromium.run("return document.querySelectorAll('#matrix-evidence svg.trajectory').length") == 1
    # Every shade used is in the legend.
    used = set(chromium.run("return [...document.querySelectorAll('td.cell.filled')].map((c) => c.style.background)"))
    legend = set(chromium.run("return [...document.querySelectorAll('.legend-shade')].map((s) => s.style.background)"))
    assert used <= legend
    assert chromium.console_errors() == []
