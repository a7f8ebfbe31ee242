"""The columns of every table relint shows people, as data: the listings, the alerts,
the kinds, the audit trail and the sections of the monthly report."""

from __future__ import annotations

from typing import NamedTuple


class Column(NamedTuple):
    """A column of a people's table: a heading and the row key it shows.

    A ``text`` column wraps to fit a narrow terminal; the others are never cut.
    On a terminal too narrow for them all, columns with a ``drop`` rank are left
    out, lowest rank first. A ``numeric`` column is aligned to the right.
    """

    heading: str
    key: str
    numeric: bool = False
    text: bool = False
    drop: int | None = None


Columns = tuple[Column, ...]

LIST: Columns = (
    Column("ID", "id", numeric=True),
    Column("Kind", "kind", drop=4),
    Column("Counterpart", "counterpart", text=True),
    Column("Country", "country", text=True, drop=2),
    Column("Party", "party", text=True, drop=1),
    Column("Start", "start", drop=3),
    Column("End", "end"),
    Column("Days left", "days_left", numeric=True, drop=5),
    Column("Status", "status"),
)

EXPIRING: Columns = (
    Column("ID", "id", numeric=True),
    Column("Counterpart", "counterpart", text=True),
    Column("Kind", "kind", drop=5),
    Column("Party", "party", text=True, drop=1),
    Column("Alert", "said"),
    Column("On", "alert_on"),
    Column("End", "end", drop=3),
    Column("Notice by", "notice_deadline", drop=2),
    Column("Days left", "days_left", numeric=True, drop=6),
    Column("Renewal", "renews", drop=4),
    Column("Status", "status"),
)

KINDS: Columns = (
    Column("Kind", "kind"),
    Column("Italian", "italian"),
    Column("Default duration", "default_duration"),
    Column("Renewable", "renewable"),
    Column("Default renewal", "default_renewal"),
)

HISTORY: Columns = (
    Column("#", "id", numeric=True),
    Column("At (UTC)", "at"),
    Column("User", "user", drop=2),
    Column("Action", "action"),
    Column("ID", "agreement_id", numeric=True),
    Column("Changed", "changed", text=True),
    Column("Command", "command", text=True, drop=1),
)

# The sections of the monthly report.
_AGREEMENT = (
    Column("ID", "id", numeric=True),
    Column("Counterpart", "counterpart"),
    Column("Party", "party"),
    Column("Kind", "kind"),
)
_DEADLINES = (
    Column("Notice by", "notice_deadline"),
    Column("Days left", "days_left", numeric=True),
    Column("Renewal", "renewal"),
)
DUE: Columns = (
    *_AGREEMENT, Column("Alert", "alert"), Column("On", "alert_on"), Column("End", "end"),
    *_DEADLINES,
)  # fmt: skip
OVERDUE: Columns = (*_AGREEMENT, Column("Ended", "end"), *_DEADLINES)
INCOMPLETE: Columns = (
    *_AGREEMENT, Column("End", "end"), *_DEADLINES, Column("Status", "status"),
    Column("Missing", "missing"),
)  # fmt: skip


def summary(key: str) -> Columns:
    """The columns of the report's summary by ``key`` (party, kind or status)."""
    return (Column(key.capitalize(), key), Column("Agreements", "count", numeric=True))
