"""How an agreement's dates were reached, in words: ``relint show ID --explain``.

Pure: the same rules as ``relint.agreement``, told one date at a time, so that a
person who doubts a date reads the reason in one place.
"""

from __future__ import annotations

from datetime import date

from relint.agreement import Agreement, Status
from relint.dates import add_days
from relint.i18n import _, shown
from relint.kinds import DEFAULTS


def explain(agreement: Agreement, day: date) -> list[str]:
    """One line for each date of ``agreement`` as of ``day``, saying how it was reached."""
    rolled = agreement.in_force(day)
    kind = DEFAULTS[agreement.kind]
    lines = []
    before: date | None = None  # the end of the term before
    for number, term in enumerate(rolled.terms, start=1):
        where = _("term {number}").format(number=number)
        if term.tacit and before is not None:
            by = add_days(before, -(agreement.notice_days or 0))
            lines.append(
                _(
                    "{where}: {start} to {end}{clamp}, renewed by itself for {duration} ({rule}),"
                    " as no notice was given by {by}"
                ).format(
                    where=where, start=term.start, end=term.end, clamp=_clamp(term),
                    duration=shown("duration", str(term.duration)),
                    rule=_renewal_rule(agreement), by=by,
                )
            )  # fmt: skip
        elif term.end is None:
            reason = _("permanent") if term.duration and term.duration.permanent else _("not known")
            start = term.start or _("a start not known")
            lines.append(
                _("{where}: from {start}, no end ({reason})").format(
                    where=where, start=start, reason=reason
                )
            )
        elif term.start is not None and term.duration is not None:
            began = _(" (the signing date, the default)") if term.start == term.signed else ""
            lines.append(
                _("{where}: {start}{began} to {end}, start + {duration}{clamp}").format(
                    where=where, start=term.start, began=began, end=term.end,
                    duration=shown("duration", str(term.duration)), clamp=_clamp(term),
                )
            )  # fmt: skip
        else:
            lines.append(_("{where}: to {end}, as recorded").format(where=where, end=term.end))
        before = term.end.full if term.end else None
    if agreement.duration is not None and agreement.duration == kind.duration:
        lines.append(
            _("the duration {duration} is the default for a {kind}").format(
                duration=shown("duration", str(agreement.duration)),
                kind=shown("kind", agreement.kind.value),
            )
        )
    deadline = rolled.notice_deadline
    if deadline is not None:
        lines.append(
            _("notice deadline {deadline}: the end {end} minus {days} days").format(
                deadline=deadline, end=rolled.end, days=rolled.notice_days
            )
        )
    if agreement.notice_given is not None:
        lines.append(_notice(agreement, rolled, day))
    for s in agreement.suspensions:
        until = _("until {day}").format(day=s.until) if s.until else _("and still suspended")
        lines.append(
            _("suspended from {since} {until} ({reason}): no alerts, no renewal").format(
                since=s.since, until=until, reason=s.reason
            )
        )
    if agreement.terminated_on is not None:
        lines.append(
            _("terminated on {day}: {reason}").format(
                day=agreement.terminated_on, reason=agreement.termination_reason
            )
        )
    lines.append(
        _("as of {day}: {status}, term {term}").format(
            day=day, status=shown("status", rolled.status(day).value), term=rolled.number
        )
    )
    return lines


def _notice(agreement: Agreement, rolled: Agreement, day: date) -> str:
    """What the notice given did: the term it ends the agreement with, which is the next
    one when it came after the deadline of the term in force."""
    given = agreement.notice_given
    assert given is not None
    # It takes effect at the first end at least the notice period after it was given.
    ending = agreement.in_force(add_days(given.earliest(), agreement.notice_days or 0)).end
    said = _("notice given on {day}").format(day=given)
    if rolled.status(day) is Status.EXPIRED:
        return _("{said}: it ended on {end}").format(said=said, end=ending)
    deadline = rolled.last_notice_day
    late = (
        _(", as it came after {deadline}, the notice deadline of the term ending {end}").format(
            deadline=deadline, end=rolled.end
        )
        if deadline is not None and given.earliest() > deadline and ending != rolled.end
        else ""
    )
    return _("{said}: the agreement does not renew after the term ending {end}{late}").format(
        said=said, end=ending, late=late
    )


def _renewal_rule(agreement: Agreement) -> str:
    if agreement.renewal is not None:
        return _("the renewal period recorded")
    if agreement.duration is not None:
        return _("no renewal period recorded: the duration")
    return _("no renewal period or duration recorded: the default renewal of a {kind}").format(
        kind=shown("kind", agreement.kind.value)
    )


def _clamp(term: object) -> str:
    start, end = getattr(term, "start", None), getattr(term, "end", None)
    if start is None or end is None or start.day is None or end.day is None:
        return ""
    if end.day < start.day:
        return _(" (that month has no day {day}: its last day)").format(day=start.day)
    return ""
