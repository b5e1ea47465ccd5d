"""The immediate actions: their own section before the roadmap and their count and most urgent
ones in the executive summary (method.md, Immediate actions).

The actions are found in the evidence layer and carried in the result document; this module
only words them.
"""

from __future__ import annotations

from assess.model.base import Frozen
from assess.model.evidence import ImmediateAction, Severity
from assess.model.result import Result
from assess.render.view.blocks import SectionRef
from assess.support.words import plural

TOP_SHOWN = 3
"""How many actions the executive summary names."""

SEVERITY_MEANING: dict[Severity, str] = {
    Severity.CRITICAL: "exposed now",
    Severity.HIGH: "exposed soon, or a weakness in use",
    Severity.MEDIUM: "a weakness to correct",
}
"""What a severity means, for the section's legend."""


class ActionView(Frozen):
    """One immediate action as the report shows it."""

    severity: str
    finding: str
    subject: str
    detail: str


class ImmediateActions(Frozen):
    """The immediate-actions section and its lines in the executive summary."""

    section: SectionRef
    has_evidence: bool
    """False when no scan evidence was provided: nothing was looked at."""
    intro: str
    tally: str
    """The count by severity in words (``12 immediate actions: 3 critical, 9 high``)."""
    actions: tuple[ActionView, ...]
    top: tuple[ActionView, ...]
    """The most urgent, named in the executive summary."""
    legend: tuple[tuple[str, str], ...]


def _view(action: ImmediateAction) -> ActionView:
    return ActionView(
        severity=action.severity.value,
        finding=action.finding,
        subject=action.subject,
        detail=action.detail,
    )


def tally_text(actions: tuple[ImmediateAction, ...]) -> str:
    """How many actions, by severity, in words."""
    if not actions:
        return "No immediate action: the fresh scan evidence shows no finding of the method's list."
    counts = [(s, sum(1 for a in actions if a.severity is s)) for s in Severity]
    parts = ", ".join(f"{n} {s.value}" for s, n in counts if n)
    return f"{plural(len(actions), 'immediate action')}: {parts}."


def immediate_actions(result: Result, ref: SectionRef) -> ImmediateActions:
    """The immediate actions of a result, ranked as the result lists them."""
    actions = result.immediate_actions
    views = tuple(_view(a) for a in actions)
    return ImmediateActions(
        section=ref,
        has_evidence=bool(result.evidence.sources),
        intro=(
            "Findings in the fresh scan evidence that need action whatever the maturity level, "
            "each naming the file, endpoint or certificate it concerns, most severe first (and, "
            "within a severity, the most widespread finding first). They change no score: the "
            "roadmap addresses the practices behind them, these are the things to fix now."
        ),
        tally=tally_text(actions),
        actions=views,
        top=views[:TOP_SHOWN],
        legend=tuple((s.value, SEVERITY_MEANING[s]) for s in Severity),
    )
