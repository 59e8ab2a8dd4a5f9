"""The synthetic case-base generator: fictional, repeatable, and loadable by the real loader."""

from __future__ import annotations

from pathlib import Path

from bench.synthetic import ods_code, write_case_base
from trustkg import api
from trustkg.loaders.casefiles import load_case_files


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*.yaml"))}


def test_same_seed_same_files_and_the_loader_accepts_them(tmp_path: Path) -> None:
    first = write_case_base(tmp_path / "one", trusts=3, seed=7)
    assert _files(first) == _files(write_case_base(tmp_path / "two", trusts=3, seed=7))
    assert _files(first) != _files(write_case_base(tmp_path / "three", trusts=3, seed=8))
    base = load_case_files(first)
    assert [case.trust.ods for case in base.cases] == ["001", "002", "003"]
    assert [(len(c.actions), len(c.outcomes), len(c.evidence)) for c in base.cases] == [(12, 6, 28)] * 3
    assert all(path.read_text().startswith("# FICTIONAL") for path in first.rglob("*.yaml"))


def test_ods_codes_fit_the_shape_and_a_validated_build_accepts_the_base(tmp_path: Path) -> None:
    # Worked by hand: a leading digit, then two base-36 characters.
    assert [ods_code(n) for n in (1, 35, 36, 1295, 1296)] == ["001", "00Z", "010", "0ZZ", "100"]
    built = api.build_graph_from(write_case_base(tmp_path, trusts=3), validate=True)
    assert built.validation is not None and built.validation.conforms
