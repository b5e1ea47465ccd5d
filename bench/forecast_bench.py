"""`assess forecast` beside loading the same bundles and computing today's metrics; memory as
certificates grow.

    python bench/forecast_bench.py time [--count 100000] [--repeat 3] [--chains]
    python bench/forecast_bench.py memory [--counts 10000 50000 100000]

Both make a workspace (the demo's assessment and answers, its evidence replaced by one
synthetic bundle of ``--count`` leaf certificates, written by ``write_bundle`` as a scan writes
it: a third on TLS endpoints with a public or an assessor's trust verdict, the rest in files, a
third with an automation marker, lifetimes from 47 to 825 days, RSA and EC keys). With
``--chains`` each file holds its leaf's issuing CA certificate too (a server's full-chain file),
issued by a root no bundle holds: the forecast then follows every not-judged leaf's chain for
the private-root hint (docs/forecast.md).

``time`` compares, in this one process, each the best of ``--repeat`` runs:

1. the baseline: read the bundle, validating and folding each observation as it is read into
   distinct leaves, merge the endpoints, compute today's metrics (``compute_metrics``), as
   ``assess score`` does;
2. the forecast as ``assess forecast --json`` runs it: read the bundle, fold it, gather the
   leaves, compute every phase and the post-quantum figures, write the document and the text
   table.

Budget: (2) within 1.5x of (1). ``memory`` runs each in a fresh process per count and reports
the peak resident memory of both.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

from assess.evidence.bundles import write_bundle
from assess.evidence.interface import Collector, Sink
from assess.model.bundle import BundleTool, EvidenceBundle, Observation

HERE = Path(__file__).parent
AT = date(2026, 11, 27)


ISSUER = "CN=Larkspur Issuing CA 2,O=Larkspur Mutual Assurance"
ISSUING_CA = {
    "sha256": "ca" * 32,
    "serial": "ca",
    "subject": ISSUER,
    "issuer": "CN=Larkspur Root CA,O=Larkspur Mutual Assurance",
    "not_before": "2024-01-01T00:00:00+00:00",
    "not_after": "2034-01-01T00:00:00+00:00",
    "key_type": "ec",
    "key_size": 384,
    "signature_hash": "sha384",
    "is_ca": True,
}


class Synthetic(Collector):
    """A collector of ``count`` synthetic leaves, for write_bundle to write as a scan does; with
    ``chains``, each file holds the issuing CA's certificate after its leaf."""

    def __init__(self, count: int, *, chains: bool = False) -> None:
        self.count = count
        self.chains = chains
        self.now = datetime.fromisoformat("2026-11-26T12:00:00+00:00")

    def header(self) -> EvidenceBundle:
        return EvidenceBundle(
            collector="bench", collected_at=self.now, tool=BundleTool(name="bench", version="1")
        )

    def collect(self, sink: Sink) -> None:
        lifetimes = (47, 90, 200, 397, 825)
        for i in range(self.count):
            lifetime = lifetimes[i % len(lifetimes)]
            not_before = self.now - timedelta(days=(i * 7) % lifetime)
            host = f"host{i}.larkspur.example"
            cert = {
                "sha256": f"{i:064x}",
                "serial": f"{i:x}",
                "subject": f"CN={host}",
                "issuer": ISSUER,
                "not_before": not_before,
                "not_after": not_before + timedelta(days=lifetime),
                "key_type": "rsa" if i % 2 else "ec",
                "key_size": 2048 if i % 2 else 256,
                "signature_hash": "sha256",
                "san_dns": [host],
                "is_ca": False,
                "automation": ["cert-manager"] if i % 3 == 0 else [],
            }
            record: dict[str, object] = {
                "location": f"/etc/ssl/{host}.pem",
                "status": "ok",
                "error": None,
                "certificates": [cert],
            }
            if i % 3 == 1:
                record.update(
                    location=f"{host}:443",
                    kind="endpoint",
                    trusted=True,
                    trust_roots="public" if i % 2 else "given",
                    server_name=host,
                )
            elif self.chains:
                record["certificates"] = [cert, ISSUING_CA]
            sink(Observation.model_validate(record))


