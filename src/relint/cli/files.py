"""Commands for files: the monthly report, export and import."""

from __future__ import annotations

import functools
import io
import itertools
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from relint.agreement import EXPORT_FIELDS, export_record
from relint.cli import answers, spec
from relint.cli.messages import note
from relint.cli.options import taking
from relint.cli.typer_app import described, now, progress, registry, today
from relint.dates import PartialDate
from relint.durations import Window
from relint.errors import RelintError
from relint.filters import Filters
from relint.i18n import _, language, yes_no
from relint.imports import Planned, italian_header, plan, read_json, read_table, text_lines
from relint.outputs import destination, written
from relint.render import Format, write_rows
from relint.text import printable

commands = typer.Typer()  # the commands of this module; see relint.cli.typer_app.COMMANDS


@commands.command("report")
@taking(spec.REPORT)
def report(
    ctx: typer.Context,
    month: PartialDate | None,
    as_of: date | None,
    lookahead: Window,
    fmt: Format,
    output: Path | None,
    raw: bool,
    quiet: bool,  # it says nothing on stderr but errors anyway
) -> None:
    """Write the monthly renewal report.

    What the office must act on from the first day of the month through the
    look-ahead: what expires or needs notice, what expired with no decision,
    which records are incomplete, and counts by party, kind and status.
    """
    current = today(ctx)
    if as_of is not None:
        day = as_of
    else:
        month = month or PartialDate(current.year, current.month)
        day = month.earliest()
    reg = registry(ctx)
    built = answers.monthly(reg, day, lookahead, current)
    from relint.report_formats import RENDERERS, as_csv

    month_said = None if as_of is not None else str(month)
    if fmt is Format.XLSX:
        from relint.report_formats import report_workbook

        with written(output, reg.path) as path:
            report_workbook(built, month_said, path, now(ctx))
        return
    render = RENDERERS[fmt.value] if not raw else functools.partial(as_csv, guarded=False)
    with destination(output, reg.path) as out:  # --raw is for csv alone (spec.REPORT)
        out.write(render(built, month_said))


@commands.command("export")
@taking(spec.EXPORT)
def export(
    ctx: typer.Context,
    fmt: Format,
    output: Path | None,
    raw: bool,
    excel: bool,
    filters: Filters,
    as_of: date | None,
) -> None:
    """Export agreements for spreadsheets, scripts or a calendar.

    Every field of the record, in order, then the termination. In csv and tsv,
    cells a spreadsheet would run as formulas get a leading apostrophe unless
    --raw; a workbook (xlsx) holds them as text.
    """
    day = as_of or today(ctx)
    reg = registry(ctx)
    rolled = ((a, a.in_force(day)) for a in reg.agreements())
    chosen = ((a, current) for a, current in rolled if filters.admit(current, day))
    # For people in a spreadsheet: headings in their language (import reads both).
    header = italian_header(EXPORT_FIELDS) if language() == "it" else EXPORT_FIELDS
    if fmt is Format.XLSX:
        from relint.workbooks import write_agreements

        with written(output, reg.path) as path:
            write_agreements(
                (export_record(a, day, current) for a, current in chosen), path,
                keys=EXPORT_FIELDS, headings=header, as_of=day, created=now(ctx),
                yes_no=yes_no(),
            )  # fmt: skip
        return
    with destination(output, reg.path, bom=excel) as out:
        if fmt is Format.ICS:
            from relint.ics import calendar

            for piece in calendar((a for a, _ in chosen), now(ctx), day):
                out.write(piece.decode("utf-8"))
        else:
            records = (export_record(a, day, current) for a, current in chosen)
            delimiter = ";" if excel and fmt is Format.CSV else None
            write_rows(
                records, fmt, out, fields=EXPORT_FIELDS, guarded=not raw, delimiter=delimiter,
                header=header if excel else None, yes_no=yes_no() if excel else None,
            )  # fmt: skip


