"""Where things are in an assessment workspace: its file and folder names, answers files and
evidence bundles, and which of them the workspace may read."""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

from assess.support.errors import Problem

ASSESSMENT_FILE = "assessment.yaml"
"""The assessment file, at the top of the workspace."""
ANSWERS_DIR = "answers"
"""The folder of the respondents' answers files."""
EVIDENCE_DIR = "evidence"
"""The folder of the evidence bundles."""
NARRATIVE_DIR = "narrative"
"""The folder of the assessor's narrative: ``summary.md``, ``<dimension-id>.md``,
``conclusion.md``."""
NARRATIVE_SUMMARY = "summary"
NARRATIVE_CONCLUSION = "conclusion"
"""The narrative files that are not about one dimension (their stems)."""


def answers_files(root: Path) -> list[Path]:
    """The answers files of the workspace ``root``: ``answers/*.yaml`` and ``*.yml``, sorted."""
    folder = root / ANSWERS_DIR
    return sorted(p for p in folder.glob("*.y*ml") if p.suffix in (".yaml", ".yml"))


def evidence_files(root: Path) -> list[Path]:
    """The evidence bundles of the workspace ``root``: ``evidence/*.json``, sorted."""
    return sorted((root / EVIDENCE_DIR).glob("*.json"))


def narrative_files(root: Path) -> list[Path]:
    """The narrative files of the workspace ``root``: ``narrative/*.md``, sorted."""
    return sorted(p for p in (root / NARRATIVE_DIR).glob("*.md") if p.suffix == ".md")


def input_file_problem(root: Path, path: Path) -> Problem | None:
    """Why the workspace does not read ``path``, one of its answers files or bundles, or None.

    A name that is not UTF-8 could not be written into the result and the manifest, which
    name every input; a symbolic link to a file outside the workspace would make the report
    vouch for a file the workspace does not hold (inside it, a link is followed).
    """
    try:
        os.fsencode(path.name).decode("utf-8")
    except UnicodeDecodeError:
        return Problem(
            "the file name is not UTF-8 text: rename the file (the report names every input "
            "file, in UTF-8)",
            file=path,
        )
    if path.is_symlink():
        target = Path(os.path.realpath(path))
        inside = Path(os.path.realpath(root))
        if target != inside and inside not in target.parents:
            return Problem(
                f"is a link to {target}, outside the workspace: inputs are read from inside "
                "it only (copy the file into the workspace)",
                file=path,
            )
    return None


SLUG_LENGTH = 64
"""The longest :func:`slug`: a file name stays far below the 255 bytes file systems allow."""


def slug(name: str) -> str:
    """A file-name-safe form of a person's name (``Jane Doe`` → ``jane-doe``), at most
    :data:`SLUG_LENGTH` characters."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return text[:SLUG_LENGTH].rstrip("-") or "respondent"


def new_answers_path(root: Path, name: str) -> Path:
    """The path a new answers file for ``name`` gets: ``answers/<slug>.yaml``, or ``-2``, ``-3``…
    after the slug when another respondent's file already has that name."""
    folder = root / ANSWERS_DIR
    path = folder / f"{slug(name)}.yaml"
    number = 2
    while path.exists():
        path = folder / f"{slug(name)}-{number}.yaml"
        number += 1
    return path
