"""Sections 4 and 5: the results at a glance (level grid, gap bars, the table of dimensions)
and the results by dimension (every practice with every answer, note and evidence reference)."""

from __future__ import annotations

from assess.method.interpretation import TargetStatus, target_status
from assess.model.base import Frozen
from assess.model.levels import MAX_LEVEL, Answer
from assess.model.progress import Progress
from assess.model.questionnaire import Questionnaire
from assess.model.result import DimensionResult, PracticeResult, Result
from assess.render import charts
from assess.render.view.blocks import Figure, SectionRef, TableRow
from assess.render.view.formatting import level_text, percent, score_text, value_text
from assess.render.view.labels import (
    ANSWER_CODES,
    ANSWER_LABELS,
    ANSWER_SYMBOLS,
    FLAG_TEXT,
    basis_label,
)
from assess.render.view.method import Respondent
from assess.render.view.narrative import Block
from assess.render.view.progress import baseline_scores
from assess.support.words import plural


class Overview(Frozen):
    """Results at a glance: level grid, gap bars and the gap table."""

    section: SectionRef
    grid: charts.LevelGrid
    gaps: charts.GapChart
    header: tuple[str, ...]
    rows: tuple[TableRow, ...]
    total: TableRow


class FlagTag(Frozen):
    """A flag as printed beside a practice."""

    label: str
    reason: str


class Note(Frozen):
    """A respondent's note on a practice."""

    who: str
    """The respondent's initials (the legend is in the section's introduction)."""
    text: str


class PracticeView(Frozen):
    """A practice row in its dimension's table."""

    id: str
    anchor: str
    title: str
    question: str
    level: int
    answer: str
    """The answer counted (method.md): the word whose value is ``value``."""
    symbol: str
    """The answer counted as a Harvey ball."""
    given: str
    """The answer given (after any override) when it is higher than the answer counted, else
    empty: a contradicted or unevidenced claim is shown beside what counts, never in its place."""
    consolidated: str
    """The respondents' answer when an override replaced it, else empty."""
    answers: str
    """Every respondent's answer by initials (``MK F · DO L``); empty when nobody answered."""
    value: str
    is_met: bool
    met_label: str
    """``met``, ``not met`` or ``n/a``: the state in words."""
    basis: str
    evidence: tuple[str, ...]
    flags: tuple[FlagTag, ...]
    notes: tuple[Note, ...]
    na_reasons: tuple[str, ...]


class DimensionView(Frozen):
    """One dimension's results."""

    section: SectionRef
    description: str
    is_applicable: bool
    status: str
    """``Target met``, ``1 level short`` or ``Not applicable``."""
    figures: tuple[Figure, ...]
    practices: tuple[PracticeView, ...]
    narrative: tuple[Block, ...] = ()
    """The assessor's finding (``narrative/<dimension-id>.md``), after the figures."""


class Dimensions(Frozen):
    """Results by dimension: every practice with every answer, note and evidence reference."""

    section: SectionRef
    respondents: tuple[Respondent, ...]
    """Initials used in the tables."""
    items: tuple[DimensionView, ...]


def status_text(d: DimensionResult) -> str:
    """Where a dimension stands against its target, in words."""
    match target_status(d):
        case TargetStatus.NOT_APPLICABLE:
            return "Not applicable"
        case TargetStatus.MET:
            return "Target met"
        case TargetStatus.SHORT:
            return f"{plural(d.gap, 'level')} short"


def _met_counts(d: DimensionResult) -> tuple[tuple[int, int], ...]:
    counts = []
    for level in range(2, MAX_LEVEL + 1):
        at = [p for p in d.practices if p.level == level and p.is_applicable]
        counts.append((sum(1 for p in at if p.is_met), len(at)))
    return tuple(counts)


def _gap_figures(d: DimensionResult) -> str:
    if not d.applicable:
        return "not applicable"
    return f"{score_text(d.score)} → {d.target}" + (f"  gap {d.gap}" if d.gap else "  met")


