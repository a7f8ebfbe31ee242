"""The questions commands ask of the registry in SQL, so that their cost follows the
answer rather than the registry's size: what may alert in a window, what a search
finds, and what the monthly report needs."""

from __future__ import annotations

import re
import sqlite3
from collections import Counter
from collections.abc import Collection, Iterator
from datetime import date
from typing import TYPE_CHECKING, Any

from relint.agreement import EXPORT_FIELDS, Agreement, Status
from relint.dates import add_days
from relint.durations import MAX_MONTHS, PERMANENT
from relint.errors import RelintError
from relint.store.records import BATCH, with_histories
from relint.values import MAX_NOTICE_DAYS

if TYPE_CHECKING:  # the report's module, loaded only for a report
    from relint.report import Selection

_WORD = re.compile(r"[^\W_]+")

# Agreement.status as SQL, for an agreement read as its current term: :as_of is the day,
# :until the end of the alert window. A partial date compares as text just as its earliest
# day does ("2026" and "2026-11" sort before "2026-11-22"). tests check that this agrees
# with Agreement.status.
#
# An agreement renewing itself past its recorded end is 'renewing': active, unless a
# tacit term of it ends in the window (see for_report).
_STATUS_RULES = (
    ("terminated_on <= :as_of", "terminated"),
    ('tacit_cycle IS NOT NULL AND "end" < :as_of', "renewing"),
    (f"duration = '{PERMANENT}'", "permanent"),
    ('"end" IS NULL OR length("end") < 10', "unknown"),
    ('"end" < :as_of', "expired"),
    ('"end" <= :until', "expiring"),
)
_STATUSES = (*(status.value for status in Status), "renewing")


def _status(said: dict[str, str]) -> str:
    """Agreement.status as SQL (see above), each status said as ``said`` gives it."""
    whens = "".join(f"\n    WHEN {rule} THEN {said[status]}" for rule, status in _STATUS_RULES)
    return f"CASE{whens}\n    ELSE {said['active']}\nEND"


_STATUS = _status({status: f"'{status}'" for status in _STATUSES})
# report.missing as SQL: what makes a record incomplete, besides an unknown status.
_INCOMPLETE = """signed IS NULL
    OR coalesce(party, '') = '' OR coalesce(country, '') = '' OR coalesce(source, '') = ''"""
_LACKING = f"{_INCOMPLETE} OR ({_STATUS}) = 'unknown'"
# An agreement's status and whether its record is incomplete, as one letter (_CODED).
_CODE = (
    f"char(65 + 2 * ({_status({s: str(i) for i, s in enumerate(_STATUSES)})}) + ({_INCOMPLETE}))"
)
_CODED = {
    chr(65 + 2 * i + incomplete): (status, bool(incomplete))
    for i, status in enumerate(_STATUSES)
    for incomplete in (0, 1)
}


# What makes an agreement's standing follow from its row alone, in SQL: never renewed by
# an act, never suspended, no notice given, and ends (recorded, or tacit and regular: see
# codec.tacit) that date arithmetic reaches. Its record as of :as_of is then computed by
# SQL (see exported); the others are judged by their own rules.
_ROLLING = """auto_renew AND coalesce(length("end"), 0) = 10 AND "end" < :as_of"""
_PLAIN = f"""id NOT IN (SELECT agreement_id FROM terms)
    AND notice_given IS NULL AND suspensions = '[]' AND coalesce("end", '0101') >= '0101'
    AND auto_renew IN (0, 1)
    AND (notice_days IS NULL OR notice_days BETWEEN 0 AND {MAX_NOTICE_DAYS})
    AND (NOT ({_ROLLING}) OR tacit_cycle > 0
        AND (tacit_irregular IS NULL OR tacit_irregular < :as_of)
        AND (terminated_on IS NULL OR terminated_on > :as_of))"""


def _month(column: str) -> str:
    """The index (year * 12 + month - 1) of the month of a date ``column``, in SQL."""
    return (
        f"(CAST(substr({column}, 1, 4) AS INTEGER) * 12"
        f" + CAST(substr({column}, 6, 2) AS INTEGER) - 1)"
    )


