"""Chart geometry: points on the right spokes, clamping, bars and cells where they belong.

Expected coordinates come from the chart constants: the radar's centre is (320, 210) and its
level-5 ring has radius 135; the gap chart maps level 1 to x = 232 and level 5 to x = 552.
"""

from __future__ import annotations

import pytest

from assess.render import charts


def _radar(scores, series_key="current"):
    return charts.radar_chart(
        ["North", "East", "South", "West"],
        ["", "", "", ""],
        [(series_key, "Now", scores)],
        title="t",
        description="d",
    )


def test_radar_points_lie_on_their_spokes_at_the_score_radius():
    radar = _radar([5, 2.5, 1, None])
    (series,) = radar.series
    # North (up) at 5 → radius 135; East (right) at 2.5 → 67.5; South at 1 → 27; West none.
    assert series.points == "320,75 387.5,210 320,237 320,210"
    assert [(m.x, m.y) for m in series.markers] == [(320, 75), (387.5, 210), (320, 237)]


def test_radar_clamps_scores_outside_the_scale():
    (series,) = _radar([7, -1, 5, 5]).series
    assert series.points.split()[0] == "320,75"  # 7 drawn as 5
    assert series.points.split()[1] == "320,210"  # -1 drawn at the centre


def test_radar_rings_and_labels():
    radar = _radar([1, 1, 1, 1])
    assert [r.level for r in radar.rings] == [1, 2, 3, 4, 5]
    assert radar.rings[-1].points == "320,75 455,210 320,345 185,210"
    anchors = [label.anchor for label in radar.labels]
    assert anchors == ["middle", "start", "middle", "end"]


def test_a_radar_needs_three_spokes():
    with pytest.raises(AssertionError):
        charts.radar_chart(["a", "b"], ["", ""], [], title="", description="")


def test_legend_entries_do_not_overlap():
    radar = charts.radar_chart(
        ["a", "b", "c"],
        ["", "", ""],
        [("target", "Target", [1, 1, 1]), ("baseline", "Before (2026-08-28)", [1, 1, 1])],
        title="",
        description="",
    )
    first, second = radar.series
    assert second.legend_x - first.legend_x >= charts.LEGEND_SAMPLE + len("Target") * 6


def test_wrap_breaks_at_spaces_and_keeps_long_words():
    assert charts.wrap("Monitoring, Alerting & Incident Response", 16) == (
        "Monitoring,",
        "Alerting &",
        "Incident",
        "Response",
    )
    assert charts.wrap("Supercalifragilistic", 5) == ("Supercalifragilistic",)


def test_gap_bars_start_at_level_one_and_box_the_shortfall():
    chart = charts.gap_chart(
        [("A", 3.0, 4, 2.0, "3.00 → 4"), ("B", 4.5, 3, None, "met"), ("C", None, 3, None, "n/a")],
        title="",
        description="",
    )
    a, b, c = chart.rows
    assert chart.ticks[0].x == 232 and chart.ticks[-1].x == 552
    assert a.bar_width == 160  # level 1 → 3 is half of 320
    assert (a.gap_x, a.gap_width, a.target_x) == (392, 80, 472)
    assert a.baseline == charts.diamond(312, 13)
    assert b.gap_width == 0  # target met: no shortfall box
    assert not c.is_applicable and c.gap_width == 0
    assert chart.has_baseline


def test_level_grid_cells():
    grid = charts.level_grid(
        [
            charts.GridInput(
                name="D", level=2, completion=0.5, target=4, met=((2, 2), (1, 2), (0, 1), (0, 0))
            ),
            charts.GridInput(name="N", level=None, completion=None, target=3, met=((0, 0),) * 4),
        ],
        ["Ad-hoc", "Basic", "Defined", "Managed", "Optimized"],
        title="",
        description="",
    )
    d, n = grid.rows
    assert [c.state for c in d.cells] == ["achieved", "achieved", "progress", "open", "open"]
    assert [c.text for c in d.cells] == ["✓", "✓ 2/2", "50% · 1/2", "0/1", "—"]
    assert [c.is_target for c in d.cells] == [False, False, False, True, False]
    assert d.cells[2].fill_width == pytest.approx(grid.cell_width / 2)
    assert {c.state for c in n.cells} == {"na"}


def test_a_trend_value_label_never_sits_on_the_bottom_axis():
    """The demo's Audit dimension: 1.50 just under its target 2, near level 1 (issue 18).

    A 320 x 150 chart with a heading and no legend has its plot from y = 22 to y = 128, so
    level L is at 22 + 106 * (5 - L) / 4: the target line (2) at 101.5, the point (1.5) at 114.75.
    Below the point (114.75 + 13) the label would sit on the axis at 128; it goes above the
    target line instead (101.5 - 4). A point under a target higher up keeps its label below.
    """
    from datetime import date

    from assess.render.trend_chart import trend_chart

    def labels(targets, scores):
        chart = trend_chart(
            [date(2026, 5, 29), date(2026, 8, 28), date(2026, 11, 27)],
            [("target", "target", targets), ("current", "score", scores)],
            title="t",
            description="d",
            heading="Audit",
            width=320.0,
            height=150.0,
            has_legend=False,
        )
        (current,) = [line for line in chart.lines if line.key == "current"]
        return [v.y for v in current.values]

    low = labels([2.0, 2.0, 2.0], [4 / 3, 1.5, 7 / 3])
    assert low[1] == pytest.approx(97.5)
    assert all(y <= 128 - 2 for y in low)
    # 2.9 under a target of 3: the point at 77.65, its label below at 90.65, clear of the axis.
    assert labels([3.0, 3.0, 3.0], [2.9, 2.9, 2.9])[0] == pytest.approx(90.65)


def test_renewal_bars_stack_manual_under_automated_on_a_nice_scale():
    # Totals 30 and 75: steps of 20 cover 75 in four (0, 20, 40, 60, 80), so the plot's 180
    # units of height stand for 80 renewals: 2.25 units each. The axis is at 22 + 180 = 202.
    chart = charts.renewal_chart(
        [(("from 2026-03-15", "200 days"), 10.0, 20.0, "30.0"), (("b",), 60.0, 15.0, "75.0")],
        title="t",
        description="d",
    )
    assert [t.label for t in chart.ticks] == ["0", "20", "40", "60", "80"]
    assert [t.x for t in chart.ticks] == [202, 157, 112, 67, 22]
    first, second = chart.bars
    assert (first.manual_height, first.manual_y) == (22.5, 179.5)  # 10 · 2.25 over the axis
    assert (first.automated_height, first.automated_y) == (45, 134.5)  # 20 · 2.25 on top
    assert (second.manual_height, second.automated_height) == (135, 33.75)
    # Two slots of (624 − 64) / 2 = 280: bars of 64 centred at 204 and 484.
    assert (first.centre, first.x, first.width) == (204, 172, 64)
    assert second.centre == 484 and first.total_y == 129.5


def test_renewal_bars_without_renewals_keep_a_scale():
    chart = charts.renewal_chart([(("a",), 0.0, 0.0, "0.0")], title="t", description="d")
    assert [t.label for t in chart.ticks] == ["0", "1"]
    assert chart.bars[0].manual_height == 0 and chart.bars[0].automated_height == 0


@pytest.mark.parametrize(
    ("top", "step"), [(75, 20), (5603.1, 2000), (4.2, 1), (0.3, 0.1), (100, 20), (101, 50)]
)
def test_nice_steps(top, step):
    assert charts.nice_step(top) == pytest.approx(step)
