"""Staged reminders: which reminder is due for each event of an agreement, on a day.

Pure. An event is a notice deadline or an end of the term in force. A reminder is
due at a step S (a window: days, or calendar months) from the event's date less S
through the event's date. Of the steps due for one event, only the nearest to the
event counts, so that a run after a skipped night sends one reminder, not one for
every step it missed. A reminder is known by its agreement, term, event, the
event's date and the step: a new date (an edit, a renewal, a tacit term rolling
over) makes a new event, whose reminders are due again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from relint.agreement import Agreement, Status
from relint.durations import Window, parse_window
from relint.errors import RelintError
from relint.i18n import _

STEPS = "90d,30d,7d"


def parse_steps(text: str) -> tuple[Window, ...]:
    """Read ``90d,30d,7d`` (or months and years: ``3m,1m``): the steps, each once."""
    words = [word.strip() for word in text.split(",")]
    if not all(words):
        raise RelintError(
            _("not a list of steps: {text!r}; use e.g. {STEPS}").format(text=text, STEPS=STEPS)
        )
    steps = {parse_window(word) for word in words}
    return tuple(sorted(steps, key=lambda step: step.months * 31 + step.days))


def due_step(event_on: date, day: date, steps: Iterable[Window]) -> Window | None:
    """The step due on ``day`` for an event on ``event_on``: of those whose window
    (from ``event_on`` less the step through ``event_on``) holds ``day``, the nearest
    to the event. None when no step is due."""
    due = [step for step in steps if step.start(event_on) <= day <= event_on]
    return max(due, key=lambda step: step.start(event_on), default=None)


@dataclass(frozen=True)
class Reminder:
    """A reminder due on ``day``: ``event`` ("notice" or "end") of ``agreement`` (as in
    force then) falls on ``on``, and ``step`` is the step it is due at."""

    agreement: Agreement
    event: str
    on: date
    step: Window
    day: date

    @property
    def key(self) -> tuple[int, int, str, str, str]:
        """What the ledger knows it by: agreement, term, event, its date, the step."""
        return (self.agreement.id or 0, self.agreement.number, self.event,
                self.on.isoformat(), str(self.step))  # fmt: skip

    @property
    def days_left(self) -> int:
        return (self.on - self.day).days

    @property
    def step_days(self) -> int:
        """The step, in days before this event."""
        return (self.on - self.step.start(self.on)).days


def due(
    agreements: Iterable[Agreement], day: date, steps: Sequence[Window], today: date
) -> list[Reminder]:
    """The reminders due on ``day``, soonest event first: for each agreement that can
    alert (active or expiring in the term in force), its notice deadline (unless notice
    was given) and its end. An agreement whose next term is recorded already, to count
    from a later day, needs no reminder of the term before it."""
    found = []
    for recorded in agreements:
        if not recorded.on_record(day, today) or recorded.known_on(day) is not recorded:
            continue  # not signed yet; or renewed already, by a term recorded to follow
        agreement = recorded.in_force(day)
        if agreement.status(day) not in (Status.ACTIVE, Status.EXPIRING):
            continue
        end = agreement.end.full if agreement.end else None
        assert end is not None
        events = [("end", end)]
        deadline = agreement.notice_deadline
        if deadline is not None and not agreement.noticed(day):
            events.insert(0, ("notice", deadline))
        for event, on in events:
            step = due_step(on, day, steps)
            if step is not None:
                found.append(Reminder(agreement, event, on, step, day))
    found.sort(key=lambda r: (r.on, r.agreement.id or 0, r.event))
    return found


def renews(agreement: Agreement, day: date) -> bool:
    """Whether the term in force renews itself at its end, as things stand on ``day``: it
    renews tacitly, and no notice came by its notice deadline (its end, with no notice
    period). Notice given later ends the agreement a term after."""
    if not agreement.auto_renew or not agreement.noticed(day):
        return agreement.auto_renew
    assert agreement.notice_given is not None
    assert agreement.end is not None
    last = agreement.notice_deadline or agreement.end.full
    return last is not None and agreement.notice_given.earliest() > last
