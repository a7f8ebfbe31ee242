"""A calendar feed (RFC 5545) of the ends and notice deadlines of agreements.

One all-day event for each dated end of a term and for each notice deadline,
past and future, with a reminder. An agreement that renews itself also has the
events of its tacit terms, up to the term after the one in force on the as-of
date: the coming renewal and its notice deadline are always on the calendar, and
the next export adds the one after. UIDs name the agreement, the term and the
event, so that a subscribed calendar updates an event when its date changes
rather than adding another. The icalendar library is imported only here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta

from relint import __version__
from relint.agreement import Agreement, Term
from relint.dates import PartialDate, add_days
from relint.errors import RelintError

REMINDER = timedelta(days=14)
PRODID = f"-//relint//relint {__version__}//EN"


def events(agreement: Agreement, shown: tuple[Term, ...]) -> Iterator[tuple[str, date, int, Term]]:
    """(what, when, term number, term) of each event of ``agreement`` in the terms
    ``shown`` (see ``terms``): "end" and "notice" for each term with an end known to the
    day, none past a termination."""
    stop = agreement.terminated_on.earliest() if agreement.terminated_on else None
    for number, term in enumerate(shown, start=1):
        end = term.end.full if term.end else None
        if end is None or (term.duration is not None and term.duration.permanent):
            continue
        if agreement.notice_days is not None:
            deadline = add_days(end, -agreement.notice_days)
            if stop is None or deadline <= stop:
                yield "notice", deadline, number, term
        if stop is None or end <= stop:
            yield "end", end, number, term


def terms(agreement: Agreement, as_of: date) -> tuple[Term, ...]:
    """The terms the calendar shows: the recorded ones and, when the agreement renews
    itself, its tacit terms up to the one after the term in force on ``as_of`` (or up to
    the last one, when notice, a suspension or a termination stops it renewing first).

    The rules are ``Agreement.in_force``'s: the term after the one in force on
    ``as_of`` is the one in force the day after its end.
    """
    recorded = agreement.terms
    if not agreement.auto_renew:
        return recorded
    following = _the_day_after(agreement, agreement.in_force(as_of).end)
    return following.terms if following is not None and following.tacit else recorded


def _stops_after(agreement: Agreement, shown: tuple[Term, ...]) -> bool:
    """Whether ``agreement`` renews itself but not after the last of the terms ``shown``:
    the day after that term's end, that term is still the one in force."""
    if not agreement.auto_renew:
        return False
    following = _the_day_after(agreement, shown[-1].end)
    return following is not None and following.terms == shown


def _the_day_after(agreement: Agreement, end: PartialDate | None) -> Agreement | None:
    """``agreement`` in force the day after ``end``: in the term after the one ending
    then, or in that term still once it stopped renewing. None without a dated end,
    past the calendar, or when the records known then are not all of them (a renewal
    whose act is signed later counts from its signing: its term comes next)."""
    day = end.full if end else None
    if day is None:
        return None
    try:
        following = agreement.in_force(add_days(day, 1))
    except RelintError:  # the day, or the end of the next term, is past the year 9999
        return None
    recorded = agreement.terms
    return following if following.terms[: len(recorded)] == recorded else None


def calendar(agreements: Iterable[Agreement], stamp: datetime, as_of: date) -> Iterator[bytes]:
    """The calendar as of ``as_of``, piece by piece, so that memory does not grow with
    the registry.

    ``stamp`` is the DTSTAMP of every event: when the feed was made (UTC).
    """
    from icalendar import Alarm, Calendar, Event

    head = Calendar()
    head.add("prodid", PRODID)
    head.add("version", "2.0")
    head.add("calscale", "GREGORIAN")
    head.add("x-wr-calname", "relint: agreements")
    opening, closing = head.to_ical().rsplit(b"END:VCALENDAR", 1)
    yield opening
    for agreement in agreements:
        shown = terms(agreement, as_of)
        last = len(shown) if _stops_after(agreement, shown) else None
        for what, day, number, term in events(agreement, shown):
            event = Event()
            event.add("uid", f"relint-{agreement.id}-{number}-{what}@relint")
            event.add("dtstamp", stamp)
            event.add("dtstart", day)  # a date and no end: an all-day event (RFC 5545, 3.6.1)
            event.add("summary", _summary(agreement, what))
            event.add("description", _description(agreement, what, term, number, number == last))
            event.add("categories", [agreement.kind.value])
            event.add("transp", "TRANSPARENT")
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", _summary(agreement, what))
            alarm.add("trigger", -REMINDER)
            event.add_component(alarm)
            yield event.to_ical()
    yield b"END:VCALENDAR" + closing


def _summary(agreement: Agreement, what: str) -> str:
    subject = f"{agreement.kind.value} with {agreement.counterpart}"
    return f"Notice deadline: {subject}" if what == "notice" else f"Ends: {subject}"


def _description(agreement: Agreement, what: str, term: Term, number: int, last: bool) -> str:
    """What the event is about; ``last``: the term after which it stops renewing itself."""
    tacit = " (tacit renewal)" if term.tacit else ""
    lines = [
        f"Agreement {agreement.id}: {agreement.title or agreement.kind.value}",
        f"Party: {agreement.party or '-'}",
        f"Counterpart: {agreement.counterpart} ({agreement.country or '-'})",
        f"Term {number}{tacit}: {term.start or '?'} to {term.end}",
    ]
    if what == "notice":
        lines.append(f"Notice of {agreement.notice_days} days is due before the end.")
    if agreement.auto_renew and last:
        lines.append(f"Does not renew{_why_not(agreement, term)}.")
    elif agreement.auto_renew:
        lines.append("Renews tacitly unless notice is given.")
    elif agreement.renewable:
        lines.append("Renewable.")
    return "\n".join(lines)


def _why_not(agreement: Agreement, term: Term) -> str:
    """Why an agreement that renews itself does not renew after ``term``, as recorded."""
    end = term.end.full if term.end else None
    reasons = []
    if agreement.notice_given is not None:
        reasons.append(f"notice of non-renewal given on {agreement.notice_given}")
    reasons.extend(
        f"suspended from {s.since}" for s in agreement.suspensions if end and s.covers(end)
    )
    if agreement.terminated_on is not None:
        reasons.append(f"terminated on {agreement.terminated_on}")
    return ": " + "; ".join(reasons) if reasons else ""
