"""A real `assess serve` app for the tests and the benchmark: uvicorn in a thread on a free
port of 127.0.0.1, over a copy of a workspace."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from assess.web.security import Access
from assess.web.server import bind, open_workspace, uvicorn_server

DEMO = Path(__file__).resolve().parent.parent / "examples" / "demo"
TOKEN = "test-token-0123456789abcdef"
DAY = date(2026, 11, 27)
"""The demo's evaluation date (assess/publish/demo.py): the server's clock in the tests."""


@dataclass(frozen=True)
class Running:
    """A server serving a workspace."""

    url: str
    """``http://127.0.0.1:PORT`` (no token)."""
    root: Path
    """The workspace served."""
    port: int
    token: str = TOKEN
    stop: Callable[[], None] = lambda: None
    """Tell the server to stop, as Ctrl-C does (the block's end waits for it)."""

    @property
    def host(self) -> str:
        """The Host header a browser sends."""
        return f"127.0.0.1:{self.port}"


def demo_copy(folder: Path) -> Path:
    """A copy of the demo workspace in ``folder``."""
    root = folder / "demo"
    shutil.copytree(DEMO, root)
    return root


@contextmanager
def running(root: Path, token: str = TOKEN) -> Iterator[Running]:
    """Serve ``root`` until the block ends (at most 10 s to start and to stop)."""
    live = open_workspace(root, lambda: DAY)
    sock = bind("127.0.0.1", 0)
    port = sock.getsockname()[1]
    server = uvicorn_server(live, Access.for_address(token, "127.0.0.1", port))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield Running(
            f"http://127.0.0.1:{port}",
            root,
            port,
            token,
            lambda: setattr(server, "should_exit", True),
        )
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()
