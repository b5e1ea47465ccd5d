"""Chart geometry for the report's inline SVG: radar, gap bars and level grid. Pure.

The numbers are computed here and unit-tested; the templates in ``templates/charts/`` only loop
over the shapes. Every chart says what it shows in words (its ``title`` and ``description``),
and every series differs by line pattern and marker shape as well as colour, so the charts read
the same printed in greyscale. Coordinates are rounded to 0.01 so the output is stable.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from assess.model.base import Frozen
from assess.model.levels import MAX_LEVEL

RADAR_WIDTH = 640.0
"""Width of the radar's viewBox: the rest beside the rings is room for labels."""
RADAR_HEIGHT = 420.0
"""Height of the radar's viewBox, without the legend row."""
RADAR_RADIUS = 135.0
"""Radius of the level-5 ring."""
CENTRE_X = RADAR_WIDTH / 2
CENTRE_Y = RADAR_HEIGHT / 2
RADAR_MIN_SPOKES = 3
"""A radar needs at least this many dimensions."""
LABEL_WIDTH = 16
"""Characters per line of a wrapped dimension name."""


def rounded(value: float) -> float:
    """A coordinate rounded to 0.01 SVG units, so the output is stable."""
    return round(value, 2)


def on_scale(score: float, low: float = 1.0) -> float:
    """A score clamped to the level scale, from ``low`` (level 1, or the radar's centre) to 5."""
    return min(max(score, low), float(MAX_LEVEL))


def wrap(text: str, width: int = LABEL_WIDTH) -> tuple[str, ...]:
    """Split a label into lines of at most ``width`` characters at spaces (long words stay)."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current:
        lines.append(current)
    return tuple(lines) or ("",)


class Point(Frozen):
    """A point in SVG user units."""

    x: float
    y: float


class Line(Frozen):
    """A straight segment."""

    x1: float
    y1: float
    x2: float
    y2: float


class Ring(Frozen):
    """A level ring of the radar with its label position."""

    level: int
    points: str
    """The ring polygon, as an SVG ``points`` attribute."""
    label_x: float
    label_y: float


class Marker(Frozen):
    """A series marker: a circle centre, and the same point as a diamond polygon."""

    x: float
    y: float
    diamond: str


class RadarSeries(Frozen):
    """One polygon of the radar."""

    key: str
    """``current``, ``target`` or ``baseline``: the template styles by key."""
    label: str
    """Legend text."""
    points: str
    """The polygon, as an SVG ``points`` attribute."""
    markers: tuple[Marker, ...]
    """One marker per spoke (where the dimension has a value)."""
    legend_x: float
    """Where the series' legend entry starts."""


class RadarLabel(Frozen):
    """A dimension's name at the end of its spoke."""

    x: float
    y: float
    anchor: str
    """SVG ``text-anchor``: ``start``, ``middle`` or ``end``."""
    lines: tuple[str, ...]
    """The wrapped name."""
    value: str
    """The figures under the name (``2.40 / target 4``)."""


class RadarChart(Frozen):
    """Dimension scores on spokes: current against target (and a baseline)."""

    width: float
    title: str
    description: str
    rings: tuple[Ring, ...]
    spokes: tuple[Line, ...]
    series: tuple[RadarSeries, ...]
    labels: tuple[RadarLabel, ...]
    height: float
    """The viewBox height: the square plus a row for the legend."""
    legend_y: float


LEGEND_SAMPLE = 32.0
"""Room for a legend entry's sample line before its text."""
LEGEND_CHAR = 7.0
"""Approximate width of a legend character at the legend's font size."""
LEGEND_GAP = 24.0
"""Space between legend entries."""
LINE_HEIGHT = 15.0
"""Line height of the radar's labels, in viewBox units."""
"""Horizontal room for one legend entry."""


