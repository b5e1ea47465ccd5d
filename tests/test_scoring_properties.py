"""Invariants of the scoring method, checked over generated questionnaires and answers."""

from __future__ import annotations

import pytest
from factories import DAY, answers, assessment, entry, finding, practice, questionnaire
from hypothesis import given, settings
from hypothesis import strategies as st

from assess.method.scoring import consolidate, score
from assess.model.levels import SCALE, Answer

pytestmark = pytest.mark.slow  # property tests: hundreds of examples each

WRITABLE = ["not", "partially", "largely", "fully", "unknown", "na"]


@st.composite
def cases(draw):
    """A questionnaire of 1–3 dimensions (acyclic dependencies), answers, evidence and policy."""
    dimensions = {}
    ids: list[str] = []
    for d in range(draw(st.integers(1, 3))):
        practices = []
        for n in range(draw(st.integers(1, 6))):
            pid = f"D{d}P{n}"
            # Only earlier practices can be dependencies: no cycle by construction.
            deps = draw(st.lists(st.sampled_from(ids), max_size=2, unique=True)) if ids else []
            practices.append(
                practice(
                    pid,
                    draw(st.integers(2, 5)),
                    weight=draw(st.sampled_from([0.5, 1.0, 2.0])),
                    depends_on=deps,
                    effort=draw(st.sampled_from("SML")),
                )
            )
            ids.append(pid)
        dimensions[f"dim{d}"] = practices
    weights = {d: draw(st.sampled_from([1.0, 2.0, 5.0])) for d in dimensions}
    given_answers = {}
    for pid in ids:
        word = draw(st.sampled_from([*WRITABLE, None]))
        if word is not None:
            given_answers[pid] = entry(word, evidence=draw(st.sampled_from([(), ("doc",)])))
    findings = [
        finding(pid, draw(st.sampled_from(["supports", "contradicts"])))
        for pid in draw(st.lists(st.sampled_from(ids), max_size=3, unique=True))
    ]
    targets = {"default": draw(st.integers(1, 5))}
    policy = draw(st.sampled_from(["strict", "lenient"]))
    return questionnaire(dimensions, weights), given_answers, findings, targets, policy


def run(case, given_answers=None, extra=None):
    q, base, findings, targets, policy = case
    files = {"answers/a.yaml": answers("Ann", base if given_answers is None else given_answers)}
    if extra is not None:
        files["answers/b.yaml"] = answers("Bob", extra)
    return score(
        q, assessment(targets=targets, policy=policy), files, evaluated_at=DAY, findings=findings
    )


def raise_one_step(word: str | None) -> str:
    if word in (None, "unknown", "not"):
        return "partially"
    return SCALE[min(SCALE.index(Answer(word)) + 1, 3)].value


@settings(max_examples=150, deadline=None)
@given(cases(), st.data())
def test_levels_are_monotone_in_answers(case, data):
    q, base, *_ = case
    pid = data.draw(st.sampled_from(sorted(q.practices)))
    current = base.get(pid)
    if current is not None and current.answer is Answer.NA:
        return
    raised = dict(base)
    evidence = current.evidence if current is not None else ()
    raised[pid] = entry(raise_one_step(current.answer if current else None), evidence=evidence)
    before, after = run(case), run(case, raised)
    for b, a in zip(before.dimensions, after.dimensions, strict=True):
        assert a.applicable == b.applicable
        if a.applicable:
            assert a.level >= b.level
            assert a.score >= b.score - 1e-12
    if before.overall.score is not None:
        assert after.overall.score >= before.overall.score - 1e-12


@settings(max_examples=150, deadline=None)
@given(cases(), st.data())
def test_an_na_never_lowers_a_level_by_itself(case, data):
    q, base, *_ = case
    pid = data.draw(st.sampled_from(sorted(q.practices)))
    before = run(case)
    # A second respondent says na: their answer is dropped unless nobody else gave a scale answer.
    with_extra = run(case, extra={pid: entry("na")})
    # The practice itself becomes na.
    as_na = run(case, {**base, pid: entry("na")})
    for after in (with_extra, as_na):
        for b, a in zip(before.dimensions, after.dimensions, strict=True):
            if a.applicable:
                assert a.level >= b.level


@given(st.sampled_from(list(Answer)))
def test_consolidating_one_answer_is_the_identity(answer):
    if answer is Answer.UNANSWERED:
        return
    assert consolidate([answer]).answer is answer
    assert not consolidate([answer]).is_divergent


@settings(max_examples=100, deadline=None)
@given(cases())
def test_one_respondent_result_keeps_each_answer(case):
    q, base, *_ = case
    result = run(case)
    for pid in q.practices:
        expected = base[pid].answer if pid in base else Answer.UNANSWERED
        assert result.practice(pid).consolidated_answer is expected
        assert "divergent" not in result.practice(pid).flags


@settings(max_examples=200, deadline=None)
@given(cases())
def test_roadmap_never_lists_a_step_before_its_dependency(case):
    q, *_ = case
    result = run(case)
    position = {s.practice: s.order for s in result.roadmap}
    phases = [s.phase for s in result.roadmap]
    assert phases == sorted(phases)
    for step in result.roadmap:
        for dep in q.practices[step.practice].depends_on:
            p = result.practice(dep)
            if p.is_applicable and not p.is_met:
                # Every unmet dependency is itself a step, placed earlier.
                assert dep in position
                assert position[dep] < step.order
