"""Real loopback servers for the TLS scanner tests: Python ssl servers in threads, openssl
s_server processes, and servers that misbehave (silent, not TLS, hanging up)."""

from __future__ import annotations

import contextlib
import socket
import ssl
import subprocess
import threading
import time
import warnings
from collections.abc import Callable
from pathlib import Path

from certgen import OPENSSL


class ThreadServer:
    """Accepts on 127.0.0.1 (or ::1) and hands each connection to ``handle`` in a thread."""

    def __init__(self, handle: Callable[[socket.socket], None], family: int = socket.AF_INET):
        host = "::1" if family == socket.AF_INET6 else "127.0.0.1"
        self.sock = socket.create_server((host, 0), family=family)
        self.sock.settimeout(0.05)
        self.port = int(self.sock.getsockname()[1])
        self.handle = handle
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    def _serve(self, connection: socket.socket) -> None:
        connection.settimeout(10)
        with contextlib.suppress(OSError, ssl.SSLError):
            self.handle(connection)
        with contextlib.suppress(OSError):
            connection.close()

    def close(self) -> None:
        self._stop.set()
        self.sock.close()
        self._thread.join(2)


def tls_handler(
    cert: Path, key: Path, *, max_version: ssl.TLSVersion | None = None
) -> Callable[[socket.socket], None]:
    """A TLS server answering the handshake with ``cert`` (a chain file) and ``key``."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.set_ciphers("DEFAULT:@SECLEVEL=0")
    context.minimum_version = ssl.TLSVersion.MINIMUM_SUPPORTED
    if max_version is not None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # TLS 1.0 on purpose
            context.maximum_version = max_version
    context.load_cert_chain(cert, key)

    def handle(connection: socket.socket) -> None:
        with context.wrap_socket(connection, server_side=True) as tls, contextlib.suppress(OSError):
            tls.recv(1)

    return handle


def silent(connection: socket.socket) -> None:
    """Accept and never answer (until the client gives up)."""
    with contextlib.suppress(OSError):
        connection.recv(65536)
        time.sleep(10)


def drip(connection: socket.socket) -> None:
    """Read the ClientHello, then send the header of a 16 KiB handshake record and its body
    one byte every 0.2 s: always an answer, never a handshake."""
    connection.recv(65536)
    connection.sendall(b"\x16\x03\x03\x40\x00")
    for _ in range(100):
        time.sleep(0.2)
        connection.sendall(b"\x00")


def ssh_banner(connection: socket.socket) -> None:
    """A service that is not TLS."""
    connection.sendall(b"SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n")
    with contextlib.suppress(OSError):
        connection.recv(1024)


def hang_up(connection: socket.socket) -> None:
    """Read the ClientHello, then close."""
    connection.recv(1024)


def refused_port() -> int:
    """A port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class OpensslServer:
    """``openssl s_server`` on a loopback port; stopped by :meth:`close`."""

    def __init__(self, cert: Path, key: Path, *extra: str, chain: Path | None = None):
        assert OPENSSL is not None
        self.port = refused_port()
        command = [
            OPENSSL,
            "s_server",
            "-accept",
            f"127.0.0.1:{self.port}",
            "-cert",
            str(cert),
            "-key",
            str(key),
            "-quiet",
            *extra,
        ]
        if chain is not None:
            command += ["-cert_chain", str(chain)]
        self.command = command
        """The command line it runs."""
        self.process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"openssl s_server exited with {self.process.returncode}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        self.close()
        raise RuntimeError("openssl s_server did not start")

    def close(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)
