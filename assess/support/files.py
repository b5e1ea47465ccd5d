"""Reading input files within limits and with clear errors, writing output files atomically,
and the write lock.

Every input is read by :func:`read_bytes` or :func:`read_text`: only regular files, each kind
within its size limit (:mod:`assess.support.limits`). Every output goes through
:func:`atomic_write` or :func:`atomic_stream`: readers see the old content or the new, never a
mix; a symbolic link is written through, never replaced; a path that exists and is not a
regular file (a folder, ``/dev/null``, a pipe) is refused. Writers that read a file, change it
and write it back take :func:`exclusive_lock` around the three.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import stat
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from assess.support.errors import EnvironmentProblem, InputError, Problem
from assess.support.limits import INPUT, SizeLimit, size_text


def read_bytes(path: Path, *, limit: SizeLimit = INPUT) -> bytes:
    """The content of an input file of at most ``limit``.

    Only a regular file is read, or a symbolic link to one: a folder, a named pipe (which would
    wait for a writer forever), a device (``/dev/zero`` never ends) or a socket is an InputError
    naming it, as is a missing or unreadable file and one larger than ``limit`` (checked before
    reading, and again while reading, since a file can grow).
    """
    with open_input(path, limit=limit) as stream:
        return read_within(stream, path, limit)


@contextlib.contextmanager
def open_input(path: Path, *, limit: SizeLimit = INPUT) -> Iterator[IO[bytes]]:
    """An input file open for reading in binary, refused as :func:`read_bytes` refuses it; for
    a reader that goes through a large file piece by piece (an evidence bundle). Reading it
    whole within ``limit`` is :func:`read_within`; a reader that reads it otherwise checks
    ``limit`` itself as it goes (the file can grow)."""
    try:
        status = os.stat(path)
    except FileNotFoundError:
        raise InputError(Problem("no such file", file=path)) from None
    except OSError as error:
        raise InputError(Problem(f"cannot read: {error.strerror}", file=path)) from None
    _check_readable(path, status, limit)
    try:
        # Non-blocking, so that a pipe put in the file's place since the check cannot hang the
        # open; the descriptor is checked again below.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        raise InputError(Problem(f"cannot read: {error.strerror}", file=path)) from None
    try:
        with os.fdopen(descriptor, "rb") as stream:
            _check_readable(path, os.fstat(stream.fileno()), limit)
            yield stream
    except OSError as error:
        raise InputError(Problem(f"cannot read: {error.strerror}", file=path)) from None


def read_within(stream: IO[bytes], path: Path, limit: SizeLimit) -> bytes:
    """The rest of ``stream`` (the file at ``path``), refused when it holds more than
    ``limit``."""
    data = stream.read(limit.max_bytes + 1)
    if len(data) > limit.max_bytes:
        raise _too_large(path, limit, None)
    return data


def read_text(path: Path, *, limit: SizeLimit = INPUT) -> str:
    """The UTF-8 text of an input file of at most ``limit``; a file :func:`read_bytes` refuses,
    or that is not UTF-8, is an InputError."""
    data = read_bytes(path, limit=limit)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InputError(
            Problem(f"not UTF-8 text (byte {error.start})", file=path, line=line),
            hint="save the file as UTF-8",
        ) from None


def _check_readable(path: Path, status: os.stat_result, limit: SizeLimit) -> None:
    """Refuse what is not a regular file, and a file larger than ``limit``."""
    if stat.S_ISDIR(status.st_mode):
        raise InputError(Problem("is a directory, expected a file", file=path))
    if not stat.S_ISREG(status.st_mode):
        kind = next((name for test, name in _KINDS if test(status.st_mode)), "not a regular file")
        if path.is_symlink():
            kind = f"a link to {os.path.realpath(path)}, {kind}"
        raise InputError(Problem(f"is {kind}: only regular files are read", file=path))
    if status.st_size > limit.max_bytes:
        raise _too_large(path, limit, status.st_size)


def _too_large(path: Path, limit: SizeLimit, size: int | None) -> InputError:
    """The error for a file larger than ``limit`` (``size`` when known; a file that grew while
    it was read has none)."""
    found = f"{size:,} bytes, more" if size is not None else "more"
    return InputError(
        Problem(
            f"is {found} than the {size_text(limit.max_bytes)} {limit.kind} may be: not read",
            file=path,
        ),
        hint="the limits of the inputs are in docs/cli.md (Limits)",
    )


def atomic_write(path: Path, data: str | bytes, *, mode: int | None = None) -> None:
    """Write a file so that readers see either the old content or the new, never a mix.

    The data goes to a temporary file in the same folder, is flushed to disk, then renamed over
    the target. A process killed at any moment leaves the previous file intact (and its
    temporary file, which the next write to the same path removes). ``mode`` sets the
    permissions (0o600 for a private key: the file never exists with looser ones). A symbolic
    link is written through; a path that exists and is not a regular file is an InputError.
    """
    with _atomic(path, binary=True, mode=mode) as stream:
        stream.write(data.encode("utf-8") if isinstance(data, str) else data)


@contextlib.contextmanager
def atomic_stream(path: Path) -> Iterator[IO[str]]:
    """A text stream whose content replaces ``path`` atomically when the block ends.

    For outputs too large to build in memory first (evidence bundles are written as they are
    collected). An exception inside the block leaves the previous file intact. Symbolic links
    and paths that are not regular files are treated as by :func:`atomic_write`.
    """
    with _atomic(path, binary=False, mode=None) as stream:
        yield stream


_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISSOCK, "a socket"),
)


def _output_target(path: Path) -> tuple[Path, os.stat_result | None]:
    """The file a write to ``path`` replaces, and its status when it exists.

    A symbolic link leads to the file it points to (created when it does not exist yet), so
    the link stays a link. Anything that exists and is not a regular file is refused: renaming
    over it would replace a device or a folder's entry with a file.
    """
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    try:
        status = os.stat(target)
    except FileNotFoundError:
        return target, None
    except OSError as error:
        raise InputError(Problem(f"cannot be written: {error.strerror}", file=path)) from None
    if stat.S_ISREG(status.st_mode):
        return target, status
    kind = next((name for test, name in _KINDS if test(status.st_mode)), "not a regular file")
    raise InputError(
        Problem(f"is {kind}: outputs are written to regular files or new paths only", file=path),
        hint="name a file to write",
    )


def _is_running(pid: int) -> bool:
    """Whether a process with this id exists (on this machine)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, under another user
    return True


