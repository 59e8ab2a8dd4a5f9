"""Coded-segment tables exported by QDA tools, read into ``CodedSegment`` rows.

Two layouts, told apart by their header (names compared without case):

- QualCoder's coded-text export: ``File|Case, Coder, Coded, Id, Codename, ...`` (UTF-8 with a
  byte-order mark, every field quoted). The layout is the one QualCoder users report; the reader
  needs only a document column (``File|Case``, ``File`` or ``Case``), ``Coded`` and ``Codename``,
  and takes ``Coder`` and ``Id`` when present.
- Taguette's highlights export: ``id, document, tag, content`` (Taguette 1.x, taguette/export.py)
  or ``id, document, tag, tag_path[, tag_note], content`` (exports with a tag hierarchy, whose
  ``tag_path`` joins the names from the root with `` | ``). Rows with no tag (an untagged
  highlight) and rows with neither id nor document (a parent tag listed for the hierarchy) code
  nothing and are skipped.

CSV and XLSX alike; an XLSX is read from its first sheet after the same zip checks as a project
(openpyxl parses its XML through defusedxml when that is installed, as it is here).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Literal

from trustkg.errors import InputError, Problem
from trustkg.qda.model import CodedSegment
from trustkg.qda.package import DEFAULT_LIMITS, Limits, check_zip, open_zip, read_file

Tool = Literal["auto", "qualcoder", "taguette"]
TAGUETTE_PATH_SEPARATOR = " | "
_DOCUMENT_COLUMNS = ("file|case", "file", "case")

Row = tuple[int, list[str]]  # the row's line (CSV) or row number (XLSX), and its cells


def read_coded_segments(
    path: Path, *, tool: Tool = "auto", limits: Limits = DEFAULT_LIMITS
) -> tuple[CodedSegment, ...]:
    """The coded segments of a QualCoder or Taguette export (``.csv`` or ``.xlsx``).

    Raises ``InputError`` with every problem: an unknown layout, an empty document, code or quote.
    """
    data = read_file(path, limits)
    if isinstance(data, Problem):
        raise InputError([data])
    table = _xlsx_rows(path, data, limits) if path.suffix.casefold() == ".xlsx" else _csv_rows(path, data)
    if isinstance(table, list):
        raise InputError(table)
    label, rows = table
    if not rows:
        raise InputError([Problem(label, None, "header", "the table is empty")])
    header = [cell.strip().casefold() for cell in rows[0][1]]
    chosen = tool if tool != "auto" else _guess_tool(header)
    if chosen is None:
        raise InputError(
            [
                Problem(
                    label,
                    rows[0][0],
                    "header",
                    f"is neither QualCoder's (File|Case, Coder, Coded, Id, Codename) nor Taguette's "
                    f"(id, document, tag, content): found {', '.join(header)}",
                )
            ]
        )
    problems: list[Problem] = []
    segments = tuple((_qualcoder if chosen == "qualcoder" else _taguette)(label, header, rows[1:], problems))
    if problems:
        raise InputError(problems)
    return segments


def _guess_tool(header: Sequence[str]) -> Tool | None:
    if "codename" in header:
        return "qualcoder"
    if {"document", "tag", "content"} <= set(header):
        return "taguette"
    return None


def _qualcoder(label: str, header: list[str], rows: Sequence[Row], problems: list[Problem]) -> Iterator[CodedSegment]:
    document_column = next((name for name in _DOCUMENT_COLUMNS if name in header), "file|case")
    columns = _Columns(label, header, problems)
    document, quote, code = (columns.required(name) for name in (document_column, "coded", "codename"))
    coder, segment_id = columns.optional("coder"), columns.optional("id")
    if None in (document, quote, code):
        return
    for line, cells in rows:
        if not any(cell.strip() for cell in cells):
            continue
        values = columns.values(line, cells, {document_column: document, "codename": code, "coded": quote})
        if values is not None:
            yield CodedSegment(
                values[document_column],
                (values["codename"],),
                values["coded"],
                _cell(cells, coder) or None,
                _cell(cells, segment_id) or None,
                label,
                line,
            )


def _taguette(label: str, header: list[str], rows: Sequence[Row], problems: list[Problem]) -> Iterator[CodedSegment]:
    columns = _Columns(label, header, problems)
    document, tag, content = (columns.required(name) for name in ("document", "tag", "content"))
    tag_path, segment_id = columns.optional("tag_path"), columns.optional("id")
    if None in (document, tag, content):
        return
    for line, cells in rows:
        if not _cell(cells, tag).strip() or not (_cell(cells, segment_id) or _cell(cells, document)).strip():
            continue  # an untagged highlight, or a parent tag listed only for the hierarchy
        values = columns.values(line, cells, {"document": document, "tag": tag, "content": content})
        if values is not None:
            path = _cell(cells, tag_path).strip()
            code_path = tuple(path.split(TAGUETTE_PATH_SEPARATOR)) if path else (values["tag"],)
            yield CodedSegment(
                values["document"], code_path, values["content"], None, _cell(cells, segment_id) or None, label, line
            )


class _Columns:
    """Finds columns by header name, reporting missing columns and empty required cells."""

    def __init__(self, label: str, header: list[str], problems: list[Problem]) -> None:
        self.label, self.header, self.problems = label, header, problems

    def optional(self, name: str) -> int | None:
        return self.header.index(name) if name in self.header else None

    def required(self, name: str) -> int | None:
        index = self.optional(name)
        if index is None:
            self.problems.append(Problem(self.label, 1, name, "column is missing from the header"))
        return index

    def values(self, line: int, cells: list[str], wanted: dict[str, int | None]) -> dict[str, str] | None:
        values = {name: _cell(cells, index) for name, index in wanted.items()}
        empty = [name for name, value in values.items() if not value.strip()]
        for name in empty:
            self.problems.append(Problem(self.label, line, name, "is empty"))
        return None if empty else values


def _cell(cells: list[str], index: int | None) -> str:
    return cells[index] if index is not None and index < len(cells) else ""


def _csv_rows(path: Path, data: bytes) -> tuple[str, list[Row]] | list[Problem]:
    try:
        text = data.decode("utf-8-sig")  # QualCoder writes a BOM; utf-8-sig drops it if present
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        return [Problem(str(path), line, "file", f"is not UTF-8 text (byte {data[error.start]:#04x} on this line)")]
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[Row] = []
    first_line = 1
    try:
        for cells in reader:
            rows.append((first_line, cells))
            first_line = reader.line_num + 1  # a quoted field may span several lines
    except csv.Error as error:
        return [Problem(str(path), reader.line_num, "csv", str(error))]
    return str(path), rows


def _xlsx_rows(path: Path, data: bytes, limits: Limits) -> tuple[str, list[Row]] | list[Problem]:
    archive = open_zip(data, str(path))
    if isinstance(archive, Problem):
        return [archive]
    problems = check_zip(archive, str(path), limits)
    if problems:
        return problems
    import openpyxl  # here, not at the top: 0.2 s to import, paid only by a spreadsheet

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        return [Problem(str(path), None, "xlsx", f"cannot be read: {error}")]
    sheet = workbook.worksheets[0]
    rows = [
        (number, ["" if value is None else str(value) for value in values])
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
    ]
    workbook.close()
    return f"{path}[{sheet.title}]", rows
