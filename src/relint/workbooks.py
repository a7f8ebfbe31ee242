"""Workbooks, as offices exchange them: agreements and the report out as .xlsx, and
agreements in from .xlsx, .xls and .ods.

A workbook says what a CSV cannot: this cell is text, this one a date. Out, a date
known to the day is a date cell; a partial date, a reference, any text (leading zeros
and all) a text cell; a number a number; true and false are words in the language
chosen. No cell is ever a formula. In, a date cell is a date and a text cell is text,
read by the same rules as a CSV's cells; errors name the cell, as Foglio1!C12.

Writing streams (XlsxWriter's constant_memory mode writes each row as it comes), so
memory does not grow with the agreements; reading is python-calamine's, which reads
all three kinds. Both are imported only here, by the commands that need them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, time
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from relint.agreement import RECORD
from relint.errors import RelintError
from relint.i18n import _
from relint.imports import Row, columns_of, known_column
from relint.text import fold
from relint.values import DATE
from relint.writers import cell_text

if TYPE_CHECKING:
    from xlsxwriter.workbook import Workbook
    from xlsxwriter.worksheet import Worksheet

# What one sheet holds (Excel's limits, which LibreOffice shares).
SHEET_ROWS = 1_048_576
CELL_CHARS = 32_767
# The largest whole number a spreadsheet shows exactly: it keeps 15 significant digits.
EXACT = 10**15 - 1
# Columns no wider than this, in characters: a long note wraps in the cell, not across.
WIDEST = 60
# Printed, up to this many columns fit the page's width.
FIT_COLUMNS = 12

# The keys whose values are dates (a date known to the day becomes a date cell).
DATE_KEYS = frozenset({f.name for f in RECORD if f.value is DATE} | {"notice_deadline", "alert_on"})
_FULL_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
# Spreadsheets count days from 1900 and count a 29 February 1900 that never was: an
# earlier date is written as text, which both read alike.
_FIRST_DAY = "1900-03-01"


class Book:
    """A workbook being written to ``path``: its sheets one after the other, each row by
    row (``Sheet``); ``close`` finishes the file."""

    def __init__(self, path: Path, *, title: str, comments: str, created: datetime) -> None:
        import xlsxwriter

        self.workbook: Workbook = xlsxwriter.Workbook(
            str(path), {"constant_memory": True, "strings_to_numbers": False}
        )
        self.workbook.set_properties(
            {"title": title, "comments": comments, "created": created.replace(tzinfo=None)}
        )
        self.heading = self.workbook.add_format({"bold": True, "bottom": 1})
        self.text = self.workbook.add_format({"num_format": "@"})
        self.date = self.workbook.add_format({"num_format": "yyyy-mm-dd"})

    def sheet(self, name: str, headings: Sequence[str], keys: Sequence[str]) -> Sheet:
        return Sheet(self, name, headings, keys)

    def close(self) -> None:
        from xlsxwriter.exceptions import XlsxWriterException

        try:
            self.workbook.close()
        except XlsxWriterException as error:
            raise RelintError(_("cannot write the workbook: {error}").format(error=error)) from None


class Sheet:
    """A sheet written row by row: a header row, frozen and filtered, then one row a
    record; each column as wide as its content (up to ``WIDEST``)."""

    def __init__(self, book: Book, name: str, headings: Sequence[str], keys: Sequence[str]) -> None:
        self.book = book
        self.keys = tuple(keys)
        self.worksheet: Worksheet = book.workbook.add_worksheet(name)
        self.widths = [len(heading) for heading in headings]
        for column, heading in enumerate(headings):
            self.worksheet.write_string(0, column, heading, book.heading)
        self.worksheet.freeze_panes(1, 0)
        # Printed: A4 across, the header on each page, and the columns on the page's width
        # when there are few enough to read there (a report's, not an export's).
        self.worksheet.set_paper(9)
        self.worksheet.set_landscape()
        self.worksheet.repeat_rows(0)
        if len(self.keys) <= FIT_COLUMNS:
            self.worksheet.fit_to_pages(1, 0)
        self.rows = 0

    def add(self, record: dict[str, Any], yes_no: tuple[str, str], about: str = "") -> None:
        """Write ``record``'s values of the sheet's keys as the next row; ``about`` names
        it in an error (a value longer than a cell holds)."""
        self.rows += 1
        row = self.rows
        if row == SHEET_ROWS:
            raise RelintError(
                _("a sheet holds at most {rows:,} rows: export fewer agreements (filters), or "
                  "as csv").format(rows=SHEET_ROWS - 1)
            )  # fmt: skip
        write, book, widths = self.worksheet, self.book, self.widths
        for column, key in enumerate(self.keys):
            value = record[key]
            if value is None or value == "" or value == []:
                continue
            if isinstance(value, bool):
                text = yes_no[not value]
                write.write_string(row, column, text, book.text)
            elif isinstance(value, int) and -EXACT <= value <= EXACT:
                write.write_number(row, column, value)
                text = str(value)
            elif key in DATE_KEYS and _FULL_DATE.fullmatch(value) and value >= _FIRST_DAY:
                write.write_datetime(row, column, date.fromisoformat(value), book.date)
                text = value
            else:
                text = cell_text(value)
                if len(text) > CELL_CHARS:
                    raise RelintError(
                        _("{about}: {key} is {length:,} characters long, and a spreadsheet "
                          "cell holds {most:,}: export it as csv or json").format(
                            about=about, key=_(key), length=len(text), most=CELL_CHARS
                        )
                    )  # fmt: skip
                write.write_string(row, column, text, book.text)
            width = max(map(len, text.splitlines() or [""]))
            if width > widths[column]:
                widths[column] = width

    def close(self) -> None:
        """Size the columns to their content, and filter by the header."""
        for column, width in enumerate(self.widths):
            self.worksheet.set_column(column, column, min(width, WIDEST) + 2)
        self.worksheet.autofilter(0, 0, self.rows, len(self.keys) - 1)


def write_agreements(
    records: Iterable[dict[str, Any]],
    path: Path,
    *,
    keys: Sequence[str],
    headings: Sequence[str],
    as_of: date,
    created: datetime,
    yes_no: tuple[str, str],
) -> int:
    """Write ``records`` to a workbook at ``path``: one sheet, a row each; return how
    many. The as-of date is in the workbook's properties, with its title."""
    book = Book(
        path,
        title=_("International agreements as of {day}").format(day=as_of),
        comments=_("As of {day}").format(day=as_of),
        created=created,
    )
    book.workbook.set_custom_property("as_of", datetime.combine(as_of, time()))
    sheet = book.sheet(_("Agreements"), headings, keys)
    for record in records:
        sheet.add(record, yes_no, _("agreement {id}").format(id=record.get("id")))
    sheet.close()
    book.close()
    return sheet.rows


