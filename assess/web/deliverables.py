"""The report page: downloads of every report format (publish/report.py's writers) and, with
a baseline chosen, the progress since it (what ``assess compare`` prints)."""

from __future__ import annotations

from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from assess.inputs.layout import ANSWERS_DIR, EVIDENCE_DIR, input_file_problem
from assess.publish.formats import FORMATS, ReportFormat
from assess.support.errors import InputError
from assess.web.context import Served, served
from assess.web.pages import page, snapshot_or_page
from assess.web.state import Snapshot

MEDIA_TYPES: dict[ReportFormat, str] = {
    ReportFormat.HTML: "text/html; charset=utf-8",
    ReportFormat.PDF: "application/pdf",
    ReportFormat.JSON: "application/json",
    ReportFormat.ROADMAP_CSV: "text/csv; charset=utf-8",
    ReportFormat.ROADMAP_XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ReportFormat.MANIFEST: "application/json",
}
"""What each format is sent as (always as a download: a report never opens inside the app)."""


def baselines(root: Path) -> list[str]:
    """The result documents of the workspace a progress view can start from: ``*.result.json``
    at its top and one folder down (``baseline/``), answers and evidence aside, links to
    files outside the workspace aside."""
    found = [*root.glob("*.result.json"), *root.glob("*/*.result.json")]
    skipped = {ANSWERS_DIR, EVIDENCE_DIR}
    return sorted(
        p.relative_to(root).as_posix()
        for p in found
        if p.is_file()
        and p.relative_to(root).parts[0] not in skipped
        and not p.parent.is_symlink()
        and input_file_problem(root, p) is None  # a link out of the workspace is not read
    )


def _baseline(context: Served, request: Request) -> str | None:
    """The baseline chosen: one of :func:`baselines` by name (never a path from the request)."""
    chosen = request.query_params.get("baseline") or None
    if chosen is None:
        return None
    if chosen not in baselines(context.root):
        raise InputError(f"baseline: '{chosen}' is not a result document of this workspace")
    return chosen


def _progress(context: Served, snapshot: Snapshot, chosen: str) -> str:
    from assess.engine.series import Series, check_baseline, compare_document
    from assess.inputs.resultfile import read_result
    from assess.render.progress_text import compare_text

    path = context.root / chosen
    earlier = read_result(path)
    check_baseline(path, earlier, snapshot.result)
    series = Series(
        (Path(chosen), Path(f"this workspace, {snapshot.result.evaluated_at}")),
        (earlier, snapshot.result),
        (),
    )
    return compare_text(compare_document(series))


async def report(request: Request) -> Response:
    """``/report``: the downloads, and the progress view with ``?baseline=``."""
    context = served(request)
    snapshot = await snapshot_or_page(request)
    if isinstance(snapshot, Response):
        return snapshot
    problems: list[str] = []
    progress = ""
    chosen = None
    try:
        chosen = _baseline(context, request)
        if chosen is not None:
            progress = await run_in_threadpool(_progress, context, snapshot, chosen)
    except InputError as error:
        problems = context.problems(error)
    return page(
        context,
        "report.html.j2",
        request,
        status=400 if problems else 200,
        title="Report",
        formats=[(f.value, FORMATS[f].file_name, FORMATS[f].description) for f in ReportFormat],
        baselines=baselines(context.root),
        chosen=chosen or "",
        progress=progress,
        problems=problems,
    )


async def download(request: Request) -> Response:
    """``/download/{format}[?baseline=]``: one report format, written from the workspace now."""
    context = served(request)
    try:
        chosen = ReportFormat(request.path_params["name"])
    except ValueError:
        return Response("no such report format\n", status_code=404)
    try:
        data = await run_in_threadpool(_render, context, chosen, _baseline(context, request))
    except InputError as error:
        return Response("\n".join(context.problems(error)) + "\n", status_code=400)
    name = FORMATS[chosen].file_name
    return Response(
        data,
        media_type=MEDIA_TYPES[chosen],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _render(context: Served, chosen: ReportFormat, baseline: str | None) -> bytes:
    from assess.engine.series import check_baseline
    from assess.inputs.resultfile import read_result
    from assess.publish.report import render_outputs

    snapshot = context.live.snapshot()
    earlier = None
    path = None
    if baseline is not None:
        path = context.root / baseline
        earlier = read_result(path)
        check_baseline(path, earlier, snapshot.result)
    (output,) = render_outputs(
        snapshot.workspace, snapshot.result, [chosen], baseline=earlier, baseline_file=path
    )
    return output.data
