"""relint remind: the reminders due, each sent once, and the ledger of those sent."""

from __future__ import annotations

import sys
from datetime import date
from typing import Any

import typer

from relint.cli import spec
from relint.cli.options import taking
from relint.cli.typer_app import registry, today
from relint.durations import Window
from relint.reminders import Reminder, due
from relint.render import Format
from relint.store import ledger
from relint.text import printable
from relint.writers import write_json

commands = typer.Typer()  # the commands of this module; see relint.cli.typer_app.COMMANDS


@commands.command("remind")
@taking(spec.REMIND)
def remind(
    ctx: typer.Context,
    steps: tuple[Window, ...],
    as_of: date | None,
    dry_run: bool,
    fmt: Format,
    sent: bool,
    quiet: bool,  # it says nothing on stderr but errors anyway
) -> None:
    """Remind of notice deadlines and ends, each once: print them, and record them.

    A reminder is due at each step before an event (90, 30 and 7 days by default);
    of the steps due, only the nearest is given, so that a night skipped catches up
    with one. When nothing is due, nothing at all is printed: cron sends no mail.
    """
    if sent:
        entries = registry(ctx).sent()
        if fmt is Format.JSON:
            write_json(entries, sys.stdout, lines=False, fields=ledger.FIELDS)
        else:
            for entry in entries:
                typer.echo(printable(
                    f"{entry['sent_at']}  agreement {entry['agreement_id']} term {entry['term']}"
                    f"  {entry['event']} {entry['event_on']}  step {entry['step']}"
                    f"  to {entry['sent_to']}"
                ))  # fmt: skip
        return
    day = as_of or today(ctx)
    last = max(step.end(day) for step in steps)  # the furthest event a step reaches
    if dry_run:
        reg = registry(ctx)
        found = due(reg.ending_between(day, last), day, steps, today(ctx))
        unsent = set(reg.unsent([r.key for r in found]))
        _write([r for r in found if r.key in unsent], fmt)
        return
    reg = registry(ctx, "remind")
    with reg.transaction():  # the write lock: two runs at once give each reminder once
        found = due(reg.ending_between(day, last), day, steps, today(ctx))
        unsent = set(reg.unsent([r.key for r in found]))
        chosen = [r for r in found if r.key in unsent]
        _write(chosen, fmt)  # before the commit: at worst given twice, never lost
        reg.record_sent([r.key for r in chosen], "stdout")


def _write(reminders: list[Reminder], fmt: Format) -> None:
    if fmt is Format.JSON:
        write_json([_plain(r) for r in reminders], sys.stdout, lines=False, fields=REMINDER_FIELDS)
        return
    for reminder in reminders:
        typer.echo(printable(_said(reminder)))


REMINDER_FIELDS = ("id", "counterpart", "party", "kind", "term", "event", "event_on",
                   "step", "step_days", "days_left", "renews")  # fmt: skip


def _plain(reminder: Reminder) -> dict[str, Any]:
    a = reminder.agreement
    return {
        "id": a.id, "counterpart": a.counterpart, "party": a.party, "kind": a.kind.value,
        "term": a.number, "event": reminder.event, "event_on": reminder.on.isoformat(),
        "step": str(reminder.step), "step_days": reminder.step_days,
        "days_left": reminder.days_left, "renews": a.auto_renew and not a.noticed(reminder.day),
    }  # fmt: skip


def _said(reminder: Reminder) -> str:
    """One line a person reads in cron's mail: what, with whom, when, what to do."""
    a = reminder.agreement
    party = f" ({a.party})" if a.party else ""
    when = "today" if reminder.days_left == 0 else f"in {reminder.days_left} days"
    renews = a.auto_renew and not a.noticed(reminder.day)
    if reminder.event == "notice":
        what = "notice deadline"
        todo = "give notice by then, or it renews" if renews else "decide by then"
    else:
        what = "ends"
        todo = "it renews by itself unless notice was given" if renews else "renew it or let it end"
    return (f"Agreement {a.id}, {a.kind.value} with {a.counterpart}{party}, term {a.number}:"
            f" {what} {reminder.on} ({when}): {todo}.")  # fmt: skip
