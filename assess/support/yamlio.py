"""YAML in and out: strict parsing with line numbers, validation into models, round-trip writes.

ruamel.yaml's round-trip mode keeps comments and key order, so a file a person edited by hand
survives the tool rewriting it, and it records the line of every key for error messages.
"""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.composer import MaxDepthExceededError
from ruamel.yaml.constructor import ConstructorError, RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.scanner import RoundTripScanner

from assess.support.errors import InputError, Problem
from assess.support.files import atomic_write, read_text
from assess.support.limits import INPUT, MAX_YAML_NESTING, SizeLimit

ModelT = TypeVar("ModelT", bound=BaseModel)


_SURROGATE = re.compile("[\ud800-\udfff]")
"""Half of a UTF-16 pair: a ``\\udcff`` escape makes one, and no UTF-8 output can hold it."""


class _Constructor(RoundTripConstructor):
    """Round-trip construction where an impossible date (``2026-13-45``, or a time whose UTC
    equivalent is beyond year 9999), an integer of more digits than Python converts and text
    escaping half a UTF-16 pair (``"\\udcff"``) are a YAML error at their line, not a crash
    (the last one when the report is written)."""

    def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
        try:
            return super().construct_yaml_timestamp(node, values)
        except (ValueError, OverflowError) as error:
            raise ConstructorError(
                problem=f"'{node.value}' is not a valid date ({error})",
                problem_mark=node.start_mark,
            ) from None

    def construct_scalar(self, node: Any) -> Any:
        if isinstance(node, ScalarNode) and (found := _SURROGATE.search(str(node.value))):
            raise ConstructorError(
                problem=f"\\u{ord(found.group(0)):04x} is half of a UTF-16 pair, not a "
                "character: write the character itself",
                problem_mark=node.start_mark,
            )
        return super().construct_scalar(node)

    def construct_yaml_int(self, node: Any) -> Any:
        try:
            return super().construct_yaml_int(node)
        except ValueError:
            digits = sum(character.isdigit() for character in str(node.value))
            raise ConstructorError(
                problem=f"an integer of {digits:,} digits is out of range (at most "
                f"{sys.get_int_max_str_digits():,} digits are read)",
                problem_mark=node.start_mark,
            ) from None


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_timestamp)
_Constructor.add_constructor("tag:yaml.org,2002:int", _Constructor.construct_yaml_int)


class _Scanner(RoundTripScanner):
    """Round-trip scanning that stops at the first ``[`` or ``{`` nested more than
    :data:`MAX_YAML_NESTING` deep: the scanner looks ahead over a whole flow collection, in time
    that grows with the square of its depth, before the composer could count the levels."""

    def fetch_flow_collection_start(self, TokenClass: Any, to_push: str) -> None:
        if len(self.flow_context) >= MAX_YAML_NESTING:
            raise MaxDepthExceededError(
                None, None, "flow collections nested too deep", self.reader.get_mark()
            )
        super().fetch_flow_collection_start(TokenClass, to_push)


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.Constructor = _Constructor
    yaml.Scanner = _Scanner
    yaml.allow_duplicate_keys = False
    yaml.max_depth = MAX_YAML_NESTING
    yaml.width = 100
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def parse_yaml(path: Path, *, limit: SizeLimit = INPUT) -> CommentedMap:
    """The top-level mapping of a YAML file of at most ``limit``, with line information kept.

    Nesting deeper than :data:`MAX_YAML_NESTING` is an error at its line.
    """
    text = read_text(path, limit=limit)
    if not text.strip():
        raise InputError(Problem("the file is empty", file=path))
    try:
        data = _yaml().load(text)
    except MaxDepthExceededError as error:
        line = error.problem_mark.line + 1 if error.problem_mark is not None else None
        raise InputError(
            Problem(
                f"nested more than {MAX_YAML_NESTING} levels deep (mappings or lists inside "
                "each other): not read",
                file=path,
                line=line,
            )
        ) from None
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        what = error.problem or error.context or "invalid YAML"
        raise InputError(Problem(f"invalid YAML: {what}", file=path, line=line)) from None
    except YAMLError as error:
        raise InputError(Problem(f"invalid YAML: {error}", file=path)) from None
    if not isinstance(data, CommentedMap):
        raise InputError(
            Problem("expected a mapping (key: value lines) at the top level", file=path, line=1)
        )
    return data


def line_of(data: Any, loc: Sequence[int | str]) -> int | None:
    """The 1-based line of the deepest part of ``loc`` present in ``data``."""
    line = None
    node = data
    for key in loc:
        if isinstance(node, CommentedMap):
            if line is None:
                line = int(node.lc.line) + 1
            if key in node:
                line = int(node.lc.key(key)[0]) + 1
                node = node[key]
                continue
            return line
        if isinstance(node, CommentedSeq) and isinstance(key, int) and 0 <= key < len(node):
            line = int(node.lc.item(key)[0]) + 1
            node = node[key]
            continue
        break
    return line


def field_path(loc: Sequence[int | str]) -> str:
    """``('dimensions', 2, 'practices', 0, 'level')`` → ``dimensions[2].practices[0].level``."""
    text = ""
    for key in loc:
        if isinstance(key, int):
            text += f"[{key}]"
        elif key == "[key]":
            text += " (key)"
        else:
            text += f".{key}" if text else str(key)
    return text


_PLAIN_MESSAGES = {
    "extra_forbidden": "unknown field (check the spelling)",
    "model_type": "expected a mapping (key: value lines, or {key: value})",
    "model_attributes_type": "expected a mapping (key: value lines, or {key: value})",
    "dict_type": "expected a mapping (key: value lines, or {key: value})",
    "tuple_type": "expected a list ([a, b], or one '- item' line each)",
    "list_type": "expected a list ([a, b], or one '- item' line each)",
}
"""Pydantic's messages that name Python types, said in YAML's words."""


def validation_problems(error: ValidationError, data: Any, path: Path) -> list[Problem]:
    """One Problem per pydantic error, with line and field path."""
    problems = []
    errors = error.errors()
    failing = [tuple(item["loc"]) for item in errors]
    for item in errors:
        loc = tuple(item["loc"])
        if item["type"] == "too_short" and any(
            len(other) > len(loc) and other[: len(loc)] == loc for other in failing
        ):
            continue  # a list emptied by its own failing items: those items are the problem
        message = _PLAIN_MESSAGES.get(item["type"]) or item["msg"].removeprefix("Value error, ")
        problems.append(
            Problem(message, file=path, line=line_of(data, loc), field=field_path(loc) or None)
        )
    return problems


def load_model(
    model: type[ModelT], path: Path, *, limit: SizeLimit = INPUT
) -> tuple[ModelT, CommentedMap]:
    """Parse and validate a YAML file of at most ``limit`` into ``model``; every problem is
    reported at once."""
    data = parse_yaml(path, limit=limit)
    try:
        return model.model_validate(data), data
    except ValidationError as error:
        raise InputError(validation_problems(error, data, path)) from None


def dump_yaml(data: Any) -> str:
    """YAML text for ``data`` (a round-trip structure keeps its comments)."""
    stream = io.StringIO()
    _yaml().dump(data, stream)
    return stream.getvalue()


def write_yaml(path: Path, data: Any) -> None:
    """Write YAML atomically."""
    atomic_write(path, dump_yaml(data))
