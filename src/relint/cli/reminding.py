"""relint remind: the reminders due, each sent once, and the ledger of those sent."""

from __future__ import annotations

import dataclasses
import sys
from datetime import date, timedelta
from typing import Any

from relint import i18n
from relint.cli.messages import echo
from relint.cli.session import Session
from relint.dates import add_days
from relint.durations import Window
from relint.errors import DONE, PartlyDone, RelintError
from relint.i18n import _, ngettext, shown
from relint.reminders import STEPS, Reminder, due, parse_steps, renews
from relint.render import Format
from relint.settings import Settings, bare, load, location
from relint.store import Registry, ledger
from relint.text import printable
from relint.writers import write_json


def remind(
    session: Session,
    *,
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
) -> int:
    """Remind of notice deadlines and ends, each once: print them, or mail them, and
    record them.

    A reminder is due at each step before an event (90, 30 and 7 days by default);
    of the steps due, only the nearest is given, so that a night skipped catches up
    with one. When nothing is due, nothing at all is printed: cron sends no mail.
    Mail settings: $RELINT_CONFIG, else ~/.config/relint/config.toml (the README
    lists every key). --dry-run looks without giving.
    """
    if sent:
        _list_sent(session.registry(quiet=quiet).sent(), fmt)
        return DONE
    settings = _server(load(), smtp)
    steps = steps or parse_steps(settings.steps or STEPS)
    day = as_of or session.today
    if day > session.today and not dry_run:
        raise RelintError(
            _(
                "--as-of {day} is after today: give --dry-run too, for the reminders recorded as "
                "sent that day would never be sent"
            ).format(day=day)
        )
    # The furthest event a step can be due for on day: day plus the step, and up to 3
    # days more for a month step counted back from a longer month's end (31 May less 3
    # months is 28 February); due() applies the exact rule.
    last = add_days(max(step.end(day) for step in steps), 3)

    mailing = bool(mail or to)

    def pending(reg: Registry) -> Plan:
        """The reminders due and not yet given, by the recipients still to get them."""
        found = due(reg.ending_between(day, last), day, steps, session.today)
        plan = Plan()
        wanted = []
        for r in found:
            everyone = _recipients(r, tuple(to or ()), settings) if mailing else (STDOUT,)
            if not everyone:
                plan.unaddressed.append(r)
            for whom in everyone:
                plan.names.setdefault(_bare(whom), whom)
            wanted.append((r, tuple(dict.fromkeys(_bare(whom) for whom in everyone))))
        left = set(reg.unsent([(r.key, whom) for r, everyone in wanted for whom in everyone],
                              session.now))  # fmt: skip
        for r, everyone in wanted:
            still = tuple(whom for whom in everyone if (r.key, whom) in left)
            if still:
                plan.groups.setdefault(still, []).append(r)
                plan.chosen.append(r)
        return plan

    if dry_run:
        plan = pending(session.registry(quiet=quiet))
        _write(plan.chosen, fmt)
        if mailing and plan.chosen:  # a run would mail them: say now what it would lack
            _sender(sender, settings)
        if mailing and plan.unaddressed:
            raise _nobody(plan.unaddressed)
        return DONE
    reg = session.registry("remind", quiet=quiet)
    if not mailing:
        with reg.transaction():  # the write lock: two runs at once give each reminder once
            chosen = pending(reg).chosen
            _write(chosen, fmt)  # before the commit: at worst given twice, never lost
            reg.record_sent([r.key for r in chosen], [STDOUT])
        return DONE
    with reg.transaction():  # claimed under the lock, sent with it released
        plan = pending(reg)
        if not plan.groups and not plan.unaddressed:
            return DONE
        mailer = _sender(sender, settings)
        # Time enough to try every list, or an hour: then another run may send them.
        time = max(LEASE, timedelta(seconds=settings.timeout * 10 * len(plan.groups)))
        reg.claim(_entries(plan.groups), session.now + time)
    _mail(reg, plan, mailer, settings)
    return DONE


STDOUT = "stdout"  # the ledger's recipient for reminders printed
LEASE = timedelta(hours=1)  # the least time a claim stands, should its run die unseen
Groups = dict[tuple[str, ...], list[Reminder]]  # the reminders, by their recipients' addresses


@dataclasses.dataclass
class Plan:
    """What a run gives: the reminders (``chosen``, soonest first) by the addresses still
    to get them (``groups``), each address as it was written (``names``); and those
    that have no one to go to (``unaddressed``)."""

    groups: Groups = dataclasses.field(default_factory=dict)
    chosen: list[Reminder] = dataclasses.field(default_factory=list)
    names: dict[str, str] = dataclasses.field(default_factory=dict)
    unaddressed: list[Reminder] = dataclasses.field(default_factory=list)


def _bare(recipient: str) -> str:
    """The address the ledger knows a recipient by: ``a@b.it`` for ``Name <A@b.it>``."""
    return recipient if recipient == STDOUT else bare(recipient)


def _entries(groups: Groups) -> list[ledger.Entry]:
    return [(r.key, whom) for everyone, group in groups.items() for r in group
            for whom in everyone]  # fmt: skip


