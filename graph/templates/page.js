"use strict";
// Shared by every page. Data text only ever reaches the page
// through text nodes (el() and textContent), never through innerHTML.

function pageData() {
  return JSON.parse(document.getElementById("page-data").textContent);
}

// The data a page needs only after its first drawing, placed after its script (null when it has none). It is
// there once the document is parsed: call this from whenParsed().
function lateData() {
  return JSON.parse(document.getElementById("page-late").textContent);
}

// A promise of the document parsed to its end (so the late data is there).
function whenParsed() {
  return new Promise((resolve) => document.readyState === "loading"
    ? document.addEventListener("DOMContentLoaded", () => resolve(), {once: true}) : resolve());
}

// "1 evidence item", "2 evidence items".
function plural(count, word) {
  return count + " " + word + (count === 1 ? "" : "s");
}

// el("span", {className: "x"}, "text", child, ...): strings become text nodes.
function el(tag, properties, ...children) {
  const element = document.createElement(tag);
  Object.assign(element, properties || {});
  for (const child of children) {
    if (child === null || child === undefined || child === "") continue;
    element.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return element;
}

// A source as a link when it is a web address, otherwise as plain text.
function sourceLink(url) {
  if (/^https?:\/\//i.test(url)) {
    return el("a", {href: url, target: "_blank", rel: "noopener noreferrer"}, url);
  }
  return el("span", {}, url);
}

function fact(name, value) {
  return value ? el("span", {className: "fact"}, el("b", {}, name + ": "), value) : null;
}

// Sources as links, each followed by where in it (its locator, e.g. "p. 12") when the data gives one.
function sourcesFact(urls, locators) {
  if (!urls || urls.length === 0) return null;
  const line = el("span", {className: "fact"}, el("b", {}, urls.length > 1 ? "Sources: " : "Source: "));
  urls.forEach((url, index) => {
    if (index > 0) line.append(document.createTextNode(" · "));
    line.append(sourceLink(url));
    const locator = locators && locators[index];
    if (locator) line.append(el("span", {className: "locator"}, " (" + locator + ")"));
  });
  return line;
}

// Evidence items as cards, a trust's rating trajectory on the first card of that trust. With attributions
// (value -> label, e.g. from the attribution filter's options), each card says how the item attributes the link.
function evidenceCards(items, trajectories, attributions) {
  const charted = new Set();
  return items.map((item) => {
    const trust = item.facets && item.facets.trust[0];
    const chart = trust && !charted.has(trust) && trajectories ? trajectoryChart(trajectories[trust]) : null;
    if (trust) charted.add(trust);
    return el("div", {className: "card evidence-item"},
      el("span", {className: "detail"}, item.statement),
      fact("Trust", item.trust),
      chart,
      fact("Reported by", item.role),
      attributions && item.attributions ? fact("Attribution", item.attributions.map((a) => attributions[a] || a).join(", ")) : null,
      item.quote && item.quote !== item.statement ? fact("Quote", item.quote) : null,
      item.position ? fact("Position", item.position) : null,
      sourcesFact(item.sources, item.locators));
  });
}

// What bench/ times: a page is drawn once the browser has laid out and painted the frame after its script
// (a table page has no drawing event of its own; the canvas pages mark vis-network's first drawing).
function markDrawnAfterPaint() {
  requestAnimationFrame(() => requestAnimationFrame(() => performance.mark("trustkg:drawn")));
}

function setTitle(title) {
  document.title = title;
  document.getElementById("title").textContent = title;
}

// --- a trust's rating trajectory: key-question ratings over time, special-measures spans shaded ---
const SVG = "http://www.w3.org/2000/svg";
const LEVELS = ["", "Inadequate", "Requires improvement", "Good", "Outstanding"];
const QUESTION_LOOK = {"overall": ["#1f4e79", 2.2], "well-led": ["#d9730d", 1.6]};
function svg(tag, attributes, ...children) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes || {})) element.setAttribute(name, String(value));
  for (const child of children) element.append(typeof child === "string" ? document.createTextNode(child) : child);
  return element;
}
let trajectoryCharts = 0;  // numbers each chart's hatch pattern (an id must be unique in the page)
function trajectoryChart(trajectory) {
  if (!trajectory || (trajectory.inspections.length === 0 && trajectory.specialMeasures.length === 0)) return null;
  const W = 240, H = 84, left = 26, right = 8, top = 6, bottom = 18;
  const times = trajectory.inspections.map((i) => i.at)
    .concat(trajectory.specialMeasures.flatMap((s) => s.filter((t) => t !== null)));
  const first = Math.floor(Math.min(...times)), last = Math.ceil(Math.max(...times) + 0.01);
  const x = (t) => left + (W - left - right) * (t - first) / Math.max(1, last - first);
  const y = (rank) => top + (H - top - bottom) * (4 - rank) / 3;
  const chart = svg("svg", {class: "trajectory", width: W, height: H, viewBox: "0 0 " + W + " " + H, role: "img"});
  const said = trajectory.inspections.map((i) => i.date + ": " + Object.entries(i.ratings).map(([q, r]) => q + " " + LEVELS[r]).join(", "));
  chart.append(svg("title", {}, "Ratings of " + trajectory.name + (said.length ? "; " + said.join("; ") : "")
    + (trajectory.specialMeasures.length ? "; shaded: special measures" : "")));
  // A span whose entry the source does not give starts at the axis, hatched: it began before, when is not known.
  const hatch = "hatch-" + (++trajectoryCharts);
  chart.append(svg("defs", {}, svg("pattern", {id: hatch, width: 6, height: 6, patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)"},
    svg("rect", {width: 6, height: 6, fill: "#fbeaea"}), svg("line", {x1: 0, y1: 0, x2: 0, y2: 6, stroke: "#e08f8f", "stroke-width": 2}))));
  for (const [from, to] of trajectory.specialMeasures) {
    if (from === null && to === null) continue;  // said in the key: no date to place it by
    const x0 = from === null ? left : x(from), x1 = to === null ? W - right : x(to);
    const span = svg("rect", {class: "special-measures" + (from === null ? " open-start" : ""), x: x0, y: top,
      width: Math.max(2, x1 - x0), height: H - top - bottom, fill: from === null ? "url(#" + hatch + ")" : "#f6d5d5"});
    if (from === null) span.append(svg("title", {}, "Special measures; when they began is not given"));
    chart.append(span);
  }
  for (let rank = 1; rank <= 4; rank++) {
    chart.append(svg("line", {x1: left, x2: W - right, y1: y(rank), y2: y(rank), stroke: "#e4e4e4"}));
    chart.append(svg("text", {x: left - 4, y: y(rank) + 3.5, "text-anchor": "end", "font-size": 10, fill: "#777"}, ["", "I", "RI", "G", "O"][rank]));
  }
  chart.append(svg("text", {x: left, y: H - 4, "font-size": 10, fill: "#777"}, String(first)));
  chart.append(svg("text", {x: W - right, y: H - 4, "font-size": 10, fill: "#777", "text-anchor": "end"}, String(last)));
  const questions = [...new Set(trajectory.inspections.flatMap((i) => Object.keys(i.ratings)))];
  questions.sort((a, b) => (a in QUESTION_LOOK) - (b in QUESTION_LOOK));  // the coloured ones drawn last, on top
  for (const question of questions) {
    const [colour, width] = QUESTION_LOOK[question] || ["#b5b5b5", 1];
    const points = trajectory.inspections.filter((i) => question in i.ratings).map((i) => [x(i.at), y(i.ratings[question])]);
    const line = svg("polyline", {class: "question-" + question, points: points.map((p) => p.join(",")).join(" "),
      fill: "none", stroke: colour, "stroke-width": width});
    line.append(svg("title", {}, question));
    chart.append(line);
    for (const [px, py] of points) chart.append(svg("circle", {cx: px, cy: py, r: width + 0.8, fill: colour}));
  }
  return el("div", {className: "trajectory-box"}, chart,
    el("span", {className: "trajectory-key"}, "Ratings: overall (blue), well-led (orange), other key questions (grey)"
      + (trajectory.specialMeasures.length ? "; shaded: special measures" : "")
      + (trajectory.specialMeasures.some(([from, to]) => from === null && to !== null) ? " (hatched from the axis: entry date not given)" : "")
      + (trajectory.specialMeasures.some(([from, to]) => from === null && to === null) ? "; in special measures at dates not given" : "")));
}

