"""Commands for files: the monthly report, export and import."""

from __future__ import annotations

import itertools
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from relint import clock
from relint.agreement import export_record
from relint.cli.base import described, destination, progress, registry
from relint.cli.options import (
    AsOfOption,
    CountryFilter,
    KindFilter,
    OutputOption,
    PartyFilter,
    SectorFilter,
    StatusFilter,
)
from relint.cli.plain import as_of_date, filters_from, note
from relint.dates import PartialDate, parse_date
from relint.durations import parse_window
from relint.errors import RelintError
from relint.imports import Planned, plan, read_json, read_table, text_lines
from relint.report import build as build_report
from relint.text import printable
from relint.writers import write_json, write_table

commands = typer.Typer()  # the commands of this module; see relint.cli.base.COMMANDS


class ReportFormat(StrEnum):
    MD = "md"
    HTML = "html"
    CSV = "csv"
    JSON = "json"


@commands.command("report")
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
        this_month = clock.today()
        first = parse_date(month) if month else PartialDate(this_month.year, this_month.month)
        if first.month is None or first.day is not None:
            raise RelintError(f"--month is a year and a month, such as 2026-11, not {month!r}")
        day = first.earliest()
        month = month or str(first)
    window, today, reg = parse_window(lookahead), clock.today(), registry(ctx)
    until = window.end(day)
    selection = reg.for_report(day, until, looking_back=day < today.replace(day=1))
    built = build_report(selection, reg.ending_between(day, until), day, window, today)
    from relint.report_formats import RENDERERS

    with destination(output_path, reg.path) as out:
        out.write(RENDERERS[fmt.value](built, month if as_of is None else None))


class ExportFormat(StrEnum):
    CSV = "csv"
    TSV = "tsv"
    JSON = "json"
    JSONL = "jsonl"
    ICS = "ics"


@commands.command("export")
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
    reg = registry(ctx)
    chosen = (a for a in reg.agreements() if filters.admit(a.known_on(day), day))
    records = (export_record(a, day) for a in chosen)
    with destination(output_path, reg.path, bom=excel) as out:
        if spreadsheet:
            delimiter = "\t" if fmt is ExportFormat.TSV else ";" if excel else ","
            write_table(records, out, delimiter=delimiter, guarded=not raw)
        elif fmt is ExportFormat.ICS:
            from relint.ics import calendar

            for piece in calendar(chosen, clock.now()):
                out.write(piece.decode("utf-8"))
        else:
            write_json(records, out, lines=fmt is ExportFormat.JSONL)


class ImportFormat(StrEnum):
    CSV = "csv"
    JSON = "json"
    JSONL = "jsonl"


@commands.command("import")
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
    """Import agreements from a file, all of them or none.

    Every row is checked before any is written; one wrong row and nothing is.
    Rows with no id, or an id the registry does not have, are added.
    """
    name = "stdin" if source == "-" else source
    try:
        stream = sys.stdin.buffer if source == "-" else open(source, "rb")  # noqa: SIM115
        size = None if source == "-" else os.fstat(stream.fileno()).st_size
    except OSError as error:
        raise RelintError(f"cannot read {name}: {error.strerror}") from None
    with stream:
        lines = text_lines(stream, encoding, name)
        blank = []  # the lines before the first with text
        while (first := next(lines, "")).isspace():
            blank.append(first)
        lines = itertools.chain(blank, [first], lines)
        kind = fmt or _import_format(source, first)
        if kind is ImportFormat.CSV:
            ignored, fields, rows = read_table(lines, name, guarded=not raw)
            if ignored:
                names = ", ".join(repr(name) if name.strip() else "(unnamed)" for name in ignored)
                note(f"Ignoring columns relint does not keep: {names}")
            ids_in_file = "id" in fields
        else:
            rows = read_json(lines, name, json_lines=kind is ImportFormat.JSONL)
            ids_in_file = True
        reg = registry(ctx, None if dry_run else "import")
        shown = progress(rows, "Checking" if dry_run else "Importing", size=size)
        planned = plan(shown, reg.find, update=update, name=name)
        if dry_run:
            _dry_run(planned)
            return
        added = updated = 0
        with reg.transaction(), reg.importing(ids_in_file=ids_in_file):
            for p in planned:
                if p.update:
                    reg.update(p.agreement)
                    updated += 1
                else:
                    reg.insert(p.agreement)
                    added += 1
    note(f"Imported {name}: added {added}, updated {updated} agreements.")


def _dry_run(planned: Iterator[Planned]) -> None:
    """Say what each row would do, once every row is known to be right."""
    added = updated = 0
    with tempfile.TemporaryFile("w+", encoding="utf-8") as said:
        today = clock.today()
        for p in planned:
            action = f"update {p.agreement.id}" if p.update else "add"
            said.write(printable(f"row {p.row}: {action}: {described(p.agreement, today)}") + "\n")
            updated += p.update
            added += not p.update
        said.seek(0)
        shutil.copyfileobj(said, sys.stdout)
    note(f"Would add {added} and update {updated} agreements; wrote nothing.")


def _import_format(source: str, first_line: str) -> ImportFormat:
    suffix = Path(source).suffix.lower()
    if suffix == ".json":
        return ImportFormat.JSON
    if suffix in (".jsonl", ".ndjson"):
        return ImportFormat.JSONL
    if suffix in (".csv", ".tsv", ".txt"):
        return ImportFormat.CSV
    start = first_line.lstrip()[:1]
    return (
        ImportFormat.JSON
        if start == "["
        else ImportFormat.JSONL
        if start == "{"
        else ImportFormat.CSV
    )
