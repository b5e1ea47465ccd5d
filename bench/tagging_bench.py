"""What tagging the PDF costs (docs/performance.md, "Tagged PDF"; issue 18, item 15).

    python bench/tagging_bench.py            # 5 rounds
    python bench/tagging_bench.py 9          # 9 rounds

Renders the demo report (with its progress section, as ``assess demo`` does) as PDF/A-3u
(untagged), PDF/A-3a and PDF/UA-1 (tagged). Each render runs in a new process, as the CLI does,
and the variants take turns within each round, so that a machine loaded by other work slows
every variant alike: the figure to read is the ratio tagged / untagged within a round, and its
median over the rounds, not the absolute seconds.
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from assess.engine.score import evaluate
from assess.inputs.resultfile import read_result
from assess.inputs.workspace import load_workspace
from assess.publish import demo
from assess.publish.report import ReportFormat, render_outputs

UNTAGGED = "pdf/a-3u"
TAGGED = ("pdf/a-3a", "pdf/ua-1")


def child(root: Path, variant: str) -> None:
    """One PDF render of the demo in this (fresh) process; prints seconds and pages as JSON."""
    workspace = load_workspace(root)
    baseline = read_result(root / demo.BASELINE)
    result = evaluate(workspace, demo.EVALUATED_AT)
    start = time.perf_counter()
    (output,) = render_outputs(
        workspace, result, [ReportFormat.PDF], baseline=baseline, pdf_variant=variant
    )
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "detail": output.detail, "size": len(output.data)}))


def render(root: Path, variant: str) -> dict[str, float | str]:
    """One render in a new process."""
    done = subprocess.run(
        [sys.executable, __file__, "--child", str(root), variant],
        check=True,
        capture_output=True,
        text=True,
    )
    loaded: dict[str, float | str] = json.loads(done.stdout)
    return loaded


def main(rounds: int) -> None:
    """Print every round, then the median time of each variant and the median ratio."""
    scratch = Path(tempfile.mkdtemp(prefix="cmmm-tagging-"))
    try:
        root = demo.copy_demo(scratch / "demo")
        render(root, UNTAGGED)  # warm the disk cache and the font cache
        times: dict[str, list[float]] = {v: [] for v in (UNTAGGED, *TAGGED)}
        for number in range(1, rounds + 1):
            line = []
            for variant in (UNTAGGED, *TAGGED):
                run = render(root, variant)
                times[variant].append(float(run["seconds"]))
                line.append(f"{variant} {float(run['seconds']):.2f} s ({run['detail']})")
            print(f"round {number}: " + "; ".join(line))
        base = statistics.median(times[UNTAGGED])
        print(f"{UNTAGGED}: median {base:.2f} s")
        for variant in TAGGED:
            ratios = [t / u for t, u in zip(times[variant], times[UNTAGGED], strict=True)]
            print(
                f"{variant}: median {statistics.median(times[variant]):.2f} s; "
                f"tagged/untagged per round: median {statistics.median(ratios):.3f}, "
                f"range {min(ratios):.3f}-{max(ratios):.3f}"
            )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(Path(sys.argv[2]), sys.argv[3])
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
