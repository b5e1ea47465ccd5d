"""The result document as bytes: what ``assess score --json`` prints, embedded in the PDF."""

from __future__ import annotations

from assess.model.result import Result
from assess.support.jsondoc import document_bytes


def result_document(result: Result) -> bytes:
    """The result JSON exactly as ``assess score --json`` prints it (UTF-8, final newline)."""
    return document_bytes(result)
