"""The fuzz suite's inputs and invariants: case files and coded-segment tables built from the format's
own description (the field lists the loader accepts, the vocabularies it checks against), then mutated.

Everything generated is FICTIONAL. Shared by tests/test_fuzz.py (a short profile in CI, through the
command line) and bench/bench_fuzz.py (a long one, timed, through the API): :func:`check_build`.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from hypothesis import settings
from hypothesis import strategies as st

from trustkg import api
from trustkg.errors import InputError, TrustKGError

#: A short run for every CI pass; a long one for bench/ (``HYPOTHESIS_PROFILE=long`` selects it in pytest too).
settings.register_profile("ci", max_examples=25, deadline=None, derandomize=True)
settings.register_profile("long", max_examples=2000, deadline=None)

#: The case-file format as data/README.md describes it: section -> the fields of one record.
TRUST_FIELDS = ("ods", "name", "type", "foundation_trust", "other_names", "sites", "area_served", "cqc_page", "source")
RECORD_FIELDS: dict[str, tuple[str, ...]] = {
    "inspections": ("id", "label", "start", "end", "published", "ratings", "source", "note"),
    "special_measures": ("id", "entered", "exited", "source", "note"),
    "actions": ("id", "type", "label", "description", "roles", "themes", "started", "source"),
    "outcomes": ("id", "type", "label", "measure", "unit", "before", "after", "source"),
    "evidence": ("id", "statement", "source", "themes", "actions", "outcomes", "reported_by"),
}
SOURCE_IDS = ("fx-cqc-alpha", "fx-alpha-news", "fx-beta-paper")
THEMES = ("leadership", "cultural-change", "governance", "improving-safety")
ROLES = ("chief-executive", "director-of-nursing")
ACTION_TYPES = ("visible-leadership", "staff-listening", "qi-programme")

#: Values that broke the tool before it was hardened, and their kin.
HOSTILE = (
    "\x1b[31m",
    "\x1b]8;;http://x\x07",
    "\ud800",
    "\x00",
    "\r",
    "nan",
    "1e999",
    "2999-01-01",
    "0000",
    "1_000",
    "\u0661\u0669\u0669\u0669",
    "https://example.org/%zz",
    "https://[::1",
    "javascript:alert(1)",
    "http://",
    "a#b#c",
    "x" * 3000,
    "",
    "~",
    "yes",
)

text = st.one_of(st.text(max_size=40), st.sampled_from(HOSTILE))
identifier = st.from_regex(r"[a-z][a-z0-9-]{0,12}", fullmatch=True)
date = st.one_of(
    st.dates(min_value=dt.date(1990, 1, 1)).map(lambda d: d.isoformat()),
    st.integers(1990, 2030).map(str),
    text,
)
scalar = st.one_of(text, date, identifier, st.integers(), st.floats(allow_nan=True), st.booleans(), st.none())


def _value(field: str) -> st.SearchStrategy[Any]:
    """A value for one field, mostly of the right kind, sometimes not."""
    right: dict[str, st.SearchStrategy[Any]] = {
        "id": identifier,
        "source": st.one_of(st.sampled_from(SOURCE_IDS), st.fixed_dictionaries({"id": st.sampled_from(SOURCE_IDS)})),
        "themes": st.lists(st.sampled_from(THEMES), max_size=3, unique=True),
        "roles": st.lists(st.sampled_from(ROLES), max_size=2, unique=True),
        "reported_by": st.sampled_from(ROLES),
        "type": st.sampled_from(ACTION_TYPES),
        "ratings": st.dictionaries(
            st.sampled_from(("overall", "safe", "well-led")), st.sampled_from(("good", "inadequate"))
        ),
        "before": st.fixed_dictionaries({"value": scalar, "year": date}),
        "after": st.fixed_dictionaries({"value": scalar, "year": date}),
        "sites": st.lists(st.fixed_dictionaries({"id": identifier, "name": text}), max_size=2),
        "other_names": st.lists(text, max_size=2),
        "cqc_page": st.one_of(st.just("https://example.org/fixture/cqc"), text),
        "ods": st.one_of(st.just("ZZ9"), text),
        "actions": st.lists(identifier, max_size=2),
        "outcomes": st.lists(identifier, max_size=2),
    }
    for name in ("start", "end", "published", "entered", "exited", "started"):
        right[name] = date
    return st.one_of(right.get(field, text), scalar, st.lists(scalar, max_size=2))


def _record(fields: tuple[str, ...]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({}, optional={field: _value(field) for field in fields})


fuzzed_case = st.fixed_dictionaries(
    {"trust": _record(TRUST_FIELDS)},
    optional={section: st.lists(_record(fields), max_size=3) for section, fields in RECORD_FIELDS.items()},
)
#: A case file as the format describes it, so that the fuzz also reaches the build, not only the refusals.
valid_case = st.fixed_dictionaries(
    {
        "trust": st.fixed_dictionaries(
            {
                "ods": st.just("ZZ9"),
                "name": st.text(st.characters(categories=("L", "N", "Zs")), min_size=1, max_size=30).filter(str.strip),
                "type": st.just("acute"),
                "source": st.sampled_from(SOURCE_IDS),
            },
            optional={"cqc_page": st.just("https://example.org/fixture/cqc"), "foundation_trust": st.booleans()},
        ),
        "inspections": st.lists(
            st.fixed_dictionaries(
                {"start": st.dates(dt.date(1990, 1, 1), dt.date(2020, 12, 31)).map(dt.date.isoformat)},
                optional={"ratings": _value("ratings").filter(lambda v: isinstance(v, dict))},
            ),
            max_size=3,
        ).map(lambda found: [{"id": f"i-{n}", **item, "source": SOURCE_IDS[0]} for n, item in enumerate(found)]),
    }
)
case_file = st.one_of(valid_case, fuzzed_case)


@dataclass(frozen=True)
class Mutation:
    """One change to a file's text, applied after it is written as YAML."""

    name: str
    apply: Callable[[str], str]


