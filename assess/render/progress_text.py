"""``assess compare`` and ``assess trend`` as plain text for the terminal.

The wording of practice changes and areas of concern is the report's
(:mod:`assess.render.view.progress`), so the terminal, the HTML and the PDF say the same thing.
"""

from __future__ import annotations

from collections.abc import Sequence

from assess.model.progress import (
    ChangeKind,
    CompareDocument,
    NoProgressToDate,
    Progress,
    TrendDocument,
)
from assess.render.view.formatting import percent, score_text, signed
from assess.render.view.labels import answer_label
from assess.render.view.progress import OTHER_ORGANISATION_TEXT, change_evidence, concern_text
from assess.support.words import plural

_KIND_MARKS = {
    ChangeKind.IMPROVED: "▲ improved",
    ChangeKind.REGRESSED: "▼ regressed",
    ChangeKind.NEW: "+ new",
    ChangeKind.REMOVED: "− removed",
    ChangeKind.RESCOPED: "◇ rescoped",
}


def _warnings(warnings: tuple[str, ...]) -> list[str]:
    if not warnings:
        return []
    return (
        ["WARNING: compared with --force despite these mismatches:"]
        + [f"  - {w}" for w in warnings]
        + [""]
    )


def _table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]], right: int = 1) -> list[str]:
    """Columns padded to their widest cell; columns from ``right`` on are right-aligned."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(
            c.ljust(w) if i < right else c.rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    rule = "-" * len(line(header))
    return [line(header), rule, *(line(r) for r in rows)]


def actions_lines(p: Progress) -> list[str]:
    """Immediate actions resolved since the baseline and new since it (severity, finding,
    subject), or why they cannot be compared."""
    if not p.actions_compared:
        return ["Immediate actions: not compared (the baseline result predates immediate actions)"]
    out = [f"Immediate actions resolved since {p.baseline.evaluated_at}:"]
    out += [f"  {a.severity:<8} {a.finding}: {a.subject}" for a in p.actions_resolved] or ["  none"]
    out += ["New immediate actions:"]
    out += [f"  {a.severity:<8} {a.finding}: {a.subject}" for a in p.actions_new] or ["  none"]
    return out


def compare_text(document: CompareDocument) -> str:
    """The comparison: figures, dimensions, most improved, concerns, practices that moved."""
    p = document.progress
    b, c = p.baseline, p.current
    out = _warnings(document.warnings)
    out += [
        f"{c.organisation} — {b.evaluated_at} → {c.evaluated_at} — questionnaire "
        f"{c.questionnaire_id} "
        + (
            f"{b.questionnaire_version} → {c.questionnaire_version} (version changed)"
            if p.is_questionnaire_changed
            else c.questionnaire_version
        ),
        f"  baseline: {document.inputs[0].file}",
        f"  current:  {document.inputs[1].file}",
        "",
        f"Overall score      {score_text(b.overall_score)} → {score_text(c.overall_score)}"
        f"  ({signed(p.delta_overall)})",
        f"Percent to target  {percent(p.baseline_percent_to_target)} → "
        f"{percent(p.percent_to_target)}",
        (
            f"Progress to date   {percent(p.progress_to_date)} of the way from the baseline score "
            f"to the target ({score_text(c.target_score)})"
            if p.no_progress_to_date is not NoProgressToDate.OTHER_ORGANISATION
            else f"Progress to date   {OTHER_ORGANISATION_TEXT}"
        ),
        "",
    ]
    rows = [
        (
            d.title,
            f"L{d.baseline_level} {score_text(d.baseline_score)}"
            if d.baseline_level is not None
            else "n/a",
            f"L{d.current_level} {score_text(d.current_score)}"
            if d.current_level is not None
            else "n/a",
            str(d.target) if d.target is not None else "—",
            signed(d.delta_level, 0) if d.delta_level is not None else "—",
            signed(d.delta_score),
        )
        for d in p.dimensions
    ]
    out += _table(("Dimension", "Before", "Now", "Target", "ΔL", "ΔS"), rows)
    titles = {d.id: d.title for d in p.dimensions}
    by_id = {d.id: d for d in p.dimensions}
    out += ["", "Most improved:"]
    out += [f"  {titles[i]} ({signed(by_id[i].delta_score)})" for i in p.most_improved] or [
        "  none: no dimension's score rose"
    ]
    out += ["Areas of concern:"]
    out += [f"  {concern_text(p, i)}" for i in range(len(p.concerns))] or [
        "  none: no dimension fell, regressed or stalled below its target"
    ]
    out += actions_lines(p)
    moved = [ch for ch in p.practices if ch.kind is not ChangeKind.UNCHANGED]
    out += ["", f"Practices that moved ({len(moved)}; {p.count(ChangeKind.UNCHANGED)} unchanged):"]
    for kind in _KIND_MARKS:
        for ch in (x for x in moved if x.kind is kind):
            before = answer_label(ch.baseline_counted)
            after = answer_label(ch.current_counted)
            out.append(
                f"  {_KIND_MARKS[kind]:<12} {ch.practice:<8} {before} → {after}  "
                f"{ch.title} [{titles.get(ch.dimension, ch.dimension)}]"
            )
            out += [f"{'':<24}{line}" for line in change_evidence(ch)]
    if not moved:
        out.append("  none")
    return "\n".join(out) + "\n"


def trend_text(document: TrendDocument) -> str:
    """The trend: overall by date, levels by date, the largest movements."""
    t = document.trend
    out = _warnings(document.warnings)
    first, last = t.points[0], t.points[-1]
    out += [
        f"{t.organisation} — {plural(len(t.points), 'assessment')}, {first.evaluated_at} to "
        f"{last.evaluated_at} — questionnaire {t.questionnaire_id}",
        "",
    ]
    out += _table(
        ("Evaluated", "Overall", "Level", "Target", "To target", "Version", "File"),
        [
            (
                p.evaluated_at.isoformat(),
                score_text(p.overall_score),
                str(p.overall_level) if p.overall_level is not None else "n/a",
                score_text(p.target_score),
                percent(p.percent_to_target),
                p.questionnaire_version,
                f.file,
            )
            for p, f in zip(t.points, document.inputs, strict=True)
        ],
    )
    out += [
        "",
        f"Since {first.evaluated_at}: {signed(t.delta_overall)}; progress to date "
        + (
            f"{percent(t.progress_to_date)} of the way from the first score to the target."
            if t.no_progress_to_date is not NoProgressToDate.OTHER_ORGANISATION
            else f"{OTHER_ORGANISATION_TEXT}."
        ),
        "",
    ]
    dates = tuple(p.evaluated_at.isoformat() for p in t.points)
    out += _table(
        ("Dimension", "Target", *dates),
        [
            (
                d.title,
                str(d.targets[-1]) if d.targets[-1] is not None else "—",
                *(
                    f"L{lv} {score_text(s)}" if lv is not None else "n/a"
                    for lv, s in zip(d.levels, d.scores, strict=True)
                ),
            )
            for d in t.dimensions
        ],
    )
    out += ["", "Largest movements:"]
    out += [
        f"  {'▲' if m.delta_score > 0 else '▼'} {signed(m.delta_score):>6}  {m.title} "
        f"({m.start} → {m.end})"
        for m in t.movements
    ] or ["  none: no dimension's score moved"]
    for s in t.steps:
        if s.is_questionnaire_changed:
            out.append(
                f"Questionnaire {s.baseline_version} → {s.current_version} between {s.start} "
                f"and {s.end}: {s.new} new, {s.removed} removed practices"
            )
    return "\n".join(out) + "\n"
