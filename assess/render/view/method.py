"""Section 3, scope, criteria and method: who was assessed against what, by whom, how answers
count (the scale, the formulas, the flags) and the maturity levels; also the participants."""

from __future__ import annotations

from assess.model.base import Frozen
from assess.model.levels import Answer
from assess.model.questionnaire import Questionnaire
from assess.model.result import Result
from assess.model.workspace import Assurance, EvidencePolicy
from assess.render.view.blocks import LegendItem, SectionRef, TableRow
from assess.render.view.formatting import initials, long_date, name_list
from assess.render.view.labels import ANSWER_LABELS, ANSWER_SYMBOLS, FLAG_TEXT
from assess.support.words import plural


class Respondent(Frozen):
    """A participant of the assessment."""

    initials: str
    name: str
    described: str
    """``Name, role`` (the name alone when no role is recorded)."""
    role: str
    interviewed_at: str
    answered: str


class Method(Frozen):
    """Scope, criteria and method."""

    section: SectionRef
    facts: tuple[LegendItem, ...]
    """Organisation, scope, objective, criteria, period, assessors, assurance and evidence
    policy, each with its label."""
    questionnaire_description: str
    respondents: tuple[Respondent, ...]
    scale: tuple[TableRow, ...]
    formulas: tuple[LegendItem, ...]
    flags: tuple[LegendItem, ...]
    levels: tuple[LegendItem, ...]


OBJECTIVE = (
    "Establish the maturity of certificate and machine-identity management against the "
    "criteria, identify the gaps to the agreed targets, and set out a phased roadmap to close "
    "them."
)
"""The assessment's objective, the same for every assessment."""

ASSURANCE_TEXT: dict[Assurance, tuple[str, str]] = {
    Assurance.SELF_ASSESSMENT: (
        "Self-assessment",
        "Answers given by the organisation's own staff; not independently verified.",
    ),
    Assurance.ASSESSOR_VALIDATED: (
        "Assessor-validated",
        "Answers reviewed by the assessors against the evidence cited.",
    ),
}
"""Assurance → (name, what it means)."""

POLICY_TEXT: dict[EvidencePolicy, str] = {
    EvidencePolicy.STRICT: "Strict: level 4 and 5 claims count only with documented or scan "
    "evidence",
    EvidencePolicy.LENIENT: "Lenient: the evidence gate is off; level 4 and 5 claims count "
    "without evidence",
}
"""The evidence policy in words."""

SCALE_MEANINGS: dict[Answer, str] = {
    Answer.FULLY: "Implemented everywhere, as a routine",
    Answer.LARGELY: "Implemented nearly everywhere: the gate",
    Answer.PARTIALLY: "Implemented in places",
    Answer.NOT: "Not implemented",
    Answer.UNKNOWN: "The respondent does not know",
    Answer.NA: "Not applicable, with a written reason; left out",
}
"""The answers of the scale table, in the order printed, with what each means."""

FORMULAS: tuple[LegendItem, ...] = (
    LegendItem(
        term="Consolidation",
        meaning="Several respondents: N/A and unknown set aside, then the lower median "
        "of the scale answers; an assessor override replaces it.",
    ),
    LegendItem(
        term="Level  L_d",
        meaning="the largest k in 1…5 such that every applicable practice with "
        "ℓ(p) ≤ k has v_p ≥ 2/3 (largely). Level 1 always holds.",
    ),
    LegendItem(
        term="Completion  c_d",
        meaning="Σ w_p·v_p / Σ w_p over applicable practices with ℓ(p) = L_d + 1 (0 at level 5).",
    ),
    LegendItem(term="Score  S_d", meaning="L_d + c_d, from 1.00 to 5.00."),
    LegendItem(
        term="Coverage",
        meaning="Σ w_p·v_p / Σ w_p over all applicable practices of the dimension, ungated.",
    ),
    LegendItem(
        term="Overall  O",
        meaning="Σ W_d·S_d / Σ W_d over applicable dimensions; overall level = ⌊O⌋.",
    ),
    LegendItem(term="Gap", meaning="max(0, T_d − L_d), T_d the dimension's target."),
)
"""The method's formulas as the report prints them (method.md)."""


def period(result: Result) -> str:
    """The assessment period: one day, or ``start – end``."""
    span = result.assessment.period
    if span.end is None or span.end == span.start:
        return long_date(span.start)
    return f"{long_date(span.start)} – {long_date(span.end)}"


def respondents(result: Result) -> tuple[Respondent, ...]:
    """The participants with their initials; a repeated set of initials is numbered (``AB2``)."""
    seen: dict[str, int] = {}
    people = []
    for r in result.respondents:
        short = initials(r.name)
        seen[short] = seen.get(short, 0) + 1
        if seen[short] > 1:
            short = f"{short}{seen[short]}"
        people.append(
            Respondent(
                initials=short,
                name=r.name,
                described=f"{r.name}, {r.role}" if r.role else r.name,
                role=r.role or "—",
                interviewed_at=long_date(r.interviewed_at) if r.interviewed_at else "—",
                answered=str(r.answered),
            )
        )
    return tuple(people)


def _scale_row(answer: Answer, meaning: str) -> TableRow:
    value = answer.value_fraction
    return TableRow(
        cells=(
            f"{ANSWER_SYMBOLS[answer]} {ANSWER_LABELS[answer]}",
            "—" if value is None else str(value),
            meaning,
        )
    )


def method(result: Result, questionnaire: Questionnaire, ref: SectionRef) -> Method:
    """The scope, criteria and method section."""
    a = result.assessment
    assurance, note = ASSURANCE_TEXT[a.assurance]
    q = result.questionnaire
    practices = sum(len(d.practices) for d in result.dimensions)
    criteria = (
        f"{q.title or q.id}, version {q.version}: "
        f"{plural(len(result.dimensions), 'dimension')} and {practices} practices at "
        "levels 2 (Basic) to 5 (Optimized). Level 1 (Ad-hoc) needs no practice."
    )
    evidence_rules = (
        f"A scan rule fires only on a sample of at least {a.evidence_min_sample} (unless the "
        f"rule sets its own minimum) and on evidence collected at most "
        f"{a.evidence_max_age_days} days before the evaluation date; older evidence is "
        "flagged stale and ignored."
    )
    facts = (
        ("Organisation", a.organisation),
        ("Scope", a.scope or "Not stated"),
        ("Objective", OBJECTIVE),
        ("Criteria", criteria),
        ("Period", f"{period(result)}; evaluated on {long_date(result.evaluated_at)}"),
        ("Assessors", name_list(a.assessors)),
        ("Assurance", f"{assurance}. {note}"),
        ("Evidence policy", f"{POLICY_TEXT[result.evidence_policy]}. {evidence_rules}"),
    )
    return Method(
        section=ref,
        facts=tuple(LegendItem(term=term, meaning=meaning) for term, meaning in facts),
        questionnaire_description=questionnaire.description,
        respondents=respondents(result),
        scale=tuple(_scale_row(answer, meaning) for answer, meaning in SCALE_MEANINGS.items()),
        formulas=FORMULAS,
        flags=tuple(LegendItem(term=label, meaning=text) for label, text in FLAG_TEXT.values()),
        levels=tuple(
            LegendItem(term=f"{level.level} {level.name}", meaning=level.description)
            for level in questionnaire.levels
        ),
    )
