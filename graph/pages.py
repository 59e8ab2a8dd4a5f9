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
# A source map comment would make the browser fetch a file that is not there.
_SOURCE_MAP = re.compile(r"^//# sourceMappingURL=.*$", re.MULTILINE)


def vis_network() -> dict[str, str]:
    """The bundled vis-network script and style sheet, ready to inline."""
    script = _SOURCE_MAP.sub("", (VIS_NETWORK / "vis-network.min.js").read_text(encoding="utf-8"))
    style = (VIS_NETWORK / "vis-network.css").read_text(encoding="utf-8")
    return {"VIS_SCRIPT": script, "VIS_STYLE": style}


def _template(name: str) -> str:
    return (TEMPLATES / name).read_text(encoding="utf-8")


def script_json(data: object) -> str:
    """JSON that is safe inside a <script> element: no '<', '>' or '&' can end it or open a comment."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def render(template: str, data: object, **parts: str) -> str:
    """Fill a template's slots: DATA with ``data`` as safe JSON, the rest from ``parts`` as given."""
    # Every page shares the panel styles and the helpers that put text on screen.
    slots = {"DATA": script_json(data), "PAGE_STYLE": _template("page.css"), "PAGE_SCRIPT": _template("page.js")}
    slots.update(parts)
    text = _template(template)

    def fill(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(2)
        if name not in slots:
            raise KeyError(f"template {template} has a slot {name} that nothing fills")
        return slots[name]

    return _SLOT.sub(fill, text)


def write_page(path: Path | str, html: str) -> Path:
    """Write a page (replacing the old one only once the new one is complete)."""
    return write_atomically(Path(path), html.encode("utf-8"))
