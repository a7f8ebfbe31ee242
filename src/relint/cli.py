"""The command line: parse options, call the core and the store, choose a renderer.

The clock is read here and nowhere else (``today``). Errors the user can fix are
``RelintError``s, turned into one line on stderr and exit code 1 in one place
(``RegistryGroup.invoke``); usage errors exit 2, as Typer does.
"""

from __future__ import annotations

import getpass
import io
import os
import re
import shlex
import shutil
import signal
import sqlite3
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn, TextIO, TypeVar

import typer
from typer.core import TyperGroup

from relint import __version__
from relint.agreement import (
    Agreement,
    alerts,
    new_agreement,
    renew,
    revise,
    terminate,
)
from relint.checks import data_problems
from relint.dates import PartialDate, parse_date
from relint.durations import parse_duration, parse_window
from relint.errors import RelintError
from relint.exchange import (
    decode,
    export_record,
    from_snapshot,
    plan,
    read_json,
    read_table,
    write_json,
    write_table,
)
from relint.kinds import DEFAULTS, ITALIAN, Kind, parse_kind
from relint.listing import Filters, parse_sort, parse_status, sorted_records
from relint.render import (
    LIST_COLUMNS,
    Column,
    Format,
    agreement_json,
    draw_agreement,
    draw_table,
    write_rows,
)
from relint.render import console as render_console
from relint.report import build as build_report
from relint.report import renewal
from relint.store import Actor, Registry, busy_timeout, create, open_registry
from relint.text import printable

SHIPPED_REGISTRY = Path(__file__).resolve().parents[2] / "data" / "registry.db"


def today() -> date:
    """Today's date: with ``now``, the one place relint reads the clock."""
    return date.today()


def now() -> datetime:
    """The time, in UTC."""
    return datetime.now(UTC)


class RegistryGroup(TyperGroup):
    """Turns the errors a user can act on into one line on stderr and exit code 1."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        ctx.meta[COMMAND_LINE] = ["relint", *args]  # for the audit trail
        return super().parse_args(ctx, args)

    def invoke(self, ctx: Any) -> Any:
        try:
            result = super().invoke(ctx)
            sys.stdout.flush()  # a full disk is reported here, not as Python exits
            return result
        except RelintError as error:
            fail(str(error), error.exit_code)
        except sqlite3.OperationalError as error:
            if "locked" in str(error) or "busy" in str(error):
                fail(
                    f"the registry is busy: another process kept it locked for more than "
                    f"{busy_timeout():g} s; nothing was changed, try again"
                )
            if "readonly" in str(error):
                fail(f"the registry is read-only: nothing was changed ({error})")
            fail(f"the registry could not be used: {error}")
        except sqlite3.Error as error:
            fail(f"the registry could not be used: {error}")
        except (OSError, UnicodeEncodeError) as error:
            fail(f"cannot write the output: {error}")


def fail(message: str, code: int = 1) -> NoReturn:
    lines = "\n".join(printable(line) for line in message.split("\n"))
    typer.echo(f"Error: {lines}", err=True)
    raise typer.Exit(code)


def stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


def note(message: str) -> None:
    """A message for people, on stderr, where it never mixes with data."""
    typer.echo(printable(message), err=True)


app = typer.Typer(
    cls=RegistryGroup,
    name="relint",
    help="A register of international agreements, with expiry and renewal alerts.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
    # Plain Click errors and help: a usage error ends in one "Error: ..." line,
    # like relint's own, and help needs no Rich at start-up.
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"relint {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    db: Annotated[
        Path | None,
        typer.Option(
            "--db",
            envvar="RELINT_DB",
            metavar="PATH",
            help="Registry file (default: RELINT_DB, else the shipped data/registry.db).",
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """A register of international agreements, with expiry and renewal alerts."""
    ctx.obj = db or SHIPPED_REGISTRY


COMMAND_LINE = "relint.command_line"


def registry(ctx: typer.Context, action: str | None = None) -> Registry:
    """The registry the command works on, closed when the command ends. A command that
    writes names its ``action``, and what it writes is recorded in the audit trail."""
    opened = open_registry(ctx.find_root().obj)
    ctx.call_on_close(opened.close)
    if opened.upgraded_from is not None:
        note(f"Upgraded the registry's schema; the file as it was is {opened.upgraded_from}")
    if action is not None:
        if opened.read_only:
            raise RelintError(f"{opened.path} is read-only: relint {action} cannot change it")
        opened.actor = Actor(
            at=now().isoformat(timespec="seconds"),
            user=user(),
            command=shlex.join(ctx.find_root().meta.get(COMMAND_LINE, ["relint"])),
            action=action,
        )
    return opened


def user() -> str:
    """The operating-system user running relint."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return str(os.getuid())


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


