"""The options commands share, and how the options of add and edit are read."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from relint.dates import parse_date
from relint.durations import parse_duration
from relint.errors import RelintError
from relint.kinds import parse_kind
from relint.render import (
    Format,
)
from relint.text import storable

# Options shared by commands.
FormatOption = Annotated[
    Format, typer.Option("--format", "-f", help="Output: table for people; csv, json, jsonl.")
]

AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of", help="Compute statuses as of this date (default: today).", metavar="DATE"
    ),
]

KindFilter = Annotated[
    list[str] | None, typer.Option("--kind", help="Only this kind (repeatable).", metavar="KIND")
]

StatusFilter = Annotated[
    list[str] | None,
    typer.Option(
        "--status",
        help="Only this status: active, expiring, expired, unknown, permanent, terminated.",
        metavar="STATUS",
    ),
]

PartyFilter = Annotated[
    str | None, typer.Option("--party", help="Only parties containing this text.", metavar="TEXT")
]

CountryFilter = Annotated[
    str | None,
    typer.Option("--country", help="Only countries containing this text.", metavar="TEXT"),
]

SectorFilter = Annotated[
    str | None,
    typer.Option(
        "--sector", help="Only agreements with a sector containing this text.", metavar="TEXT"
    ),
]

SortOption = Annotated[
    str | None,
    typer.Option("--sort", help="Sort by a field; a leading - sorts descending.", metavar="FIELD"),
]


OutputOption = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Write to this file (default: stdout).", metavar="FILE"),
]

# Options of add and edit.
KIND_HELP = (
    "twinning, collaboration, protocol, memorandum, pact, declaration, other, or the Italian name."
)

COUNTERPART_HELP = "The city, region, state or body abroad."

KindOption = Annotated[str | None, typer.Option("--kind", help=KIND_HELP, metavar="KIND")]

Counterpart = Annotated[
    str | None, typer.Option("--counterpart", help=COUNTERPART_HELP, metavar="TEXT")
]

Party = Annotated[
    str | None, typer.Option("--party", help="Our side, e.g. Comune di Milano.", metavar="TEXT")
]

Country = Annotated[
    str | None, typer.Option("--country", help="The counterpart's country.", metavar="TEXT")
]

Title = Annotated[
    str | None, typer.Option("--title", help="The agreement's title.", metavar="TEXT")
]

Signed = Annotated[
    str | None,
    typer.Option(
        "--signed",
        help="Signing date: 2016-02-15, 15/02/2016, 15 febbraio 2016, 2016.",
        metavar="DATE",
    ),
]

Start = Annotated[
    str | None,
    typer.Option("--start", help="Start date (default: the signing date).", metavar="DATE"),
]

DurationOption = Annotated[
    str | None,
    typer.Option(
        "--duration", help="2y, 18m, 1y6m, biennale, triennial, permanent...", metavar="DUR"
    ),
]

End = Annotated[
    str | None, typer.Option("--end", help="End date (default: start + duration).", metavar="DATE")
]

Renewable = Annotated[
    bool | None,
    typer.Option(
        "--renewable/--not-renewable", help="Can be renewed (default: by kind).", show_default=False
    ),
]

AutoRenew = Annotated[
    bool | None,
    typer.Option(
        "--auto-renew/--no-auto-renew",
        help="Renews tacitly unless notice is given.",
        show_default=False,
    ),
]

Notice = Annotated[
    str | None,
    typer.Option("--notice", help="Days of notice needed before the end.", metavar="DAYS"),
]

Sectors = Annotated[
    list[str] | None, typer.Option("--sector", help="A sector (repeatable).", metavar="TEXT")
]

Signatories = Annotated[
    list[str] | None, typer.Option("--signatory", help="A signatory (repeatable).", metavar="TEXT")
]

Source = Annotated[
    str | None, typer.Option("--source", help="URL or reference of the text.", metavar="TEXT")
]

Notes = Annotated[str | None, typer.Option("--notes", help="Free notes.", metavar="TEXT")]

IdArgument = Annotated[
    int, typer.Argument(help="The agreement's id.", metavar="ID", min=1, max=2**63 - 1)
]


def parse_notice(value: str) -> int:
    if not re.fullmatch(r"\s*[0-9]+\s*", value):
        raise RelintError(f"the notice is a whole number of days, not {value!r}")
    return int(value)


def _list_values(values: list[str]) -> tuple[str, ...]:
    return tuple(storable(value) for value in values if value.strip())


def _cleared(parse: Callable[[str], Any]) -> Callable[[str], Any]:
    """``parse``, except that an empty value clears the field."""
    return lambda value: parse(value) if value.strip() else None


def _same(value: Any) -> Any:
    return value


# Each option of add and edit: the field it sets and how its text is read. Text is

# kept exactly as given.
_OPTIONS: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "kind": ("kind", parse_kind),
    "counterpart": ("counterpart", storable),
    **{
        name: (name, _cleared(storable))
        for name in ("party", "country", "title", "source", "notes")
    },
    **{name: (name, _cleared(parse_date)) for name in ("signed", "start", "end")},
    "duration": ("duration", _cleared(parse_duration)),
    "renewable": ("renewable", _same),
    "auto_renew": ("auto_renew", _same),
    "notice": ("notice_days", _cleared(parse_notice)),
    "sector": ("sectors", _list_values),
    "signatory": ("signatories", _list_values),
}


def fields_from_options(options: dict[str, Any]) -> dict[str, Any]:
    """The fields given as options to add or edit (the command's ``locals()``), parsed."""
    return {
        field: parse(options[name])
        for name, (field, parse) in _OPTIONS.items()
        if options[name] is not None
    }
