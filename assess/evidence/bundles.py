"""Evidence bundle files: written as the evidence comes in, read back with clear errors.

Writing streams: each observation is serialised the moment the collector hands it over and then
dropped, so memory stays flat however many certificates a scan finds. The file appears
atomically when the collection ends.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, TypeVar

from pydantic import BaseModel, ValidationError

from assess.evidence.interface import Collector
from assess.model.bundle import (
    EvidenceBundle,
    KeyRecord,
    Observation,
    ObservationStatus,
)
from assess.support.errors import InputError, Problem
from assess.support.files import atomic_stream, open_input, read_bytes, read_within
from assess.support.jsondoc import parse_json
from assess.support.limits import BUNDLE
from assess.support.yamlio import validation_problems


@dataclass(frozen=True)
class WriteSummary:
    """What a written bundle holds, for the command's closing line."""

    observations: int
    errors: int
    certificates: int
    keys: int


def write_bundle(path: Path, collector: Collector) -> WriteSummary:
    """Run a collector and write its bundle to ``path`` atomically, streaming observations."""
    header = collector.header()
    head = header.model_dump(mode="json", by_alias=True, exclude={"observations", "keys"})
    counts = {"observations": 0, "errors": 0, "certificates": 0}
    keys: list[KeyRecord] = []
    with atomic_stream(path) as out:
        out.write("{\n")
        for name, value in head.items():
            out.write(f"  {json.dumps(name)}: {json.dumps(value, ensure_ascii=False)},\n")
        out.write('  "observations": [')

        def sink(item: Observation | KeyRecord) -> None:
            if isinstance(item, KeyRecord):
                keys.append(item)
                return
            out.write("\n    " if counts["observations"] == 0 else ",\n    ")
            out.write(item.model_dump_json(exclude_defaults=False))
            counts["observations"] += 1
            counts["errors"] += item.status is ObservationStatus.ERROR
            counts["certificates"] += len(item.certificates)

        collector.collect(sink)
        out.write("\n  ],\n" if counts["observations"] else "],\n")
        out.write('  "keys": [')
        out.write(",".join("\n    " + key.model_dump_json() for key in keys))
        out.write("\n  ]\n}\n" if keys else "]\n}\n")
    return WriteSummary(counts["observations"], counts["errors"], counts["certificates"], len(keys))


_MADE_BY = "an evidence bundle is written by assess scan or assess evidence import"


@dataclass(frozen=True)
class LoadedBundle:
    """A bundle read from disk with the fingerprint of the file as read."""

    path: Path
    bundle: EvidenceBundle
    sha256: str


def load_bundle(path: Path) -> LoadedBundle:
    """Read and validate a bundle whole; a malformed one is an InputError naming file and JSON
    path. For a bundle to go through one observation at a time, :func:`stream_bundle`."""
    raw = read_bytes(path, limit=BUNDLE)
    return LoadedBundle(path, _validated(raw, path), hashlib.sha256(raw).hexdigest())


def _validated(raw: bytes, path: Path) -> EvidenceBundle:
    data = parse_json(raw, path, hint=_MADE_BY)
    if not isinstance(data, dict):
        raise InputError(Problem("expected a JSON object (an evidence bundle)", file=path))
    try:
        return EvidenceBundle.model_validate(data)
    except ValidationError as error:
        raise InputError(validation_problems(error, data, path), hint=_MADE_BY) from None


class StreamedBundle:
    """A bundle being read: its header, then its observations and keys one at a time.

    ``header`` is the bundle without observations and keys; :attr:`items` gives them, each
    validated as it is read, observations first, in the file's order; :attr:`sha256` is the
    fingerprint of the file's bytes once :attr:`items` is exhausted. A malformed bundle is the
    same InputError as :func:`load_bundle` gives, raised from :func:`stream_bundle` or from
    :attr:`items` as far as the file is read: a reader that counted earlier items must drop
    what it counted.
    """

    def __init__(self, path: Path, header: EvidenceBundle, items: Iterator[Item]) -> None:
        self.path = path
        self.header = header
        self.items = items
        self._sha256: str | None = None

    @property
    def sha256(self) -> str:
        """The SHA-256 of the file as read (known once :attr:`items` is exhausted)."""
        if self._sha256 is None:
            raise RuntimeError(f"{self.path}: the bundle is not read to its end")
        return self._sha256


Item = Observation | KeyRecord
"""What a bundle holds, one at a time."""
M = TypeVar("M", bound=BaseModel)


class _Unstreamable(Exception):
    """The file is not laid out as :func:`write_bundle` writes, or is not valid: the reader of
    the whole file decides what it holds, and says what is wrong with it exactly as
    :func:`load_bundle` does."""


_OBSERVATIONS = (b'  "observations": [\n', b'  "observations": [],\n')
_KEYS = (b'  "keys": [\n', b'  "keys": []\n')
_CLOSE_OBSERVATIONS = b"  ],\n"
_CLOSE_KEYS = b"  ]\n"
_ITEM_INDENT = b"    {"


@contextmanager
def stream_bundle(path: Path) -> Iterator[StreamedBundle]:
    """Read the bundle at ``path`` one observation at a time, for memory that does not grow
    with the file.

    A bundle as :func:`write_bundle` writes it (one header field, observation or key a line)
    is read line by line: each line parsed and validated alone, the fingerprint taken over the
    same bytes, the size limit checked as the bytes come. Any other layout, and any problem at
    all, sends the reader to the whole file (from the same open file, from its start), read and
    validated as :func:`load_bundle` reads it: the same bundle, the same errors, the same
    fingerprint, at the memory of the whole file.
    """
    with open_input(path, limit=BUNDLE) as stream:
        digest = hashlib.sha256()
        size = [0]

        def line() -> bytes:
            text = stream.readline()
            size[0] += len(text)
            if size[0] > BUNDLE.max_bytes:
                raise _Unstreamable
            digest.update(text)
            return text

        try:
            header, opening = _header(line, path)
        except _Unstreamable:
            whole = _whole(stream, path)
            streamed = StreamedBundle(path, _head_of(whole.bundle), iter(()))
            streamed.items = _rest(streamed, whole, 0, 0)
            yield streamed
            return
        streamed = StreamedBundle(path, header, iter(()))
        streamed.items = _lines(streamed, stream, line, opening, digest)
        yield streamed


