"""The clock: the one place relint reads the date and the time.

``RELINT_TEST_TODAY=YYYY-MM-DD`` moves the clock to that day, for tests only: a test
pins it to know what "today" answers, and the suite runs once with it a year ahead
to prove that no test depends on the day it runs.
"""

import os
from datetime import UTC, date, datetime, timedelta

from relint.i18n import _

TEST_TODAY = "RELINT_TEST_TODAY"


def today() -> date:
    """Today's date, where relint runs."""
    day = date.today()
    return day + _moved(day)


def now() -> datetime:
    """The time, in UTC."""
    moment = datetime.now(UTC)
    return moment + _moved(moment.astimezone().date())


def local_date(moment: datetime) -> date:
    """The date ``moment`` falls on where relint runs: ``today()`` for ``now()``."""
    return moment.astimezone().date()


def _moved(today: date) -> timedelta:
    """How far the test setting moves the clock from ``today``, the local date."""
    pinned = os.environ.get(TEST_TODAY)
    if not pinned:
        return timedelta()
    try:
        return date.fromisoformat(pinned) - today
    except ValueError:
        from relint.errors import RelintError

        raise RelintError(
            _("{TEST_TODAY} is a date such as 2026-11-22, not {pinned!r}").format(
                TEST_TODAY=TEST_TODAY, pinned=pinned
            )
        ) from None
