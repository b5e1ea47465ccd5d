"""The scoring method, rule by rule (method.md). Every expected number is worked out by hand in the
comment above its assertion."""

from __future__ import annotations

from fractions import Fraction

import pytest
from factories import DAY, answers, assessment, entry, finding, practice, questionnaire
from pydantic import ValidationError

from assess.method.scoring import consolidate, score
from assess.model.levels import Answer
from assess.model.result import EvidenceBasis, Flag
from assess.model.workspace import AnswerEntry, Override

A = Answer


def third(n: int) -> float:
    return float(Fraction(n, 3))


# --- Consolidation ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected", "divergent"),
    [
        ([], A.UNANSWERED, False),  # rule 1: nobody answered
        ([A.NA, A.NA], A.NA, False),  # rule 2: all na
        ([A.UNKNOWN, A.NA], A.UNKNOWN, False),  # rule 3: nothing left after dropping na/unknown
        ([A.UNKNOWN], A.UNKNOWN, False),
        ([A.FULLY], A.FULLY, False),
        # ascending [not, fully], n=2, index floor(1/2)=0 → not; spread 3 steps → divergent
        ([A.FULLY, A.NOT], A.NOT, True),
        # [partially, largely, fully], index floor(2/2)=1 → largely; spread 2 → divergent
        ([A.FULLY, A.PARTIALLY, A.LARGELY], A.LARGELY, True),
        # [not, partially, largely, fully], index floor(3/2)=1 → partially
        ([A.LARGELY, A.NOT, A.FULLY, A.PARTIALLY], A.PARTIALLY, True),
        # [partially, largely]: one step apart → not divergent; index 0 → partially
        ([A.LARGELY, A.PARTIALLY], A.PARTIALLY, False),
        # unknown dropped: [largely] → largely, not divergent
        ([A.UNKNOWN, A.LARGELY], A.LARGELY, False),
        # na mixed with scale answers → divergent; na dropped → fully
        ([A.NA, A.FULLY], A.FULLY, True),
        # [largely, largely, fully]: index 1 → largely
        ([A.FULLY, A.LARGELY, A.LARGELY], A.LARGELY, False),
    ],
)
def test_consolidation_takes_the_lower_median(given, expected, divergent):
    result = consolidate(given)
    assert result.answer is expected
    assert result.is_divergent is divergent


def test_divergent_practice_is_flagged_with_each_respondent_answer():
    q = questionnaire({"inv": [practice("P2", 2)]})
    result = score(
        q,
        assessment(),
        {
            "answers/a.yaml": answers("Ann", {"P2": "partially"}),
            "answers/b.yaml": answers("Bob", {"P2": "fully"}),
        },
        evaluated_at=DAY,
    )
    p = result.practice("P2")
    assert p.answer is A.PARTIALLY
    assert p.flags == (Flag.DIVERGENT,)
    assert "Ann: partially" in p.flag_reasons["divergent"]
    assert "Bob: fully" in p.flag_reasons["divergent"]
    assert [r.respondent for r in p.respondents] == ["Ann", "Bob"]


def test_na_keeps_every_reason():
    q = questionnaire({"inv": [practice("P2", 2), practice("Q2", 2)]})
    result = score(
        q,
        assessment(),
        {
            "answers/a.yaml": answers("Ann", {"P2": entry("na", reason="no public TLS")}),
            "answers/b.yaml": answers("Bob", {"P2": entry("na", reason="outsourced")}),
        },
        evaluated_at=DAY,
    )
    p = result.practice("P2")
    assert p.answer is A.NA and p.value is None
    assert p.na_reasons == ("no public TLS", "outsourced")


def test_na_without_reason_is_rejected():
    with pytest.raises(ValidationError, match="needs a written 'reason'"):
        AnswerEntry(answer=A.NA)


# --- The worked example of docs/methodology.md ------------------------------------------------


def worked_example():
    """Lifecycle automation, target 4 (docs/methodology.md, "A worked example")."""
    q = questionnaire(
        {
            "automation": [
                practice("A1", 2),
                practice("A2", 2),
                practice("B1", 3),
                practice("B2", 3),
                practice("C1", 4),
                practice("C2", 4),
            ]
        }
    )
    given = {
        "A1": "fully",
        "A2": "largely",
        "B1": "largely",
        "B2": "partially",
        "C1": "partially",
        "C2": "not",
    }
    return q, {"answers/jane.yaml": answers("Jane", given)}


