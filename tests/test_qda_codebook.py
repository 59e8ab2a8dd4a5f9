"""The way back: a trustkg codebook written as REFI-QDA .qdc, valid, importable, and read back the same.

The codebook here is FICTIONAL, a small invented tree in trustkg's shape.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from lxml import etree

from tests.qda_files import FICTIONAL, shared_file
from trustkg.errors import InputError
from trustkg.qda import CodebookEntry, codebook_guid, read_codebook, write_codebook

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"

ENTRIES = [
    CodebookEntry("leadership", "Leadership", f"Theme: how leaders act. {FICTIONAL}", None, "#1F77B4"),
    CodebookEntry("walkrounds", "Executive walk-rounds", "Action type: leaders visit wards.", "leadership", "#F80"),
    CodebookEntry("safety-culture", "Safety culture", "Theme: speaking up & learning <from> incidents."),
    CodebookEntry("huddles", "Safety huddles", None, "safety-culture"),
    CodebookEntry("fewer-falls", "Fewer falls", "Outcome type: falls per 1,000 bed days drop.", "huddles"),
]


def test_code_tree_validates_against_the_project_schemas_codebook_type(tmp_path: Path) -> None:
    schema = etree.XMLSchema(etree.parse(str(shared_file("Project-mrt2019.xsd"))))
    codebook = etree.fromstring(write_codebook(ENTRIES))
    # The project schema declares CodeBookType inside a Project, in the project namespace, with no
    # attributes (the standalone codebook schema adds `origin`). Move the written tree there as is.
    for element in codebook.iter():
        element.tag = f"{{{PROJECT_NS}}}{etree.QName(element).localname}"
    del codebook.attrib["origin"]
    project = etree.Element(f"{{{PROJECT_NS}}}Project", name="codebook check", nsmap={None: PROJECT_NS})
    project.append(codebook)
    valid = schema.validate(etree.ElementTree(project))
    assert valid, schema.error_log


def test_qualcoder_would_import_it(tmp_path: Path) -> None:
    # QualCoder's RefiImport.import_codebook (src/qualcoder/refi.py) parses with ElementTree, takes
    # the version from the first child's "{urn:QDA-XML:codebook:<version>}" tag, looks for that
    # namespace's Codes among the root's children, then per Code reads name, color and a
    # Description child, and treats isCodable="false" as a category. Walk the tree the same way.
    root = ET.fromstring(write_codebook(ENTRIES))
    version = root[0].tag.split("{urn:QDA-XML:codebook:")[1].split("}")[0]
    assert version == "1.0"
    codes = next(child for child in root if child.tag == f"{{urn:QDA-XML:codebook:{version}}}Codes")
    seen = []

    def walk(element: ET.Element, depth: int) -> None:
        for code in element.findall(f"{{{CODEBOOK_NS}}}Code"):
            description = code.find(f"{{{CODEBOOK_NS}}}Description")
            seen.append((depth, code.get("name"), code.get("isCodable"), code.get("color"), description is not None))
            walk(code, depth + 1)

    walk(codes, 0)
    assert seen == [
        (0, "Leadership", "true", "#1F77B4", True),
        (1, "Executive walk-rounds", "true", "#F80", True),
        (0, "Safety culture", "true", None, True),
        (1, "Safety huddles", "true", None, False),
        (2, "Fewer falls", "true", None, True),
    ]


def test_round_trip_reads_back_the_same_codes(tmp_path: Path) -> None:
    path = tmp_path / "trustkg.qdc"
    path.write_bytes(write_codebook(ENTRIES))
    codes = read_codebook(path)
    by_id = {entry.id: entry for entry in ENTRIES}
    guid_to_id = {codebook_guid(entry.id): entry.id for entry in ENTRIES}
    assert len(codes) == len(ENTRIES)
    for code in codes:
        entry = by_id[guid_to_id[code.guid]]
        assert (code.name, code.description, code.colour, code.is_codable) == (
            entry.name,
            entry.description,
            entry.colour,
            True,
        )
        assert (guid_to_id[code.parent] if code.parent else None) == entry.parent
    assert [c.path for c in codes][-1] == ("Safety culture", "Safety huddles", "Fewer falls")


def test_guids_are_stable_and_distinct() -> None:
    assert codebook_guid("leadership") == codebook_guid("leadership")
    assert len({codebook_guid(e.id) for e in ENTRIES}) == len(ENTRIES)
    assert write_codebook(ENTRIES, origin="x") == write_codebook(ENTRIES, origin="x")


def test_bad_codebooks_refused_with_every_problem() -> None:
    with pytest.raises(InputError) as caught:
        write_codebook(
            [
                CodebookEntry("a", "A", parent="missing"),
                CodebookEntry("b", "B", colour="blue"),
                CodebookEntry("c", "C", parent="d"),
                CodebookEntry("d", "D", parent="c"),
                CodebookEntry("b", "B again"),
            ]
        )
    assert [(p.field, p.message) for p in caught.value.problems] == [
        ("a", "has parent 'missing', which is not in the codebook"),
        ("b", "appears more than once"),
        ("b", "colour 'blue' is not #RRGGBB"),
        ("c", "is its own ancestor"),
        ("d", "is its own ancestor"),
    ]
