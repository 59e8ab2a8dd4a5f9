"use strict";
// Shared by the explorer and the evidence map. Data text only ever reaches the page
// through text nodes (el() and textContent), never through innerHTML.

function pageData() {
  return JSON.parse(document.getElementById("page-data").textContent);
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

function sourcesFact(urls) {
  if (!urls || urls.length === 0) return null;
  const line = el("span", {className: "fact"}, el("b", {}, urls.length > 1 ? "Sources: " : "Source: "));
  urls.forEach((url, index) => {
    if (index > 0) line.append(document.createTextNode(" · "));
    line.append(sourceLink(url));
  });
  return line;
}

function setTitle(title) {
  document.title = title;
  document.getElementById("title").textContent = title;
}
