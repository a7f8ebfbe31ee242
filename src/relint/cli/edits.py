"""Commands that change the registry: init, add, edit, renew, terminate, remove, restore."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from relint.agreement import (
    give_notice,
    new_agreement,
    renew,
    resume,
    revise,
    suspend,
    terminate,
    withdraw_notice,
)
from relint.cli import spec, typer_app
from relint.cli.messages import note
from relint.cli.options import IdArgument, taking
from relint.cli.session import changing
from relint.cli.typer_app import described, made, registry, session, today
from relint.dates import PartialDate
from relint.durations import Duration
from relint.errors import RelintError
from relint.i18n import _
from relint.store import create
from relint.text import printable

commands = typer.Typer()  # the commands of this module; see relint.cli.typer_app.MODULES


@commands.command("add")
@taking(spec.NEW_RECORD)
def add(ctx: typer.Context, **fields: Any) -> None:
    """Add an agreement and print its new id.

    The id is the last line of stdout, alone.
    """
    agreement = new_agreement(fields.pop("kind"), fields.pop("counterpart"), **fields)
    reg = registry(ctx, "add")
    with reg.transaction():
        agreement_id = reg.insert(agreement)
    note(
        _("Added agreement {agreement_id}: {ctx}").format(
            agreement_id=agreement_id, ctx=described(agreement, today(ctx))
        )
    )
    typer.echo(agreement_id)


@commands.command("edit")
@taking(spec.CHANGES)
def edit(ctx: typer.Context, agreement_id: IdArgument, **fields: Any) -> None:
    """Change the fields of an agreement.

    Only the fields given change; an empty value ("") clears a field.
    """
    changes = fields
    if not changes:
        raise RelintError(_("nothing to change: give the fields to change as options"))
    reg = registry(ctx, "edit")
    with reg.transaction():
        revised = revise(reg.get(agreement_id), **changes)
        reg.update(revised)
    note(
        _("Updated agreement {agreement_id}: {ctx}").format(
            agreement_id=agreement_id, ctx=described(revised, today(ctx))
        )
    )


@commands.command("remove")
def remove(
    ctx: typer.Context,
    agreement_id: IdArgument,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete an agreement (asks first on a terminal).

    The audit trail keeps it: relint restore brings it back.
    """
    reg = registry(ctx, "remove")
    agreement = reg.get(agreement_id)
    if not yes:
        if not typer_app.stdin_is_terminal():
            raise RelintError(
                _(
                    "not removing agreement {agreement_id} without --yes (no terminal to ask)"
                ).format(agreement_id=agreement_id)
            )
        question = _("Remove agreement {agreement_id}, {described}?").format(
            agreement_id=agreement_id, described=described(agreement, today(ctx))
        )
        if not asked(printable(question)):
            raise typer.Abort()
    with reg.transaction():
        reg.get(agreement_id)  # still there: another process may have removed it meanwhile
        reg.delete(agreement_id)
    note(_("Removed agreement {agreement_id}.").format(agreement_id=agreement_id))


# Answers to a question, in either language whatever the one spoken: s, sì, y, yes; n, no.
YES = frozenset({"y", "yes", "s", "si", "sì"})
NO = frozenset({"", "n", "no"})


def asked(question: str) -> bool:
    """Whether the person at the terminal answers yes to ``question`` (no, by default)."""
    while True:
        typer.echo(question + _(" [y/N]: "), nl=False)
        answer = sys.stdin.readline()
        if not answer:  # the end of the input: no
            typer.echo()
            return False
        word = answer.strip().lower()
        if word in YES | NO:
            return word in YES
        typer.echo(_("Answer y or n."))


@commands.command("give-notice")
@taking(spec.GIVE_NOTICE)
def give_notice_(
    ctx: typer.Context,
    agreement_id: IdArgument,
    on: PartialDate | None,
    reason: str | None,
    withdraw: bool,
) -> None:
    """Record notice that an agreement will not renew (or take it back).

    Notice by a term's deadline (its end minus the notice days) ends the agreement at
    that term's end; later notice, at the end of the next term.
    """
    reg = registry(ctx, "give-notice")
    with reg.transaction():
        agreement = reg.get(agreement_id)
        if withdraw:
            changed = withdraw_notice(agreement)
        else:
            assert on is not None  # the rule between the options says so
            changed = give_notice(agreement, on, reason)
        reg.update(changed)
    said = (
        _("Withdrew the notice on")
        if withdraw
        else _("Recorded notice given on {on} for").format(on=on)
    )
    note(
        _("{said} agreement {agreement_id}: {ctx}").format(
            said=said, agreement_id=agreement_id, ctx=described(changed, today(ctx))
        )
    )