def as_of_date(text: str | None) -> date:
    if text is None:
        return today()
    day = parse_date(text).full
    if day is None:
        raise RelintError(f"--as-of needs a full date, not {text!r}")
    return day


def output(
    rows: Iterator[dict[str, Any]] | list[dict[str, Any]],
    fmt: Format,
    empty: str,
    columns: tuple[Column, ...] = LIST_COLUMNS,
) -> int:
    """Write ``rows`` to stdout in ``fmt``; say on stderr when there are none.
    Return how many were written."""
    count = write_rows(rows, fmt, sys.stdout, columns)
    if count == 0:
        note(empty)
    return count


def filters_from(
    kind: list[str] | None,
    status: list[str] | None,
    party: str | None,
    country: str | None,
    sector: str | None,
) -> Filters:
    return Filters(
        kinds=tuple(parse_kind(k) for k in kind or ()),
        statuses=tuple(parse_status(s) for s in status or ()),
        party=party,
        country=country,
        sector=sector,
    )


def listing(
    agreements: Iterator[Agreement],
    *,
    kind: list[str] | None,
    status: list[str] | None,
    party: str | None,
    country: str | None,
    sector: str | None,
    as_of: str | None,
    sort: str | None,
    fmt: Format,
    empty: str,
) -> None:
    day = as_of_date(as_of)
    filters = filters_from(kind, status, party, country, sector)
    order = parse_sort(sort) if sort else None
    known = (a.known_on(day) for a in agreements)
    rows = (a.record(day) for a in known if filters.admit(a, day))
    output(sorted_records(rows, *order) if order else rows, fmt, empty)


@app.command("list")
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


# A query may start with "-": read what is not an option of search as the query.
@app.command(context_settings={"ignore_unknown_options": True})
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
    fmt: FormatOption = Format.TABLE,
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


EXPIRING_COLUMNS = (
    Column("ID", "id", numeric=True),
    Column("Counterpart", "counterpart", text=True),
    Column("Kind", "kind", drop=5),
    Column("Party", "party", text=True, drop=1),
    Column("Alert", "alert"),
    Column("On", "alert_on"),
    Column("End", "end", drop=3),
    Column("Notice by", "notice_deadline", drop=2),
    Column("Days left", "days_left", numeric=True, drop=6),
    Column("Renewal", "renewal", drop=4),
    Column("Status", "status"),
)


@app.command()
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
    window = parse_window(within)
    day = as_of_date(as_of)
    last = window.end(day)
    found = alerts(registry(ctx).ending_between(day, last), day, window)
    rows = (
        a.agreement.record(day, window)
        | {
            "alert": "notice deadline" if a.reason == "notice" else "end",
            "alert_on": a.on.isoformat(),
            "notice_deadline": a.agreement.notice_deadline,
            "renewal": renewal(a.agreement),
        }
        for a in found
    )
    empty = f"Nothing ends or needs notice from {day} through {last}."
    if output(rows, fmt, empty, EXPIRING_COLUMNS) and exit_code:
        raise typer.Exit(1)


class ExportFormat(StrEnum):
    CSV = "csv"
    TSV = "tsv"
    JSON = "json"
    JSONL = "jsonl"
    ICS = "ics"


OutputOption = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Write to this file (default: stdout).", metavar="FILE"),
]


