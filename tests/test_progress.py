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

from datetime import date

import pytest
from factories import DAY, answers, assessment, entry, finding, practice, questionnaire

from assess.method.progress import compare, mismatches, percent_to_target, progress_to_date, trend
from assess.method.scoring import score
from assess.model.levels import Answer
from assess.model.progress import ChangeKind, ConcernReason, MismatchKind
from assess.model.result import Flag
from assess.model.workspace import Override

LEVELS = (2, 3, 4, 5)
MAY, AUGUST = date(2026, 5, 29), date(2026, 8, 28)


def _questionnaire(extra: str | None = None, version: str = "1"):
    dims = {
        "a": [practice(f"A{level}", level) for level in LEVELS],
        "b": [practice(f"B{level}", level) for level in LEVELS],
    }
    if extra:
        dims["b"].append(practice(extra, 5))
    q = questionnaire(dims)
    return q.model_copy(update={"version": version})


def _score(given: dict[str, str], q=None, targets=None, at=DAY):
    q = q or _questionnaire()
    full = dict.fromkeys(q.practices, "not")
    full.update(given)
    sheet = answers("Ann", {p: entry(a) for p, a in full.items()})
    return score(
        q, assessment(targets=targets or {"a": 4, "b": 3}), {"x.yaml": sheet}, evaluated_at=at
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


def test_dimensions_with_target_one_are_skipped_and_all_targets_one_is_100_percent():
    # method.md: 1.0 when all targets are met; a target of 1 is always met.
    assert percent_to_target(_score(BASELINE, targets={"a": 1, "b": 1})) == 1.0
    # Only b counts: 1 − (3 − 2) / 2.
    assert percent_to_target(_score(BASELINE, targets={"a": 1, "b": 3})) == pytest.approx(0.5)


def test_results_of_different_questionnaires_are_a_mismatch():
    before = _score(BASELINE, at=AUGUST)
    other = before.model_copy(
        update={"questionnaire": before.questionnaire.model_copy(update={"id": "other"})}
    )
    (found,) = mismatches([other, _score(CURRENT)])
    assert (found.kind, found.index, found.reference, found.field) == (
        MismatchKind.QUESTIONNAIRE,
        1,
        0,
        "questionnaire.id",
    )
    assert (found.value, found.expected) == ("test", "other")
    # compare still computes: whether to stop is the caller's decision (exit 2 or --force).
    assert compare(other, _score(CURRENT)).baseline.questionnaire_id == "other"


def test_organisation_duplicate_and_order_mismatches():
    may, august, now = _score({}, at=MAY), _score(BASELINE, at=AUGUST), _score(CURRENT)
    assert mismatches([may, august, now]) == ()
    other = now.model_copy(
        update={"assessment": now.assessment.model_copy(update={"organisation": "Other"})}
    )
    found = mismatches([may, august, other, august])
    assert [(m.kind, m.index, m.reference, m.field) for m in found] == [
        (MismatchKind.ORGANISATION, 2, 0, "assessment.organisation"),
        (MismatchKind.OUT_OF_ORDER, 3, 2, "evaluated_at"),
    ]
    (duplicate,) = mismatches([august, august])
    assert (duplicate.kind, duplicate.value, duplicate.expected) == (
        MismatchKind.DUPLICATE,
        "2026-08-28",
        "2026-08-28",
    )


# --- three quarters ----------------------------------------------------------------------
#
# May: everything not        → a: L1, c = v(A2) = 0 → S = 1;  b: S = 1;  O = 1
# August: BASELINE           → S_a = 2, S_b = 2, O = 2
# November (DAY): CURRENT    → S_a = 10/3, S_b = 4/3, O = 7/3
# O_target = (4 + 3) / 2 = 3.5 throughout.
# percent_to_target: May 1 − (3 + 2)/5 = 0; August 2/5; November 8/15 (worked out above).
# From May to November: ΔO = 7/3 − 1 = 4/3; progress_to_date = (4/3) / (3.5 − 1) = 8/15.
# Movements: May→Aug a +1, b +1; Aug→Nov a +4/3, b −2/3 → by size: a +4/3, a +1, b +1, b −2/3.


def test_a_three_quarter_trend():
    t = trend([_score({}, at=MAY), _score(BASELINE, at=AUGUST), _score(CURRENT)])
    assert [p.evaluated_at for p in t.points] == [MAY, AUGUST, DAY]
    assert [p.overall_score for p in t.points] == pytest.approx([1, 2, 7 / 3])
    assert [p.percent_to_target for p in t.points] == pytest.approx([0, 2 / 5, 8 / 15])
    assert [p.target_score for p in t.points] == pytest.approx([3.5] * 3)
    assert t.delta_overall == pytest.approx(4 / 3)
    assert t.progress_to_date == pytest.approx(8 / 15)
    a, b = t.dimensions
    assert (a.levels, b.levels) == ((1, 2, 3), (1, 2, 1))
    assert a.scores == pytest.approx((1, 2, 10 / 3))
    assert b.targets == (3, 3, 3)
    first, second = t.steps
    assert (first.improved, first.regressed, first.rescoped) == (2, 0, 0)  # A2, B2
    assert first.delta_overall == pytest.approx(1)
    assert (second.improved, second.regressed, second.rescoped) == (3, 1, 1)
    assert [(m.dimension, m.start, m.end) for m in t.movements] == [
        ("a", AUGUST, DAY),
        ("a", MAY, AUGUST),
        ("b", MAY, AUGUST),
        ("b", AUGUST, DAY),
    ]
    assert [m.delta_score for m in t.movements] == pytest.approx([4 / 3, 1, 1, -2 / 3])


def test_a_trend_step_says_what_compare_says():
    august, now = _score(BASELINE, at=AUGUST), _score(CURRENT)
    (step,) = trend([august, now]).steps
    progress = compare(august, now)
    assert step.delta_overall == progress.delta_overall
    assert step.improved == progress.count(ChangeKind.IMPROVED)


def test_a_single_result_is_a_trend_without_steps():
    t = trend([_score(CURRENT)])
    assert t.steps == () and t.movements == () and t.delta_overall == 0
    # Denominator O_target − O_first is not 0 here, numerator is: 0 of the way.
    assert t.progress_to_date == 0


# --- areas of concern --------------------------------------------------------------------


def test_a_fallen_dimension_is_the_first_concern():
    progress = compare(_score(BASELINE), _score(CURRENT))
    (concern,) = progress.concerns
    assert (concern.dimension, concern.reason, concern.regressed) == (
        "b",
        ConcernReason.FELL,
        ("B2",),
    )
    assert concern.shortfall == pytest.approx(3 - 4 / 3)


def test_regressed_practices_and_stalled_dimensions_are_concerns():
    # a: before A2, A3 fully → L3, c = v(A4) = 0 → S = 3.
    #    now A2 fully, A3 largely (regressed), A4 fully with evidence → L4, c = v(A5) = 0 → 4.
    # b: B2 fully both times → S = 2, target 3: stalled, 1 below.
    q = _questionnaire()
    before = _score({"A2": "fully", "A3": "fully", "B2": "fully"}, q, at=AUGUST)
    full = dict.fromkeys(q.practices, entry("not"))
    full |= {
        "A2": entry("fully"),
        "A3": entry("largely"),
        "A4": entry("fully", evidence=["audit"]),
        "B2": entry("fully"),
    }
    now = score(
        q, assessment(targets={"a": 4, "b": 3}), {"x": answers("Ann", full)}, evaluated_at=DAY
    )
    progress = compare(before, now)
    assert [d.delta_score for d in progress.dimensions] == pytest.approx([1, 0])
    assert [(c.dimension, c.reason, c.regressed) for c in progress.concerns] == [
        ("a", ConcernReason.REGRESSED_PRACTICES, ("A3",)),
        ("b", ConcernReason.STALLED, ()),
    ]
    assert progress.concerns[1].shortfall == pytest.approx(1)
    assert progress.most_improved == ("a",)


# --- the evidence behind a change --------------------------------------------------------


def test_each_change_carries_the_evidence_behind_it():
    q = _questionnaire()
    before = score(
        q,
        assessment(targets={"a": 4, "b": 3}),
        {"x": answers("Ann", {"A2": entry("partially", evidence=["OLD-1"]), "B2": "fully"})},
        evaluated_at=AUGUST,
    )
    now = score(
        q,
        assessment(
            targets={"a": 4, "b": 3},
            overrides={"B2": Override(answer="largely", justification="seen it")},
        ),
        {
            "x": answers(
                "Ann", {"A2": entry("fully", evidence=["DOC-1"]), "A3": "fully", "B2": "fully"}
            ),
            "y": answers("Bob", {"A2": "fully"}),
        },
        evaluated_at=DAY,
        findings=[finding("A3", "contradicts")],
    )
    changes = {c.practice: c for c in compare(before, now).practices}
    a2 = changes["A2"]
    assert a2.kind is ChangeKind.IMPROVED
    assert (a2.evidence_added, a2.evidence_dropped) == (("DOC-1",), ("OLD-1",))
    assert [(r.respondent, r.baseline_answer, r.current_answer) for r in a2.respondents] == [
        ("Ann", "partially", "fully"),
        ("Bob", None, "fully"),
    ]
    assert (a2.baseline_basis, a2.current_basis) == ("documented", "documented")
    b2 = changes["B2"]
    assert b2.kind is ChangeKind.REGRESSED  # fully → largely, by the override
    assert b2.override_justification == "seen it"
    assert Flag.OVERRIDE in b2.flags_added and b2.respondents == ()
    a3 = changes["A3"]  # not → fully, capped at partially by the scan: still up, from 0 to 1/3
    assert a3.kind is ChangeKind.IMPROVED and a3.current_value == pytest.approx(1 / 3)
    # What counts, not what was said: unanswered → partially, though Ann answered fully.
    assert (a3.baseline_counted, a3.current_counted) == (Answer.UNANSWERED, Answer.PARTIALLY)
    assert a3.current_answer is Answer.FULLY
    assert a3.scan_added == ("contradicts the answer: expired certificates: 10 of 20 (50.0%)",)
    assert Flag.CONTRADICTED in a3.flags_added
    assert Flag.UNANSWERED in a3.flags_removed
    assert changes["A4"].evidence_added == () and changes["A4"].respondents == ()
