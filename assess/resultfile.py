"""Reading a result document (``assess score --json``) back from a file, with clear errors.

Fields added by later versions of the tool are ignored, as the ``cmmm-result/1`` contract
allows; a missing or malformed field is an input error naming the file and the field.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from assess.errors import InputError, Problem
from assess.files import read_bytes, read_text
from assess.model.result import RESULT_SCHEMA, Result
from assess.yamlio import validation_problems

HINT = "a result document is what `assess score DIR --json` prints"


class _NotANumber(ValueError):
    """NaN or Infinity: Python's JSON reader takes them, JSON does not."""


def _refuse_constant(name: str) -> float:
    raise _NotANumber(name)


def read_result(path: Path) -> Result:
    """The result document in ``path``."""
    if read_bytes(path).startswith(b"%PDF-"):
        raise InputError(
            Problem("a PDF, not a result document", file=path),
            hint="a report PDF carries its result as the attachment result.json "
            "(pdfdetach -saveall REPORT.pdf), or run assess score DIR --json",
        )
    text = read_text(path)
    if not text.strip():
        raise InputError(Problem("the file is empty", file=path), hint=HINT)
    try:
        data = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        raise InputError(
            Problem(f"invalid JSON: {error.msg}", file=path, line=error.lineno), hint=HINT
        ) from None
    except _NotANumber as error:
        line = text[: text.find(str(error))].count("\n") + 1
        raise InputError(
            Problem(f"invalid JSON: {error} is not a number JSON allows", file=path, line=line),
            hint=HINT,
        ) from None
    if not isinstance(data, dict):
        raise InputError(
            Problem("expected a JSON object (a result document)", file=path), hint=HINT
        )
    schema = data.get("schema")
    if schema != RESULT_SCHEMA:
        raise InputError(
            Problem(f"schema is {schema!r}, expected {RESULT_SCHEMA!r}", file=path, field="schema"),
            hint=HINT,
        )
    try:
        return Result.model_validate(data, extra="ignore")
    except ValidationError as error:
        raise InputError(validation_problems(error, data, path), hint=HINT) from None
