"""The report's charts as PNG images, for outputs that cannot hold SVG (the Word report).

One source of chart truth: each image is the very SVG the HTML and PDF reports draw (the
chart templates in ``templates/charts/``, rendered from the same view), rasterised by
CairoSVG. No browser, no second drawing of the same chart. CairoSVG needs the Cairo library
(Debian ``libcairo2``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from assess.render.html import render_template
from assess.render.view.document import ReportView
from assess.support.errors import EnvironmentProblem

__all__ = ["CHART_PIXELS", "ChartImage", "chart_images", "rasterise"]

CHART_PIXELS = 2000
"""The width of a chart image in pixels: 300 dpi across a 170 mm text column."""


@dataclass(frozen=True)
class ChartImage:
    """One chart as a PNG image, with the words the report gives it."""

    key: str
    """``radar``, ``level-grid``, ``gap-bars`` or ``renewals`` (the forecast's)."""
    png: bytes
    title: str
    description: str


def rasterise(svg: str, width: int = CHART_PIXELS) -> bytes:
    """A PNG of ``svg``, ``width`` pixels wide (the height keeps the chart's proportions)."""
    try:
        import cairosvg
    except OSError as error:  # cairocffi raises OSError when libcairo is missing
        raise EnvironmentProblem(
            f"the Word report's charts need the Cairo library: {error}",
            hint="install it: apt-get install libcairo2 (Debian, Ubuntu), brew install cairo "
            "(macOS)",
        ) from None
    # unsafe=False (the default): the SVG may load nothing, not even a local file.
    png = cairosvg.svg2png(bytestring=svg.encode("utf-8"), output_width=width)
    if not isinstance(png, bytes):  # pragma: no cover - svg2png returns bytes without write_to
        raise TypeError("cairosvg returned no image")
    return png


def chart_images(view: ReportView, template_dir: Path | None = None) -> tuple[ChartImage, ...]:
    """The report's charts as PNG, drawn by the same templates as the HTML report's.

    The radar is missing when the view has none (fewer than three dimensions), the renewals
    chart when the report has no forecast or the forecast no leaf certificate.
    """
    charts: list[tuple[str, str, str, str]] = []
    radar = view.summary.radar
    if radar is not None:
        charts.append(("radar", "charts/radar.svg.j2", radar.title, radar.description))
    grid, gaps = view.overview.grid, view.overview.gaps
    charts.append(("level-grid", "charts/level_grid.svg.j2", grid.title, grid.description))
    charts.append(("gap-bars", "charts/gap_bars.svg.j2", gaps.title, gaps.description))
    if view.forecast is not None and view.forecast.has_leaves:
        renewals = view.forecast.chart
        charts.append(("renewals", "charts/renewals.svg.j2", renewals.title, renewals.description))
    return tuple(
        ChartImage(
            key=key,
            png=rasterise(render_template(template, template_dir, report=view)),
            title=title,
            description=description,
        )
        for key, template, title, description in charts
    )
