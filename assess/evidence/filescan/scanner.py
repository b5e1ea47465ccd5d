"""`assess scan files`: the collector that reads certificates and private keys in files, folders
and Kubernetes secrets.

A file is read once and parsed by content:

- PEM anywhere in the file, garbage around it tolerated: certificates, PKCS#7, private keys;
- otherwise a DER certificate, DER PKCS#7 or PKCS#12 (passwords tried: none, empty, then each
  ``--password``);
- Kubernetes ``Secret`` objects (also inside a ``List``) in YAML, with their cert-manager
  annotations kept as automation markers;
- Java keystores (JKS, JCEKS), read without their password: certificates by alias
  (``path#alias``), and each private-key entry as an encrypted key.

A private key is recorded as location, type, whether it is encrypted, and the file mode: never
its content. A file that fails to parse is an ``error`` observation; files that are plainly not
certificate files (no PEM marker, no DER structure, no certificate file name) are skipped when
met inside a folder. Only regular files are opened, pseudo-filesystems are not walked unless
named, and a file that does not answer a read within ``timeout`` seconds is an ``error``
observation (:mod:`~assess.evidence.filescan.walk`).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

from assess import __version__
from assess.evidence.certs import RecordCache
from assess.evidence.filescan.deadline import ReadDeadline
from assess.evidence.filescan.items import Item
from assess.evidence.filescan.pool import (
    Chunk,
    chunked,
    default_workers,
    scan_chunk,
    scan_in_workers,
)
from assess.evidence.filescan.walk import (
    DEFAULT_READ_TIMEOUT,
    FileEntry,
    pseudo_filesystems,
    walk,
)
from assess.evidence.interface import Collector, Sink, Ticker
from assess.model.bundle import BundleTool, EvidenceBundle, Observation


class FileScanner(Collector):
    """The certificate and key file scanner.

    Files are read and parsed in ``workers`` processes, ``chunk_size`` files (or errors of the
    walk) at a time, when the walk finds more than one chunk's worth. The items still reach the
    sink in walk order, the same as in a scan in one process; at most two chunks per worker are
    in flight, so memory stays flat. The walk (and its loop protection) stays in this process.
    """

    def __init__(
        self,
        paths: Sequence[Path],
        *,
        passwords: Sequence[str] = (),
        now: datetime | None = None,
        workers: int | None = None,
        chunk_size: int = 256,
        timeout: float = DEFAULT_READ_TIMEOUT,
        ticker: Ticker | None = None,
    ) -> None:
        self.paths = list(paths)
        self.passwords = [p.encode() for p in passwords]
        self.started = now or datetime.now(UTC)
        self.workers = default_workers() if workers is None else max(1, workers)
        self.chunk_size = max(1, chunk_size)
        self.timeout = timeout
        """Seconds a file may take to answer one read."""
        self.ticker = ticker
        """Told (places looked at, ``None``) after each chunk, then (all, all) at the end."""

    def header(self) -> EvidenceBundle:
        """Collector ``files``; scope is the paths given."""
        return EvidenceBundle(
            collector="files",
            collected_at=self.started,
            tool=BundleTool(name="cmmm-assess", version=__version__),
            scope=tuple(str(p) for p in self.paths),
        )

    def collect(self, sink: Sink) -> None:
        """Walk every path; items reach ``sink`` chunk by chunk, in walk order."""
        done = 0
        for size, items in self._scanned():
            for item in items:
                sink(item)
            done += size
            if self.ticker is not None:
                self.ticker(done, None)
        if self.ticker is not None:
            self.ticker(done, done)

    def _scanned(self) -> Iterator[tuple[int, list[Item]]]:
        """Each chunk's size and items, from worker processes when there is more than one
        chunk to share out, else in this process."""
        chunks = self._chunks()
        ahead = list(itertools.islice(chunks, 2))
        if self.workers > 1 and len(ahead) > 1:
            yield from scan_in_workers(
                itertools.chain(ahead, chunks), self.passwords, self.workers, self.timeout
            )
            return
        cache = RecordCache()  # one scan, one cache
        with ReadDeadline(self.timeout) as deadline:
            for chunk in itertools.chain(ahead, chunks):
                yield len(chunk), scan_chunk(chunk, self.passwords, cache, deadline)

    def _chunks(self) -> Iterator[Chunk]:
        """The walk's results, ``chunk_size`` to a chunk."""
        seen: set[tuple[int, int]] = set()
        pseudo = pseudo_filesystems()
        entries: Iterator[FileEntry | Observation] = itertools.chain.from_iterable(
            walk(root, seen, pseudo) for root in self.paths
        )
        return chunked(entries, self.chunk_size)
