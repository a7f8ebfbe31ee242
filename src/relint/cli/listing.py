"""Commands that show agreements: list, search, expiring, show, kinds."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer

from relint.cli import plain
from relint.cli.base import registry
from relint.cli.options import (
    AsOfOption,
    CountryFilter,
    FormatOption,
    IdArgument,
    KindFilter,
    PartyFilter,
    SectorFilter,
    SortOption,
    StatusFilter,
)
from relint.cli.plain import as_of_date, listing
from relint.kinds import DEFAULTS, ITALIAN, Kind
from relint.render import (
    Column,
    Format,
    agreement_json,
    draw_agreement,
    write_rows,
)

commands = typer.Typer()  # the commands of this module; see relint.cli.base.COMMANDS


@commands.command("list")
def list_(
    ctx: typer.Context,
    kind: KindFilter = None,
    status: StatusFilter = None,
    party: PartyFilter = None,
    country: CountryFilter = None,
    sector: SectorFilter = None,
    as_of: AsOfOption = None,
    sort: SortOption = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """List agreements, whatever their status.

    Every agreement is listed unless a filter narrows the list.
    """
    listing(
        registry(ctx).agreements(),
        kind=kind,
        status=status,
        party=party,
        country=country,
        sector=sector,
        as_of=as_of,
        sort=sort,
        fmt=fmt,
        empty="No agreements match.",
    )


# A query may start with "-": read what is not an option of search as the query (and,
# so that "-foo" is not "-f oo", search has no short -f).
@commands.command("search", context_settings={"ignore_unknown_options": True})
def search(
    ctx: typer.Context,
    query: Annotated[
        str,
        typer.Argument(
            help="Words to find, in any case, with or without accents.", metavar="QUERY"
        ),
    ],
    kind: KindFilter = None,
    status: StatusFilter = None,
    party: PartyFilter = None,
    country: CountryFilter = None,
    sector: SectorFilter = None,
    as_of: AsOfOption = None,
    sort: SortOption = None,
    fmt: Annotated[
        Format, typer.Option("--format", help="Output: table for people; csv, json, jsonl.")
    ] = Format.TABLE,
) -> None:
    """Find agreements by the words in their records.

    Searches counterpart, title, party, country, sectors, signatories and notes,
    ignoring case and accents; each word may be the start of a longer one.
    """
    listing(
        registry(ctx).search(query),
        kind=kind,
        status=status,
        party=party,
        country=country,
        sector=sector,
        as_of=as_of,
        sort=sort,
        fmt=fmt,
        empty=f"Nothing found for {query!r}.",
    )


@commands.command("expiring")
def expiring(
    ctx: typer.Context,
    within: Annotated[
        str,
        typer.Option(
            "--within", help="How far ahead: 90d, 6m, 1y, or a number of days.", metavar="SPAN"
        ),
    ] = "90d",
    as_of: AsOfOption = None,
    fmt: FormatOption = Format.TABLE,
    exit_code: Annotated[
        bool,
        typer.Option("--exit-code", help="Exit 1 when anything is listed, 0 when nothing is."),
    ] = False,
) -> None:
    """List what ends or needs notice soon, soonest first.

    An agreement is listed when its end, or its notice deadline (end minus the
    notice days), falls from the as-of date through the end of the window.
    """
    if plain.expiring(registry(ctx), within, as_of, fmt) and exit_code:
        raise typer.Exit(1)


class ShowFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


@commands.command("show")
def show(
    ctx: typer.Context,
    agreement_id: IdArgument,
    as_of: AsOfOption = None,
    fmt: Annotated[
        ShowFormat, typer.Option("--format", "-f", help="table for people, json for scripts.")
    ] = ShowFormat.TABLE,
) -> None:
    """Show one agreement and every term it has run for."""
    day = as_of_date(as_of)
    agreement = registry(ctx).get(agreement_id)
    if fmt is ShowFormat.JSON:
        typer.echo(agreement_json(agreement, day))
    else:
        draw_agreement(agreement, day, sys.stdout)


KIND_COLUMNS = (
    Column("Kind", "kind"),
    Column("Italian", "italian"),
    Column("Default duration", "default_duration"),
    Column("Renewable", "renewable"),
)


@commands.command("kinds")
def kinds(fmt: FormatOption = Format.TABLE) -> None:
    """List the kinds of agreement and their defaults."""
    rows = (
        {
            "kind": kind.value,
            "italian": ITALIAN[kind],
            "default_duration": _text(DEFAULTS[kind].duration),
            "renewable": DEFAULTS[kind].renewable,
        }
        for kind in Kind
    )
    write_rows(rows, fmt, sys.stdout, KIND_COLUMNS, fields=tuple(c.key for c in KIND_COLUMNS))


def _text(value: object | None) -> str | None:
    return None if value is None else str(value)