def test_worked_example_level_completion_score_coverage_gap():
    q, given = worked_example()
    result = score(q, assessment(targets={"default": 4}), given, evaluated_at=DAY)
    d = result.dimension("automation")
    # Level 2 holds (A1 = 1, A2 = 2/3); level 3 fails (B2 = 1/3 < 2/3).
    assert d.level == 2
    # Completion toward 3: (B1 2/3 + B2 1/3) / 2 = 1/2.
    assert d.completion == pytest.approx(0.5)
    assert d.score == pytest.approx(2.5)
    # Coverage: (1 + 2/3 + 2/3 + 1/3 + 1/3 + 0) / 6 = 3/6.
    assert d.coverage == pytest.approx(0.5)
    # Gap: 4 − 2.
    assert d.gap == 2
    # Roadmap: B2 (level 3 − 2 = phase 1), C1 and C2 (level 4 − 2 = phase 2, id order).
    assert [(s.practice, s.phase) for s in result.roadmap] == [("B2", 1), ("C1", 2), ("C2", 2)]
    # Overall with one dimension equals its score.
    assert result.overall.score == pytest.approx(2.5)
    assert result.overall.level == 2


# --- Levels, completion, overall ---------------------------------------------------------------


def test_level_is_gated_cumulatively():
    # Level-4 practices are met but a level-3 one is not: the level stays 2.
    q = questionnaire({"d": [practice("P2", 2), practice("P3", 3), practice("P4", 4)]})
    given = {"P2": entry("fully"), "P3": entry("not"), "P4": entry("fully", evidence=["doc"])}
    result = score(q, assessment(), {"a.yaml": answers("Ann", given)}, evaluated_at=DAY)
    assert result.dimension("d").level == 2
    # Completion toward 3 counts only level-3 practices: 0.
    assert result.dimension("d").score == 2.0


def test_level_five_has_zero_completion():
    q = questionnaire({"d": [practice("P2", 2), practice("P5", 5)]})
    given = {"P2": "fully", "P5": entry("largely", evidence=["runbook"])}
    d = score(q, assessment(), {"a.yaml": answers("Ann", given)}, evaluated_at=DAY).dimension("d")
    assert (d.level, d.completion, d.score) == (5, 0.0, 5.0)


def test_completion_uses_practice_weights():
    # Level-3 practices weigh 2 (fully) and 1 (not): completion = (2·1 + 1·0) / 3 = 2/3.
    q = questionnaire({"d": [practice("P2", 2), practice("P3a", 3, weight=2), practice("P3b", 3)]})
    given = {"P2": "fully", "P3a": "fully", "P3b": "not"}
    d = score(q, assessment(), {"a.yaml": answers("Ann", given)}, evaluated_at=DAY).dimension("d")
    assert d.level == 2
    assert d.completion == pytest.approx(2 / 3)
    # Coverage: (1·1 + 2·1 + 1·0) / 4 = 3/4.
    assert d.coverage == pytest.approx(0.75)


def test_overall_is_the_weighted_mean_of_dimension_scores():
    q = questionnaire(
        {
            "a": [practice("A2", 2), practice("A3a", 3), practice("A3b", 3)],
            "b": [practice("B2", 2), practice("B3", 3), practice("B4a", 4), practice("B4b", 4)],
        },
        weights={"a": 5, "b": 3},
    )
    given = {
        "A2": "fully",
        "A3a": "fully",
        "A3b": "not",  # a: level 2, completion 1/2 → 2.5
        "B2": "fully",
        "B3": "fully",
        "B4a": "not",
        "B4b": entry("fully", evidence=["dashboard"]),  # b: level 3, completion 1/2 → 3.5
    }
    result = score(q, assessment(), {"a.yaml": answers("Ann", given)}, evaluated_at=DAY)
    # O = (5·2.5 + 3·3.5) / 8 = 23/8 = 2.875 → level 2.
    assert result.overall.score == pytest.approx(2.875)
    assert result.overall.level == 2
    assert result.overall.weakest_dimension == "a"
    # Target score: weighted mean of targets (3, 3) = 3.
    assert result.overall.target_score == pytest.approx(3.0)


