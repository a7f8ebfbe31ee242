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
from relint.cli.typer_app import now, registry, today
from relint.dates import add_days
from relint.durations import Window
from relint.errors import RelintError
from relint.reminders import STEPS, Reminder, due, parse_steps, renews
from relint.render import Format
from relint.settings import Settings, load, location
from relint.store import Registry, ledger
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
    settings = _server(load(), smtp)
    steps = steps or parse_steps(settings.steps or STEPS)
    day = as_of or today(ctx)
    if day > today(ctx) and not dry_run:
        raise RelintError(
            f"--as-of {day} is after today: give --dry-run too, for the reminders recorded"
            " as sent that day would never be sent"
        )
    # The furthest event a step can be due for on day: day plus the step, and up to 3
    # days more for a month step counted back from a longer month's end (31 May less 3
    # months is 28 February); due() applies the exact rule.
    last = add_days(max(step.end(day) for step in steps), 3)

    def unsent(reg: Registry) -> list[Reminder]:
        found = due(reg.ending_between(day, last), day, steps, today(ctx))
        left = set(reg.unsent([r.key for r in found], now(ctx)))
        return [r for r in found if r.key in left]

    if dry_run:
        _write(unsent(registry(ctx)), fmt)
        return
    reg = registry(ctx, "remind")
    if not (mail or to):
        with reg.transaction():  # the write lock: two runs at once give each reminder once
            chosen = unsent(reg)
            _write(chosen, fmt)  # before the commit: at worst given twice, never lost
            reg.record_sent([r.key for r in chosen], "stdout")
        return
    with reg.transaction():  # claimed under the lock, sent with it released
        chosen = unsent(reg)
        groups = _addressed(chosen, tuple(to or ()), settings)
        mailer = _sender(sender, settings)
        reg.claim([r.key for r in chosen])
    _mail(reg, groups, mailer, settings)


def _mail(reg: Registry, groups: dict[tuple[str, ...], list[Reminder]], sender: str,
          settings: Settings) -> None:  # fmt: skip
    """Send each list of recipients its reminders, then record those the server accepted
    and release the others' claims, whatever stopped the sending."""
    from relint.mail import message, send  # smtplib and ssl: only to mail

    failures: list[RelintError] = []
    accepted: list[tuple[list[Reminder], str]] = []
    try:
        for recipients, group in groups.items():  # every group, whatever befell the last
            try:
                refused = send(message(group, [_said(r) for r in group], sender, recipients),
                               settings)  # fmt: skip
            except RelintError as error:
                failures.append(error)  # not recorded: the next run sends it
                continue
            # Accepted for some: recorded for them, and the refused ones said.
            taken = [r for r in recipients if parseaddr(r)[1] not in refused]
            accepted.append((group, ", ".join(taken)))
            if refused:
                failures.append(
                    RelintError(f"the mail server refused {', '.join(sorted(refused))}")
                )
    finally:
        with reg.transaction():
            for group, sent_to in accepted:
                reg.record_sent([r.key for r in group], sent_to)
            reg.release([r.key for group in groups.values() for r in group])
        reg.committed = bool(accepted)  # claims taken and dropped changed nothing
    if failures:  # exit 1 when nothing was sent; 3 when those sent stay recorded
        raise _failed(failures)


def _server(settings: Settings, smtp: tuple[str, int | None] | None) -> Settings:
    """The settings with ``--smtp HOST[:PORT]`` in place of the file's server. The file's
    login goes only to the file's own host; the port, when not given, is the file's for
    that host, else the one for its security."""
    if smtp is None:
        return settings
    host, port = smtp
    if host == settings.host:
        return dataclasses.replace(settings, port=port or settings.port)
    return dataclasses.replace(settings, host=host, port=port, user=None, password_env=None)


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
        "days_left": reminder.days_left, "renews": renews(a, reminder.day),
    }  # fmt: skip


def _said(reminder: Reminder) -> str:
    """One line a person reads in cron's mail: what, with whom, when, what to do."""
    a = reminder.agreement
    party = f" ({a.party})" if a.party else ""
    when = "today" if reminder.days_left == 0 else f"in {reminder.days_left} days"
    what = "notice deadline" if reminder.event == "notice" else "ends"
    return (f"Agreement {a.id}, {a.kind.value} with {a.counterpart}{party}, term {a.number}:"
            f" {what} {reminder.on} ({when}): {_todo(reminder)}.")  # fmt: skip


def _todo(reminder: Reminder) -> str:
    """What to do about the event, as the agreement stands on the reminder's day."""
    a, day = reminder.agreement, reminder.day
    if reminder.event == "notice":
        return "give notice by then, or it renews" if a.auto_renew else "decide by then"
    if not a.auto_renew:
        return "renew it or let it end"
    if not renews(a, day):
        return "it ends: notice was given"
    if a.noticed(day):
        return "notice came after the deadline: it renews once more, then ends"
    last = a.notice_deadline or reminder.on
    if day <= last:
        return f"it renews by itself unless notice is given by {last}"
    return f"it renews by itself (the notice deadline, {last}, has passed)"
