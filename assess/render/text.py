"""The result as a plain-text table for the terminal (`assess score`)."""

from __future__ import annotations

from assess.model.result import Result


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
        lines.append(f"Weakest dimension: {weakest.title} ({weakest.score:.2f})")
    if result.flags_summary:
        summary = ", ".join(f"{n} {flag}" for flag, n in result.flags_summary.items())
        lines.append(f"Flags: {summary}")
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