def test_overall_level_of_exactly_three_is_three():
    # Weights 0.1 and 0.2: in binary floats (0.1·3 + 0.2·3) / 0.3 = 2.9999999999999996.
    q = questionnaire(
        {"a": [practice("A2", 2), practice("A4", 4)], "b": [practice("B3", 3), practice("B4", 4)]},
        weights={"a": 0.1, "b": 0.2},
    )
    given = {"A2": "fully", "A4": "not", "B3": "fully", "B4": "not"}
    result = score(q, assessment(), {"a.yaml": answers("Ann", given)}, evaluated_at=DAY)
    assert result.overall.score == 3.0
    assert result.overall.level == 3


def test_dimension_with_only_na_is_left_out_of_the_overall():
    q = questionnaire(
        {"a": [practice("A2", 2)], "b": [practice("B2", 2)]}, weights={"a": 1, "b": 4}
    )
    given = {"A2": "fully", "B2": entry("na", reason="no devices")}
    result = score(q, assessment(), {"a.yaml": answers("Ann", given)}, evaluated_at=DAY)
    b = result.dimension("b")
    assert (b.applicable, b.level, b.score, b.gap) == (False, None, None, 0)
    # Only a counts: a has one practice at level 2, fully → level 5 (no higher practice).
    assert result.overall.score == 5.0


def test_na_practice_is_excluded_from_sums():
    # P3b is na: level 3 needs only P3a; completion toward 4 has P4 = 1/3.
    q = questionnaire(
        {"d": [practice("P2", 2), practice("P3a", 3), practice("P3b", 3), practice("P4", 4)]}
    )
    given = {"P2": "fully", "P3a": "largely", "P3b": "na", "P4": "partially"}
    d = score(q, assessment(), {"a.yaml": answers("Ann", given)}, evaluated_at=DAY).dimension("d")
    assert d.level == 3
    assert d.completion == pytest.approx(1 / 3)
    # Coverage: (1 + 2/3 + 1/3) / 3 = 2/3.
    assert d.coverage == pytest.approx(2 / 3)


def test_unknown_and_unanswered_count_as_zero_and_are_flagged():
    q = questionnaire({"d": [practice("P2", 2), practice("Q2", 2)]})
    result = score(q, assessment(), {"a.yaml": answers("Ann", {"P2": "unknown"})}, evaluated_at=DAY)
    assert result.practice("P2").value == 0.0 and result.practice("P2").flags == (Flag.UNKNOWN,)
    assert result.practice("Q2").value == 0.0 and result.practice("Q2").flags == (Flag.UNANSWERED,)
    assert result.flags_summary == {"unanswered": 1, "unknown": 1}


def test_targets_and_gaps():
    q = questionnaire(
        {"a": [practice("A2", 2), practice("A3", 3)], "b": [practice("B2", 2), practice("B3", 3)]}
    )
    given = {"A2": "fully", "A3": "not", "B2": "fully", "B3": "fully"}
    result = score(
        q,
        assessment(targets={"default": 2, "a": 4}),
        {"a.yaml": answers("Ann", given)},
        evaluated_at=DAY,
    )
    assert (result.dimension("a").target, result.dimension("a").gap) == (4, 2)
    # b reached level 5 (no practice above 3), target 2: no gap.
    assert (result.dimension("b").target, result.dimension("b").gap) == (2, 0)


# --- Overrides and evidence --------------------------------------------------------------------


def test_override_replaces_the_consolidated_answer():
    q = questionnaire({"d": [practice("P2", 2)]})
    over = Override(answer=A.PARTIALLY, justification="list is a year old")
    result = score(
        q,
        assessment(overrides={"P2": over}),
        {"a.yaml": answers("Ann", {"P2": "fully"})},
        evaluated_at=DAY,
    )
    p = result.practice("P2")
    assert (p.consolidated_answer, p.answer, p.value) == (A.FULLY, A.PARTIALLY, third(1))
    assert p.flags == (Flag.OVERRIDE,)
    assert "list is a year old" in p.flag_reasons["override"]


