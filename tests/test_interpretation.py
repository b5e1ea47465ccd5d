"""How a result is read (assess.method.interpretation): verdict, gaps, strengths, contradictions.

Every result here is scored from answers by the method; the expected values are worked out by
hand from method.md (level: the largest k whose practices up to k are all at least largely;
completion: the weighted mean value at level L + 1; score S = L + completion; a dimension
without practices above its level reaches level 5).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pytest
from factories import DAY, answers, assessment, entry, finding, practice, questionnaire

from assess.method.interpretation import (
    ContradictionOutcome,
    TargetStatus,
    contradiction_outcome,
    is_at_target,
    largest_gaps,
    shortfall,
    strengths,
    target_status,
    verdict,
)
from assess.method.scoring import score
from assess.model.evidence import EvidenceFinding
from assess.model.levels import Answer
from assess.model.questionnaire import Practice
from assess.model.result import DimensionResult, Result
from assess.model.workspace import Override


def _scored(
    dimensions: Mapping[str, Sequence[Practice]],
    given: Mapping[str, str],
    *,
    targets: Mapping[str, int] | None = None,
    weights: Mapping[str, float] | None = None,
    overrides: Mapping[str, Override] | None = None,
    findings: Sequence[EvidenceFinding] = (),
) -> Result:
    return score(
        questionnaire(dimensions, weights),
        assessment(targets=targets, overrides=overrides),
        {"ann.yaml": answers("Ann", {p: entry(a) for p, a in given.items()})},
        evaluated_at=DAY,
        findings=findings,
    )


def _ids(dimensions: Sequence[DimensionResult]) -> list[str]:
    return [d.id for d in dimensions]


@pytest.fixture
def mixed() -> Result:
    # a: A2 fully and nothing above → level 5, S = 5, target 3: met.
    # b: B2 fully, B3 not → level 2, completion 0, S = 2, target 3: one level short.
    # n: N2 not applicable → the dimension does not apply.
    # Overall O = (1·5 + 3·2) / 4 = 2.75 against a weighted target of (1·3 + 3·3) / 4 = 3.
    return _scored(
        {
            "a": [practice("A2", 2)],
            "b": [practice("B2", 2), practice("B3", 3)],
            "n": [practice("N2", 2)],
        },
        {"A2": "fully", "B2": "fully", "B3": "not", "N2": "na"},
        weights={"a": 1, "b": 3, "n": 1},
    )


def test_the_verdict_counts_dimensions_at_target_and_the_overall_shortfall(mixed):
    reading = verdict(mixed)
    assert (mixed.overall.score, mixed.overall.target_score) == (2.75, 3.0)
    assert reading.is_scored and not reading.is_at_weighted_target
    assert reading.shortfall == pytest.approx(0.25)
    assert (reading.dimensions_at_target, reading.dimensions_applicable) == (1, 2)
    assert not reading.is_every_dimension_at_target


def test_each_dimension_stands_met_short_or_not_applicable(mixed):
    assert [target_status(d) for d in mixed.dimensions] == [
        TargetStatus.MET,
        TargetStatus.SHORT,
        TargetStatus.NOT_APPLICABLE,
    ]
    assert [is_at_target(d) for d in mixed.dimensions] == [True, False, False]
    assert [shortfall(d) for d in mixed.dimensions[:2]] == [0.0, 1.0]


def test_nothing_applicable_is_not_scored():
    result = _scored({"a": [practice("A2", 2)]}, {"A2": "na"})
    reading = verdict(result)
    assert not reading.is_scored and not reading.is_at_weighted_target
    assert (reading.shortfall, reading.dimensions_applicable) == (0.0, 0)
    assert largest_gaps(result) == () and strengths(result) == ()


def test_gaps_rank_by_weighted_shortfall_then_levels_short():
    # p: P2 not → S = 1; weight 1, target 3: 1 × 2 = 2, gap 2.
    # q: Q2 partially → S = 4/3; weight 2, target 3: 2 × 5/3 = 10/3, gap 2.
    # r: R2 fully, R3 not → S = 2; weight 1, target 3: 1 × 1 = 1, gap 1.
    # s: S2 not → S = 1; weight 0.5, target 3: 0.5 × 2 = 1, gap 2 — ties r, more levels short.
    # t: T2 fully → S = 5; met, never a gap.
    result = _scored(
        {
            "p": [practice("P2", 2)],
            "q": [practice("Q2", 2)],
            "r": [practice("R2", 2), practice("R3", 3)],
            "s": [practice("S2", 2)],
            "t": [practice("T2", 2)],
        },
        {"P2": "not", "Q2": "partially", "R2": "fully", "R3": "not", "S2": "not", "T2": "fully"},
        weights={"p": 1, "q": 2, "r": 1, "s": 0.5, "t": 1},
    )
    assert _ids(largest_gaps(result, count=5)) == ["q", "p", "s", "r"]
    assert _ids(largest_gaps(result)) == ["q", "p", "s"]


def test_equal_weighted_shortfalls_tie_whatever_the_float_arithmetic():
    # x: X2 not → S = 1; weight 1, target 2: 1 × (2 − 1) = 1, gap 1.
    # y: Y2 fully, Y3a fully, Y3b partially → level 2, completion (1 + 1/3) / 2 = 2/3,
    #    S = 8/3; weight 3, target 3: 3 × 1/3 = 1, gap 1. In floats 3 × (3 − 2.666…65) is
    #    1.0000000000000004: ranked on that, y would come first. They tie; x is listed first.
    result = _scored(
        {
            "x": [practice("X2", 2)],
            "y": [practice("Y2", 2), practice("Y3a", 3), practice("Y3b", 3)],
        },
        {"X2": "not", "Y2": "fully", "Y3a": "fully", "Y3b": "partially"},
        targets={"x": 2, "y": 3},
        weights={"x": 1, "y": 3},
    )
    x, y = result.dimensions
    assert shortfall(y) * y.weight > shortfall(x) * x.weight  # the noise is there
    assert _ids(largest_gaps(result)) == ["x", "y"]


def test_strengths_are_dimensions_at_target_furthest_above_it_first():
    # u: U2 fully, U3 partially → level 2, S = 2 + 1/3; target 2: 1/3 above.
    # v: V2 fully → level 5, S = 5; target 3: 2 above.
    # w: W2 fully, W3 fully, W4 not → level 3, S = 3; target 3: 0 above.
    # z: Z2 not → S = 1; below its target 2: not a strength.
    # k: K2 fully, K3 partially → S = 2 + 1/3; target 2: 1/3 above, ties u, listed after it.
    result = _scored(
        {
            "u": [practice("U2", 2), practice("U3", 3)],
            "v": [practice("V2", 2)],
            "w": [practice("W2", 2), practice("W3", 3), practice("W4", 4)],
            "z": [practice("Z2", 2)],
            "k": [practice("K2", 2), practice("K3", 3)],
        },
        {
            "U2": "fully",
            "U3": "partially",
            "V2": "fully",
            "W2": "fully",
            "W3": "fully",
            "W4": "not",
            "Z2": "not",
            "K2": "fully",
            "K3": "partially",
        },
        targets={"default": 2, "v": 3, "w": 3},
    )
    assert _ids(strengths(result, count=5)) == ["v", "u", "k", "w"]
    assert _ids(strengths(result)) == ["v", "u", "k"]


def test_what_a_contradiction_did_to_each_kind_of_practice():
    # Every practice has a contradicting rule that fired. C2 claimed fully: capped at
    # partially. C3 claimed partially: nothing to cap. C4 unknown, C5 unanswered: no answer.
    # C6 N/A: counts for nothing. C7 claimed fully, but the assessor set largely: lifted.
    ids = ["C2", "C3", "C4", "C5", "C6", "C7"]
    result = _scored(
        {"c": [practice(pid, 2) for pid in ids]},
        {"C2": "fully", "C3": "partially", "C4": "unknown", "C6": "na", "C7": "fully"},
        overrides={"C7": Override(answer=Answer.LARGELY, justification="seen the renewals")},
        findings=[finding(pid, "contradicts") for pid in ids],
    )
    outcomes = {p.id: contradiction_outcome(p) for p in result.dimensions[0].practices}
    assert outcomes == {
        "C2": ContradictionOutcome.CAPPED,
        "C3": ContradictionOutcome.WITHIN_CAP,
        "C4": ContradictionOutcome.NO_ANSWER,
        "C5": ContradictionOutcome.NO_ANSWER,
        "C6": ContradictionOutcome.NOT_APPLICABLE,
        "C7": ContradictionOutcome.LIFTED,
    }
