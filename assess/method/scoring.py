"""The CMMM scoring method v1 (method.md), as pure functions: no clock, no I/O.

Exact arithmetic: answer values are thirds, so every sum is computed with ``Fraction`` and turned
into a float only in the result document. Gates (``v ≥ 2/3``) are therefore exact comparisons.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from assess.method.findings import finding_measure, finding_sentences
from assess.method.roadmap import plan_roadmap
from assess.model.evidence import (
    EvidenceEffect,
    EvidenceFinding,
    EvidenceSummary,
    FindingStatus,
)
from assess.model.levels import GATE, MAX_LEVEL, SCALE, Answer
from assess.model.questionnaire import Dimension, Practice, Questionnaire
from assess.model.result import (
    AssessmentInfo,
    DimensionResult,
    EvidenceBasis,
    Flag,
    Overall,
    PracticeResult,
    QuestionnaireInfo,
    RespondentAnswer,
    RespondentInfo,
    Result,
    ToolInfo,
    counted_answer,
)
from assess.model.workspace import AnswersFile, Assessment, EvidencePolicy, Override

OVERALL_TOLERANCE = Fraction(1, 10**9)
"""floor(O) is taken with this tolerance so that a score of 3.0 is level 3 (method.md)."""


def exact(number: float) -> Fraction:
    """A weight as an exact fraction of its decimal spelling (``0.1`` → 1/10)."""
    return Fraction(str(number))


@dataclass(frozen=True)
class Consolidation:
    """The respondents' answers to one practice folded into one."""

    answer: Answer
    """The consolidated answer (``unanswered`` when nobody answered)."""
    is_divergent: bool
    """True when scale answers span two or more steps or na was mixed with scale answers."""


