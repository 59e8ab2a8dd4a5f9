"""Reading YAML with line numbers, collecting every problem instead of stopping at the first.

The files are parsed with PyYAML's safe composer only (no object construction),
and fields are read from the composed node tree, whose marks give the line of
every key and value.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Collection, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pyoxigraph
import yaml

from trustkg.errors import FileAccessError, did_you_mean, shown
from trustkg.files import read_input
from trustkg.loaders.checks import ProblemLog
from trustkg.loaders.yamlbounds import MAX_FILE_BYTES, NULL_TAG, NULL_TEXT, BoundsError, compose_bounded
from trustkg.records import Origin, PartialDate, SourceRef

# ASCII digits only: Python's \d would read Arabic-Indic or full-width digits as years.
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$", re.ASCII)
_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$", re.ASCII)
#: The earliest year a date may have: before the NHS (1948) there are no trusts to inspect.
EARLIEST_YEAR = 1900
#: Control characters refused in text: all C0 but tab and newline, DEL, C1, and lone surrogates
#: (which no file can encode: the build crashed writing them).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def latest_year() -> int:
    """The latest year a date may have: next year (a publication date announced ahead), never 2099."""
    return dt.date.today().year + 1


_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
# What YAML 1.1 would read as booleans or nulls: kept as text by reading scalars raw.
_TRUE = {"true", "yes", "on"}
_FALSE = {"false", "no", "off"}


def compose_file(path: Path, display: str, log: ProblemLog, inside: Path | None = None) -> yaml.Node | None:
    """Compose one YAML file safely, within the bounds; a problem is logged with its line.

    Only a regular file inside ``inside`` (default: its own directory) is read.
    """
    try:
        data = read_input(path, path.parent if inside is None else inside, MAX_FILE_BYTES)
    except FileAccessError as error:
        log.add(display, None, "(file)", str(error))
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        bad_line = data.count(b"\n", 0, error.start) + 1
        log.add(display, bad_line, "(file)", f"is not UTF-8 text (byte {data[error.start]:#04x} on this line)")
        return None
    try:
        return compose_bounded(text)
    except BoundsError as error:
        log.add(display, error.line, "(syntax)", error.message)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        log.add(display, line, "(syntax)", f"malformed YAML: {error.problem or error}")
    except yaml.YAMLError as error:
        log.add(display, None, "(syntax)", f"malformed YAML: {error}")
    return None


def line_of(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


class Fields:
    """One YAML mapping being read as a record: typed getters that log problems and return None."""

    def __init__(self, node: yaml.Node, file: str, path: str, log: ProblemLog) -> None:
        self.node = node
        self.file = file
        self.path = path
        self.log = log
        # Made for every mapping of every file (about 20 for each trust's evidence item): kept lean. The
        # line of each key is looked up only when a message or a record's place needs it.
        self._key_lines: dict[str, int] | None = None
        if not isinstance(node, yaml.MappingNode):
            self.values: dict[str, yaml.Node] = {}
            self.problem(path or "(top)", line_of(node), "must be a mapping of field: value")
            return
        pairs = node.value
        try:
            # The usual mapping in one step: a list or mapping as a key has a list as its value, no dict key.
            self.values = {key_node.value: value_node for key_node, value_node in pairs}
        except TypeError:
            self.values = {}
        if len(self.values) < len(pairs):  # a key that is not text, or given twice: each is told, with its line
            self.values, self._key_lines = self._read_pairs(pairs)

    def _read_pairs(self, pairs: list[tuple[yaml.Node, yaml.Node]]) -> tuple[dict[str, yaml.Node], dict[str, int]]:
        """The fields of a mapping with a problem among its keys, and each field's line, reporting each problem."""
        values: dict[str, yaml.Node] = {}
        key_lines: dict[str, int] = {}
        for key_node, value_node in pairs:
            key = key_text(key_node)
            if key is None:
                self.problem(
                    self.path or "(top)", line_of(key_node), "a field name must be plain text, not a list or mapping"
                )
                continue
            line = line_of(key_node)
            if key in values:
                self.problem(self.sub(key), line, f"duplicate field (first given on line {key_lines[key]})")
                continue
            values[key] = value_node
            key_lines[key] = line
        return values, key_lines

    # --- bookkeeping -----------------------------------------------------------------

    @property
    def line(self) -> int:
        return line_of(self.node)

    @property
    def origin(self) -> Origin:
        return Origin(self.file, self.line)

    def place(self, key: str) -> Origin:
        """Where one field of this record is, for a check made after every input is read."""
        return Origin(self.file, self.line_for(key), self.sub(key))

    def sub(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def problem(self, field_path: str, line: int | None, message: str) -> None:
        self.log.add(self.file, line, field_path, message)

    def line_for(self, key: str) -> int:
        """The line of a field's name, or the record's own line for a field it does not have."""
        if key not in self.values:
            return self.line
        if self._key_lines is None:
            self._key_lines = {key_node.value: line_of(key_node) for key_node, _ in self.node.value}
        return self._key_lines[key]

    def allow_only(self, allowed: Collection[str]) -> None:
        """Unknown fields are errors: a misspelt optional field would otherwise vanish silently."""
        for key in self.values:
            if key not in allowed:
                self.problem(self.sub(key), self.line_for(key), "unknown field" + did_you_mean(key, allowed))

    def peek(self, key: str) -> str | None:
        """A field's text without checking or logging anything (to see what a broken record declares)."""
        node = self.values.get(key)
        return str(node.value).strip() or None if isinstance(node, yaml.ScalarNode) and not _is_null(node) else None

    def has(self, key: str) -> bool:
        return key in self.values and not _is_null(self.values[key])

    def is_mapping(self, key: str) -> bool:
        """Whether the field holds a mapping (for a field that may be given either as a value or in parts)."""
        return isinstance(self.values.get(key), yaml.MappingNode)

    def _get(self, key: str, required: bool) -> yaml.Node | None:
        node = self.values.get(key)
        if node is None or _is_null(node):
            if required:
                self.problem(self.sub(key), self.line, "required field is missing")
            return None
        return node

    # --- scalars -----------------------------------------------------------------------

    def text(self, key: str, required: bool = False) -> str | None:
        node = self.values.get(key)
        if node is None or node.tag == NULL_TAG:  # the common cases first, without a call: absent, or text
            node = self._get(key, required)
            if node is None:
                return None
        if not isinstance(node, yaml.ScalarNode):
            self.problem(self.sub(key), line_of(node), "must be text, not a list or mapping")
            return None
        value = str(node.value).strip()
        if required and not value:
            self.problem(self.sub(key), line_of(node), "must not be empty")
            return None
        control = _CONTROL.search(value)
        if control is not None:
            character = control.group().encode("unicode_escape", "backslashreplace").decode("ascii")
            self.problem(self.sub(key), line_of(node), f"holds the control character {character}; remove it")
            return None
        return value or None

    def url(self, key: str, required: bool = False) -> str | None:
        """A web address: a valid IRI with scheme http or https and a host."""
        value = self.text(key, required)
        if value is None:
            return None
        problem = url_problem(value)
        if problem is not None:
            self.problem(self.sub(key), self.line_for(key), f"{shown(value)!r} {problem}")
            return None
        return value

    def identifier(self, key: str, required: bool = False) -> str | None:
        value = self.text(key, required)
        if value is not None and not _ID.match(value):
            self.problem(
                self.sub(key), self.line_for(key), f"{value!r} is not a valid ID (letters, digits, '-', '_', '.')"
            )
            return None
        return value

    def choice(self, key: str, known: Collection[str], what: str, required: bool = False, hint: str = "") -> str | None:
        """An ID that must be one of ``known`` (a vocabulary or codebook); ``hint`` as for :meth:`choices`."""
        value = self.text(key, required)
        if value is not None and value not in known:
            message = f"unknown {what} {value!r}" + did_you_mean(value, known) + hint
            self.problem(self.sub(key), self.line_for(key), message)
            return None
        return value

    def boolean(self, key: str) -> bool | None:
        value = self.text(key)
        if value is None:
            return None
        if value.lower() in _TRUE:
            return True
        if value.lower() in _FALSE:
            return False
        self.problem(self.sub(key), self.line_for(key), f"{value!r} is not true or false")
        return None

    def number(self, key: str, required: bool = False) -> float | None:
        value = self.text(key, required)
        if value is None:
            return None
        number = float(value.replace(",", "")) if _NUMBER.match(value) else math.nan
        if not math.isfinite(number):  # also what float() alone would take: nan, inf, 1e999, 1_000
            self.problem(self.sub(key), self.line_for(key), f"{shown(value)!r} is not a number (digits, e.g. 1234.5)")
            return None
        return number

    def year(self, key: str, required: bool = False) -> int | None:
        value = self.text(key, required)
        if value is None:
            return None
        problems: list[str] = []
        date = parse_partial_date(value, problems.append) if len(value) == 4 else None
        if date is None:
            self.problem(
                self.sub(key), self.line_for(key), problems[0] if problems else f"{shown(value)!r} is not a year (YYYY)"
            )
            return None
        return date.year

    def date(self, key: str, required: bool = False) -> PartialDate | None:
        """YYYY, YYYY-MM or YYYY-MM-DD: as precise as the source, no more."""
        value = self.text(key, required)
        if value is None:
            return None
        return parse_partial_date(value, lambda message: self.problem(self.sub(key), self.line_for(key), message))

    # --- collections -------------------------------------------------------------------

    def text_list(self, key: str) -> list[tuple[str, int]]:
        """A list of text items (or a single item), each with its line."""
        node = self._get(key, False)
        if node is None:
            return []
        if isinstance(node, yaml.ScalarNode):
            return [(str(node.value).strip(), line_of(node))]
        if not isinstance(node, yaml.SequenceNode):
            self.problem(self.sub(key), line_of(node), "must be a list")
            return []
        items: list[tuple[str, int]] = []
        for index, item in enumerate(node.value):
            if isinstance(item, yaml.ScalarNode) and str(item.value).strip():
                items.append((str(item.value).strip(), line_of(item)))
            else:
                self.problem(f"{self.sub(key)}[{index}]", line_of(item), "must be non-empty text")
        return items

    def references(self, key: str, what: str, places: dict[str, Origin]) -> tuple[str, ...]:
        """A list of IDs of other records, checked later; each one's place goes in ``places`` as "key/ID"."""
        named: list[str] = []
        for index, (value, line) in enumerate(self.text_list(key)):
            where = f"{self.sub(key)}[{index}]"
            if value in named:
                self.problem(where, line, f"{what} {value!r} is listed twice")
            else:
                named.append(value)
                places[f"{key}/{value}"] = Origin(self.file, line, where)
        return tuple(named)

    def choices(
        self, key: str, known: Collection[str], what: str, required: bool = False, hint: str = ""
    ) -> tuple[str, ...]:
        """A list of IDs from ``known`` (or a single one); unknown and repeated ones are problems.

        ``hint`` follows the message of an unknown ID: how to declare one, where the data may.
        """
        node = self._get(key, required)
        if node is None:
            return ()
        # A single value is the field itself, not the first item of a list the file does not have.
        single = isinstance(node, yaml.ScalarNode)
        chosen: list[str] = []
        for index, (value, line) in enumerate(self.text_list(key)):
            where = self.sub(key) if single else f"{self.sub(key)}[{index}]"
            if value not in known:
                self.problem(where, line, f"unknown {what} {value!r}" + did_you_mean(value, known) + hint)
            elif value in chosen:
                self.problem(where, line, f"{what} {value!r} is listed twice")
            else:
                chosen.append(value)
        return tuple(chosen)

    def mapping(self, key: str, required: bool = False) -> Fields | None:
        node = self._get(key, required)
        if node is None:
            return None
        return Fields(node, self.file, self.sub(key), self.log)

    def records(self, key: str) -> Iterator[Fields]:
        """The mappings of a list field, e.g. every inspection."""
        node = self._get(key, False)
        if node is None:
            return
        if not isinstance(node, yaml.SequenceNode):
            self.problem(self.sub(key), line_of(node), "must be a list")
            return
        for index, item in enumerate(node.value):
            yield Fields(item, self.file, f"{self.sub(key)}[{index}]", self.log)

    def scalar_pairs(self, key: str) -> list[tuple[str, str, int]]:
        """A mapping of text to text (e.g. ratings: {safe: good}), with each pair's line."""
        node = self._get(key, False)
        if node is None:
            return []
        if not isinstance(node, yaml.MappingNode):
            self.problem(self.sub(key), line_of(node), "must be a mapping")
            return []
        pairs: list[tuple[str, str, int]] = []
        seen: set[str] = set()
        for key_node, value_node in node.value:
            name = key_text(key_node)
            if name is None:
                self.problem(self.sub(key), line_of(key_node), "a name must be plain text, not a list or mapping")
                continue
            where = f"{self.sub(key)}.{name}"
            if name in seen:
                self.problem(where, line_of(key_node), "given twice")
            elif not isinstance(value_node, yaml.ScalarNode) or _is_null(value_node):
                self.problem(where, line_of(value_node), "must be text")
            else:
                pairs.append((name, str(value_node.value).strip(), line_of(value_node)))
            seen.add(name)
        return pairs

    def source_refs(self, key: str, required: bool = True) -> tuple[SourceRef, ...]:
        """``source: ID``, ``source: {id: ID, locator: p. 4}`` or a list of either.

        Each reference keeps its place: whether the source exists is checked once every input is read.
        """
        node = self._get(key, required)
        if node is None:
            return ()
        items = node.value if isinstance(node, yaml.SequenceNode) else [node]
        refs: list[SourceRef] = []
        before = len(self.log.problems)
        for index, item in enumerate(items):
            where = f"{self.sub(key)}[{index}]" if isinstance(node, yaml.SequenceNode) else self.sub(key)
            if isinstance(item, yaml.ScalarNode):
                source_id, locator = str(item.value).strip(), None
            elif isinstance(item, yaml.MappingNode):
                ref = Fields(item, self.file, where, self.log)
                ref.allow_only(("id", "locator"))
                source_id, locator = ref.text("id", required=True) or "", ref.text("locator")
                where = ref.sub("id")
            else:
                self.problem(where, line_of(item), "must be a source ID or {id, locator}")
                continue
            if source_id:
                refs.append(SourceRef(source_id, locator, Origin(self.file, line_of(item), where)))
        # Only when no reference was reported broken just above: the log is never searched, only counted.
        if required and not refs and len(self.log.problems) == before:
            self.problem(self.sub(key), self.line_for(key), "at least one source is required")
        return tuple(refs)


def parse_partial_date(value: str, report: Callable[[str], None]) -> PartialDate | None:
    """Parse YYYY[-MM[-DD]], calling ``report(message)`` when it is not a real date."""
    match = _DATE.match(value)
    message = f"{value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"
    if match is None:
        report(message)
        return None
    year, month, day = (int(part) if part else None for part in match.groups())
    assert year is not None
    try:
        dt.date(year, month or 1, day or 1)
    except ValueError:
        report(message)
        return None
    if not EARLIEST_YEAR <= year <= latest_year():
        report(f"{value!r}: the year must be between {EARLIEST_YEAR} and {latest_year()}")
        return None
    return PartialDate(year, month, day)


def url_problem(value: str) -> str | None:
    """Why ``value`` is not an http(s) web address a triple store can hold, or None when it is one."""
    try:
        pyoxigraph.NamedNode(value)  # the IRI grammar (RFC 3987), as the default store applies it
        parts = urlsplit(value)
        parts.port  # noqa: B018 -- reading it checks that the port is a number
    except ValueError:
        return "is not a valid web address (IRI)"
    if parts.scheme.lower() not in ("http", "https"):
        return "is not an http(s) URL"
    if not parts.hostname:
        return "has no host"
    return None


def key_text(node: yaml.Node) -> str | None:
    """A mapping key as text; None when it is a list or mapping (described, never printed as parser nodes)."""
    return str(node.value) if isinstance(node, yaml.ScalarNode) else None


def _is_null(node: yaml.Node) -> bool:
    return node.tag == NULL_TAG and isinstance(node, yaml.ScalarNode) and node.value in NULL_TEXT
