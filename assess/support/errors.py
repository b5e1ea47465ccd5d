"""The one error hierarchy of cmmm-assess.

Library code raises these; only the CLI turns them into a message and an exit code
(see docs/cli.md and the exit-code table in the contracts). Bugs stay ordinary exceptions.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, with where it is."""

    message: str
    """What is wrong, in plain words."""
    file: Path | None = None
    """The file the problem is in, when there is one."""
    line: int | None = None
    """1-based line number in `file`, when known."""
    field: str | None = None
    """Dotted path of the field (``dimensions[2].practices[0].level``), when known."""

    def __str__(self) -> str:
        where = ""
        if self.file is not None:
            where = str(self.file)
            if self.line is not None:
                where += f":{self.line}"
        if self.field:
            where = f"{where}: {self.field}" if where else self.field
        return f"{where}: {self.message}" if where else self.message


class AssessError(Exception):
    """Base of every error the tool reports to its user."""

    hint: str | None = None

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if hint is not None:
            self.hint = hint

    def diagnostics(self) -> str:
        """What happened and, when known, what to do about it."""
        text = self.message
        if self.hint:
            text += f"\nHint: {self.hint}"
        return text


class InputError(AssessError):
    """Bad usage or bad input: a missing or malformed file, an unknown id, a schema error."""

    def __init__(self, problems: list[Problem] | Problem | str, *, hint: str | None = None) -> None:
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: tuple[Problem, ...] = tuple(problems)
        if len(self.problems) == 1:
            message = str(self.problems[0])
        else:
            lines = [f"{len(self.problems)} problems:"]
            lines += [f"  {p}" for p in self.problems]
            message = "\n".join(lines)
        super().__init__(message, hint=hint)

    def about(self, file: Path) -> InputError:
        """The same problems, those that name no file said to be in ``file``."""
        return InputError(
            [
                p if p.file is not None else Problem(p.message, file, p.line, p.field)
                for p in self.problems
            ],
            hint=self.hint,
        )


class EnvironmentProblem(AssessError):
    """The machine cannot do what was asked: a missing system library, an unwritable output."""


class CheckFailed(AssessError):
    """The command ran and its check failed (a score under the bar, an invalid signature)."""
