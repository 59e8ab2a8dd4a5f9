"""Bad and hostile REFI-QDA input: each refused with a problem naming the file and the XML line or zip entry.

All projects here are FICTIONAL, built in the test.
"""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

import pytest

from tests.qda_files import project_xml, write_zip
from trustkg.errors import InputError, Problem
from trustkg.qda import Limits, read_codebook, read_project


def problems_of(path: Path, limits: Limits | None = None) -> list[Problem]:
    with pytest.raises(InputError) as caught:
        read_project(path, limits=limits) if limits else read_project(path)
    return caught.value.problems


def _code(guid: str = "c0de0009-9999-4999-8999-000000000001") -> str:
    return f'<CodeBook><Codes><Code guid="{guid}" name="Staffing" isCodable="true"/></Codes></CodeBook>'


def test_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "study.qdpx"
    path.write_text("This is a fictional note, not a zip archive.")
    (problem,) = problems_of(path)
    assert (problem.file, problem.field) == (str(path), "file")
    assert "is not a zip archive" in problem.message


def test_entries_that_climb_out_or_are_absolute(tmp_path: Path) -> None:
    path = write_zip(
        tmp_path / "study.qdpx",
        {
            "project.qde": project_xml(_code(), origin="Fictional tool"),
            "../outside.txt": "x",
            "Sources/../../etc.txt": "x",
            "/abs.txt": "x",
            "C:/windows.txt": "x",
        },
    )
    problems = problems_of(path)
    # zipfile keeps the names as written; each is named in its own problem.
    refused = sorted(p.file.removeprefix(f"{path}!/") for p in problems if "refused" in p.message)
    assert refused == ["../outside.txt", "/abs.txt", "C:/windows.txt", "Sources/../../etc.txt"]
    assert len(problems) == 4


def test_zip_bomb_refused_before_inflating(tmp_path: Path) -> None:
    # 4 MiB of one byte deflates to a few KiB: a ratio of several hundred.
    path = write_zip(
        tmp_path / "bomb.qdpx",
        {"project.qde": project_xml(_code(), origin="Fictional tool"), "Sources/big.txt": b"a" * (4 * 1024 * 1024)},
    )
    (problem,) = problems_of(path)
    assert problem.file == f"{path}!/Sources/big.txt"
    assert "possible zip bomb" in problem.message


def test_entry_over_the_size_limit(tmp_path: Path) -> None:
    path = write_zip(
        tmp_path / "study.qdpx",
        {"project.qde": project_xml(_code(), origin="Fictional tool"), "Sources/a.txt": "x" * 5000},
    )
    problems = problems_of(path, Limits(entry_bytes=4000, ratio=10_000))
    assert [(p.file, p.field) for p in problems] == [(f"{path}!/Sources/a.txt", "zip entry")]
    assert "over the limit of 4000" in problems[0].message


def test_file_over_the_size_limit(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "study.qdpx", {"project.qde": project_xml(_code(), origin="Fictional tool")})
    (problem,) = problems_of(path, Limits(file_bytes=100))
    assert (problem.file, problem.field) == (str(path), "file")
    assert "over the limit of 100" in problem.message


def test_entry_whose_real_size_differs_from_its_declared_size(tmp_path: Path) -> None:
    # The directory claims 60 bytes for project.qde; inflating produces more, and the data fails its CRC.
    path = write_zip(tmp_path / "liar.qdpx", {"project.qde": project_xml(_code(), origin="Fictional tool")})
    data = bytearray(path.read_bytes())
    struct.pack_into("<I", data, 22, 60)  # the local header's uncompressed size
    central = data.index(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, 60)  # the central directory's
    path.write_bytes(bytes(data))
    (problem,) = problems_of(path)
    assert problem.file == f"{path}!/project.qde"
    assert "cannot be inflated" in problem.message


def test_no_project_xml_or_too_many(tmp_path: Path) -> None:
    none = write_zip(tmp_path / "none.qdpx", {"Sources/a.txt": "x"})
    two = write_zip(tmp_path / "two.qdpx", {"A.qde": "<x/>", "B.qde": "<x/>"})
    assert "found: none" in problems_of(none)[0].message
    assert "found: A.qde, B.qde" in problems_of(two)[0].message


def test_dtd_and_entities_refused_with_their_line(tmp_path: Path) -> None:
    laughs = (
        '<?xml version="1.0"?>\n<!DOCTYPE Project [\n<!ENTITY lol "lol">\n<!ENTITY lol2 "&lol;&lol;&lol;">\n]>\n'
        '<Project xmlns="urn:QDA-XML:project:1.0" name="&lol2;"/>\n'
    )
    path = write_zip(tmp_path / "laughs.qdpx", {"project.qde": laughs})
    (problem,) = problems_of(path)
    assert (problem.file, problem.line, problem.field) == (f"{path}!/project.qde", 2, "xml")
    assert "DTDs, entities and external references are not allowed" in problem.message


