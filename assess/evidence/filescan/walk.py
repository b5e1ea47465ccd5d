"""The folder walk: the regular files under the paths given, each read once, and what is in them.

Folders are walked in name order; a folder or file reached twice (a symlink loop, a bind mount)
is read once. Only regular files are opened: a device, a named pipe or a socket is recorded as
skipped, never opened (opening a pipe waits for a writer; reading ``/dev/zero`` never ends).
Pseudo-filesystems (``/proc``, ``/sys``, ``/dev``: the kernel's view, not stored files) are not
walked into, nor read through a symbolic link, unless a path named on the command line is on
them; ``/proc/kmsg`` waits for the next kernel message. A file named on the command line is
always reported; one met in a folder only when it holds, or announces, certificate material.

A file is read with a deadline (:mod:`~assess.evidence.filescan.deadline`) on each system call:
a read that makes no progress for the timeout (a hung mount, a file of the kernel's that waits
for an event) is an error observation, and the scan goes on; a large file read slowly is not.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from assess.evidence.certs import RecordCache
from assess.evidence.filescan.content import CERTIFICATE_SUFFIXES, is_candidate, scan_bytes
from assess.evidence.filescan.deadline import ReadDeadline, ReadTimeout
from assess.evidence.filescan.items import Item, file_error
from assess.model.bundle import Observation

MAX_FILE_BYTES = 64 * 1024 * 1024
"""Larger files are not read (no certificate store is that big; logs and images are)."""

DEFAULT_READ_TIMEOUT = 10.0
"""Seconds a file may take to answer one read (``assess scan files --timeout``)."""

PSEUDO_FILESYSTEMS = frozenset(
    {
        *("proc", "sysfs", "devtmpfs", "devpts", "debugfs", "tracefs", "securityfs"),
        *("cgroup", "cgroup2", "pstore", "bpf", "configfs", "fusectl", "mqueue"),
        *("hugetlbfs", "binfmt_misc", "efivarfs", "rpc_pipefs", "nsfs", "selinuxfs"),
    }
)
"""Filesystem types (``/proc/self/mountinfo``) that show the kernel's state, not files."""

_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # POSIX; elsewhere the tool still loads
_OPEN_FLAGS = os.O_RDONLY | _NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
"""A pipe opened without O_NONBLOCK waits for a writer, a terminal may become ours."""


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

    @property
    def location(self) -> str:
        """The path as the bundle names it (:func:`printable`)."""
        return printable(self.path)


