"""Hardened XML parsing that keeps each element's line, for errors that point into the file.

defusedxml refuses DTDs, entity declarations and external references outright, so a project file
cannot expand entities (billion laughs) or make the parser fetch anything. The standard library's
ElementTree forgets where an element came from, so a tree builder records the expat line of every
start tag as the tree is built.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from trustkg.errors import Problem


class _LineRecordingBuilder(ET.TreeBuilder):
    """Builds the tree and notes the line of each element's start tag."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[int, int] = {}
        self.current_line: int = 0

    def start(self, tag: str, attrs: dict[str, str], /) -> ET.Element:
        element = super().start(tag, attrs)
        self.lines[id(element)] = self.current_line
        return element


class _LineTrackingParser(DefusedXMLParser):
    """defusedxml's parser, telling the builder the line before each start tag is built."""

    def __init__(self, builder: _LineRecordingBuilder) -> None:
        super().__init__(target=builder, forbid_dtd=True, forbid_entities=True, forbid_external=True)
        self._builder = builder

    def _start(self, tag: str, attr_list: list[str]) -> ET.Element:
        self._builder.current_line = self.parser.CurrentLineNumber
        return super()._start(tag, attr_list)  # type: ignore[misc, no-any-return]


@dataclass(frozen=True)
class XmlDocument:
    """A parsed XML file: its root, the file's name for problems, and each element's line."""

    file: str
    root: ET.Element
    _lines: dict[int, int] = field(repr=False, compare=False)

    def line(self, element: ET.Element) -> int:
        return self._lines.get(id(element), 0)

    def problem(self, element: ET.Element, field: str, message: str) -> Problem:
        return Problem(self.file, self.line(element), field, message)


def local_name(element: ET.Element) -> str:
    """The tag without its namespace: REFI-QDA files differ in how they write the namespace."""
    return element.tag.rpartition("}")[2]


def namespace(element: ET.Element) -> str:
    return element.tag[1:].partition("}")[0] if element.tag.startswith("{") else ""


def children(element: ET.Element, name: str) -> Iterator[ET.Element]:
    return (child for child in element if local_name(child) == name)


def child(element: ET.Element, name: str) -> ET.Element | None:
    return next(children(element, name), None)


def child_text(element: ET.Element, name: str) -> str | None:
    found = child(element, name)
    return None if found is None else (found.text or "")


def parse_xml(data: bytes, file: str) -> XmlDocument | Problem:
    """Parse ``data``, refusing DTDs and entities; a problem names the file and line instead."""
    builder = _LineRecordingBuilder()
    parser = _LineTrackingParser(builder)
    try:
        parser.feed(data)
        root = parser.close()
    except DefusedXmlException as error:
        line = parser.parser.CurrentLineNumber
        return Problem(file, line, "xml", f"refused: {error} (DTDs, entities and external references are not allowed)")
    except ET.ParseError as error:
        return Problem(file, error.position[0], "xml", f"not well-formed XML: {error}")
    return XmlDocument(file, root, builder.lines)