@app.command()
def export(
    ctx: typer.Context,
    fmt: Annotated[
        ExportFormat,
        typer.Option("--format", "-f", help="csv, tsv, json, jsonl, or ics (a calendar)."),
    ] = ExportFormat.CSV,
    output_path: OutputOption = None,
    raw: Annotated[
        bool,
        typer.Option("--raw", help="Leave cells that look like formulas as they are."),
    ] = False,
    excel: Annotated[
        bool,
        typer.Option("--excel", help="For Excel in an Italian locale: a BOM and ; separators."),
    ] = False,
    kind: KindFilter = None,
    status: StatusFilter = None,
    party: PartyFilter = None,
    country: CountryFilter = None,
    sector: SectorFilter = None,
    as_of: AsOfOption = None,
) -> None:
    """Export agreements for spreadsheets, scripts or a calendar.

    Every field of the record, in order, then the termination. Cells a
    spreadsheet would run as formulas get a leading apostrophe unless --raw.
    """
    spreadsheet = fmt in (ExportFormat.CSV, ExportFormat.TSV)
    if (raw or excel) and not spreadsheet:
        raise typer.BadParameter("--raw and --excel are for csv and tsv", param_hint="--format")
    day = as_of_date(as_of)
    filters = filters_from(kind, status, party, country, sector)
    chosen = (a for a in registry(ctx).agreements() if filters.admit(a.known_on(day), day))
    records = (export_record(a, day) for a in chosen)
    with destination(output_path, bom=excel) as out:
        if spreadsheet:
            delimiter = "\t" if fmt is ExportFormat.TSV else ";" if excel else ","
            write_table(records, out, delimiter=delimiter, guarded=not raw)
        elif fmt is ExportFormat.ICS:
            from relint.ics import calendar

            for piece in calendar(chosen, now()):
                out.write(piece.decode("utf-8"))
        else:
            write_json(records, out, lines=fmt is ExportFormat.JSONL)


@contextmanager
def destination(path: Path | None, *, bom: bool = False) -> Iterator[TextIO]:
    """stdout, or ``path`` written whole or not at all (through a file beside it)."""
    encoding = "utf-8-sig" if bom else "utf-8"
    if path is None:
        if isinstance(sys.stdout, io.TextIOWrapper):
            sys.stdout.reconfigure(encoding=encoding)
        yield sys.stdout
        return
    target = path.resolve()  # through a link, to the file it names
    if target.is_dir():
        raise RelintError(f"{path} is a folder")
    if not target.parent.is_dir():
        raise RelintError(f"cannot write {path}: the folder {target.parent} does not exist")
    if target.exists() and not target.is_file():
        # A pipe or a device is written to as it is: there is nothing to replace.
        with open(target, "w", encoding=encoding, newline="") as out:
            yield out
        return
    partial = target.with_name(f".{target.name}.partial")
    try:
        with open(partial, "w", encoding=encoding, newline="") as out:
            yield out
        if target.exists():
            shutil.copymode(target, partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


class ReportFormat(StrEnum):
    MD = "md"
    HTML = "html"
    CSV = "csv"
    JSON = "json"


@app.command()
def report(
    ctx: typer.Context,
    month: Annotated[
        str | None,
        typer.Option(
            "--month", help="The month to report on (default: this month).", metavar="YYYY-MM"
        ),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="Start the period on this date instead of a month's first.",
            metavar="DATE",
        ),
    ] = None,
    lookahead: Annotated[
        str,
        typer.Option(
            "--lookahead", help="How far the period reaches: 90d, 6m, 1y...", metavar="SPAN"
        ),
    ] = "90d",
    fmt: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="md, html, csv or json.")
    ] = ReportFormat.MD,
    output_path: OutputOption = None,
) -> None:
    """Write the monthly renewal report.

    What the office must act on from the first day of the month through the
    look-ahead: what expires or needs notice, what expired with no decision,
    which records are incomplete, and counts by party, kind and status.
    """
    if month is not None and as_of is not None:
        raise typer.BadParameter("give --month or --as-of, not both", param_hint="--as-of")
    if as_of is not None:
        day = as_of_date(as_of)
    else:
        first = parse_date(month) if month is not None else PartialDate(today().year, today().month)
        if first.month is None or first.day is not None:
            raise RelintError(f"--month is a year and a month, such as 2026-11, not {month!r}")
        day = first.earliest()
        month = month or str(first)
    built = build_report(registry(ctx).agreements(), day, parse_window(lookahead))
    from relint.report_formats import RENDERERS

    with destination(output_path) as out:
        out.write(RENDERERS[fmt.value](built, month if as_of is None else None))


class ImportFormat(StrEnum):
    CSV = "csv"
    JSON = "json"
    JSONL = "jsonl"


