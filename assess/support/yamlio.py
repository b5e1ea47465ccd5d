"""YAML in and out: strict parsing with line numbers, validation into models, round-trip writes.

ruamel.yaml's round-trip mode keeps comments and key order, so a file a person edited by hand
survives the tool rewriting it, and it records the line of every key for error messages. It is
pure Python: the bundled questionnaire takes it a quarter of a second. A file that is only read
(:func:`parse_yaml`) is therefore read first by libyaml's C parser (PyYAML), turned into plain
values by the rules below, and parsed again by the round-trip parser only when something is
wrong with it or a line number is asked for (:func:`line_of`): the values, the limits and every
message are those of the round-trip parser (docs/performance.md, "Reading YAML").
"""

from __future__ import annotations

import datetime
import io
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

import yaml as pyyaml
from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.composer import MaxDepthExceededError
from ruamel.yaml.constructor import ConstructorError, RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.scanner import RoundTripScanner

from assess.support.errors import InputError, Problem
from assess.support.files import atomic_write, read_text
from assess.support.limits import INPUT, MAX_YAML_NESTING, SizeLimit

_HAS_LIBYAML: bool = pyyaml.__with_libyaml__
"""Whether PyYAML was built with libyaml; without it every file takes the round-trip parser."""

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


class Document(dict[str, Any]):
    """The top-level mapping of a YAML file read by the C parser, as plain values (``dict``,
    ``list``, ``str``, ``int``, ``float``, ``bool``, ``None``, ``datetime.date``); the
    round-trip parse that knows where each part is comes on demand (:meth:`located`).

    Read only: the values are shared with whatever was validated from them.
    """

    def __init__(self, values: dict[str, Any], text: str) -> None:
        super().__init__(values)
        self._text = text
        self._located: CommentedMap | None = None

    def located(self) -> CommentedMap | None:
        """The same document parsed by the round-trip parser, with the line of every part
        (``None`` if that parser refuses it, which the tests show it never does)."""
        if self._located is None:
            try:
                found = _yaml().load(self._text)
            except YAMLError:
                return None
            self._located = found if isinstance(found, CommentedMap) else None
        return self._located


def parse_yaml(path: Path, *, limit: SizeLimit = INPUT) -> dict[str, Any]:
    """The top-level mapping of a YAML file of at most ``limit``, to be read, not rewritten.

    A :class:`Document` when the C parser can read it the way the round-trip parser would,
    else (anything unusual, and every error) what :func:`parse_editable` returns or raises.
    """
    text = read_text(path, limit=limit)
    if not text.strip():
        raise InputError(Problem("the file is empty", file=path))
    document = plain_document(text)
    return document if document is not None else _round_trip(text, path)


def plain_document(text: str) -> Document | None:
    """YAML ``text`` as :func:`parse_yaml` reads it when the C parser can, else ``None``."""
    values = _plain_values(text)
    return None if values is None else Document(values, text)


def parse_editable(path: Path, *, limit: SizeLimit = INPUT) -> CommentedMap:
    """The top-level mapping of a YAML file of at most ``limit``, as the round-trip parser
    reads it: comments, order and line information kept, for rewriting it.

    Nesting deeper than :data:`MAX_YAML_NESTING` is an error at its line.
    """
    text = read_text(path, limit=limit)
    if not text.strip():
        raise InputError(Problem("the file is empty", file=path))
    return _round_trip(text, path)


def _round_trip(text: str, path: Path) -> CommentedMap:
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
    except TypeError as error:
        if "unhashable" not in str(error):
            raise
        # ruamel.yaml 0.19 builds some keys it cannot hash (`? : {}`, a mapping as a key).
        raise InputError(
            Problem("invalid YAML: a key that is a mapping or a list cannot be read", file=path)
        ) from None
    if not isinstance(data, CommentedMap):
        raise InputError(
            Problem("expected a mapping (key: value lines) at the top level", file=path, line=1)
        )
    return data


# --- the C parser's reading ---------------------------------------------------------------------
#
# libyaml (through PyYAML's CBaseLoader) only parses: it hands over events, and the values are
# made here. A plain scalar's type is decided by ruamel.yaml's own YAML 1.2 resolver, the one the
# round-trip parser uses, so ``yes``, ``on``, ``012`` or ``1:30`` mean what they mean there.
# Whatever this reading does not make exactly as the round-trip parser would, it does not make:
# it gives up (``None``) and the round-trip parser reads the file, with its limits and messages.
# It gives up on any tab and any ``|`` or ``>`` followed by ``#`` (ruamel.yaml refuses some that
# libyaml reads), any parse error, a %YAML or %TAG directive, a tag, an anchor or alias (so no
# billion laughs), more than one document, a top level that is not a mapping, nesting as deep
# as MAX_YAML_NESTING, a key that is not a scalar or repeats, and every scalar type but null,
# bool, a plain decimal integer or float, a date and text; and on text holding half a UTF-16
# pair. The round-trip parser keeps formatting on some values (``ScalarFloat``, block strings
# as ``LiteralScalarString``); here they are the plain ``float`` and ``str`` they are equal to,
# and that pydantic makes of them anyway. tests/test_yamlio.py compares the two readers.

