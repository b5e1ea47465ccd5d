"""The workspace as the web app sees it: a cheap fingerprint of its files, and the scored
result kept for each fingerprint so that many browsers asking at once score it once."""

from __future__ import annotations

import functools
import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path

import jinja2

from assess.engine.score import ReadEvidence, evaluate, read_evidence, suggested_answers
from assess.inputs.layout import ASSESSMENT_FILE, answers_files, evidence_files
from assess.inputs.workspace import ReadCache, Workspace, file_signature, load_workspace
from assess.model.levels import Answer
from assess.model.result import Result
from assess.render.html import builtin_templates, environment
from assess.render.view import ReportView, build_report


def _digest(paths: list[Path]) -> str:
    lines = [f"{path.name}:{file_signature(path)}" for path in paths]
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16]


@dataclass
class Snapshot:
    """The workspace read at one fingerprint and scored at one date."""

    fingerprint: str
    """Of the files it was read from (:meth:`LiveWorkspace.fingerprint`)."""
    workspace: Workspace
    """The workspace as read."""
    evidence: ReadEvidence
    """What its bundles say at the date."""
    result: Result
    """The result, as ``assess score --json`` writes it."""
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    rendered: dict[str, str] = field(default_factory=dict, repr=False)
    """Fragments rendered from this snapshot, by name: twenty browsers fetching the dashboard
    after a change render it once."""

    @cached_property
    def suggestions(self) -> dict[str, Answer]:
        """Answers scan evidence proposes, by practice id."""
        return suggested_answers(self.workspace, self.result.evaluated_at, evidence=self.evidence)

    @cached_property
    def view(self) -> ReportView:
        """The report's view of the result (for its charts)."""
        return build_report(self.result, self.workspace.questionnaire)

    @cached_property
    def charts(self) -> tuple[str, str]:
        """The report's radar and gap charts, as SVG (the radar empty with fewer than three
        dimensions)."""
        with self._lock:
            env = _chart_environment()
            radar = (
                env.get_template("charts/radar.svg.j2").render(report=self.view)
                if self.view.summary.radar is not None
                else ""
            )
            gaps = env.get_template("charts/gap_bars.svg.j2").render(report=self.view)
        return radar, gaps


@functools.cache
def _chart_environment() -> jinja2.Environment:
    """One Jinja environment for the bundled chart templates, compiled once."""
    return environment((builtin_templates().resolve(),))


class LiveWorkspace:
    """One workspace served: fingerprinted on every poll, read and scored once per change."""

    def __init__(self, root: Path, clock: Callable[[], date]) -> None:
        self.root = root
        self.clock = clock
        self.cache = ReadCache()
        """What was read from each file; writers of the app tell it what they wrote."""
        self._lock = threading.Lock()
        self._snapshots: dict[tuple[str, date], Snapshot] = {}
        self._evidence: dict[tuple[str, date], ReadEvidence] = {}
        self._watched: tuple[Path, ...] = ()

    def fingerprint(self) -> str:
        """Changes whenever a file the result depends on changes: assessment.yaml, the
        questionnaire, the answers files and the evidence bundles (names, sizes, times)."""
        return _digest(
            [
                self.root / ASSESSMENT_FILE,
                *self._watched,
                *answers_files(self.root),
                *evidence_files(self.root),
            ]
        )

    def snapshot(self, at: date | None = None) -> Snapshot:
        """The workspace read and scored at ``at`` (today by default); an InputError when a
        file is broken, naming it, as the CLI would."""
        when = at if at is not None else self.clock()
        fingerprint = self.fingerprint()
        found = self._snapshots.get((fingerprint, when))
        if found is not None:
            return found
        with self._lock:  # twenty browsers asking at once score it once
            found = self._snapshots.get((fingerprint, when))
            if found is not None:
                return found
            workspace = load_workspace(self.root, cache=self.cache)
            self._watched = (workspace.questionnaire_path,)
            evidence_key = (
                _digest([self.root / ASSESSMENT_FILE, *workspace.evidence_files]),
                when,
            )
            evidence = self._evidence.get(evidence_key)
            if evidence is None:
                evidence = read_evidence(workspace, when)
                self._evidence = {evidence_key: evidence}
            result = evaluate(workspace, when, evidence=evidence)
            snapshot = Snapshot(fingerprint, workspace, evidence, result)
            if len(self._snapshots) > 8:
                self._snapshots.clear()
            self._snapshots[(fingerprint, when)] = snapshot
            return snapshot
