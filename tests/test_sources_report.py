"""The generated source list: what it says about each source, hostile text kept inert, and --check."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import FIXTURE_DIR

from trustkg.loaders.casefiles import load_case_files
from trustkg.sources_report import main, markdown_text, sources_markdown


def test_each_fixture_source_with_what_each_trust_takes_from_it() -> None:
    text = sources_markdown(load_case_files(FIXTURE_DIR))
    # Worked out by hand from tests/fixtures/casebase: fx-beta-paper is cited by ZZ2 and ZZ3, so it is
    # listed among the shared sources; fx-alpha-news only by ZZ1.
    assert "3 sources: 0 studies and 3 other documents." in text
    shared, alpha = text.index("## Sources cited by several trusts"), text.index("## Fixture Alpha")
    assert shared < text.index("**fx-beta-paper**") < alpha
    assert "## Studies" not in text
    assert "  - ZZ1: action a-walkabouts, action a-listening, action a-qi, measure a-engagement, " in text
    assert "evidence a-e2, evidence a-e3" in text
    assert "  - ZZ3: identity, inspection c-2015, inspection c-2017, action c-values" in text
    assert "inspection a-2016 (p. 2)" in text
    assert "[Fixture newspaper story on Beta](<https://example.org/fixture/news/beta>)" in text


def test_input_text_cannot_become_markup() -> None:
    hostile = "<script>alert(1)</script> [click](https://evil.example) *bold* `code` | a & b"
    escaped = markdown_text(hostile)
    assert escaped == (r"\<script\>alert(1)\</script\> \[click\](https://evil.example) \*bold\* \`code\` \| a \& b")


def test_hostile_title_in_a_case_base(case_dir: Path) -> None:
    sources = case_dir / "sources.yaml"
    text = sources.read_text(encoding="utf-8").replace(
        "title: Fixture Alpha news item", 'title: "<img src=x onerror=alert(1)> [x](javascript:alert(1))"'
    )
    sources.write_text(text, encoding="utf-8")
    report = sources_markdown(load_case_files(case_dir))
    assert not re.search(r"(?<!\\)<img|(?<!\\)\]\(javascript", report)
    assert r"\<img src=x onerror=alert(1)\> \[x\](javascript:alert(1))" in report


def test_check_fails_when_stale_and_writes_nothing(case_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "SOURCES.md"
    assert main(["--data", str(case_dir), "--out", str(out), "--check"]) == 1
    assert not out.exists()
    assert main(["--data", str(case_dir), "--out", str(out)]) == 0
    assert main(["--data", str(case_dir), "--out", str(out), "--check"]) == 0
    out.write_text(out.read_text(encoding="utf-8") + "edited by hand\n", encoding="utf-8")
    assert main(["--data", str(case_dir), "--out", str(out), "--check"]) == 1


def test_bad_input_is_reported_and_nothing_written(case_dir: Path, tmp_path: Path) -> None:
    (case_dir / "codebook.yaml").unlink()
    out = tmp_path / "SOURCES.md"
    assert main(["--data", str(case_dir), "--out", str(out)]) == 2
    assert not out.exists()