# Of an agreement renewing itself past its recorded end, regularly: the index of the month
# the tacit term in force on :as_of ends in (the month :month, on the day :day). Its ends
# fall on tacit_day of every tacit_cycle-th month from its anchor's, which precedes :as_of
# (see codec.tacit), and the term in force ends on the first of them from :as_of on.
_REACHED = (
    f"({_month('tacit_anchor')} + (:month - {_month('tacit_anchor')} + tacit_cycle - 1)"
    " / tacit_cycle * tacit_cycle)"
)
_ROLLED = f"""(CASE WHEN {_REACHED} = :month AND tacit_day < :day
    THEN {_REACHED} + tacit_cycle ELSE {_REACHED} END)"""
_ROLLED_END = f"printf('%04d-%02d-%02d', {_ROLLED} / 12, {_ROLLED} % 12 + 1, tacit_day)"
_CURRENT_END = f'(CASE WHEN {_ROLLING} THEN {_ROLLED_END} ELSE "end" END)'


def _computed(end: str, rolled: str, month: str) -> dict[str, str]:
    """Agreement.record's computed fields (agreement.COMPUTED), in its order, as SQL, of
    an agreement whose term in force ends on ``end`` (SQL: _CURRENT_END, or a column
    holding it); of one rolling past its recorded end, on ``rolled``, in the month
    ``month`` (_month of it)."""
    return {
        "status": f"""CASE WHEN {_ROLLING}
            THEN CASE WHEN {rolled} <= :until THEN 'expiring' ELSE 'active' END
            ELSE {_STATUS} END""",
        "days_left": f"""CASE WHEN length("end") = 10
            THEN CAST(julianday({end}) - :julian AS INTEGER) END""",
        "term": f"""CASE WHEN {_ROLLING}
            THEN 1 + ({month} - {_month('"end"')}) / tacit_cycle ELSE 1 END""",
        "notice_deadline": f"""CASE WHEN length("end") = 10
            THEN date({end}, printf('-%d days', coalesce(notice_days, 0))) END""",
    }


_COMPUTED = _computed(_CURRENT_END, _ROLLED_END, _ROLLED)
# Of an agreement read with the end of its term in force as the column current_end.
_COMPUTED_IN_FORCE = _computed("current_end", "current_end", _month("current_end"))
LAST_DAY = date(8999, 12, 31)  # the last as-of day exported gets SQL's help (see exported)


def exported(
    conn: sqlite3.Connection, present: Collection[str], as_of: date, until: date
) -> Iterator[tuple[Any, ...]]:
    """Every agreement by id, for an export as of ``as_of`` (alerting through ``until``):
    the fields of its record (``EXPORT_FIELDS``), each as its column holds it or as SQL
    computes it (``agreement.COMPUTED``), the earlier terms left out; then whether its
    standing follows from its row alone (``_PLAIN``), which alone makes them its record.
    The others are for the caller to read whole and judge. ``present``: the columns of
    the registry's agreements table.

    tests/cli/test_exported.py holds these fields to ``export_record``.
    """
    yield from _records(conn, present, as_of, until, "agreements", _COMPUTED)


def _records(
    conn: sqlite3.Connection,
    present: Collection[str],
    as_of: date,
    until: date,
    source: str,
    computed: dict[str, str],
    extra: str = "",
    parameters: dict[str, Any] | None = None,
    read: Collection[str] = EXPORT_FIELDS,
) -> Iterator[tuple[Any, ...]]:
    """The rows ``exported`` gives, of the agreements in ``source`` (a table or a query of
    the agreements table, its columns and others), their computed fields as ``computed``
    gives them, of the fields of ``read`` alone (None for the others); then the columns of
    ``extra`` (each after a comma), with ``parameters`` of their own."""
    assert as_of <= LAST_DAY, "a tacit end computed in SQL stays within the year 9999"
    at = {
        "as_of": as_of.isoformat(),
        "until": until.isoformat(),
        "month": as_of.year * 12 + as_of.month - 1,
        "day": as_of.day,
        "julian": as_of.toordinal() + 1721424.5,  # the Julian day of its midnight
    }
    fields = ", ".join(
        computed.get(name, f'"{name}"' if name in present else "NULL") if name in read else "NULL"
        for name in EXPORT_FIELDS
    )
    cursor = conn.cursor()
    cursor.row_factory = None
    cursor.execute(
        f"SELECT {fields}, {_PLAIN}{extra} FROM {source} ORDER BY id", at | (parameters or {})
    )
    while rows := cursor.fetchmany(BATCH):  # so that memory does not grow with the registry
        yield from rows


