"""Read a REFI-QDA project (``.qdpx``, or a bare ``.qde`` with its sources folder) or codebook (``.qdc``).

A small parser of our own on defusedxml, not PyPI's ``pyrefiqda``: pyrefiqda (0.3.1) binds the XSD
with xsdata/pydantic, but it extracts the whole archive to a folder on disk without checking entry
names or sizes, parses with no DTD or entity hardening, stops at the first error without a line,
and leaves texts and offsets unresolved, which is most of the work here. What this reader adds:
source texts resolved (inline, ``internal://``, ``relative://`` against the base path, ``.docx``
when the plain text is empty), each selection's quote cut in the unit the exporting tool counted,
every reference checked, and every problem in the file reported at once with its line.

Vendor dialects accepted: any single ``.qde`` at the archive's top (ATLAS.ti names it after the
project); ``Sources/`` or ``sources/``; a bare file name as ``plainTextPath`` (qc); GUIDs with or
without braces, in either case; the codebook namespace written ``1.0`` or ``1:0``.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from io import BytesIO
from pathlib import Path, PurePosixPath, PureWindowsPath

from trustkg.errors import InputError, Problem
from trustkg.qda.model import (
    Case,
    Code,
    Coding,
    Link,
    Note,
    OffsetUnit,
    OtherSource,
    ProjectSet,
    QdaProject,
    Selection,
    TextSource,
    User,
    Variable,
    VariableValue,
    VariableValueType,
)
from trustkg.qda.package import (
    DEFAULT_LIMITS,
    FolderPackage,
    Limits,
    Package,
    ZipPackage,
    check_zip,
    open_zip,
    read_file,
    read_relative,
)
from trustkg.qda.text import OffsetMap, decode_text, resolve_unit
from trustkg.qda.xmlfile import XmlDocument, child, child_text, children, local_name, namespace, parse_xml

PROJECT_NAMESPACES = ("urn:QDA-XML:project:1.0", "urn:QDA-XML:project:1:0")
CODEBOOK_NAMESPACES = ("urn:QDA-XML:codebook:1.0", "urn:QDA-XML:codebook:1:0")
_GUID = re.compile(r"\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?")
_OTHER_SOURCES = ("PictureSource", "PDFSource", "AudioSource", "VideoSource")
_UNIT_NAMES = {OffsetUnit.CODE_POINTS: "characters", OffsetUnit.UTF16: "UTF-16 code units"}


def normalise_guid(raw: str) -> str | None:
    """The GUID in lower case without braces, or None if ``raw`` is not one."""
    match = _GUID.fullmatch(raw.strip())
    return match.group(1).lower() if match else None


def read_project(
    path: Path,
    *,
    offsets: OffsetUnit = OffsetUnit.AUTO,
    base_path: Path | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> QdaProject:
    """Read a ``.qdpx`` (or a ``.qde`` beside its sources folder) into a ``QdaProject``.

    ``offsets`` says what the selections count in (``AUTO``: NVivo counts UTF-16 units, others
    code points). ``relative://`` sources are read under ``base_path`` if given, else under the
    project's ``basePath``, else beside the project file. Raises ``InputError`` with every problem.
    """
    package: Package | list[Problem] = (
        FolderPackage(path, limits) if path.suffix.casefold() == ".qde" else ZipPackage.open(path, limits)
    )
    if isinstance(package, list):
        raise InputError(package)
    data = package.read_xml()
    if isinstance(data, Problem):
        raise InputError([data])
    document = parse_xml(data, package.xml_label)
    if isinstance(document, Problem):
        raise InputError([document])
    reader = _ProjectReader(document, package, path, offsets, base_path, limits)
    project = reader.read()
    if reader.problems:
        raise InputError(reader.problems)
    return project


def read_codebook(path: Path, *, limits: Limits = DEFAULT_LIMITS) -> tuple[Code, ...]:
    """The code tree of a REFI-QDA codebook (``.qdc``), flattened in document order."""
    data = read_file(path, limits)
    if isinstance(data, Problem):
        raise InputError([data])
    document = parse_xml(data, str(path))
    if isinstance(document, Problem):
        raise InputError([document])
    problems: list[Problem] = []
    root = document.root
    _check_root(document, "CodeBook", CODEBOOK_NAMESPACES, problems)
    codes = _GuidReader(document, problems).code_tree(root)
    if problems:
        raise InputError(problems)
    return codes


def _check_root(document: XmlDocument, name: str, namespaces: tuple[str, ...], problems: list[Problem]) -> None:
    root = document.root
    if local_name(root) != name:
        problems.append(document.problem(root, "root", f"is <{local_name(root)}>, expected <{name}>"))
    elif namespace(root) not in namespaces:
        found = namespace(root) or "no namespace"
        problems.append(document.problem(root, "xmlns", f"is {found!r}, expected {namespaces[0]!r}"))


class _GuidReader:
    """Attribute access that records a problem, at the element's line, for anything malformed."""

    def __init__(self, document: XmlDocument, problems: list[Problem]) -> None:
        self.document = document
        self.problems = problems

    def problem(self, element: ET.Element, field: str, message: str) -> None:
        self.problems.append(self.document.problem(element, field, message))

    def required(self, element: ET.Element, attribute: str) -> str | None:
        value = element.get(attribute)
        if value is None:
            self.problem(element, attribute, f"<{local_name(element)}> has no {attribute}")
        return value

    def guid(self, element: ET.Element, attribute: str = "guid", *, required: bool = True) -> str | None:
        raw = self.required(element, attribute) if required else element.get(attribute)
        if raw is None:
            return None
        guid = normalise_guid(raw)
        if guid is None:
            self.problem(element, attribute, f"{raw!r} is not a GUID")
        return guid

    def refs(self, element: ET.Element, name: str) -> tuple[str, ...]:
        found = (self.guid(ref, "targetGUID") for ref in children(element, name))
        return tuple(guid for guid in found if guid is not None)

    def code_tree(self, container: ET.Element) -> tuple[Code, ...]:
        codes: list[Code] = []

        def walk(parent: ET.Element, parent_guid: str | None, path: tuple[str, ...]) -> None:
            for element in children(parent, "Code"):
                guid, name = self.guid(element), self.required(element, "name")
                codable = element.get("isCodable", "true")
                if codable not in ("true", "false", "1", "0"):
                    self.problem(element, "isCodable", f"{codable!r} is not a boolean")
                if guid is None or name is None:
                    continue
                line = self.document.line(element)
                description = child_text(element, "Description")
                colour = element.get("color")
                codes.append(
                    Code(guid, name, codable in ("true", "1"), description, colour, parent_guid, (*path, name), line)
                )
                walk(element, guid, (*path, name))

        for holder in children(container, "Codes"):
            walk(holder, None, ())
        return tuple(codes)


