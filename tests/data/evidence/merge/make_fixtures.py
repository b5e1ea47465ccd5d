"""Scan one set of loopback servers with every TLS source and keep what each wrote: the fixtures
of the merging tests (one endpoint seen by several sources counts once, field by field).

Not run by the tests (the tools are not test dependencies): run it by hand and commit what it
writes. expected.json holds how each server was made and configured, never a tool's output.

    python tests/data/evidence/merge/make_fixtures.py SSLYZE6 SSLYZE5 TESTSSL

SSLYZE6 and SSLYZE5 are sslyze executables (6.x and 5.x, each in its own venv: sslyze pins
cryptography < 47); TESTSSL is Debian's testssl.sh (package testssl.sh). `assess` is run from
this checkout.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).parent
ROOT = HERE.parents[3]
sys.path.insert(0, str(HERE.parents[2]))
from certgen import Made, Pki  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait(port: int) -> None:
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"server on {port} did not start")


def ssh_banner(server: socket.socket, stop: threading.Event) -> None:
    """A service that is not TLS: an SSH greeting, then the connection closes."""
    server.settimeout(0.2)
    while not stop.is_set():
        try:
            connection, _ = server.accept()
        except OSError:
            continue
        with contextlib.suppress(OSError):
            connection.sendall(b"SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n")
        connection.close()


def facts(made: Made) -> dict[str, object]:
    return {
        "sha256": made.sha256,
        "serial": format(made.cert.serial_number, "x"),
        "not_before": made.not_before.isoformat(),
        "not_after": made.not_after.isoformat(),
        "key_type": made.key_type,
        "key_size": made.key_size,
        "san_dns": list(made.names),
        "chain_sent": [made.sha256, *(c.sha256 for c in made.chain)],
    }


def main(sslyze6: str, sslyze5: str, testssl: str) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    pki = Pki.create(now)
    made = {
        "good": pki.leaf("localhost"),
        "dual_rsa": pki.leaf("localhost", key="rsa2048"),
        "dual_ec": pki.leaf("localhost"),
        "tls10": pki.leaf("localhost"),
        "client_auth": pki.leaf("localhost", key="rsa2048"),
        "no_san": pki.leaf("localhost", key="rsa2048", san=False),
    }
    # name: (leaves served, s_server options, newest protocol offered, client cert required)
    plan: dict[str, tuple[list[str], list[str], str | None, bool]] = {
        "good": (["good"], [], "TLSv1.3", False),
        "dual": (["dual_rsa", "dual_ec"], [], "TLSv1.3", False),
        "tls10": (["tls10"], ["-tls1", "-cipher", "DEFAULT@SECLEVEL=0"], "TLSv1", False),
        "client_auth": (["client_auth"], ["-tls1_2", "-Verify", "1"], "TLSv1.2", True),
        "no_san": (["no_san"], [], "TLSv1.3", False),
    }
    expected: dict[str, object] = {
        "made_at": now.isoformat(),
        "root_sha256": pki.root.sha256,
        "intermediate_sha256": pki.intermediate.sha256,
    }
    endpoints: dict[str, object] = {}
    servers: list[subprocess.Popen[bytes]] = []
    stop = threading.Event()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        root = folder / "root.pem"
        root.write_bytes(pki.root.pem)
        chain = folder / "intermediate.pem"
        chain.write_bytes(pki.intermediate.pem)
        for name, (leaves, options, newest, client_auth) in plan.items():
            files = [made[leaf].write(folder, leaf, with_intermediates=False) for leaf in leaves]
            port = free_port()
            command = ["openssl", "s_server", "-accept", f"127.0.0.1:{port}", "-www", "-quiet"]
            command += ["-cert", str(files[0][0]), "-key", str(files[0][1])]
            command += ["-cert_chain", str(chain)]
            if len(files) > 1:  # a second certificate of another key type (-dcert)
                command += ["-dcert", str(files[1][0]), "-dkey", str(files[1][1])]
                command += ["-dcert_chain", str(chain)]
            servers.append(
                subprocess.Popen(
                    [*command, *options], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
                )
            )
            wait(port)
            endpoints[f"localhost:{port}"] = {
                "fixture": name,
                "answers": True,
                "leaves": [facts(made[leaf]) for leaf in leaves],
                "newest_protocol": newest,
                "requires_client_certificate": client_auth,
                "openssl_s_server": " ".join([*command[5:], *options]).replace(tmp, "TMP"),
            }
        not_tls = socket.create_server(("127.0.0.1", 0))
        threading.Thread(target=ssh_banner, args=(not_tls, stop), daemon=True).start()
        endpoints[f"localhost:{not_tls.getsockname()[1]}"] = {
            "fixture": "not_tls",
            "answers": False,
        }
        endpoints[f"localhost:{free_port()}"] = {"fixture": "refused", "answers": False}
        expected["endpoints"] = endpoints
        targets = list(endpoints)
        try:
            env = {**os.environ, "PYTHONPATH": str(ROOT)}
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "assess",
                    "scan",
                    "tls",
                    *targets,
                    "--ca-file",
                    str(root),
                    "--out",
                    str(HERE / "tls.json"),
                ],
                check=True,
                timeout=120,
                env=env,
            )
            for tool, out in ((sslyze6, "sslyze6.json"), (sslyze5, "sslyze5.json")):
                subprocess.run(
                    [
                        tool,
                        "--certinfo",
                        f"--certinfo_ca_file={root}",
                        "--json_out",
                        str(HERE / out),
                        "--quiet",
                        *[f"{t}{{127.0.0.1}}" for t in targets],
                    ],
                    check=True,
                    timeout=300,
                    stdout=subprocess.DEVNULL,
                )
            listing = folder / "targets.txt"
            listing.write_text("".join(f"-S -p --ip 127.0.0.1 {t}\n" for t in targets))
            # The same targets twice: flat JSON with testssl.sh's own roots, then pretty JSON
            # with the test root added (--add-ca), as an assessor with a private CA would.
            for option, out, extra in (
                ("--jsonfile", "testssl-flat.json", []),
                ("--jsonfile-pretty", "testssl-pretty.json", ["--add-ca", str(root)]),
            ):
                (HERE / out).unlink(missing_ok=True)
                subprocess.run(
                    [
                        testssl,
                        "--quiet",
                        "--warnings",
                        "off",
                        *extra,
                        option,
                        str(HERE / out),
                        "--file",
                        str(listing),
                    ],
                    check=False,
                    timeout=1800,
                    stdout=subprocess.DEVNULL,
                    cwd=folder,
                )
        finally:
            stop.set()
            not_tls.close()
            for server in servers:
                server.terminate()
                server.wait(10)
    (HERE / "expected.json").write_text(json.dumps(expected, indent=2) + "\n")


if __name__ == "__main__":
    main(*sys.argv[1:4])
