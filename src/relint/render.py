"""Output: one renderer per format, shared by every listing command.

Machine formats (csv, json, jsonl) carry exactly the record's fields and never
change with the terminal. The table is for people: Rich, coloured by status on
a terminal, plain when piped or when NO_COLOR is set. Rich is imported only
when a table is drawn.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TextIO

from relint.agreement import FIELDS, Agreement
from relint.text import printable

if TYPE_CHECKING:
    from rich.console import Console


class Format(StrEnum):
    TABLE = "table"
    CSV = "csv"
    JSON = "json"
    JSONL = "jsonl"


STATUS_STYLES = {
    "active": "green",
    "expiring": "bold yellow",
    "expired": "red",
    "unknown": "magenta",
    "permanent": "cyan",
    "terminated": "dim",
}


@dataclass(frozen=True)
class Column:
    """A column of a people's table: a heading and the row key it shows."""

    heading: str
    key: str
    numeric: bool = False


LIST_COLUMNS = (
    Column("ID", "id", numeric=True),
    Column("Kind", "kind"),
    Column("Counterpart", "counterpart"),
    Column("Country", "country"),
    Column("Party", "party"),
    Column("Start", "start"),
    Column("End", "end"),
    Column("Days left", "days_left", numeric=True),
    Column("Status", "status"),
)


def write_rows(
    rows: Iterable[dict[str, Any]],
    fmt: Format,
    out: TextIO,
    columns: Sequence[Column] = LIST_COLUMNS,
) -> int:
    """Write ``rows`` in ``fmt``; return how many were written. Streams machine formats."""
    if fmt is Format.TABLE:
        rows = list(rows)
        if rows:
            draw_table(rows, columns, out)
        return len(rows)
    count = 0
    if fmt is Format.CSV:
        writer = csv.writer(out)
        writer.writerow(FIELDS)
        for count, row in enumerate(rows, start=1):  # noqa: B007
            writer.writerow([_cell(row[field]) for field in FIELDS])
    elif fmt is Format.JSONL:
        for count, row in enumerate(rows, start=1):  # noqa: B007
            out.write(_json(row) + "\n")
    else:
        out.write("[")
        for count, row in enumerate(rows, start=1):
            out.write(("\n" if count == 1 else ",\n") + _json(row))
        out.write("\n]\n" if count else "]\n")
    return count


def _json(row: dict[str, Any]) -> str:
    return json.dumps({field: row[field] for field in FIELDS}, ensure_ascii=False)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "; ".join(value)
    return str(value)


def console(out: TextIO) -> Console:
    """A Rich console on ``out`` that never reads markup and never wraps when piped."""
    from rich.console import Console

    con = Console(file=out, highlight=False, emoji=False, markup=False)
    if os.environ.get("NO_COLOR"):
        # Rich's own NO_COLOR support keeps bold and dim; NO_COLOR asks for plain text.
        con = Console(file=out, highlight=False, emoji=False, markup=False, color_system=None)
    if not con.is_terminal:
        # Piped output is read by grep and friends: one row, one line.
        con.width = 10_000
    return con


def draw_table(rows: Sequence[dict[str, Any]], columns: Sequence[Column], out: TextIO) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False, show_edge=False)
    for column in columns:
        table.add_column(column.heading, justify="right" if column.numeric else "left")
    for row in rows:
        style = STATUS_STYLES.get(row.get("status") or "", "")
        table.add_row(
            *(Text(_shown(row[c.key]), style=style if c.key == "status" else "") for c in columns)
        )
    show(table, out)


def show(renderable: Any, out: TextIO) -> None:
    """Print ``renderable``; when piped, without the spaces Rich pads lines with."""
    con = console(out)
    if con.is_terminal:
        con.print(renderable)
        return
    with con.capture() as captured:
        con.print(renderable)
    out.write("".join(line.rstrip() + "\n" for line in captured.get().splitlines()))


def _shown(value: Any) -> str:
    return printable(_cell(value))


def draw_agreement(agreement: Agreement, record: dict[str, Any], out: TextIO) -> None:
    """One agreement for people: its fields, its termination, and every term."""
    from rich.table import Table
    from rich.text import Text

    fields = Table.grid(padding=(0, 2))
    fields.add_column(style="bold")
    fields.add_column()
    shown = dict(record)
    if agreement.notice_deadline is not None:
        shown["notice_deadline"] = agreement.notice_deadline.isoformat()
    if agreement.terminated_on is not None:
        shown["terminated_on"] = str(agreement.terminated_on)
        shown["termination_reason"] = agreement.termination_reason
    for key, value in shown.items():
        style = STATUS_STYLES.get(value, "") if key == "status" else ""
        fields.add_row(key, Text(_shown(value), style=style))
    terms = Table(title="Terms", title_justify="left", box=None, header_style="bold")
    for heading in ("#", "Start", "Duration", "End"):
        terms.add_column(heading)
    for number, term in enumerate(agreement.terms, start=1):
        terms.add_row(*(Text(_shown(v)) for v in (number, term.start, term.duration, term.end)))
    from rich.console import Group

    show(Group(fields, "", terms), out)


def agreement_json(agreement: Agreement, record: dict[str, Any]) -> str:
    """One agreement for scripts: its record, its termination and every term, oldest first."""
    document = {field: record[field] for field in FIELDS} | {
        "notice_deadline": _text(agreement.notice_deadline),
        "terminated_on": _text(agreement.terminated_on),
        "termination_reason": agreement.termination_reason,
        "terms": [
            {"start": _text(t.start), "duration": _text(t.duration), "end": _text(t.end)}
            for t in agreement.terms
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def _text(value: object | None) -> str | None:
    return None if value is None else str(value)
