"""Section 9, conclusion and sign-off: the degree to which the targets are met, and a signature
block for each assessor and for the organisation; a draft (unanswered practices) has none."""

from __future__ import annotations

from assess.method.interpretation import verdict
from assess.model.base import Frozen
from assess.model.result import Result
from assess.render.view.blocks import SectionRef
from assess.render.view.formatting import long_date, score_text
from assess.render.view.narrative import Block
from assess.support.words import plural

FIRST_ASSESSOR_ANCHOR = "assessor-signature"
"""The first assessor's sign-off box: where ``assess sign`` puts a visible signature."""


class Signatory(Frozen):
    """A sign-off block."""

    anchor: str
    caption: str
    name: str
    role: str

    @property
    def field(self) -> str:
        """The PDF signature field over the block's signature line (``AssessorSignature2``)."""
        return signature_field_name(self.anchor)

    @property
    def label(self) -> str:
        """The field's tooltip, which a screen reader reads out: ``Signature: Assessor, Ann
        Auditor (Example Audit)``. The name follows a comma, not in parentheses: a name often
        carries its firm in parentheses, and nested ones read badly aloud."""
        return f"Signature: {self.caption}" + (f", {self.name}" if self.name else "")


def signature_field_name(anchor: str) -> str:
    """The PDF signature field of a sign-off box: ``assessor-signature-2`` →
    ``AssessorSignature2``."""
    return "".join(part.capitalize() for part in anchor.split("-"))


class Conclusion(Frozen):
    """Conclusion and sign-off."""

    section: SectionRef
    statement: tuple[str, ...]
    signatories: tuple[Signatory, ...]
    """Empty for a draft: an incomplete assessment is not signed off (method.md)."""
    draft: str = ""
    """Why there is no sign-off; empty when the assessment is complete."""
    narrative: tuple[Block, ...] = ()
    """The assessor's conclusion (``narrative/conclusion.md``), before the statement."""


def _signatories(assessors: tuple[str, ...], organisation: str) -> tuple[Signatory, ...]:
    people = [
        Signatory(
            anchor=FIRST_ASSESSOR_ANCHOR if i == 0 else f"{FIRST_ASSESSOR_ANCHOR}-{i + 1}",
            caption="Assessor",
            name=name,
            role="",
        )
        for i, name in enumerate(assessors)
    ] or [Signatory(anchor=FIRST_ASSESSOR_ANCHOR, caption="Assessor", name="", role="")]
    people.append(
        Signatory(
            anchor="client-signature", caption=f"Accepted for {organisation}", name="", role=""
        )
    )
    return tuple(people)


def conclusion(
    result: Result, overview: SectionRef, roadmap: SectionRef, ref: SectionRef
) -> Conclusion:
    """The conclusion; ``overview`` and ``roadmap`` are the sections it refers to."""
    o, a = result.overall, result.assessment
    reading = verdict(result)
    q = result.questionnaire
    statement = [
        f"Against the assessment criteria — {q.title or q.id} version {q.version}, with the "
        f"targets listed in section {overview.number} — {reading.dimensions_at_target} of "
        f"{reading.dimensions_applicable} applicable dimensions of {a.organisation} reach their "
        "target level.",
    ]
    if o.score is not None and o.level is not None:
        statement.append(
            f"The overall maturity is level {o.level} ({o.level_name}), with a score of "
            f"{o.score:.2f} against a weighted target of {score_text(o.target_score)}."
        )
    phases = max((s.phase for s in result.roadmap), default=0)
    if result.roadmap:
        statement.append(
            f"The roadmap in section {roadmap.number} sets out "
            f"{plural(len(result.roadmap), 'step')} in {plural(phases, 'phase')} "
            "to close the gaps."
        )
    statement.append(
        f"The findings reflect the state on {long_date(result.evaluated_at)}, as far as the "
        "interviews and the evidence examined could show it: an assessment samples, and "
        "exceptions outside the sample may exist."
    )
    if result.is_draft:
        return Conclusion(
            section=ref,
            statement=tuple(statement),
            signatories=(),
            draft=(
                f"This report is a draft: {result.unanswered} of "
                f"{result.applicable_practices} applicable practices are unanswered. It has no "
                "sign-off boxes; once every practice is answered, the report made again carries "
                "them."
            ),
        )
    return Conclusion(
        section=ref,
        statement=tuple(statement),
        signatories=_signatories(a.assessors, a.organisation),
    )
