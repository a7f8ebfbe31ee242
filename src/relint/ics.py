"""A calendar feed (RFC 5545) of the ends and notice deadlines of agreements.

One all-day event for each dated end of a term and for each notice deadline,
past and future, with a reminder. UIDs name the agreement, the term and the
event, so that a subscribed calendar updates an event when its date changes
rather than adding another. The icalendar library is imported only here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta

from relint import __version__
from relint.agreement import Agreement, Term
from relint.dates import add_days

REMINDER = timedelta(days=14)
PRODID = f"-//relint//relint {__version__}//EN"


def events(agreement: Agreement) -> Iterator[tuple[str, date, int, Term]]:
    """(what, when, term number, term) of each event ``agreement`` has: "end" and
    "notice" for each term with an end known to the day, none past a termination."""
    stop = agreement.terminated_on.earliest() if agreement.terminated_on else None
    for number, term in enumerate(agreement.terms, start=1):
        end = term.end.full if term.end else None
        if end is None or (term.duration is not None and term.duration.permanent):
            continue
        if agreement.notice_days is not None:
            deadline = add_days(end, -agreement.notice_days)
            if stop is None or deadline <= stop:
                yield "notice", deadline, number, term
        if stop is None or end <= stop:
            yield "end", end, number, term


def calendar(agreements: Iterable[Agreement], stamp: datetime) -> Iterator[bytes]:
    """The calendar, piece by piece, so that memory does not grow with the registry.

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
        for what, day, number, term in events(agreement):
            event = Event()
            event.add("uid", f"relint-{agreement.id}-{number}-{what}@relint")
            event.add("dtstamp", stamp)
            event.add("dtstart", day)  # a date and no end: an all-day event (RFC 5545, 3.6.1)
            event.add("summary", _summary(agreement, what))
            event.add("description", _description(agreement, what, term, number))
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


def _description(agreement: Agreement, what: str, term: Term, number: int) -> str:
    lines = [
        f"Agreement {agreement.id}: {agreement.title or agreement.kind.value}",
        f"Party: {agreement.party or '-'}",
        f"Counterpart: {agreement.counterpart} ({agreement.country or '-'})",
        f"Term {number}: {term.start or '?'} to {term.end}",
    ]
    if what == "notice":
        lines.append(f"Notice of {agreement.notice_days} days is due before the end.")
    if agreement.auto_renew:
        lines.append("Renews tacitly unless notice is given.")
    elif agreement.renewable:
        lines.append("Renewable.")
    return "\n".join(lines)
