"""Result documents read as a series for ``assess compare``, ``assess trend`` and a report's
``--baseline``: every file read strictly, then checked to belong together, then compared.

The check itself is :func:`assess.method.progress.mismatches` (pure); this module names the files.
A mismatch stops the command with exit 2 and one message per problem naming the file and the
field, unless the user forces it: then each becomes a warning the output shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from assess.inputs.resultfile import read_result
from assess.method.progress import compare, mismatches, trend
from assess.model.progress import CompareDocument, InputFile, Mismatch, MismatchKind, TrendDocument
from assess.model.result import Result, ToolInfo
from assess.support.errors import InputError, Problem

FORCE_HINT = "pass --force to go on anyway; the output then carries a warning"


@dataclass(frozen=True)
class Series:
    """Results in the order they are compared (oldest first), with their files."""

    paths: tuple[Path, ...]
    results: tuple[Result, ...]
    warnings: tuple[str, ...]
    """Mismatches accepted with ``--force``, worded with the file names."""

    @property
    def inputs(self) -> tuple[InputFile, ...]:
        """The files as the JSON documents list them."""
        return tuple(
            InputFile(
                file=str(path),
                evaluated_at=result.evaluated_at,
                questionnaire_version=result.questionnaire.version,
            )
            for path, result in zip(self.paths, self.results, strict=True)
        )


def _classification(results: Sequence[Result]) -> str:
    """The markings of ``results``: one when they agree, else each once, in order."""
    return " / ".join(dict.fromkeys(r.assessment.classification for r in results))


def compare_document(series: Series) -> CompareDocument:
    """The comparison of a series of two results (``assess compare``), baseline first."""
    baseline, current = series.results
    return CompareDocument(
        tool=ToolInfo.this(),
        inputs=series.inputs,
        classification=_classification(series.results),
        warnings=series.warnings,
        progress=compare(baseline, current),
    )


def trend_document(series: Series) -> TrendDocument:
    """The trend of a series of results (``assess trend``), oldest first."""
    return TrendDocument(
        tool=ToolInfo.this(),
        inputs=series.inputs,
        classification=_classification(series.results),
        warnings=series.warnings,
        trend=trend(series.results),
    )


def describe(mismatch: Mismatch, reference: str) -> str:
    """A mismatch in words; ``reference`` names the result it clashes with."""
    match mismatch.kind:
        case MismatchKind.ORGANISATION:
            return (
                f"is about '{mismatch.value}', {reference} about '{mismatch.expected}': results "
                "of different organisations cannot be compared"
            )
        case MismatchKind.QUESTIONNAIRE:
            return (
                f"was scored against questionnaire '{mismatch.value}', {reference} against "
                f"'{mismatch.expected}': they cannot be compared"
            )
        case MismatchKind.DUPLICATE:
            return (
                f"{mismatch.value} is also the evaluation date of {reference}: a duplicate "
                "(give each assessment once)"
            )
        case MismatchKind.OUT_OF_ORDER:
            return (
                f"{mismatch.value} is before {mismatch.expected}, the evaluation date of "
                f"{reference}: give the results oldest first"
            )


def _problems(paths: Sequence[Path], found: Sequence[Mismatch]) -> list[Problem]:
    return [
        Problem("the same file is given twice", file=paths[m.index])
        if m.kind is MismatchKind.DUPLICATE and _same_file(paths[m.index], paths[m.reference])
        else Problem(describe(m, str(paths[m.reference])), file=paths[m.index], field=m.field)
        for m in found
    ]


def _same_file(one: Path, other: Path) -> bool:
    try:
        return one.samefile(other)
    except OSError:
        return False


def read_series(paths: Sequence[Path], *, force: bool = False, reorder: bool = False) -> Series:
    """Read result documents and check they belong together.

    A malformed file is always an InputError. Mismatches are an InputError naming every file
    and field at fault, unless ``force``: then they become warnings and, with ``reorder``, the
    results are sorted by evaluation date (equal dates keep the order given).
    """
    results = [read_result(path) for path in paths]
    found = mismatches(results)
    if not found:
        return Series(tuple(paths), tuple(results), ())
    problems = _problems(paths, found)
    if not force:
        raise InputError(problems, hint=FORCE_HINT)
    warnings = [str(p) for p in problems]
    ordered = list(zip(paths, results, strict=True))
    if reorder and any(m.kind is MismatchKind.OUT_OF_ORDER for m in found):
        ordered.sort(key=lambda pair: pair[1].evaluated_at)
        warnings.append("the results were put in order of their evaluation dates")
    return Series(tuple(p for p, _ in ordered), tuple(r for _, r in ordered), tuple(warnings))


def check_baseline(path: Path, baseline: Result, current: Result) -> None:
    """A report's ``--baseline`` must be an earlier result of the same organisation and
    questionnaire; an InputError naming the baseline file and field otherwise."""
    problems = []
    for m in mismatches([baseline, current]):
        # m describes the current result against the baseline; tell it from the baseline's side.
        match m.kind:
            case MismatchKind.ORGANISATION | MismatchKind.QUESTIONNAIRE:
                text = describe(
                    m.model_copy(update={"value": m.expected, "expected": m.value}),
                    "this assessment",
                )
            case MismatchKind.DUPLICATE:
                text = (
                    f"{m.expected} is also this assessment's evaluation date: a baseline "
                    "must be an earlier assessment"
                )
            case MismatchKind.OUT_OF_ORDER:
                text = (
                    f"{m.expected} is after {m.value}, this assessment's evaluation date: "
                    "a baseline must be an earlier assessment"
                )
        problems.append(Problem(text, file=path, field=m.field))
    if problems:
        raise InputError(problems)