# Reading


def read_workbook(
    stream: IO[bytes], name: str, sheet_name: str | None
) -> tuple[list[str], list[str | None], Iterator[Row]]:
    """The columns of a workbook's sheet (the first, unless ``sheet_name``) that relint
    does not keep, the field of each column, and its rows, read as they are needed. The
    header is the first row that names columns relint knows: a title above it, and
    empty rows anywhere, are passed over. A text cell is taken as it is: a workbook
    needs no guard against formulas, and relint writes none into one."""
    from python_calamine import CalamineError, CalamineWorkbook, PasswordError

    try:
        book = CalamineWorkbook.from_filelike(stream)
        names = book.sheet_names
        if not names:
            raise RelintError(_("{name} is a workbook with no sheets").format(name=name))
        chosen = names[0] if sheet_name is None else _sheet_named(sheet_name, names, name)
        sheet = book.get_sheet_by_name(chosen)
    except PasswordError:
        raise RelintError(
            _("{name} is protected by a password: save a copy without one, and import that").format(
                name=name
            )
        ) from None
    except CalamineError as error:
        raise RelintError(
            _("{name} is not a workbook relint can read: {error}").format(name=name, error=error)
        ) from None
    if sheet.start is None:
        raise RelintError(_("{name}: the sheet {sheet} is empty").format(name=name, sheet=chosen))
    first_column = sheet.start[1]
    rows = enumerate(sheet.iter_rows(), start=1)  # from the first row, numbered as shown
    header = _header(rows, name, chosen)
    try:
        fields = columns_of(header, name)
    except RelintError as error:
        if len(names) == 1:
            raise
        read = _("relint read the sheet {sheet!r}, of {names}: give --sheet NAME").format(
            sheet=chosen, names=", ".join(repr(n) for n in names)
        )
        raise RelintError(f"{error}; {read}") from None
    ignored = [cell for cell in header if cell.strip() and not known_column(cell)]
    cells = {field: _letters(first_column + index) for index, field in enumerate(fields) if field}
    return ignored, fields, _rows(rows, fields, chosen, cells, name)


