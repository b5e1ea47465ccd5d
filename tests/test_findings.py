"""Scan-evidence findings in plain words (assess.method.findings): every metric named, the
figure measured as a count of its sample, a rule's threshold in words, never a raw rule.

Expected texts are written out by hand from the metric, the threshold and the sample.
"""

from __future__ import annotations

import pytest
from factories import finding

from assess.method.findings import (
    METRIC_LABELS,
    finding_change,
    finding_measure,
    finding_sentences,
    measured_figure,
    rule_text,
    threshold_text,
)
from assess.model.evidence import Comparison, EvidenceEffect, EvidenceRule, MetricId


def _rule(metric: MetricId, op: str, threshold: float, explanation: str = "Why.") -> EvidenceRule:
    return EvidenceRule(
        metric=metric,
        op=Comparison(op),
        threshold=threshold,
        effect=EvidenceEffect.CONTRADICTS,
        explanation=explanation,
    )


def test_every_metric_has_a_name_in_words():
    assert set(METRIC_LABELS) == set(MetricId)
    assert all(not label.islower() and "_" not in label for label in METRIC_LABELS.values())


@pytest.mark.parametrize(
    ("metric", "op", "threshold", "words"),
    [
        (MetricId.WEAK_KEY_SHARE, ">", 0, "Certificates with weak keys: any"),
        (MetricId.WEAK_KEY_SHARE, "<=", 0, "Certificates with weak keys: none"),
        (
            MetricId.LATE_RENEWAL_SHARE,
            ">",
            0.1,
            "Valid certificates with under a third of life left: more than 10%",
        ),
        (
            MetricId.AUTOMATION_MARKER_SHARE,
            ">=",
            0.2,
            "Certificates with an automation marker: at least 20%",
        ),
        (
            MetricId.SHORT_VALIDITY_SHARE,
            "<",
            0.5,
            "Certificates valid for 90 days or less: under 50%",
        ),
        (MetricId.ISSUER_COUNT, ">", 15, "Distinct issuers: more than 15"),
    ],
)
def test_a_rule_reads_as_its_metric_and_threshold(metric, op, threshold, words):
    rule = _rule(metric, op, threshold)
    assert rule_text(rule) == words
    assert rule.condition not in words  # never the raw rule
    assert threshold_text(rule) == words.rsplit(": ", 1)[1]


def test_a_figure_is_a_count_of_its_sample_and_a_share():
    # 2 weak keys among 485 certificates: 2 / 485 = 0.41 %.
    assert measured_figure(2 / 485, MetricId.WEAK_KEY_SHARE, 485) == "2 of 485 (0.4%)"
    assert measured_figure(9.0, MetricId.ISSUER_COUNT, 485) == "9 in a sample of 485"
    assert measured_figure(9.0, MetricId.ISSUER_COUNT, 485, with_sample=False) == "9"
    assert measured_figure(None, MetricId.WEAK_KEY_SHARE, 0) == "no data"
    assert measured_figure(1234 / 2000, MetricId.EXPIRED_SHARE, 2000) == "1,234 of 2,000 (61.7%)"


def test_a_finding_in_words_has_one_full_stop_per_sentence():
    # The factory's explanation has no capital and no full stop; the questionnaire's have both.
    plain = finding("P2", "contradicts", value=0.25, denominator=40)
    assert finding_measure(plain) == "expired certificates: 10 of 40 (25.0%)"
    assert finding_sentences(plain) == (
        "Expired certificates: 10 of 40 (25.0%). Expired certificates contradict the claim."
    )
    written = plain.model_copy(
        update={"rule": plain.rule.model_copy(update={"explanation": "Seen (a case)."})}
    )
    assert finding_sentences(written).endswith("(25.0%). Seen (a case).")
    assert ".." not in finding_sentences(written)


def test_a_rule_in_effect_reads_as_what_it_does_with_the_figure():
    assert finding_change(finding("P2", "contradicts")) == (
        "contradicts the answer: expired certificates: 10 of 20 (50.0%)"
    )
    assert finding_change(finding("P2", "suggests", answer="partially")) == (
        "suggests 'partially': expired certificates: 10 of 20 (50.0%)"
    )
