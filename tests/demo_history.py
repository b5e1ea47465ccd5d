"""How the demo's earlier results (examples/demo/baseline/) were produced.

The example company assessed itself in May 2026 and again in August, before the assessors
validated the answers in November: no overrides then, and the answers below differ from
November's. Each earlier quarter is the demo workspace with that quarter's answers, evidence
references, notes, period and interview dates put back, scored with the tool at that quarter's
evaluation date. August is November minus its changes; May is August minus its own.
Regenerate with: UPDATE_GOLDEN=1 python -m pytest tests/test_demo.py
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from assess.engine.score import evaluate
from assess.inputs.workspace import load_workspace
from assess.model.result import Result


@dataclass(frozen=True)
class Quarter:
    """What differed in an earlier quarter from the quarter after it."""

    evaluated_at: date
    period: tuple[date, date]
    interviewed: dict[str, date]
    answers: dict[str, dict[str, str]]
    """Respondent file → practice → the answer given that quarter."""
    evidence: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    """Respondent file → practice → the evidence cited that quarter (replaces later ones)."""
    notes: dict[str, dict[str, str]] = field(default_factory=dict)
    """Respondent file → practice → the note given that quarter ("" for none)."""


AUGUST = Quarter(
    evaluated_at=date(2026, 8, 28),
    period=(date(2026, 8, 10), date(2026, 8, 21)),
    interviewed={
        "marta-kowalski.yaml": date(2026, 8, 11),
        "dev-okafor.yaml": date(2026, 8, 12),
        "sofia-lindqvist.yaml": date(2026, 8, 18),
    },
    answers={
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
    },
    # The CA list was approved by the CISO in September: August could not cite the minute.
    evidence={"sofia-lindqvist.yaml": {"GOV-03": ["PKI-STD-02 v1.0"]}},
    notes={
        "marta-kowalski.yaml": {
            "GOV-03": "The approved CA list is in the PKI-STD-02 draft, awaiting the CISO."
        },
        "sofia-lindqvist.yaml": {
            "IMP-02": "This is the second assessment; the first, in May, set the targets with "
            "the CISO."
        },
    },
)

MAY = Quarter(
    evaluated_at=date(2026, 5, 29),
    period=(date(2026, 5, 11), date(2026, 5, 22)),
    interviewed={
        "marta-kowalski.yaml": date(2026, 5, 12),
        "dev-okafor.yaml": date(2026, 5, 13),
        "sofia-lindqvist.yaml": date(2026, 5, 20),
    },
    # The first self-assessment, before the July internal audit (IA-2026-07) and the quarterly
    # CT searches; expiry alerting still ran on the monitoring tool whose licence lapsed in July.
    answers={
        "marta-kowalski.yaml": {
            "INV-02": "partially",
            "GOV-02": "partially",
            "AUT-02": "partially",
            "MON-03": "largely",
            "POL-02": "partially",
            "IMP-01": "partially",
        },
        "sofia-lindqvist.yaml": {
            "MON-03": "largely",
            "IMP-01": "partially",
        },
    },
    evidence={
        "marta-kowalski.yaml": {"INV-02": [], "GOV-07": ["CP-CPS-Internal v1.4"]},
        "sofia-lindqvist.yaml": {"INV-01": [], "DEV-02": [], "IMP-06": []},
    },
    notes={
        "marta-kowalski.yaml": {
            "INV-02": "We looked at CT logs once, for the main domain, last year.",
        },
        "sofia-lindqvist.yaml": {
            "INV-01": "The register exists; internal audit will sample it in July.",
            "DEV-02": "",
            "IMP-02": "This is the first assessment: it sets the targets with the CISO.",
            "IMP-06": "",
        },
    },
)

QUARTERS = (AUGUST, MAY)
"""The earlier quarters, latest first: each is applied on top of the one after it."""


def _apply(scratch: Path, quarter: Quarter) -> None:
    yaml = YAML()
    assessment_path = scratch / "assessment.yaml"
    assessment: Any = yaml.load(assessment_path)
    start, end = quarter.period
    assessment["period"] = {"start": start, "end": end}
    assessment["overrides"] = {}
    assessment["assurance"] = "self-assessment"
    yaml.dump(assessment, assessment_path)
    for name, interviewed in quarter.interviewed.items():
        path = scratch / "answers" / name
        sheet: Any = yaml.load(path)
        sheet["interviewed_at"] = interviewed
        for practice, answer in quarter.answers.get(name, {}).items():
            sheet["answers"][practice]["answer"] = answer
        for practice, refs in quarter.evidence.get(name, {}).items():
            if refs:
                sheet["answers"][practice]["evidence"] = refs
            else:
                sheet["answers"][practice].pop("evidence", None)
        for practice, note in quarter.notes.get(name, {}).items():
            if note:
                sheet["answers"][practice]["note"] = note
            else:
                sheet["answers"][practice].pop("note", None)
        yaml.dump(sheet, path)


def as_of(demo: Path, scratch: Path, quarter: Quarter) -> Result:
    """The demo workspace as it stood in ``quarter``, scored at its evaluation date."""
    shutil.copytree(demo, scratch, dirs_exist_ok=True)
    # The register export and the file scan were made in November: earlier quarters had no
    # scan evidence.
    for bundle in (scratch / "evidence").glob("*.json"):
        bundle.unlink()
    for earlier in QUARTERS:
        _apply(scratch, earlier)
        if earlier is quarter:
            return evaluate(load_workspace(scratch), quarter.evaluated_at)
    raise ValueError(f"not a quarter of the demo's history: {quarter.evaluated_at}")
