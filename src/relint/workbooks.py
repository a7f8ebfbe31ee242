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

import contextlib
import io
import itertools
import os
import pickle
import re
import signal
import sys
from collections.abc import Generator, Iterable, Iterator, Sequence
from datetime import date, datetime, time
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, BinaryIO, NoReturn

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
# Columns no wider than this, in characters: a long note is cut at the column's edge.
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
        import tempfile

        import xlsxwriter

        # The rows wait in files of the writer's own until the workbook is closed: in a
        # folder removed whatever happens (see ``close``).
        self.folder = tempfile.TemporaryDirectory(prefix="relint-")
        self.workbook: Workbook = xlsxwriter.Workbook(
            str(path),
            {"constant_memory": True, "strings_to_numbers": False, "tmpdir": self.folder.name},
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
        finally:
            self.folder.cleanup()

    def __enter__(self) -> Book:
        return self

    def __exit__(self, *failed: object) -> None:
        """Close the workbook; or, on a failure, only remove what it wrote so far."""
        if failed[0] is None:
            self.close()
        else:
            self.folder.cleanup()


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
    with book:
        book.workbook.set_custom_property("as_of", datetime.combine(as_of, time()))
        sheet = book.sheet(_("Agreements"), headings, keys)
        for record in records:
            sheet.add(record, yes_no, _("agreement {id}").format(id=record.get("id")))
        sheet.close()
    return sheet.rows


# Reading


def read_workbook(
    stream: IO[bytes], name: str, sheet_name: str | None
) -> tuple[list[str], list[str | None], Iterator[Row]]:
    """The columns of a workbook's sheet (the first shown, unless ``sheet_name``) that
    relint does not keep, the field of each column, and its rows, read as they are
    needed. The header is the first row that names two columns relint knows, within
    the first ``HEADER_WITHIN`` rows: a title above it, and empty rows anywhere, are
    passed over. A text cell is taken as it is: a workbook needs no guard against
    formulas, and relint writes none into one."""
    sheet = Reading(stream, name, sheet_name)
    rows = sheet.rows()
    try:
        return _read(sheet, rows, name)
    except BaseException:
        rows.close()  # stops the child now, not when the traceback is let go
        raise


def _read(
    sheet: Reading, rows: Iterator[tuple[int, list[Any]]], name: str
) -> tuple[list[str], list[str | None], Iterator[Row]]:
    header, ahead = _header(rows)
    if header is None:
        raise RelintError(
            _("{name}: the sheet {sheet} is empty").format(name=name, sheet=sheet.name)
        )
    try:
        fields = columns_of(header, name)
    except RelintError as error:
        if len(sheet.names) == 1:
            raise
        read = _("relint read the sheet {sheet!r}, of {names}: give --sheet NAME").format(
            sheet=sheet.name, names=", ".join(repr(n) for n in sheet.names)
        )
        raise RelintError(f"{error}; {read}") from None
    ignored = [cell for cell in header if cell.strip() and not known_column(cell)]
    cells = {
        field: _letters(sheet.first_column + index) for index, field in enumerate(fields) if field
    }
    return ignored, fields, _rows(itertools.chain(ahead, rows), fields, sheet.name, cells, name)


class Reading:
    """A workbook's sheet, opened: the workbook's sheet ``names``, the sheet's ``name``,
    the index of its ``first_column``, and its ``rows()``, each numbered as the
    spreadsheet shows it.

    python-calamine holds a sheet whole, as a grid from its first cell to its last: a
    stray value far from the others (in XFD1048576) makes a grid of billions of cells,
    which fails to allocate and aborts the process. So the sheet is read in a child
    process of its own, which sends the rows here as they are read: a sheet too large
    for the memory ends the child, not relint, which says so; and relint's memory
    does not grow with the sheet. Whatever stops the reading (the last row, an error,
    an interrupt), the child is stopped and waited for."""

    def __init__(self, stream: IO[bytes], name: str, wanted: str | None) -> None:
        self.file, self.pid = name, 0
        if not hasattr(os, "fork"):  # where there is no fork, in this process
            self.names, self.name, self.first_column, self.here = _opened(stream, name, wanted)
            return
        reading, writing = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        try:
            pid = os.fork()
        except OSError:
            os.close(reading)
            os.close(writing)
            raise
        if pid == 0:  # the child: it sends what it reads, and ends without cleaning up
            try:
                os.close(reading)
                _send(writing, stream, name, wanted)
            finally:
                os._exit(0)
        os.close(writing)
        self.pid = pid
        self.pipe = os.fdopen(reading, "rb")
        try:
            kind, *said = self._next()
            if kind != "sheet":
                self._failed(kind, said[0])
        except BaseException:
            self.done()
            raise
        self.names, self.name, self.first_column = said

    def rows(self) -> Generator[tuple[int, list[Any]], None, None]:
        """The sheet's rows, as they come; the child is stopped when they stop."""
        if not self.pid:
            yield from self.here
            return
        try:
            while (message := self._next())[0] == "rows":
                yield from message[1]
            if message[0] != "end":
                self._failed(*message)
        finally:
            self.done()

    def _next(self) -> tuple[Any, ...]:
        try:
            message: tuple[Any, ...] = pickle.load(self.pipe)
        except (EOFError, pickle.UnpicklingError):  # the child ended without a word
            raise RelintError(
                _("{name}: the sheet is too large to read (a value far beyond the others?):"
                  " keep only the agreements in it, or save it as CSV").format(name=self.file)
            ) from None  # fmt: skip
        return message

    @staticmethod
    def _failed(kind: str, said: str) -> NoReturn:
        if kind == "error":
            raise RelintError(said)
        raise RuntimeError(f"reading the workbook: {said}")  # a fault: relint's internal error

    def done(self) -> None:
        """Stop the child, if it still runs, and wait for it."""
        if self.pid:
            pid, self.pid = self.pid, 0
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            # Under a parent that ignores SIGCHLD, the child is reaped already.
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
            self.pipe.close()


def _send(writing: int, stream: IO[bytes], name: str, wanted: str | None) -> None:
    """In the child: send the sheet's names and rows down the pipe, pickled, a batch of
    rows at a time; or an error."""
    try:
        import faulthandler
        import resource

        # Its failures are told by the parent: none of the reader's own on stderr, no
        # core file. Past half the machine's memory (or a lower limit already set), an
        # allocation fails, and the child ends.
        os.dup2(os.open(os.devnull, os.O_WRONLY), 2)
        faulthandler.disable()
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        half = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if soft == resource.RLIM_INFINITY or soft > half:
            with contextlib.suppress(ValueError, OSError):
                resource.setrlimit(resource.RLIMIT_AS, (half, hard))
        with os.fdopen(writing, "wb", buffering=1 << 16) as out:
            try:
                names, chosen, first, rows = _opened(stream, name, wanted)
                pickle.dump(("sheet", names, chosen, first), out)
                batch: list[tuple[int, list[Any]]] = []
                for row in rows:
                    batch.append(row)
                    if len(batch) == 512:
                        pickle.dump(("rows", batch), out)
                        batch = []
                pickle.dump(("rows", batch), out)
                pickle.dump(("end",), out)
            except RelintError as error:
                pickle.dump(("error", str(error)), out)
            except Exception as error:  # told to the parent, as a fault
                pickle.dump(("fault", f"{type(error).__name__}: {error}"), out)
    except BaseException:  # the parent is gone, or an interrupt: end quietly
        os._exit(1)


def _opened(
    stream: IO[bytes], name: str, wanted: str | None
) -> tuple[list[str], str, int, Iterator[tuple[int, list[Any]]]]:
    """A workbook's sheet names, the sheet read (``wanted``, else the first shown), the
    index of its first column, and its rows, each numbered as the spreadsheet shows it."""
    from python_calamine import CalamineError, CalamineWorkbook, PasswordError, SheetVisibleEnum

    try:
        book = CalamineWorkbook.from_filelike(stream)
        names = book.sheet_names
        if not names:
            raise RelintError(_("{name} is a workbook with no sheets").format(name=name))
        if wanted is None:
            shown = [s.name for s in book.sheets_metadata if s.visible == SheetVisibleEnum.Visible]
            chosen = (shown or names)[0]
        else:
            chosen = _sheet_named(wanted, names, name)
        sheet = book.get_sheet_by_name(chosen)
    except PasswordError:
        raise RelintError(
            _("{name} is protected by a password: save a copy without one, and import that").format(
                name=name
            )
        ) from None
    except CalamineError:  # its reader's words, in English, would say no more
        raise RelintError(
            _(
                "{name} is not a workbook relint can read (.xlsx, .xls, .ods), or it is damaged"
            ).format(name=name)
        ) from None
    first = sheet.start[1] if sheet.start else 0
    return names, chosen, first, enumerate(sheet.iter_rows(), start=1)


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


def _header(
    rows: Iterator[tuple[int, list[Any]]],
) -> tuple[list[str] | None, list[tuple[int, list[Any]]]]:
    """The header row, and the rows read after it to find it: the first row that names
    two columns relint knows, within the first ``HEADER_WITHIN`` rows; else the first
    row with anything in it (for ``columns_of`` to say what is missing); None for a
    sheet with nothing in it."""
    ahead: list[tuple[int, list[Any]]] = []
    for number, cells in rows:
        ahead.append((number, cells))
        texts = _texts(cells)
        if sum(known_column(text) for text in texts) >= 2:
            return texts, []
        if number >= HEADER_WITHIN:
            break
    for at, (_number, cells) in enumerate(ahead):
        if any(text.strip() for text in _texts(cells)):
            return _texts(cells), ahead[at + 1 :]
    return None, []


def _texts(cells: list[Any]) -> list[str]:
    """A header's cells as text (a number as it shows: 2024, not 2024.0)."""
    return [_cell(cell, "") if not _empty(cell) else "" for cell in cells]


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
        if abs(value) > EXACT:  # rounded by the spreadsheet: not the number typed
            return repr(value)
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


def sniffed(stream: BinaryIO) -> tuple[bool, BinaryIO]:
    """Whether ``stream`` holds a workbook (or a ZIP archive, which only a workbook
    reader can tell apart), told by its first bytes; and a stream that reads it from
    where it was, those bytes included."""
    if stream.seekable():
        at = stream.tell()
        first = stream.read(8)
        stream.seek(at)
        return first.startswith((ZIP, OLE)), stream
    first = b""
    while len(first) < 8 and (more := stream.read(8 - len(first))):
        first += more  # a pipe may give a few bytes at a time
    return first.startswith((ZIP, OLE)), io.BufferedReader(_Replayed(first, stream))


class _Replayed(io.RawIOBase):
    """A stream's first bytes, already read from it, then the rest of it."""

    def __init__(self, first: bytes, rest: BinaryIO) -> None:
        self.first, self.rest = first, rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.first[: len(buffer)]
        self.first = self.first[len(data) :]
        if not data:
            data = self.rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)
