"""Section 8, assessor judgements and diverging opinions (ISO 19011 §6.5.1 j): overrides with
their justification, N/A reasons, diverging answers, claims held back by the evidence gate,
unknown and unanswered practices."""

from __future__ import annotations

from collections.abc import Callable

from assess.model.base import Frozen
from assess.model.levels import Answer
from assess.model.result import Flag, PracticeResult, Result
from assess.render.view.blocks import SectionRef
from assess.render.view.labels import ANSWER_LABELS


class Judgement(Frozen):
    """An override, an N/A, a divergence or an open answer, worded for the judgements section."""

    practice: str
    title: str
    detail: str
    answers: str
    evidence: tuple[str, ...]


class Judgements(Frozen):
    """Assessor judgements and diverging opinions (ISO 19011 §6.5.1 j)."""

    section: SectionRef
    overrides: tuple[Judgement, ...]
    not_applicable: tuple[Judgement, ...]
    divergent: tuple[Judgement, ...]
    unevidenced: tuple[Judgement, ...]
    open_answers: tuple[Judgement, ...]


def _answers_text(p: PracticeResult) -> str:
    if not p.respondents:
        return "no respondent answered"
    return "; ".join(f"{r.respondent}: {ANSWER_LABELS[r.answer]}" for r in p.respondents)


def _judgement(
    p: PracticeResult, detail: str, answers: str, evidence: tuple[str, ...] = ()
) -> Judgement:
    return Judgement(
        practice=p.id, title=p.title, detail=detail, answers=answers, evidence=evidence
    )


def _override(p: PracticeResult) -> Judgement | None:
    if p.override is None:
        return None
    return _judgement(
        p,
        p.override.justification,
        f"Respondents: {ANSWER_LABELS[p.consolidated_answer]} → assessor: "
        f"{ANSWER_LABELS[p.override.answer]}",
        p.override.evidence,
    )


def _not_applicable(p: PracticeResult) -> Judgement | None:
    if p.answer is not Answer.NA and not any(r.answer is Answer.NA for r in p.respondents):
        return None
    reasons = [f"{r.respondent}: {r.reason}" for r in p.respondents if r.answer is Answer.NA]
    if p.override is not None and p.override.answer is Answer.NA:
        reasons.append(f"Assessor: {p.override.justification}")
    return _judgement(p, " · ".join(reasons), f"Counted as: {ANSWER_LABELS[p.answer]}")


def _divergent(p: PracticeResult) -> Judgement | None:
    if Flag.DIVERGENT not in p.flags:
        return None
    return _judgement(p, _answers_text(p), f"Counted as: {ANSWER_LABELS[p.answer]}")


def _unevidenced(p: PracticeResult) -> Judgement | None:
    if Flag.UNEVIDENCED not in p.flags:
        return None
    return _judgement(p, p.flag_reasons.get(Flag.UNEVIDENCED, ""), _answers_text(p))


def _open_answer(p: PracticeResult) -> Judgement | None:
    if p.answer not in (Answer.UNKNOWN, Answer.UNANSWERED):
        return None
    suggestion = (
        f"; scan evidence suggests {ANSWER_LABELS[p.suggested_answer]}"
        if p.suggested_answer is not None
        else ""
    )
    return _judgement(p, f"{ANSWER_LABELS[p.answer]}{suggestion}", _answers_text(p))


def judgements(result: Result, ref: SectionRef) -> Judgements:
    """Every practice the assessor or the respondents judged, by kind, in questionnaire order."""
    practices = [p for d in result.dimensions for p in d.practices]

    def listed(kind: Callable[[PracticeResult], Judgement | None]) -> tuple[Judgement, ...]:
        return tuple(j for p in practices if (j := kind(p)) is not None)

    return Judgements(
        section=ref,
        overrides=listed(_override),
        not_applicable=listed(_not_applicable),
        divergent=listed(_divergent),
        unevidenced=listed(_unevidenced),
        open_answers=listed(_open_answer),
    )
