"""Tacit renewals: the terms an agreement renews itself for, computed for any day.

Pure. Each tacit term starts at the end of the term before and lasts the renewal
period, by the calendar rule of durations applied term after term: the same day of
the month, else the month's last day, so that 2016-02-29 + 1y + 1y is 2018-02-28
(and 2016-01-31 + 1m + 1m is 2016-03-29). Once an end falls on a day that every
month it can reach has (the 28th, or the 31st of a January renewed every year), no
later end is cut short again: the n-th end is then the same day, n periods on, which
lets an end far ahead be found in a few steps rather than one step a term.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from functools import cache
from typing import NamedTuple

from relint.dates import add_days, add_months, days_in_month


@cache
def safe_day(month: int, months: int) -> int:
    """The last day of the month an end may fall on, in ``month``, and never be cut
    short again when terms of ``months`` follow: the shortest of the months those
    terms end in (February counted in a common year, 28 days)."""
    visited = {(month - 1 + k * months) % 12 + 1 for k in range(12)}
    return min(days_in_month(2001, m) for m in visited)


def ends(first: date, months: int) -> Iterator[date]:
    """The ends of the terms from the one ending on ``first``, each ``months`` long,
    one after the other: ``first``, then each next end from the one before."""
    end = first
    while True:
        yield end
        end = add_months(end, months)


def nth_end(first: date, months: int, n: int) -> date:
    """The end of the ``n``-th term after the one ending on ``first`` (``first`` for 0),
    as ``ends`` gives it, in a few steps whatever ``n``."""
    end = first
    while n and end.day > safe_day(end.month, months):  # it may be cut short: step by step
        end = add_months(end, months)
        n -= 1
    return add_months(end, months * n) if n else end


def anchor(first: date, months: int) -> date:
    """The first end, from ``first`` on, that no later end is cut short from: from it on,
    every end falls on its day, a whole number of periods later."""
    end = first
    while end.day > safe_day(end.month, months):
        end = add_months(end, months)
    return end


def first_reaching(first: date, months: int, bound: date) -> int:
    """The smallest ``n`` whose end (``nth_end``) falls on or after ``bound``."""
    n, end = 0, first
    while end < bound and end.day > safe_day(end.month, months):
        n, end = n + 1, add_months(end, months)
    if end >= bound:
        return n
    gap = (bound.year - end.year) * 12 + bound.month - end.month  # whole months, > 0
    k = gap // months  # its end falls in bound's month or before
    while add_months(end, months * k) < bound:
        k += 1
    return n + k


# A named tuple, not a dataclass: made ten times faster, as every command starts.
class Stops(NamedTuple):
    """What stops an agreement from renewing itself: notice of non-renewal given on
    ``notice_given`` (effective at the first end at least ``notice_days`` later), a
    termination on ``terminated_on``, and the periods it was ``suspended`` (from, and
    until when resumed; None: still suspended), during which no term renews."""

    notice_days: int | None = None
    notice_given: date | None = None
    terminated_on: date | None = None
    suspended: tuple[tuple[date, date | None], ...] = ()


def last_term(first: date, months: int, stops: Stops) -> int | None:
    """The number of the last term the agreement runs for, counting the one ending on
    ``first`` as 0; None while nothing stops it renewing."""
    found = []
    if stops.notice_given is not None:
        found.append(
            first_reaching(first, months, add_days(stops.notice_given, stops.notice_days or 0))
        )
    if stops.terminated_on is not None:
        found.append(first_reaching(first, months, stops.terminated_on))
    for since, until in stops.suspended:
        n = first_reaching(first, months, since)  # the first end from the suspension on
        if until is None or nth_end(first, months, n) < until:
            found.append(n)
    return min(found, default=None)


def in_force(first: date, months: int, day: date, stops: Stops) -> int:
    """The number of the term in force on ``day`` (counting the one ending on ``first``
    as 0), or of the last term once the agreement stopped renewing."""
    last = last_term(first, months, stops)
    if last is not None and nth_end(first, months, last) < day:  # it stopped before
        return last
    return first_reaching(first, months, day)
