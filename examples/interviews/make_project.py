"""Write the FICTIONAL demo interview project, fictional-interviews.qdpx, from the plain-text transcripts.

Everything here is invented (trusts ZZ1 and ZZ2, interviewees, coders, words) to show how coded
interviews come into trustkg; none of it is evidence. It plays a research team's part: export the
trustkg codebook, code transcripts with it in a QDA tool, export the project as REFI-QDA.

Each transcript in transcripts/ has a header (trust, role, date, coder, as the team would record them
as case variables) above a ``---`` line, then the text, where ``[[Code; Code|words]]`` marks a coded
passage and ``[[Code|words||paraphrase]]`` adds the coder's paraphrase (the selection's description).
Codes named as in the trustkg codebook get its GUIDs; other names become the project's own codes.
The output is byte-for-byte reproducible (GUIDs from names, fixed zip dates): a test rebuilds it and
compares. Run: ``python examples/interviews/make_project.py [OUT.qdpx]``.
"""

from __future__ import annotations

import re
import sys
import uuid
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

from trustkg import api
from trustkg.cli import run_program

HERE = Path(__file__).resolve().parent
TRANSCRIPTS = HERE / "transcripts"
DEFAULT_OUT = HERE / "fictional-interviews.qdpx"
PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "{urn:QDA-XML:codebook:1.0}"
FICTIONAL = "FICTIONAL demo project for trustkg: invented trusts, interviews and coders. Not evidence."
# A REFI-QDA link the team drew between two codes: (name, from code, to code).
LINKS = [
    (
        "Listening led to a better patient experience",
        "Staff listening and engagement",
        "Patient experience and satisfaction",
    )
]
_GUIDS = uuid.UUID("0f1c2b3a-4d5e-4f60-8a7b-9c0d1e2f3a4b")
_PASSAGE = re.compile(r"\[\[(?P<codes>[^|\]]+)\|(?P<words>[^|\]]+)(?:\|\|(?P<paraphrase>[^\]]+))?\]\]")
_STAMP = "2025-05-01T09:00:00Z"
_ZIP_DATE = (2025, 5, 1, 9, 0, 0)


def guid(*names: str) -> str:
    return str(uuid.uuid5(_GUIDS, "/".join(names))).upper()


def codebook_codes() -> dict[str, ET.Element]:
    """The trustkg codebook's codes by name, as ``trustkg codebook`` exports them."""
    root = ET.fromstring(api.codebook_qdc(HERE.parents[1] / "data"))
    return {code.get("name", ""): code for code in root.iter(f"{CODEBOOK_NS}Code")}


def make_project(out: Path = DEFAULT_OUT) -> Path:
    exported = codebook_codes()
    project = ET.Element(
        "Project",
        {
            "xmlns": PROJECT_NS,
            "name": "Fictional ward interviews",
            "origin": "trustkg examples/interviews/make_project.py",
            "creationDateTime": _STAMP,
        },
    )
    users, codebook = ET.SubElement(project, "Users"), ET.SubElement(ET.SubElement(project, "CodeBook"), "Codes")
    variables, cases = ET.SubElement(project, "Variables"), ET.SubElement(project, "Cases")
    sources = ET.SubElement(project, "Sources")
    # The date as text: a team may know only the month, which xsd:date (DateValue) cannot hold.
    names = {"ODS code": "Text", "Role": "Text", "Interview date": "Text"}
    for name, kind in names.items():
        ET.SubElement(variables, "Variable", {"guid": guid("variable", name), "name": name, "typeOfVariable": kind})
    code_guids: dict[str, str] = {}
    texts: dict[str, bytes] = {}
    for path in sorted(TRANSCRIPTS.glob("*.txt")):
        header, _, body = path.read_text(encoding="utf-8").partition("\n---\n")
        facts = dict(line.split(": ", 1) for line in header.splitlines() if not line.startswith("#"))
        coder = guid("user", facts["coder"])
        if users.find(f"User[@guid='{coder}']") is None:
            ET.SubElement(users, "User", {"guid": coder, "name": facts["coder"]})
        source_guid = guid("source", path.stem)
        text, passages = _plain(body)
        texts[f"sources/{source_guid}.txt"] = text.encode("utf-8")
        source = ET.SubElement(
            sources,
            "TextSource",
            {
                "guid": source_guid,
                "name": f"Fictional interview {path.stem}",
                "plainTextPath": f"internal://{source_guid}.txt",
            },
        )
        for index, (start, end, codes, paraphrase) in enumerate(passages):
            selection = ET.SubElement(
                source,
                "PlainTextSelection",
                {
                    "guid": guid(path.stem, str(index)),
                    "startPosition": str(start),
                    "endPosition": str(end),
                    "creatingUser": coder,
                    "creationDateTime": _STAMP,
                },
            )
            if paraphrase:
                ET.SubElement(selection, "Description").text = paraphrase
            for name in codes:
                if name not in code_guids:
                    code_guids[name] = _code(codebook, exported, name)
                code = code_guids[name]
                coding = ET.SubElement(
                    selection, "Coding", {"guid": guid(path.stem, str(index), name), "creatingUser": coder}
                )
                ET.SubElement(coding, "CodeRef", {"targetGUID": code})
        case = ET.SubElement(cases, "Case", {"guid": guid("case", path.stem), "name": f"Fictional case {path.stem}"})
        for name, value in (("ODS code", facts["trust"]), ("Role", facts["role"]), ("Interview date", facts["date"])):
            holder = ET.SubElement(case, "VariableValue")
            ET.SubElement(holder, "VariableRef", {"targetGUID": guid("variable", name)})
            ET.SubElement(holder, "TextValue").text = value
        ET.SubElement(case, "SourceRef", {"targetGUID": source_guid})
    links = ET.SubElement(project, "Links")
    for name, origin, target in LINKS:
        ET.SubElement(
            links,
            "Link",
            {
                "guid": guid("link", name),
                "name": name,
                "direction": "OneWay",
                "originGUID": code_guids[origin],
                "targetGUID": code_guids[target],
            },
        )
    ET.SubElement(project, "Description").text = FICTIONAL
    ET.indent(project)
    xml = ET.tostring(project, encoding="utf-8", xml_declaration=True) + b"\n"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in {"project.qde": xml, **texts}.items():
            archive.writestr(zipfile.ZipInfo(name, _ZIP_DATE), data, zipfile.ZIP_DEFLATED)
    return out


def _plain(body: str) -> tuple[str, list[tuple[int, int, list[str], str | None]]]:
    """The transcript without its marks, and each marked passage's code points, codes and paraphrase."""
    text, passages, last = "", [], 0
    for match in _PASSAGE.finditer(body):
        text += body[last : match.start()]
        start = len(text)
        text += match["words"]
        codes = [name.strip() for name in match["codes"].split(";")]
        passages.append((start, len(text), codes, match["paraphrase"]))
        last = match.end()
    return text + body[last:], passages


def _code(codebook: ET.Element, exported: dict[str, ET.Element], name: str) -> str:
    """The code's GUID: the trustkg codebook's when it has the name, else a new code of the project's own."""
    code_guid = exported[name].get("guid", "") if name in exported else guid("code", name)
    ET.SubElement(codebook, "Code", {"guid": code_guid, "name": name, "isCodable": "true"})
    return code_guid


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT
    print(f"wrote {make_project(out)}")
    return 0


if __name__ == "__main__":
    run_program(main)