def _whole(stream: IO[bytes], path: Path) -> LoadedBundle:
    stream.seek(0)
    raw = read_within(stream, path, BUNDLE)
    return LoadedBundle(path, _validated(raw, path), hashlib.sha256(raw).hexdigest())


def _head_of(bundle: EvidenceBundle) -> EvidenceBundle:
    return bundle.model_copy(update={"observations": (), "keys": ()})


def _parsed(text: bytes, path: Path) -> Any:
    try:
        return parse_json(text, path)
    except InputError:
        raise _Unstreamable from None


def _header(line: Callable[[], bytes], path: Path) -> tuple[EvidenceBundle, bytes]:
    """The header fields up to the observations, validated, and the line that opens them."""
    if line() != b"{\n":
        raise _Unstreamable
    fields: dict[str, Any] = {}
    while (text := line()) not in _OBSERVATIONS:
        if not text.startswith(b'  "') or not text.endswith(b",\n"):
            raise _Unstreamable
        found = _parsed(b"{" + text[:-2] + b"}", path)
        if not isinstance(found, dict) or found.keys() & {"observations", "keys"}:
            raise _Unstreamable
        fields.update(found)
    try:
        return EvidenceBundle.model_validate(fields), text
    except ValidationError:
        raise _Unstreamable from None


def _items(
    line: Callable[[], bytes], path: Path, model: type[Observation] | type[KeyRecord], close: bytes
) -> Iterator[Item]:
    """One item a line until the line that closes the list."""
    more = True
    while (text := line()) != close:
        if not more or not text.startswith(_ITEM_INDENT):
            raise _Unstreamable
        more = text.endswith(b",\n")
        data = _parsed(text[: -2 if more else -1], path)
        if not isinstance(data, dict):
            raise _Unstreamable
        try:
            item = model.model_validate(data)
        except ValidationError:
            raise _Unstreamable from None
        if isinstance(item, Observation):
            for record in item.certificates:
                _share_fields_set(record)
        yield _share_fields_set(item)
    if more:
        raise _Unstreamable  # a comma before the closing bracket


_FIELDS_SETS: dict[frozenset[str], set[str]] = {}
"""One set of field names for every model read that gives the same fields."""


def _share_fields_set(model: M) -> M:
    """``model``, holding the one set of the names of the fields it was given that every model
    given the same fields holds. Pydantic keeps such a set in each instance: 2 KiB for a
    certificate as :func:`write_bundle` writes it (every field given), the largest part of what
    a leaf costs once folded (docs/performance.md). Sharing it is safe for these models: they
    are frozen (nothing adds to the set) and ``model_copy`` copies the set before it updates
    it."""
    given = model.__pydantic_fields_set__
    shared = _FIELDS_SETS.setdefault(frozenset(given), given)
    object.__setattr__(model, "__pydantic_fields_set__", shared)
    return model


def _lines(
    streamed: StreamedBundle,
    stream: IO[bytes],
    line: Callable[[], bytes],
    opening: bytes,
    digest: Any,
) -> Iterator[Item]:
    path = streamed.path
    counts = [0, 0]
    try:
        if opening == _OBSERVATIONS[0]:
            for item in _items(line, path, Observation, _CLOSE_OBSERVATIONS):
                counts[0] += 1
                yield item
        keys = line()
        if keys not in _KEYS:
            raise _Unstreamable
        if keys == _KEYS[0]:
            for item in _items(line, path, KeyRecord, _CLOSE_KEYS):
                counts[1] += 1
                yield item
        if line() != b"}\n":
            raise _Unstreamable
        while text := line():
            if text.strip(b" \t\r\n"):
                raise _Unstreamable
    except _Unstreamable:
        whole = _whole(stream, path)
        if _head_of(whole.bundle) != streamed.header:
            raise InputError(
                Problem("the bundle gives a header field twice, differently", file=path),
                hint=_MADE_BY,
            ) from None
        if any(counts) and (repeated := _repeated_list(stream, path)) is not None:
            # The items given came from the first list, the whole file's from the last.
            raise InputError(
                Problem(f"the bundle gives '{repeated}' twice", file=path), hint=_MADE_BY
            ) from None
        yield from _rest(streamed, whole, *counts)
        return
    streamed._sha256 = digest.hexdigest()


def _repeated_list(stream: IO[bytes], path: Path) -> str | None:
    """``observations`` or ``keys`` when the bundle's outermost object names it twice (JSON
    keeps the last; a reader that streamed the first cannot)."""
    stream.seek(0)
    outermost: list[list[tuple[str, Any]]] = []

    def keep(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        outermost[:] = [pairs]  # the outermost object is decoded last
        return dict(pairs)

    json.loads(read_within(stream, path, BUNDLE), object_pairs_hook=keep)
    names = [name for name, _ in outermost[0]] if outermost else []
    return next((name for name in ("observations", "keys") if names.count(name) > 1), None)


def _rest(
    streamed: StreamedBundle, whole: LoadedBundle, observations: int, keys: int
) -> Iterator[Item]:
    """The items of the whole bundle from the first one not yet given."""
    yield from whole.bundle.observations[observations:]
    yield from whole.bundle.keys[keys:]
    streamed._sha256 = whole.sha256
