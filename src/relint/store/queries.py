"""The questions commands ask of the registry in SQL, so that their cost follows the
answer rather than the registry's size: what may alert in a window, what a search
finds, and what the monthly report needs."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from datetime import date
from typing import Any

from relint.agreement import Agreement, Status
from relint.dates import add_days
from relint.durations import PERMANENT
from relint.errors import RelintError
from relint.report import SHOWN, Selection
from relint.store.records import with_histories

_WORD = re.compile(r"[^\W_]+")

# Agreement.status as SQL, for an agreement read as its current term: :as_of is the day,
# :until the end of the alert window. A partial date compares as text just as its earliest
# day does ("2026" and "2026-11" sort before "2026-11-22"). tests check that this agrees
# with Agreement.status.
_STATUS = f"""CASE
    WHEN terminated_on <= :as_of THEN 'terminated'
    WHEN duration = '{PERMANENT}' THEN 'permanent'
    WHEN "end" IS NULL OR length("end") < 10 THEN 'unknown'
    WHEN "end" < :as_of THEN 'expired'
    WHEN "end" <= :until THEN 'expiring'
    ELSE 'active'
END"""
_STATUSES = tuple(status.value for status in Status)
# report.missing as SQL: what makes a record incomplete, besides an unknown status.
_INCOMPLETE = """signed IS NULL
    OR coalesce(party, '') = '' OR coalesce(country, '') = '' OR coalesce(source, '') = ''"""
_LACKING = f"{_INCOMPLETE} OR ({_STATUS}) = 'unknown'"


def ending_between(
    conn: sqlite3.Connection, columns: str, first: date, last: date
) -> Iterator[Agreement]:
    """Agreements with a term whose end, or notice deadline, may fall from ``first``
    through ``last``.

    Range reads on the indexed ends, widened by the longest notice period;
    the caller applies the exact rule.
    """
    longest = _integer(
        conn.execute("SELECT max(notice_days) FROM agreements").fetchone()[0],
        "the registry is damaged: a notice period is not a whole number of days",
    )
    try:
        upper = add_days(last, max(longest or 0, 0))
    except RelintError:
        upper = date.max
    # An alert needs an end from the first day on, and the end or the notice deadline
    # by the last: rows that cannot qualify stay in the index, unread.
    yield from with_histories(
        conn,
        f"""SELECT {columns} FROM agreements WHERE id IN (
            SELECT id FROM agreements WHERE "end" BETWEEN :first AND :upper
                AND length("end") = 10 AND ("end" <= :last OR notice_days IS NOT NULL
                    AND date("end", printf('-%d days', notice_days)) BETWEEN :first AND :last)
                AND (terminated_on IS NULL OR terminated_on > :first)
            UNION SELECT agreement_id FROM terms WHERE "end" BETWEEN :first AND :upper
            UNION SELECT id FROM agreements WHERE auto_renew AND "end" < :first
        ) ORDER BY id""",
        {"first": first.isoformat(), "last": last.isoformat(), "upper": upper.isoformat()},
    )


def search(conn: sqlite3.Connection, columns: str, query: str) -> Iterator[Agreement]:
    """Agreements matching every word of ``query`` (as a word or its beginning), best first.

    Any text is a valid query: words are taken out of it and quoted, so that
    FTS5 syntax in it is searched for as text rather than obeyed.
    """
    words = _WORD.findall(query)
    if not words:
        return
    match = " ".join(f'"{word}"*' for word in words)
    yield from with_histories(
        conn,
        f"SELECT {columns} FROM agreements_fts"
        " JOIN agreements ON agreements.id = agreements_fts.rowid"
        " WHERE agreements_fts MATCH ? ORDER BY agreements_fts.rank, agreements.id",
        [match],
    )


def for_report(
    conn: sqlite3.Connection, columns: str, as_of: date, until: date, *, looking_back: bool
) -> Selection:
    """What a report on ``as_of`` (alerting through ``until``) needs, read with SQL so
    that its cost follows what it shows rather than the registry's size.

    Agreements never renewed are judged by SQL, by the rules of ``Agreement.status``
    and ``report.missing``; renewed ones, whose standing depends on which term was
    current on ``as_of``, come whole, for the report to judge. ``looking_back`` leaves
    out the agreements signed after ``as_of``.
    """
    at = {"as_of": as_of.isoformat(), "until": until.isoformat(), "back": looking_back}
    simple = (
        "NOT auto_renew AND suspensions = '[]' AND notice_given IS NULL"
        " AND id NOT IN (SELECT agreement_id FROM terms) AND (NOT :back"
        " OR coalesce(signed, start) IS NULL OR coalesce(signed, start) <= :as_of)"
    )
    # One pass over the summary index, in its order: no sorting, and each status
    # counted by its own sum rather than by grouping a million rows.
    sums = ", ".join(f"sum(({_STATUS}) = '{status}')" for status in _STATUSES)
    counts = []
    lacking_count = 0
    for party, kind, *by_status, lacking in conn.execute(
        f"SELECT party, kind, {sums}, sum(CASE WHEN {_INCOMPLETE} THEN 1"
        f" ELSE ({_STATUS}) = 'unknown' END) FROM agreements WHERE {simple}"
        " GROUP BY party, kind",
        at,
    ):
        counts += [
            (party, kind, status, count)
            for status, count in zip(_STATUSES, by_status, strict=True)
            if count
        ]
        lacking_count += lacking
    expired = f"""{simple} AND length("end") = 10 AND "end" < :as_of
        AND {_STATUS} = 'expired'"""
    dated = f'{simple} AND length("end") = 10 AND length(start) = 10'
    return Selection(
        counts=counts,
        expired=_some(conn, columns, expired, 'ORDER BY "end" DESC, id DESC', at),
        expired_count=sum(count for *_, status, count in counts if status == "expired"),
        lacking=_some(conn, columns, f"{simple} AND ({_LACKING})", "ORDER BY id", at),
        lacking_count=lacking_count,
        latest=_some(conn, columns, dated, 'ORDER BY "end" DESC, id', at),
        renewed=list(
            with_histories(
                conn,
                f"SELECT {columns} FROM agreements WHERE auto_renew OR suspensions != '[]'"
                " OR notice_given IS NOT NULL OR id IN (SELECT agreement_id FROM terms)"
                " ORDER BY id",
            )
        ),
    )


def _some(
    conn: sqlite3.Connection, columns: str, where: str, order: str, at: dict[str, Any]
) -> list[Agreement]:
    return list(
        with_histories(
            conn, f"SELECT {columns} FROM agreements WHERE {where} {order} LIMIT {SHOWN}", at
        )
    )


def _integer(value: object, damaged: str) -> int | None:
    if value is None or type(value) is int:
        return value
    raise RelintError(damaged)