def test_evidence_gate_counts_unevidenced_level_four_claims_as_partially():
    q = questionnaire(
        {"d": [practice("P2", 2), practice("P3", 3), practice("P4", 4), practice("P5", 5)]}
    )
    given = {"P2": "fully", "P3": "fully", "P4": "fully", "P5": "not"}
    strict = score(q, assessment(), {"a.yaml": answers("Ann", given)}, evaluated_at=DAY)
    p4 = strict.practice("P4")
    assert p4.value == third(1) and Flag.UNEVIDENCED in p4.flags
    # Level 3; completion toward 4 = 1/3 → 3.333…
    assert strict.dimension("d").level == 3
    assert strict.dimension("d").score == pytest.approx(3 + 1 / 3)
    # Level 3 practices are not gated even without evidence.
    assert strict.practice("P3").value == 1.0

    lenient = score(
        q, assessment(policy="lenient"), {"a.yaml": answers("Ann", given)}, evaluated_at=DAY
    )
    assert lenient.practice("P4").value == 1.0 and lenient.practice("P4").flags == ()
    # Level 4 met; completion toward 5 = P5 = 0 → 4.0
    assert lenient.dimension("d").score == 4.0


def test_documented_evidence_on_any_respondent_lifts_the_gate():
    q = questionnaire({"d": [practice("P2", 2), practice("P4", 4)]})
    given = {
        "a.yaml": answers("Ann", {"P2": "fully", "P4": "fully"}),
        "b.yaml": answers("Bob", {"P4": entry("largely", evidence=["CHG-42"])}),
    }
    p4 = score(q, assessment(), given, evaluated_at=DAY).practice("P4")
    # [largely, fully] → lower median largely = 2/3; Bob's reference counts as documented.
    assert p4.value == third(2)
    assert p4.evidence_basis is EvidenceBasis.DOCUMENTED
    assert p4.evidence_refs == ("CHG-42",)


def test_evidence_on_the_override_lifts_the_gate():
    q = questionnaire({"d": [practice("P4", 4)]})
    over = Override(answer=A.FULLY, justification="seen in the tool", evidence=("screenshot.png",))
    p4 = score(q, assessment(overrides={"P4": over}), {}, evaluated_at=DAY).practice("P4")
    assert p4.value == 1.0 and p4.flags == (Flag.OVERRIDE,)


def test_scan_support_lifts_the_gate():
    q = questionnaire({"d": [practice("P4", 4)]})
    result = score(
        q,
        assessment(),
        {"a.yaml": answers("Ann", {"P4": "fully"})},
        evaluated_at=DAY,
        findings=[finding("P4", "supports")],
    )
    p4 = result.practice("P4")
    assert p4.value == 1.0 and p4.evidence_basis is EvidenceBasis.SCAN and p4.flags == ()


def test_contradiction_caps_at_partially():
    q = questionnaire({"d": [practice("P2", 2), practice("P3", 3)]})
    result = score(
        q,
        assessment(),
        {"a.yaml": answers("Ann", {"P2": "fully", "P3": "fully"})},
        evaluated_at=DAY,
        findings=[finding("P3", "contradicts")],
    )
    p3 = result.practice("P3")
    assert p3.value == third(1)
    assert p3.flags == (Flag.CONTRADICTED,)
    assert p3.counted is Answer.PARTIALLY  # what counts, not what was said
    assert p3.answer is Answer.FULLY
    assert p3.flag_reasons["contradicted"].startswith("Expired certificates: 10 of 20 (50.0%).")
    # P3 below the gate: level 2, completion 1/3.
    assert result.dimension("d").score == pytest.approx(2 + 1 / 3)


def test_contradiction_of_a_low_answer_changes_nothing_and_raises_no_flag():
    q = questionnaire({"d": [practice("P3", 3)]})
    p3 = score(
        q,
        assessment(),
        {"a.yaml": answers("Ann", {"P3": "not"})},
        evaluated_at=DAY,
        findings=[finding("P3", "contradicts")],
    ).practice("P3")
    assert p3.value == 0.0 and p3.flags == ()
    assert len(p3.evidence_findings) == 1


def test_override_lifts_the_contradiction_cap_then_the_gate_still_applies():
    # Order: consolidation, override, contradiction cap, evidence gate.
    q = questionnaire({"d": [practice("P3", 3), practice("P4", 4)]})
    overrides = {
        "P3": Override(answer=A.FULLY, justification="expired host is a decommissioned test box"),
        "P4": Override(answer=A.LARGELY, justification="tool demo seen"),
    }
    result = score(
        q,
        assessment(overrides=overrides),
        {"a.yaml": answers("Ann", {"P3": "fully", "P4": "fully"})},
        evaluated_at=DAY,
        findings=[finding("P3", "contradicts"), finding("P4", "contradicts")],
    )
    p3, p4 = result.practice("P3"), result.practice("P4")
    assert p3.value == 1.0 and p3.flags == (Flag.OVERRIDE,)
    assert "lifts a scan contradiction" in p3.flag_reasons["override"]
    # P4: the override lifts the cap (2/3) but no evidence backs a level-4 claim → 1/3.
    assert p4.value == third(1)
    assert p4.flags == (Flag.OVERRIDE, Flag.UNEVIDENCED)


