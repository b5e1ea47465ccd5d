"""Scan one set of loopback servers with every TLS source and keep what each wrote: the fixtures
of the merging tests (one endpoint seen by several sources counts once, field by field).

Not run by the tests (the tools are not test dependencies): run it by hand and commit what it
writes. expected.json holds how each server was made and configured, never a tool's output.

    python tests/data/evidence/merge/make_fixtures.py SSLYZE6 SSLYZE5 TESTSSL [OUT]

SSLYZE6 and SSLYZE5 are sslyze executables (6.x and 5.x, each in its own venv: sslyze pins
cryptography < 47); TESTSSL is Debian's testssl.sh (package testssl.sh). `assess` is run from
this checkout. OUT is where the files go: this folder unless given (a scratch folder to try the
script without touching the committed fixtures).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).parent
ROOT = HERE.parents[3]
sys.path[:0] = [str(HERE.parent), str(HERE.parents[2])]
from certgen import Made, Pki  # noqa: E402
from tlsservers import OpensslServer, ThreadServer, refused_port, ssh_banner  # noqa: E402
from toolruns import facts, run_sslyze, run_testssl  # noqa: E402


def served(made: Made) -> dict[str, object]:
    """How a leaf was made, and the chain its server sends (leaf first, no root)."""
    return {**facts(made), "chain_sent": [made.sha256, *(c.sha256 for c in made.chain)]}


def main(sslyze6: str, sslyze5: str, testssl: str, out: Path = HERE) -> None:
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
    servers: list[OpensslServer] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        root = folder / "root.pem"
        root.write_bytes(pki.root.pem)
        chain = folder / "intermediate.pem"
        chain.write_bytes(pki.intermediate.pem)
        not_tls = ThreadServer(ssh_banner)
        try:
            for name, (leaves, options, newest, client_auth) in plan.items():
                files = [
                    made[leaf].write(folder, leaf, with_intermediates=False) for leaf in leaves
                ]
                extra = ["-www", *options]
                if len(files) > 1:  # a second certificate of another key type (-dcert)
                    extra += ["-dcert", str(files[1][0]), "-dkey", str(files[1][1])]
                    extra += ["-dcert_chain", str(chain)]
                server = OpensslServer(files[0][0], files[0][1], *extra, chain=chain)
                servers.append(server)
                endpoints[f"localhost:{server.port}"] = {
                    "fixture": name,
                    "answers": True,
                    "leaves": [served(made[leaf]) for leaf in leaves],
                    "newest_protocol": newest,
                    "requires_client_certificate": client_auth,
                    "openssl_s_server": " ".join(server.command[4:]).replace(tmp, "TMP"),
                }
            endpoints[f"localhost:{not_tls.port}"] = {"fixture": "not_tls", "answers": False}
            endpoints[f"localhost:{refused_port()}"] = {"fixture": "refused", "answers": False}
            expected["endpoints"] = endpoints
            targets = list(endpoints)
            env = {**os.environ, "PYTHONPATH": str(ROOT)}
            scan = [sys.executable, "-m", "assess", "scan", "tls", *targets]
            subprocess.run(
                [*scan, "--ca-file", str(root), "--out", str(out / "tls.json")],
                check=True,
                timeout=120,
                env=env,
            )
            run_sslyze(sslyze6, root, targets, out / "sslyze6.json")
            run_sslyze(sslyze5, root, targets, out / "sslyze5.json")
            # The same targets twice: flat JSON with testssl.sh's own roots, then pretty JSON
            # with the test root added (--add-ca), as an assessor with a private CA would.
            checks = ("-S", "-p")
            run_testssl(
                testssl, targets, out / "testssl-flat.json", folder, checks=checks, timeout=1800
            )
            run_testssl(
                testssl,
                targets,
                out / "testssl-pretty.json",
                folder,
                checks=checks,
                pretty=True,
                extra=["--add-ca", str(root)],
                timeout=1800,
            )
        finally:
            not_tls.close()
            for server in servers:
                server.close()
    (out / "expected.json").write_text(json.dumps(expected, indent=2) + "\n")


if __name__ == "__main__":
    main(*sys.argv[1:4], *[Path(a) for a in sys.argv[4:5]])
