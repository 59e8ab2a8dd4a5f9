"""The REFI-QDA reader on the real shared exports and on one FICTIONAL fixture per vendor dialect.

Every fixture project here is invented (its Description says so), built in the test from plain
text. Expected quotes are written out by hand; offsets were counted by hand in the unit each
vendor uses, as the comments say.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest

from tests.qda_files import FICTIONAL, project_xml, shared_file, write_zip
from trustkg.qda import OffsetUnit, QdaProject, normalise_guid, read_codebook, read_project

# --- the real exports in ../shared/refi-qda/ ---------------------------------------------------


def test_qc_demo_counts_match_the_xml() -> None:
    # Counted in project.qde (unzip -p demo-qc.qdpx project.qde | grep -o '<Code ' | wc -l, and the
    # same for '<User ', '<TextSource ', '<PlainTextSelection ', '<Coding '): 262 codes, 1 user,
    # 2 text sources, 158 selections, 205 codings. The XML is one line, so every element is line 1.
    project = read_project(shared_file("demo-qc.qdpx"))
    assert project.origin == "qc 1.3.2"
    assert (len(project.codes), len(project.users), len(project.sources)) == (262, 1, 2)
    assert len(project.selections) == 158
    assert sum(len(s.codings) for s in project.selections) == 205
    # board_2017.txt's TextSource holds every selection; admin-1.txt's is an empty element.
    assert {Path(s.text_file or "").name: len(s.selections) for s in project.sources} == {
        "board_2017.txt": 158,
        "admin-1.txt": 0,
    }
    assert project.offset_unit is OffsetUnit.CODE_POINTS


def test_qc_demo_quotes_are_the_lines_qc_names() -> None:
    # qc codes whole lines and names each selection "line:N" (N counted from 0); the quote must be
    # that line of the source text, read here straight from the zip, newline included.
    path = shared_file("demo-qc.qdpx")
    project = read_project(path)
    with zipfile.ZipFile(path) as archive:
        texts = {s.guid: archive.read(f"sources/{Path(s.text_file or '').name}").decode() for s in project.sources}
    checked = 0
    for source in project.sources:
        lines = texts[source.guid].splitlines(keepends=True)
        for selection in source.selections:
            assert selection.name is not None and selection.name.startswith("line:")
            assert selection.quote == lines[int(selection.name.removeprefix("line:"))]
            checked += 1
    assert checked == 158


def test_qc_demo_code_tree_and_first_coding() -> None:
    project = read_project(shared_file("demo-qc.qdpx"))
    # From the XML's start: rq1_definition > competencies > programming.
    programming = next(c for c in project.codes if c.name == "programming")
    assert programming.path == ("rq1_definition", "competencies", "programming")
    assert project.codes_by_guid[programming.parent or ""].name == "competencies"
    # The first selection (line:6 of board_2017.txt, 320-400) is coded "fun" by user "cp".
    first = project.selections[0]
    assert (first.name, first.start, first.end) == ("line:6", 320, 400)
    assert first.quote == "This district goal is engage every student in joyful, purposeful learning that \n"
    (coding,) = first.codings
    assert project.codes_by_guid[coding.code].name == "fun"
    assert project.users_by_guid[coding.coder or ""].name == "cp"


def test_atlas_target_counts_match_the_xml() -> None:
    # project.qde (11 lines, read by eye): 2 users, codes "Commits" > two commit codes, no sources.
    project = read_project(shared_file("target-atlas.qdpx"))
    assert project.origin == "ATLAS.ti for Windows 23.2.3.27778"
    assert [u.name for u in project.users] == ["Enric Llagostera", "ATLAS.ti"]
    assert [(c.path, c.line) for c in project.codes] == [
        (("Commits",), 9),
        (("Commits", "2022-05-10T02:05:59Z 19e4dce"), 10),
        (("Commits", "2022-02-11T10:39:25Z cdbfd92"), 11),
    ]
    assert project.codes[1].parent == "a182cd3a-d83c-4d8c-bc80-26d9103ec6d6"
    assert (project.sources, project.selections) == ((), ())


# --- NVivo for Windows: UTF-16 code units after a BOM, CRLF ------------------------------------

NVIVO_TEXT = (
    "Interviewer: What changed after the inspection? \U0001f642\r\n"
    "Ward manager: We started a safety huddle every morning.\r\n"
    "Ward manager: Falls went down \U0001f600 in six months.\r\n"
)
# Offsets in UTF-16 code units, not counting the BOM: line 1 is 48 characters, the emoji
# (2 units) and CRLF (2 units), so line 2 starts at unit 52 and "We" at 52 + 14 = 66.
NVIVO_SELECTIONS = {
    "We started a safety huddle every morning.": (66, 107),
    "every morning.\r\nWard manager: Falls": (93, 128),
    "Falls went down \U0001f600 in six months.": (123, 156),
}


def _nvivo_windows(tmp_path: Path) -> Path:
    selections = "\n".join(
        f'<PlainTextSelection guid="{{0000000{n}-AAAA-4AAA-8AAA-00000000000{n}}}" startPosition="{start}" '
        f'endPosition="{end}"><Coding guid="{{1000000{n}-AAAA-4AAA-8AAA-00000000000{n}}}">'
        '<CodeRef targetGUID="{C0DE0001-AAAA-4AAA-8AAA-000000000001}"/></Coding></PlainTextSelection>'
        for n, (start, end) in enumerate(NVIVO_SELECTIONS.values(), start=1)
    )
    body = (
        '<CodeBook><Codes><Code guid="{C0DE0001-AAAA-4AAA-8AAA-000000000001}" name="Safety huddles" '
        'isCodable="true"/></Codes></CodeBook>\n'
        '<Sources><TextSource guid="{5A5A5A5A-AAAA-4AAA-8AAA-000000000001}" name="Interview 1" '
        'plainTextPath="internal://5A5A5A5A-AAAA-4AAA-8AAA-000000000001.txt">\n'
        f"{selections}\n</TextSource></Sources>"
    )
    return write_zip(
        tmp_path / "nvivo-windows.qdpx",
        {
            "project.qde": project_xml(body, origin="NVivo 14.23 (Windows, fictional build)"),
            "Sources/5A5A5A5A-AAAA-4AAA-8AAA-000000000001.txt": b"\xef\xbb\xbf" + NVIVO_TEXT.encode(),
        },
    )


def test_nvivo_windows_quotes_are_what_nvivo_meant(tmp_path: Path) -> None:
    project = read_project(_nvivo_windows(tmp_path))
    assert project.offset_unit is OffsetUnit.UTF16  # chosen from origin="NVivo ..."
    (source,) = project.sources
    assert source.text == NVIVO_TEXT  # BOM dropped, CRLF kept
    assert [s.quote for s in source.selections] == [
        "We started a safety huddle every morning.",
        "every morning.\r\nWard manager: Falls",
        "Falls went down \U0001f600 in six months.",
    ]
    assert source.guid == "5a5a5a5a-aaaa-4aaa-8aaa-000000000001"
    assert {c.code for s in source.selections for c in s.codings} == {"c0de0001-aaaa-4aaa-8aaa-000000000001"}


def test_nvivo_read_in_code_points_puts_highlights_in_the_wrong_place(tmp_path: Path) -> None:
    project = read_project(_nvivo_windows(tmp_path), offsets=OffsetUnit.CODE_POINTS)
    assert project.selections[0].quote == "e started a safety huddle every morning.\r"


# --- NVivo for Mac: lowercase sources/, a .root entry, the text only in the .docx --------------

MAC_PARAGRAPHS = [
    "Interviewer: Tell me about the discharge lounge.",
    "Matron: Patients waited there for transport, sometimes for hours.",
]


def test_nvivo_mac_reads_the_docx_when_the_txt_is_empty(tmp_path: Path) -> None:
    document = docx.Document()
    for paragraph in MAC_PARAGRAPHS:
        document.add_paragraph(paragraph)
    document.add_paragraph(FICTIONAL)
    buffer = io.BytesIO()
    document.save(buffer)
    guid = "6b6b6b6b-bbbb-4bbb-8bbb-000000000001"
    body = (
        '<CodeBook><Codes><Code guid="c0de0002-bbbb-4bbb-8bbb-000000000001" name="Waiting" isCodable="true"/>'
        "</Codes></CodeBook>\n"
        f'<Sources><TextSource guid="{guid}" name="Matron interview" plainTextPath="internal://{guid}.txt" '
        f'richTextPath="internal://{guid}.docx">\n'
        # 48 characters of paragraph 1, a newline, then "Matron: Patients " (17): 66 to 92.
        '<PlainTextSelection guid="7c7c7c7c-bbbb-4bbb-8bbb-000000000001" startPosition="66" endPosition="92">'
        '<Coding guid="8d8d8d8d-bbbb-4bbb-8bbb-000000000001"><CodeRef targetGUID="c0de0002-bbbb-4bbb-8bbb-000000000001"/>'
        "</Coding></PlainTextSelection></TextSource></Sources>"
    )
    path = write_zip(
        tmp_path / "nvivo-mac.qdpx",
        {
            ".root": b"",
            "project.qde": project_xml(body, origin="NVivo 14.0 (Mac, fictional build)"),
            f"sources/{guid}.txt": b"",
            f"sources/{guid}.docx": buffer.getvalue(),
        },
    )
    (source,) = read_project(path).sources
    assert source.text_file == f"{path}!/sources/{guid}.docx"
    assert source.text.startswith("\n".join(MAC_PARAGRAPHS))
    assert source.selections[0].quote == "waited there for transport"


# --- ATLAS.ti 26: the XML named after the project, memos in Description; the whole model -------

ATLAS_TEXT = (
    "Interviewer: Who chairs the falls group?\n"
    "Physiotherapist: A consultant geriatrician chairs it now, and the board sees the minutes."
)


def _atlas_project(tmp_path: Path) -> Path:
    # ATLAS.ti writes GUIDs in upper case; the references here use braces and lower case on
    # purpose, and must still meet.
    body = f"""<Users><User guid="AAAA0001-CCCC-4CCC-8CCC-000000000001" name="Coder A"/></Users>
