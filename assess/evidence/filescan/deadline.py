"""Reads bounded in time: a read of a file that does not finish within the timeout is given up.

A read of a regular file cannot be made non-blocking, and some never finish: ``/proc/kmsg``
waits for the next kernel message, a hung NFS or FUSE mount waits for its server. In the main
thread (the scanning process, each worker process of a scan) a watchdog thread interrupts a
read that is late with ``SIGALRM``, sent to the main thread alone: the system call returns, the
handler raises :class:`ReadTimeout`, the file descriptor is closed, and the scan goes on. Each
read costs two assignments; the watchdog wakes a few times a second. Called from another
thread (signal handlers run only in the main thread), each read runs in a helper thread instead,
which is left behind if it is late.

A read stuck in the kernel's uninterruptible sleep cannot be interrupted by any signal; it is
given up in the helper-thread mode only, and even then the process cannot exit before it ends.
"""

from __future__ import annotations

import queue
import signal
import threading
import time
from collections.abc import Callable
from types import FrameType, TracebackType
from typing import Any, TypeVar

T = TypeVar("T")


class ReadTimeout(Exception):
    """A read did not finish within the timeout."""


class ReadDeadline:
    """Runs reads, each given up (ReadTimeout) when it takes longer than ``timeout`` seconds.

    A context manager: entered in the thread that reads, left when the reading is done.
    """

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self._tick = min(timeout / 10, 0.5)
        self._reading: tuple[int, float] | None = None
        """The read under way: its number and when it started."""
        self._count = 0
        self._interrupted = -1
        """The number of the read the watchdog interrupted."""
        self._stop = threading.Event()
        self._watchdog: threading.Thread | None = None
        self._previous: Any = None
        self._helper: _Helper | None = None

    def __enter__(self) -> ReadDeadline:
        if threading.current_thread() is threading.main_thread() and hasattr(
            signal, "pthread_kill"
        ):
            self._previous = signal.signal(signal.SIGALRM, self._expired)
            main = threading.get_ident()
            self._watchdog = threading.Thread(
                target=self._watch, args=(main,), name="read-deadline", daemon=True
            )
            self._watchdog.start()
        else:
            self._helper = _Helper()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._watchdog is not None:
            self._stop.set()
            self._watchdog.join()
            self._watchdog = None
            signal.signal(signal.SIGALRM, self._previous)
        if self._helper is not None:
            self._helper.close()
            self._helper = None

    def run(self, read: Callable[[], T]) -> T:
        """``read()``, or ReadTimeout when it takes longer than the timeout."""
        if self._helper is not None:
            return self._helper.run(read, self.timeout)
        self._count += 1
        self._reading = (self._count, time.monotonic())
        try:
            return read()
        finally:
            self._reading = None

    def _watch(self, main: int) -> None:
        while not self._stop.wait(self._tick):
            reading = self._reading
            if reading is None or reading[0] == self._interrupted:
                continue
            if time.monotonic() - reading[1] >= self.timeout:
                self._interrupted = reading[0]
                signal.pthread_kill(main, signal.SIGALRM)

    def _expired(self, number: int, frame: FrameType | None) -> None:
        reading = self._reading
        if reading is not None and reading[0] == self._interrupted:
            raise ReadTimeout
        if callable(self._previous):  # an alarm of someone else's
            self._previous(number, frame)


class _Helper:
    """A thread that runs reads for a thread that cannot be interrupted by a signal; a late
    read is left to finish on its own, and the next read gets a new helper thread."""

    def __init__(self) -> None:
        self._requests: queue.SimpleQueue[Callable[[], None] | None] | None = None

    def run(self, read: Callable[[], T], timeout: float) -> T:
        answers: queue.SimpleQueue[tuple[bool, Any]] = queue.SimpleQueue()

        def task() -> None:
            try:
                answers.put((True, read()))
            except BaseException as error:  # handed to the reading thread, raised there
                answers.put((False, error))

        if self._requests is None:
            self._requests = queue.SimpleQueue()
            threading.Thread(
                target=_serve, args=(self._requests,), name="read-helper", daemon=True
            ).start()
        self._requests.put(task)
        try:
            done, value = answers.get(timeout=timeout)
        except queue.Empty:
            self._requests = None  # the helper is stuck in the read: the next read gets another
            raise ReadTimeout from None
        if not done:
            raise value
        result: T = value
        return result

    def close(self) -> None:
        """Lets the helper thread end once it is idle."""
        if self._requests is not None:
            self._requests.put(None)
            self._requests = None


def _serve(requests: queue.SimpleQueue[Callable[[], None] | None]) -> None:
    while (task := requests.get()) is not None:
        task()