// Colour classes for counts (of trusts): a class per distinct count when few, else contiguous ranges of about
// equal size; each {low, high, colour, ink} (ink: a text colour that reads on it).
const COUNT_PALETTE = ["#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c", "#08306b"];
function countClasses(values) {
  const counts = [...new Set(values)].sort((a, b) => a - b);
  const classCount = Math.min(COUNT_PALETTE.length, counts.length);
  const classes = [];
  for (let i = 0; i < classCount; i++) {
    const members = counts.slice(Math.floor(i * counts.length / classCount), Math.floor((i + 1) * counts.length / classCount));
    const shade = classCount === 1 ? 3 : Math.round(1 + i * (COUNT_PALETTE.length - 2) / (classCount - 1));
    classes.push({low: members[0], high: members[members.length - 1], colour: COUNT_PALETTE[shade], ink: shade < 3 ? "#08306b" : "#ffffff"});
  }
  return classes;
}

// The facet filters (data.filters) as selects in #filters, with a "Clear filters" button; chosen[key] holds
// each choice ("" for any). passes(item) says whether an evidence item's facets pass them all.
function filterControls(filters, chosen, changed) {
  const panel = document.getElementById("filters");
  for (const filter of filters) {
    const select = el("select", {id: "filter-" + filter.key}, el("option", {value: ""}, "Any " + filter.label.toLowerCase()));
    for (const [value, label] of filter.options) select.append(el("option", {value: value}, label));
    select.addEventListener("change", () => { chosen[filter.key] = select.value; changed(); });
    panel.append(el("label", {className: "filter"}, el("span", {}, filter.label), select));
  }
  if (!filters.length) return (item) => true;
  const clear = el("button", {type: "button", id: "clear-filters"}, "Clear filters");
  clear.addEventListener("click", () => {
    for (const filter of filters) { chosen[filter.key] = ""; document.getElementById("filter-" + filter.key).value = ""; }
    changed();
  });
  panel.append(clear);
  return (item) => filters.every((filter) => !chosen[filter.key] || item.facets[filter.key].includes(chosen[filter.key]));
}

// A filter's values with their labels (value -> label), empty when there is no such filter.
function filterLabels(filters, key) {
  const filter = filters.find((f) => f.key === key);
  return Object.fromEntries(filter ? filter.options : []);
}