def _nobody(reminders: list[Reminder]) -> RelintError:
    parties = sorted({r.agreement.party or _("(no party)") for r in reminders})
    return RelintError(
        _(
            "no one to mail the reminders of {parties}: give --to, or set mail.to or "
            "mail.to_by_party in {location}"
        ).format(parties=", ".join(parties), location=location())
    )


def _mail(reg: Registry, plan: Plan, sender: str, settings: Settings) -> None:
    """Send each list of recipients its reminders, then record those the server accepted
    and release the others' claims, whatever stopped the sending."""
    from relint.mail import message, refusals, send  # smtplib and ssl: only to mail

    failures: list[RelintError] = []
    accepted: list[tuple[list[Reminder], list[str]]] = []
    try:
        for addresses, group in plan.groups.items():  # every list, whatever befell the last
            names = [plan.names[address] for address in addresses]
            try:
                letter = message(group, [_said(r) for r in group], sender, names)
                refused = send(letter, settings, list(addresses))
            except RelintError as error:
                failures.append(error)  # not recorded: the next run sends it
                continue
            # Accepted for some: recorded for them; the refused ones said, and tried again
            # by the next run.
            accepted.append((group, [a for a in addresses if a not in refused]))
            if refused:
                failures.append(
                    RelintError(
                        _("the mail server refused {refused}").format(refused=refusals(refused))
                    )
                )
    finally:
        with reg.transaction():
            for group, reached in accepted:
                reg.record_sent([r.key for r in group], reached)
            reg.release(_entries(plan.groups))
        reg.committed = bool(accepted)  # claims taken and dropped changed nothing
    if plan.unaddressed:
        failures.append(_nobody(plan.unaddressed))
    if failures:  # exit 1 when nothing was sent; 3 when those sent stay recorded
        raise _failed(failures, sent=bool(accepted))


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


def _failed(failures: list[RelintError], sent: bool) -> RelintError:
    """One error for what failed: the first failure, and how many more."""
    more = len(failures) - 1
    lists = ngettext("{first} (and {more} more list of recipients)",
                     "{first} (and {more} more lists of recipients)", more)  # fmt: skip
    said = lists.format(first=failures[0], more=more) if more else str(failures[0])
    if sent:
        return PartlyDone(said, _("the reminders that reached the others are recorded as sent"))
    return RelintError(said)


def _recipients(reminder: Reminder, to: tuple[str, ...], settings: Settings) -> tuple[str, ...]:
    """Who gets ``reminder``: ``to``, else its party's list in the settings, else the
    settings' own (none: no one)."""
    return to or settings.to_by_party.get(reminder.agreement.party or "") or settings.to


def _sender(given: str | None, settings: Settings) -> str:
    sender = given or settings.sender
    if not sender:
        raise RelintError(
            _("no sender: give --from, or set mail.from in {location}").format(location=location())
        )
    return sender


def _list_sent(entries: list[dict[str, Any]], fmt: Format) -> None:
    if fmt is Format.JSON:
        write_json(entries, sys.stdout, lines=False, fields=ledger.FIELDS)
        return
    for entry in entries:
        said = _("{at}  agreement {id} term {term}  {event} {on}  step {step}  to {to}")
        echo(printable(said.format(
            at=entry["sent_at"], id=entry["agreement_id"], term=entry["term"],
            event=shown("alert", entry["event"]), on=entry["event_on"], step=entry["step"],
            to=entry["sent_to"],
        )))  # fmt: skip


def _write(reminders: list[Reminder], fmt: Format) -> None:
    if not reminders:
        return  # nothing at all, not even [] in JSON: cron sends no mail
    if fmt is Format.JSON:
        write_json([_plain(r) for r in reminders], sys.stdout, lines=False, fields=REMINDER_FIELDS)
        sys.stdout.flush()  # out before they are recorded as given
        return
    for reminder in reminders:
        echo(printable(_said(reminder)))


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
    party = _(" ({party})").format(party=a.party) if a.party else ""
    left = reminder.days_left
    when = (
        _("today") if left == 0 else _("tomorrow") if left == 1
        else ngettext("in {n} day", "in {n} days", left).format(n=left)
    )  # fmt: skip
    what = _("notice deadline") if reminder.event == "notice" else _("ends")
    line = _(
        "Agreement {id}, {kind} with {counterpart}{party}, term {term}: {what} {on} ({when}):"
        " {todo}."
    )
    return line.format(
        id=a.id, kind=i18n.shown("kind", a.kind.value), counterpart=a.counterpart, party=party,
        term=a.number, what=what, on=reminder.on, when=when, todo=todo(reminder),
    )  # fmt: skip


def todo(reminder: Reminder) -> str:
    """What to do about the event, as the agreement stands on the reminder's day."""
    a, day = reminder.agreement, reminder.day
    if reminder.event == "notice":
        return _("give notice by then, or it renews") if a.auto_renew else _("decide by then")
    if not a.auto_renew:
        return (
            _("renew it or let it end") if a.renewable else _("it ends then: it is not renewable")
        )
    if not renews(a, day):
        return _("it ends: notice was given")
    if a.noticed(day):
        return _("notice came after the deadline: it renews once more, then ends")
    last = a.notice_deadline or reminder.on
    if day <= last:
        return _("it renews by itself unless notice is given by {last}").format(last=last)
    return _("it renews by itself (the notice deadline, {last}, has passed)").format(last=last)