@app.command("import")
def import_(
    ctx: typer.Context,
    source: Annotated[
        str,
        typer.Argument(help="A CSV, TSV, JSON or JSON lines file, or - for stdin.", metavar="FILE"),
    ],
    fmt: Annotated[
        ImportFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="csv (also TSV), json or jsonl (default: by name).",
            show_default=False,
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Say what would be added or updated; write nothing.")
    ] = False,
    update: Annotated[
        bool, typer.Option("--update", help="Rows with the id of an agreement update it.")
    ] = False,
    encoding: Annotated[
        str | None,
        typer.Option(
            "--encoding", help="The file's encoding (default: UTF-8), e.g. cp1252.", metavar="NAME"
        ),
    ] = None,
    raw: Annotated[
        bool,
        typer.Option("--raw", help="Keep leading apostrophes (the file came from export --raw)."),
    ] = False,
) -> None:
    """Import agreements from a spreadsheet or JSON, all of them or none.

    Every row is checked before any is written; one wrong row and nothing is.
    Rows with no id, or an id the registry does not have, are added.
    """
    name = "stdin" if source == "-" else source
    try:
        data = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    except OSError as error:
        raise RelintError(f"cannot read {name}: {error.strerror}") from None
    text = decode(data, encoding, name)
    kind = fmt or _import_format(source, text)
    if kind is ImportFormat.CSV:
        ignored, rows = read_table(text, name, guarded=not raw)
        if ignored:
            names = ", ".join(repr(name) if name.strip() else "(unnamed)" for name in ignored)
            note(f"Ignoring columns relint does not keep: {names}")
    else:
        rows = read_json(text, name, lines=kind is ImportFormat.JSONL)
    reg = registry(ctx, "import")
    planned = plan(progress(rows, "Checking"), reg.find, update=update, name=name)
    added = sum(not p.update for p in planned)
    if dry_run:
        for p in planned:
            action = f"update {p.agreement.id}" if p.update else "add"
            typer.echo(printable(f"row {p.row}: {action}: {_described(p.agreement, today())}"))
        note(f"Would add {added} and update {len(planned) - added} agreements; wrote nothing.")
        return
    with reg.transaction():
        for p in progress(planned, "Importing"):
            if p.update:
                reg.update(p.agreement)
            else:
                reg.insert(p.agreement)
    note(f"Imported {name}: added {added}, updated {len(planned) - added} agreements.")


def _import_format(source: str, text: str) -> ImportFormat:
    suffix = Path(source).suffix.lower()
    if suffix == ".json":
        return ImportFormat.JSON
    if suffix in (".jsonl", ".ndjson"):
        return ImportFormat.JSONL
    if suffix in (".csv", ".tsv", ".txt"):
        return ImportFormat.CSV
    start = text.lstrip()[:1]
    return (
        ImportFormat.JSON
        if start == "["
        else ImportFormat.JSONL
        if start == "{"
        else ImportFormat.CSV
    )


T = TypeVar("T")


def progress(items: list[T], description: str) -> Iterable[T]:
    """``items``, with a progress bar on stderr when it is a terminal and they are many."""
    if len(items) < PROGRESS_FROM or not sys.stderr.isatty():
        return items
    from rich.progress import track

    return track(items, description=description, console=render_console(sys.stderr), transient=True)


PROGRESS_FROM = 1000


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


