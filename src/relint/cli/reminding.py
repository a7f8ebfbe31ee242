"""relint remind: the reminders due, each sent once, and the ledger of those sent."""

from __future__ import annotations

import dataclasses
import sys
from datetime import date
from email.utils import parseaddr
from typing import Any

import typer

from relint.cli import spec
from relint.cli.options import taking
from relint.cli.typer_app import registry, today
from relint.dates import add_days
from relint.durations import Window
from relint.errors import RelintError
from relint.reminders import STEPS, Reminder, due, parse_steps
from relint.render import Format
from relint.settings import Settings, load, location
from relint.store import ledger
from relint.text import printable
from relint.writers import write_json

commands = typer.Typer()  # the commands of this module; see relint.cli.typer_app.COMMANDS


@commands.command("remind")
@taking(spec.REMIND)
def remind(
    ctx: typer.Context,
    steps: tuple[Window, ...] | None,
    as_of: date | None,
    dry_run: bool,
    fmt: Format,
    sent: bool,
    mail: bool,
    to: list[str] | None,
    sender: str | None,
    smtp: tuple[str, int | None] | None,
    quiet: bool,  # it says nothing on stderr but errors anyway
) -> None:
    """Remind of notice deadlines and ends, each once: print them, or mail them, and
    record them.

    A reminder is due at each step before an event (90, 30 and 7 days by default);
    of the steps due, only the nearest is given, so that a night skipped catches up
    with one. When nothing is due, nothing at all is printed: cron sends no mail.
    Mail settings are read from the settings file (see the README).
    """
    if sent:
        _list_sent(registry(ctx).sent(), fmt)
        return
    settings = load()
    if smtp is not None:
        settings = dataclasses.replace(settings, host=smtp[0], port=smtp[1] or settings.port)
    steps = steps or parse_steps(settings.steps or STEPS)
    day = as_of or today(ctx)
    # The furthest event a step can be due for on day: day plus the step, and up to 3
    # days more for a month step counted back from a longer month's end (31 May less 3
    # months is 28 February); due() applies the exact rule.
    last = add_days(max(step.end(day) for step in steps), 3)
    mailing = mail or bool(to)
    if dry_run:
        reg = registry(ctx)
        found = due(reg.ending_between(day, last), day, steps, today(ctx))
        unsent = set(reg.unsent([r.key for r in found]))
        _write([r for r in found if r.key in unsent], fmt)
        return
    reg = registry(ctx, "remind")
    failures: list[RelintError] = []
    any_sent = False
    with reg.transaction():  # the write lock: two runs at once give each reminder once
        found = due(reg.ending_between(day, last), day, steps, today(ctx))
        unsent = set(reg.unsent([r.key for r in found]))
        chosen = [r for r in found if r.key in unsent]
        if not mailing:
            _write(chosen, fmt)  # before the commit: at worst given twice, never lost
            reg.record_sent([r.key for r in chosen], "stdout")
            return
        from relint.mail import message, send  # smtplib and ssl: only to mail

        groups = _addressed(chosen, tuple(to or ()), settings)
        mailer = _sender(sender, settings)
        for recipients, group in groups.items():  # every group, whatever befell the last
            try:
                letter = message(group, [_said(r) for r in group], mailer, recipients)
                refused = send(letter, settings)
            except RelintError as error:
                failures.append(error)  # not recorded: the next run sends it
                continue
            # Accepted for some: recorded for them, and the refused ones said.
            accepted = [r for r in recipients if parseaddr(r)[1] not in refused]
            reg.record_sent([r.key for r in group], ", ".join(accepted))
            any_sent = True
            if refused:
                said = ", ".join(sorted(refused))
                failures.append(RelintError(f"the mail server refused {said}"))
        if failures and not any_sent:
            raise _failed(failures)  # nothing sent, nothing recorded: exit 1
    if failures:
        raise _failed(failures)  # those sent stay recorded: the exit code says so


def _failed(failures: list[RelintError]) -> RelintError:
    more = f" (and {len(failures) - 1} more lists of recipients)" if len(failures) > 1 else ""
    return RelintError(f"{failures[0]}{more}")


def _addressed(
    reminders: list[Reminder], to: tuple[str, ...], settings: Settings
) -> dict[tuple[str, ...], list[Reminder]]:
    """The reminders for each list of recipients: ``to``, else the party's in the
    settings, else the settings' own."""
    groups: dict[tuple[str, ...], list[Reminder]] = {}
    for reminder in reminders:
        party = reminder.agreement.party or ""
        recipients = to or settings.to_by_party.get(party) or settings.to
        if not recipients:
            raise RelintError(f"no one to mail: give --to, or set mail.to in {location()}")
        groups.setdefault(recipients, []).append(reminder)
    return groups


def _sender(given: str | None, settings: Settings) -> str:
    sender = given or settings.sender
    if not sender:
        raise RelintError(f"no sender: give --from, or set mail.from in {location()}")
    return sender


def _list_sent(entries: list[dict[str, Any]], fmt: Format) -> None:
    if fmt is Format.JSON:
        write_json(entries, sys.stdout, lines=False, fields=ledger.FIELDS)
        return
    for entry in entries:
        typer.echo(printable(
            f"{entry['sent_at']}  agreement {entry['agreement_id']} term {entry['term']}"
            f"  {entry['event']} {entry['event_on']}  step {entry['step']}"
            f"  to {entry['sent_to']}"
        ))  # fmt: skip


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