def overview(
    result: Result, questionnaire: Questionnaire, progress: Progress | None, ref: SectionRef
) -> Overview:
    """Results at a glance; ``progress`` marks each dimension's previous score on the bars."""
    before = baseline_scores(progress)
    grid = charts.level_grid(
        [
            charts.GridInput(
                name=d.title,
                level=d.level,
                completion=d.completion,
                target=d.target,
                met=_met_counts(d),
            )
            for d in result.dimensions
        ],
        [questionnaire.level_label(level) for level in range(1, MAX_LEVEL + 1)],
        title="Level grid: levels reached, progress toward the next level, and the target",
        description=(
            "One row per dimension and one column per level. Dark cells with a check mark are "
            "levels reached; the next level shows the completion percentage; the cell with the "
            "heavy outline is the target level. Each cell counts the practices met at that level."
        ),
    )
    gaps = charts.gap_chart(
        [
            (d.title, d.score, d.target, before.get(d.id), _gap_figures(d))
            for d in result.dimensions
        ],
        title="Gap analysis: score against target per dimension",
        description=(
            "Horizontal bars from level 1 to each dimension's score on a scale of 1 to 5. The "
            "heavy vertical tick is the target; a dashed box shows the shortfall"
            + ("; a diamond marks the previous score" if before else "")
            + ". The figures are repeated at the right of each bar and in the table below."
        ),
    )
    rows = tuple(
        TableRow(
            cells=(
                d.title,
                f"{d.weight:g}",
                level_text(d.level, d.level_name),
                score_text(d.score),
                percent(d.completion) if d.level != MAX_LEVEL else "top",
                percent(d.coverage),
                str(d.target),
                str(d.gap) if d.applicable else "—",
                status_text(d),
            )
        )
        for d in result.dimensions
    )
    o = result.overall
    return Overview(
        section=ref,
        grid=grid,
        gaps=gaps,
        header=(
            "Dimension",
            "Weight",
            "Level",
            "Score",
            "Next",
            "Coverage",
            "Target",
            "Gap",
            "Status",
        ),
        rows=rows,
        total=TableRow(
            cells=(
                "Overall (weighted)",
                "",
                level_text(o.level, o.level_name),
                score_text(o.score),
                "",
                "",
                score_text(o.target_score),
                "",
                "",
            )
        ),
    )


def _practice_view(
    p: PracticeResult, questionnaire: Questionnaire, initials: dict[str, str]
) -> PracticeView:
    notes = tuple(
        Note(who=initials.get(r.respondent, r.respondent), text=r.note)
        for r in p.respondents
        if r.note.strip()
    )
    codes = " · ".join(
        f"{initials.get(r.respondent, r.respondent)} {ANSWER_CODES[r.answer]}"
        for r in p.respondents
    )
    definition = questionnaire.practices.get(p.id)
    met = "n/a" if p.value is None else "met" if p.is_met else "not met"
    return PracticeView(
        id=p.id,
        anchor=f"p-{p.id}",
        title=p.title,
        question=definition.question if definition is not None else p.question,
        level=p.level,
        answer=ANSWER_LABELS[p.counted],
        symbol=ANSWER_SYMBOLS[p.counted],
        given=ANSWER_LABELS[p.answer] if p.counted is not p.answer else "",
        consolidated=ANSWER_LABELS[p.consolidated_answer] if p.override is not None else "",
        answers=codes,
        value=value_text(p.value),
        is_met=p.is_met,
        met_label=met,
        basis=basis_label(p.evidence_basis, p.answer),
        evidence=p.evidence_refs,
        flags=tuple(
            FlagTag(label=FLAG_TEXT[f][0], reason=p.flag_reasons.get(f, "")) for f in p.flags
        ),
        notes=notes,
        na_reasons=tuple(
            f"{initials.get(r.respondent, r.respondent)}: {r.reason}"
            for r in p.respondents
            if r.answer is Answer.NA
        )
        + (
            (f"assessor: {p.override.justification}",)
            if p.override and p.override.answer is Answer.NA
            else ()
        ),
    )


def _figures(d: DimensionResult) -> tuple[Figure, ...]:
    if not d.applicable:
        return ()
    next_level = min((d.level or 1) + 1, MAX_LEVEL)
    return (
        Figure(label="Level", value=level_text(d.level, d.level_name), note="achieved"),
        Figure(
            label="Score",
            value=score_text(d.score),
            note=(
                f"{percent(d.completion)} toward level {next_level}"
                if d.level != MAX_LEVEL
                else "top level"
            ),
        ),
        Figure(label="Target", value=str(d.target), note=status_text(d)),
        Figure(label="Coverage", value=percent(d.coverage), note="of all its practices in place"),
    )


def dimensions(
    result: Result,
    questionnaire: Questionnaire,
    people: tuple[Respondent, ...],
    ref: SectionRef,
) -> Dimensions:
    """Results by dimension, numbered under ``ref``; ``people`` give the initials used."""
    initials = {r.name: r.initials for r in people}
    items = []
    for index, d in enumerate(result.dimensions, start=1):
        definition = questionnaire.dimensions_by_id.get(d.id)
        items.append(
            DimensionView(
                section=SectionRef(
                    anchor=f"d-{d.id}", number=f"{ref.number}.{index}", title=d.title
                ),
                description=definition.description if definition is not None else "",
                is_applicable=d.applicable,
                status=status_text(d),
                figures=_figures(d),
                practices=tuple(_practice_view(p, questionnaire, initials) for p in d.practices),
            )
        )
    return Dimensions(section=ref, respondents=people, items=tuple(items))
