"""Helpers for the trustkg.qda tests: the shared real REFI-QDA files, and zips built from plain text.

Every project these helpers build is FICTIONAL: invented for trustkg's tests, about no real
trust, person or interview.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Mapping
from pathlib import Path

from tests.conftest import require

# The real exports live beside the checkout, not in it (their licences are their authors'):
# <parent>/shared/refi-qda/ next to <parent>/<checkout>/. TRUSTKG_SHARED_DIR points elsewhere.
SHARED_DIR = Path(os.environ.get("TRUSTKG_SHARED_DIR", Path(__file__).resolve().parents[2] / "shared"))
REFI_QDA_DIR = SHARED_DIR / "refi-qda"

PROJECT_NS = "urn:QDA-XML:project:1.0"
FICTIONAL = "FICTIONAL: invented for trustkg's tests; no real trust, person or interview."


def shared_file(name: str) -> Path:
    """A real file from ../shared/refi-qda/: skipped if absent here, a failure under TRUSTKG_REQUIRE_ALL."""
    path = REFI_QDA_DIR / name
    require(path.is_file(), f"the shared REFI-QDA file {path}")
    return path


def write_zip(path: Path, entries: Mapping[str, bytes | str]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


def project_xml(body: str, *, origin: str, name: str = "Fictional study", extra: str = "") -> str:
    """A project element around ``body``, its Description saying the data is invented."""
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<Project xmlns="{PROJECT_NS}" name="{name}" origin="{origin}"{extra}>\n'
        f"{body}\n"
        f"<Description>{FICTIONAL}</Description>\n"
        "</Project>\n"
    )
