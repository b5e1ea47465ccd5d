"""Dates and times as the tool's inputs write them: the one parser of ISO 8601 moments."""

from __future__ import annotations

from datetime import UTC, datetime


def parse_moment(text: object) -> datetime | None:
    """An ISO 8601 date or time in UTC, or ``None`` when ``text`` is not one.

    ``Z`` and numeric offsets are honoured; a time without an offset is taken as UTC (what
    scanners and exports that omit the zone mean); a trailing `` UTC`` or `` GMT`` is read as
    ``Z``. A time whose UTC equivalent is outside the years 1 to 9999
    (``9999-12-31T23:59:59-12:00``) is not one either: no date holds it.
    """
    if not isinstance(text, str) or not text.strip():
        return None
    value = text.strip()
    if value.endswith((" UTC", " GMT")):
        value = value[:-4]
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        return None


def is_out_of_range(text: str) -> bool:
    """True when ``text`` is an ISO 8601 time that :func:`parse_moment` refuses only because
    its UTC equivalent falls outside the years 1 to 9999 (``9999-12-31T23:59:59-12:00``)."""
    value = text.strip()
    if value.endswith((" UTC", " GMT")):
        value = value[:-4]
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return parse_moment(text) is None


OUT_OF_RANGE = "is out of range: in UTC it falls before year 1 or after year 9999"
"""How a message says that a valid ISO 8601 time is one no date can hold."""