def printable(path: str) -> str:
    """A path as text: bytes of a name that are not UTF-8 (kept by Python as lone surrogates,
    which JSON cannot carry) are written ``\\xff``."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return path


def pseudo_filesystems() -> dict[int, str]:
    """The devices (``st_dev``) of the pseudo-filesystems mounted here, with their type.

    Read from ``/proc/self/mountinfo``; without it (another system, no /proc mounted), the
    devices of ``/proc``, ``/sys`` and ``/dev`` when each is a mount of its own.
    """
    found: dict[int, str] = {}
    try:
        with open("/proc/self/mountinfo", encoding="utf-8", errors="replace") as mounts:
            for line in mounts:
                fields = line.split()
                if " - " not in line or len(fields) < 3:
                    continue
                kind = line.split(" - ", 1)[1].split(" ", 1)[0]
                major, _, minor = fields[2].partition(":")
                if kind in PSEUDO_FILESYSTEMS and major.isdigit() and minor.isdigit():
                    found[os.makedev(int(major), int(minor))] = kind
    except OSError:
        pass
    try:
        top = os.stat("/").st_dev
    except OSError:
        return found
    for name in ("/proc", "/sys", "/dev"):
        try:
            device = os.stat(name).st_dev
        except OSError:
            continue
        if device != top:
            found.setdefault(device, name.lstrip("/"))
    return found


def walk(
    root: Path, seen: set[tuple[int, int]], pseudo: dict[int, str] | None = None
) -> Iterator[FileEntry | Observation]:
    """The regular files under ``root`` in name order, and the walk's own observations (what
    could not be read, what was skipped); ``seen`` holds the (device, inode) of what was already
    reached, across roots; ``pseudo`` the pseudo-filesystems not to enter
    (:func:`pseudo_filesystems` when not given) unless ``root`` is on one."""
    pseudo = pseudo_filesystems() if pseudo is None else pseudo
    allowed: int | None = None
    stack: list[tuple[str, bool]] = [(str(root), True)]
    while stack:
        path, explicit = stack.pop()
        try:
            info = os.stat(path)
        except OSError as error:
            if explicit or os.path.splitext(path)[1].lower() in CERTIFICATE_SUFFIXES:
                # A dangling link to a certificate is a broken deployment; to anything
                # else it is none of our business.
                yield file_error(printable(path), f"cannot read: {error.strerror}")
            continue
        if explicit:
            allowed = info.st_dev  # a pseudo-filesystem named is walked
        elif info.st_dev in pseudo and info.st_dev != allowed:
            yield file_error(
                printable(path),
                f"skipped: on the {pseudo[info.st_dev]} pseudo-filesystem (the kernel's "
                "state, not stored files); name it to scan it",
            )
            continue
        identity = (info.st_dev, info.st_ino)
        if identity in seen:
            continue  # a loop, or the same file reached twice
        seen.add(identity)
        if stat.S_ISDIR(info.st_mode):
            try:
                names = sorted(os.listdir(path))
            except OSError as error:
                yield file_error(printable(path), f"cannot list the folder: {error.strerror}")
                continue
            stack.extend((os.path.join(path, name), False) for name in reversed(names))
        elif stat.S_ISREG(info.st_mode):
            yield FileEntry(path, info.st_mode, info.st_size, explicit)
        else:
            yield file_error(printable(path), skipped(info.st_mode))


def skipped(mode: int) -> str:
    """Why a file that is not a regular file is not read."""
    kinds = (
        (stat.S_ISFIFO, "a named pipe"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
    )
    kind = next((name for test, name in kinds if test(mode)), "not a regular file")
    return f"skipped: {kind}, not a regular file (only regular files are read)"


def file_mode(mode: int) -> str:
    """Permission bits as ``0600``."""
    return f"{stat.S_IMODE(mode):04o}"


def scan_file(
    entry: FileEntry, passwords: Sequence[bytes], cache: RecordCache, deadline: ReadDeadline
) -> list[Item]:
    """Everything in one file of the walk; a file that cannot be read in time is an error
    observation, a file met in a folder that is plainly not certificate material is nothing."""
    location = entry.location
    suffix = os.path.splitext(entry.path)[1].lower()
    reported = entry.explicit or suffix in CERTIFICATE_SUFFIXES
    if entry.st_size > MAX_FILE_BYTES:
        return [file_error(location, _too_large(entry.st_size))] if reported else []
    try:
        data = read_file(entry.path, deadline)
    except ReadTimeout:
        waited = f"{deadline.timeout:g} s"
        return [file_error(location, f"not read: a read did not return within {waited}")]
    except _Unread as unread:
        return [file_error(location, str(unread))] if reported or unread.always else []
    except OSError as error:
        return [file_error(location, f"cannot read: {error.strerror or error}")]
    if not entry.explicit and not is_candidate(data, suffix):
        return []
    if not data.strip():
        return [file_error(location, "the file is empty")]
    return scan_bytes(
        data,
        location,
        mode=file_mode(entry.st_mode),
        passwords=passwords,
        suffix=suffix,
        automation=_automation_of(entry.path),
        explicit=entry.explicit,
        cache=cache,
    )


class _Unread(Exception):
    """A file that is not read after all: it became something else, or grew too large."""

    def __init__(self, reason: str, *, always: bool) -> None:
        super().__init__(reason)
        self.always = always
        """Reported even for a file met in a folder without a certificate name."""


def _too_large(size: int) -> str:
    return f"not read: {size} bytes is more than {MAX_FILE_BYTES} (too large for a store)"


_CHUNK = 1 << 20
"""Bytes asked for in one system call: each call gets the whole timeout."""


def read_file(path: str, deadline: ReadDeadline) -> bytes:
    """The whole of a regular file, read with plain system calls (a buffered file object costs
    more than the read itself for the small files certificates live in), each call given up
    (ReadTimeout) when it does not return within ``deadline``. What the walk found at ``path``
    may have been replaced since: a file that is no longer a regular file is not read
    (_Unread), nor more than :data:`MAX_FILE_BYTES`."""
    descriptor = deadline.run(lambda: os.open(path, _OPEN_FLAGS))
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise _Unread(skipped(info.st_mode), always=True)
        if info.st_size > MAX_FILE_BYTES:
            raise _Unread(_too_large(info.st_size), always=False)
        if _NONBLOCK:
            os.set_blocking(descriptor, True)  # a FUSE file may honour O_NONBLOCK
        # Sized by fstat, so a small file is one call (and one more to see its end); a file
        # that grew is read on.
        size = min(info.st_size + 1, _CHUNK)
        parts = [deadline.run(lambda: os.read(descriptor, size))]
        total = len(parts[0])
        while parts[-1] and total <= MAX_FILE_BYTES:
            parts.append(deadline.run(lambda: os.read(descriptor, _CHUNK)))
            total += len(parts[-1])
    finally:
        os.close(descriptor)
    if total > MAX_FILE_BYTES:
        raise _Unread(_too_large(total), always=False)
    return b"".join(parts)


def _automation_of(path: str) -> tuple[str, ...]:
    """A certbot lineage (``…/letsencrypt/live|archive/NAME/…``) is renewed by certbot."""
    if "letsencrypt" not in path:
        return ()
    parts = Path(path).parts
    for index, part in enumerate(parts[:-1]):
        if part == "letsencrypt" and parts[index + 1] in {"live", "archive"}:
            return ("certbot",)
    return ()