def _sheet_named(wanted: str, names: list[str], name: str) -> str:
    if wanted in names:
        return wanted
    folded = [n for n in names if fold(n) == fold(wanted)]
    if len(folded) == 1:
        return folded[0]
    raise RelintError(
        _("{name} has no sheet {wanted!r}; its sheets are {names}").format(
            name=name, wanted=wanted, names=", ".join(repr(n) for n in names)
        )
    )


# How far down a header may be: below a title, a note, a few empty rows.
HEADER_WITHIN = 20


def _header(rows: Iterator[tuple[int, list[Any]]], name: str, sheet: str) -> list[str]:
    """The header row: the first that names two columns relint knows, within the first
    ``HEADER_WITHIN`` rows (else the first row with anything in it, for ``columns_of``
    to say what is missing)."""
    first: list[str] | None = None
    for number, cells in rows:
        texts = ["" if cell is None else str(cell) for cell in cells]
        if not any(text.strip() for text in texts):
            continue
        if sum(known_column(text) for text in texts) >= 2:
            return texts
        first = first or texts
        if number >= HEADER_WITHIN:
            break
    if first is None:
        raise RelintError(_("{name}: the sheet {sheet} is empty").format(name=name, sheet=sheet))
    return first


def _rows(
    rows: Iterator[tuple[int, list[Any]]],
    fields: list[str | None],
    sheet: str,
    cells: dict[str, str],
    name: str,
) -> Iterator[Row]:
    kept = [(field, index) for index, field in enumerate(fields) if field is not None]
    found = False
    for number, values in rows:
        if all(_empty(value) for value in values):
            continue
        found = True
        read = {}
        for field, index in kept:
            value = values[index] if index < len(values) else ""
            read[field] = None if _empty(value) else _cell(value, field)
        yield Row(number, read, sheet=sheet, cells=cells)
    if not found:
        raise RelintError(_("{name} has a header and no agreements").format(name=name))


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and (not value or value.isspace()))


def _cell(value: Any, field: str) -> str:
    """A workbook's cell as the text a CSV would hold: a date cell as its date, a whole
    number as its digits, true and false as words."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        if field in DATE_KEYS or value.time() == time():
            return value.date().isoformat()
        return value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _letters(index: int) -> str:
    """The letters of a column, from 0: A, ..., Z, AA, ..."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


# What a file is, by its first bytes.
ZIP = b"PK\x03\x04"  # an .xlsx or an .ods (or another ZIP archive)
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an .xls (or a password-protected .xlsx)


def is_workbook(first_bytes: bytes) -> bool:
    """Whether a file that begins with ``first_bytes`` is a workbook (or a ZIP archive,
    which only a workbook reader can tell apart)."""
    return first_bytes.startswith((ZIP, OLE))
