"""Schedule files: YAML → validated :class:`~assess.model.schedule.Schedule`, every problem
located by file, line and field (docs/forecast.md)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from assess.model.schedule import Schedule
from assess.support.limits import SCHEDULE
from assess.support.resources import data_dir
from assess.support.yamlio import load_model

SHIPPED = "cmmm.yaml"
"""The schedule file shipped in ``schedules/``."""


@dataclass(frozen=True)
class LoadedSchedule:
    """A validated schedule and the file it came from."""

    schedule: Schedule
    """The model."""
    path: Path
    """The file it was read from."""


def shipped_path() -> Path:
    """The schedule file shipped with the tool."""
    return data_dir("schedules") / SHIPPED


def load_schedule(path: Path | None = None) -> LoadedSchedule:
    """Read and validate a schedule file (the shipped one when ``path`` is ``None``); every
    problem is raised at once, naming the file, line and field."""
    source = path if path is not None else shipped_path()
    schedule, _ = load_model(Schedule, source, limit=SCHEDULE)
    return LoadedSchedule(schedule, source)
