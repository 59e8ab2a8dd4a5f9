"""Coded-interview inputs: the codebook round trip, coded-segment tables, and bad mappings.

Every project, table and mapping here is FICTIONAL: invented for trustkg's tests (trusts ZZ*, no real
person, interview or coder).
"""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from conftest import REPO
from lxml import etree
from rdflib import RDF, Graph

from tests.qda_files import shared_file
from trustkg import api
from trustkg.errors import InputError
from trustkg.loaders import Input
from trustkg.loaders.interviews import read_coded_segment_input, read_refi_qda
from trustkg.ontology import OA
from trustkg.qda import read_codebook
from trustkg.records import Evidence, Records

DATA = REPO / "data"
EXAMPLE = REPO / "examples" / "interviews"
PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "{urn:QDA-XML:codebook:1.0}"
FICTIONAL = "FICTIONAL: invented for trustkg's tests; no real trust, person or interview."


def _evidence(records: Records) -> list[Evidence]:
    return [item for case in records.cases + records.additions for item in case.evidence]


# --- the round trip: export the codebook, code with it, load back with no code mapping ---------------


def test_the_codebook_export_has_every_type_under_its_heading(tmp_path: Path) -> None:
    path = api.write_codebook(tmp_path / "trustkg.qdc", DATA)
    codes = read_codebook(path)
    codebook = api.load_evidence(DATA).codebook
    # 3 headings + 9 themes + every action type + every outcome type but the two derived from inspections.
    assert len(codes) == 3 + 9 + len(codebook.action_types) + len(codebook.outcome_types) - 2
    paths = {code.path for code in codes}
    # The hierarchy, by hand from data/codebook.yaml's broader: fields.
    assert ("Themes", "Leadership") in paths
    assert ("Action types", "Shared vision and values", "Values co-designed with staff") in paths
    assert ("Outcome types", "Staff recommending the trust", "Staff recommending the trust for treatment") in paths
    assert not any(p[-1] in ("Rating improved", "Rating declined") for p in paths)


def test_the_codebook_export_validates_against_the_schemas_codebook_type() -> None:
    schema = etree.XMLSchema(etree.parse(str(shared_file("Project-mrt2019.xsd"))))
    codebook = etree.fromstring(api.codebook_qdc(DATA))
    for element in codebook.iter():
        element.tag = f"{{{PROJECT_NS}}}{etree.QName(element).localname}"
    del codebook.attrib["origin"]
    project = etree.Element(f"{{{PROJECT_NS}}}Project", name="codebook check", nsmap={None: PROJECT_NS})
    project.append(codebook)
    assert schema.validate(etree.ElementTree(project)), schema.error_log


def _project_coded_with_every_code(qdc: bytes, out: Path) -> int:
    """A project whose code tree is the exported codebook, with one passage per code; returns the passages."""
    tree = ET.fromstring(qdc)
    codes = list(tree.iter(f"{CODEBOOK_NS}Code"))
    leadership = next(code.get("guid") for code in codes if code.get("name") == "Leadership")
    text = "".join(f"Passage {index}. " for index in range(len(codes)))
    selections = []
    start = 0
    for index, code in enumerate(codes):
        end = start + len(f"Passage {index}.")
        selections.append(
            f'<PlainTextSelection guid="00000000-0000-4000-8000-{index:012d}" startPosition="{start}" '
            f'endPosition="{end}"><Coding guid="00000000-0000-4000-9000-{index:012d}">'
            f'<CodeRef targetGUID="{code.get("guid")}"/></Coding>'
            f'<Coding guid="00000000-0000-4000-a000-{index:012d}"><CodeRef targetGUID="{leadership}"/></Coding>'
            "</PlainTextSelection>"
        )
        start = end + 1
    code_tree = qdc.decode("utf-8").split("<Codes>", 1)[1].split("</Codes>", 1)[0]
    xml = (
        f'<?xml version="1.0" encoding="utf-8"?><Project xmlns="{PROJECT_NS}" name="round trip" origin="test">'
        f"<CodeBook><Codes>{code_tree}</Codes></CodeBook><Sources>"
        f'<TextSource guid="00000000-0000-4000-b000-000000000001" name="transcript">'
        f"<PlainTextContent>{text}</PlainTextContent>{''.join(selections)}</TextSource></Sources>"
        f"<Description>{FICTIONAL}</Description></Project>"
    )
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("project.qde", xml)
    return len(codes)


