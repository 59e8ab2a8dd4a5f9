"""Write a trustkg codebook as a REFI-QDA codebook (``.qdc``) for QDA tools to import.

The code tree follows the standard's ``CodeBookType`` (the project schema's, which the separate
codebook schema shares): ``<Codes>`` of nested ``<Code guid name isCodable color>`` each with its
definition as ``<Description>`` before its sub-codes. The default namespace is
``urn:QDA-XML:codebook:1.0``, written on the root so every element is in it: QualCoder's importer
finds ``<Codes>`` only as ``{urn:QDA-XML:codebook:<version>}Codes`` and reads ``name``, ``color``,
``Description`` and ``isCodable`` (``false`` makes a category). GUIDs are UUID-5s of the trustkg
IDs, so a project coded with this codebook and exported back carries GUIDs that ``codebook_guid``
recognises without a mapping.
"""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from importlib.metadata import version

from trustkg.errors import InputError, Problem
from trustkg.qda.model import CodebookEntry

CODEBOOK_NAMESPACE = "urn:QDA-XML:codebook:1.0"
# Fixed for trustkg: changing it would change every exported GUID.
_TRUSTKG_GUIDS = uuid.UUID("5f0c1d2e-7a43-4b8e-9c61-3e2f8d4a7b10")
_COLOUR = re.compile(r"#([0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})")


def codebook_guid(code_id: str) -> str:
    """The GUID a trustkg code is written with, normalised as the reader returns GUIDs."""
    return str(uuid.uuid5(_TRUSTKG_GUIDS, code_id))


def write_codebook(entries: Sequence[CodebookEntry], *, origin: str | None = None) -> bytes:
    """The ``.qdc`` document (UTF-8 bytes) for ``entries``, children in the order given.

    Raises ``InputError`` for a repeated id, a parent that is not an entry, a cycle, or a colour
    that is not ``#RRGGBB`` / ``#RGB``.
    """
    _check(entries)
    by_parent: dict[str | None, list[CodebookEntry]] = {}
    for entry in entries:
        by_parent.setdefault(entry.parent, []).append(entry)

    def add(parent: ET.Element, entry: CodebookEntry) -> None:
        attributes = {"guid": codebook_guid(entry.id).upper(), "name": entry.name, "isCodable": "true"}
        if entry.colour:
            attributes["color"] = entry.colour
        element = ET.SubElement(parent, "Code", attributes)
        if entry.description:
            ET.SubElement(element, "Description").text = entry.description
        for sub in by_parent.get(entry.id, []):
            add(element, sub)

    # The namespace is written as a plain xmlns attribute: ElementTree's default_namespace option
    # refuses unqualified attribute names, and REFI-QDA's attributes are all unqualified.
    root = ET.Element("CodeBook", {"xmlns": CODEBOOK_NAMESPACE, "origin": origin or f"trustkg {version('trustkg')}"})
    codes = ET.SubElement(root, "Codes")
    for top in by_parent.get(None, []):
        add(codes, top)
    ET.indent(root)
    document: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return document + b"\n"


def _check(entries: Sequence[CodebookEntry]) -> None:
    problems = []
    ids = [entry.id for entry in entries]
    parents = {entry.id: entry.parent for entry in entries}
    for entry in entries:
        if ids.count(entry.id) > 1:
            problems.append(_at(entry, "appears more than once"))
        if entry.parent is not None and entry.parent not in parents:
            problems.append(_at(entry, f"has parent {entry.parent!r}, which is not in the codebook"))
        if entry.colour and not _COLOUR.fullmatch(entry.colour):
            problems.append(_at(entry, f"colour {entry.colour!r} is not #RRGGBB"))
        seen, current = {entry.id}, entry.parent
        while current is not None and current in parents:
            if current in seen:
                problems.append(_at(entry, "is its own ancestor"))
                break
            seen.add(current)
            current = parents[current]
    if problems:
        raise InputError(set(problems))


def _at(entry: CodebookEntry, message: str) -> Problem:
    return Problem("codebook", None, entry.id, message)
