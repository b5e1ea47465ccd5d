"""How a result is read: the verdict, the largest gaps and the strengths, whether a dimension
meets its target, and what a scan contradiction did to a practice.

Each is decided once, here, and every output only words it: the terminal's score table, the
report's HTML and PDF, and whatever comes next. Pure: a result in, typed values out. (The
report's "Assessor judgements" section is something else: overrides, N/A reasons and diverging
answers as the respondents and the assessor gave them.)
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from assess.model.levels import Answer
from assess.model.result import DimensionResult, Flag, PracticeResult, Result

GAPS_SHOWN = 3
"""How many of the largest gaps the executive summary names."""
STRENGTHS_SHOWN = 3
"""How many strengths the executive summary names."""

_RANK_DIGITS = 9
"""Ranking keys are rounded to this many decimals, so that equal quantities reached by
different float arithmetic (4 × 13/9 twice) tie instead of being ordered by noise."""


class TargetStatus(StrEnum):
    """Where a dimension stands against its target level."""

    MET = "met"
    """The achieved level is at or above the target."""
    SHORT = "short"
    """Below the target by ``gap`` levels."""
    NOT_APPLICABLE = "not-applicable"
    """Every practice of the dimension is N/A: no level, no target to meet."""


def is_at_target(dimension: DimensionResult) -> bool:
    """Whether a dimension's achieved level reaches its target (never, when not applicable)."""
    return dimension.level is not None and dimension.level >= dimension.target


def target_status(dimension: DimensionResult) -> TargetStatus:
    """A dimension's standing against its target."""
    if not dimension.applicable:
        return TargetStatus.NOT_APPLICABLE
    return TargetStatus.MET if is_at_target(dimension) else TargetStatus.SHORT


def shortfall(dimension: DimensionResult) -> float:
    """How far a dimension's score is below its target level (0 at or above it)."""
    return max(0.0, dimension.target - (dimension.score or 0.0))


@dataclass(frozen=True)
class Verdict:
    """The overall reading of a result, as the summary and the conclusion state it."""

    is_scored: bool
    """False when no dimension applies: there is no overall level, score or target."""
    is_at_weighted_target: bool
    """The overall score is at or above the weighted target (False when not scored)."""
    shortfall: float
    """How far the overall score is below the weighted target; 0 at or above it, or unscored."""
    dimensions_applicable: int
    dimensions_at_target: int
    """Applicable dimensions whose level reaches their target."""

    @property
    def is_every_dimension_at_target(self) -> bool:
        """Every applicable dimension reaches its target level."""
        return self.dimensions_at_target == self.dimensions_applicable


def verdict(result: Result) -> Verdict:
    """The verdict on a result."""
    o = result.overall
    applicable = [d for d in result.dimensions if d.applicable]
    is_scored = o.score is not None and o.target_score is not None and o.level is not None
    return Verdict(
        is_scored=is_scored,
        is_at_weighted_target=(
            o.score is not None and o.target_score is not None and o.score >= o.target_score
        ),
        shortfall=max(0.0, (o.target_score or 0) - (o.score or 0)),
        dimensions_applicable=len(applicable),
        dimensions_at_target=sum(1 for d in applicable if is_at_target(d)),
    )


def largest_gaps(result: Result, count: int = GAPS_SHOWN) -> tuple[DimensionResult, ...]:
    """The dimensions furthest below target, largest first (docs/report.md, Executive summary).

    Ranked by weight × (target − score), then by levels short; ties keep questionnaire order.
    Dimensions at or above their target score, and those not applicable, are never a gap.
    """
    below = [d for d in result.dimensions if d.applicable and shortfall(d) > 0]
    ranked = sorted(below, key=lambda d: (-round(shortfall(d) * d.weight, _RANK_DIGITS), -d.gap))
    return tuple(ranked[:count])


def strengths(result: Result, count: int = STRENGTHS_SHOWN) -> tuple[DimensionResult, ...]:
    """The dimensions at their target level, furthest above it first; ties keep questionnaire
    order."""
    met = [d for d in result.dimensions if d.applicable and is_at_target(d)]
    ranked = sorted(met, key=lambda d: -round((d.score or 0.0) - d.target, _RANK_DIGITS))
    return tuple(ranked[:count])


class ContradictionOutcome(StrEnum):
    """What a scan rule that contradicts a practice did to its answer (method.md: a
    contradicted answer counts as partially at most)."""

    LIFTED = "lifted"
    """An assessor override set the answer: the contradiction is recorded, not applied."""
    CAPPED = "capped"
    """The answer claimed more than partially and now counts as partially."""
    NO_ANSWER = "no-answer"
    """Unknown or unanswered: there was no answer to cap."""
    NOT_APPLICABLE = "not-applicable"
    """The practice is N/A: it counts for nothing either way."""
    WITHIN_CAP = "within-cap"
    """The answer claimed no more than partially: nothing changed."""


def contradiction_outcome(practice: PracticeResult) -> ContradictionOutcome:
    """What a contradiction did to ``practice`` (asked of a practice a contradicting rule fired
    for)."""
    if practice.override is not None:
        return ContradictionOutcome.LIFTED
    if Flag.CONTRADICTED in practice.flags:
        return ContradictionOutcome.CAPPED
    if practice.answer in (Answer.UNANSWERED, Answer.UNKNOWN):
        return ContradictionOutcome.NO_ANSWER
    if practice.answer is Answer.NA:
        return ContradictionOutcome.NOT_APPLICABLE
    return ContradictionOutcome.WITHIN_CAP
