"""The executive summary's sentence on which dimensions changed level since the baseline and
the main reason for each (scan evidence, the answers, overrides).

The reason is decided in :mod:`assess.method.progress` (``level_reason`` of each dimension's
progress); this module words it.
"""

from __future__ import annotations

from assess.model.base import Frozen
from assess.model.progress import DimensionProgress, LevelReason, Progress
from assess.render.view.formatting import long_date

REASON_WORDS: dict[LevelReason, str] = {
    LevelReason.EVIDENCE: "scan evidence",
    LevelReason.OVERRIDES: "assessor overrides",
    LevelReason.ANSWERS: "the respondents' answers",
}
"""The main reason for a level change, as the summary says it."""


class LevelChanges(Frozen):
    """Dimensions whose level changed since the baseline, each with its main reason."""

    intro: str
    items: tuple[str, ...]


def _item(d: DimensionProgress) -> str:
    assert d.delta_level is not None
    way = "rose" if d.delta_level > 0 else "fell"
    text = f"{d.title} {way} from level {d.baseline_level} to {d.current_level}"
    if d.level_reason is None:
        return text + "."
    practices = ", ".join(d.level_practices)
    return f"{text}, mainly because of {REASON_WORDS[d.level_reason]} ({practices})."


def level_changes(progress: Progress | None) -> LevelChanges | None:
    """The level changes since the baseline; ``None`` without a baseline."""
    if progress is None:
        return None
    changed = tuple(d for d in progress.dimensions if d.delta_level)
    since = long_date(progress.baseline.evaluated_at)
    if not changed:
        return LevelChanges(intro=f"No dimension changed level since {since}.", items=())
    return LevelChanges(
        intro=f"Dimensions that changed level since {since}:",
        items=tuple(_item(d) for d in changed),
    )
