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

from assess.support.errors import EnvironmentProblem, InputError, Problem
from assess.support.resources import data_dir

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


def _changed_files(out: Path) -> list[str]:
    """Files of an earlier copy that differ from the example, or that the example lacks
    (its reports and marker aside): what writing the demo again would lose."""
    bundled = source()
    changed = []
    for path in sorted(out.rglob("*")):
        name = path.relative_to(out)
        if not path.is_file() or name.parts[0] in (REPORTS, MARKER):
            continue
        original = bundled / name
        if not original.is_file() or original.read_bytes() != path.read_bytes():
            changed.append(name.as_posix())
    return changed


def copy_demo(out: Path) -> Path:
    """Copy the example workspace into ``out`` (created); returns ``out``.

    A folder that already holds files is refused unless an earlier ``assess demo`` wrote it
    and nothing in it changed since (its reports aside): then it is written again.
    """
    if out.exists() and not out.is_dir():
        raise InputError(Problem("exists and is not a folder", file=out))
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).exists():
        raise InputError(
            Problem("the folder is not empty and was not written by assess demo", file=out),
            hint="choose another --out, or remove the folder",
        )
    if out.is_dir() and (changed := _changed_files(out)):
        more = f" and {len(changed) - 1} more" if len(changed) > 1 else ""
        raise InputError(
            Problem(f"{changed[0]}{more} changed since assess demo wrote the folder", file=out),
            hint="keep your changes and write the demo elsewhere with --out, or remove the "
            "folder to start again",
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