<CodeBook><Codes>
<Code guid="C0DE0003-CCCC-4CCC-8CCC-000000000001" name="Governance" isCodable="false" color="#3366FF">
<Description>Memo: how oversight is organised.</Description>
<Code guid="C0DE0003-CCCC-4CCC-8CCC-000000000002" name="Board oversight" isCodable="true" color="#36F"/>
<Code guid="C0DE0003-CCCC-4CCC-8CCC-000000000003" name="Clinical leadership" isCodable="true"/>
</Code>
</Codes></CodeBook>
<Variables>
<Variable guid="BBBB0001-CCCC-4CCC-8CCC-000000000001" name="Role" typeOfVariable="Text"/>
<Variable guid="BBBB0001-CCCC-4CCC-8CCC-000000000002" name="Interview date" typeOfVariable="Date"/>
</Variables>
<Cases><Case guid="CA5E0001-CCCC-4CCC-8CCC-000000000001" name="Interviewee 1">
<VariableValue><VariableRef targetGUID="{{bbbb0001-cccc-4ccc-8ccc-000000000001}}"/><TextValue>Physiotherapist</TextValue></VariableValue>
<VariableValue><VariableRef targetGUID="bbbb0001-cccc-4ccc-8ccc-000000000002"/><DateValue>2031-02-03</DateValue></VariableValue>
<SourceRef targetGUID="{{5a5a0003-cccc-4ccc-8ccc-000000000001}}"/>
<SelectionRef targetGUID="5E1E0003-CCCC-4CCC-8CCC-000000000001"/>
</Case></Cases>
<Sources><TextSource guid="5A5A0003-CCCC-4CCC-8CCC-000000000001" name="Falls group interview">
<PlainTextContent>{ATLAS_TEXT}</PlainTextContent>
<PlainTextSelection guid="5E1E0003-CCCC-4CCC-8CCC-000000000001" startPosition="58" endPosition="97"
 creatingUser="AAAA0001-CCCC-4CCC-8CCC-000000000001">