def ending_between(
    conn: sqlite3.Connection, columns: str, first: date, last: date
) -> Iterator[Agreement]:
    """Agreements with a term whose end, or notice deadline, may fall from ``first``
    through ``last``.

    Range reads on the indexed ends, widened by the longest notice period;
    the caller applies the exact rule.
    """
    ids, at = _ending(conn, first, last)
    yield from with_histories(
        conn, f"SELECT {columns} FROM agreements WHERE id IN ({ids}) ORDER BY id", at
    )


def _ending(conn: sqlite3.Connection, first: date, last: date) -> tuple[str, dict[str, str]]:
    """SQL selecting the id of every agreement ``ending_between`` gives, and its parameters."""
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
    ids = f"""SELECT id FROM agreements WHERE "end" BETWEEN :first AND :upper
            AND length("end") = 10 AND ("end" <= :last OR notice_days IS NOT NULL
                AND date("end", printf('-%d days', notice_days)) BETWEEN :first AND :last)
            AND (terminated_on IS NULL OR terminated_on > :first)
        UNION SELECT agreement_id FROM terms WHERE "end" BETWEEN :first AND :upper
        UNION {_tacit_ending(conn, first, upper, _ALERTING)}
        UNION SELECT id FROM agreements WHERE tacit_irregular >= :first"""
    return ids, {"first": first.isoformat(), "last": last.isoformat(), "upper": upper.isoformat()}


# The alert agreement.alerts raises on :as_of, through :until, for an agreement whose
# standing follows from its row (_PLAIN), never given notice, and whose term in force ends
# on current_end: none unless active or expiring and, looking back (:back), signed by then;
# else its notice deadline, if it falls in the window, or its end.
_DEADLINE = """CASE WHEN notice_days IS NOT NULL AND length("end") = 10
    THEN date(current_end, printf('-%d days', notice_days)) END"""
_ALERT = f"""CASE WHEN ({_COMPUTED_IN_FORCE["status"]}) NOT IN ('active', 'expiring')
        OR :back AND coalesce(signed, start) > :as_of THEN NULL
    WHEN {_DEADLINE} BETWEEN :as_of AND :until THEN 'notice'
    WHEN current_end <= :until THEN 'end' END"""


# What an alert found by SQL shows (report._alerted), and what the rules read (_ALERT).
_READ = {
    "id", "kind", "party", "counterpart", "signed", "start", "duration", "end", "renewable",
    "auto_renew", "notice_days", "terminated_on", "notice_given", "suspensions", "days_left",
}  # fmt: skip


def alerting(
    conn: sqlite3.Connection, present: Collection[str], as_of: date, until: date, *, back: bool
) -> Iterator[tuple[Any, ...]]:
    """The agreements ``ending_between`` gives from ``as_of`` through ``until``, by id, as
    ``exported`` gives them (the window's end ``until``), with the fields an alert shows
    and the rules read alone (``_READ``), then each one's end in force, its
    notice deadline, and the alert it raises (``_ALERT``: "notice", "end" or None), which
    hold only where its standing follows from its row. ``back``: looking back at a month
    before this one's.

    tests/cli/test_report.py holds the alerts to ``agreement.alerts``.
    """
    ids, at = _ending(conn, as_of, until)
    # The end in force computed once for each agreement: a subquery with a LIMIT is not
    # merged into the query, where it would be computed for each use of it.
    source = f"""(SELECT *, {_CURRENT_END} AS current_end FROM agreements
        WHERE id IN ({ids}) ORDER BY id LIMIT -1)"""
    extra = f", current_end, {_DEADLINE}, {_ALERT}"
    yield from _records(
        conn, present, as_of, until, source, _COMPUTED_IN_FORCE, extra, at | {"back": back}, _READ
    )