@pytest.mark.parametrize(
    ("status", "flag"), [("stale", Flag.STALE), ("insufficient", Flag.INSUFFICIENT_EVIDENCE)]
)
def test_stale_or_insufficient_evidence_is_ignored_and_flagged(status, flag):
    q = questionnaire({"d": [practice("P3", 3)]})
    p3 = score(
        q,
        assessment(),
        {"a.yaml": answers("Ann", {"P3": "fully"})},
        evaluated_at=DAY,
        findings=[finding("P3", "contradicts", status=status)],
    ).practice("P3")
    assert p3.value == 1.0
    assert p3.flags == (flag,)


def test_suggestion_is_shown_but_never_counted():
    q = questionnaire({"d": [practice("P2", 2), practice("P3", 3)]})
    result = score(
        q,
        assessment(),
        {"a.yaml": answers("Ann", {"P2": "fully"})},
        evaluated_at=DAY,
        findings=[
            finding("P3", "suggests", answer="largely"),
            finding("P3", "suggests", answer="partially"),
            finding("P2", "suggests", answer="not"),
        ],
    )
    p3 = result.practice("P3")
    # Two rules disagree: the more conservative answer is proposed.
    assert p3.suggested_answer is A.PARTIALLY
    assert p3.value == 0.0 and p3.flags == (Flag.SUGGESTED, Flag.UNANSWERED)
    # An answered practice gets no suggestion.
    assert result.practice("P2").suggested_answer is None


# --- Roadmap ------------------------------------------------------------------------------------


def test_roadmap_pulls_in_dependencies_beyond_target_across_dimensions():
    q = questionnaire(
        {
            "inventory": [
                practice("INV-01", 2),
                practice("INV-02", 3, weight=2, depends_on=["INV-01"]),
            ],
            "automation": [practice("AUT-01", 2), practice("AUT-02", 3, depends_on=["INV-02"])],
        },
        weights={"inventory": 5, "automation": 3},
    )
    given = {"INV-01": "fully", "AUT-01": "fully"}
    result = score(
        q,
        assessment(targets={"default": 3, "inventory": 2}),
        {"a.yaml": answers("Ann", given)},
        evaluated_at=DAY,
    )
    # Both dimensions are at level 2. AUT-02 (level 3 ≤ target 3) is a step; it needs INV-02,
    # unmet and beyond the inventory target 2, so INV-02 is pulled in, first.
    steps = [(s.practice, s.phase, s.is_beyond_target, s.depends_on) for s in result.roadmap]
    assert steps == [("INV-02", 1, True, ()), ("AUT-02", 1, False, ("INV-02",))]
    assert result.roadmap[0].reasons[0] == "Needed first by AUT-02 (beyond the Inventory target)."


def test_roadmap_follows_dependencies_through_met_practices():
    # AUT-02 depends on INV-02, which is met, but INV-02 depends on INV-01, which is not:
    # "every unmet practice such a step depends on (transitively)" includes INV-01.
    q = questionnaire(
        {
            "inventory": [
                practice("INV-01", 2),
                practice("INV-02", 3, depends_on=["INV-01"]),
            ],
            "automation": [practice("AUT-01", 2), practice("AUT-02", 3, depends_on=["INV-02"])],
        }
    )
    given = {"INV-02": "fully", "AUT-01": "fully"}
    result = score(
        q, assessment(targets={"default": 3}), {"a.yaml": answers("Ann", given)}, evaluated_at=DAY
    )
    # Inventory is at level 1 (INV-01 unmet); automation at level 2.
    steps = {s.practice: (s.phase, s.depends_on) for s in result.roadmap}
    assert steps["AUT-02"] == (1, ("INV-01",))
    assert steps["INV-01"] == (1, ())
    order = [s.practice for s in result.roadmap]
    assert order.index("INV-01") < order.index("AUT-02")