<Description>Quotation comment: the chair changed in the last year.</Description>
<Coding guid="C0D10003-CCCC-4CCC-8CCC-000000000001" creatingUser="AAAA0001-CCCC-4CCC-8CCC-000000000001">
<CodeRef targetGUID="{{c0de0003-cccc-4ccc-8ccc-000000000003}}"/></Coding>
</PlainTextSelection>
<PlainTextSelection guid="5E1E0003-CCCC-4CCC-8CCC-000000000002" startPosition="103" endPosition="129">
<Coding guid="C0D10003-CCCC-4CCC-8CCC-000000000002"><CodeRef targetGUID="C0DE0003-CCCC-4CCC-8CCC-000000000002"/></Coding>
</PlainTextSelection>
<Coding guid="C0D10003-CCCC-4CCC-8CCC-000000000003"><CodeRef targetGUID="C0DE0003-CCCC-4CCC-8CCC-000000000001"/></Coding>
</TextSource></Sources>
<Notes><Note guid="0E0E0003-CCCC-4CCC-8CCC-000000000001" name="Field note">
<PlainTextContent>Interview held in the seminar room.</PlainTextContent></Note></Notes>
<Links><Link guid="11110003-CCCC-4CCC-8CCC-000000000001" name="leads to" direction="OneWay"
 originGUID="C0DE0003-CCCC-4CCC-8CCC-000000000003" targetGUID="C0DE0003-CCCC-4CCC-8CCC-000000000002"/></Links>
