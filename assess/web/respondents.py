"""The respondents of a workspace as the web app names them: an id made of their answers file's
name, their name and role, and their answers as read."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from assess.inputs.layout import slug
from assess.inputs.workspace import Workspace
from assess.model.workspace import AnswersFile, Respondent


@dataclass(frozen=True)
class Person:
    """One respondent with an answers file."""

    id: str
    """The slug of their answers file's name (``answers/jane-doe.yaml`` → ``jane-doe``)."""
    file: str
    """Their answers file, relative to the workspace."""
    sheet: AnswersFile
    """Their answers as read."""

    @property
    def respondent(self) -> Respondent:
        """Name and role."""
        return self.sheet.respondent

    def document(self) -> dict[str, str]:
        """As ``GET /api/respondents`` lists them."""
        return {"id": self.id, "name": self.respondent.name, "role": self.respondent.role}


def people(workspace: Workspace) -> list[Person]:
    """Every respondent, in the order of their files; an id two files would share gets ``-2``…"""
    found: list[Person] = []
    taken: set[str] = set()
    for file, sheet in sorted(workspace.answers.items()):
        base = slug(PurePosixPath(file).stem)
        ident, number = base, 2
        while ident in taken:
            ident, number = f"{base}-{number}", number + 1
        taken.add(ident)
        found.append(Person(ident, file, sheet))
    return found


def person(workspace: Workspace, ident: str) -> Person | None:
    """The respondent with id ``ident``, or ``None``."""
    return next((p for p in people(workspace) if p.id == ident), None)
