"""The monthly renewal report: what the office must act on at the start of a month.

Pure: the report is built from the agreements, the as-of date and the look-ahead,
and nothing else, so that the same registry and options give the same report.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from relint.agreement import Agreement, Alert, Status, alerts
from relint.durations import Window


@dataclass(frozen=True)
class Report:
    """The four sections of a report, for the period ``as_of`` through ``until``."""

    as_of: date
    until: date
    lookahead: Window
    due: tuple[Alert, ...]  # 1. ending or reaching a notice deadline in the period
    overdue: tuple[Agreement, ...]  # 2. expired, neither renewed nor terminated
    incomplete: tuple[tuple[Agreement, tuple[str, ...]], ...]  # 3. with what each lacks
    summary: dict[str, dict[str, int]]  # 4. counts by party, kind and status
    agreements: tuple[Agreement, ...]  # every agreement as known on ``as_of``


def build(
    agreements: Iterable[Agreement], as_of: date, lookahead: Window, today: date | None = None
) -> Report:
    """The report for the period from ``as_of`` through ``lookahead`` later; for a month
    before ``today``'s, on the agreements signed by then."""
    known = tuple(a.known_on(as_of) for a in agreements if a.on_record(as_of, today))
    statuses = {a.id: a.status(as_of, lookahead) for a in known}
    overdue = sorted(
        (a for a in known if statuses[a.id] is Status.EXPIRED),
        key=lambda a: (a.days_left(as_of) or 0, a.id or 0),
        reverse=True,
    )
    incomplete = tuple((a, lacks) for a in known if (lacks := missing(a, as_of)))
    summary = {
        "party": _counts(a.party or "(none)" for a in known),
        "kind": _counts(a.kind.value for a in known),
        "status": _counts(statuses[a.id].value for a in known),
    }
    return Report(
        as_of=as_of,
        until=lookahead.end(as_of),
        lookahead=lookahead,
        due=tuple(alerts(known, as_of, lookahead)),
        overdue=tuple(overdue),
        incomplete=incomplete,
        summary=summary,
        agreements=known,
    )


def _counts(values: Iterable[str]) -> dict[str, int]:
    """How many of each value, most first, ties by name."""
    return dict(sorted(Counter(values).items(), key=lambda item: (-item[1], item[0])))


def missing(agreement: Agreement, as_of: date) -> tuple[str, ...]:
    """What the record lacks for the office to act on it, in words."""
    lacks = []
    if agreement.signed is None:
        lacks.append("the signing date")
    if agreement.status(as_of) is Status.UNKNOWN:
        if agreement.end is not None:
            lacks.append("an end known to the day")
        elif agreement.duration is None:
            lacks.append("a duration or an end")
        elif agreement.start is not None:
            lacks.append("a start known to the day")
    for field, words in (
        ("party", "our party"),
        ("country", "the country"),
        ("source", "a source"),
    ):
        if not getattr(agreement, field):
            lacks.append(words)
    return tuple(lacks)


def renewal(agreement: Agreement) -> str:
    """How the agreement renews, in a word."""
    if agreement.auto_renew:
        return "tacit"
    return "renewable" if agreement.renewable else "no"


# The rows of each section, as plain values, for every format.

DUE_COLUMNS = (
    ("id", "ID"), ("counterpart", "Counterpart"), ("party", "Party"), ("kind", "Kind"),
    ("alert", "Alert"), ("alert_on", "On"), ("end", "End"), ("notice_deadline", "Notice by"),
    ("days_left", "Days left"), ("renewal", "Renewal"),
)  # fmt: skip
OVERDUE_COLUMNS = (
    ("id", "ID"), ("counterpart", "Counterpart"), ("party", "Party"), ("kind", "Kind"),
    ("end", "Ended"), ("notice_deadline", "Notice by"), ("days_left", "Days left"),
    ("renewal", "Renewal"),
)  # fmt: skip
INCOMPLETE_COLUMNS = (
    ("id", "ID"), ("counterpart", "Counterpart"), ("party", "Party"), ("kind", "Kind"),
    ("end", "End"), ("notice_deadline", "Notice by"), ("days_left", "Days left"),
    ("renewal", "Renewal"), ("status", "Status"), ("missing", "Missing"),
)  # fmt: skip


def _common(agreement: Agreement, as_of: date) -> dict[str, Any]:
    deadline = agreement.notice_deadline
    return {
        "id": agreement.id,
        "counterpart": agreement.counterpart,
        "party": agreement.party,
        "kind": agreement.kind.value,
        "end": None if agreement.end is None else str(agreement.end),
        "notice_deadline": None if deadline is None else deadline.isoformat(),
        "days_left": agreement.days_left(as_of),
        "renewal": renewal(agreement),
    }


def due_rows(report: Report) -> list[dict[str, Any]]:
    return [
        _common(alert.agreement, report.as_of)
        | {
            "alert": "notice deadline" if alert.reason == "notice" else "end",
            "alert_on": alert.on.isoformat(),
        }
        for alert in report.due
    ]


def overdue_rows(report: Report) -> list[dict[str, Any]]:
    return [_common(a, report.as_of) for a in report.overdue]


def incomplete_rows(report: Report) -> list[dict[str, Any]]:
    return [
        _common(a, report.as_of)
        | {"status": a.status(report.as_of, report.lookahead).value, "missing": list(lacks)}
        for a, lacks in report.incomplete
    ]