class _ProjectReader(_GuidReader):
    def __init__(
        self,
        document: XmlDocument,
        package: Package,
        path: Path,
        offsets: OffsetUnit,
        base_path: Path | None,
        limits: Limits,
    ) -> None:
        super().__init__(document, [])
        self.package = package
        self.path = path
        self.unit = resolve_unit(offsets, document.root.get("origin"))
        self.base_path = base_path
        self.limits = limits

    def read(self) -> QdaProject:
        root = self.document.root
        _check_root(self.document, "Project", PROJECT_NAMESPACES, self.problems)
        codebook = child(root, "CodeBook")
        codes = () if codebook is None else self.code_tree(codebook)
        sources_element = child(root, "Sources")
        sources = tuple(self.text_source(e) for e in self.each(sources_element, "TextSource"))
        others = tuple(
            OtherSource(guid, local_name(e), e.get("name"), self.document.line(e))
            for e in self.each(sources_element, *_OTHER_SOURCES)
            if (guid := self.guid(e)) is not None
        )
        project = QdaProject(
            file=self.document.file,
            name=self.required(root, "name") or "",
            origin=root.get("origin"),
            offset_unit=self.unit,
            description=child_text(root, "Description"),
            users=tuple(
                User(guid, e.get("name"), self.document.line(e))
                for e in self.each(child(root, "Users"), "User")
                if (guid := self.guid(e)) is not None
            ),
            codes=codes,
            variables=tuple(self.variable(e) for e in self.each(child(root, "Variables"), "Variable")),
            cases=tuple(self.case(e) for e in self.each(child(root, "Cases"), "Case")),
            sources=tuple(s for s in sources if s is not None),
            other_sources=others,
            notes=tuple(self.note(e) for e in self.each(child(root, "Notes"), "Note")),
            links=tuple(self.link(e) for e in self.each(child(root, "Links"), "Link")),
            sets=tuple(self.project_set(e) for e in self.each(child(root, "Sets"), "Set")),
        )
        _check_references(self.document, project, self.problems)
        return project

    @staticmethod
    def each(container: ET.Element | None, *names: str) -> Iterable[ET.Element]:
        return () if container is None else (e for e in container if local_name(e) in names)

    def line(self, element: ET.Element) -> int:
        return self.document.line(element)

    def coding(self, element: ET.Element) -> Coding | None:
        guid = self.guid(element)
        ref = child(element, "CodeRef")
        if ref is None:
            self.problem(element, "CodeRef", "<Coding> names no code")
            return None
        code = self.guid(ref, "targetGUID")
        if guid is None or code is None:
            return None
        coder = self.guid(element, "creatingUser", required=False)
        return Coding(guid, code, coder, element.get("creationDateTime"), self.line(element))

    def codings(self, element: ET.Element) -> tuple[Coding, ...]:
        return tuple(c for c in (self.coding(e) for e in children(element, "Coding")) if c is not None)

    def variable_values(self, element: ET.Element) -> tuple[VariableValue, ...]:
        values = []
        for value_element in children(element, "VariableValue"):
            ref = child(value_element, "VariableRef")
            variable = None if ref is None else self.guid(ref, "targetGUID")
            if ref is None:
                self.problem(value_element, "VariableRef", "<VariableValue> names no variable")
            value = self.typed_value(value_element)
            if variable is not None:
                values.append(VariableValue(variable, value, self.line(value_element)))
        return tuple(values)

    def typed_value(self, element: ET.Element) -> VariableValueType:
        parsers: dict[str, Callable[[str], VariableValueType]] = {
            "TextValue": str,
            "BooleanValue": _boolean,
            "IntegerValue": int,
            "FloatValue": Decimal,
            "DateValue": dt.date.fromisoformat,
            "DateTimeValue": dt.datetime.fromisoformat,
        }
        for value_element in element:
            parse = parsers.get(local_name(value_element))
            if parse is None:
                continue
            text = (value_element.text or "").strip() if parse is not str else (value_element.text or "")
            try:
                return parse(text)
            except (ValueError, InvalidOperation):
                self.problem(value_element, local_name(value_element), f"{text!r} is not a valid value")
        return None

    def variable(self, element: ET.Element) -> Variable:
        return Variable(
            self.guid(element) or "",
            self.required(element, "name") or "",
            self.required(element, "typeOfVariable") or "",
            child_text(element, "Description"),
            self.line(element),
        )

    def case(self, element: ET.Element) -> Case:
        return Case(
            self.guid(element) or "",
            element.get("name"),
            child_text(element, "Description"),
            self.refs(element, "CodeRef"),
            self.variable_values(element),
            self.refs(element, "SourceRef"),
            self.refs(element, "SelectionRef"),
            self.line(element),
        )

    def project_set(self, element: ET.Element) -> ProjectSet:
        return ProjectSet(
            self.guid(element) or "",
            self.required(element, "name") or "",
            child_text(element, "Description"),
            self.refs(element, "MemberCode"),
            self.refs(element, "MemberSource"),
            self.refs(element, "MemberNote"),
            self.line(element),
        )

    def link(self, element: ET.Element) -> Link:
        return Link(
            self.guid(element) or "",
            element.get("name"),
            element.get("direction"),
            element.get("color"),
            self.guid(element, "originGUID", required=False),
            self.guid(element, "targetGUID", required=False),
            self.line(element),
        )

    def note(self, element: ET.Element) -> Note:
        text, _ = self.source_text(element)
        return Note(
            self.guid(element) or "", element.get("name"), text, child_text(element, "Description"), self.line(element)
        )

    def text_source(self, element: ET.Element) -> TextSource | None:
        guid = self.guid(element)
        text, text_file = self.source_text(element)
        offsets = OffsetMap(text, self.unit)
        selections = []
        for selection_element in children(element, "PlainTextSelection"):
            selection = self.selection(selection_element, guid or "", text, offsets)
            if selection is not None:
                selections.append(selection)
        if guid is None:
            return None
        return TextSource(
            guid,
            element.get("name"),
            text,
            text_file,
            child_text(element, "Description"),
            tuple(selections),
            self.codings(element),
            self.variable_values(element),
            self.line(element),
        )

    def selection(self, element: ET.Element, source: str, text: str, offsets: OffsetMap) -> Selection | None:
        guid = self.guid(element)
        bounds = [self.integer(element, name) for name in ("startPosition", "endPosition")]
        codings = self.codings(element)
        raw_start, raw_end = bounds
        if guid is None or raw_start is None or raw_end is None:
            return None
        if raw_start > raw_end:
            self.problem(element, "startPosition", f"start {raw_start} is after end {raw_end}")
            return None
        if raw_start < 0 or raw_end > offsets.length:
            self.problem(
                element,
                "endPosition",
                f"selection {raw_start}-{raw_end} lies outside its text ({offsets.length} {_UNIT_NAMES[self.unit]} long)",
            )
            return None
        start, end = offsets.index(raw_start), offsets.index(raw_end)
        if start is None or end is None:
            self.problem(element, "startPosition", f"selection {raw_start}-{raw_end} splits a character's UTF-16 pair")
            return None
        return Selection(
            guid,
            source,
            element.get("name"),
            start,
            end,
            text[start:end],
            child_text(element, "Description"),
            self.guid(element, "creatingUser", required=False),
            element.get("creationDateTime"),
            codings,
            self.line(element),
        )

    def integer(self, element: ET.Element, attribute: str) -> int | None:
        raw = self.required(element, attribute)
        if raw is None:
            return None
        try:
            return int(raw)
        except ValueError:
            self.problem(element, attribute, f"{raw!r} is not an integer")
            return None

    def source_text(self, element: ET.Element) -> tuple[str, str | None]:
        """The text of a source or note and where it came from (None: inline)."""
        inline = child_text(element, "PlainTextContent")
        if inline is not None:
            return inline, None
        text, text_file = "", None
        plain = element.get("plainTextPath")
        if plain is not None:
            found = self.fetch(element, "plainTextPath", plain)
            if found is not None:
                text_file, data = found
                try:
                    text = decode_text(data)
                except UnicodeDecodeError as error:
                    self.problem(element, "plainTextPath", f"{text_file} is not UTF-8 or UTF-16 text: {error}")
        rich = element.get("richTextPath")
        # NVivo for Mac may leave the .txt empty and keep the text only in the .docx.
        if not text and rich is not None and rich.casefold().endswith(".docx"):
            found = self.fetch(element, "richTextPath", rich)
            if found is not None:
                text_file, data = found
                text = self.docx_text(element, text_file, data)
        return text, text_file

    def fetch(self, element: ET.Element, attribute: str, location: str) -> tuple[str, bytes] | None:
        scheme, separator, rest = location.partition("://")
        if not separator:
            scheme, rest = "internal", location  # qc writes a bare file name in the sources folder
        found: tuple[str, bytes] | Problem
        if scheme == "internal":
            found = self.package.read_internal(rest)
        elif scheme == "relative":
            found = read_relative(self.relative_base(), rest.lstrip("/"), self.limits, self.document.file)
        elif scheme == "absolute":
            self.problem(
                element,
                attribute,
                f"{location!r} is an absolute path on the exporting machine; refused. "
                "Export the project with its sources embedded (internal://) instead",
            )
            return None
        else:
            self.problem(element, attribute, f"{location!r} has an unknown scheme {scheme!r}")
            return None
        if isinstance(found, Problem):
            self.problem(element, attribute, f"{location!r}: {found}")
            return None
        return found

    def relative_base(self) -> Path:
        if self.base_path is not None:
            return self.base_path
        written = self.document.root.get("basePath")
        if written:
            is_absolute = PurePosixPath(written).is_absolute() or PureWindowsPath(written).is_absolute()
            return Path(written) if is_absolute else self.path.parent / written
        return self.path.parent

    def docx_text(self, element: ET.Element, label: str, data: bytes) -> str:
        """A .docx's paragraphs joined by newlines, after the same zip checks as the project."""
        archive = open_zip(data, label)
        problems = [archive] if isinstance(archive, Problem) else check_zip(archive, label, self.limits)
        if not problems:
            # Imported here: python-docx takes 0.15 s to import, and most projects hold no .docx.
            import docx
            from docx.opc.exceptions import OpcError

            try:
                return "\n".join(paragraph.text for paragraph in docx.Document(BytesIO(data)).paragraphs)
            except (OpcError, KeyError, ValueError) as error:
                problems = [Problem(label, None, "docx", f"cannot be read: {error}")]
        for problem in problems:
            self.problem(element, "richTextPath", str(problem))
        return ""


