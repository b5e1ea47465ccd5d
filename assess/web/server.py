"""Running the app: a socket bound before the URL is printed, uvicorn serving it."""

from __future__ import annotations

import socket
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from assess.support.errors import EnvironmentProblem
from assess.web.app import create_app
from assess.web.events import Changes
from assess.web.security import Access
from assess.web.state import LiveWorkspace

if TYPE_CHECKING:
    import uvicorn


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host``:``port`` (0: a free port); an EnvironmentProblem when the
    address cannot be had."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as error:
        raise EnvironmentProblem(f"--host {host}: {error.strerror}") from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
        sock.listen(128)
    except OSError as error:
        sock.close()
        raise EnvironmentProblem(f"cannot listen on {host}:{port}: {error.strerror}") from None
    sock.setblocking(False)
    return sock


def url_of(host: str, port: int, token: str) -> str:
    """The address to open, with the token."""
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
    shown = "[::1]" if host == "::" else shown
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/?token={token}"


def open_workspace(root: Path, clock: Callable[[], date]) -> LiveWorkspace:
    """The workspace read and scored once (a broken one is an InputError naming the file, as
    ``assess score`` says it), ready for the first page."""
    live = LiveWorkspace(root, clock)
    live.snapshot()
    return live


STOP_SECONDS = 3
"""The longest a request still running may delay stopping (an event stream ends sooner)."""


def uvicorn_server(live: LiveWorkspace, access: Access) -> uvicorn.Server:
    """The server of the app over ``live``: its event streams end once it is told to stop
    (Ctrl-C, or ``should_exit``), so it stops promptly."""
    import uvicorn

    changes = Changes(live)
    config = uvicorn.Config(
        create_app(live, access, changes),
        log_level="warning",
        access_log=False,
        lifespan="off",
        server_header=False,
        timeout_graceful_shutdown=STOP_SECONDS,
    )
    server = uvicorn.Server(config)
    changes.stopping = lambda: server.should_exit
    return server


def serve(live: LiveWorkspace, sock: socket.socket, token: str) -> None:
    """Serve ``live`` on ``sock`` until interrupted."""
    host, port = sock.getsockname()[:2]
    uvicorn_server(live, Access.for_address(token, host, port)).run(sockets=[sock])
