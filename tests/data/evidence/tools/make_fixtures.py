"""Run real third-party scanners against loopback servers and keep their output as fixtures.

Not run by the tests (the tools are not test dependencies): run it by hand when a format changes,
and commit what it writes. The expected values the import tests compare with are written to
expected.json from how each certificate was made, not from any tool's output.

    python tests/data/evidence/tools/make_fixtures.py SSLYZE6 SSLYZE5 TESTSSL [OUT]

where SSLYZE6 and SSLYZE5 are sslyze executables (6.x and 5.x, each in its own venv: sslyze pins
cryptography < 47) and TESTSSL is Debian's testssl.sh (package testssl.sh). OUT is where the
files go: this folder unless given (a scratch folder to try the script without touching the
committed fixtures).
"""

from __future__ import annotations

import json
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).parent
sys.path[:0] = [str(HERE.parent), str(HERE.parents[2])]
from certgen import Pki  # noqa: E402
from tlsservers import OpensslServer  # noqa: E402
from toolruns import facts, run_sslyze, run_testssl  # noqa: E402


def main(sslyze6: str, sslyze5: str, testssl: str, out: Path = HERE) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    pki = Pki.create(now)
    leaves = {
        "good": pki.leaf("localhost", days_before=1, days_after=89),
        "expired": pki.leaf("localhost", days_before=100, days_after=-10),
        "rsa1024": pki.leaf("localhost", key="rsa1024"),
        "wronghost": pki.leaf("other.test"),
        "selfsigned": pki.self_signed("localhost"),
    }
    servers: list[OpensslServer] = []
    expected: dict[str, object] = {"made_at": now.isoformat(), "root_sha256": pki.root.sha256}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        root = folder / "root.pem"
        root.write_bytes(pki.root.pem)
        try:
            for name, made in leaves.items():
                cert, key = made.write(folder, name, with_intermediates=False)
                chain = folder / f"{name}-chain.pem"
                chain.write_bytes(b"".join(c.pem for c in made.chain))
                server = OpensslServer(
                    cert,
                    key,
                    "-www",
                    "-cipher",
                    "DEFAULT@SECLEVEL=0",
                    chain=chain if made.chain else None,
                )
                servers.append(server)
                expected[f"localhost:{server.port}"] = {
                    "fixture": name,
                    **facts(made),
                    "chain_length": 1 + len(made.chain),
                    "self_signed": made.issuer is None,
                }
            targets = [t for t in expected if t.startswith("localhost:")]
            run_sslyze(sslyze6, root, targets, out / "sslyze6.json")
            run_sslyze(sslyze5, root, targets, out / "sslyze5.json")
            run_testssl(testssl, targets, out / "testssl.json", folder)
        finally:
            for server in servers:
                server.close()
    (out / "expected.json").write_text(json.dumps(expected, indent=2) + "\n")


if __name__ == "__main__":
    main(*sys.argv[1:4], *[Path(a) for a in sys.argv[4:5]])
