"""Section 2, progress since the last assessment: overall and per-dimension movement, the most
improved dimensions, the areas of concern and every practice that moved, with why.

The comparison itself is :class:`assess.model.progress.Progress`, made by the caller
(``assess report --baseline``, ``assess compare``); this module words it. The same view is the
body of ``assess compare``'s HTML and PDF, and its sentences are the terminal's.
"""

from __future__ import annotations

from assess.model.base import Frozen
from assess.model.progress import (
    ChangeKind,
    ConcernReason,
    NoProgressToDate,
    PracticeChange,
    Progress,
)
from assess.model.result import Flag
from assess.render.view.blocks import Figure, SectionRef
from assess.render.view.formatting import long_date, percent, score_text, signed
from assess.render.view.labels import FLAG_TEXT, answer_label, basis_label
from assess.support.words import plural


class ProgressRow(Frozen):
    """A dimension's movement."""

    title: str
    baseline: str
    current: str
    target: str = "—"
    """The current target level."""
    delta_level: str
    delta_score: str
    direction: str
    """``▲ up``, ``▼ down``, ``= same`` or ``—``: the arrow and the word."""


class ChangeView(Frozen):
    """A practice that moved."""

    practice: str
    title: str
    dimension: str
    before: str
    after: str
    evidence: tuple[str, ...] = ()
    """The evidence behind the change, one line each (override, new evidence, respondents)."""


class ProgressView(Frozen):
    """Progress since the baseline result."""

    section: SectionRef
    baseline_date: str
    intro: str
    figures: tuple[Figure, ...]
    rows: tuple[ProgressRow, ...]
    most_improved: tuple[str, ...]
    areas_of_concern: tuple[str, ...]
    improved: tuple[ChangeView, ...]
    regressed: tuple[ChangeView, ...]
    other_changes: tuple[ChangeView, ...]
    """New, removed and rescoped practices: listed, never dropped."""
    unchanged: int
    unchanged_note: str
    """``79 practices are unchanged.``"""
    resolved_title: str
    """``Resolved since 28 August 2026``: over the immediate actions resolved."""
    version_note: str
    actions: ActionChanges | None = None
    """Immediate actions resolved and new since the baseline; ``None`` when the baseline
    result predates immediate actions."""


class ActionChanges(Frozen):
    """Immediate actions resolved since the baseline and new since it."""

    resolved: tuple[str, ...]
    new: tuple[str, ...]


def action_changes(progress: Progress) -> ActionChanges | None:
    """The immediate actions that were resolved and those that are new, one line each
    (severity, finding, subject); ``None`` when they cannot be compared."""
    if not progress.actions_compared:
        return None
    return ActionChanges(
        resolved=tuple(
            f"{a.severity} · {a.finding}: {a.subject}" for a in progress.actions_resolved
        ),
        new=tuple(f"{a.severity} · {a.finding}: {a.subject}" for a in progress.actions_new),
    )


OTHER_ORGANISATION_TEXT = (
    "not given: the results assess different organisations, so one's score against the "
    "other's target measures no progress"
)
"""What stands in place of progress to date when two organisations' results were forced
together (``assess compare --force``)."""


def progress_to_date_figure(
    figure: float | None, why: NoProgressToDate | None, note: str
) -> Figure:
    """The "Progress to date" figure: the percentage with ``note``, or "not given" and why."""
    if why is NoProgressToDate.OTHER_ORGANISATION:
        return Figure(
            label="Progress to date",
            value="not given",
            note="the results assess different organisations: no progress of one organisation",
        )
    return Figure(label="Progress to date", value=percent(figure), note=note)


def baseline_scores(progress: Progress | None) -> dict[str, float | None]:
    """Each dimension's score in the baseline, by dimension id; empty without a baseline."""
    return {d.id: d.baseline_score for d in progress.dimensions} if progress else {}


def change_evidence(change: PracticeChange) -> tuple[str, ...]:
    """The evidence behind a practice's change, in words: what an auditor checks first."""
    lines = []
    if (
        change.baseline_answer is not change.baseline_counted
        or change.current_answer is not change.current_counted
    ):
        lines.append(
            f"Answer given, before any cap: {answer_label(change.baseline_answer)} → "
            f"{answer_label(change.current_answer)}"
        )
    if change.override_justification:
        lines.append(f"Assessor override: {change.override_justification}")
    if change.evidence_added:
        lines.append("New evidence: " + "; ".join(change.evidence_added))
    if change.evidence_dropped:
        lines.append("No longer cited: " + "; ".join(change.evidence_dropped))
    lines.extend(f"Scan evidence now {rule}" for rule in change.scan_added)
    lines.extend(f"Scan evidence no longer {rule}" for rule in change.scan_removed)
    shown = {Flag.OVERRIDE} if change.override_justification else set()
    added = [FLAG_TEXT[f][0] for f in change.flags_added if f not in shown]
    if added:
        lines.append("Now flagged: " + ", ".join(added))
    if change.flags_removed:
        lines.append(
            "No longer flagged: " + ", ".join(FLAG_TEXT[f][0] for f in change.flags_removed)
        )
    if change.respondents:
        lines.append(
            "Respondents: "
            + "; ".join(
                f"{r.respondent} {answer_label(r.baseline_answer)} → "
                f"{answer_label(r.current_answer)}"
                for r in change.respondents
            )
        )
    before, now = change.baseline_basis, change.current_basis
    was = basis_label(before, change.baseline_answer) if before is not None else None
    is_ = basis_label(now, change.current_answer) if now is not None else None
    if was is not None and is_ is not None and was != is_:
        lines.append(f"Basis: {was.lower()} → {is_.lower()}")
    elif is_ is not None and lines:
        lines.append(f"Basis: {is_.lower()}")
    return tuple(lines)


