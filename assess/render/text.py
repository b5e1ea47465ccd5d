"""The result as a plain-text table for the terminal (`assess score`)."""

from __future__ import annotations

from assess.method.findings import finding_measure
from assess.method.interpretation import ContradictionOutcome, contradiction_outcome
from assess.model.evidence import EvidenceEffect, FindingStatus, Severity
from assess.model.result import Flag, PracticeResult, Result

CONTRADICTION_LABELS: dict[ContradictionOutcome, str] = {
    ContradictionOutcome.CAPPED: "contradicted",
    ContradictionOutcome.LIFTED: "contradicted, lifted by the override",
}
"""What the evidence lines say of a contradiction; the other outcomes changed nothing and are
left out of the terminal's summary (the report lists them)."""


def draft_warning(result: Result) -> str | None:
    """What ``assess score`` says on stderr about an incomplete assessment (method.md,
    Completeness); ``None`` when every applicable practice is answered."""
    if result.complete:
        return None
    return (
        f"DRAFT: {result.unanswered} of {result.applicable_practices} applicable practices are "
        "unanswered and count as not implemented; answer them before the report is signed"
    )


def _counted(practice: PracticeResult) -> str:
    """The answer counted, and the answer given when that differs."""
    if practice.counted is practice.answer:
        return f"counted {practice.counted}"
    return f"counted {practice.counted}, answered {practice.answer}"


def _bar(value: float, width: int = 10) -> str:
    filled = round(value * width)
    return "#" * filled + "." * (width - filled)


def score_table(result: Result) -> str:
    """Level, score, target and gap per dimension, the overall line and a flags summary."""
    a = result.assessment
    lines = [
        f"{a.organisation} — {result.questionnaire.id} {result.questionnaire.version} — "
        f"evaluated {result.evaluated_at.isoformat()} — evidence policy {result.evidence_policy}",
        "",
    ]
    name_width = max(len(d.title) for d in result.dimensions)
    name_width = max(name_width, len("Dimension"))
    header = (
        f"{'Dimension':<{name_width}}  {'Level':<12}  {'Score':>5}  {'toward next':<11}  "
        f"{'Target':>6}  {'Gap':>3}  Flags"
    )
    lines += [header, "-" * len(header)]
    for d in result.dimensions:
        flags: dict[str, int] = {}
        for p in d.practices:
            for flag in p.flags:
                flags[flag] = flags.get(flag, 0) + 1
        flag_text = ", ".join(f"{n} {flag}" for flag, n in sorted(flags.items()))
        if not d.applicable:
            lines.append(
                f"{d.title:<{name_width}}  {'n/a':<12}  {'—':>5}  {'':<11}  {d.target:>6}  "
                f"{'—':>3}  all practices not applicable"
            )
            continue
        assert d.level is not None and d.score is not None and d.completion is not None
        level = f"{d.level} {d.level_name}"
        progress = _bar(d.completion) if d.level < 5 else "(top)"
        gap = str(d.gap) if d.gap else "—"
        lines.append(
            f"{d.title:<{name_width}}  {level:<12}  {d.score:>5.2f}  {progress:<11}  "
            f"{d.target:>6}  {gap:>3}  {flag_text}"
        )
    lines.append("-" * len(header))
    o = result.overall
    if o.score is None:
        lines.append("Overall: not applicable (no dimension applies)")
    else:
        assert o.target_score is not None and o.weakest_dimension is not None
        weakest = result.dimension(o.weakest_dimension)
        lines.append(
            f"{'Overall':<{name_width}}  {f'{o.level} {o.level_name}':<12}  {o.score:>5.2f}  "
            f"{'':<11}  {o.target_score:>6.2f}"
        )
        lines.append("")
        lines.append(f"Lowest score: {weakest.title} ({weakest.score:.2f})")
    if result.flags_summary:
        summary = ", ".join(f"{n} {flag}" for flag, n in result.flags_summary.items())
        lines.append(f"Flags: {summary}")
    lines += evidence_lines(result)
    lines += action_lines(result)
    if result.roadmap:
        phases = max(step.phase for step in result.roadmap)
        first = result.roadmap[0]
        lines.append(
            f"Roadmap: {len(result.roadmap)} steps in {phases} phase{'s' if phases > 1 else ''}; "
            f"first: {first.practice} {first.title}"
        )
    else:
        lines.append("Roadmap: every target is met")
    return "\n".join(lines)


