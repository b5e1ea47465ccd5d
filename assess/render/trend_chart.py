"""Line-chart geometry for ``assess trend``: scores by assessment date against the target. Pure.

Like the report's charts (``assess.render.charts``), the numbers are computed here and the
template (``templates/charts/trend.svg.j2``) only draws them. The horizontal position of an
assessment is proportional to its date, so an irregular gap between assessments shows as one.
Series differ by line pattern and marker as well as colour; values are written at the points.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from assess.model.base import Frozen
from assess.model.levels import MAX_LEVEL
from assess.render.charts import Marker, Tick, diamond, on_scale, rounded

LABEL_CLEARANCE = 2.0
"""Room kept between a value label's baseline and the bottom axis line."""


class YTick(Frozen):
    """A horizontal grid line at a level, with its label."""

    y: float
    label: str


class ValueLabel(Frozen):
    """A value written beside its point."""

    x: float
    y: float
    text: str


class TrendLine(Frozen):
    """One series: ``current`` (solid, round markers) or ``target`` (dashed, no markers)."""

    key: str
    label: str
    segments: tuple[str, ...]
    """The polyline split where a value is missing: one ``points`` attribute per run."""
    markers: tuple[Marker, ...]
    values: tuple[ValueLabel, ...]


class TrendChart(Frozen):
    """Scores over time against the target."""

    width: float
    height: float
    plot_x: float
    plot_y: float
    plot_width: float
    plot_height: float
    title: str
    description: str
    heading: str
    """Short text above the plot (the dimension name); empty for none."""
    y_ticks: tuple[YTick, ...]
    x_ticks: tuple[Tick, ...]
    lines: tuple[TrendLine, ...]
    legend_y: float
    """Where the legend row is; 0 when the chart has no legend."""


def _x_positions(dates: Sequence[date], left: float, width: float) -> list[float]:
    if len(dates) == 1 or dates[0] == dates[-1]:
        if len(dates) == 1:
            return [rounded(left + width / 2)]
        return [rounded(left + width * i / (len(dates) - 1)) for i in range(len(dates))]
    span = (dates[-1] - dates[0]).days
    return [rounded(left + width * (d - dates[0]).days / span) for d in dates]


def _label_y(
    point_y: float,
    x: float,
    xs: Sequence[float],
    targets: Sequence[float | None] | None,
    y: Callable[[float], float],
    bottom: float,
) -> float:
    """Above the point, or below it when the target line would run through the label.

    Below is only taken while the label stays clear of the bottom axis (``bottom``, the level-1
    line); a point just under its target near level 1 writes its value above the target line.
    """
    above = rounded(point_y - 7)
    if targets is None:
        return above
    target = targets[list(xs).index(x)]
    if target is not None and -4 <= point_y - y(target) <= 14:
        below = rounded(point_y + 13)
        if below <= bottom - LABEL_CLEARANCE:
            return below
        return rounded(min(above, y(target) - 4))
    return above


def trend_chart(
    dates: Sequence[date],
    series: Sequence[tuple[str, str, Sequence[float | None]]],
    *,
    title: str,
    description: str,
    heading: str = "",
    width: float = 640.0,
    height: float = 260.0,
    has_legend: bool = True,
    date_labels: Sequence[str] | None = None,
) -> TrendChart:
    """A line chart of ``series`` — ``(key, legend label, values)`` — over ``dates``.

    The vertical axis runs from level 1 to level 5; values are clamped to it. Only the
    ``current`` series gets markers and value labels; the target reads from its line.
    """
    left, right = 34.0, 46.0
    top = 22.0 if heading else 12.0
    bottom = 40.0 if has_legend else 22.0
    plot_w = width - left - right
    plot_h = height - top - bottom
    # Points sit a little inside the plot so their value labels clear the level labels.
    inset = 16.0
    xs = _x_positions(dates, left + inset, plot_w - 2 * inset)
    targets = next((values for key, _, values in series if key == "target"), None)

    def y(value: float) -> float:
        return rounded(top + plot_h * (MAX_LEVEL - on_scale(value)) / (MAX_LEVEL - 1))

    lines = []
    for key, label, values in series:
        runs: list[list[str]] = [[]]
        markers, labels = [], []
        for x, value in zip(xs, values, strict=True):
            if value is None:
                runs.append([])
                continue
            runs[-1].append(f"{x:g},{y(value):g}")
            if key == "current":
                markers.append(Marker(x=x, y=y(value), diamond=diamond(x, y(value))))
                labels.append(
                    ValueLabel(
                        x=x,
                        y=_label_y(y(value), x, xs, targets, y, top + plot_h),
                        text=f"{value:.2f}",
                    )
                )
        segments = tuple(" ".join(run) for run in runs if run)
        lines.append(
            TrendLine(
                key=key,
                label=label,
                segments=segments,
                markers=tuple(markers),
                values=tuple(labels),
            )
        )
    texts = list(date_labels) if date_labels is not None else [d.isoformat() for d in dates]
    return TrendChart(
        width=width,
        height=height,
        plot_x=left,
        plot_y=top,
        plot_width=rounded(plot_w),
        plot_height=rounded(plot_h),
        title=title,
        description=description,
        heading=heading,
        y_ticks=tuple(YTick(y=y(float(level)), label=str(level)) for level in range(1, 6)),
        x_ticks=tuple(Tick(x=x, label=text) for x, text in zip(xs, texts, strict=True)),
        lines=tuple(lines),
        legend_y=rounded(height - 8) if has_legend else 0.0,
    )