def test_roadmap_puts_dependencies_before_priority():
    q = questionnaire(
        {"x": [practice("X2", 2)], "y": [practice("Y2", 2, depends_on=["X2"])]},
        weights={"x": 1, "y": 5},
    )
    result = score(q, assessment(), {}, evaluated_at=DAY)
    # Y2 has priority 5·1 = 5 > X2's 1·1 = 1, but depends on X2.
    assert [s.practice for s in result.roadmap] == ["X2", "Y2"]


def test_roadmap_orders_by_phase_priority_effort_then_id():
    q = questionnaire(
        {
            "a": [
                practice("A2z", 2, effort="L"),
                practice("A2y", 2, effort="S"),
                practice("A3", 3),
            ],
            "b": [practice("B2", 2, weight=2), practice("B2b", 2, effort="S")],
        },
        weights={"a": 1, "b": 1},
    )
    result = score(q, assessment(), {}, evaluated_at=DAY)
    # Phase 1 (level 2 from level 1): B2 priority 2; then priority 1: effort S before M before L,
    # ids A2y < B2b among S. Phase 2: A3 (level 3 − 1).
    assert [(s.practice, s.phase) for s in result.roadmap] == [
        ("B2", 1),
        ("A2y", 1),
        ("B2b", 1),
        ("A2z", 1),
        ("A3", 2),
    ]
    assert [s.order for s in result.roadmap] == [1, 2, 3, 4, 5]


def test_roadmap_phase_follows_a_later_dependency():
    # D2 is level 2 in dimension d (at level 1 → phase 1) but depends on E3, a level-3 practice of
    # e (at level 1 → phase 2): phase(D2) = max(1, 2) = 2.
    q = questionnaire(
        {"d": [practice("D2", 2, depends_on=["E3"])], "e": [practice("E2", 2), practice("E3", 3)]}
    )
    result = score(q, assessment(), {}, evaluated_at=DAY)
    phases = {s.practice: s.phase for s in result.roadmap}
    assert phases == {"E2": 1, "E3": 2, "D2": 2}
    order = [s.practice for s in result.roadmap]
    assert order.index("E3") < order.index("D2")


def test_roadmap_is_empty_when_targets_are_met():
    q = questionnaire({"d": [practice("P2", 2), practice("P3", 3), practice("P4", 4)]})
    result = score(
        q,
        assessment(),
        {"a.yaml": answers("Ann", {"P2": "fully", "P3": "largely"})},
        evaluated_at=DAY,
    )
    # Level 3 reached, target 3: the unmet P4 is beyond target and nothing depends on it.
    assert result.roadmap == ()


# --- the answer counted (method.md, Answer counted) -------------------------------------------


def test_the_answer_counted_is_the_word_whose_value_counts():
    # C4 claims fully at level 4 without evidence: the gate counts it as partially. K2 claims
    # largely, contradicted: partially. U2 unknown and X2 unanswered count 0 and keep their word
    # (nobody said "not"); N2 is N/A; F2 fully counts fully; O2 largely overridden to not.
    q = questionnaire(
        {
            "d": [
                practice("C4", 4),
                practice("K2", 2),
                practice("U2", 2),
                practice("X2", 2),
                practice("N2", 2),
                practice("F2", 2),
                practice("O2", 2),
            ]
        }
    )
    result = score(
        q,
        assessment(overrides={"O2": Override(answer="not", justification="no such list")}),
        {
            "a.yaml": answers(
                "Ann",
                {"C4": "fully", "K2": "largely", "U2": "unknown", "N2": "na", "F2": "fully"},
            ),
            "b.yaml": answers("Bob", {"O2": "largely"}),
        },
        evaluated_at=DAY,
        findings=[finding("K2", "contradicts")],
    )
    said_and_counted = {p.id: (p.answer, p.counted) for p in result.dimensions[0].practices}
    assert said_and_counted == {
        "C4": (Answer.FULLY, Answer.PARTIALLY),
        "K2": (Answer.LARGELY, Answer.PARTIALLY),
        "U2": (Answer.UNKNOWN, Answer.UNKNOWN),
        "X2": (Answer.UNANSWERED, Answer.UNANSWERED),
        "N2": (Answer.NA, Answer.NA),
        "F2": (Answer.FULLY, Answer.FULLY),
        "O2": (Answer.NOT, Answer.NOT),
    }


