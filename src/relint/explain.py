"""How an agreement's dates were reached, in words: ``relint show ID --explain``.

Pure: the same rules as ``relint.agreement``, told one date at a time, so that a
person who doubts a date reads the reason in one place.
"""

from __future__ import annotations

from datetime import date

from relint.agreement import Agreement, Status
from relint.dates import add_days
from relint.kinds import DEFAULTS


def explain(agreement: Agreement, day: date) -> list[str]:
    """One line for each date of ``agreement`` as of ``day``, saying how it was reached."""
    rolled = agreement.in_force(day)
    kind = DEFAULTS[agreement.kind]
    lines = []
    before: date | None = None  # the end of the term before
    for number, term in enumerate(rolled.terms, start=1):
        where = f"term {number}"
        if term.tacit and before is not None:
            by = add_days(before, -(agreement.notice_days or 0))
            lines.append(
                f"{where}: {term.start} to {term.end}{_clamp(term)}, renewed by itself for "
                f"{term.duration} ({_renewal_rule(agreement)}), as no notice was given by {by}"
            )
        elif term.end is None:
            reason = "permanent" if term.duration and term.duration.permanent else "not known"
            lines.append(f"{where}: from {term.start or 'a start not known'}, no end ({reason})")
        elif term.start is not None and term.duration is not None:
            began = " (the signing date, the default)" if term.start == term.signed else ""
            lines.append(
                f"{where}: {term.start}{began} to {term.end}, start + {term.duration}{_clamp(term)}"
            )
        else:
            lines.append(f"{where}: to {term.end}, as recorded")
        before = term.end.full if term.end else None
    if agreement.duration is not None and agreement.duration == kind.duration:
        lines.append(f"the duration {agreement.duration} is the default for a {agreement.kind}")
    deadline = rolled.notice_deadline
    if deadline is not None:
        lines.append(
            f"notice deadline {deadline}: the end {rolled.end} minus {rolled.notice_days} days"
        )
    if agreement.notice_given is not None:
        lines.append(_notice(agreement, rolled, day))
    for s in agreement.suspensions:
        until = f"until {s.until}" if s.until else "and still suspended"
        lines.append(f"suspended from {s.since} {until} ({s.reason}): no alerts, no renewal")
    if agreement.terminated_on is not None:
        lines.append(f"terminated on {agreement.terminated_on}: {agreement.termination_reason}")
    lines.append(f"as of {day}: {rolled.status(day).value}, term {rolled.number}")
    return lines


def _notice(agreement: Agreement, rolled: Agreement, day: date) -> str:
    """What the notice given did: the term it ends the agreement with, which is the next
    one when it came after the deadline of the term in force."""
    given = agreement.notice_given
    assert given is not None
    # It takes effect at the first end at least the notice period after it was given.
    ending = agreement.in_force(add_days(given.earliest(), agreement.notice_days or 0)).end
    said = f"notice given on {given}"
    if rolled.status(day) is Status.EXPIRED:
        return f"{said}: it ended on {ending}"
    deadline = rolled.last_notice_day
    late = (
        f", as it came after {deadline}, the notice deadline of the term ending {rolled.end}"
        if deadline is not None and given.earliest() > deadline and ending != rolled.end
        else ""
    )
    return f"{said}: the agreement does not renew after the term ending {ending}{late}"


def _renewal_rule(agreement: Agreement) -> str:
    if agreement.renewal is not None:
        return "the renewal period recorded"
    if agreement.duration is not None:
        return "no renewal period recorded: the duration"
    return f"no renewal period or duration recorded: the default renewal of a {agreement.kind}"


def _clamp(term: object) -> str:
    start, end = getattr(term, "start", None), getattr(term, "end", None)
    if start is None or end is None or start.day is None or end.day is None:
        return ""
    if end.day < start.day:
        return f" (that month has no day {start.day}: its last day)"
    return ""