def _polar(index: float, count: int, radius: float) -> Point:
    angle = -math.pi / 2 + 2 * math.pi * index / count
    return Point(
        x=rounded(CENTRE_X + radius * math.cos(angle)),
        y=rounded(CENTRE_Y + radius * math.sin(angle)),
    )


def _points(points: Sequence[Point]) -> str:
    return " ".join(f"{p.x:g},{p.y:g}" for p in points)


def diamond(x: float, y: float, half: float = 4.0) -> str:
    """A diamond marker centred on (x, y), as an SVG ``points`` attribute."""
    corners = ((x, y - half), (x + half, y), (x, y + half), (x - half, y))
    return " ".join(f"{rounded(cx):g},{rounded(cy):g}" for cx, cy in corners)


def radar_chart(
    names: Sequence[str],
    values: Sequence[str],
    series: Sequence[tuple[str, str, Sequence[float | None]]],
    *,
    title: str,
    description: str,
) -> RadarChart:
    """A radar with one spoke per dimension.

    ``series`` is ``(key, legend label, scores)``; a score of ``None`` (dimension not applicable)
    is drawn at the centre and gets no marker. Scores are clamped to 0–5.
    """
    count = len(names)
    assert count >= RADAR_MIN_SPOKES, "a radar needs at least three spokes"

    def radius(score: float) -> float:
        return RADAR_RADIUS * on_scale(score, 0.0) / MAX_LEVEL

    rings = []
    for level in range(1, MAX_LEVEL + 1):
        ring = [_polar(i, count, radius(level)) for i in range(count)]
        # Ring numbers sit halfway between the first two spokes, clear of the labels.
        at = _polar(0.5, count, radius(level))
        rings.append(
            Ring(level=level, points=_points(ring), label_x=at.x, label_y=rounded(at.y + 3))
        )
    spokes = []
    for i in range(count):
        end = _polar(i, count, RADAR_RADIUS)
        spokes.append(Line(x1=CENTRE_X, y1=CENTRE_Y, x2=end.x, y2=end.y))
    drawn = []
    # Legend entries side by side, each as wide as its sample line and text, centred as a row.
    widths = [LEGEND_SAMPLE + LEGEND_CHAR * len(label) + LEGEND_GAP for _, label, _ in series]
    starts = [sum(widths[:i]) for i in range(len(widths))]
    legend_start = CENTRE_X - (sum(widths) - LEGEND_GAP) / 2
    for index, (key, label, scores) in enumerate(series):
        corners = [_polar(i, count, radius(s or 0.0)) for i, s in enumerate(scores)]
        markers = tuple(
            Marker(x=c.x, y=c.y, diamond=diamond(c.x, c.y))
            for c, s in zip(corners, scores, strict=True)
            if s is not None
        )
        drawn.append(
            RadarSeries(
                key=key,
                label=label,
                points=_points(corners),
                markers=markers,
                legend_x=rounded(legend_start + starts[index]),
            )
        )
    labels = []
    for i, (name, value) in enumerate(zip(names, values, strict=True)):
        angle = -math.pi / 2 + 2 * math.pi * i / count
        cos, sin = math.cos(angle), math.sin(angle)
        lines = wrap(name)
        anchor = "start" if cos > 0.3 else "end" if cos < -0.3 else "middle"
        at = _polar(i, count, RADAR_RADIUS + 14)
        height = LINE_HEIGHT * (len(lines) + 1)
        # Above the centre the block grows upwards from the spoke end, below it downwards.
        shift = LINE_HEIGHT * 0.75
        top = (
            at.y - height + shift
            if sin < -0.3
            else at.y + shift
            if sin > 0.3
            else at.y - height / 2 + shift
        )
        labels.append(
            RadarLabel(x=at.x, y=rounded(top), anchor=anchor, lines=lines, value=value),
        )
    return RadarChart(
        width=RADAR_WIDTH,
        title=title,
        description=description,
        rings=tuple(rings),
        spokes=tuple(spokes),
        series=tuple(drawn),
        labels=tuple(labels),
        height=RADAR_HEIGHT + 30,
        legend_y=RADAR_HEIGHT + 16,
    )


