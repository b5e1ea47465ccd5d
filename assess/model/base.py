"""What every model type shares: frozen, strict about unknown fields; and the moment type."""

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict


class Frozen(BaseModel):
    """An immutable value; unknown fields are an error, not silently dropped."""

    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)


def _in_calendar(moment: datetime) -> datetime:
    """``moment`` as given, when it has a UTC equivalent: ``9999-12-31T23:59:59-12:00`` is in
    year 10000 in UTC, beyond what Python's dates hold, and every comparison would fail."""
    try:
        moment.astimezone(UTC)
    except OverflowError:
        raise ValueError(
            f"{moment.isoformat()} is outside the calendar: in UTC it falls before year 1 or "
            "after year 9999"
        ) from None
    return moment


Moment = Annotated[AwareDatetime, AfterValidator(_in_calendar)]
"""A date and time with its offset, whose UTC equivalent lies within the years 1 to 9999."""
