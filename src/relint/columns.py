"""The columns of every table relint shows people, as data: the listings, the alerts,
the kinds, the audit trail and the sections of the monthly report."""

from __future__ import annotations

from typing import NamedTuple

from relint.i18n import N_


class Column(NamedTuple):
    """A column of a people's table: a heading and the row key it shows.

    A ``text`` column wraps to fit a narrow terminal; the others are never cut.
    On a terminal too narrow for them all, columns with a ``drop`` rank are left
    out, lowest rank first. A ``numeric`` column is aligned to the right. The words of a
    column ``said`` (statuses, kinds) are shown in the language chosen.
    """

    heading: str
    key: str
    numeric: bool = False
    text: bool = False
    drop: int | None = None
    said: bool = True  # its values shown in the language chosen (a status: "scaduto")


Columns = tuple[Column, ...]

LIST: Columns = (
    Column(N_("ID"), "id", numeric=True),
    Column(N_("Kind"), "kind", drop=4),
    Column(N_("Counterpart"), "counterpart", text=True),
    Column(N_("Country"), "country", text=True, drop=2),
    Column(N_("Party"), "party", text=True, drop=1),
    Column(N_("Start"), "start", drop=3),
    Column(N_("End"), "end"),
    Column(N_("Days left"), "days_left", numeric=True, drop=5),
    Column(N_("Status"), "status"),
)

EXPIRING: Columns = (
    Column(N_("ID"), "id", numeric=True),
    Column(N_("Counterpart"), "counterpart", text=True),
    Column(N_("Kind"), "kind", drop=5),
    Column(N_("Party"), "party", text=True, drop=1),
    Column(N_("Alert"), "said"),
    Column(N_("On"), "alert_on"),
    Column(N_("End"), "end", drop=3),
    Column(N_("Notice by"), "notice_deadline", drop=2),
    Column(N_("Days left"), "days_left", numeric=True, drop=6),
    Column(N_("Renewal"), "renews", drop=4),
    Column(N_("Status"), "status"),
)

KINDS: Columns = (
    Column(N_("Kind"), "kind", said=False),
    Column(N_("Italian"), "italian"),
    Column(N_("Default duration"), "default_duration"),
    Column(N_("Renewable"), "renewable"),
    Column(N_("Default renewal"), "default_renewal"),
)

HISTORY: Columns = (
    Column(N_("#"), "id", numeric=True),
    Column(N_("At (UTC)"), "at"),
    Column(N_("User"), "user", drop=2),
    Column(N_("Action"), "action"),
    Column(N_("ID"), "agreement_id", numeric=True),
    Column(N_("Changed"), "changed", text=True),
    Column(N_("Command"), "command", text=True, drop=1),
)

# The sections of the monthly report.
_AGREEMENT = (
    Column(N_("ID"), "id", numeric=True),
    Column(N_("Counterpart"), "counterpart"),
    Column(N_("Party"), "party"),
    Column(N_("Kind"), "kind"),
)
_DEADLINES = (
    Column(N_("Notice by"), "notice_deadline"),
    Column(N_("Days left"), "days_left", numeric=True),
    Column(N_("Renewal"), "renewal"),
)
DUE: Columns = (
    *_AGREEMENT, Column(N_("Alert"), "alert"), Column(N_("On"), "alert_on"),
    Column(N_("End"), "end"), *_DEADLINES,
)  # fmt: skip
OVERDUE: Columns = (*_AGREEMENT, Column(N_("Ended"), "end"), *_DEADLINES)
INCOMPLETE: Columns = (
    *_AGREEMENT, Column(N_("End"), "end"), *_DEADLINES, Column(N_("Status"), "status"),
    Column(N_("Missing"), "missing"),
)  # fmt: skip


def summary(key: str) -> Columns:
    """The columns of the report's summary by ``key`` (party, kind or status)."""
    return (Column(key.capitalize(), key), Column(N_("Agreements"), "count", numeric=True))
