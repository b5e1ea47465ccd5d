"""``GET /api/events``: the workspace's changes pushed to the pages as Server-Sent Events.

One watcher per server looks at the workspace's fingerprint (:meth:`LiveWorkspace.fingerprint`)
every :data:`WATCH_SECONDS` while at least one page listens, and at once after a request that
may have written to it (:meth:`Changes.poke`: an answer saved here reaches every page without
waiting for the next look), and wakes every stream when it
changes; each stream sends the new fingerprint as a ``change`` event, and a comment line when
it has been quiet for :data:`HEARTBEAT_SECONDS` (so a proxy or a dead peer is noticed). Streams
are bounded: at most :data:`MAX_STREAMS` at once (the next one is refused, 503, and its page
polls instead), and every stream ends within :data:`TICK_SECONDS` of the server being told to
stop, so Ctrl-C stops ``assess serve`` promptly.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable

from starlette.concurrency import run_in_threadpool

from assess.web.state import LiveWorkspace

WATCH_SECONDS = 0.2
"""How often the watcher looks at the workspace's files while a page listens."""
HEARTBEAT_SECONDS = 15.0
"""The longest a stream stays silent: then it sends a comment line."""
TICK_SECONDS = 0.25
"""How often a stream looks whether the server is stopping."""
MAX_STREAMS = 32
"""Streams open at once; the next page is refused (503) and polls instead."""
RETRY_MS = 1000
"""How long a browser waits before it reconnects a stream that dropped."""


class Changes:
    """The fingerprint of one workspace, watched for every stream at once."""

    def __init__(self, live: LiveWorkspace) -> None:
        self.live = live
        self.stopping: Callable[[], bool] = lambda: False
        """True once the server is stopping (:func:`assess.web.server.uvicorn_server` says)."""
        self.streams = 0
        """Streams open now."""
        self.fingerprint = ""
        """The workspace's fingerprint when the watcher last looked ("" before it has)."""
        self._changed = asyncio.Event()
        self._poked = asyncio.Event()
        self._watcher: asyncio.Task[None] | None = None

    def poke(self) -> None:
        """Look at the workspace now rather than at the next :data:`WATCH_SECONDS`: a request
        that may have written to it has ended (called on the event loop)."""
        self._poked.set()

    def is_full(self) -> bool:
        """Whether a new stream would pass :data:`MAX_STREAMS` (read at each call, as the
        heartbeat: a test may lower them)."""
        return self.streams >= MAX_STREAMS

    async def stream(self) -> AsyncIterator[str]:
        """The events of one page, until it goes away or the server stops."""
        self.streams += 1
        try:
            if self._watcher is None or self._watcher.done():
                self.fingerprint = ""  # not watched meanwhile: look again before saying
                self._watcher = asyncio.get_running_loop().create_task(self._watch())
            yield f"retry: {RETRY_MS}\n\n"
            sent, last = "", time.monotonic()
            while not self.stopping():
                changed = self._changed
                if self.fingerprint and self.fingerprint != sent:
                    sent, last = self.fingerprint, time.monotonic()
                    yield f"event: change\ndata: {sent}\n\n"
                elif time.monotonic() - last >= HEARTBEAT_SECONDS:
                    last = time.monotonic()
                    yield ": still here\n\n"
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(changed.wait(), TICK_SECONDS)
        finally:
            self.streams -= 1

    async def _watch(self) -> None:
        while self.streams > 0 and not self.stopping():
            current = await run_in_threadpool(self.live.fingerprint)
            if current != self.fingerprint:
                self.fingerprint = current
                changed, self._changed = self._changed, asyncio.Event()
                changed.set()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._poked.wait(), WATCH_SECONDS)
            self._poked.clear()
