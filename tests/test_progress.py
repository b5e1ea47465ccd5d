"""Progress between two results (method.md, Progress between assessments), worked by hand.

Questionnaire: dimensions a and b, practices at levels 2–5 (weight 1), dimension weights 1.
Targets a = 4, b = 3.

Baseline: a: A2 fully, A3–A5 not        → L2, c = v(A3) = 0           → S = 2
          b: B2 fully, B3–B5 not        → L2, c = v(B3) = 0           → S = 2
Current:  a: A2 fully, A3 largely, A4 partially, A5 na
                                        → L3, c = v(A4) = 1/3         → S = 10/3
          b: B2 partially, B3 fully     → L1, c = v(B2) = 1/3         → S = 4/3

O_baseline = 2, O_now = (10/3 + 4/3) / 2 = 7/3, O_target = 3.5.
ΔO = 1/3; progress_to_date = (1/3) / (3.5 − 2) = 2/9.
percent_to_target now = 1 − ((4 − 10/3) + (3 − 4/3)) / (3 + 2) = 1 − (7/3)/5 = 8/15;
baseline = 1 − ((4 − 2) + (3 − 2)) / 5 = 2/5.
"""

from __future__ import annotations

import pytest
from factories import DAY, answers, assessment, entry, practice, questionnaire

from assess.model.progress import ChangeKind, MismatchKind
from assess.progress import compare, mismatches, percent_to_target, progress_to_date
from assess.scoring import score

LEVELS = (2, 3, 4, 5)


def _questionnaire(extra: str | None = None, version: str = "1"):
    dims = {
        "a": [practice(f"A{level}", level) for level in LEVELS],
        "b": [practice(f"B{level}", level) for level in LEVELS],
    }
    if extra:
        dims["b"].append(practice(extra, 5))
    q = questionnaire(dims)
    return q.model_copy(update={"version": version})


def _score(given: dict[str, str], q=None, targets=None):
    q = q or _questionnaire()
    full = dict.fromkeys(q.practices, "not")
    full.update(given)
    sheet = answers("Ann", {p: entry(a) for p, a in full.items()})
    return score(
        q, assessment(targets=targets or {"a": 4, "b": 3}), {"x.yaml": sheet}, evaluated_at=DAY
    )


BASELINE = {"A2": "fully", "B2": "fully"}
CURRENT = {
    "A2": "fully",
    "A3": "largely",
    "A4": "partially",
    "A5": "na",
    "B2": "partially",
    "B3": "fully",
}


def test_scores_of_the_fixture_are_as_worked_out():
    before, now = _score(BASELINE), _score(CURRENT)
    assert [d.score for d in before.dimensions] == pytest.approx([2, 2])
    assert [d.score for d in now.dimensions] == pytest.approx([10 / 3, 4 / 3])
    assert now.overall.target_score == pytest.approx(3.5)


def test_deltas_percent_to_target_and_progress_to_date():
    progress = compare(_score(BASELINE), _score(CURRENT))
    assert progress.delta_overall == pytest.approx(1 / 3)
    assert progress.progress_to_date == pytest.approx(2 / 9)
    assert progress.percent_to_target == pytest.approx(8 / 15)
    assert progress.baseline_percent_to_target == pytest.approx(2 / 5)
    a, b = progress.dimensions
    assert (a.id, a.baseline_level, a.current_level, a.delta_level) == ("a", 2, 3, 1)
    assert a.delta_score == pytest.approx(4 / 3)
    assert (b.id, b.delta_level) == ("b", -1)
    assert b.delta_score == pytest.approx(-2 / 3)
    assert progress.most_improved == ("a",)
    assert progress.areas_of_concern == ("b",)
    assert not progress.is_questionnaire_changed


def test_practice_diff_kinds():
    progress = compare(_score(BASELINE), _score(CURRENT))
    kinds = {c.practice: c.kind for c in progress.practices}
    assert kinds == {
        "A2": ChangeKind.UNCHANGED,
        "A3": ChangeKind.IMPROVED,
        "A4": ChangeKind.IMPROVED,
        "A5": ChangeKind.RESCOPED,
        "B2": ChangeKind.REGRESSED,
        "B3": ChangeKind.IMPROVED,
        "B4": ChangeKind.UNCHANGED,
        "B5": ChangeKind.UNCHANGED,
    }
    b2 = next(c for c in progress.practices if c.practice == "B2")
    assert (b2.baseline_answer, b2.current_answer) == ("fully", "partially")
    assert progress.count(ChangeKind.IMPROVED) == 3


def test_a_questionnaire_version_change_lists_new_and_removed_practices():
    before = _score(BASELINE, _questionnaire(extra="B9", version="1"))
    now = _score(CURRENT, _questionnaire(extra="B6", version="2"))
    progress = compare(before, now)
    assert progress.is_questionnaire_changed
    kinds = {c.practice: c.kind for c in progress.practices}
    assert kinds["B6"] is ChangeKind.NEW
    assert kinds["B9"] is ChangeKind.REMOVED
    assert progress.practices[-1].practice == "B9"  # removed ones come last, never dropped


def test_progress_to_date_is_undefined_when_the_baseline_is_at_the_target():
    # Targets 2 and 2 with the baseline at S = 2 and 2: the denominator is 0.
    before = _score(BASELINE, targets={"a": 2, "b": 2})
    now = _score(CURRENT, targets={"a": 2, "b": 2})
    assert progress_to_date(before, now) is None
    # Percent to target: shortfall (0 + (2 − 4/3)) / ((2−1) + (2−1)) = (2/3)/2 → 1 − 1/3.
    assert percent_to_target(now) == pytest.approx(2 / 3)


def test_dimensions_with_target_one_are_skipped_and_none_when_nothing_counts():
    assert percent_to_target(_score(BASELINE, targets={"a": 1, "b": 1})) is None
    # Only b counts: 1 − (3 − 2) / 2.
    assert percent_to_target(_score(BASELINE, targets={"a": 1, "b": 3})) == pytest.approx(0.5)


def test_results_of_different_questionnaires_are_a_mismatch():
    before = _score(BASELINE)
    other = before.model_copy(
        update={"questionnaire": before.questionnaire.model_copy(update={"id": "other"})}
    )
    (found,) = mismatches([other, before])
    assert (found.kind, found.index, found.reference, found.field) == (
        MismatchKind.QUESTIONNAIRE,
        1,
        0,
        "questionnaire.id",
    )
    assert (found.value, found.expected) == ("test", "other")
