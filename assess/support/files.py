"""Reading input files with clear errors, and writing output files atomically."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from assess.support.errors import EnvironmentProblem, InputError, Problem


def read_bytes(path: Path) -> bytes:
    """The content of an input file; a missing or unreadable file is an InputError."""
    if path.is_dir():
        raise InputError(Problem("is a directory, expected a file", file=path))
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(Problem("no such file", file=path)) from None
    except OSError as error:
        raise InputError(Problem(f"cannot read: {error.strerror}", file=path)) from None


def read_text(path: Path) -> str:
    """The UTF-8 text of an input file; a missing, unreadable or non-UTF-8 file is an InputError."""
    data = read_bytes(path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InputError(
            Problem(f"not UTF-8 text (byte {error.start})", file=path, line=line),
            hint="save the file as UTF-8",
        ) from None


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


def atomic_write(path: Path, data: str | bytes, *, mode: int | None = None) -> None:
    """Write a file so that readers see either the old content or the new, never a mix.

    The data goes to a temporary file in the same folder, is flushed to disk, then renamed over
    the target. A process killed at any moment leaves the previous file intact. ``mode`` sets
    the permissions (0o600 for a private key: the file never exists with looser ones).
    """
    with _atomic(path, binary=True, mode=mode) as stream:
        stream.write(data.encode("utf-8") if isinstance(data, str) else data)


@contextlib.contextmanager
def atomic_stream(path: Path) -> Iterator[IO[str]]:
    """A text stream whose content replaces ``path`` atomically when the block ends.

    For outputs too large to build in memory first (evidence bundles are written as they are
    collected). An exception inside the block leaves the previous file intact.
    """
    with _atomic(path, binary=False, mode=None) as stream:
        yield stream


@contextlib.contextmanager
def _atomic(path: Path, *, binary: bool, mode: int | None) -> Iterator[IO[Any]]:
    """A temporary file beside ``path``: flushed, given its mode and renamed over ``path`` when
    the block ends; removed, leaving ``path`` as it was, when the block fails."""
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise EnvironmentProblem(f"{folder}: cannot write: {error.strerror}") from None
    try:
        with os.fdopen(
            handle, "wb" if binary else "w", encoding=None if binary else "utf-8"
        ) as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        # mkstemp creates the file 0600: keep an existing file's mode, else the usual default.
        if mode is None:
            mode = path.stat().st_mode & 0o7777 if path.exists() else 0o666 & ~_umask()
        os.chmod(temporary, mode)
        os.replace(temporary, path)
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