GAP_WIDTH = 680.0
"""Width of the gap-bar chart's viewBox."""
GAP_LABEL = 232.0
"""Room for dimension names at the left."""
GAP_PLOT = 320.0
"""Width of the plot area (levels 1 to 5)."""
GAP_ROW = 22.0
"""Height of one dimension's row."""
GAP_TOP = 26.0
"""Room for the level axis above the rows."""


class Tick(Frozen):
    """An axis tick with its label."""

    x: float
    label: str


class GapRow(Frozen):
    """One dimension in the gap-bar chart."""

    y: float
    """Top of the row."""
    lines: tuple[str, ...]
    """The dimension name, wrapped."""
    is_applicable: bool
    bar_width: float
    """Length of the achieved-score bar, from level 1."""
    gap_x: float
    """Start of the dashed shortfall box (the bar's end)."""
    gap_width: float
    """Length of the shortfall box; 0 when the target is met."""
    target_x: float
    """Where the target tick is drawn."""
    baseline: str | None
    """The baseline diamond (SVG ``points``), when a baseline is given."""
    figures: str
    """The numbers in words at the right (``2.40 → 4, gap 1``)."""
    label_y: float
    """Baseline of the name's first line (one line is centred, two start higher)."""


class GapChart(Frozen):
    """Achieved score against target per dimension, as horizontal bars."""

    width: float
    height: float
    plot_x: float
    """Left edge of the plot (level 1)."""
    plot_width: float
    bar_height: float
    title: str
    description: str
    ticks: tuple[Tick, ...]
    rows: tuple[GapRow, ...]
    has_baseline: bool
    figures_x: float
    """Where the figures at the right of each bar start."""
    axis_bottom: float
    """Where the tick lines end."""
    legend_y: float


def gap_chart(
    rows: Sequence[tuple[str, float | None, int, float | None, str]],
    *,
    title: str,
    description: str,
) -> GapChart:
    """Bars from level 1 to each score, a target tick, a dashed box for the shortfall.

    ``rows`` are ``(name, score or None when not applicable, target, baseline score, figures)``.
    """

    def x(score: float) -> float:
        return rounded(GAP_LABEL + GAP_PLOT * (on_scale(score) - 1) / (MAX_LEVEL - 1))

    drawn = []
    for index, (name, score, target, baseline, figures) in enumerate(rows):
        top = GAP_TOP + index * GAP_ROW
        lines = wrap(name, 38)
        end = x(score) if score is not None else x(1.0)
        target_x = x(float(target))
        drawn.append(
            GapRow(
                y=rounded(top),
                lines=lines,
                label_y=17.0 if len(lines) == 1 else 11.0,
                is_applicable=score is not None,
                bar_width=rounded(end - GAP_LABEL),
                gap_x=end,
                gap_width=rounded(max(0.0, target_x - end)) if score is not None else 0.0,
                target_x=target_x,
                baseline=diamond(x(baseline), 13.0) if baseline is not None else None,
                figures=figures,
            )
        )
    return GapChart(
        width=GAP_WIDTH,
        height=rounded(GAP_TOP + GAP_ROW * len(rows) + 30),
        plot_x=GAP_LABEL,
        plot_width=GAP_PLOT,
        bar_height=12.0,
        title=title,
        description=description,
        ticks=tuple(Tick(x=x(float(level)), label=str(level)) for level in range(1, 6)),
        rows=tuple(drawn),
        has_baseline=any(r[3] is not None for r in rows),
        figures_x=GAP_LABEL + GAP_PLOT + 12,
        axis_bottom=rounded(GAP_TOP + GAP_ROW * len(rows)),
        legend_y=rounded(GAP_TOP + GAP_ROW * len(rows) + 18),
    )