# Of a tacit end (_TACIT_END) found in the index: whether it, or its notice deadline,
# falls from :first through :last, and the agreement was not terminated by :first.
_ALERTING = """(END <= :last OR a.notice_days IS NOT NULL
    AND date(END, printf('-%d days', a.notice_days)) BETWEEN :first AND :last)
    AND (a.terminated_on IS NULL OR a.terminated_on > :first)"""
# The end, in the month a row of `wanted` stands for, of an agreement found for it.
_TACIT_END = "(wanted.column5 || printf('-%02d', a.tacit_day))"


def _tacit_ending(
    conn: sqlite3.Connection, first: date, last: date, condition: str, rows: str = "1"
) -> str:
    """SQL selecting the id of every agreement meeting ``rows`` (on the agreement ``a``)
    with a tacit end from ``first`` through ``last`` that meets ``condition`` (on END,
    that end, and ``a``).

    For each renewal period in the registry and each month of the window, one range of
    the tacit index: the agreements of that period whose ends fall in that month, on a
    day within the window. The ends of an agreement from its anchor on are exactly
    these, and rows that cannot qualify stay unread in the index. A window holding a
    whole period of complete months holds an end of every agreement of that period:
    those are selected whole, ``condition`` unread (the caller of a window so long
    judges the agreements itself). The ends before an anchor are not found here (see
    ``codec.tacit``).
    """
    months = _months(first, last)
    wanted, whole = [], []
    for cycle in _cycles(conn):
        if len(months) - 2 >= cycle:
            whole.append(str(cycle))
            continue
        wanted += [
            f"({cycle}, {index % cycle}, {lo}, {hi}, '{index // 12:04d}-{index % 12 + 1:02d}')"
            for index, lo, hi in months
        ]
    found = [f"SELECT a.id FROM agreements AS a WHERE a.tacit_cycle IN ({', '.join(whole)})"
             f" AND {rows}"] if whole else []  # fmt: skip
    if wanted:
        end = _TACIT_END
        found.append(
            # wanted: (period, phase, first day, last day, month), as column1 to column5.
            f"""SELECT a.id FROM (VALUES {", ".join(wanted)}) AS wanted
                CROSS JOIN agreements AS a
            WHERE a.tacit_cycle = wanted.column1 AND a.tacit_phase = wanted.column2
                AND a.tacit_day BETWEEN wanted.column3 AND wanted.column4
                AND a.tacit_anchor <= {end} AND {condition.replace("END", end)} AND {rows}"""
        )
    return " UNION ".join(found) or "SELECT NULL WHERE 0"


def _months(first: date, last: date) -> list[tuple[int, int, int]]:
    """The months from ``first``'s through ``last``'s, each as its index (year * 12 +
    month - 1) and the first and last day of it within the window."""
    start, end = first.year * 12 + first.month - 1, last.year * 12 + last.month - 1
    if end - start > MAX_MONTHS + 2:  # holds a whole period of every agreement (see above)
        return [(index, 1, 31) for index in range(start, start + MAX_MONTHS + 3)]
    return [
        (index, first.day if index == start else 1, last.day if index == end else 31)
        for index in range(start, end + 1)
    ]


def _cycles(conn: sqlite3.Connection) -> list[int]:
    """The renewal periods (in months) of the agreements that renew themselves: one
    step of the tacit index for each, however many agreements share it."""
    return [
        row[0]
        for row in conn.execute(
            """WITH RECURSIVE cycle(months) AS (
                SELECT min(tacit_cycle) FROM agreements WHERE tacit_cycle > 0
                UNION ALL SELECT (SELECT min(tacit_cycle) FROM agreements
                    WHERE tacit_cycle > cycle.months) FROM cycle WHERE months IS NOT NULL
            ) SELECT months FROM cycle WHERE months IS NOT NULL"""
        )
    ]


NOTHING = '""'  # the FTS5 query that matches nothing: a query with no words in it


def fts_query(query: str) -> str:
    """The FTS5 query for what a person typed: every word of it, as a word or its
    beginning, quoted so that FTS5 syntax in it is searched for as text."""
    return " ".join(f'"{word}"*' for word in _WORD.findall(query)) or NOTHING


