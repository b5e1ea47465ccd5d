"""Run real third-party scanners against loopback servers and keep their output as fixtures.

Not run by the tests (the tools are not test dependencies): run it by hand when a format changes,
and commit what it writes. The expected values the import tests compare with are written to
expected.json from how each certificate was made, not from any tool's output.

    python tests/data/evidence/tools/make_fixtures.py SSLYZE6 SSLYZE5 TESTSSL

where SSLYZE6 and SSLYZE5 are sslyze executables (6.x and 5.x, each in its own venv: sslyze pins
cryptography < 47) and TESTSSL is Debian's testssl.sh (package testssl.sh).
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parents[2]))
from certgen import Pki  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait(port: int) -> None:
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"server on {port} did not start")


def main(sslyze6: str, sslyze5: str, testssl: str) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    pki = Pki.create(now)
    leaves = {
        "good": pki.leaf("localhost", days_before=1, days_after=89),
        "expired": pki.leaf("localhost", days_before=100, days_after=-10),
        "rsa1024": pki.leaf("localhost", key="rsa1024"),
        "wronghost": pki.leaf("other.test"),
        "selfsigned": pki.self_signed("localhost"),
    }
    servers = []
    expected: dict[str, object] = {"made_at": now.isoformat(), "root_sha256": pki.root.sha256}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "root.pem").write_bytes(pki.root.pem)
        for name, made in leaves.items():
            cert, key = made.write(folder, name, with_intermediates=False)
            chain = folder / f"{name}-chain.pem"
            chain.write_bytes(b"".join(c.pem for c in made.chain))
            port = free_port()
            servers.append(
                subprocess.Popen(
                    [
                        "openssl",
                        "s_server",
                        "-accept",
                        f"127.0.0.1:{port}",
                        "-cert",
                        str(cert),
                        "-key",
                        str(key),
                        "-www",
                        "-quiet",
                        "-cipher",
                        "DEFAULT@SECLEVEL=0",
                        *(["-cert_chain", str(chain)] if made.chain else []),
                    ],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
            wait(port)
            expected[f"localhost:{port}"] = {
                "fixture": name,
                "sha256": made.sha256,
                "serial": format(made.cert.serial_number, "x"),
                "not_before": made.not_before.isoformat(),
                "not_after": made.not_after.isoformat(),
                "key_type": made.key_type,
                "key_size": made.key_size,
                "san_dns": list(made.names),
                "chain_length": 1 + len(made.chain),
                "self_signed": made.issuer is None,
            }
        targets = [t for t in expected if t.startswith("localhost:")]
        try:
            for tool, out in ((sslyze6, "sslyze6.json"), (sslyze5, "sslyze5.json")):
                subprocess.run(
                    [
                        tool,
                        "--certinfo",
                        f"--certinfo_ca_file={folder / 'root.pem'}",
                        "--json_out",
                        str(HERE / out),
                        "--quiet",
                        *[f"{t}{{127.0.0.1}}" for t in targets],
                    ],
                    check=True,
                    timeout=300,
                )
            out = HERE / "testssl.json"
            out.unlink(missing_ok=True)
            (folder / "targets.txt").write_text(
                "".join(f"-S --ip 127.0.0.1 {t}\n" for t in targets)
            )
            subprocess.run(
                [
                    testssl,
                    "--quiet",
                    "--warnings",
                    "off",
                    "--jsonfile",
                    str(out),
                    "--file",
                    str(folder / "targets.txt"),
                ],
                check=False,
                timeout=900,
            )
        finally:
            for server in servers:
                server.terminate()
                server.wait(10)
    (HERE / "expected.json").write_text(json.dumps(expected, indent=2) + "\n")


if __name__ == "__main__":
    main(*sys.argv[1:4])
