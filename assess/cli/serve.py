"""`assess serve`: the workshop web app over one workspace (assess.web)."""

from __future__ import annotations

import contextlib
import re
import sys
from pathlib import Path

import typer

from assess.cli._app import app, today
from assess.cli._help import AssessCommand
from assess.support.errors import InputError

LOOPBACK = ("127.0.0.1", "::1", "localhost")


@app.command("serve", cls=AssessCommand)
def serve_command(
    directory: Path = typer.Argument(..., metavar="DIR", help="Assessment workspace."),
    host: str = typer.Option(
        "127.0.0.1",
        "--host",
        metavar="ADDRESS",
        help="Address to listen on; anything but loopback is reachable from the network.",
        show_default="127.0.0.1",
    ),
    port: int = typer.Option(
        8765,
        "--port",
        metavar="N",
        min=0,
        max=65535,
        help="Port to listen on; 0 picks a free one.",
        show_default="8765",
    ),
    token: str | None = typer.Option(
        None,
        "--token",
        metavar="TOKEN",
        help="The token every request must carry (16 or more of A-Z a-z 0-9 - _ . ~).",
        show_default="a random one",
    ),
    open_browser: bool = typer.Option(False, "--open", help="Open the URL in a browser."),
) -> None:
    """Serve the workshop web app: dashboard, interview, facilitator, evidence, roadmap and
    report in a browser; prints the URL to open, with its token, on one line."""
    from assess.web.security import new_token
    from assess.web.server import bind, open_workspace, serve, url_of

    if token is not None and re.fullmatch(r"[A-Za-z0-9._~-]{16,}", token) is None:
        raise InputError("--token: give at least 16 letters, digits or - _ . ~ (it goes in a URL)")
    live = open_workspace(directory.resolve(), today)  # broken: exit 2, as assess score
    if host not in LOOPBACK:
        typer.echo(
            f"warning: --host {host} makes the workshop reachable from the network; every "
            "request still needs the token in the URL",
            err=True,
        )
    secret = token if token is not None else new_token()
    sock = bind(host, port)
    url = url_of(host, sock.getsockname()[1], secret)
    typer.echo(url)
    sys.stdout.flush()
    if open_browser:
        import webbrowser

        webbrowser.open(url)
    with contextlib.suppress(KeyboardInterrupt):
        serve(live, sock, secret)
