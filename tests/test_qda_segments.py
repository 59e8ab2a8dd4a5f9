"""Coded-segment tables from QualCoder and Taguette, CSV and XLSX, into CodedSegment rows.

Every table here is FICTIONAL, written in the test in the tool's layout; the expected rows are
written out by hand.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest

from tests.qda_files import FICTIONAL
from trustkg.errors import InputError
from trustkg.qda import CodedSegment, Limits, read_coded_segments

QUALCODER_ROWS = [
    ["File|Case", "Coder", "Coded", "Id", "Codename", "Memo"],
    ["interview-01.txt", "coder-a", "We started a safety huddle\nevery morning.", "17", "Safety huddles", FICTIONAL],
    ["interview-02.txt", "coder-b", "Falls went down \U0001f600 in six months.", "18", "Fewer falls", ""],
]


def _qualcoder_csv(path: Path, rows: list[list[str]]) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, quoting=csv.QUOTE_ALL).writerows(rows)
    path.write_bytes(b"\xef\xbb\xbf" + buffer.getvalue().encode())  # UTF-8 with a BOM, as QualCoder writes
    return path


def _xlsx(path: Path, rows: list[list[str]]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Coded"
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def test_qualcoder_csv(tmp_path: Path) -> None:
    path = _qualcoder_csv(tmp_path / "coded.csv", QUALCODER_ROWS)
    assert read_coded_segments(path) == (
        CodedSegment(
            "interview-01.txt",
            ("Safety huddles",),
            "We started a safety huddle\nevery morning.",
            "coder-a",
            "17",
            str(path),
            2,
        ),
        # The quote above spans two lines of the file, so this row starts on line 4.
        CodedSegment(
            "interview-02.txt",
            ("Fewer falls",),
            "Falls went down \U0001f600 in six months.",
            "coder-b",
            "18",
            str(path),
            4,
        ),
    )


def test_qualcoder_xlsx(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "coded.xlsx", QUALCODER_ROWS)
    segments = read_coded_segments(path)
    assert [(s.document, s.code_path, s.coder, s.file, s.line) for s in segments] == [
        ("interview-01.txt", ("Safety huddles",), "coder-a", f"{path}[Coded]", 2),
        ("interview-02.txt", ("Fewer falls",), "coder-b", f"{path}[Coded]", 3),
    ]


def test_taguette_csv_old_layout(tmp_path: Path) -> None:
    path = tmp_path / "highlights.csv"
    path.write_text(
        "id,document,tag,content\n"
        "5,Ward manager interview,huddles,We started a safety huddle every morning.\n"
        "5,Ward manager interview,culture,We started a safety huddle every morning.\n"
        "6,Ward manager interview,,An untagged highlight.\n"
    )
    assert [(s.segment_id, s.document, s.code_path, s.quote, s.coder, s.line) for s in read_coded_segments(path)] == [
        ("5", "Ward manager interview", ("huddles",), "We started a safety huddle every morning.", None, 2),
        ("5", "Ward manager interview", ("culture",), "We started a safety huddle every morning.", None, 3),
    ]


def test_taguette_with_tag_paths_and_parent_rows(tmp_path: Path) -> None:
    rows = [
        ["id", "document", "tag", "tag_path", "tag_note", "content"],
        ["9", "Matron interview", "waiting", "flow | waiting", FICTIONAL, "waited there for transport"],
        ["", "", "flow", "flow", "", ""],  # a parent tag listed for the hierarchy: codes nothing
    ]
    path = _xlsx(tmp_path / "highlights.xlsx", rows)
    (segment,) = read_coded_segments(path)
    assert (segment.code_path, segment.quote, segment.line) == (("flow", "waiting"), "waited there for transport", 2)


def test_empty_required_cells_reported_together(tmp_path: Path) -> None:
    rows = [
        QUALCODER_ROWS[0],
        ["interview-01.txt", "coder-a", "", "1", "Safety huddles", ""],
        ["", "coder-a", "A quote.", "2", "", ""],
    ]
    path = _qualcoder_csv(tmp_path / "coded.csv", rows)
    with pytest.raises(InputError) as caught:
        read_coded_segments(path)
    assert [(p.file, p.line, p.field) for p in caught.value.problems] == [
        (str(path), 2, "coded"),
        (str(path), 3, "codename"),
        (str(path), 3, "file|case"),
    ]


def test_unknown_layout(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("segment,label\n1,x\n")
    with pytest.raises(InputError) as caught:
        read_coded_segments(path)
    (problem,) = caught.value.problems
    assert (problem.line, problem.field) == (1, "header")


def test_named_tool_with_a_missing_column(tmp_path: Path) -> None:
    path = tmp_path / "highlights.csv"
    path.write_text("id,document,content\n1,Doc,Quote\n")
    with pytest.raises(InputError) as caught:
        read_coded_segments(path, tool="taguette")
    assert [(p.line, p.field) for p in caught.value.problems] == [(1, "tag")]


def test_table_over_the_size_limit(tmp_path: Path) -> None:
    path = _qualcoder_csv(tmp_path / "coded.csv", QUALCODER_ROWS)
    with pytest.raises(InputError) as caught:
        read_coded_segments(path, limits=Limits(file_bytes=50))
    assert "over the limit of 50" in caught.value.problems[0].message


def test_xlsx_that_is_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "coded.xlsx"
    path.write_text("fictional, not a workbook")
    with pytest.raises(InputError) as caught:
        read_coded_segments(path)
    assert "is not a zip archive" in caught.value.problems[0].message
