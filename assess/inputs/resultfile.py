"""Reading a result document (``assess score --json``) back from a file, with clear errors.

Fields added by later versions of the tool are ignored, as the ``cmmm-result/1`` contract
allows; a missing or malformed field is an input error naming the file and the field.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from assess.model.result import RESULT_SCHEMA, Result
from assess.support.errors import InputError, Problem
from assess.support.files import read_bytes
from assess.support.jsondoc import parse_json
from assess.support.yamlio import validation_problems

HINT = "a result document is what `assess score DIR --json` prints"


def read_result(path: Path) -> Result:
    """The result document in ``path``."""
    raw = read_bytes(path)
    if raw.startswith(b"%PDF-"):
        raise InputError(
            Problem("a PDF, not a result document", file=path),
            hint="a report PDF carries its result as the attachment result.json "
            "(pdfdetach -saveall REPORT.pdf), or run assess score DIR --json",
        )
    data = parse_json(raw, path, hint=HINT)
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
