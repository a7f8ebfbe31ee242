"""Output: one renderer per format, shared by every listing command.

Machine formats (csv, json, jsonl) carry exactly the record's fields and never
change with the terminal. The table is for people: Rich, coloured by status on
a terminal, plain when piped or when NO_COLOR is set. Rich is imported only
when a table is drawn.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterable, Sequence
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TextIO

from relint import i18n
from relint.agreement import FIELDS, NOTED, Agreement, Term
from relint.columns import LIST, Column
from relint.i18n import N_
from relint.text import printable
from relint.writers import cell_text, write_cells, write_json

if TYPE_CHECKING:
    from rich.console import Console


class Format(StrEnum):
    """Every format relint writes; each command takes those that fit what it writes."""

    TABLE = "table"
    CSV = "csv"
    TSV = "tsv"
    JSON = "json"
    JSONL = "jsonl"
    ICS = "ics"
    MD = "md"
    HTML = "html"
    TEXT = "text"
    XLSX = "xlsx"


STATUS_STYLES = {
    "active": "green",
    "expiring": "bold yellow",
    "expired": "red",
    "unknown": "magenta",
    "permanent": "cyan",
    "terminated": "dim",
}


NARROWEST_TEXT = 12  # a text column narrower than this is hard to read
GAP = 3  # the space between two columns


def write_rows(
    rows: Iterable[dict[str, Any]],
    fmt: Format,
    out: TextIO,
    columns: Sequence[Column] = LIST,
    *,
    fields: tuple[str, ...] = FIELDS,
    guarded: bool = False,
    delimiter: str | None = None,
    header: tuple[str, ...] | None = None,
    yes_no: tuple[str, str] | None = None,
) -> int:
    """Write ``rows`` in ``fmt``: the table's ``columns``, or every one of ``fields`` in
    the machine formats, CSV and TSV cells ``guarded`` against formulas (and separated
    by ``delimiter``, headed by ``header`` and saying booleans by ``yes_no``, if given);
    return how many were written. Streams machine formats."""
    if fmt is Format.TABLE:
        rows = list(rows)
        if rows:
            draw_table(rows, columns, out)
        return len(rows)
    values = (tuple(map(row.__getitem__, fields)) for row in rows)
    return write_values(
        values, fmt, out, fields=fields, guarded=guarded, delimiter=delimiter, header=header,
        yes_no=yes_no,
    )  # fmt: skip


def write_values(
    rows: Iterable[Sequence[Any]],
    fmt: Format,
    out: TextIO,
    *,
    fields: tuple[str, ...],
    guarded: bool = False,
    delimiter: str | None = None,
    header: tuple[str, ...] | None = None,
    yes_no: tuple[str, str] | None = None,
) -> int:
    """``write_rows`` in a machine format of ``rows`` given as the values of ``fields``, in
    order: the fastest way out for a million of them."""
    if isinstance(out, io.TextIOWrapper) and out.encoding.lower().replace("-", "") not in (
        "utf8",
        "utf8sig",
    ):
        out.reconfigure(encoding="utf-8")  # machine formats are UTF-8 whatever the locale
    if fmt in (Format.CSV, Format.TSV):
        separator = delimiter or ("\t" if fmt is Format.TSV else ",")
        return write_cells(
            rows, out, header=header or fields, guarded=guarded, delimiter=separator,
            yes_no=yes_no,
        )  # fmt: skip
    if fmt in (Format.JSON, Format.JSONL):
        records = (dict(zip(fields, values, strict=True)) for values in rows)
        return write_json(records, out, lines=fmt is Format.JSONL, fields=fields)
    raise ValueError(f"rows are not written as {fmt}")


def _escaping(out: TextIO) -> TextIO:
    """``out``, showing what its encoding cannot as escapes rather than failing."""
    if isinstance(out, io.TextIOWrapper):
        out.reconfigure(errors="backslashreplace")
    return out


def console(out: TextIO) -> Console:
    """A Rich console on ``out`` that never reads markup, and shows what the terminal's
    encoding cannot as escapes rather than failing."""
    from rich.console import Console

    out = _escaping(out)
    if os.environ.get("NO_COLOR"):
        # Rich's own NO_COLOR support keeps bold and dim; NO_COLOR asks for plain text.
        return Console(file=out, highlight=False, emoji=False, markup=False, color_system=None)
    return Console(file=out, highlight=False, emoji=False, markup=False)


def terminal(out: TextIO) -> bool:
    """Whether Rich may take ``out`` for a terminal: it is one, or the environment says
    to treat it as one. When not, Rich would not either, and a table is drawn without
    loading Rich's console."""
    if "FORCE_COLOR" in os.environ or "TTY_COMPATIBLE" in os.environ:
        return True
    try:
        return out.isatty()
    except ValueError:  # closed
        return False


