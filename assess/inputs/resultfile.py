"""Reading a result document (``assess score --json``) back from a file, with clear errors.

Fields added by later versions of the tool are ignored, as the ``cmmm-result/1`` contract
allows; a missing or malformed field is an input error naming the file and the field, and so is
a number outside the scale the method gives it (a score of 1e308 would be drawn off the chart).
"""

from __future__ import annotations

import math
from pathlib import Path

from pydantic import ValidationError

from assess.model.levels import MAX_LEVEL, MIN_PRACTICE_LEVEL
from assess.model.result import RESULT_SCHEMA, Result
from assess.support.errors import InputError, Problem
from assess.support.files import read_bytes
from assess.support.jsondoc import parse_json
from assess.support.limits import RESULT
from assess.support.yamlio import validation_problems

HINT = "a result document is what `assess score DIR --json` prints"


def read_result(path: Path) -> Result:
    """The result document in ``path``."""
    raw = read_bytes(path, limit=RESULT)
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
        result = Result.model_validate(data, extra="ignore")
    except ValidationError as error:
        raise InputError(validation_problems(error, data, path), hint=HINT) from None
    problems = [
        Problem(f"{value!r} is out of range: {what}", file=path, field=field)
        for field, value, what in _out_of_range(result)
    ]
    if problems:
        raise InputError(problems, hint=HINT)
    return result


_SCORE = (1, MAX_LEVEL, f"a score is from 1 to {MAX_LEVEL}")
_LEVEL = (1, MAX_LEVEL, f"a level is from 1 to {MAX_LEVEL}")
_PRACTICE_LEVEL = (
    MIN_PRACTICE_LEVEL,
    MAX_LEVEL,
    f"a practice's level is from {MIN_PRACTICE_LEVEL} to {MAX_LEVEL}",
)
_GAP = (0, MAX_LEVEL - 1, f"a gap is from 0 to {MAX_LEVEL - 1}")
_SHARE = (0, 1, "a completion, coverage or value is from 0 to 1")
_TOLERANCE = 1e-9
"""Scores are computed exactly, then written as floats: this much beyond a bound is rounding."""


def _out_of_range(result: Result) -> list[tuple[str, float, str]]:
    """``(field, value, range)`` of each number outside the scale the method gives it
    (methodology.md): scores and levels, shares, gaps, and weights (finite and above 0)."""
    checks: list[tuple[str, float | None, tuple[float, float, str]]] = [
        ("overall.score", result.overall.score, _SCORE),
        ("overall.level", result.overall.level, _LEVEL),
        ("overall.target_score", result.overall.target_score, _SCORE),
    ]
    weights: list[tuple[str, float]] = []
    for index, dimension in enumerate(result.dimensions):
        at = f"dimensions[{index}]"
        weights.append((f"{at}.weight", dimension.weight))
        checks += [
            (f"{at}.level", dimension.level, _LEVEL),
            (f"{at}.completion", dimension.completion, _SHARE),
            (f"{at}.score", dimension.score, _SCORE),
            (f"{at}.coverage", dimension.coverage, _SHARE),
            (f"{at}.target", dimension.target, _LEVEL),
            (f"{at}.gap", dimension.gap, _GAP),
        ]
        for number, practice in enumerate(dimension.practices):
            weights.append((f"{at}.practices[{number}].weight", practice.weight))
            checks += [
                (f"{at}.practices[{number}].level", practice.level, _PRACTICE_LEVEL),
                (f"{at}.practices[{number}].value", practice.value, _SHARE),
            ]
    found = [
        (field, value, what)
        for field, value, (low, high, what) in checks
        if value is not None and not low - _TOLERANCE <= value <= high + _TOLERANCE
    ]
    found += [
        (field, weight, "a weight is a finite number above 0")
        for field, weight in weights
        if not (math.isfinite(weight) and weight > 0)
    ]
    return found