GRID_WIDTH = 680.0
"""Width of the level grid's viewBox."""
GRID_LABEL = 232.0
"""Room for dimension names at the left."""
GRID_CELL = 84.0
"""Width of one level's column."""
GRID_ROW = 23.0
"""Height of one dimension's row."""
GRID_TOP = 34.0
"""Room for the level headings."""


class GridCell(Frozen):
    """One dimension × level cell."""

    x: float
    cx: float
    """Centre of the cell, where its text goes."""
    outline_x: float
    """Left edge of the target outline, drawn just outside the cell."""
    state: str
    """``achieved``, ``progress``, ``open`` or ``na``: the template styles by state."""
    fill_width: float
    """For ``progress``: how much of the cell the completion fills."""
    text: str
    """What the cell says (``✓ 2/2``, ``40%``, ``0/3``)."""
    is_target: bool
    """True on the dimension's target level: drawn with a heavy outline."""


class GridRow(Frozen):
    """One dimension of the level grid."""

    y: float
    lines: tuple[str, ...]
    label_y: float
    """Baseline of the name's first line."""
    cells: tuple[GridCell, ...]


class GridHeading(Frozen):
    """A level's column heading."""

    cx: float
    number: int
    name: str


class LevelGrid(Frozen):
    """Which levels each dimension has reached, where it stands in the next, and its target."""

    width: float
    height: float
    cell_width: float
    cell_height: float
    outline_width: float
    outline_height: float
    title: str
    description: str
    headings: tuple[GridHeading, ...]
    rows: tuple[GridRow, ...]
    legend_y: float


class GridInput(Frozen):
    """What the level grid needs of one dimension."""

    name: str
    level: int | None
    """Achieved level; ``None`` when the dimension is not applicable."""
    completion: float | None
    target: int
    met: tuple[tuple[int, int], ...]
    """For levels 2–5: (practices met, applicable practices)."""


def level_grid(
    dimensions: Sequence[GridInput],
    level_names: Sequence[str],
    *,
    title: str,
    description: str,
) -> LevelGrid:
    """One row per dimension, one column per level."""
    inner = GRID_CELL - 6
    headings = tuple(
        GridHeading(cx=rounded(GRID_LABEL + GRID_CELL * i + inner / 2), number=i + 1, name=name)
        for i, name in enumerate(level_names)
    )
    rows = []
    for index, d in enumerate(dimensions):
        cells = []
        for level in range(1, MAX_LEVEL + 1):
            met, total = d.met[level - 2] if level >= 2 else (0, 0)
            counts = f"{met}/{total}" if total else "—"
            if d.level is None:
                state, text, fill = "na", "n/a", 0.0
            elif level <= d.level:
                state, text, fill = "achieved", "✓" if level == 1 else f"✓ {counts}", inner
            elif level == d.level + 1:
                share = d.completion or 0.0
                state, text, fill = "progress", f"{share:.0%} · {counts}", rounded(inner * share)
            else:
                state, text, fill = "open", counts, 0.0
            cells.append(
                GridCell(
                    x=rounded(GRID_LABEL + GRID_CELL * (level - 1)),
                    cx=rounded(GRID_LABEL + GRID_CELL * (level - 1) + inner / 2),
                    outline_x=rounded(GRID_LABEL + GRID_CELL * (level - 1) - 2),
                    state=state,
                    fill_width=fill,
                    text=text,
                    is_target=level == d.target,
                )
            )
        lines = wrap(d.name, 38)
        rows.append(
            GridRow(
                y=rounded(GRID_TOP + GRID_ROW * index),
                lines=lines,
                label_y=15.0 if len(lines) == 1 else 9.5,
                cells=tuple(cells),
            )
        )
    return LevelGrid(
        width=GRID_WIDTH,
        height=rounded(GRID_TOP + GRID_ROW * len(dimensions) + 24),
        cell_width=inner,
        cell_height=GRID_ROW - 6,
        outline_width=inner + 4,
        outline_height=GRID_ROW - 2,
        legend_y=rounded(GRID_TOP + GRID_ROW * len(dimensions) + 14),
        title=title,
        description=description,
        headings=headings,
        rows=tuple(rows),
    )