def draw_table(rows: Sequence[dict[str, Any]], columns: Sequence[Column], out: TextIO) -> None:
    """A table for people: as wide as it needs when piped (one row, one line), fitted
    to the terminal otherwise."""
    from rich.cells import cell_len

    columns = [c._replace(heading=i18n._(c.heading)) for c in columns]
    cells = [
        {c.key: _shown(i18n.shown(c.key, row[c.key]) if c.said else row[c.key]) for c in columns}
        for row in rows
    ]
    widths = {
        c.key: max(cell_len(c.heading), *(cell_len(r[c.key]) for r in cells)) for c in columns
    }
    con = console(out) if terminal(out) else None
    if con is None or not con.is_terminal:
        _plain_table(cells, columns, widths, _escaping(out))
        return
    from rich import box
    from rich.table import Table
    from rich.text import Text

    columns = _fitted(columns, widths, con.width)
    table = Table(
        box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False, show_edge=False, padding=(0, 1)
    )
    for c in columns:
        table.add_column(
            c.heading,
            justify="right" if c.numeric else "left",
            no_wrap=not c.text,
            overflow="fold" if c.text else "ellipsis",
            min_width=None if c.text else widths[c.key],
        )
    for row, shown in zip(rows, cells, strict=True):
        style = STATUS_STYLES.get(row.get("status") or "", "")
        table.add_row(
            *(Text(shown[c.key], style=style if c.key == "status" else "") for c in columns)
        )
    con.print(table)


def _plain_table(
    cells: list[dict[str, str]], columns: Sequence[Column], widths: dict[str, int], out: TextIO
) -> None:
    """The table as plain text, one row a line, laid out as on a terminal: fast, for pipes."""
    from rich.cells import cell_len

    def line(values: dict[str, str]) -> str:
        padded = []
        for c in columns:
            fill = " " * (widths[c.key] - cell_len(values[c.key]))
            padded.append(fill + values[c.key] if c.numeric else values[c.key] + fill)
        return (" " * GAP).join(padded).rstrip() + "\n"

    out.write(line({c.key: c.heading for c in columns}))
    out.write("─" * (sum(widths.values()) + GAP * (len(columns) - 1)) + "\n")
    out.writelines(line(row) for row in cells)


def _fitted(columns: Sequence[Column], widths: dict[str, int], room: int) -> Sequence[Column]:
    """``columns`` without those that must go for the rest to fit in ``room`` cells."""

    def needed(kept: Sequence[Column]) -> int:
        return sum(
            min(widths[c.key], NARROWEST_TEXT) if c.text else widths[c.key] for c in kept
        ) + (GAP * len(kept))

    kept = list(columns)
    for column in sorted((c for c in columns if c.drop is not None), key=lambda c: c.drop or 0):
        if needed(kept) <= room:
            break
        kept.remove(column)
    return kept


def show(renderable: Any, out: TextIO) -> None:
    """Print ``renderable``: fitted to a terminal; when piped, as wide as it needs and
    without the spaces Rich pads lines with."""
    con = console(out)
    if con.is_terminal:
        con.print(renderable)
        return
    con.width = 1_000_000  # measure without a limit, then print no wider than needed
    con.width = max(con.measure(renderable).maximum, 1)
    with con.capture() as captured:
        con.print(renderable)
    out.write("".join(line.rstrip() + "\n" for line in captured.get().splitlines()))


def _shown(value: Any) -> str:
    return printable(cell_text(value))


