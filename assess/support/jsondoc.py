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
import math
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from assess.support.errors import InputError, Problem
from assess.support.files import read_bytes
from assess.support.limits import INPUT, MAX_JSON_NESTING, SizeLimit
from assess.support.yamlio import field_path


def document_bytes(document: BaseModel) -> bytes:
    """A document's JSON exactly as the tool writes it (UTF-8, two-space indent, final newline)."""
    return (document.model_dump_json(indent=2) + "\n").encode("utf-8")


class _NotANumber(ValueError):
    """NaN or Infinity: Python's JSON reader takes them, JSON does not."""


def _refuse_constant(name: str) -> float:
    raise _NotANumber(name)


def _finite(text: str) -> float:
    """A JSON number with a fraction or exponent; one beyond a float's range (``1e999``) is
    refused, where Python's reader would make it infinity."""
    value = float(text)
    if math.isinf(value):
        raise _NotANumber(text)
    return value


@dataclass(frozen=True)
class _LongInteger:
    """Stands for an integer with more digits than Python converts, to find where it is."""

    digits: str


def _integer(text: str) -> int | _LongInteger:
    try:
        return int(text)
    except ValueError:
        return _LongInteger(text)


def parse_json(
    raw: bytes,
    path: Path,
    *,
    hint: str | None = None,
    error: type[InputError] = InputError,
) -> Any:
    """The JSON value in ``raw`` (the bytes of ``path``).

    An empty file, bytes that are not UTF-8, invalid JSON, the constants JSON does not allow, a
    number beyond a float's range, an integer of more digits than Python converts (4,300), text
    holding half a UTF-16 pair (``"\\udcff"``) and nesting deeper than Python's reader goes (see
    :data:`MAX_JSON_NESTING`) are an ``error`` (:class:`InputError` or a subclass) naming
    ``path`` and the line, and the field when known.
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
        value = json.loads(text, parse_constant=_refuse_constant, parse_float=_finite)
    except json.JSONDecodeError as failure:
        problem = Problem(f"invalid JSON: {failure.msg}", file=path, line=failure.lineno)
    except _NotANumber as failure:
        problem = Problem(
            f"invalid JSON: {failure} is not a number JSON allows",
            file=path,
            line=_line(text, str(failure)),
        )
    except RecursionError:
        problem = Problem(
            f"nested more than {MAX_JSON_NESTING} levels deep (lists or objects inside each "
            "other): not read",
            file=path,
            line=_line_of_depth(text, MAX_JSON_NESTING + 1),
        )
    except ValueError:  # an integer of more digits than Python converts
        problem = _long_integer(text, path)
    else:
        escapes = _SURROGATE_ESCAPE.search(text) is not None
        found = _lone_surrogate(value, text, path) if escapes else None
        if found is None:
            return value
        problem = found
    raise error(problem, hint=hint) from None


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
"""An escape of half a UTF-16 pair: JSON's reader joins a high and a low half into one
character and keeps a lone half, which no UTF-8 output can hold."""
_SURROGATE = re.compile("[\ud800-\udfff]")


def _lone_surrogate(value: Any, text: str, path: Path) -> Problem | None:
    """The problem of a document holding text with a lone half of a UTF-16 pair (looked for
    only when the document escapes one: pairs, as in an escaped emoji, are characters)."""
    stack: list[tuple[Any, tuple[int | str, ...]]] = [(value, ())]
    while stack:
        item, where = stack.pop()
        texts = [item] if isinstance(item, str) else list(item) if isinstance(item, dict) else []
        for found in filter(None, (_SURROGATE.search(t) for t in texts)):
            escape = f"\\u{ord(found.group(0)):04x}"
            return Problem(
                f"invalid JSON: {escape} is half of a UTF-16 pair, not a character",
                file=path,
                line=_line(text.lower(), escape),
                field=field_path(where) or None,
            )
        if isinstance(item, dict):
            stack.extend((v, (*where, k)) for k, v in reversed(item.items()))
        elif isinstance(item, list):
            stack.extend((v, (*where, i)) for i, v in reversed(list(enumerate(item))))
    return None


def _line(text: str, part: str) -> int | None:
    """The line where ``part`` first appears in ``text``."""
    index = text.find(part)
    return text[:index].count("\n") + 1 if index >= 0 else None


_STRING_OR_BRACKET = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def _line_of_depth(text: str, depth: int) -> int | None:
    """The line where ``text`` first nests ``depth`` levels deep (read only after the parser
    gave up, so its cost does not matter)."""
    level = 0
    for match in _STRING_OR_BRACKET.finditer(text):
        bracket = match.group(0)
        if bracket in "[{":
            level += 1
            if level >= depth:
                return text[: match.start()].count("\n") + 1
        elif bracket in "]}":
            level -= 1
    return None


def _long_integer(text: str, path: Path) -> Problem:
    """The problem of a document holding an integer Python does not convert, with its field."""
    data = json.loads(text, parse_int=_integer)
    found = _find_long(data, ())
    if found is None:  # pragma: no cover - json raised ValueError for nothing else
        return Problem("invalid JSON: a number out of range", file=path)
    loc, value = found
    return Problem(
        f"an integer of {len(value.digits.lstrip('-')):,} digits is out of range (at most "
        f"{sys.get_int_max_str_digits():,} digits are read)",
        file=path,
        line=_line(text, value.digits),
        field=field_path(loc) or None,
    )


def _find_long(
    value: Any, loc: tuple[int | str, ...]
) -> tuple[tuple[int | str, ...], _LongInteger] | None:
    """The place and value of the first over-long integer in a parsed document."""
    stack = [(value, loc)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, _LongInteger):
            return where, item
        if isinstance(item, dict):
            stack.extend((v, (*where, k)) for k, v in reversed(item.items()))
        elif isinstance(item, list):
            stack.extend((v, (*where, i)) for i, v in reversed(list(enumerate(item))))
    return None


def read_json(path: Path, *, hint: str | None = None, limit: SizeLimit = INPUT) -> Any:
    """The JSON value in the file ``path`` of at most ``limit``; see :func:`parse_json` for the
    errors."""
    return parse_json(read_bytes(path, limit=limit), path, hint=hint)