def _round_trip_mapping(folder: Path, project: str) -> Path:
    mapping = folder / "mapping.yaml"
    mapping.write_text(
        f"# {FICTIONAL}\n"
        f"project: {project}\n"
        "source: {id: round-trip, url: 'https://example.org/fictional/round-trip', title: Round trip (fictional)}\n"
        f"codebook: {DATA / 'codebook.yaml'}\n"
        "trusts: {ZZ9: {name: Fictional Round Trip NHS Trust (invented), type: acute}}\n"
        "trust: {value: ZZ9}\n"
        "role: {value: frontline-staff}\n",
        encoding="utf-8",
    )
    return mapping


def test_a_project_coded_with_the_exported_codebook_loads_back_with_no_code_mapping(tmp_path: Path) -> None:
    passages = _project_coded_with_every_code(api.codebook_qdc(DATA), tmp_path / "coded.qdpx")
    records = read_refi_qda(_round_trip_mapping(tmp_path, "coded.qdpx"))
    assert records.problems == ()
    # Every passage is coded with Leadership too, so each is evidence, the 3 headings' included.
    assert len(_evidence(records)) == passages
    # The headings are not trustkg codes: kept as the project's own; every other code is recognised.
    assert sorted(code.label for code in records.project_codes) == ["Action types", "Outcome types", "Themes"]
    codebook = api.load_evidence(DATA).codebook
    (case,) = records.cases
    assert {action.type for action in case.actions} == set(codebook.action_types)
    assert {outcome.type for outcome in case.outcomes} == set(codebook.outcome_types) - {
        "rating-improved",
        "rating-declined",
    }
    built = api.build_graph_from([Input(DATA, "case-files"), Input(tmp_path / "mapping.yaml", "refi-qda")])
    shipped = sum(len(case.evidence) for case in api.load_evidence(DATA).cases)
    assert built.summary.evidence == shipped + passages


# --- coded-segment tables through the same mapping --------------------------------------------------

QUALCODER = (
    '\ufeff"File|Case","Coder","Coded","Id","Codename"\r\n'
    '"zz3-interview.txt","Fictional coder C","We started walking the wards.","1","Walkabouts"\r\n'
    '"zz3-interview.txt","Fictional coder C","We started walking the wards.","2","Morale up"\r\n'
    '"zz3-interview.txt","Fictional coder D","The tea was good.","3","Tea"\r\n'
)
TAGUETTE = (
    "id,document,tag,content\n"
    "7,zz3-interview,Walkabouts,We started walking the wards.\n"
    "7,zz3-interview,Morale up,We started walking the wards.\n"
    "8,zz3-interview,Tea,The tea was good.\n"
)


@pytest.mark.parametrize(
    ("table", "content", "document"),
    [("segments.csv", QUALCODER, "zz3-interview.txt"), ("highlights.csv", TAGUETTE, "zz3-interview")],
)
def test_a_coded_segment_table_loads_through_the_same_mapping(
    tmp_path: Path, table: str, content: str, document: str
) -> None:
    (tmp_path / table).write_text(content, encoding="utf-8", newline="")
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(
        f"# {FICTIONAL}\n"
        f"table: {table}\n"
        "source: {id: fictional-table, url: 'https://example.org/fictional/table', title: Fictional table}\n"
        f"codebook: {DATA / 'codebook.yaml'}\n"
        "trusts: {ZZ3: {name: Fictional Table NHS Trust (invented), type: acute}}\n"
        "codes:\n"
        "  Walkabouts: {action_type: visible-leadership}\n"
        "  Morale up: {outcome_type: staff-engagement}\n"
        "interviews:\n"
        f"  {document}: {{trust: ZZ3, role: frontline-staff, date: 2025-01}}\n",
        encoding="utf-8",
    )
    records = read_coded_segment_input(mapping)
    assert records.problems == ()
    # Two rows with the same words in one document are one passage coded twice; "Tea" is unmapped.
    (item,) = _evidence(records)
    assert item.statement == "We started walking the wards."
    assert item.actions == ("fictional-table-visible-leadership",)
    assert item.outcomes == ("fictional-table-staff-engagement",)
    assert [(c.attribution) for c in item.links] == ["reported-together"]
    (position,) = [ref.position for ref in item.sources]
    assert position is not None and position.start is None and position.quote == "We started walking the wards."
    assert [code.label for code in records.project_codes] == ["Tea"]
    assert item.reported_by == "frontline-staff"
    # QualCoder names coders (C, then D, pseudonymised in name order); Taguette's export does not.
    assert item.coders == (("coder-1",) if table == "segments.csv" else ())
    built = api.build_graph_from([Input(DATA, "case-files"), Input(mapping, "coded-segments")], validate=True)
    assert built.validation is not None and built.validation.conforms