def search(conn: sqlite3.Connection, columns: str, query: str) -> Iterator[Agreement]:
    """Agreements matching every word of ``query`` (as a word or its beginning), best first.

    Any text is a valid query: words are taken out of it and quoted, so that
    FTS5 syntax in it is searched for as text rather than obeyed.
    """
    match = fts_query(query)
    if match == NOTHING:
        return
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

    Agreements whose standing follows from their row alone (never renewed by an act,
    never suspended, no notice given, tacit renewals regular: see ``codec.tacit``) are
    judged by SQL, by the rules of ``Agreement.status`` and ``report.missing``; the
    others, whose standing depends on which term was in force on ``as_of``, come whole,
    for the report to judge. ``looking_back`` leaves out the agreements signed after
    ``as_of``.
    """
    from relint.report import Selection

    at = {"as_of": as_of.isoformat(), "until": until.isoformat(), "back": looking_back}
    plain = (
        "tacit_irregular IS NULL AND notice_given IS NULL AND suspensions = '[]'"
        " AND id NOT IN (SELECT agreement_id FROM terms)"
    )
    simple = (
        f"{plain} AND (NOT :back"
        " OR coalesce(signed, start) IS NULL OR coalesce(signed, start) <= :as_of)"
    )
    # One pass over the summary index, in its order: no sorting, and each agreement's
    # status computed once. Each agreement is one letter, its status and whether its record
    # is incomplete (_CODE), and each party and kind the string of its agreements' letters,
    # counted here: summing each status apart would compute it once for each status.
    counted: Counter[tuple[str | None, str, str]] = Counter()
    lacking_count = 0
    for party, kind, letters in conn.execute(
        f"SELECT party, kind, group_concat({_CODE}, '') FROM agreements WHERE {simple}"
        " GROUP BY party, kind",
        at,
    ):
        for letter, count in Counter(letters).items():
            status, incomplete = _CODED[letter]
            counted[(party, kind, "active" if status == "renewing" else status)] += count
            lacking_count += count if incomplete or status == "unknown" else 0
    # Of those renewing themselves, the ones whose tacit term in force ends in the window.
    renewing = f"""{simple.replace("id NOT IN", "a.id NOT IN")} AND a."end" < :as_of
        AND (a.terminated_on IS NULL OR a.terminated_on > :as_of)"""
    for party, kind, count in conn.execute(
        f"""SELECT party, kind, count(*) FROM agreements WHERE id IN (
            {_tacit_ending(conn, as_of, until, "1", renewing)}) GROUP BY party, kind""",
        at,
    ):
        counted[(party, kind, "active")] -= count
        counted[(party, kind, "expiring")] += count
    expired = f"""{simple} AND length("end") = 10 AND "end" < :as_of
        AND {_STATUS} = 'expired'"""
    dated = f'{simple} AND length("end") = 10 AND length(start) = 10'
    # The others, found by indexes: renewed by an act, given notice, suspended, or with
    # irregular tacit renewals.
    others = """SELECT agreement_id FROM terms UNION SELECT id FROM agreements
        WHERE notice_given IS NOT NULL UNION SELECT id FROM agreements
        WHERE suspensions != '[]' UNION SELECT id FROM agreements
        WHERE tacit_irregular IS NOT NULL"""
    return Selection(
        counts=[(party, kind, status, n) for (party, kind, status), n in counted.items() if n],
        expired=_some(conn, columns, expired, 'ORDER BY "end" DESC, id DESC', at),
        expired_count=sum(n for (*_, status), n in counted.items() if status == "expired"),
        lacking=_some(conn, columns, f"{simple} AND ({_LACKING})", "ORDER BY id", at),
        lacking_count=lacking_count,
        latest=_some(conn, columns, dated, 'ORDER BY "end" DESC, id', at),
        renewed=list(
            with_histories(
                conn, f"SELECT {columns} FROM agreements WHERE id IN ({others}) ORDER BY id"
            )
        ),
    )


def _some(
    conn: sqlite3.Connection, columns: str, where: str, order: str, at: dict[str, Any]
) -> list[Agreement]:
    from relint.report import SHOWN

    return list(
        with_histories(
            conn, f"SELECT {columns} FROM agreements WHERE {where} {order} LIMIT {SHOWN}", at
        )
    )


def _integer(value: object, damaged: str) -> int | None:
    if value is None or type(value) is int:
        return value
    raise RelintError(damaged)