def evidence_lines(result: Result) -> list[str]:
    """What scan evidence changed and why: bundles used, then one line per practice effect."""
    sources = result.evidence.sources
    if not sources:
        return []
    used = [s for s in sources if not s.is_stale and not s.is_future]
    stale = [s for s in sources if s.is_stale]
    future = [s for s in sources if s.is_future]
    parts = [f"{len(used)} bundle{'s' if len(used) != 1 else ''} used"]
    if stale:
        parts.append(f"{len(stale)} stale (ignored: {', '.join(s.file for s in stale)})")
    if future:
        parts.append(f"{len(future)} collected after the evaluation date (not used)")
    tally: dict[str, int] = {}
    for dimension in result.dimensions:
        for practice in dimension.practices:
            for finding in practice.evidence_findings:
                tally[finding.status] = tally.get(finding.status, 0) + 1
    words = {
        FindingStatus.FIRED: "fired",
        FindingStatus.NOT_MET: "not met",
        FindingStatus.INSUFFICIENT: "insufficient sample",
        FindingStatus.STALE: "stale",
        FindingStatus.NO_DATA: "no data",
    }
    rules = ", ".join(f"{tally[s]} {w}" for s, w in words.items() if tally.get(s))
    lines = ["", "Evidence: " + ", ".join(parts) + (f"; rules: {rules}" if rules else "")]
    for dimension in result.dimensions:
        for practice in dimension.practices:
            for finding in practice.evidence_findings:
                label = None
                if finding.status is FindingStatus.FIRED:
                    if finding.effect is EvidenceEffect.CONTRADICTS:
                        label = CONTRADICTION_LABELS.get(contradiction_outcome(practice))
                    elif finding.effect is EvidenceEffect.SUPPORTS and practice.answer.is_scale:
                        label = "supported"
                    elif Flag.SUGGESTED in practice.flags:
                        label = f"suggests '{finding.rule.answer}'"
                elif finding.status is FindingStatus.INSUFFICIENT:
                    needs = f", needs {finding.rule.min_sample}" if finding.rule.min_sample else ""
                    label = f"insufficient sample{needs}"
                elif finding.status is FindingStatus.STALE:
                    label = "stale evidence, ignored"
                if label is not None:
                    lines.append(
                        f"  {practice.id:<7} {label}: {finding_measure(finding)} "
                        f"({_counted(practice)})"
                    )
    if total := result.evidence.highlights_total:
        lines.append(
            f"  {total} {'certificate needs' if total == 1 else 'certificates need'} attention; "
            "most urgent: "
            + "; ".join(
                f"{h.subject or h.sha256[:12]} ({', '.join(h.problems[:2])})"
                for h in result.evidence.highlights[:3]
            )
        )
    return lines


ACTIONS_SHOWN = 10
"""Immediate actions listed in the terminal; the report and the result document list them all."""


def action_lines(result: Result) -> list[str]:
    """The immediate actions, most urgent first: severity, finding, subject and detail."""
    actions = result.immediate_actions
    if not actions:
        return []
    counts = {s: sum(1 for a in actions if a.severity is s) for s in Severity}
    tally = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
    lines = ["", f"Immediate actions: {len(actions)} ({tally}), whatever the level:"]
    for action in actions[:ACTIONS_SHOWN]:
        lines.append(f"  {action.severity:<8} {action.finding}: {action.subject}")
        lines.append(f"           {action.detail}")
    if len(actions) > ACTIONS_SHOWN:
        lines.append(f"  and {len(actions) - ACTIONS_SHOWN} more (the report lists them all)")
    return lines