def consolidate(answers: Sequence[Answer]) -> Consolidation:
    """Fold several respondents' answers into one (method.md, Consolidation).

    None given → ``unanswered``; all ``na`` → ``na``; otherwise drop ``na`` and ``unknown`` and take
    the lower median of the rest (``unknown`` when nothing is left).
    """
    if not answers:
        return Consolidation(Answer.UNANSWERED, is_divergent=False)
    if all(a is Answer.NA for a in answers):
        return Consolidation(Answer.NA, is_divergent=False)
    scale = sorted((a for a in answers if a.is_scale), key=SCALE.index)
    if not scale:
        return Consolidation(Answer.UNKNOWN, is_divergent=False)
    lower_median = scale[(len(scale) - 1) // 2]
    spread = SCALE.index(scale[-1]) - SCALE.index(scale[0])
    is_divergent = spread >= 2 or Answer.NA in answers
    return Consolidation(lower_median, is_divergent)


def suggested_answer(findings: Iterable[EvidenceFinding]) -> Answer | None:
    """The answer fired ``suggests`` rules propose; the most conservative when they differ."""
    proposals = [
        f.rule.answer
        for f in findings
        if f.is_fired and f.effect is EvidenceEffect.SUGGESTS and f.rule.answer is not None
    ]
    return min(proposals, key=SCALE.index) if proposals else None


@dataclass(frozen=True)
class _Respondent:
    file: str
    sheet: AnswersFile


def _practice_result(
    practice: Practice,
    dimension: Dimension,
    respondents: Sequence[_Respondent],
    override: Override | None,
    findings: Sequence[EvidenceFinding],
    policy: EvidencePolicy,
) -> tuple[PracticeResult, Fraction | None]:
    """Score one practice; returns the result and its exact effective value."""
    given = [
        RespondentAnswer(
            respondent=r.sheet.respondent.name,
            role=r.sheet.respondent.role,
            answer=entry.answer,
            note=entry.note,
            evidence=entry.evidence,
            reason=entry.reason,
        )
        for r in respondents
        if (entry := r.sheet.answers.get(practice.id)) is not None
    ]
    consolidation = consolidate([g.answer for g in given])
    flags: dict[Flag, str] = {}
    if consolidation.is_divergent:
        spread = ", ".join(f"{g.respondent}: {g.answer}" for g in given)
        flags[Flag.DIVERGENT] = f"respondents disagree ({spread})"

    answer = consolidation.answer
    if override is not None:
        answer = override.answer
        flags[Flag.OVERRIDE] = (
            f"assessor set '{override.answer}' (respondents: {consolidation.answer}): "
            f"{override.justification}"
        )
    if answer is Answer.UNANSWERED:
        flags[Flag.UNANSWERED] = "no respondent answered this practice"
    elif answer is Answer.UNKNOWN:
        flags[Flag.UNKNOWN] = "the respondents did not know"

    na_reasons = tuple(g.reason for g in given if g.answer is Answer.NA)
    if override is not None and override.answer is Answer.NA:
        na_reasons = (*na_reasons, override.justification)
    evidence_refs = tuple(
        dict.fromkeys(
            [ref for g in given for ref in g.evidence]
            + list(override.evidence if override is not None else ())
        )
    )

    fired = [f for f in findings if f.is_fired]
    for status, flag, text in (
        (FindingStatus.STALE, Flag.STALE, "scan evidence is older than allowed and was ignored"),
        (
            FindingStatus.INSUFFICIENT,
            Flag.INSUFFICIENT_EVIDENCE,
            "insufficient evidence: the scan sample is below the rule's minimum",
        ),
    ):
        if any(f.status is status for f in findings):
            flags[flag] = text
    supported = any(f.effect is EvidenceEffect.SUPPORTS for f in fired)
    contradictions = [f for f in fired if f.effect is EvidenceEffect.CONTRADICTS]

    basis = EvidenceBasis.NONE
    if evidence_refs:
        basis = EvidenceBasis.DOCUMENTED
    if supported:
        basis = EvidenceBasis.SCAN

    suggested = suggested_answer(findings) if answer is Answer.UNANSWERED else None
    if suggested is not None:
        flags[Flag.SUGGESTED] = f"scan evidence suggests '{suggested}'; confirm in the interview"

    value = answer.value_fraction
    if value is not None:
        if contradictions:
            if override is not None:
                flags[Flag.OVERRIDE] += " (lifts a scan contradiction: "
                flags[Flag.OVERRIDE] += "; ".join(finding_measure(f) for f in contradictions)
                flags[Flag.OVERRIDE] += ")"
            elif value > Fraction(1, 3):
                value = Fraction(1, 3)
                flags[Flag.CONTRADICTED] = " ".join(finding_sentences(f) for f in contradictions)
        if (
            policy is EvidencePolicy.STRICT
            and practice.level >= 4
            and value >= GATE
            and basis is EvidenceBasis.NONE
        ):
            value = Fraction(1, 3)
            flags[Flag.UNEVIDENCED] = (
                f"'{answer}' at level {practice.level} without documented evidence or scan "
                "support counts as partially (evidence gate)"
            )

    ordered = tuple(sorted(flags))
    return (
        PracticeResult(
            id=practice.id,
            dimension=dimension.id,
            title=practice.title,
            question=practice.question,
            level=practice.level,
            weight=practice.weight,
            answer=answer,
            consolidated_answer=consolidation.answer,
            value=None if value is None else float(value),
            counted=counted_answer(answer, None if value is None else float(value)),
            is_met=value is not None and value >= GATE,
            flags=ordered,
            flag_reasons={str(flag): flags[flag] for flag in ordered},
            respondents=tuple(given),
            override=override,
            na_reasons=na_reasons,
            evidence_refs=evidence_refs,
            evidence_basis=basis,
            evidence_findings=tuple(findings),
            suggested_answer=suggested,
        ),
        value,
    )


@dataclass(frozen=True)
class DimensionScore:
    """The exact numbers of one applicable dimension (method.md, Dimension scores)."""

    level: int
    completion: Fraction
    coverage: Fraction

    @property
    def score(self) -> Fraction:
        """S_d = L_d + c_d."""
        return self.level + self.completion


def _weighted_mean(pairs: Iterable[tuple[Fraction, Fraction]]) -> Fraction:
    items = list(pairs)
    total = sum((w for w, _ in items), Fraction(0))
    return sum((w * v for w, v in items), Fraction(0)) / total


def score_dimension(practices: Sequence[tuple[Practice, Fraction]]) -> DimensionScore | None:
    """Gated level, completion and coverage from applicable practices and their values.

    ``None`` when no practice applies.
    """
    if not practices:
        return None
    level = 1
    for k in range(2, MAX_LEVEL + 1):
        if all(v >= GATE for p, v in practices if p.level <= k):
            level = k
        else:
            break
    completion = Fraction(0)
    if level < MAX_LEVEL:
        completion = _weighted_mean(
            (exact(p.weight), v) for p, v in practices if p.level == level + 1
        )
    coverage = _weighted_mean((exact(p.weight), v) for p, v in practices)
    return DimensionScore(level, completion, coverage)


def overall_level(overall_score: Fraction) -> int:
    """floor(O) with the method's tolerance."""
    return math.floor(overall_score + OVERALL_TOLERANCE)


def score(
    questionnaire: Questionnaire,
    assessment: Assessment,
    answers: Mapping[str, AnswersFile],
    *,
    evaluated_at: date,
    findings: Sequence[EvidenceFinding] = (),
    evidence: EvidenceSummary | None = None,
) -> Result:
    """Score an assessment.

    ``answers`` maps each answers file (path relative to the workspace) to its content; they are
    consolidated in path order. ``findings`` are the evaluated scan-evidence rules.
    """
    respondents = [_Respondent(file, answers[file]) for file in sorted(answers)]
    findings_by_practice: dict[str, list[EvidenceFinding]] = {}
    for finding in findings:
        findings_by_practice.setdefault(finding.practice, []).append(finding)

    dimension_results: list[DimensionResult] = []
    scores: dict[str, DimensionScore] = {}
    for dimension in questionnaire.dimensions:
        practice_results: list[PracticeResult] = []
        applicable: list[tuple[Practice, Fraction]] = []
        for practice in dimension.practices:
            result, value = _practice_result(
                practice,
                dimension,
                respondents,
                assessment.overrides.get(practice.id),
                findings_by_practice.get(practice.id, ()),
                assessment.evidence_policy,
            )
            practice_results.append(result)
            if value is not None:
                applicable.append((practice, value))
        target = assessment.target_for(dimension.id)
        numbers = score_dimension(applicable)
        if numbers is None:
            dimension_results.append(
                DimensionResult(
                    id=dimension.id,
                    title=dimension.title,
                    weight=dimension.weight,
                    applicable=False,
                    level=None,
                    level_name=None,
                    completion=None,
                    score=None,
                    coverage=None,
                    target=target,
                    gap=0,
                    practices=tuple(practice_results),
                )
            )
            continue
        scores[dimension.id] = numbers
        dimension_results.append(
            DimensionResult(
                id=dimension.id,
                title=dimension.title,
                weight=dimension.weight,
                applicable=True,
                level=numbers.level,
                level_name=questionnaire.level_label(numbers.level),
                completion=float(numbers.completion),
                score=float(numbers.score),
                coverage=float(numbers.coverage),
                target=target,
                gap=max(0, target - numbers.level),
                practices=tuple(practice_results),
            )
        )

    overall = _overall(questionnaire, assessment, scores)
    unanswered = sum(1 for d in dimension_results for p in d.practices if p.is_unanswered)
    flags_summary: dict[str, int] = {}
    for dimension_result in dimension_results:
        for practice_result in dimension_result.practices:
            for flag in practice_result.flags:
                flags_summary[flag] = flags_summary.get(flag, 0) + 1

    return Result(
        tool=ToolInfo.this(),
        questionnaire=QuestionnaireInfo(
            id=questionnaire.id, version=questionnaire.version, title=questionnaire.title
        ),
        assessment=AssessmentInfo(
            organisation=assessment.organisation,
            scope=assessment.scope,
            assessors=assessment.assessors,
            period=assessment.period,
            assurance=assessment.assurance,
            classification=assessment.classification,
            evidence_min_sample=assessment.evidence_min_sample,
            evidence_max_age_days=assessment.evidence_max_age_days,
        ),
        evaluated_at=evaluated_at,
        evidence_policy=assessment.evidence_policy,
        overall=overall,
        complete=unanswered == 0,
        unanswered=unanswered,
        dimensions=tuple(dimension_results),
        roadmap=plan_roadmap(questionnaire, dimension_results),
        respondents=tuple(
            RespondentInfo(
                name=r.sheet.respondent.name,
                role=r.sheet.respondent.role,
                interviewed_at=r.sheet.interviewed_at,
                file=r.file,
                answered=len(r.sheet.answers),
            )
            for r in respondents
        ),
        flags_summary=dict(sorted(flags_summary.items())),
        evidence=evidence if evidence is not None else EvidenceSummary(),
    )


def _overall(
    questionnaire: Questionnaire, assessment: Assessment, scores: Mapping[str, DimensionScore]
) -> Overall:
    applicable = [d for d in questionnaire.dimensions if d.id in scores]
    if not applicable:
        return Overall(
            score=None, level=None, level_name=None, target_score=None, weakest_dimension=None
        )
    overall_score = _weighted_mean((exact(d.weight), scores[d.id].score) for d in applicable)
    target_score = _weighted_mean(
        (exact(d.weight), Fraction(assessment.target_for(d.id))) for d in applicable
    )
    weakest = min(applicable, key=lambda d: scores[d.id].score)
    level = overall_level(overall_score)
    return Overall(
        score=float(overall_score),
        level=level,
        level_name=questionnaire.level_label(level),
        target_score=float(target_score),
        weakest_dimension=weakest.id,
    )