def _boolean(text: str) -> bool:
    if text in ("true", "1"):
        return True
    if text in ("false", "0"):
        return False
    raise ValueError(text)


def _check_references(document: XmlDocument, project: QdaProject, problems: list[Problem]) -> None:
    """Every GUID a project refers to must name something of the right kind in it."""
    codes = set(project.codes_by_guid)
    sources = {s.guid for s in project.sources} | {s.guid for s in project.other_sources}
    selections = {s.guid for s in project.selections}
    variables = {v.guid for v in project.variables}
    notes = {n.guid for n in project.notes}
    everything = codes | sources | selections | variables | notes | {c.guid for c in project.cases}
    everything |= {u.guid for u in project.users} | {s.guid for s in project.sets}

    def check(line: int, field: str, targets: Iterable[str | None], known: set[str], kind: str) -> None:
        for target in targets:
            if target is not None and target not in known:
                problems.append(
                    Problem(document.file, line, field, f"names {target}, which is no {kind} in the project")
                )

    for source in project.sources:
        for coding in (*source.codings, *(c for s in source.selections for c in s.codings)):
            check(coding.line, "CodeRef", [coding.code], codes, "code")
    for case in project.cases:
        check(case.line, "SourceRef", case.sources, sources, "source")
        check(case.line, "SelectionRef", case.selections, selections, "selection")
        check(case.line, "CodeRef", case.codes, codes, "code")
    for value in (*(v for s in project.sources for v in s.variables), *(v for c in project.cases for v in c.variables)):
        check(value.line, "VariableRef", [value.variable], variables, "variable")
    for project_set in project.sets:
        check(project_set.line, "MemberCode", project_set.codes, codes, "code")
        check(project_set.line, "MemberSource", project_set.sources, sources, "source")
        check(project_set.line, "MemberNote", project_set.notes, notes, "note")
    for link in project.links:
        check(link.line, "Link", [link.origin, link.target], everything, "object")
    seen: dict[str, int] = {}
    for kind, items in (("code", project.codes), ("source", project.sources), ("selection", project.selections)):
        for item in items:
            if item.guid in seen:
                problems.append(
                    Problem(
                        document.file,
                        item.line,
                        "guid",
                        f"{kind} {item.guid} repeats a GUID first used at line {seen[item.guid]}",
                    )
                )
            seen.setdefault(item.guid, item.line)
