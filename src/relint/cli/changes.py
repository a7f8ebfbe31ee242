"""Commands that change the registry: init, add, edit, renew, terminate, remove, restore."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from relint import clock
from relint.agreement import new_agreement, renew, revise, terminate
from relint.cli import base
from relint.cli.base import SAMPLES, changing, described, made, registry
from relint.cli.options import (
    COUNTERPART_HELP,
    KIND_HELP,
    AutoRenew,
    Counterpart,
    Country,
    DurationOption,
    End,
    IdArgument,
    KindOption,
    Notes,
    Notice,
    Party,
    Renewable,
    Sectors,
    Signatories,
    Signed,
    Source,
    Start,
    Title,
    fields_from_options,
)
from relint.cli.plain import note
from relint.dates import parse_date
from relint.durations import parse_duration
from relint.errors import RelintError
from relint.store import create
from relint.text import printable, storable

commands = typer.Typer()  # the commands of this module; see relint.cli.base.COMMANDS


@commands.command("add")
def add(
    ctx: typer.Context,
    counterpart: Annotated[
        str, typer.Option("--counterpart", help=COUNTERPART_HELP, metavar="TEXT")
    ],
    kind: Annotated[str, typer.Option("--kind", help=KIND_HELP, metavar="KIND")],
    party: Party = None,
    country: Country = None,
    title: Title = None,
    signed: Signed = None,
    start: Start = None,
    duration: DurationOption = None,
    end: End = None,
    renewable: Renewable = None,
    auto_renew: AutoRenew = None,
    notice: Notice = None,
    sector: Sectors = None,
    signatory: Signatories = None,
    source: Source = None,
    notes: Notes = None,
) -> None:
    """Add an agreement and print its new id.

    The id is the last line of stdout, alone.
    """
    fields = fields_from_options(locals())
    agreement = new_agreement(fields.pop("kind"), fields.pop("counterpart"), **fields)
    reg = registry(ctx, "add")
    with reg.transaction():
        agreement_id = reg.insert(agreement)
    note(f"Added agreement {agreement_id}: {described(agreement, clock.today())}")
    typer.echo(agreement_id)


@commands.command("edit")
def edit(
    ctx: typer.Context,
    agreement_id: IdArgument,
    counterpart: Counterpart = None,
    kind: KindOption = None,
    party: Party = None,
    country: Country = None,
    title: Title = None,
    signed: Signed = None,
    start: Start = None,
    duration: DurationOption = None,
    end: End = None,
    renewable: Renewable = None,
    auto_renew: AutoRenew = None,
    notice: Notice = None,
    sector: Sectors = None,
    signatory: Signatories = None,
    source: Source = None,
    notes: Notes = None,
) -> None:
    """Change the fields of an agreement.

    Only the fields given change; an empty value ("") clears a field.
    """
    changes = fields_from_options(locals())
    if not changes:
        raise RelintError("nothing to change: give the fields to change as options")
    reg = registry(ctx, "edit")
    with reg.transaction():
        revised = revise(reg.get(agreement_id), **changes)
        reg.update(revised)
    note(f"Updated agreement {agreement_id}: {described(revised, clock.today())}")


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
        if not base.stdin_is_terminal():
            raise RelintError(
                f"not removing agreement {agreement_id} without --yes (no terminal to ask)"
            )
        typer.confirm(
            printable(f"Remove agreement {agreement_id}, {described(agreement, clock.today())}?"),
            abort=True,
        )
    with reg.transaction():
        reg.get(agreement_id)  # still there: another process may have removed it meanwhile
        reg.delete(agreement_id)
    note(f"Removed agreement {agreement_id}.")


@commands.command("terminate")
def terminate_(
    ctx: typer.Context,
    agreement_id: IdArgument,
    on: Annotated[str, typer.Option("--on", help="The date it ended.", metavar="DATE")],
    reason: Annotated[str, typer.Option("--reason", help="Why it was ended.", metavar="TEXT")],
) -> None:
    """Record that an agreement was ended on purpose."""
    day = parse_date(on)
    reg = registry(ctx, "terminate")
    with reg.transaction():
        ended = terminate(reg.get(agreement_id), day, storable(reason))
        reg.update(ended)
    note(f"Terminated agreement {agreement_id} on {day}.")


@commands.command("renew")
def renew_(
    ctx: typer.Context,
    agreement_id: IdArgument,
    start: Annotated[
        str | None,
        typer.Option(
            "--start", help="Start of the new term (default: the old end).", metavar="DATE"
        ),
    ] = None,
    duration: Annotated[
        str | None,
        typer.Option(
            "--duration", help="Length of the new term (default: the same).", metavar="DUR"
        ),
    ] = None,
    end: Annotated[
        str | None, typer.Option("--end", help="End of the new term.", metavar="DATE")
    ] = None,
    signed: Annotated[
        str | None,
        typer.Option("--signed", help="Signing date of the renewal act, if any.", metavar="DATE"),
    ] = None,
) -> None:
    """Renew an agreement for a new term.

    The new term starts at the old end and runs for the same duration, unless
    told otherwise; the earlier terms are kept.
    """
    if duration is not None and end is not None:
        raise typer.BadParameter("give --duration or --end, not both", param_hint="--end")
    new_start = parse_date(start) if start else None
    new_duration = parse_duration(duration) if duration else None
    new_end = parse_date(end) if end else None
    new_signed = parse_date(signed) if signed else None
    reg = registry(ctx, "renew")
    with reg.transaction():
        agreement = reg.get(agreement_id)
        renewed = renew(agreement, new_start, new_duration, new_end, new_signed)
        reg.update(renewed)
    if not agreement.renewable:
        note(f"Note: agreement {agreement_id} was marked not renewable; it is now renewed.")
    note(
        f"Renewed agreement {agreement_id}: term {len(renewed.terms)} "
        f"from {renewed.start} to {renewed.end}."
    )


@commands.command("restore")
def restore(ctx: typer.Context, agreement_id: IdArgument) -> None:
    """Bring back a removed agreement from the audit trail."""
    reg = registry(ctx, "restore")
    with reg.transaction():  # checked and restored at once: two restores cannot both run
        if reg.find(agreement_id) is not None:
            raise RelintError(
                f"agreement {agreement_id} is in the registry: there is nothing to restore"
            )
        agreement = reg.removed(agreement_id)
        if agreement is None:
            raise RelintError(f"the audit trail holds no removal of agreement {agreement_id}")
        reg.insert(agreement)
    note(f"Restored agreement {agreement_id}: {described(agreement, clock.today())}")


@commands.command("init")
def init(ctx: typer.Context) -> None:
    """Create an empty registry at --db or RELINT_DB.

    Never overwrites a file.
    """
    path: Path = ctx.find_root().obj
    if ctx.find_root().meta.get(SAMPLES):
        raise RelintError(
            "give the new registry's path: relint --db PATH init, or RELINT_DB=PATH relint init "
            f"(without them, relint reads the samples it ships, {path})"
        )
    changing()
    create(path)
    made(ctx)
    note(f"Created an empty registry at {path}.")
