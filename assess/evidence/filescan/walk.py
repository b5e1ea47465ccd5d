"""The folder walk: the regular files under the paths given, each read once, and what is in them.

Folders are walked in name order; a folder or file reached twice (a symlink loop, a bind mount)
is read once, and sockets, pipes and devices are left alone. A file named on the command line
is always reported; one met in a folder only when it holds, or announces, certificate material.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from assess.evidence.certs import RecordCache
from assess.evidence.filescan.content import CERTIFICATE_SUFFIXES, is_candidate, scan_bytes
from assess.evidence.filescan.items import Item, file_error
from assess.model.bundle import Observation

MAX_FILE_BYTES = 64 * 1024 * 1024
"""Larger files are not read (no certificate store is that big; logs and images are)."""


@dataclass(frozen=True)
class FileEntry:
    """A regular file the walk found, to be read and scanned."""

    path: str
    st_mode: int
    """``os.stat``'s mode: the permission bits a key record carries."""
    st_size: int
    """``os.stat``'s size: too large a file is not read."""
    explicit: bool
    """Named on the command line rather than met in a folder walk."""


def walk(root: Path, seen: set[tuple[int, int]]) -> Iterator[FileEntry | Observation]:
    """The regular files under ``root`` in name order, and the walk's own error observations;
    ``seen`` holds the (device, inode) of what was already reached, across roots."""
    stack: list[tuple[str, bool]] = [(str(root), True)]
    while stack:
        path, explicit = stack.pop()
        try:
            info = os.stat(path)
        except OSError as error:
            if explicit or os.path.splitext(path)[1].lower() in CERTIFICATE_SUFFIXES:
                # A dangling link to a certificate is a broken deployment; to anything
                # else it is none of our business.
                yield file_error(path, f"cannot read: {error.strerror}")
            continue
        identity = (info.st_dev, info.st_ino)
        if identity in seen:
            continue  # a loop, or the same file reached twice
        seen.add(identity)
        if stat.S_ISDIR(info.st_mode):
            try:
                names = sorted(os.listdir(path))
            except OSError as error:
                yield file_error(path, f"cannot list the folder: {error.strerror}")
                continue
            stack.extend((os.path.join(path, name), False) for name in reversed(names))
        elif stat.S_ISREG(info.st_mode):
            yield FileEntry(path, info.st_mode, info.st_size, explicit)
        elif explicit:
            yield file_error(path, "not a regular file or folder (a device, pipe or socket)")


def file_mode(mode: int) -> str:
    """Permission bits as ``0600``."""
    return f"{stat.S_IMODE(mode):04o}"


def scan_file(entry: FileEntry, passwords: Sequence[bytes], cache: RecordCache) -> list[Item]:
    """Everything in one file of the walk; a file that cannot be read is an error observation,
    a file met in a folder that is plainly not certificate material is nothing."""
    path = entry.path
    suffix = os.path.splitext(path)[1].lower()
    if entry.st_size > MAX_FILE_BYTES:
        if entry.explicit or suffix in CERTIFICATE_SUFFIXES:
            return [file_error(path, f"not read: {entry.st_size} bytes is too large for a store")]
        return []
    try:
        data = _read(path, entry.st_size)
    except OSError as error:
        return [file_error(path, f"cannot read: {error.strerror}")]
    if not entry.explicit and not is_candidate(data, suffix):
        return []
    if not data.strip():
        return [file_error(path, "the file is empty")]
    return scan_bytes(
        data,
        path,
        mode=file_mode(entry.st_mode),
        passwords=passwords,
        suffix=suffix,
        automation=_automation_of(path),
        explicit=entry.explicit,
        cache=cache,
    )


def _automation_of(path: str) -> tuple[str, ...]:
    """A certbot lineage (``…/letsencrypt/live|archive/NAME/…``) is renewed by certbot."""
    if "letsencrypt" not in path:
        return ()
    parts = Path(path).parts
    for index, part in enumerate(parts[:-1]):
        if part == "letsencrypt" and parts[index + 1] in {"live", "archive"}:
            return ("certbot",)
    return ()


def _read(path: str, size: int) -> bytes:
    """The whole file, read with plain system calls: a buffered file object costs more than
    the read itself for the small files certificates live in."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        parts = [os.read(descriptor, size + 1)]  # sized by stat; a file that grew is read on
        while parts[-1]:
            parts.append(os.read(descriptor, 1 << 16))
    finally:
        os.close(descriptor)
    return b"".join(parts)