def concern_text(progress: Progress, index: int) -> str:
    """An area of concern in words: the dimension, and why it is listed."""
    concern = progress.concerns[index]
    d = next(d for d in progress.dimensions if d.id == concern.dimension)
    match concern.reason:
        case ConcernReason.FELL:
            text = f"{d.title} ({signed(d.delta_score)})"
            if concern.regressed:
                text += f": {', '.join(concern.regressed)} regressed"
        case ConcernReason.REGRESSED_PRACTICES:
            text = (
                f"{d.title}: {', '.join(concern.regressed)} regressed "
                f"(score {signed(d.delta_score)})"
            )
        case ConcernReason.STALLED:
            text = (
                f"{d.title}: unchanged at {score_text(d.current_score)}, "
                f"{score_text(concern.shortfall)} below target {d.target}"
            )
    return text


def direction_text(delta: float | None) -> str:
    """A score's movement as an arrow and a word; ``=`` when it rounds to no change."""
    if delta is None:
        return "—"
    if round(delta, 2) > 0:
        return "▲ up"
    if round(delta, 2) < 0:
        return "▼ down"
    return "= same"


def _rows(progress: Progress) -> tuple[ProgressRow, ...]:
    return tuple(
        ProgressRow(
            title=d.title,
            baseline=(
                f"L{d.baseline_level} · {score_text(d.baseline_score)}"
                if d.baseline_level is not None
                else "n/a"
            ),
            current=(
                f"L{d.current_level} · {score_text(d.current_score)}"
                if d.current_level is not None
                else "n/a"
            ),
            target=str(d.target) if d.target is not None else "—",
            delta_level=signed(d.delta_level, 0) if d.delta_level is not None else "—",
            delta_score=signed(d.delta_score),
            direction=direction_text(d.delta_score),
        )
        for d in progress.dimensions
    )


def _change_view(change: PracticeChange, titles: dict[str, str], after: str) -> ChangeView:
    return ChangeView(
        practice=change.practice,
        title=change.title,
        dimension=titles.get(change.dimension, change.dimension),
        before=answer_label(change.baseline_counted),
        after=after,
        evidence=change_evidence(change),
    )


def progress_view(progress: Progress, ref: SectionRef) -> ProgressView:
    """The progress section (also the body of ``assess compare``'s HTML and PDF)."""
    titles = {d.id: d.title for d in progress.dimensions}
    by_id = {d.id: d for d in progress.dimensions}

    def changes(kind: ChangeKind) -> tuple[ChangeView, ...]:
        return tuple(
            _change_view(c, titles, answer_label(c.current_counted))
            for c in progress.practices
            if c.kind is kind
        )

    others = tuple(
        _change_view(c, titles, f"{answer_label(c.current_counted)} ({c.kind})")
        for c in progress.practices
        if c.kind in (ChangeKind.NEW, ChangeKind.REMOVED, ChangeKind.RESCOPED)
    )
    b, c = progress.baseline, progress.current
    version_note = (
        f"The questionnaire changed from version {b.questionnaire_version} to "
        f"{c.questionnaire_version}: practices that are new or no longer exist are listed below."
        if progress.is_questionnaire_changed
        else f"Both assessments use {c.questionnaire_id} version {c.questionnaire_version}."
    )
    unchanged = progress.count(ChangeKind.UNCHANGED)
    return ProgressView(
        actions=action_changes(progress),
        section=ref,
        baseline_date=long_date(b.evaluated_at),
        intro=(
            f"This section compares the assessment evaluated on {long_date(c.evaluated_at)} with "
            f"the previous one, evaluated on {long_date(b.evaluated_at)}. Dimensions and "
            "practices are matched by id."
        ),
        figures=(
            Figure(
                label="Overall score",
                value=score_text(c.overall_score),
                note=f"{signed(progress.delta_overall)} since {b.evaluated_at.isoformat()} "
                f"({score_text(b.overall_score)})",
            ),
            Figure(
                label="Percent to target",
                value=percent(progress.percent_to_target),
                note=f"was {percent(progress.baseline_percent_to_target)}",
            ),
            progress_to_date_figure(
                progress.progress_to_date,
                progress.no_progress_to_date,
                "of the way from the previous score to the target",
            ),
            Figure(
                label="Practices",
                value=(
                    f"{progress.count(ChangeKind.IMPROVED)} up · "
                    f"{progress.count(ChangeKind.REGRESSED)} down"
                ),
                note=f"{progress.count(ChangeKind.UNCHANGED)} unchanged",
            ),
        ),
        rows=_rows(progress),
        most_improved=tuple(
            f"{titles[i]} ({signed(by_id[i].delta_score)})" for i in progress.most_improved
        ),
        areas_of_concern=tuple(concern_text(progress, i) for i in range(len(progress.concerns))),
        improved=changes(ChangeKind.IMPROVED),
        regressed=changes(ChangeKind.REGRESSED),
        other_changes=others,
        unchanged=unchanged,
        unchanged_note=(
            f"{plural(unchanged, 'practice')} {'is' if unchanged == 1 else 'are'} unchanged."
        ),
        resolved_title=f"Resolved since {long_date(b.evaluated_at)}",
        version_note=version_note,
    )
