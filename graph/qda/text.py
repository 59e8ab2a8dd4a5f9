"""Source texts as the exporting tool saw them, and selection offsets turned into code points.

The REFI-QDA standard counts positions in characters, but NVivo (a .NET program) counts UTF-16
code units, so every character outside the Basic Multilingual Plane (emoji, some CJK) counts twice
and a code-point reading drifts further with each one. Which unit a project uses is chosen
explicitly (``OffsetUnit``) or, with ``OffsetUnit.AUTO``, from the project's ``origin`` attribute:
NVivo means UTF-16, anything else the standard's code points. Text is decoded without newline
translation, so a CRLF is two characters as it was to the tool, and a byte-order mark is dropped,
not counted, as NVivo's offsets start after it.
"""

from __future__ import annotations

import codecs
from bisect import bisect_left
from collections.abc import Sequence

from trustkg.qda.model import OffsetUnit

_UTF16_TOOLS = ("nvivo",)


def resolve_unit(unit: OffsetUnit, origin: str | None) -> OffsetUnit:
    if unit is not OffsetUnit.AUTO:
        return unit
    exporter = (origin or "").casefold()
    return OffsetUnit.UTF16 if any(tool in exporter for tool in _UTF16_TOOLS) else OffsetUnit.CODE_POINTS


def decode_text(data: bytes) -> str:
    """Bytes of a source text as a str: a BOM picks UTF-8 or UTF-16 and is dropped; else UTF-8.

    Raises UnicodeDecodeError for bytes that are not text in that encoding.
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    return data.decode("utf-8")


class OffsetMap:
    """Turns a tool's offsets into str indices of one text; None for an offset between characters."""

    def __init__(self, text: str, unit: OffsetUnit) -> None:
        self._boundaries: Sequence[int] | None = None
        if unit is OffsetUnit.UTF16 and any(ord(char) > 0xFFFF for char in text):
            boundaries, position = [], 0
            for char in text:
                boundaries.append(position)
                position += 2 if ord(char) > 0xFFFF else 1
            boundaries.append(position)
            self._boundaries = boundaries
        self.length = len(text) if self._boundaries is None else self._boundaries[-1]

    def index(self, offset: int) -> int | None:
        if self._boundaries is None:
            return offset
        found = bisect_left(self._boundaries, offset)
        return found if found < len(self._boundaries) and self._boundaries[found] == offset else None
