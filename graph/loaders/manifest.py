"""Which inputs a data directory is made of: its manifest, or its case files when it has none.

A manifest, ``trustkg.yaml`` at the top of the data directory, lists the inputs
merged into one evidence base, each with its format; paths are relative to the
manifest's directory::

    inputs:
      - path: .
        format: case-files
      - path: ../more-cases
        format: case-files
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from trustkg.errors import InputError
from trustkg.loaders.checks import ProblemLog
from trustkg.loaders.yamlnodes import Fields, compose_file

MANIFEST_FILE = "trustkg.yaml"


@dataclass(frozen=True)
class Input:
    """One input to a build: a path and the format its loader reads."""

    path: Path
    format: str


def inputs_of(data_dir: Path, default_format: str, known_formats: Collection[str]) -> list[Input]:
    """The inputs a data directory declares in its manifest; without one, the directory itself."""
    manifest = data_dir / MANIFEST_FILE
    if not manifest.exists():
        return [Input(data_dir, default_format)]
    log = ProblemLog()
    node = compose_file(manifest, str(manifest), log)
    inputs: list[Input] = []
    if node is not None:
        root = Fields(node, str(manifest), "", log)
        root.allow_only(("inputs",))
        for entry in root.records("inputs"):
            entry.allow_only(("path", "format"))
            path = entry.text("path", required=True)
            input_format = entry.choice("format", known_formats, "input format", required=True)
            if path is not None and input_format is not None:
                inputs.append(Input(data_dir / path, input_format))
        if not inputs and not log.problems:
            log.add(str(manifest), root.line, "inputs", "lists no inputs")
    if log.problems:
        raise InputError(log.problems)
    return inputs