# The record's fields as ``show`` labels them (their names; in Italian, words).
LABELS = {
    key: key for key in (
        N_("id"), N_("kind"), N_("title"), N_("party"), N_("counterpart"), N_("country"),
        N_("signed"), N_("start"), N_("duration"), N_("end"), N_("renewable"), N_("auto_renew"),
        N_("notice_days"), N_("sectors"), N_("signatories"), N_("source"), N_("notes"),
        N_("status"), N_("days_left"), N_("renewal"), N_("term"), N_("notice_deadline"),
        N_("terminated_on"), N_("termination_reason"), N_("notice_given"), N_("notice_reason"),
        N_("suspensions"),
    )
}  # fmt: skip
TERM_HEADINGS = (N_("#"), N_("Signed"), N_("Start"), N_("Duration"), N_("End"), "")


def draw_agreement(agreement: Agreement, day: date, out: TextIO) -> None:
    """One agreement for people, as it stood on ``day``: its fields, its termination,
    and every term; fitted to a terminal, and when piped, as wide as it needs."""
    shown = {
        key: value
        for key, value in _document(agreement, day).items()
        if key != "terms" and (value is not None or key in FIELDS)
    }
    fields = [
        (i18n._(LABELS[key]) if key in LABELS else key, _shown(i18n.shown(key, value)))
        for key, value in shown.items()
    ]
    headings = tuple(i18n._(heading) if heading else "" for heading in TERM_HEADINGS)
    terms = [
        (*(_shown(v) for v in (number, t.signed, t.start, t.duration, t.end)),
         i18n._("tacit") if t.tacit else "")
        for number, t in enumerate(_terms(agreement, day), start=1)
    ]  # fmt: skip
    title = i18n._("Terms")
    if not terminal(out):
        _plain_agreement(fields, title, headings, terms, _escaping(out))
        return
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    for (label, text), (key, value) in zip(fields, shown.items(), strict=True):
        style = STATUS_STYLES.get(value, "") if key == "status" else ""
        grid.add_row(label, Text(text, style=style))
    table = Table(title=title, title_justify="left", box=None, header_style="bold")
    for heading in headings:
        table.add_column(heading, no_wrap=True)
    for cells in terms:
        table.add_row(*(Text(cell) for cell in cells))
    show(Group(grid, "", table), out)


def _plain_agreement(
    fields: list[tuple[str, str]], title: str, headings: tuple[str, ...],
    terms: list[tuple[str, ...]], out: TextIO,
) -> None:  # fmt: skip
    """``draw_agreement`` piped, as Rich lays it out, without loading Rich's console: the
    fields two cells apart, a blank line, and the terms' table, each cell padded by one."""
    from rich.cells import cell_len

    widest = max((cell_len(label) for label, _ in fields), default=0)
    for label, text in fields:
        out.write(f"{label}{' ' * (widest - cell_len(label))}  {text}".rstrip() + "\n")
    widths = [max(cell_len(row[n]) for row in (headings, *terms)) for n in range(len(headings))]
    out.write("\n" + title + "\n")
    for row in (headings, *terms):
        line = "".join(f" {c}{' ' * (w - cell_len(c))} " for c, w in zip(row, widths, strict=True))
        out.write(line.rstrip() + "\n")


def _terms(agreement: Agreement, day: date) -> tuple[Term, ...]:
    """Every term the agreement ran for: those recorded (even those recorded after
    ``day``), then the tacit ones up to the one in force on ``day``."""
    tacit = (term for term in agreement.in_force(day).terms if term.tacit)
    return (*agreement.terms, *tacit)


def agreement_json(agreement: Agreement, day: date, explained: list[str] | None = None) -> str:
    """One agreement for scripts, as it stood on ``day``: its record, its termination
    and every term, oldest first (and how each date was reached, when ``explained``)."""
    document = _document(agreement, day)
    if explained is not None:
        document["explain"] = explained
    return json.dumps(document, ensure_ascii=False, indent=2)


def _document(agreement: Agreement, day: date) -> dict[str, Any]:
    known = agreement.in_force(day)
    terms = [
        {field: _text(getattr(term, field)) for field in ("signed", "start", "duration", "end")}
        | {"tacit": term.tacit}
        for term in _terms(agreement, day)
    ]
    return known.record(day) | NOTED.plain(agreement) | {"terms": terms}


def _text(value: object | None) -> str | None:
    return None if value is None else str(value)
