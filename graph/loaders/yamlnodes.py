"""Reading YAML with line numbers, collecting every problem instead of stopping at the first.

The files are parsed with PyYAML's safe composer only (libyaml's when present; no object
construction), and fields are read from the composed node tree, whose marks give the line of
every key and value.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection, Iterator
from pathlib import Path

import yaml

from trustkg.errors import did_you_mean
from trustkg.loaders.checks import ProblemLog
from trustkg.records import Origin, PartialDate, SourceRef

_NULL_TAG = "tag:yaml.org,2002:null"
_TEXT_TAG = "tag:yaml.org,2002:str"
# What YAML reads as null when written plain (unquoted): SafeLoader's rule.
_NULL_TEXT = frozenset(("", "~", "null", "Null", "NULL"))
# libyaml's composer, when PyYAML was built with it: 40x faster here, and its nodes keep their marks
# (lines), so errors still name file, line and field. It also caps nesting at 1,000 levels (a syntax
# error). Aliases stay shared nodes, as with the pure-Python composer.
_COMPOSER: type[yaml.SafeLoader] | type[yaml.CSafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_COMPOSER):  # type: ignore[misc,valid-type]  # one of two bases, chosen at import
    """The safe composer, resolving only null: every other scalar is read raw, as text.

    SafeLoader tries its regular expressions (booleans, numbers, dates) on every
    scalar, half the load time on a large case base, for tags nothing here reads.
    """

    def resolve(self, kind: type[yaml.Node], value: str, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            return _NULL_TAG if implicit[0] and value in _NULL_TEXT else _TEXT_TAG
        tag: str = super().resolve(kind, value, implicit)
        return tag


_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
# What YAML 1.1 would read as booleans or nulls: kept as text by reading scalars raw.
_TRUE = {"true", "yes", "on"}
_FALSE = {"false", "no", "off"}


def compose_file(path: Path, display: str, log: ProblemLog) -> yaml.Node | None:
    """Compose one YAML file safely; a syntax error is logged with its line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        log.add(display, None, "(file)", f"cannot be read: {error}")
        return None
    try:
        return yaml.compose(text, Loader=_Loader)
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
        self.values: dict[str, yaml.Node] = {}
        self.key_lines: dict[str, int] = {}
        if not isinstance(node, yaml.MappingNode):
            self.problem(path or "(top)", line_of(node), "must be a mapping of field: value")
            return
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in self.values:
                self.problem(
                    self.sub(key), line_of(key_node), f"duplicate field (first given on line {self.key_lines[key]})"
                )
                continue
            self.values[key] = value_node
            self.key_lines[key] = line_of(key_node)

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
        return self.key_lines.get(key, self.line)

    def allow_only(self, allowed: Collection[str]) -> None:
        """Unknown fields are errors: a misspelt optional field would otherwise vanish silently."""
        for key in self.values:
            if key not in allowed:
                self.problem(self.sub(key), self.key_lines[key], "unknown field" + did_you_mean(key, allowed))

    def peek(self, key: str) -> str | None:
        """A field's text without checking or logging anything (to see what a broken record declares)."""
        node = self.values.get(key)
        return str(node.value).strip() or None if isinstance(node, yaml.ScalarNode) and not _is_null(node) else None

    def has(self, key: str) -> bool:
        return key in self.values and not _is_null(self.values[key])

    def _get(self, key: str, required: bool) -> yaml.Node | None:
        node = self.values.get(key)
        if node is None or _is_null(node):
            if required:
                self.problem(self.sub(key), self.line, "required field is missing")
            return None
        return node

    # --- scalars -----------------------------------------------------------------------

    def text(self, key: str, required: bool = False) -> str | None:
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
        return value or None

    def identifier(self, key: str, required: bool = False) -> str | None:
        value = self.text(key, required)
        if value is not None and not _ID.match(value):
            self.problem(
                self.sub(key), self.line_for(key), f"{value!r} is not a valid ID (letters, digits, '-', '_', '.')"
            )
            return None
        return value

    def choice(self, key: str, known: Collection[str], what: str, required: bool = False) -> str | None:
        """An ID that must be one of ``known`` (a vocabulary or codebook)."""
        value = self.text(key, required)
        if value is not None and value not in known:
            self.problem(self.sub(key), self.line_for(key), f"unknown {what} {value!r}" + did_you_mean(value, known))
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
        try:
            return float(value.replace(",", ""))
        except ValueError:
            self.problem(self.sub(key), self.line_for(key), f"{value!r} is not a number")
            return None

    def year(self, key: str, required: bool = False) -> int | None:
        value = self.text(key, required)
        if value is None:
            return None
        if not re.fullmatch(r"\d{4}", value):
            self.problem(self.sub(key), self.line_for(key), f"{value!r} is not a year (YYYY)")
            return None
        return int(value)

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

    def choices(self, key: str, known: Collection[str], what: str) -> tuple[str, ...]:
        """A list of IDs from ``known``; unknown and repeated ones are problems."""
        chosen: list[str] = []
        for index, (value, line) in enumerate(self.text_list(key)):
            if value not in known:
                self.problem(
                    f"{self.sub(key)}[{index}]", line, f"unknown {what} {value!r}" + did_you_mean(value, known)
                )
            elif value in chosen:
                self.problem(f"{self.sub(key)}[{index}]", line, f"{what} {value!r} is listed twice")
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
            name = str(key_node.value)
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
        if required and not refs and not any(p.field.startswith(self.sub(key)) for p in self.log.problems):
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
    return PartialDate(year, month, day)


def _is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == _NULL_TAG and node.value in _NULL_TEXT
