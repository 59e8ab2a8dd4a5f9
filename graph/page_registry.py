"""The registry of pages: one offline HTML page each, written from the built graph.

To add a page, write a module with a function ``(graph, out, **options) -> Path``
that writes it (see :mod:`trustkg.explorer`), and add one line here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from trustkg import evidence_map, explorer, framework_matrix, link_view
from trustkg.errors import TrustKGError, did_you_mean


@dataclass(frozen=True)
class Page:
    """How to write one page, and where it goes unless told otherwise."""

    write: Callable[..., Path]
    default_path: Path
    description: str


PAGES: dict[str, Page] = {
    "link-view": Page(
        link_view.write_link_view, link_view.DEFAULT_PAGE, "the headline question: action types linked to outcome types"
    ),
    "explorer": Page(explorer.write_explorer, explorer.DEFAULT_PAGE, "the interactive graph explorer"),
    "evidence-map": Page(
        evidence_map.write_evidence_map, evidence_map.DEFAULT_PAGE, "the action x outcome evidence-and-gap map"
    ),
    "framework-matrix": Page(
        framework_matrix.write_framework_matrix,
        framework_matrix.DEFAULT_PAGE,
        "the trust x theme framework matrix, with each trust's rating trajectory",
    ),
}


def page(name: str) -> Page:
    """One of :data:`PAGES` by name."""
    try:
        return PAGES[name]
    except KeyError:
        raise TrustKGError(f"unknown page {name!r}" + did_you_mean(name, PAGES)) from None
