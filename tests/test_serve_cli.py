"""`assess serve` as a user starts it: one line on stdout with the URL and its token, a warning
for an address reachable from the network, a broken workspace refused before anything is
served."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.webserver import demo_copy

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "cli-token-0123456789abcdef"


@contextmanager
def started(*args: str) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """`assess serve ARGS…` running; yields the process and its first line of stdout."""
    process = subprocess.Popen(
        [sys.executable, "-m", "assess", "serve", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()  # the server prints it once it listens
        yield process, line
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_serve_prints_one_line_with_the_url_and_needs_the_token(tmp_path: Path) -> None:
    root = demo_copy(tmp_path)
    with started(str(root), "--port", "0", "--token", TOKEN) as (process, line):
        found = re.fullmatch(rf"http://127\.0\.0\.1:(\d+)/\?token={TOKEN}\n", line)
        assert found is not None, line
        base = f"http://127.0.0.1:{found[1]}"
        assert int(found[1]) > 0
        assert httpx.get(base + "/api/respondents", timeout=30).status_code == 401
        names = httpx.get(
            base + "/api/respondents", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30
        ).json()
        assert [n["id"] for n in names] == ["dev-okafor", "marta-kowalski", "sofia-lindqvist"]
        bearer = {"Authorization": f"Bearer {TOKEN}"}
        with httpx.stream("GET", base + "/api/events", headers=bearer, timeout=5) as events:
            assert next(events.iter_lines()) == "retry: 1000"
            stopping = time.monotonic()
            process.send_signal(signal.SIGINT)  # Ctrl-C while a page listens
            process.wait(timeout=10)
        assert time.monotonic() - stopping < 2  # the stream did not hold it up
    rest, errors = process.communicate(timeout=30)
    assert rest == ""  # exactly one line
    assert errors == ""  # nothing said without --host


def test_a_random_token_is_long_and_different_each_time(tmp_path: Path) -> None:
    root = demo_copy(tmp_path)
    tokens = []
    for _ in range(2):
        with started(str(root), "--port", "0") as (_process, line):
            token = line.strip().split("?token=")[1]
            assert re.fullmatch(r"[A-Za-z0-9_-]{32}", token), token
            tokens.append(token)
    assert tokens[0] != tokens[1]


def test_every_address_warns_and_still_needs_the_token(tmp_path: Path) -> None:
    root = demo_copy(tmp_path)
    with started(str(root), "--host", "0.0.0.0", "--port", "0", "--token", TOKEN) as (
        process,
        line,
    ):
        port = re.search(r":(\d+)/", line)
        assert port is not None
        # Only the loopback address is talked to.
        assert httpx.get(f"http://127.0.0.1:{port[1]}/", timeout=30).status_code == 401
    _, errors = process.communicate(timeout=30)
    assert "warning: --host 0.0.0.0 makes the workshop reachable from the network" in errors


def test_a_broken_workspace_is_refused_before_serving(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = demo_copy(tmp_path)
    (root / "answers" / "bad.yaml").write_text("respondent: {name: Bad}\nanswers: [1\n")
    done = cli("serve", root, "--port", "0")
    assert done.exit_code == 2
    assert done.stdout == ""
    assert "bad.yaml:" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("token", ["short", "x" * 15, "spaces in the token!"])
def test_a_weak_token_is_refused(cli, tmp_path: Path, token: str) -> None:  # type: ignore[no-untyped-def]
    done = cli("serve", tmp_path, "--token", token)
    assert done.exit_code == 2
    assert "--token: give at least 16 letters, digits or - _ . ~" in done.stderr


def test_a_port_in_use_is_an_environment_problem(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import socket

    root = demo_copy(tmp_path)
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    try:
        done = cli("serve", root, "--port", str(taken.getsockname()[1]))
    finally:
        taken.close()
    assert done.exit_code == 3
    assert "cannot listen on 127.0.0.1:" in done.stderr
