"""What a REFI-QDA project and a coded-segment table hold, as plain frozen records.

GUIDs are normalised (lower case, no braces) so references written ``{ABC...}`` by one tool and
``abc...`` by another meet. Every record keeps the line of its element, for provenance and errors;
the file is the project's ``file``. Selections are given in code points of their source's text,
whatever unit the exporting tool counted in (``QdaProject.offset_unit`` says which it was).
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

VariableValueType = str | bool | int | Decimal | dt.date | dt.datetime | None


class OffsetUnit(enum.Enum):
    """What a tool counted ``startPosition`` and ``endPosition`` in."""

    AUTO = "auto"  # decide from the exporting software (see trustkg.qda.offsets)
    CODE_POINTS = "code-points"  # the standard's characters: Python's str indices
    UTF16 = "utf-16"  # UTF-16 code units, as .NET strings count (NVivo)


@dataclass(frozen=True)
class User:
    guid: str
    name: str | None
    line: int


@dataclass(frozen=True)
class Code:
    """A code of the code tree, flattened: ``parent`` and ``path`` give its place in the tree."""

    guid: str
    name: str
    is_codable: bool
    description: str | None  # the code's definition; ATLAS.ti puts code memos here
    colour: str | None  # "#RRGGBB" as written
    parent: str | None  # the parent code's GUID
    path: tuple[str, ...]  # names from the root down to this code
    line: int


@dataclass(frozen=True)
class Coding:
    guid: str
    code: str  # the code's GUID
    coder: str | None  # the creating user's GUID
    created: str | None  # xsd:dateTime as written
    line: int


@dataclass(frozen=True)
class Selection:
    """A stretch of a text source and the codes applied to it."""

    guid: str
    source: str  # the text source's GUID
    name: str | None
    start: int  # code points into the source's text
    end: int  # exclusive
    quote: str  # text[start:end]
    description: str | None
    coder: str | None
    created: str | None
    codings: tuple[Coding, ...]
    line: int


@dataclass(frozen=True)
class VariableValue:
    variable: str  # the variable's GUID
    value: VariableValueType
    line: int


@dataclass(frozen=True)
class Variable:
    guid: str
    name: str
    type: str  # Text, Boolean, Integer, Float, Date or DateTime
    description: str | None
    line: int


@dataclass(frozen=True)
class TextSource:
    guid: str
    name: str | None
    text: str
    text_file: str | None  # where the text was read from; None when it was inline PlainTextContent
    description: str | None
    selections: tuple[Selection, ...]
    codings: tuple[Coding, ...]  # codings of the whole source
    variables: tuple[VariableValue, ...]
    line: int


@dataclass(frozen=True)
class OtherSource:
    """A picture, PDF, audio or video source: kept so references to it resolve, not read."""

    guid: str
    kind: str  # the element's name, e.g. "PDFSource"
    name: str | None
    line: int


@dataclass(frozen=True)
class Case:
    guid: str
    name: str | None
    description: str | None
    codes: tuple[str, ...]
    variables: tuple[VariableValue, ...]
    sources: tuple[str, ...]
    selections: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class ProjectSet:
    guid: str
    name: str
    description: str | None
    codes: tuple[str, ...]
    sources: tuple[str, ...]
    notes: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class Note:
    guid: str
    name: str | None
    text: str
    description: str | None
    line: int


@dataclass(frozen=True)
class Link:
    """A link between two objects (often two codes); ``direction`` as written, if any."""

    guid: str
    name: str | None
    direction: str | None  # Associative, OneWay or Bidirectional
    colour: str | None
    origin: str | None
    target: str | None
    line: int


@dataclass(frozen=True)
class QdaProject:
    file: str  # the project XML, e.g. "study.qdpx!/project.qde"
    name: str
    origin: str | None  # the exporting software, as written
    offset_unit: OffsetUnit  # the unit the selections were read in (never AUTO)
    description: str | None
    users: tuple[User, ...]
    codes: tuple[Code, ...]
    variables: tuple[Variable, ...]
    cases: tuple[Case, ...]
    sources: tuple[TextSource, ...]
    other_sources: tuple[OtherSource, ...]
    notes: tuple[Note, ...]
    links: tuple[Link, ...]
    sets: tuple[ProjectSet, ...]

    @cached_property
    def codes_by_guid(self) -> dict[str, Code]:
        return {code.guid: code for code in self.codes}

    @cached_property
    def users_by_guid(self) -> dict[str, User]:
        return {user.guid: user for user in self.users}

    @property
    def selections(self) -> tuple[Selection, ...]:
        return tuple(selection for source in self.sources for selection in source.selections)


@dataclass(frozen=True)
class CodedSegment:
    """One row of a coded-segment table: a quote from a document coded with one code."""

    document: str  # the file (or case) name the tool exported
    code_path: tuple[str, ...]  # the code's names from the root down
    quote: str
    coder: str | None
    segment_id: str | None  # the tool's own id for the coding or highlight
    file: str  # the table, e.g. "export.csv" or "export.xlsx!/Sheet1"
    line: int  # the row, counting the header as 1


@dataclass(frozen=True)
class CodebookEntry:
    """A code as trustkg writes it to a REFI-QDA codebook."""

    id: str
    name: str
    description: str | None = None
    parent: str | None = None  # the parent entry's id
    colour: str | None = None  # "#RRGGBB"