_RESOLVER = VersionedResolver(version=(1, 2))
_TYPED_FIRST = frozenset(
    key for key in _RESOLVER.versioned_resolver if isinstance(key, str) and key
)
"""First characters of a plain scalar that may be something other than text (YAML 1.2)."""
_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_STR = "tag:yaml.org,2002:str"
_DECIMAL = re.compile(r"-?(?:0|[1-9][0-9]{0,999})")
_DECIMAL_FLOAT = re.compile(r"-?(?:0|[1-9][0-9]{0,99})\.[0-9]{1,100}")
_BLOCK_HEADER_COMMENT = re.compile(r"[|>][-+0-9]*#")
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


class _GiveUp(Exception):
    """This reading cannot promise the round-trip parser's values."""


def _plain_values(text: str) -> dict[str, Any] | None:
    """``text``'s top-level mapping read by the C parser, or ``None`` to use the round-trip
    parser."""
    if not _HAS_LIBYAML or "\t" in text or _BLOCK_HEADER_COMMENT.search(text):
        return None  # ruamel.yaml refuses some tabs, and `|#`, that libyaml reads
    parser = pyyaml.CBaseLoader(text)  # libyaml's parser; only its events are used
    try:
        return _build(parser)
    except (_GiveUp, pyyaml.YAMLError, ValueError, OverflowError, RecursionError):
        return None
    finally:
        parser.dispose()


def _build(parser: pyyaml.CBaseLoader) -> dict[str, Any]:
    """The values of the events of ``parser``, built without recursion."""
    events = pyyaml.events
    event = parser.get_event()
    if not isinstance(event, events.StreamStartEvent):
        raise _GiveUp
    event = parser.get_event()
    if not isinstance(event, events.DocumentStartEvent) or event.version or event.tags:
        raise _GiveUp
    stack: list[Any] = []  # the open mappings and lists, innermost last
    keys: list[Any] = []  # per open mapping: its pending key, or _NO_KEY
    top: Any = None
    while True:
        event = parser.get_event()
        if isinstance(event, events.ScalarEvent):
            if event.anchor is not None or event.tag is not None:
                raise _GiveUp
            value: Any = _scalar(event.value, is_plain=not event.style)
        elif isinstance(event, events.MappingStartEvent | events.SequenceStartEvent):
            if event.anchor is not None or event.tag is not None:
                raise _GiveUp
            if len(stack) >= MAX_YAML_NESTING - 1:
                raise _GiveUp
            if stack and isinstance(stack[-1], dict) and keys[-1] is _NO_KEY:
                raise _GiveUp  # a mapping or list as a key
            opened: Any = {} if isinstance(event, events.MappingStartEvent) else []
            stack.append(opened)
            keys.append(_NO_KEY)
            continue
        elif isinstance(event, events.MappingEndEvent | events.SequenceEndEvent):
            value = stack.pop()
            keys.pop()
            if not stack:
                top = value
                break
        else:  # an alias, or the document ending without a collection
            raise _GiveUp
        if not stack:
            raise _GiveUp  # a scalar alone at the top
        container = stack[-1]
        if isinstance(container, list):
            container.append(value)
        elif keys[-1] is _NO_KEY:
            if value in container or isinstance(value, float):
                raise _GiveUp  # a repeated key (the round-trip parser says where)
            keys[-1] = value
        else:
            container[keys[-1]] = value
            keys[-1] = _NO_KEY
    if not isinstance(top, dict):
        raise _GiveUp
    if not isinstance(parser.get_event(), events.DocumentEndEvent):
        raise _GiveUp
    if not isinstance(parser.get_event(), events.StreamEndEvent):
        raise _GiveUp  # a second document
    return top


_NO_KEY = object()
"""An open mapping waiting for its next key."""


def _scalar(value: str, *, is_plain: bool) -> Any:
    """A scalar's value as the round-trip parser makes it, or _GiveUp."""
    if _SURROGATE.search(value):
        raise _GiveUp
    if not is_plain or (value and value[0] not in _TYPED_FIRST):
        return value
    tag = _RESOLVER.resolve(ScalarNode, value, (True, False))
    if tag == _STR:
        return value
    if tag == _NULL:
        return None
    if tag == _BOOL:
        return value in ("true", "True", "TRUE")
    if tag == _INT and _DECIMAL.fullmatch(value):
        return int(value)
    if tag == _FLOAT and _DECIMAL_FLOAT.fullmatch(value):
        return float(value)
    if tag == _TIMESTAMP and (date := _DATE.fullmatch(value)):
        return datetime.date(int(date[1]), int(date[2]), int(date[3]))
    raise _GiveUp


def line_of(data: Any, loc: Sequence[int | str]) -> int | None:
    """The 1-based line of the deepest part of ``loc`` present in ``data`` (a round-trip
    mapping, or a :class:`Document`)."""
    if isinstance(data, Document):
        data = data.located()
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
) -> tuple[ModelT, dict[str, Any]]:
    """Parse (:func:`parse_yaml`) and validate a YAML file of at most ``limit`` into ``model``;
    every problem is reported at once."""
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


def write_yaml(path: Path, data: Any) -> str:
    """Write YAML atomically; the text written."""
    text = dump_yaml(data)
    atomic_write(path, text)
    return text
