"""Section 1, the executive summary: whether the assessment is a draft, the verdict, headline
figures, the maturity radar, the dimensions furthest below target and those at target, the first
roadmap steps and, with a baseline, the progress headline.

Which dimensions are listed and what the verdict is are decided in
:mod:`assess.method.interpretation`; this module words them.
"""

from __future__ import annotations

from collections.abc import Sequence

from assess.method.interpretation import (
    Verdict,
    furthest_below_target,
    lowest_score,
    shortfall,
    targets_met,
    verdict,
)
from assess.model.base import Frozen
from assess.model.levels import MAX_LEVEL
from assess.model.progress import ChangeKind, Progress
from assess.model.result import DimensionResult, Result
from assess.render import charts
from assess.render.view.blocks import Figure, SectionRef, TableRow
from assess.render.view.formatting import level_text, long_date, percent, score_text, signed
from assess.render.view.narrative import Block
from assess.render.view.progress import baseline_scores
from assess.support.words import plural

FOCUS_SHOWN = 5
"""How many phase-1 roadmap steps the summary names."""


class GapItem(Frozen):
    """A dimension in the furthest-below-target or targets-met list."""

    title: str
    level: str
    score: str
    target: str
    text: str


class StepRef(Frozen):
    """A roadmap step named in the executive summary."""

    order: int
    practice: str
    title: str
    dimension: str
    effort: str
    owner: str


class Summary(Frozen):
    """The executive summary."""

    section: SectionRef
    draft: str | None
    """Why the report is a draft (unanswered practices); ``None`` when the assessment is
    complete."""
    verdict: str
    figures: tuple[Figure, ...]
    radar: charts.RadarChart | None
    """``None`` with fewer than three dimensions (a radar needs three spokes)."""
    radar_header: tuple[str, ...]
    radar_rows: tuple[TableRow, ...]
    radar_widths: tuple[str, ...]
    """Column widths of the radar's data table."""
    below_target: tuple[GapItem, ...]
    """The dimensions furthest below target, weighted shortfall first."""
    below_target_note: str
    """How that list is ranked, and where the lowest score is when the list leaves it out."""
    targets_met: tuple[GapItem, ...]
    """Dimensions at their target level, with their coverage."""
    focus: tuple[StepRef, ...]
    progress_headline: str | None
    narrative: tuple[Block, ...] = ()
    """The assessor's summary (``narrative/summary.md``), after the verdict."""


def verdict_text(result: Result, reading: Verdict) -> str:
    """The verdict in one sentence."""
    o, org = result.overall, result.assessment.organisation
    if not reading.is_scored or o.target_score is None:
        return f"No dimension applies to {org}: nothing could be scored."
    where = (
        "at or above its weighted target"
        if reading.is_at_weighted_target
        else "below its weighted target"
    )
    if reading.is_every_dimension_at_target:
        tail = "and every dimension reaches its target level."
    else:
        tail = (
            f"and {reading.dimensions_at_target} of {reading.dimensions_applicable} dimensions "
            "reach their target level."
        )
    return (
        f"{org} manages its certificates at level {o.level} ({o.level_name}) overall, "
        f"{where} of {o.target_score:.2f}, {tail}"
    )


def draft_text(result: Result) -> str | None:
    """Why the report is a draft, for the summary; ``None`` when the assessment is complete."""
    if result.complete:
        return None
    return (
        f"{result.unanswered} of {result.applicable_practices} applicable practices are "
        "unanswered. They count as not implemented, so the levels and scores below are a floor, "
        "not a finding, and roadmap steps for them are marked “not assessed”. A draft carries no "
        "sign-off."
    )


def _figures(result: Result, reading: Verdict, legend: str) -> tuple[Figure, ...]:
    o = result.overall
    phases = max((s.phase for s in result.roadmap), default=0)
    weakest = lowest_score(result)
    flagged = sum(1 for d in result.dimensions for p in d.practices if p.flags)
    return (
        Figure(
            label="Overall maturity",
            value=level_text(o.level, o.level_name),
            note=f"score {score_text(o.score)} of 5",
        ),
        Figure(
            label="Weighted target",
            value=score_text(o.target_score),
            note=f"shortfall {score_text(reading.shortfall)}",
        ),
        Figure(
            label="Dimensions at target",
            value=f"{reading.dimensions_at_target} of {reading.dimensions_applicable}",
            note=(
                f"lowest score: {weakest.title} ({score_text(weakest.score)})"
                if weakest
                else "none applicable"
            ),
        ),
        Figure(
            label="Roadmap",
            value=plural(len(result.roadmap), "step"),
            note=plural(phases, "phase") if phases else "every target is met",
        ),
        Figure(
            label="Practices flagged",
            value=str(flagged),
            note=f"see the flags legend in section {legend}" if flagged else "none",
        ),
    )