def _insert(at: float, piece: str) -> Callable[[str], str]:
    return lambda source: source[: int(len(source) * at)] + piece + source[int(len(source) * at) :]


mutation = st.one_of(
    st.builds(lambda at: Mutation("truncate", lambda s: s[: int(len(s) * at)]), st.floats(0, 1)),
    st.builds(
        lambda at, piece: Mutation("insert", _insert(at, piece)),
        st.floats(0, 1),
        st.sampled_from(
            [
                "&a [x, x]",
                "*a",
                "? [a, b]\n: 1\n",
                "[[[[[[",
                "\t",
                "\\",
                ":",
                "- ",
                "!!python/object:os.system\n",
                "%YAML 1.1\n",
            ]
        ),
    ),
    st.just(Mutation("none", lambda s: s)),
)


#: The FICTIONAL fixture case base each generated case file is added to.
FIXTURE_DIR = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "casebase"


@contextlib.contextmanager
def case_base(case: dict[str, Any], change: Mutation) -> Iterator[tuple[Path, Path]]:
    """A scratch copy of the fixture with one generated case file, changed by ``change``; and an output
    directory holding a graph built earlier. Yields (data directory, output directory)."""
    with tempfile.TemporaryDirectory() as scratch:
        data_dir, out_dir = Path(scratch) / "data", Path(scratch) / "build"
        shutil.copytree(FIXTURE_DIR, data_dir)
        out_dir.mkdir()
        (out_dir / "trustkg.nt").write_bytes(b"# a graph built earlier\n")
        text_ = yaml.safe_dump(case, allow_unicode=True, sort_keys=False)
        (data_dir / "cases" / "ZZ9.yaml").write_text(change.apply(text_), encoding="utf-8", errors="surrogatepass")
        yield data_dir, out_dir


#: What every problem line in the error output looks like: file[:line]: field: message.
PROBLEM_LINE = re.compile(r"^  \S.*?(:\d+)?: \S.*?: .+")


def check_refusal(err: str) -> None:
    """A refusal (the command's standard error) names every problem by file, line when known, and field."""
    lines = err.splitlines()
    assert lines[0].startswith("trustkg: "), err
    for line in lines[1:]:
        assert PROBLEM_LINE.match(line) or line.startswith("  ... and "), line


def check_problems(error: InputError, *, lines: bool = True) -> None:
    """The same, on the error the API raises: each problem has a file and a field, and (with ``lines``) a line
    unless it is about the whole file."""
    for problem in error.problems:
        assert problem.file and problem.field, problem
        assert not lines or problem.line is not None or problem.whole_input, problem


#: Coded-segment tables: a QualCoder export's columns and a Taguette export's, then cells from the same pools.
SEGMENT_HEADERS = (("File|Case", "Coder", "Coded", "Id", "Codename"), ("id", "document", "tag", "content"))
segment_table = st.tuples(
    st.sampled_from(SEGMENT_HEADERS),
    st.lists(st.lists(st.one_of(text, identifier), min_size=0, max_size=6), max_size=6),
)


def write_segments(path: Path, table: tuple[tuple[str, ...], list[list[str]]], change: Mutation) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(table[0])
    writer.writerows(table[1])
    path.write_text(change.apply(buffer.getvalue()), encoding="utf-8", errors="surrogatepass")


def snapshot(directory: Path) -> dict[str, bytes]:
    """Every file under ``directory`` and its bytes: compared before and after a refused build."""
    return {str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


def check_build(data_dir: Path, out_dir: Path) -> bool:
    """Build ``data_dir`` through the API and check the invariants; return whether it built.

    It builds, or raises a trustkg error naming file, line and field; nothing else escapes (a
    traceback); and a refusal leaves ``out_dir`` exactly as it was.
    """
    before = snapshot(out_dir)
    try:
        api.build_graph_from(data_dir, out_dir=out_dir)
    except TrustKGError as error:
        if isinstance(error, InputError):
            check_problems(error)
        assert snapshot(out_dir) == before, "a failed build changed the output directory"
        return False
    return True