<Sets><Set guid="5E750003-CCCC-4CCC-8CCC-000000000001" name="Oversight codes">
<MemberCode targetGUID="C0DE0003-CCCC-4CCC-8CCC-000000000002"/>
<MemberSource targetGUID="5A5A0003-CCCC-4CCC-8CCC-000000000001"/></Set></Sets>"""
    return write_zip(
        tmp_path / "Trial.qdpx", {"Trial.qde": project_xml(body, origin="ATLAS.ti 26.0.1 (fictional build)")}
    )


def test_atlas_26_project_named_after_itself(tmp_path: Path) -> None:
    path = _atlas_project(tmp_path)
    project = read_project(path)
    assert project.file == f"{path}!/Trial.qde"
    assert project.offset_unit is OffsetUnit.CODE_POINTS
    governance, board, clinical = project.codes
    assert (governance.is_codable, governance.colour, governance.description) == (
        False,
        "#3366FF",
        "Memo: how oversight is organised.",
    )
    assert (board.path, board.colour, clinical.parent) == (("Governance", "Board oversight"), "#36F", governance.guid)
    (source,) = project.sources
    first, second = source.selections
    assert first.quote == "A consultant geriatrician chairs it now"
    assert second.quote == "the board sees the minutes"
    assert first.description == "Quotation comment: the chair changed in the last year."
    assert project.users_by_guid[first.codings[0].coder or ""].name == "Coder A"
    assert project.codes_by_guid[first.codings[0].code] is clinical
    assert [project.codes_by_guid[c.code].name for c in source.codings] == ["Governance"]


def test_atlas_cases_variables_notes_links_and_sets(tmp_path: Path) -> None:
    import datetime as dt

    project = read_project(_atlas_project(tmp_path))
    (case,) = project.cases
    variables = {v.guid: v.name for v in project.variables}
    assert {variables[v.variable]: v.value for v in case.variables} == {
        "Role": "Physiotherapist",
        "Interview date": dt.date(2031, 2, 3),
    }
    assert case.sources == (project.sources[0].guid,)
    assert case.selections == (project.selections[0].guid,)
    (note,) = project.notes
    assert (note.name, note.text) == ("Field note", "Interview held in the seminar room.")
    (link,) = project.links
    names = {c.guid: c.name for c in project.codes}
    assert (names[link.origin or ""], link.direction, names[link.target or ""]) == (
        "Clinical leadership",
        "OneWay",
        "Board oversight",
    )
    (code_set,) = project.sets
    assert [names[c] for c in code_set.codes] == ["Board oversight"]
    assert code_set.sources == (project.sources[0].guid,)


# --- a bare .qde beside its sources folder, and relative:// against basePath --------------------


def test_bare_qde_with_internal_and_relative_sources(tmp_path: Path) -> None:
    (tmp_path / "Sources").mkdir()
    (tmp_path / "Sources" / "a.txt").write_text(
        "Director of nursing: Every ward publishes its staffing numbers at the entrance."
    )
    (tmp_path / "transcripts").mkdir()
    (tmp_path / "transcripts" / "b.txt").write_text("Porter: The lifts were fixed in spring.")
    body = """<CodeBook><Codes><Code guid="c0de0004-dddd-4ddd-8ddd-000000000001" name="Transparency" isCodable="true"/>
