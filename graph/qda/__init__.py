"""Qualitative-analysis exchange formats: REFI-QDA projects and codebooks, coded-segment tables.

This package parses and writes; it knows nothing of the graph. A loader in ``trustkg.loaders``
maps what it returns to evidence records. The whole API:

- ``read_project(path, *, offsets, base_path, limits) -> QdaProject`` (``.qdpx`` or ``.qde``)
- ``read_codebook(path, *, limits) -> tuple[Code, ...]`` (``.qdc``)
- ``read_coded_segments(path, *, tool, limits) -> tuple[CodedSegment, ...]`` (QualCoder, Taguette)
- ``write_codebook(entries, *, origin) -> bytes`` and ``codebook_guid(code_id) -> str``

Every reader raises ``trustkg.errors.InputError`` listing all problems at once.
"""

from trustkg.qda.codebook import codebook_guid, write_codebook
from trustkg.qda.model import (
    Case,
    Code,
    CodebookEntry,
    CodedSegment,
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
)
from trustkg.qda.package import DEFAULT_LIMITS, Limits
from trustkg.qda.reader import normalise_guid, read_codebook, read_project
from trustkg.qda.segments import read_coded_segments

__all__ = [
    "DEFAULT_LIMITS",
    "Case",
    "Code",
    "CodebookEntry",
    "CodedSegment",
    "Coding",
    "Limits",
    "Link",
    "Note",
    "OffsetUnit",
    "OtherSource",
    "ProjectSet",
    "QdaProject",
    "Selection",
    "TextSource",
    "User",
    "Variable",
    "VariableValue",
    "codebook_guid",
    "normalise_guid",
    "read_codebook",
    "read_coded_segments",
    "read_project",
    "write_codebook",
]
