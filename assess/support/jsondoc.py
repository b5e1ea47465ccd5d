"""JSON documents: the one way the tool writes them and the one way it reads them.

Every document the tool writes (result, manifest, compare, trend) is the model's JSON with a
two-space indent and a final newline, UTF-8: the report id and the signatures hash these bytes,
so there is exactly one function that makes them. Every JSON file the tool reads (result
documents, evidence bundles, third-party scanner output) goes through :func:`parse_json`, which
says what is wrong with the file's name and line, and refuses what JSON does not allow
(``NaN``, ``Infinity``) although Python's reader takes it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from assess.support.errors import InputError, Problem
from assess.support.files import read_bytes


def document_bytes(document: BaseModel) -> bytes:
    """A document's JSON exactly as the tool writes it (UTF-8, two-space indent, final newline)."""
    return (document.model_dump_json(indent=2) + "\n").encode("utf-8")


class _NotANumber(ValueError):
    """NaN or Infinity: Python's JSON reader takes them, JSON does not."""


def _refuse_constant(name: str) -> float:
    raise _NotANumber(name)


def parse_json(
    raw: bytes,
    path: Path,
    *,
    hint: str | None = None,
    error: type[InputError] = InputError,
) -> Any:
    """The JSON value in ``raw`` (the bytes of ``path``).

    An empty file, bytes that are not UTF-8, invalid JSON and the constants JSON does not allow
    are an ``error`` (:class:`InputError` or a subclass) naming ``path`` and the line.
    """
    if not raw.strip():
        raise error(Problem("the file is empty", file=path), hint=hint)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as failure:
        line = raw[: failure.start].count(b"\n") + 1
        raise error(
            Problem(f"not UTF-8 text (byte {failure.start})", file=path, line=line), hint=hint
        ) from None
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as failure:
        raise error(
            Problem(f"invalid JSON: {failure.msg}", file=path, line=failure.lineno), hint=hint
        ) from None
    except _NotANumber as failure:
        line = text[: text.find(str(failure))].count("\n") + 1
        raise error(
            Problem(f"invalid JSON: {failure} is not a number JSON allows", file=path, line=line),
            hint=hint,
        ) from None


def read_json(path: Path, *, hint: str | None = None) -> Any:
    """The JSON value in the file ``path``; see :func:`parse_json` for the errors."""
    return parse_json(read_bytes(path), path, hint=hint)