def _radar(result: Result, progress: Progress | None) -> charts.RadarChart | None:
    if len(result.dimensions) < charts.RADAR_MIN_SPOKES:
        return None
    series: list[tuple[str, str, Sequence[float | None]]] = [
        ("target", "Target", [float(d.target) for d in result.dimensions]),
    ]
    before = baseline_scores(progress)
    if progress is not None:
        series.append(
            (
                "baseline",
                f"Before ({progress.baseline.evaluated_at.isoformat()})",
                [before.get(d.id) for d in result.dimensions],
            )
        )
    series.append(("current", "Current", [d.score for d in result.dimensions]))
    return charts.radar_chart(
        [d.title for d in result.dimensions],
        [f"{score_text(d.score)} / target {d.target}" for d in result.dimensions],
        series,
        title="Maturity profile: current score against target per dimension",
        description=(
            "Radar chart with one spoke per dimension on a scale of 0 to 5 (the centre is 0). The "
            "solid line with round markers is the current score, the dashed line the target level"
            + (", the dotted line with diamond markers the previous assessment" if before else "")
            + ". The table below the chart gives the same figures."
        ),
    )


def _item(d: DimensionResult, text: str) -> GapItem:
    return GapItem(
        title=d.title,
        level=level_text(d.level, d.level_name),
        score=score_text(d.score),
        target=str(d.target),
        text=text,
    )


def _gap_text(d: DimensionResult) -> str:
    return (
        f"{plural(d.gap, 'level')} short; shortfall {score_text(shortfall(d))} × weight "
        f"{d.weight:g}; {percent(d.completion)} of the way to level "
        f"{min((d.level or 1) + 1, MAX_LEVEL)}."
    )


def _met_text(d: DimensionResult) -> str:
    return f"Target met; coverage {percent(d.coverage)} of all its practices."


def _below_target_note(result: Result, listed: Sequence[DimensionResult]) -> str:
    note = "Ranked by shortfall (target − score) times the dimension's weight."
    weakest = lowest_score(result)
    if weakest is not None and listed and all(d.id != weakest.id for d in listed):
        why = (
            "its shortfall times its weight is smaller"
            if shortfall(weakest) > 0
            else "it reaches its target score"
        )
        note += (
            f" The lowest score, {weakest.title} ({score_text(weakest.score)}, target "
            f"{weakest.target}, weight {weakest.weight:g}), is not among them: {why}."
        )
    return note


def _headline(progress: Progress | None) -> str | None:
    if progress is None:
        return None
    return (
        f"Since the previous assessment on {long_date(progress.baseline.evaluated_at)}, the "
        f"overall score moved {signed(progress.delta_overall)}; "
        f"{plural(progress.count(ChangeKind.IMPROVED), 'practice')} improved and "
        f"{progress.count(ChangeKind.REGRESSED)} regressed."
    )


def summary(
    result: Result, progress: Progress | None, ref: SectionRef, method_ref: SectionRef
) -> Summary:
    """The executive summary of a result; ``progress`` adds the baseline to the radar;
    ``method_ref`` is the section that holds the flags legend."""
    reading = verdict(result)
    before = baseline_scores(progress)
    header = ("Dimension", "Now", "Target") + (("Before",) if progress else ())
    radar_rows = tuple(
        TableRow(
            cells=(d.title, score_text(d.score), str(d.target))
            + ((score_text(before.get(d.id)),) if progress else ())
        )
        for d in result.dimensions
    )
    focus = tuple(
        StepRef(
            order=s.order,
            practice=s.practice,
            title=s.title,
            dimension=result.dimension(s.dimension).title,
            effort=s.effort.value,
            owner=s.owner_role or "—",
        )
        for s in result.roadmap
        if s.phase == 1
    )[:FOCUS_SHOWN]
    below = furthest_below_target(result)
    return Summary(
        section=ref,
        draft=draft_text(result),
        verdict=verdict_text(result, reading),
        figures=_figures(result, reading, method_ref.number),
        radar=_radar(result, progress),
        radar_header=header,
        radar_rows=radar_rows,
        radar_widths=("",) + ("12mm",) * (len(header) - 1),
        below_target=tuple(_item(d, _gap_text(d)) for d in below),
        below_target_note=_below_target_note(result, below),
        targets_met=tuple(_item(d, _met_text(d)) for d in targets_met(result)),
        focus=focus,
        progress_headline=_headline(progress),
    )
