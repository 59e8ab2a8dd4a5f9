"""Self-contained HTML pages: the page templates, vis-network inlined, data embedded safely.

pyvis's own templates fetch vis-network and Bootstrap from CDNs whatever
``cdn_resources`` says, so the pages use templates of their own (in
``graph/templates``) with the vis-network build that ships inside the pyvis
package inlined: a page opens by double-click on a machine with no network.

Text from the data never becomes markup: the data travels as JSON inside a
``<script type="application/json">`` element (with ``<``, ``>`` and ``&``
escaped, so no statement can close the element), and the page scripts put it
on screen as DOM text nodes.
"""

from __future__ import annotations

import json
import re
from importlib.util import find_spec
from pathlib import Path

from trustkg.files import write_atomically

TEMPLATES = Path(__file__).resolve().parent / "templates"
# Found without importing pyvis (which imports IPython): a one-shot query must not pay for it.
_PYVIS = find_spec("pyvis")
assert _PYVIS is not None and _PYVIS.origin is not None, "pyvis is a dependency"
VIS_NETWORK = Path(_PYVIS.origin).resolve().parent / "templates" / "lib" / "vis-9.1.2"

#: Placeholders in a template: /*@NAME@*/ in scripts and styles, <!--@NAME@--> in markup.
_SLOT = re.compile(r"/\*@([A-Z_]+)@\*/|<!--@([A-Z_]+)@-->")
#: Every page is the skeleton in page.html (header, side panel, data, scripts) filled with its own sections:
#: a page template is a list of sections, each starting at a line <!--@section NAME-->.
_SKELETON = "page.html"
_SECTION = re.compile(r"^<!--@section ([A-Z_]+)-->\n", re.MULTILINE)
_SECTIONS = frozenset({"TITLE", "STYLE", "ASIDE", "MAIN", "SCRIPT"})
# A source map comment would make the browser fetch a file that is not there.
_SOURCE_MAP = re.compile(r"^//# sourceMappingURL=.*$", re.MULTILINE)
#: vis-network's style rules with an inline image: its navigation buttons and editing toolbar, which no page
#: turns on. They are 207 of the style sheet's 220 kB, parsed before a page can draw.
_IMAGE_RULE = re.compile(r"[^{}]+\{[^{}]*url\(\s*['\"]?data:[^{}]*\}")


def vis_network() -> dict[str, str]:
    """The bundled vis-network script and style sheet, ready to inline."""
    script = _SOURCE_MAP.sub("", (VIS_NETWORK / "vis-network.min.js").read_text(encoding="utf-8"))
    style = _IMAGE_RULE.sub("", (VIS_NETWORK / "vis-network.css").read_text(encoding="utf-8"))
    return {"VIS_SCRIPT": script, "VIS_STYLE": style}


def _template(name: str) -> str:
    return (TEMPLATES / name).read_text(encoding="utf-8")


def script_json(data: object) -> str:
    """JSON that is safe inside a <script> element: no '<', '>' or '&' can end it or open a comment."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def sections(template: str) -> dict[str, str]:
    """A page template's sections by name (see :data:`_SECTIONS`)."""
    text = _template(template)
    pieces = _SECTION.split(text)
    found = dict(zip(pieces[1::2], (piece.rstrip("\n") for piece in pieces[2::2]), strict=True))
    if pieces[0].strip() or set(found) != _SECTIONS:
        raise KeyError(f"template {template} must be the sections {sorted(_SECTIONS)}, each once, and nothing else")
    return found


def render(template: str, data: object, late: object = None, **parts: str) -> str:
    """The page skeleton filled with a page template's sections: DATA with ``data`` as safe JSON, the rest from ``parts``.

    ``late`` is data the page needs only after its first drawing: it goes after the page's script
    (LATE_DATA, read by ``lateData()``), so the browser draws before it has even parsed it.
    A page without ``parts`` for vis-network (VIS_SCRIPT, VIS_STYLE) leaves them empty.
    """
    # Every page shares the panel styles and the helpers that put text on screen.
    slots = {
        "DATA": script_json(data),
        "LATE_DATA": script_json(late),
        "PAGE_STYLE": _template("page.css"),
        "PAGE_SCRIPT": _template("page.js"),
        "VIS_SCRIPT": "",
        "VIS_STYLE": "",
        **sections(template),
    }
    slots.update(parts)
    text = _template(_SKELETON)

    def fill(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(2)
        if name not in slots:
            raise KeyError(f"template {template} has a slot {name} that nothing fills")
        return slots[name]

    return _SLOT.sub(fill, text)


def write_page(path: Path | str, html: str) -> Path:
    """Write a page (replacing the old one only once the new one is complete)."""
    return write_atomically(Path(path), html.encode("utf-8"))