def text(value: str) -> str:
    """``value`` as given, if it can be stored: text in UTF-8, as the registry holds it."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        shown = value.encode("utf-8", "surrogateescape")
        raise RelintError(f"not valid UTF-8 text: {shown!r}") from None
    return value


def _list_values(values: list[str]) -> tuple[str, ...]:
    return tuple(text(value) for value in values if value.strip())


def _cleared(parse: Callable[[str], Any]) -> Callable[[str], Any]:
    """``parse``, except that an empty value clears the field."""
    return lambda value: parse(value) if value.strip() else None


def _same(value: Any) -> Any:
    return value


# Each option of add and edit: the field it sets and how its text is read. Text is
# kept exactly as given.
_OPTIONS: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "kind": ("kind", parse_kind),
    "counterpart": ("counterpart", text),
    **{name: (name, _cleared(text)) for name in ("party", "country", "title", "source", "notes")},
    **{name: (name, _cleared(parse_date)) for name in ("signed", "start", "end")},
    "duration": ("duration", _cleared(parse_duration)),
    "renewable": ("renewable", _same),
    "auto_renew": ("auto_renew", _same),
    "notice": ("notice_days", _cleared(parse_notice)),
    "sector": ("sectors", _list_values),
    "signatory": ("signatories", _list_values),
}


def _fields(options: dict[str, Any]) -> dict[str, Any]:
    """The fields given as options to add or edit (the command's ``locals()``), parsed."""
    return {
        field: parse(options[name])
        for name, (field, parse) in _OPTIONS.items()
        if options[name] is not None
    }


def _described(agreement: Agreement, day: date) -> str:
    status = agreement.status(day)
    ends = f"ends {agreement.end}" if agreement.end else "no end date"
    return f"{agreement.kind} with {agreement.counterpart} ({ends}, {status})"


@app.command()
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
    fields = _fields(locals())
    agreement = new_agreement(fields.pop("kind"), fields.pop("counterpart"), **fields)
    reg = registry(ctx, "add")
    with reg.transaction():
        agreement_id = reg.insert(agreement)
    note(f"Added agreement {agreement_id}: {_described(agreement, today())}")
    typer.echo(agreement_id)


@app.command()
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
    changes = _fields(locals())
    if not changes:
        raise RelintError("nothing to change: give the fields to change as options")
    reg = registry(ctx, "edit")
    with reg.transaction():
        revised = revise(reg.get(agreement_id), **changes)
        reg.update(revised)
    note(f"Updated agreement {agreement_id}: {_described(revised, today())}")


class ShowFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


@app.command()
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


@app.command()
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
        if not stdin_is_terminal():
            raise RelintError(
                f"not removing agreement {agreement_id} without --yes (no terminal to ask)"
            )
        typer.confirm(
            printable(f"Remove agreement {agreement_id}, {_described(agreement, today())}?"),
            abort=True,
        )
    with reg.transaction():
        reg.get(agreement_id)  # still there: another process may have removed it meanwhile
        reg.delete(agreement_id)
    note(f"Removed agreement {agreement_id}.")


@app.command("terminate")
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
        ended = terminate(reg.get(agreement_id), day, text(reason))
        reg.update(ended)
    note(f"Terminated agreement {agreement_id} on {day}.")


@app.command("renew")
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


@app.command()
def init(ctx: typer.Context) -> None:
    """Create an empty registry at --db or RELINT_DB.

    Never overwrites a file.
    """
    path: Path = ctx.find_root().obj
    create(path)
    note(f"Created an empty registry at {path}.")


class HistoryFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    JSONL = "jsonl"


@app.command()
def history(
    ctx: typer.Context,
    agreement_id: Annotated[
        int | None,
        typer.Argument(help="Only this agreement's history.", metavar="[ID]", min=1, max=2**63 - 1),
    ] = None,
    fmt: Annotated[
        HistoryFormat,
        typer.Option(
            "--format", "-f", help="table for people; json or jsonl, with before and after."
        ),
    ] = HistoryFormat.TABLE,
) -> None:
    """Show the audit trail: who changed what, when, and how.

    Every add, edit, renew, terminate, import, remove and restore is recorded
    with the time (UTC), the user, the command and the agreement before and after.
    """
    entries = registry(ctx).trail(agreement_id)
    if fmt is not HistoryFormat.TABLE:
        write_json(entries, sys.stdout, lines=fmt is HistoryFormat.JSONL, fields=TRAIL_FIELDS)
    else:
        rows = [entry | {"changed": ", ".join(changed(entry)) or "-"} for entry in entries]
        if rows:
            draw_table(rows, HISTORY_COLUMNS, sys.stdout)
    if not entries:
        note(
            "No changes recorded."
            if agreement_id is None
            else f"No changes recorded for {agreement_id}."
        )


TRAIL_FIELDS = ("id", "at", "user", "command", "action", "agreement_id", "before", "after")
HISTORY_COLUMNS = (
    Column("#", "id", numeric=True),
    Column("At (UTC)", "at"),
    Column("User", "user", drop=2),
    Column("Action", "action"),
    Column("ID", "agreement_id", numeric=True),
    Column("Changed", "changed", text=True),
    Column("Command", "command", text=True, drop=1),
)


def changed(entry: dict[str, Any]) -> list[str]:
    """The fields an audit entry changed (none for an addition or a removal)."""
    before, after = entry["before"], entry["after"]
    if before is None or after is None:
        return []
    return [key for key in after if before.get(key) != after[key]]


@app.command()
def restore(ctx: typer.Context, agreement_id: IdArgument) -> None:
    """Bring back a removed agreement, as it was, from the audit trail."""
    reg = registry(ctx, "restore")
    if reg.find(agreement_id) is not None:
        raise RelintError(
            f"agreement {agreement_id} is in the registry: there is nothing to restore"
        )
    removed = [e for e in reg.trail(agreement_id) if e["after"] is None and e["before"]]
    if not removed:
        raise RelintError(f"the audit trail holds no removal of agreement {agreement_id}")
    agreement = from_snapshot(removed[-1]["before"])
    with reg.transaction():
        reg.insert(agreement)
    note(f"Restored agreement {agreement_id}: {_described(agreement, today())}")


@app.command()
def doctor(ctx: typer.Context, as_of: AsOfOption = None) -> None:
    """Check the registry file and its records; exit 1 when anything is wrong.

    Runs SQLite's integrity check and the search index's, checks the schema
    version, and lists data problems: unknown ends, ends before starts, notices
    longer than the term, and agreements that may be entered twice.
    """
    day = as_of_date(as_of)
    reg = registry(ctx)
    version, known = reg.schema()
    found = [f"the file: {problem}" for problem in reg.problems()]
    readable = []
    for agreement_id in reg.ids():
        try:
            readable.append(reg.get(agreement_id))
        except RelintError as error:
            found.append(str(error))
    found += data_problems(readable, day)
    for line in found:
        typer.echo(printable(line))
    state = "" if version == known else f" (this relint knows {known})"
    note(f"{reg.path}: schema version {version}{state}, {_count(len(readable), 'agreement')}, "
         f"{_count(len(found), 'problem')}.")  # fmt: skip
    if found:
        raise typer.Exit(1)


def _count(number: int, thing: str) -> str:
    return f"{number or 'no'} {thing}{'' if number == 1 else 's'}"


@app.command("backup")
def backup_(
    ctx: typer.Context,
    target: Annotated[Path, typer.Argument(help="The file to write the copy to.", metavar="DEST")],
    force: Annotated[bool, typer.Option("--force", help="Replace DEST if it exists.")] = False,
) -> None:
    """Copy the registry consistently, even while others write to it.

    Uses SQLite's online backup; the copy appears whole or not at all.
    """
    if target.is_dir():
        raise RelintError(f"{target} is a folder: give the name of the copy")
    if not target.parent.is_dir():
        raise RelintError(f"cannot write {target}: the folder {target.parent} does not exist")
    if target.exists() and not force:
        raise RelintError(f"{target} exists: give --force to replace it")
    reg = registry(ctx)
    if target.resolve() == reg.path.resolve():
        raise RelintError("the copy cannot replace the registry itself")
    reg.backup(target)
    note(f"Copied {reg.path} to {target}.")


@app.command()
def kinds() -> None:
    """List the kinds of agreement and their defaults."""
    rows = [
        {
            "kind": kind.value,
            "italian": ITALIAN[kind],
            "default_duration": str(DEFAULTS[kind].duration or ""),
            "renewable": DEFAULTS[kind].renewable,
        }
        for kind in Kind
    ]
    draw_table(
        rows,
        (
            Column("Kind", "kind"),
            Column("Italian", "italian"),
            Column("Default duration", "default_duration"),
            Column("Renewable", "renewable"),
        ),
        sys.stdout,
    )


INTERNAL_ERROR = 70  # EX_SOFTWARE: a fault in relint, not in what the user gave it


def main() -> None:
    """The ``relint`` console script."""
    # Die quietly when a reader such as `head` stops reading, as other tools do.
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    try:
        app(standalone_mode=True)
    except Exception as error:
        if os.environ.get("RELINT_DEBUG"):
            raise
        # No traceback, no message: either could show agreement data from local values.
        where = error.__traceback__
        while where is not None and where.tb_next is not None:
            where = where.tb_next
        place = (
            ""
            if where is None
            else f" at {Path(where.tb_frame.f_code.co_filename).name}:{where.tb_lineno}"
        )
        print(
            f"Error: relint failed unexpectedly ({type(error).__name__}{place}); nothing more is "
            "shown, to keep agreement data private. RELINT_DEBUG=1 shows the traceback.",
            file=sys.stderr,
        )
        sys.exit(INTERNAL_ERROR)