@pytest.mark.parametrize(
    ("answer", "value", "counted"),
    [
        ("fully", 1.0, "fully"),
        ("fully", 2 / 3, "largely"),
        ("largely", 1 / 3, "partially"),
        ("partially", 1 / 3, "partially"),
        ("not", 0.0, "not"),
        ("unknown", 0.0, "unknown"),
        ("unanswered", 0.0, "unanswered"),
        ("na", None, "na"),
    ],
)
def test_counted_answer_reads_the_value_not_the_word(answer, value, counted):
    from assess.model.result import counted_answer

    assert counted_answer(Answer(answer), value) is Answer(counted)


def test_a_result_written_before_counted_existed_reads_with_it(tmp_path):
    # A cmmm-result/1 document from an earlier version: no "counted", "complete", "unanswered".
    import json

    from assess.inputs.resultfile import read_result

    q = questionnaire({"d": [practice("P2", 2), practice("P3", 3)]})
    made = score(
        q,
        assessment(),
        {"a.yaml": answers("Ann", {"P2": "largely"})},
        evaluated_at=DAY,
        findings=[finding("P2", "contradicts")],
    )
    data = json.loads(made.model_dump_json(by_alias=True))
    del data["complete"], data["unanswered"]
    for dimension in data["dimensions"]:
        for item in dimension["practices"]:
            del item["counted"]
    for step in data["roadmap"]:
        del step["counted"]
    old = tmp_path / "old.json"
    old.write_text(json.dumps(data), encoding="utf-8")
    read = read_result(old)
    assert read.practice("P2").counted is Answer.PARTIALLY  # largely, capped by the scan
    assert read.practice("P3").counted is Answer.UNANSWERED
    assert (read.complete, read.unanswered) == (False, 1)
    assert read == made


# --- completeness (method.md, Completeness) ---------------------------------------------------


def test_unknown_and_na_count_as_answered_only_missing_answers_make_a_draft():
    q = questionnaire(
        {"d": [practice("P2", 2), practice("P3", 3), practice("P4", 4), practice("P5", 5)]}
    )
    complete = score(
        q,
        assessment(overrides={"P5": Override(answer="not", justification="seen")}),
        {"a.yaml": answers("Ann", {"P2": "fully", "P3": "unknown", "P4": "na"})},
        evaluated_at=DAY,
    )
    assert (complete.complete, complete.unanswered, complete.is_draft) == (True, 0, False)
    draft = score(q, assessment(), {"a.yaml": answers("Ann", {"P2": "fully"})}, evaluated_at=DAY)
    assert (draft.complete, draft.unanswered, draft.applicable_practices) == (False, 3, 4)
    # A draft is scored the same way: the three unanswered practices are worth 0.
    assert draft.dimension("d").level == 2 and draft.dimension("d").completion == 0.0


def test_roadmap_steps_for_unanswered_practices_are_not_assessed():
    q = questionnaire({"d": [practice("P2", 2), practice("P3", 3), practice("Q3", 3)]})
    result = score(
        q,
        assessment(),
        {"a.yaml": answers("Ann", {"P2": "fully", "P3": "partially"})},
        evaluated_at=DAY,
    )
    steps = {s.practice: s for s in result.roadmap}
    assert (steps["P3"].is_assessed, steps["Q3"].is_assessed) == (True, False)
    assert steps["Q3"].counted is Answer.UNANSWERED
    assert steps["Q3"].reasons[1] == (
        "Not assessed: nobody answered this practice, so it counts as not implemented."
    )
    assert steps["P3"].reasons[1] == "Answer counted: partially."


def test_roadmap_reasons_show_the_answer_counted_and_rules_in_words():
    q = questionnaire({"d": [practice("P2", 2)]})
    result = score(
        q,
        assessment(),
        {"a.yaml": answers("Ann", {"P2": "largely"})},
        evaluated_at=DAY,
        findings=[finding("P2", "contradicts", value=0.25, denominator=40)],
    )
    (step,) = result.roadmap
    assert step.counted is Answer.PARTIALLY and step.answer is Answer.LARGELY
    assert step.reasons == (
        "D is at level 1 (Ad-hoc); its target is 3 (Defined).",
        "Answer counted: partially (the respondents said largely).",
        "Contradicted by scan evidence, so it counts as partially at most. Expired "
        "certificates: 10 of 40 (25.0%). Expired certificates contradict the claim.",
    )
    why = " ".join(step.reasons)
    assert ".." not in why and ").;" not in why and "expired_share" not in why
