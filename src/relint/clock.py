"""The clock: the one place relint reads the date and the time."""

from datetime import UTC, date, datetime


def today() -> date:
    """Today's date, where relint runs."""
    return date.today()


def now() -> datetime:
    """The time, in UTC."""
    return datetime.now(UTC)
