"""How the demo's previous-quarter result (examples/demo/baseline/) was produced.

The example company was first assessed in August 2026, before the assessors validated the
answers: no overrides, and the answers below differ from November's. Scoring that state on
2026-08-28 gives the baseline JSON the demo's progress section compares with.
Regenerate with: UPDATE_GOLDEN=1 python -m pytest tests/test_demo.py
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from assess.engine import evaluate
from assess.model.result import Result
from assess.workspace import load_workspace

BASELINE_AT = date(2026, 8, 28)

PREVIOUS_ANSWERS: dict[str, dict[str, str]] = {
    # What each respondent said in August where it differs from November.
    "marta-kowalski.yaml": {
        "GOV-03": "partially",
        "AUT-01": "partially",
        "AUT-05": "partially",
        "INV-05": "partially",
        "KEY-02": "largely",
        "POL-04": "partially",
        "ROL-06": "largely",
        "IMP-02": "partially",
    },
    "dev-okafor.yaml": {
        "AUT-01": "partially",
        "DEV-04": "largely",
        "INV-05": "partially",
    },
    "sofia-lindqvist.yaml": {
        "GOV-03": "partially",
        "POL-03": "largely",
        "MON-04": "not",
        "IMP-02": "partially",
    },
}
INTERVIEWED = {
    "marta-kowalski.yaml": date(2026, 8, 11),
    "dev-okafor.yaml": date(2026, 8, 12),
    "sofia-lindqvist.yaml": date(2026, 8, 18),
}


def previous_quarter(demo: Path, scratch: Path) -> Result:
    """The demo workspace as it stood in August, scored at ``BASELINE_AT``."""
    shutil.copytree(demo, scratch, dirs_exist_ok=True)
    # The register export and the file scan were made in November: August had no evidence.
    for bundle in (scratch / "evidence").glob("*.json"):
        bundle.unlink()
    yaml = YAML()
    assessment_path = scratch / "assessment.yaml"
    assessment: Any = yaml.load(assessment_path)
    assessment["period"] = {"start": date(2026, 8, 10), "end": date(2026, 8, 21)}
    assessment["overrides"] = {}
    assessment["assurance"] = "self-assessment"
    yaml.dump(assessment, assessment_path)
    for name, changes in PREVIOUS_ANSWERS.items():
        path = scratch / "answers" / name
        sheet: Any = yaml.load(path)
        sheet["interviewed_at"] = INTERVIEWED[name]
        for practice, answer in changes.items():
            sheet["answers"][practice]["answer"] = answer
        yaml.dump(sheet, path)
    return evaluate(load_workspace(scratch), BASELINE_AT)
