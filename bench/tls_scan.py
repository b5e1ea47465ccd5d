"""TLS scan throughput: `assess`'s scanner beside `openssl s_time -new` against the same server.

    python bench/tls_scan.py [--seconds 10] [--servers 4] [--concurrency 10]

Starts ``--servers`` `openssl s_server` processes on 127.0.0.1 (each serving an ECDSA P-256 leaf
and its intermediate, TLS 1.3), then:

1. `openssl s_time -connect 127.0.0.1:PORT -new -time SECONDS` against the first server: one
   handshake at a time, the reference rate (connections per real second);
2. the scanner against the same first server, one connection at a time (concurrency 1), for the
   same number of handshakes, so the two rates compare like with like;
3. the scanner against all servers with ``--concurrency`` connections: what a real scan of many
   endpoints achieves.

The scanner does more per handshake than s_time: it parses every certificate of the chain,
fingerprints it and validates the chain with the cryptography verifier. Target: at least 0.8x
the s_time rate.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))

from certgen import Pki
from tlsservers import OpensslServer

from assess.evidence import tls
from assess.evidence.endpoints import parse_target
from assess.evidence.tls import TlsScanner, TrustStore


def s_time(port: int, seconds: int) -> tuple[int, float]:
    """Handshakes s_time made and the wall-clock time it took (its own report rounds to whole
    seconds)."""
    started = time.perf_counter()
    out = subprocess.run(
        ["openssl", "s_time", "-connect", f"127.0.0.1:{port}", "-new", "-time", str(seconds)],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
        check=True,
    ).stdout
    elapsed = time.perf_counter() - started
    match = re.search(r"(\d+) connections in (\d+) real seconds", out)
    if match is None:
        raise RuntimeError(out)
    return int(match.group(1)), elapsed


def scan(ports: list[int], count: int, concurrency: int, root: Path) -> float:
    targets = [parse_target(f"127.0.0.1:{ports[i % len(ports)]}") for i in range(count)]
    seen = []
    scanner = TlsScanner(targets, trust=TrustStore.load([root]), concurrency=concurrency)
    started = time.perf_counter()
    scanner.collect(seen.append)
    elapsed = time.perf_counter() - started
    bad = [o for o in seen if o.status != "ok"]
    if bad:
        raise RuntimeError(f"{len(bad)} scans failed: {bad[0].error}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--servers", type=int, default=4)
    parser.add_argument("--concurrency", type=int, default=10)
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="parse and validate every chain afresh (as if every endpoint had its own chain)",
    )
    args = parser.parse_args()
    if args.no_cache:
        tls.CACHE_SIZE = 0
    pki = Pki.create(datetime.now(UTC).replace(microsecond=0))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        root = folder / "root.pem"
        root.write_bytes(pki.root.pem)
        leaf = pki.leaf("127.0.0.1")
        cert, key = leaf.write(folder, "leaf", with_intermediates=False)
        chain = folder / "chain.pem"
        chain.write_bytes(pki.intermediate.pem)
        servers = [OpensslServer(cert, key, chain=chain) for _ in range(args.servers)]
        try:
            ports = [s.port for s in servers]
            connections, real = s_time(ports[0], args.seconds)
            reference = connections / real
            sequential = scan(ports[:1], connections, 1, root)
            many = scan(ports, connections, args.concurrency, root)
        finally:
            for server in servers:
                server.close()
    ours = connections / sequential
    print(
        f"openssl s_time -new:            {connections} handshakes in {real:.1f} s "
        f"= {reference:.0f}/s"
    )
    print(
        f"assess scanner, concurrency 1:  {connections} in {sequential:.1f} s = {ours:.0f}/s "
        f"({ours / reference:.2f}x)"
    )
    print(
        f"assess scanner, {args.servers} servers, concurrency {args.concurrency}: "
        f"{connections / many:.0f}/s ({connections / many / reference:.2f}x)"
    )


if __name__ == "__main__":
    main()
