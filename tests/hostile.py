"""Running the tool on hostile input without letting a regression hang or starve the suite.

A case that used to hang (a named pipe) runs in a thread the test stops waiting for; a case
that used to fill the memory (``/dev/zero``) runs in a child process with a memory ceiling.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

T = TypeVar("T")

SECONDS = 30
"""How long a hostile case may take: each is refused in well under a second when it works."""
MEMORY = 1024 * 1024 * 1024
"""The address space of a child process running a case that used to exhaust memory."""


def bounded(call: Callable[[], T], seconds: float = SECONDS) -> T:
    """``call()``, failing the test when it has not returned within ``seconds``."""
    box: dict[str, object] = {}

    def target() -> None:
        try:
            box["value"] = call()
        except BaseException as error:  # handed to the test's thread below
            box["error"] = error

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        pytest.fail(f"still running after {seconds} s: the input was not refused")
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["value"]  # type: ignore[return-value]


def release_reader(pipe: Path) -> None:
    """Let a reader blocked on the named pipe ``pipe`` go (it sees the end of the data)."""
    try:
        descriptor = os.open(pipe, os.O_WRONLY | os.O_NONBLOCK)
    except OSError:
        return  # nobody is waiting on it: nothing to release
    os.close(descriptor)


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def run_isolated(*args: object, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``assess ARGS…`` in a child process with a memory ceiling and a time limit."""
    return subprocess.run(
        [sys.executable, "-m", "assess", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=SECONDS * 2,
        preexec_fn=_limit_memory,
        cwd=cwd,
    )
