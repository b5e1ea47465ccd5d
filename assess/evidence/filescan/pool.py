"""The worker processes a file scan reads and parses in: chunks of the walk in, items out in
walk order.

At most two chunks per worker are in flight, so memory stays flat however large the tree. Each
worker keeps its own record cache for the whole scan, and reads with its own deadline: a worker
is never stuck in a read longer than the timeout, so neither is the pool.
"""

from __future__ import annotations

import collections
import os
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor

from assess.evidence.certs import RecordCache
from assess.evidence.filescan.deadline import ReadDeadline
from assess.evidence.filescan.items import Item
from assess.evidence.filescan.walk import FileEntry, scan_file
from assess.model.bundle import Observation

Chunk = list[FileEntry | Observation]
"""Consecutive results of the walk: files to scan, and the walk's own error observations."""

_worker: tuple[Sequence[bytes], RecordCache, ReadDeadline] | None = None
"""In a worker process: the scan's passwords, the worker's own record cache and deadline."""


def default_workers() -> int:
    """One worker process per core this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def chunked(entries: Iterable[FileEntry | Observation], size: int) -> Iterator[Chunk]:
    """``entries`` in chunks of ``size`` (the last one shorter)."""
    chunk: Chunk = []
    for entry in entries:
        chunk.append(entry)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def scan_chunk(
    chunk: Chunk, passwords: Sequence[bytes], cache: RecordCache, deadline: ReadDeadline
) -> list[Item]:
    """The items of a chunk of the walk, in order, each file read within ``deadline``."""
    items: list[Item] = []
    for entry in chunk:
        if isinstance(entry, FileEntry):
            items.extend(scan_file(entry, passwords, cache, deadline))
        else:
            items.append(entry)
    return items


def scan_in_workers(
    chunks: Iterable[Chunk], passwords: Sequence[bytes], workers: int, timeout: float
) -> Iterator[tuple[int, list[Item]]]:
    """For each chunk, in order: how many entries it held, and its items, scanned in
    ``workers`` processes, each read given ``timeout`` seconds."""
    in_flight: collections.deque[tuple[int, Future[list[Item]]]] = collections.deque()
    start = (passwords, timeout)
    with ProcessPoolExecutor(workers, initializer=_start_worker, initargs=start) as pool:
        for chunk in chunks:
            if len(in_flight) >= 2 * workers:
                size, done = in_flight.popleft()
                yield size, done.result()
            in_flight.append((len(chunk), pool.submit(_scan_chunk_in_worker, chunk)))
        while in_flight:
            size, done = in_flight.popleft()
            yield size, done.result()


def _start_worker(passwords: Sequence[bytes], timeout: float) -> None:
    global _worker
    # Entered for the life of the worker, which reads in its main thread.
    _worker = (passwords, RecordCache(), ReadDeadline(timeout).__enter__())


def _scan_chunk_in_worker(chunk: Chunk) -> list[Item]:
    assert _worker is not None, "the pool's initializer sets the worker state"
    return scan_chunk(chunk, *_worker)