# --- bad mappings: every problem at once, with file, line and field, and nothing written --------------

BAD_MAPPING = """\
# FICTIONAL: a broken mapping of the invented demo project, for trustkg's tests.
project: fictional-interviews.qdpx
source:
  id: fictional-ward-interviews
  url: example.org/no-scheme
  title: Fictional ward interviews
codebook: {codebook}
codez: {{}}
trusts:
  ZZ1: {{name: Fictional Vale Hospitals NHS Trust (invented), type: acut}}
codes:
  Visible leadership and ward visitz: {{action_type: visible-leadership}}
  Tea-room talk: {{theme: leadrship}}
  Staff engagement: {{outcome_type: staff-engagment}}
  Patient experience and satisfaction: {{outcome_type: rating-improved}}
trust: {{variable: ODS code}}
role:
  variable: Role
  values:
    Staff nurse: frontline-staff
    Matron: senior-manger
    Director of nursing: director-of-nursing
"""


def test_a_bad_mapping_gets_every_problem_at_once_and_nothing_is_written(tmp_path: Path) -> None:
    shutil.copy(EXAMPLE / "fictional-interviews.qdpx", tmp_path)
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(BAD_MAPPING.format(codebook=DATA / "codebook.yaml"), encoding="utf-8")
    out = tmp_path / "out"
    with pytest.raises(InputError) as caught:
        api.build_graph_from([Input(DATA, "case-files"), Input(mapping, "refi-qda")], out_dir=out)
    assert not out.exists()
    found = {(Path(p.file).name, p.line, p.field): p.message for p in caught.value.problems}
    expected = {
        ("mapping.yaml", 5, "source.url"): "is not an http(s) URL",
        ("mapping.yaml", 8, "codez"): "did you mean 'codes'",
        ("mapping.yaml", 10, "trusts.ZZ1.type"): "did you mean 'acute'",
        ("mapping.yaml", 12, "codes.Visible leadership and ward visitz.action_type"): (
            "did you mean 'Visible leadership and ward visits'"
        ),
        ("mapping.yaml", 13, "codes.Tea-room talk.theme"): "did you mean 'leadership'",
        ("mapping.yaml", 14, "codes.Staff engagement.outcome_type"): "did you mean 'staff-engagement'",
        ("mapping.yaml", 15, "codes.Patient experience and satisfaction.outcome_type"): "derived from inspections",
        ("mapping.yaml", 21, "role.values.Matron"): "did you mean 'senior-manager'",
    }
    for where, words in expected.items():
        assert where in found, (where, sorted(found))
        assert words in found[where], (where, found[where])
    # ZZ1 was dropped for its bad type, so its interviews name a trust no input declares; ZZ2 never was.
    trusts = [p for p in caught.value.problems if p.field == "trust"]
    assert {"ZZ1", "ZZ2"} == {p.message.split("'")[1] for p in trusts}
    assert all(p.file.endswith("fictional-interviews.qdpx!/project.qde") and p.line for p in trusts)


def test_the_commands_export_the_codebook_and_build_without_quotes(cli, tmp_path: Path) -> None:
    written = cli("codebook", "--data", str(DATA), "--out", str(tmp_path / "trustkg.qdc"))
    assert written.code == 0, written.err
    assert (tmp_path / "trustkg.qdc").read_bytes() == api.codebook_qdc(DATA)
    mapping = EXAMPLE / "mapping.yaml"
    inputs = ["--input", f"case-files:{DATA}", "--input", f"refi-qda:{mapping}"]
    built = cli("build", *inputs, "--out", str(tmp_path / "build"), "--no-quotes", "--no-validate")
    assert built.code == 0, built.err
    assert "interviews      3" in built.out
    graph = Graph().parse(tmp_path / "build" / "trustkg.nt")
    assert len(set(graph.subjects(RDF.type, OA.TextPositionSelector))) == 6
    assert not set(graph.triples((None, OA.exact, None)))
    assert "We ran listening events for every shift." not in (tmp_path / "build" / "trustkg.nt").read_text()
    bad = cli("build", "--input", f"refi-qda:{tmp_path / 'missing.yaml'}", "--out", str(tmp_path / "none"))
    assert bad.code == 2 and not (tmp_path / "none").exists()
