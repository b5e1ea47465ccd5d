"""What the fixture scripts of merge/ and tools/ share: the facts a certificate was made with,
and sslyze and testssl.sh run over loopback targets.

The servers themselves are ``tests/tlsservers.py``'s (``OpensslServer``, ``ThreadServer``), the
certificates ``tests/certgen.py``'s. Neither script is run by the tests: the tools are not test
dependencies.
"""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path

from certgen import Made


def facts(made: Made) -> dict[str, object]:
    """How a certificate was made, as expected.json records it: never a tool's reading."""
    return {
        "sha256": made.sha256,
        "serial": format(made.cert.serial_number, "x"),
        "not_before": made.not_before.isoformat(),
        "not_after": made.not_after.isoformat(),
        "key_type": made.key_type,
        "key_size": made.key_size,
        "san_dns": list(made.names),
    }


def run_sslyze(executable: str, ca_file: Path, targets: Sequence[str], out: Path) -> None:
    """``sslyze --certinfo`` over ``localhost:PORT`` targets, connecting to 127.0.0.1, its JSON
    written to ``out``."""
    subprocess.run(
        [
            executable,
            "--certinfo",
            f"--certinfo_ca_file={ca_file}",
            "--json_out",
            str(out),
            "--quiet",
            *[f"{t}{{127.0.0.1}}" for t in targets],
        ],
        check=True,
        timeout=300,
        stdout=subprocess.DEVNULL,
    )


def run_testssl(
    executable: str,
    targets: Sequence[str],
    out: Path,
    folder: Path,
    *,
    checks: Sequence[str] = ("-S",),
    pretty: bool = False,
    extra: Sequence[str] = (),
    timeout: int = 900,
) -> None:
    """testssl.sh over ``localhost:PORT`` targets (one line each of a ``--file`` list in
    ``folder``, with ``checks``), connecting to 127.0.0.1; its flat JSON (or pretty, one run
    writes one of them) written to ``out``. Its exit code counts findings, so it is not
    checked."""
    listing = folder / "targets.txt"
    listing.write_text("".join(f"{' '.join(checks)} --ip 127.0.0.1 {t}\n" for t in targets))
    out.unlink(missing_ok=True)
    subprocess.run(
        [
            executable,
            "--quiet",
            "--warnings",
            "off",
            *extra,
            "--jsonfile-pretty" if pretty else "--jsonfile",
            str(out),
            "--file",
            str(listing),
        ],
        check=False,
        timeout=timeout,
        stdout=subprocess.DEVNULL,
        cwd=folder,
    )
