"""Commands that show agreements: list, search, expiring, show, kinds."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from relint import i18n
from relint.cli import answers, spec
from relint.cli.options import IdArgument, taking
from relint.cli.typer_app import registry, today
from relint.columns import KINDS
from relint.durations import Window
from relint.errors import FOUND
from relint.explain import explain as explained
from relint.i18n import _
from relint.kinds import DEFAULTS, ITALIAN, Kind
from relint.render import Format, agreement_json, draw_agreement, write_rows
from relint.text import printable

commands = typer.Typer()  # the commands of this module; see relint.cli.typer_app.COMMANDS

Order = tuple[str, bool] | None


@commands.command("list")
@taking(spec.LIST)
def list_(ctx: typer.Context, **options: Any) -> None:
    """List agreements, whatever their status.

    Every agreement is listed unless a filter narrows the list.
    """
    reg = registry(ctx)  # the options are those of answers.listing, parsed
    answers.listing(reg, reg.agreements(), **options, today=today(ctx), empty=answers.NO_MATCH)


# A query may start with "-": read what is not an option of search as the query (and,
# so that "-foo" is not "-f oo", search has no short -f or -o).
@commands.command("search", context_settings={"ignore_unknown_options": True})
@taking(spec.SEARCH)
def search(
    ctx: typer.Context,
    query: Annotated[
        str,
        typer.Argument(
            help="Words to find, in any case, with or without accents.", metavar="QUERY"
        ),
    ],
    **options: Any,
) -> None:
    """Find agreements by the words in their records.

    Searches counterpart, title, party, country, sectors, signatories and notes,
    ignoring case and accents; each word may be the start of a longer one.
    """
    reg = registry(ctx)
    empty = _("Nothing found for {query!r}.").format(query=query)
    answers.listing(reg, reg.search(query), **options, today=today(ctx), empty=empty)


@commands.command("expiring")
@taking(spec.EXPIRING)
def expiring(
    ctx: typer.Context,
    window: Window,
    as_of: date | None,
    fmt: Format,
    output: Path | None,
    raw: bool,
    exit_code: bool,
    quiet: bool,
) -> None:
    """List what ends or needs notice soon, soonest first.

    An agreement is listed when its end, or its notice deadline (end minus the
    notice days), falls from the as-of date through the end of the window.
    """
    reg = registry(ctx)
    count = answers.expiring(
        reg, window=window, as_of=as_of, fmt=fmt, output=output, today=today(ctx), raw=raw,
        quiet=quiet,
    )  # fmt: skip
    if count and exit_code:
        raise typer.Exit(FOUND)


@commands.command("show")
@taking(spec.SHOW)
def show(
    ctx: typer.Context, agreement_id: IdArgument, as_of: date | None, fmt: Format, explain: bool
) -> None:
    """Show one agreement and every term it has run for.

    With --explain, say how each date was reached: the end from the start and the
    duration, each tacit renewal, the notice deadline, what notice, a suspension or
    a termination did, and which default a kind gave.
    """
    day = as_of or today(ctx)
    agreement = registry(ctx).get(agreement_id)
    if fmt is Format.JSON:
        with i18n.english():  # the same bytes for scripts, whatever the language
            reasons = explained(agreement, day) if explain else None
        typer.echo(agreement_json(agreement, day, reasons))
        return
    reasons = explained(agreement, day) if explain else None
    draw_agreement(agreement, day, sys.stdout)
    if reasons is not None:
        typer.echo("\n" + _("How the dates were reached:"))
        for line in reasons:
            typer.echo(printable(f"  {line}"))


@commands.command("kinds")
@taking(spec.KINDS)
def kinds(fmt: Format) -> None:
    """List the kinds of agreement and their defaults."""
    rows = (
        {
            "kind": kind.value,
            "italian": ITALIAN[kind],
            "default_duration": None if DEFAULTS[kind].duration is None
            else str(DEFAULTS[kind].duration),
            "renewable": DEFAULTS[kind].renewable,
            "default_renewal": None if DEFAULTS[kind].renewal is None
            else str(DEFAULTS[kind].renewal),
        }
        for kind in Kind
    )  # fmt: skip
    write_rows(rows, fmt, sys.stdout, KINDS, fields=tuple(c.key for c in KINDS))