@commands.command("suspend")
@taking(spec.SUSPEND)
def suspend_(ctx: typer.Context, agreement_id: IdArgument, on: PartialDate, reason: str) -> None:
    """Suspend an agreement from a date: no alerts, no tacit renewal, until resumed."""
    reg = registry(ctx, "suspend")
    with reg.transaction():
        reg.update(suspend(reg.get(agreement_id), on, reason))
    note(
        _("Suspended agreement {agreement_id} from {on}.").format(agreement_id=agreement_id, on=on)
    )


@commands.command("resume")
@taking(spec.RESUME)
def resume_(ctx: typer.Context, agreement_id: IdArgument, on: PartialDate) -> None:
    """Resume a suspended agreement from a date."""
    reg = registry(ctx, "resume")
    with reg.transaction():
        reg.update(resume(reg.get(agreement_id), on))
    note(_("Resumed agreement {agreement_id} on {on}.").format(agreement_id=agreement_id, on=on))


@commands.command("terminate")
@taking(spec.TERMINATE)
def terminate_(ctx: typer.Context, agreement_id: IdArgument, on: PartialDate, reason: str) -> None:
    """Record that an agreement was ended on purpose."""
    reg = registry(ctx, "terminate")
    with reg.transaction():
        ended = terminate(reg.get(agreement_id), on, reason)
        reg.update(ended)
    note(_("Terminated agreement {agreement_id} on {on}.").format(agreement_id=agreement_id, on=on))


@commands.command("renew")
@taking(spec.RENEW)
def renew_(
    ctx: typer.Context,
    agreement_id: IdArgument,
    start: PartialDate | None,
    duration: Duration | None,
    end: PartialDate | None,
    signed: PartialDate | None,
) -> None:
    """Renew an agreement for a new term.

    The new term starts at the old end and runs for the renewal period, unless
    told otherwise; the earlier terms are kept.
    """
    reg = registry(ctx, "renew")
    with reg.transaction():
        agreement = reg.get(agreement_id)
        renewed = renew(agreement, start, duration, end, signed)
        reg.update(renewed)
    if not agreement.renewable:
        note(
            _("Note: agreement {agreement_id} was marked not renewable; it is now renewed.").format(
                agreement_id=agreement_id
            )
        )
    counts = ""
    act = renewed.signed.earliest() if renewed.signed else None
    if signed is not None and act is not None and act > today(ctx):
        counts = _("; it counts from {signed}, the signing of its act").format(
            signed=renewed.signed
        )
    note(
        _("Renewed agreement {agreement_id}: term {terms} from {start} to {end}{counts}.").format(
            agreement_id=agreement_id,
            terms=len(renewed.terms),
            start=renewed.start,
            end=renewed.end,
            counts=counts,
        )
    )


@commands.command("restore")
def restore(ctx: typer.Context, agreement_id: IdArgument) -> None:
    """Bring back a removed agreement from the audit trail."""
    reg = registry(ctx, "restore")
    with reg.transaction():  # checked and restored at once: two restores cannot both run
        if reg.find(agreement_id) is not None:
            raise RelintError(
                _(
                    "agreement {agreement_id} is in the registry: there is nothing to restore"
                ).format(agreement_id=agreement_id)
            )
        agreement = reg.removed(agreement_id)
        if agreement is None:
            raise RelintError(
                _("the audit trail holds no removal of agreement {agreement_id}").format(
                    agreement_id=agreement_id
                )
            )
        reg.insert(agreement)
    note(
        _("Restored agreement {agreement_id}: {ctx}").format(
            agreement_id=agreement_id, ctx=described(agreement, today(ctx))
        )
    )


@commands.command("init")
def init(ctx: typer.Context) -> None:
    """Create an empty registry at --db or RELINT_DB.

    Never overwrites a file.
    """
    path = session(ctx).path
    if session(ctx).samples:
        raise RelintError(
            _(
                "give the new registry's path: relint --db PATH init, or RELINT_DB=PATH relint "
                "init (without them, relint reads the samples it ships, {path})"
            ).format(path=path)
        )
    changing()
    create(path)
    made(ctx)
    note(_("Created an empty registry at {path}.").format(path=path))