@commands.command("import")
@taking(spec.IMPORT)
def import_(
    ctx: typer.Context,
    source: Annotated[
        str,
        typer.Argument(
            help="A CSV, TSV, JSON or JSON lines file, a workbook (.xlsx, .xls, .ods), or - for"
            " stdin.",
            metavar="FILE",
        ),
    ],
    fmt: Format | None,
    dry_run: bool,
    update: bool,
    encoding: str | None,
    sheet: str | None,
    raw: bool,
) -> None:
    """Import agreements from a file, all of them or none.

    Every row is checked before any is written; one wrong row and nothing is.
    Rows with no id, or an id the registry does not have, are added. A file is
    known by what it holds: a workbook is read as one, whatever its name.
    """
    name = "stdin" if source == "-" else source
    try:
        stream = sys.stdin.buffer if source == "-" else open(source, "rb")  # noqa: SIM115
        size = None if source == "-" else os.fstat(stream.fileno()).st_size
    except OSError as error:
        raise RelintError(
            _("cannot read {name}: {strerror}").format(name=name, strerror=error.strerror)
        ) from None
    from relint.workbooks import sniffed

    with stream:
        workbook, stream = sniffed(stream)
        if workbook:
            if encoding is not None:
                raise RelintError(
                    _("{name} is a workbook: --encoding is for text files (CSV, JSON)").format(
                        name=name
                    )
                )
            from relint.workbooks import read_workbook

            whole = stream.seekable() and stream.tell() == 0
            book = stream if whole else io.BytesIO(stream.read())
            ignored, fields, rows = read_workbook(book, name, sheet)
            ids_in_file = "id" in fields
            size = None
        else:
            if sheet is not None:
                raise RelintError(
                    _("{name} is not a workbook: --sheet is for .xlsx, .xls and .ods").format(
                        name=name
                    )
                )
            lines = text_lines(stream, encoding, name)
            blank = []  # the lines before the first with text
            while (first := next(lines, "")).isspace():
                blank.append(first)
            lines = itertools.chain(blank, [first], lines)
            kind = fmt or _import_format(source, first)
            if kind is Format.CSV:
                ignored, fields, rows = read_table(lines, name, guarded=not raw)
                ids_in_file = "id" in fields
            else:
                ignored, rows = [], read_json(lines, name, json_lines=kind is Format.JSONL)
                ids_in_file = True
        if ignored:
            names = ", ".join(repr(name) if name.strip() else "(unnamed)" for name in ignored)
            note(_("Ignoring columns relint does not keep: {names}").format(names=names))
        reg = registry(ctx, None if dry_run else "import")
        shown = progress(rows, _("Checking") if dry_run else _("Importing"), size=size)
        planned = plan(shown, reg.find, update=update, name=name)
        if dry_run:
            _dry_run(planned, today(ctx))
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
    note(
        _("Imported {name}: added {added}, updated {updated} agreements.").format(
            name=name, added=added, updated=updated
        )
    )


def _dry_run(planned: Iterator[Planned], day: date) -> None:
    """Say what each row would do, once every row is known to be right."""
    added = updated = 0
    with tempfile.TemporaryFile("w+", encoding="utf-8") as said:
        for p in planned:
            action = _("update {id}").format(id=p.agreement.id) if p.update else _("add")
            line = _("row {row}: {action}: {described}").format(
                row=p.row, action=action, described=described(p.agreement, day)
            )
            said.write(printable(line) + "\n")
            updated += p.update
            added += not p.update
        said.seek(0)
        shutil.copyfileobj(said, sys.stdout)
    note(
        _("Would add {added} and update {updated} agreements; wrote nothing.").format(
            added=added, updated=updated
        )
    )


def _import_format(source: str, first_line: str) -> Format:
    suffix = Path(source).suffix.lower()
    if suffix == ".json":
        return Format.JSON
    if suffix in (".jsonl", ".ndjson"):
        return Format.JSONL
    if suffix in (".csv", ".tsv", ".txt"):
        return Format.CSV
    start = first_line.lstrip()[:1]
    return Format.JSON if start == "[" else Format.JSONL if start == "{" else Format.CSV