RENEWAL_WIDTH = 640.0
"""Width of the renewal chart's viewBox."""
RENEWAL_PLOT_X = 64.0
"""Left edge of the plot: room for the axis labels."""
RENEWAL_PLOT_RIGHT = 624.0
RENEWAL_TOP = 22.0
"""Top of the plot: room for the total over the tallest bar."""
RENEWAL_PLOT_HEIGHT = 180.0
RENEWAL_BAR = 64.0
"""Widest bar."""


class RenewalBar(Frozen):
    """One phase: manual renewals at the bottom (hatched), automated ones stacked on top."""

    x: float
    """Left edge of the bar."""
    width: float
    manual_y: float
    manual_height: float
    automated_y: float
    automated_height: float
    total_y: float
    """Baseline of the total printed over the bar."""
    total: str
    """Renewals a year, in figures."""
    centre: float
    lines: tuple[str, ...]
    """The phase under the axis: its date and its cap."""


class RenewalChart(Frozen):
    """Renewals a year by phase, each bar split manual/automated."""

    width: float
    height: float
    plot_x: float
    plot_right: float
    axis_y: float
    """The zero line."""
    title: str
    description: str
    ticks: tuple[Tick, ...]
    """Horizontal grid lines: ``x`` holds the line's y coordinate."""
    bars: tuple[RenewalBar, ...]
    legend_y: float


def nice_step(top: float, most: int = 5) -> float:
    """The smallest of 1, 2, 5 × 10ⁿ that covers ``top`` in at most ``most`` steps."""
    if top <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(top / most))
    for factor in (1.0, 2.0, 5.0, 10.0):
        if top / (factor * power) <= most:
            return factor * power
    return 10.0 * power


def renewal_chart(
    phases: Sequence[tuple[tuple[str, ...], float, float, str]],
    *,
    title: str,
    description: str,
) -> RenewalChart:
    """Stacked bars, one per phase: ``(label lines, manual, automated, total in figures)``."""
    top = max((manual + automated for _, manual, automated, _ in phases), default=0.0)
    step = nice_step(top)
    scale_top = step * max(1, math.ceil(top / step - 1e-9))
    axis_y = RENEWAL_TOP + RENEWAL_PLOT_HEIGHT

    def height(value: float) -> float:
        return rounded(RENEWAL_PLOT_HEIGHT * value / scale_top)

    slot = (RENEWAL_PLOT_RIGHT - RENEWAL_PLOT_X) / max(1, len(phases))
    width = min(RENEWAL_BAR, slot * 0.55)
    bars = []
    for index, (lines, manual, automated, total) in enumerate(phases):
        centre = RENEWAL_PLOT_X + slot * (index + 0.5)
        manual_height = height(manual)
        automated_height = height(automated)
        manual_y = rounded(axis_y - manual_height)
        automated_y = rounded(manual_y - automated_height)
        bars.append(
            RenewalBar(
                x=rounded(centre - width / 2),
                width=rounded(width),
                manual_y=manual_y,
                manual_height=manual_height,
                automated_y=automated_y,
                automated_height=automated_height,
                total_y=rounded(automated_y - 5),
                total=total,
                centre=rounded(centre),
                lines=lines,
            )
        )
    count = round(scale_top / step)
    ticks = tuple(
        Tick(x=rounded(axis_y - height(step * i)), label=f"{step * i:,.10g}")
        for i in range(count + 1)
    )
    return RenewalChart(
        width=RENEWAL_WIDTH,
        height=rounded(axis_y + 58),
        plot_x=RENEWAL_PLOT_X,
        plot_right=RENEWAL_PLOT_RIGHT,
        axis_y=rounded(axis_y),
        title=title,
        description=description,
        ticks=ticks,
        bars=tuple(bars),
        legend_y=rounded(axis_y + 48),
    )
