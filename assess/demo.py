"""The bundled example assessment (``examples/demo``) and where ``assess demo`` puts it.

The example is a fictional insurer with three respondents, two assessor overrides, a practice
ruled not applicable, a divergence, notes and evidence references, targets that differ per
dimension and the previous quarter's result as a baseline. Evidence bundles dropped into
``examples/demo/evidence/`` are picked up like in any workspace.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from assess.errors import EnvironmentProblem, InputError, Problem
from assess.resources import data_dir

EVALUATED_AT = date(2026, 11, 27)
"""The demo's fixed evaluation date: a week after its interviews ended."""
BASELINE = Path("baseline") / "2026-08-28.result.json"
"""The previous quarter's result, relative to the demo workspace."""
HISTORY = (Path("baseline") / "2026-05-29.result.json", BASELINE)
"""The earlier quarters' results, oldest first (for ``assess trend``), relative to the demo."""
MARKER = ".cmmm-demo"
"""A file that marks a folder as written by ``assess demo`` (so it may be written again)."""
REPORTS = "reports"
"""The sub-folder the demo's reports go to."""


def source() -> Path:
    """The bundled example workspace."""
    return data_dir("examples") / "demo"


def copy_demo(out: Path) -> Path:
    """Copy the example workspace into ``out`` (created); returns ``out``.

    A folder that already holds files is refused unless an earlier ``assess demo`` wrote it,
    in which case its copy of the example is replaced.
    """
    if out.exists() and not out.is_dir():
        raise InputError(Problem("exists and is not a folder", file=out))
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).exists():
        raise InputError(
            Problem("the folder is not empty and was not written by assess demo", file=out),
            hint="choose another --out, or remove the folder",
        )
    try:
        for item in source().iterdir():
            target = out / item.name
            if target.is_dir():
                shutil.rmtree(target)
            if item.is_dir():
                shutil.copytree(item, target)
            else:
                out.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(item, target)
        (out / MARKER).write_text("written by assess demo\n", encoding="utf-8")
    except OSError as error:
        raise EnvironmentProblem(f"{out}: cannot copy the demo: {error.strerror}") from None
    return out