def test_external_entity_in_a_codebook_refused(tmp_path: Path) -> None:
    path = tmp_path / "xxe.qdc"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE CodeBook [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="c0de0009-9999-4999-8999-000000000001" '
        'name="&x;" isCodable="true"/></Codes></CodeBook>\n'
    )
    with pytest.raises(InputError) as caught:
        read_codebook(path)
    (problem,) = caught.value.problems
    assert (problem.file, problem.line) == (str(path), 2)


def test_every_broken_reference_reported_at_once(tmp_path: Path) -> None:
    # One project, four faults, each on its own line (line 1 is the XML declaration, 2 <Project>).
    body = "\n".join(
        [
            _code(),  # line 3
            '<Cases><Case guid="ca5e0009-9999-4999-8999-000000000001" name="Interviewee 9">',  # 4
            '<SourceRef targetGUID="5a5a0009-9999-4999-8999-00000000dead"/></Case></Cases>',  # 5
            '<Sources><TextSource guid="5a5a0009-9999-4999-8999-000000000001">',  # 6
            "<PlainTextContent>Ten chars.</PlainTextContent>",  # 7
            '<PlainTextSelection guid="5e1e0009-9999-4999-8999-000000000001" startPosition="4" endPosition="11"/>',  # 8
            '<PlainTextSelection guid="5e1e0009-9999-4999-8999-000000000002" startPosition="6" endPosition="2"/>',  # 9
            '<PlainTextSelection guid="5e1e0009-9999-4999-8999-000000000003" startPosition="0" endPosition="3">',  # 10
            '<Coding guid="c0d10009-9999-4999-8999-000000000001">',  # 11
            '<CodeRef targetGUID="c0de0009-9999-4999-8999-00000000dead"/></Coding>',
            "</PlainTextSelection></TextSource></Sources>",
        ]
    )
    path = write_zip(tmp_path / "broken.qdpx", {"project.qde": project_xml(body, origin="Fictional tool")})
    problems = problems_of(path)
    assert [(p.line, p.field) for p in problems] == [
        (4, "SourceRef"),
        (8, "endPosition"),
        (9, "startPosition"),
        (11, "CodeRef"),
    ]
    assert all(p.file == f"{path}!/project.qde" for p in problems)
    assert "outside its text (10 characters long)" in problems[1].message
    assert "start 6 is after end 2" in problems[2].message
    assert "c0de0009-9999-4999-8999-00000000dead, which is no code" in problems[3].message


def test_absolute_source_path_refused(tmp_path: Path) -> None:
    body = (
        _code() + '\n<Sources><TextSource guid="5a5a0009-9999-4999-8999-000000000002" '
        'plainTextPath="absolute:///home/someone/interview.txt"/></Sources>'
    )
    path = write_zip(tmp_path / "abs.qdpx", {"project.qde": project_xml(body, origin="Fictional tool")})
    (problem,) = problems_of(path)
    assert (problem.line, problem.field) == (4, "plainTextPath")
    assert "absolute path on the exporting machine; refused" in problem.message


def test_relative_source_may_not_climb_out(tmp_path: Path) -> None:
    body = (
        _code() + '\n<Sources><TextSource guid="5a5a0009-9999-4999-8999-000000000003" '
        'plainTextPath="relative://../../secret.txt"/></Sources>'
    )
    qde = tmp_path / "study.qde"
    qde.write_text(project_xml(body, origin="Fictional tool"))
    (problem,) = problems_of(qde)
    assert (problem.file, problem.line, problem.field) == (str(qde), 4, "plainTextPath")
    assert "climbs out of its folder" in problem.message


def test_missing_internal_source_named(tmp_path: Path) -> None:
    body = (
        _code() + '\n<Sources><TextSource guid="5a5a0009-9999-4999-8999-000000000004" '
        'plainTextPath="internal://gone.txt"/></Sources>'
    )
    path = write_zip(tmp_path / "gone.qdpx", {"project.qde": project_xml(body, origin="Fictional tool")})
    (problem,) = problems_of(path)
    assert problem.line == 4
    assert "has no entry sources/gone.txt" in problem.message


def test_a_wrong_root_or_namespace(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "ns.qdpx", {"project.qde": '<Project xmlns="urn:other" name="x"/>'})
    (problem,) = problems_of(path)
    assert (problem.line, problem.field) == (1, "xmlns")


def test_the_real_zip_checks_do_not_extract_anything(tmp_path: Path) -> None:
    path = write_zip(
        tmp_path / "study.qdpx",
        {"project.qde": project_xml(_code(), origin="Fictional tool"), "../escaped.txt": "x"},
    )
    problems_of(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["study.qdpx"]
    assert not (tmp_path.parent / "escaped.txt").exists()
    assert zipfile.is_zipfile(path)
