"""Report rendering times (docs/performance.md, "## Reports").

    python bench/report_bench.py            # demo HTML and PDF, certificate scaling, --help

Measures, on the bundled demo: the HTML report (score + view + templates), the PDF (WeasyPrint
import + layout + write, the default pdf/a-3a and pdf/a-3u), and the PDF with a synthetic evidence
summary and evidence bundles of 100, 10,000 and 100,000 certificates: page count and time must
stay flat (the document shows the 50 most urgent; the full inventory is an attachment).
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from assess.engine.score import evaluate
from assess.inputs.resultfile import read_result
from assess.inputs.workspace import load_workspace
from assess.model.evidence import (
    CertificateHighlight,
    EvidenceSource,
    EvidenceSummary,
    MetricId,
    MetricValue,
)
from assess.model.result import Result
from assess.publish import demo
from assess.publish.report import ReportFormat, bundle_inventory, render_outputs

REPEAT = 3


def best(run: Callable[[], Any], repeat: int = REPEAT) -> tuple[float, Any]:
    """Fastest wall time of ``repeat`` runs, and the last run's value."""
    times = []
    value = None
    for _ in range(repeat):
        start = time.perf_counter()
        value = run()
        times.append(time.perf_counter() - start)
    return min(times), value


def synthetic_bundle(path: Path, count: int, now: datetime) -> None:
    """An evidence bundle (contract format) with ``count`` certificates on as many endpoints."""
    with path.open("w", encoding="utf-8") as out:
        out.write('{"schema": "cmmm-evidence/1", "collector": "tls", ')
        out.write(f'"collected_at": "{now.isoformat()}", ')
        out.write('"tool": {"name": "bench", "version": "1"}, "observations": [')
        for i in range(count):
            not_after = now + timedelta(days=(i % 400) - 30)
            record = {
                "location": f"host{i}.larkspur.example:443",
                "status": "ok",
                "error": None,
                "certificates": [
                    {
                        "sha256": f"{i:064x}",
                        "serial": f"{i:x}",
                        "subject": f"CN=host{i}.larkspur.example",
                        "issuer": "CN=Larkspur Issuing CA 2,O=Larkspur Mutual Assurance",
                        "not_before": (not_after - timedelta(days=397)).isoformat(),
                        "not_after": not_after.isoformat(),
                        "key_type": "rsa",
                        "key_size": 2048,
                        "signature_hash": "sha256",
                        "san_dns": [f"host{i}.larkspur.example"],
                        "self_signed": False,
                    }
                ],
            }
            out.write(("," if i else "") + json.dumps(record))
        out.write('], "keys": []}\n')


def with_evidence(result: Result, count: int, now: datetime) -> Result:
    """The result with an evidence summary of ``count`` certificates (50 highlighted)."""
    highlights = tuple(
        CertificateHighlight(
            sha256=f"{i:064x}",
            subject=f"CN=host{i}.larkspur.example",
            issuer="CN=Larkspur Issuing CA 2,O=Larkspur Mutual Assurance",
            not_after=now - timedelta(days=30 - i),
            locations=(f"host{i}.larkspur.example:443",),
            problems=("expired" if i < 30 else f"expires in {i - 30} days",),
        )
        for i in range(min(50, count))
    )
    summary = EvidenceSummary(
        sources=(
            EvidenceSource(
                file="evidence/bench.json",
                collector="tls",
                collected_at=now,
                tool="bench 1",
                observations=count,
                errors=0,
                is_stale=False,
            ),
        ),
        metrics=(
            MetricValue(metric=MetricId.CERTIFICATES, value=count, denominator=count),
            MetricValue(metric=MetricId.EXPIRED_SHARE, value=30 / 400, denominator=count),
        ),
        highlights=highlights,
        highlights_total=count * 30 // 400,
    )
    return result.model_copy(update={"evidence": summary})


def child(root: Path, count: int, variant: str) -> None:
    """One PDF render in this (fresh) process, as the CLI does it; prints JSON."""
    workspace = load_workspace(root)
    baseline = read_result(root / demo.BASELINE)
    result = evaluate(workspace, demo.EVALUATED_AT)
    if count:
        result = with_evidence(result, count, datetime(2026, 11, 20, tzinfo=UTC))
    start = time.perf_counter()
    outputs = render_outputs(
        workspace, result, [ReportFormat.PDF], baseline=baseline, pdf_variant=variant
    )
    seconds = time.perf_counter() - start
    print(
        json.dumps({"seconds": seconds, "detail": outputs[0].detail, "size": len(outputs[0].data)})
    )


def in_fresh_process(root: Path, count: int = 0, variant: str = "pdf/a-3a") -> dict[str, Any]:
    """The best of ``REPEAT`` renders, each in a new process (WeasyPrint slows down when one
    process renders many documents, and the CLI renders one)."""
    runs = []
    for _ in range(REPEAT):
        done = subprocess.run(
            [sys.executable, __file__, "--child", str(root), str(count), variant],
            check=True,
            capture_output=True,
            text=True,
        )
        runs.append(json.loads(done.stdout))
    return min(runs, key=lambda r: float(r["seconds"]))


def main() -> None:
    """Print the figures recorded in docs/performance.md."""
    scratch = Path(tempfile.mkdtemp(prefix="cmmm-bench-"))
    try:
        root = demo.copy_demo(scratch / "demo")
        workspace = load_workspace(root)
        baseline = read_result(root / demo.BASELINE)
        load_time, _ = best(lambda: load_workspace(root), 5)
        print(f"load the demo workspace (questionnaire + answers): {load_time:.3f} s")

        def html() -> Any:
            result = evaluate(workspace, demo.EVALUATED_AT)
            return render_outputs(workspace, result, [ReportFormat.HTML], baseline=baseline)

        html_time, _ = best(html, 5)
        print(f"demo HTML (score + view + templates): {html_time:.3f} s")

        for variant in ("pdf/a-3u", "pdf/a-3a"):
            run = in_fresh_process(root, 0, variant)
            print(
                f"demo PDF {variant} (HTML + WeasyPrint): {run['seconds']:.2f} s, {run['detail']}"
            )

        now = datetime(2026, 11, 20, tzinfo=UTC)
        evidence = root / "evidence"
        for count in (100, 10_000, 100_000):
            for old in evidence.glob("*.json"):
                old.unlink()
            run = in_fresh_process(root, count)
            print(
                f"PDF, summary of {count:>7,} certificates, no bundle: {run['seconds']:.2f} s, "
                f"{run['detail']}"
            )
            synthetic_bundle(evidence / "bench.json", count, now)
            run = in_fresh_process(root, count)
            print(
                f"PDF, {count:>7,} certificates with the inventory attached: "
                f"{run['seconds']:.2f} s, {run['detail']}, {run['size'] / 1024:.0f} KiB"
            )
            start = time.perf_counter()
            bundle_inventory(root, (evidence / "bench.json",), demo.EVALUATED_AT)
            print(f"  of which building the inventory CSV: {time.perf_counter() - start:.2f} s")

        runs = []
        for _ in range(5):
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "assess", "--help"], check=True, capture_output=True
            )
            runs.append(time.perf_counter() - start)
        print(f"assess --help: {min(runs):.3f} s (median {statistics.median(runs):.3f} s)")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        child(Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
    else:
        main()
