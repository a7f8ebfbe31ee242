"""The monthly renewal report: what the office must act on at the start of a month.

Pure: the report is built from what the registry selects for it (``Selection``), the
as-of date and the look-ahead, and nothing else, so that the same registry and
options give the same report. The long sections list their first ``SHOWN``
agreements and count the rest, so that a registry of a million agreements gives a
report a person can read, in a few seconds.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from relint.agreement import EXPORT_FIELDS, Agreement, Alert, Status, alerts
from relint.durations import Window
from relint.i18n import N_

SHOWN = 100  # agreements a report lists in a long section; it counts the rest


@dataclass(frozen=True)
class Selection:
    """What a report needs from the registry (see ``relint.store.Registry.for_report``)."""

    counts: list[tuple[str | None, str, str, int]]  # party, kind, status, how many
    expired: list[Agreement]  # the SHOWN most recently expired
    expired_count: int
    lacking: list[Agreement]  # the first SHOWN incomplete, by id
    lacking_count: int
    latest: list[Agreement]  # the SHOWN ending last, with terms known to the day
    renewed: list[Agreement]  # every agreement with earlier terms, judged by the report


class Alerted(NamedTuple):
    """The alert SQL found an agreement raises, one whose standing follows from its row
    (see ``relint.store.Registry.alerting``)."""

    values: tuple[Any, ...]  # EXPORT_FIELDS, as exported, of those it reads (else None)
    end: str  # the end of the term in force
    deadline: str | None  # its notice deadline, with a notice period
    reason: str  # "notice" or "end"


@dataclass(frozen=True)
class Report:
    """The four sections of a report, for the period ``as_of`` through ``until``.

    The long sections, 2 and 3, list their first ``SHOWN`` agreements and count them all.
    """

    as_of: date
    until: date
    lookahead: Window
    due: tuple[dict[str, Any], ...]  # 1. ending or reaching a notice deadline in the period
    overdue: tuple[Agreement, ...]  # 2. expired, neither renewed nor terminated
    overdue_count: int
    incomplete: tuple[tuple[Agreement, tuple[str, ...]], ...]  # 3. with what each lacks
    incomplete_count: int
    summary: dict[str, dict[str, int]]  # 4. counts by party, kind and status
    agreements: tuple[Agreement, ...]  # those the timeline may draw, as known on ``as_of``


def make_report(
    selection: Selection,
    ending: Iterable[Agreement | Alerted],
    as_of: date,
    lookahead: Window,
    today: date,
) -> Report:
    """The report for the period from ``as_of`` through ``lookahead`` later, from what the
    registry selected for it and the agreements ``ending`` around the period (those it
    found alerting, and the others whole); for a month before ``today``'s, on the
    agreements signed by then. Of the agreements ending, the timeline may draw those
    given whole."""
    renewed = [a.in_force(as_of) for a in selection.renewed if a.on_record(as_of, today)]
    statuses = {a.id: a.status(as_of, lookahead) for a in renewed}
    counts: Counter[tuple[str, str, str]] = Counter()
    for party, kind, status, count in selection.counts:
        counts[(party or "(none)", kind, status)] += count
    for a in renewed:
        counts[(a.party or "(none)", a.kind.value, statuses[a.id].value)] += 1
    # Expired with no decision: notice given not to renew is one.
    expired = [a for a in renewed if statuses[a.id] is Status.EXPIRED and a.notice_given is None]
    overdue = sorted(
        [*selection.expired, *expired],
        key=lambda a: (a.days_left(as_of) or 0, a.id or 0),
        reverse=True,
    )[:SHOWN]
    # Those judged by SQL, as they stand on as_of: in a tacit term, for some.
    lacking = sorted(
        [
            *(a.in_force(as_of) for a in selection.lacking),
            *(a for a in renewed if missing(a, as_of)),
        ],
        key=lambda a: a.id or 0,
    )[:SHOWN]
    whole, due = [], []
    for found in ending:
        if isinstance(found, Agreement):
            whole.append(found)
        else:
            due.append(_alerted(found))
    judged = alerts(whole, as_of, lookahead, today)
    due += (_due(alert, as_of) for alert in judged)
    due.sort(key=lambda row: (row["alert_on"], row["id"]))
    latest = (a.in_force(as_of) for a in selection.latest)
    drawn = {a.id: a for a in (*latest, *renewed, *overdue)}
    drawn |= {alert.agreement.id: alert.agreement for alert in judged}
    return Report(
        as_of=as_of,
        until=lookahead.end(as_of),
        lookahead=lookahead,
        due=tuple(due),
        overdue=tuple(overdue),
        overdue_count=selection.expired_count + len(expired),
        incomplete=tuple((a, missing(a, as_of)) for a in lacking),
        incomplete_count=selection.lacking_count + sum(bool(missing(a, as_of)) for a in renewed),
        summary={
            "party": _sum(counts, 0),
            "kind": _sum(counts, 1),
            "status": _sum(counts, 2),
        },
        agreements=tuple(sorted(drawn.values(), key=lambda a: a.id or 0)),
    )


def _sum(counts: Counter[tuple[str, str, str]], index: int) -> dict[str, int]:
    """How many of each value at ``index``, most first, ties by name."""
    totals: Counter[str] = Counter()
    for key, count in counts.items():
        totals[key[index]] += count
    return dict(sorted(totals.items(), key=lambda item: (-item[1], item[0])))


def missing(agreement: Agreement, as_of: date) -> tuple[str, ...]:
    """What the record lacks for the office to act on it, in words."""
    lacks = []
    if agreement.signed is None:
        lacks.append(N_("the signing date"))
    if agreement.status(as_of) is Status.UNKNOWN:
        if agreement.end is not None:
            lacks.append(N_("an end known to the day"))
        elif agreement.duration is None:
            lacks.append(N_("a duration or an end"))
        elif agreement.start is not None:
            lacks.append(N_("a start known to the day"))
    for field, words in (
        ("party", N_("our party")),
        ("country", N_("the country")),
        ("source", N_("a source")),
    ):
        if not getattr(agreement, field):
            lacks.append(words)
    return tuple(lacks)


def renewal(agreement: Agreement, as_of: date) -> str:
    """How the agreement renews, in a word, as it stands on ``as_of``."""
    return _renews(agreement.noticed(as_of), agreement.auto_renew, agreement.renewable)


def _renews(noticed: bool, auto_renew: bool, renewable: bool) -> str:
    if noticed:
        return "notice given"
    if auto_renew:
        return "tacit"
    return "renewable" if renewable else "no"


# The rows of each section, as plain values, for every format (their columns are
# relint.columns.DUE, OVERDUE and INCOMPLETE).


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
        "renewal": renewal(agreement, as_of),
    }


def _due(alert: Alert, as_of: date) -> dict[str, Any]:
    return _common(alert.agreement, as_of) | {
        "alert": "notice deadline" if alert.reason == "notice" else "end",
        "alert_on": alert.on.isoformat(),
    }


_AT = {name: index for index, name in enumerate(EXPORT_FIELDS)}


def _alerted(found: Alerted) -> dict[str, Any]:
    """The row of an alert SQL found: as ``_due`` gives it, from the exported record."""
    values = found.values
    notice = found.reason == "notice"
    return {
        "id": values[_AT["id"]],
        "counterpart": values[_AT["counterpart"]],
        "party": values[_AT["party"]],
        "kind": values[_AT["kind"]],
        "end": found.end,
        "notice_deadline": found.deadline,
        "days_left": values[_AT["days_left"]],
        # Never given notice, or its rules judge it (queries._PLAIN).
        "renewal": _renews(False, values[_AT["auto_renew"]], values[_AT["renewable"]]),
        "alert": "notice deadline" if notice else "end",
        "alert_on": found.deadline if notice else found.end,
    }


def due_rows(report: Report) -> list[dict[str, Any]]:
    return list(report.due)


def overdue_rows(report: Report) -> list[dict[str, Any]]:
    return [_common(a, report.as_of) for a in report.overdue]


def incomplete_rows(report: Report) -> list[dict[str, Any]]:
    return [
        _common(a, report.as_of)
        | {"status": a.status(report.as_of, report.lookahead).value, "missing": list(lacks)}
        for a, lacks in report.incomplete
    ]
