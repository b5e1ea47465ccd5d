"""Where things are in an assessment workspace: its file and folder names, and answers files."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

ASSESSMENT_FILE = "assessment.yaml"
"""The assessment file, at the top of the workspace."""
ANSWERS_DIR = "answers"
"""The folder of the respondents' answers files."""
EVIDENCE_DIR = "evidence"
"""The folder of the evidence bundles."""


def answers_files(root: Path) -> list[Path]:
    """The answers files of the workspace ``root``: ``answers/*.yaml`` and ``*.yml``, sorted."""
    folder = root / ANSWERS_DIR
    return sorted(p for p in folder.glob("*.y*ml") if p.suffix in (".yaml", ".yml"))


def slug(name: str) -> str:
    """A file-name-safe form of a person's name (``Jane Doe`` → ``jane-doe``)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return text or "respondent"


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
