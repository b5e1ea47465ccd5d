"""The Word report's rendering time against the HTML report's (docs/performance.md, "### Word
report"). Target: the demo's Word report in under 1.5x the HTML report plus rasterising its
charts.

    python bench/docx_bench.py

On the bundled demo with its baseline (the report as ``assess demo`` writes it), each figure the
best of five runs, scoring excluded (both formats share it):

- the HTML report: manifest, view and templates (``render_outputs`` for ``html``);
- rasterising the three charts (the SVG templates rendered, then CairoSVG at 2,000 px);
- the Word report: manifest, view, the same rasterising and the python-docx document
  (``render_outputs`` for ``docx``).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from report_bench import best  # bench/ is the script's folder, first on the path

from assess.engine.score import evaluate
from assess.inputs.resultfile import read_result
from assess.inputs.workspace import load_workspace
from assess.publish import demo
from assess.publish.report import ReportFormat, render_outputs
from assess.render.raster import chart_images
from assess.render.view import build_report

REPEAT = 5
TARGET = 1.5


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        root = demo.copy_demo(Path(scratch) / "demo")
        workspace = load_workspace(root)
        baseline = read_result(root / demo.BASELINE)
        result = evaluate(workspace, demo.EVALUATED_AT)

        def report(kind: ReportFormat) -> bytes:
            (output,) = render_outputs(
                workspace, result, [kind], baseline=baseline, baseline_file=root / demo.BASELINE
            )
            return output.data

        report(ReportFormat.DOCX)  # imports python-docx, CairoSVG and Jinja once
        html_time, html = best(lambda: report(ReportFormat.HTML), REPEAT)
        view = build_report(result, workspace.questionnaire)
        raster_time, charts = best(lambda: chart_images(view), REPEAT)
        docx_time, word = best(lambda: report(ReportFormat.DOCX), REPEAT)
        budget = TARGET * (html_time + raster_time)
        print(f"HTML report           {html_time * 1000:7.0f} ms  ({len(html) // 1024} KiB)")
        print(f"rasterising {len(charts)} charts  {raster_time * 1000:7.0f} ms")
        print(f"Word report           {docx_time * 1000:7.0f} ms  ({len(word) // 1024} KiB)")
        ratio = docx_time / (html_time + raster_time)
        print(
            f"Word / (HTML + charts) {ratio:6.2f}x  (target < {TARGET}x, budget "
            f"{budget * 1000:.0f} ms): {'met' if ratio < TARGET else 'MISSED'}"
        )


if __name__ == "__main__":
    main()
