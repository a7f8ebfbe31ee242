"""Commands for files: the monthly report, export and import."""

from __future__ import annotations

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

from relint.cli import spec
from relint.cli.messages import note
from relint.cli.options import taking
from relint.cli.typer_app import described, progress, registry, today
from relint.errors import RelintError
from relint.i18n import _
from relint.imports import Planned, plan, read_json, read_table, text_lines
from relint.render import Format
from relint.text import printable

commands = typer.Typer()  # the commands of this module; see relint.cli.typer_app.MODULES


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