</Codes></CodeBook>
<Sources>
<TextSource guid="5a5a0004-dddd-4ddd-8ddd-000000000001" plainTextPath="internal://a.txt">
<PlainTextSelection guid="5e1e0004-dddd-4ddd-8ddd-000000000001" startPosition="21" endPosition="62">
<Coding guid="c0d10004-dddd-4ddd-8ddd-000000000001"><CodeRef targetGUID="c0de0004-dddd-4ddd-8ddd-000000000001"/></Coding>
</PlainTextSelection></TextSource>
<TextSource guid="5a5a0004-dddd-4ddd-8ddd-000000000002" plainTextPath="relative:///b.txt">
<PlainTextSelection guid="5e1e0004-dddd-4ddd-8ddd-000000000002" startPosition="8" endPosition="38"/>
</TextSource>
</Sources>"""
    qde = tmp_path / "study.qde"
    qde.write_text(project_xml(body, origin="Fictional tool 1.0", extra=' basePath="transcripts"'))
    first, second = read_project(qde).sources
    assert first.selections[0].quote == "Every ward publishes its staffing numbers"
    assert second.selections[0].quote == "The lifts were fixed in spring"
    assert second.text_file == str(tmp_path / "transcripts" / "b.txt")


# --- GUIDs and namespaces ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("{0AF5E903-2392-5A99-B444-8546168987B9}", "0af5e903-2392-5a99-b444-8546168987b9"),
        ("0af5e903-2392-5a99-b444-8546168987b9", "0af5e903-2392-5a99-b444-8546168987b9"),
        ("{0aF5e903-2392-5A99-b444-8546168987B9}", "0af5e903-2392-5a99-b444-8546168987b9"),
        ("0af5e903-2392-5a99-b444", None),
        ("leadership", None),
    ],
)
def test_guids_with_or_without_braces_in_either_case(raw: str, expected: str | None) -> None:
    assert normalise_guid(raw) == expected


@pytest.mark.parametrize("namespace", ["urn:QDA-XML:codebook:1.0", "urn:QDA-XML:codebook:1:0"])
def test_codebook_namespace_written_either_way(tmp_path: Path, namespace: str) -> None:
    path = tmp_path / "codebook.qdc"
    path.write_text(
        f'<?xml version="1.0" encoding="utf-8"?>\n<CodeBook xmlns="{namespace}" origin="fictional">\n'
        '<Codes><Code guid="{C0DE0005-EEEE-4EEE-8EEE-000000000001}" name="Staffing" isCodable="true">\n'
        f"<Description>{FICTIONAL}</Description>\n"
        '<Code guid="C0DE0005-EEEE-4EEE-8EEE-000000000002" name="Agency staff" isCodable="true"/>\n'
        "</Code></Codes></CodeBook>\n"
    )
    codes = read_codebook(path)
    assert [(c.path, c.line, c.parent) for c in codes] == [
        (("Staffing",), 3, None),
        (("Staffing", "Agency staff"), 5, "c0de0005-eeee-4eee-8eee-000000000001"),
    ]


def test_project_model_is_frozen(tmp_path: Path) -> None:
    project: QdaProject = read_project(_atlas_project(tmp_path))
    with pytest.raises(AttributeError):
        project.name = "changed"  # type: ignore[misc]