def synthetic_bundle(path: Path, count: int, *, chains: bool = False) -> None:
    """One bundle of ``count`` leaves, written as a scanner streams it (one observation a
    line); with ``chains``, each file holds the issuing CA's certificate after its leaf."""
    write_bundle(path, Synthetic(count, chains=chains))


def make_workspace(folder: Path, count: int, *, chains: bool = False) -> Path:
    """The demo's assessment with one synthetic bundle as its evidence."""
    from assess.support.resources import data_dir

    root = folder / "ws"
    shutil.copytree(data_dir("examples") / "demo", root)
    for bundle in (root / "evidence").glob("*.json"):
        bundle.unlink()
    synthetic_bundle(root / "evidence" / "bench.json", count, chains=chains)
    return root


def baseline(root: Path) -> Callable[[], object]:
    """Load the bundles and compute today's metrics, as ``assess score`` does."""
    from assess.engine.score import _bundles
    from assess.evidence.metrics import compute_metrics
    from assess.inputs.schedule import load_schedule
    from assess.inputs.workspace import load_workspace

    workspace = load_workspace(root)
    schedule = load_schedule().schedule

    def run() -> object:
        return compute_metrics(_bundles(workspace, AT).fresh, AT, schedule)

    return run


def forecast(root: Path) -> Callable[[], object]:
    """``assess forecast --json`` and its text table, in process."""
    from assess.engine.score import read_forecast
    from assess.inputs.workspace import load_workspace
    from assess.render.forecast_text import forecast_table
    from assess.support.jsondoc import document_bytes

    workspace = load_workspace(root)

    def run() -> object:
        reading = read_forecast(workspace, AT)
        return document_bytes(reading.forecast), forecast_table(reading)

    return run


def best_of(repeat: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def timing(count: int, repeat: int, chains: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = make_workspace(Path(folder), count, chains=chains)
        base = best_of(repeat, baseline(root))
        fore = best_of(repeat, forecast(root))
        print(f"{count:,} certificates, best of {repeat}{', files with chains' if chains else ''}")
        print(f"  load the bundle and compute today's metrics: {base:.2f} s")
        print(f"  assess forecast (load, fold, forecast, document and table): {fore:.2f} s")
        print(f"  ratio: {fore / base:.2f}x (budget 1.5x)")


def measure_one(root: str, what: str) -> None:
    """Run one of the two in this fresh process and print its peak RSS in MiB."""
    (baseline if what == "baseline" else forecast)(Path(root))()
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def memory(counts: list[int]) -> None:
    print("| certificates | bundle | baseline peak RSS | forecast peak RSS |")
    print("|---|---|---|---|")
    for count in counts:
        with tempfile.TemporaryDirectory() as folder:
            root = make_workspace(Path(folder), count)
            size = (root / "evidence" / "bench.json").stat().st_size / 2**20
            peaks = []
            for what in ("baseline", "forecast"):
                done = subprocess.run(
                    [sys.executable, __file__, "_measure", str(root), what],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                peaks.append(float(done.stdout.split()[-1]))
            print(f"| {count:,} | {size:.0f} MiB | {peaks[0]:.0f} MiB | {peaks[1]:.0f} MiB |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("what", choices=["time", "memory", "_measure"])
    parser.add_argument("args", nargs="*")
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--counts", type=int, nargs="+", default=[10_000, 50_000, 100_000])
    parser.add_argument("--chains", action="store_true", help="files hold their issuing CA")
    args = parser.parse_args()
    if args.what == "time":
        timing(args.count, args.repeat, args.chains)
    elif args.what == "memory":
        memory(args.counts)
    else:
        measure_one(*args.args)


if __name__ == "__main__":
    main()