STALE_AFTER_SECONDS = 24 * 3600
"""A temporary file untouched this long is stale even if its process id is in use again."""


def _remove_stale_temporaries(target: Path) -> None:
    """Remove the temporary files earlier writes to ``target`` left when they were killed.

    Only files named the way :func:`_atomic` names them are considered, and only those whose
    process is gone (or that nobody touched for a day): a write in progress elsewhere keeps its
    file.
    """
    pattern = re.compile(re.escape(f".{target.name}.") + r"(\d+)\.[0-9a-f]{8}\.tmp")
    now = time.time()
    with contextlib.suppress(OSError), os.scandir(target.parent) as entries:
        for entry in entries:
            found = pattern.fullmatch(entry.name)
            if found is None:
                continue
            with contextlib.suppress(OSError):
                is_old = now - entry.stat(follow_symlinks=False).st_mtime > STALE_AFTER_SECONDS
                if is_old or not _is_running(int(found.group(1))):
                    os.unlink(entry.path)


def _create_temporary(target: Path, mode: int | None) -> tuple[int, Path]:
    """A new, empty temporary file beside ``target``, named after it and this process."""
    # Without a mode the kernel applies the umask to 0o666, as for any new file; with one the
    # file starts private and is given its mode before it is renamed into place.
    create_mode = 0o666 if mode is None else 0o600
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    while True:
        temporary = target.parent / f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
        try:
            return os.open(temporary, flags, create_mode), temporary
        except FileExistsError:
            continue


@contextlib.contextmanager
def _atomic(path: Path, *, binary: bool, mode: int | None) -> Iterator[IO[Any]]:
    """A temporary file beside the target: flushed, given its mode and renamed over the target
    when the block ends; removed, leaving the target as it was, when the block fails."""
    target, existing = _output_target(path)
    folder = target.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _remove_stale_temporaries(target)
        handle, temporary = _create_temporary(target, mode)
    except OSError as error:
        raise EnvironmentProblem(f"{folder}: cannot write: {error.strerror}") from None
    try:
        with os.fdopen(
            handle, "wb" if binary else "w", encoding=None if binary else "utf-8"
        ) as stream:
            yield stream
            stream.flush()
            if mode is not None:
                os.fchmod(stream.fileno(), mode)
            elif existing is not None:
                os.fchmod(stream.fileno(), stat.S_IMODE(existing.st_mode))
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise EnvironmentProblem(f"{path}: cannot write: {error.strerror}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    with contextlib.suppress(OSError):
        directory = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)


LOCK_TIMEOUT_SECONDS = 30.0
"""How long :func:`exclusive_lock` waits for another writer before giving up."""


@contextlib.contextmanager
def exclusive_lock(folder: Path, *, timeout: float = LOCK_TIMEOUT_SECONDS) -> Iterator[None]:
    """Hold the write lock of ``folder`` while the block runs; other holders wait their turn.

    The lock is the operating system's advisory lock (``flock``) on the folder itself: no lock
    file is left behind, and a killed process releases it. Every process and thread taking it
    for the same folder is served one at a time, so a read, change and write under it never
    loses another writer's change. Waiting longer than ``timeout`` is an EnvironmentProblem.
    """
    import fcntl  # POSIX only; imported here so the rest of the tool loads elsewhere too

    try:
        descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        raise EnvironmentProblem(f"{folder}: cannot lock: {error.strerror}") from None
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise EnvironmentProblem(
                        f"{folder}: another process has been writing here for {timeout:g} s",
                        hint="wait for it to finish, then try again",
                    ) from None
                time.sleep(0.01)
        yield
    finally:
        os.close(descriptor)  # closing the only descriptor releases the lock
