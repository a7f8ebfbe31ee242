"""Agreements in from files: CSV and TSV from spreadsheets, JSON and JSON lines from
scripts, read as they are needed, each row checked and planned before any is written.

Pure: no storage, no terminal. Imports read what relint exports and what staff have: a
BOM, ``;`` or ``,`` separators, Italian dates, kind names and column names (the
record's declared aliases), headers in any order, missing optional columns. Each
value is read as its field declares (``relint.values``).
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, BinaryIO, NoReturn

from relint.agreement import (
    COMPUTED,
    EXPORT_FIELDS,
    NEEDED,
    RECORD,
    Agreement,
    new_agreement,
    revise,
    with_termination,
)
from relint.errors import RelintError
from relint.i18n import _, language, ngettext
from relint.text import fold
from relint.values import CELL_LIMIT, DIGITS_LIMIT, MAX_ID
from relint.writers import unguard

# The Italian headings of the columns export --excel writes in Italian: each field's
# first alias, the computed ones' names below.
COMPUTED_ITALIAN = {
    "status": "stato", "days_left": "giorni", "term": "periodo",
    "notice_deadline": "preavviso entro",
}  # fmt: skip


# Column names a file may give each field, matched after folding case and accents: its
# name, with spaces for underscores, and its declared aliases.
_COLUMNS = {
    fold(name): f.name
    for f in RECORD
    for name in (f.name, f.name.replace("_", " "), *f.spec.aliases)
} | {
    fold(spelled): name
    for name in COMPUTED
    for spelled in (name, name.replace("_", " "), COMPUTED_ITALIAN[name])
}


def italian_header(fields: tuple[str, ...]) -> tuple[str, ...]:
    """``fields`` by their Italian headings (a field with none by its name)."""
    aliases = {f.name: f.spec.aliases[0] for f in RECORD if f.spec.aliases}
    return tuple(aliases.get(name) or COMPUTED_ITALIAN.get(name, name) for name in fields)


_READ = {f.name: f.value.read for f in RECORD}
_EMPTY = {f.name: f.value.empty for f in RECORD if not f.spec.kept}

# What an import reads, at most: a line of the file (or an item of a JSON array). The
# bound keeps a file with no line end (or a hostile one) from filling the memory.
LINE_LIMIT = 8 * 1024 * 1024  # bytes


@dataclass(frozen=True)
class Row:
    """One agreement read from a file: where it was, and its fields as given, or what
    makes it unreadable. A workbook's row also names its ``sheet``, and the column of
    each field (``cells``: field -> column letters), so that errors name cells as the
    spreadsheet shows them: Foglio1!C12."""

    number: int  # the spreadsheet's row number (the header is row 1), or the JSON item's
    values: dict[str, Any]  # field -> value, for the columns the file has; None if empty
    wrong: str | None = None
    sheet: str | None = None
    cells: Mapping[str, str] | None = None

    def told(self, error: RelintError) -> str:
        """``error`` about this row, where it is: its row, or in a workbook the cell of
        each field that is wrong."""
        if self.sheet is None:
            return _("row {number}: {error}").format(number=self.number, error=error)
        sheet = sheet_reference(self.sheet)
        row = _("{sheet}, row {number}").format(sheet=sheet, number=self.number)
        if isinstance(error, WrongFields) and self.cells is not None:
            return "; ".join(
                f"{sheet}!{self.cells[field]}{self.number}: {_(field)}: {message}"
                if field in self.cells
                else f"{row}: {_(field)}: {message}"
                for field, message in error.wrong
            )
        return f"{row}: {error}"


def sheet_reference(name: str) -> str:
    """A sheet's name as a reference to a cell gives it: Foglio1, 'Foglio 1'."""
    # Quoted unless a plain word that could not be read as a cell (A1, R1C1) itself.
    if re.fullmatch(r"[^\W\d]\w*", name) and not re.fullmatch(
        r"[A-Za-z]{1,3}\d+|[RrCc]\d*|[Rr]\d*[Cc]\d*", name
    ):
        return name
    return "'" + name.replace("'", "''") + "'"


class WrongFields(RelintError):
    """What is wrong with some fields of a row: ``wrong``, each field and its message."""

    def __init__(self, wrong: list[tuple[str, str]]) -> None:
        # The field as show names it.
        super().__init__("; ".join(f"{_(field)}: {message}" for field, message in wrong))
        self.wrong = wrong


def text_lines(stream: BinaryIO, encoding: str | None, name: str) -> Iterator[str]:
    """The lines of a file as text, each with its line end, read as they are needed.

    UTF-8 (with or without a BOM) unless told otherwise; a UTF-8 file is refused under
    another encoding, which would garble it without a word, and a file that begins
    with another byte-order mark, or holds NUL bytes, is told the encoding to give.
    """
    try:
        codec = codecs.lookup(encoding or "utf-8")
        wide = "a\n".encode(codec.name) != b"a\n"  # UTF-16 and the like: no bytes lines
    except (LookupError, UnicodeError):  # not an encoding of text (rot13, hex, base64...)
        raise RelintError(
            _("unknown text encoding {encoding!r}; for example cp1252").format(encoding=encoding)
        ) from None
    if wide:
        yield from _wide_lines(stream, codec.name, name)
        return
    suspect = codec.name != "utf-8"  # until a line that is not ASCII says which it is
    for number, line in enumerate(_lines(stream), start=1):
        _bounded(line, number, name)
        if number == 1 and encoding is None:
            _refuse_wide(line, name)
        if suspect and not line.isascii():
            if _is_utf8(line):
                raise RelintError(
                    _("{name} is UTF-8 text, not {encoding}: leave out --encoding").format(
                        name=name, encoding=encoding
                    )
                )
            suspect = False
        try:
            text = line.decode(codec.name)
        except UnicodeError as error:
            at = getattr(error, "start", None)
            byte = "" if at is None else f", byte {line[at]:#04x}"
            hint = "" if encoding else _("; if an older Excel saved it, try --encoding cp1252")
            raise RelintError(
                _("{name} is not {UTF} text (line {number}{byte}){hint}").format(
                    name=name, UTF=encoding or "UTF-8", number=number, byte=byte, hint=hint
                )
            ) from None
        yield text.removeprefix("\ufeff") if number == 1 else text


def _wide_lines(stream: BinaryIO, codec: str, name: str) -> Iterator[str]:
    """The lines of a file in UTF-16 or UTF-32, without its byte-order mark."""
    text = io.TextIOWrapper(stream, encoding=codec, newline="")
    number = 0
    while True:
        try:
            line = text.readline(LINE_LIMIT + 1)
        except UnicodeError:
            order = ""
            if codec in ("utf-16", "utf-32"):
                order = f"; without a byte-order mark, give --encoding {codec}-le or {codec}-be"
            raise RelintError(
                _("{name} is not {codec} text (line {number}){order}").format(
                    name=name, codec=codec, number=number + 1, order=order
                )
            ) from None
        if not line:
            return
        number += 1
        _bounded(line, number, name)
        yield line.removeprefix("\ufeff") if number == 1 else line


# Byte-order marks, longest first: UTF-32's begins as UTF-16's does.
_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32", "utf-32"), (codecs.BOM_UTF32_BE, "UTF-32", "utf-32"),
    (codecs.BOM_UTF16_LE, "UTF-16", "utf-16"), (codecs.BOM_UTF16_BE, "UTF-16", "utf-16"),
)  # fmt: skip


def _refuse_wide(first: bytes, name: str) -> None:
    """Refuse a file read as UTF-8 that is UTF-16 or UTF-32, told by its first line."""
    for bom, shown, codec in _BOMS:
        if first.startswith(bom):
            raise RelintError(
                _(
                    "{name} is {shown} text (it begins with a {shown} byte-order mark): give "
                    "--encoding {codec}"
                ).format(name=name, shown=shown, codec=codec)
            )
    if b"\x00" in first:
        raise RelintError(
            _(
                "{name} has NUL bytes in its first line: it may be UTF-16 or UTF-32 text without "
                "a byte-order mark; give --encoding utf-16-le (or utf-16-be, utf-32-le, "
                "utf-32-be)"
            ).format(name=name)
        )


def _bounded(line: str | bytes, number: int, name: str) -> None:
    if len(line) > LINE_LIMIT:
        raise RelintError(
            _(
                "{name}, line {number}: longer than {LINE_LIMIT} MiB (or no line end): relint "
                "reads lines up to {LINE_LIMIT} MiB"
            ).format(name=name, number=number, LINE_LIMIT=LINE_LIMIT // 2**20)
        )


def _lines(stream: BinaryIO) -> Iterator[bytes]:
    """The lines of ``stream``, each with its end: a line feed, a carriage return and a
    line feed, or a carriage return alone (old Mac spreadsheets); a line longer than
    ``LINE_LIMIT`` comes cut there, for the caller to refuse."""
    while line := stream.readline(LINE_LIMIT + 1):
        if b"\r" in line[:-2]:
            yield from (part for part in _LONE_CR.split(line) if part)
        else:
            yield line


_LONE_CR = re.compile(rb"(?<=\r)(?!\n)")


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def sniff_delimiter(header_line: str) -> str:
    """The separator of a spreadsheet's header line: the one that finds most known columns."""

    def known(delimiter: str) -> int:
        cells = next(csv.reader([header_line], delimiter=delimiter), [])
        return sum(fold(cell.strip()) in _COLUMNS for cell in cells)

    return max(("\t", ";", ","), key=lambda d: (known(d), header_line.count(d)))


def read_table(
    lines: Iterator[str], name: str, *, guarded: bool = True
) -> tuple[list[str], list[str | None], Iterator[Row]]:
    """The columns of a CSV or TSV file that relint does not keep, the field of each
    column, and its rows, read as they are needed; a row that is not as long as the
    header comes as a ``wrong`` row. Cells are unguarded unless exported ``--raw``."""
    first = next(lines, None)
    while first is not None and not first.strip():
        first = next(lines, None)
    if first is None:
        raise RelintError(_("{name} is empty").format(name=name))
    csv.field_size_limit(CELL_LIMIT)
    reader = csv.reader(
        itertools.chain([first], lines), delimiter=sniff_delimiter(first), strict=True
    )
    try:
        header = next(reader)
    except csv.Error as error:
        raise RelintError(_("{name}, row 1: {error}").format(name=name, error=error)) from None
    fields = columns_of(header, name)
    ignored = [cell for cell in header if not known_column(cell)]
    return ignored, fields, _table_rows(reader, header, fields, name, guarded)


def _table_rows(
    reader: Iterator[list[str]], header: list[str], fields: list[str | None], name: str,
    guarded: bool,
) -> Iterator[Row]:  # fmt: skip
    kept = [(field, index) for index, field in enumerate(fields) if field is not None]
    width = len(header)
    number = 1
    found = False
    try:
        for number, cells in enumerate(reader, start=2):
            line = "".join(cells)
            if not line or line.isspace():
                continue  # a blank line
            found = True
            if len(cells) != width:
                yield Row(number, {}, f"{len(cells)} cells where the header has {width}")
                continue
            # An empty or blank cell is an absent value; a guarded one loses its guard.
            yield Row(
                number,
                {
                    field: None
                    if not (cell := cells[index]) or cell.isspace()
                    else unguard(cell)
                    if guarded and cell[0] == "'"
                    else cell
                    for field, index in kept
                },
            )
    except csv.Error as error:
        said = str(error)
        if "field limit" in said:
            said = _("a cell longer than {limit:,} characters, the most relint reads").format(
                limit=CELL_LIMIT
            )
        elif "end of data" in said:
            said += " (a quote opened and never closed?)"
        raise RelintError(
            _("{name}, row {number}: {said}").format(name=name, number=number + 1, said=said)
        ) from None
    if not found:
        raise RelintError(_("{name} has a header and no agreements").format(name=name))


def known_column(cell: str) -> bool:
    """Whether a header's ``cell`` names a column relint knows."""
    return fold(cell.strip()) in _COLUMNS


def columns_of(header: list[str], name: str) -> list[str | None]:
    """The field of each column (None for a column relint computes or does not know)."""
    fields: list[str | None] = []
    for cell in header:
        field = _COLUMNS.get(fold(cell.strip()))
        if field is not None and field in fields:
            raise RelintError(
                _("{name}: the column {cell!r} appears twice").format(name=name, cell=cell)
            )
        fields.append(None if field in COMPUTED else field)
    missing = [f for f in NEEDED if f not in fields]
    if missing and "id" not in fields:
        # The columns as export names them in the language chosen (import reads both).
        named = ", ".join(italian_header(EXPORT_FIELDS) if language() == "it" else EXPORT_FIELDS)
        raise RelintError(
            _("{name}: no column {missing}; columns are named {named}").format(
                name=name, missing=_(" or ").join(_(field) for field in missing), named=named
            )
        )
    return fields


def read_json(lines: Iterator[str], name: str, *, json_lines: bool) -> Iterator[Row]:
    """The agreements of a JSON array of objects, or of JSON lines, each decoded as the
    lines that hold it are read."""
    items = _json_lines(lines, name) if json_lines else _json_array(lines, name)
    count = 0
    for count, (number, item) in enumerate(items, start=1):  # noqa: B007
        if not isinstance(item, _Object):
            yield Row(number, {}, "not an object")
            continue
        values: dict[str, Any] = {}
        keys: dict[str, str] = {}
        wrong = None
        for key, value in item:
            field = _COLUMNS.get(fold(str(key).strip()))
            if field is None or field in COMPUTED:
                continue
            if field in keys:
                wrong = f"{field} is given twice ({keys[field]!r} and {key!r})"
                break
            keys[field] = key
            values[field] = None if value in ("", []) else value
        yield Row(number, {} if wrong else values, wrong)
    if count == 0:
        raise RelintError(_("{name} holds no agreements").format(name=name))


class _Object(list[tuple[str, Any]]):
    """A JSON object as its members, in order, each key as often as the file gives it."""

    def __repr__(self) -> str:  # as error messages show a value where text was expected
        return "an object"


class _LongNumber:
    """A JSON number too long to be any value relint keeps, left unconverted."""

    def __init__(self, digits: str) -> None:
        self.digits = digits

    def __repr__(self) -> str:
        return _("a number of {digits:,} digits").format(digits=len(self.digits.lstrip("-")))


def _json_number(digits: str) -> int | _LongNumber:
    return int(digits) if len(digits) <= DIGITS_LIMIT + 1 else _LongNumber(digits)


def _json_lines(lines: Iterator[str], name: str) -> Iterator[tuple[int, Any]]:
    for number, line in enumerate(lines, start=1):
        if line.strip():
            yield number, _json(line, name, _("line {number}").format(number=number))


class _Text:
    """A file's text read a piece at a time, as a JSON decoder needs it: ``text`` holds
    what is read and not yet taken, from ``at``."""

    def __init__(self, lines: Iterator[str], name: str) -> None:
        self.lines, self.name = lines, name
        self.text, self.at = "", 0
        self.line = 1  # the file's line number at the start of ``text``

    def more(self) -> bool:
        """Read on, as much again as is left untaken (at least a few KiB); False at the
        end of the file."""
        left = self.text[self.at :]
        self.line += self.text.count("\n", 0, self.at)
        pieces, size = [left], 0
        while size < max(len(left), 4096) and (piece := next(self.lines, None)) is not None:
            pieces.append(piece)
            size += len(piece)
        self.text, self.at = "".join(pieces), 0
        if len(left) > LINE_LIMIT:
            self.wrong("an item longer than the 8 MiB relint reads", 0)
        return size > 0

    def next_char(self) -> str:
        """The next character that is not white space, not taken; "" at the end."""
        while True:
            self.at = _SPACE.match(self.text, self.at).end()  # type: ignore[union-attr]
            if self.at < len(self.text):
                return self.text[self.at]
            if not self.more():
                return ""

    def wrong(self, message: str, at: int) -> NoReturn:
        line = self.line + self.text.count("\n", 0, at)
        raise RelintError(
            _("{name}: not JSON (line {line}: {message})").format(
                name=self.name, line=line, message=message
            )
        )


_SPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder(object_pairs_hook=_Object, parse_int=_json_number)


def _json_array(lines: Iterator[str], name: str) -> Iterator[tuple[int, Any]]:
    """The items of a JSON array, decoded one at a time: memory follows the longest item,
    not the file."""
    source = _Text(lines, name)
    first = source.next_char()
    if not first:
        raise RelintError(_("{name} is empty").format(name=name))
    if first != "[":
        raise RelintError(_("{name}: a JSON import is an array of objects").format(name=name))
    source.at += 1
    number = 0
    while (char := source.next_char()) != "]":
        if number:
            if char != ",":
                source.wrong(
                    "Expecting ',' delimiter" if char else "the array is not closed", source.at
                )
            source.at += 1
            source.next_char()
        elif not char:
            source.wrong("the array is not closed", source.at)
        while True:
            try:
                item, end = _DECODER.raw_decode(source.text, source.at)
            except json.JSONDecodeError as error:
                if source.more():
                    continue  # the item goes on in what follows
                source.wrong(error.msg, error.pos)
            except RecursionError:
                raise RelintError(
                    _("{name}: JSON nested too deeply to be agreements").format(name=name)
                ) from None
            whole = isinstance(item, _Object | list | str)  # closed by a bracket or a quote
            if end == len(source.text) and not whole and source.more():
                continue  # a number or a word may go on in what follows
            break
        source.at = end
        number += 1
        yield number, item
    source.at += 1
    if source.next_char():
        source.wrong("Extra data", source.at)


def _json(text: str, name: str, where: str | None) -> Any:
    try:
        return _DECODER.decode(text)
    except json.JSONDecodeError as error:
        at = where or _("line {line}, column {column}").format(
            line=error.lineno, column=error.colno
        )
        raise RelintError(
            _("{name}: not JSON ({at}: {msg})").format(name=name, at=at, msg=error.msg)
        ) from None
    except RecursionError:
        raise RelintError(
            _("{name}: JSON nested too deeply to be agreements").format(name=name)
        ) from None


def parse_values(values: dict[str, Any]) -> dict[str, Any]:
    """The fields of an agreement from a row's values, each read as its field declares.
    An empty value clears a field, except those ``kept``, which it leaves as they were.

    Raises ``RelintError`` naming every field that is wrong.
    """
    fields: dict[str, Any] = {}
    wrong = []
    for field, value in values.items():
        if value is None:
            if field in _EMPTY:
                fields[field] = _EMPTY[field]
            continue
        try:
            fields[field] = _READ[field](value)
        except RelintError as error:
            wrong.append((field, str(error)))
    if wrong:
        raise WrongFields(wrong)
    return fields


@dataclass(frozen=True)
class Planned:
    """What importing a row will do: add ``agreement``, or update the one with its id."""

    row: int
    agreement: Agreement
    update: bool


MAX_SHOWN = 20


def plan(
    rows: Iterable[Row],
    lookup: Callable[[int], Agreement | None],
    *,
    update: bool,
    name: str,
) -> Iterator[Planned]:
    """What importing ``rows`` will do, row by row, in the file's order, until a row is
    wrong; every row is checked, and if any is wrong, this raises at the end one
    ``RelintError`` naming the rows that are wrong and what is wrong with each (the
    first ``MAX_SHOWN``, then how many more). Whoever writes what it yields must do it
    in a transaction, and let that error roll it back.

    ``lookup`` finds an agreement the registry held before the import.
    """
    errors: list[str] = []
    wrong = total = 0
    seen: set[int] = set()
    for row in rows:
        total += 1
        try:
            if row.wrong is not None:
                raise RelintError(row.wrong)
            planned = _planned(row, lookup, update, seen)
        except RelintError as error:
            wrong += 1
            if len(errors) < MAX_SHOWN:
                errors.append("  " + row.told(error))
            continue
        if not wrong:
            yield planned
    if wrong:
        more = (
            [_("  ... and {count} more").format(count=wrong - len(errors))]
            if wrong > len(errors)
            else []
        )
        heading = ngettext(
            "{name}: {wrong} of {total} rows is wrong; nothing was imported",
            "{name}: {wrong} of {total} rows are wrong; nothing was imported",
            wrong,
        ).format(name=name, wrong=wrong, total=total)
        raise RelintError(heading, (*errors, *more))


def _planned(
    row: Row, lookup: Callable[[int], Agreement | None], update: bool, seen: set[int]
) -> Planned:
    fields = parse_values(row.values)
    agreement_id = fields.pop("id", None)
    termination = {k: fields.pop(k) for k in ("terminated_on", "termination_reason") if k in fields}
    if agreement_id is not None:
        if not 1 <= agreement_id <= MAX_ID:
            said = _("{agreement_id} is not an id (1 to {MAX_ID})")
            raise WrongFields([("id", said.format(agreement_id=agreement_id, MAX_ID=MAX_ID))])
        if agreement_id in seen:
            raise RelintError(
                _("id {agreement_id} appears twice in the file").format(agreement_id=agreement_id)
            )
        seen.add(agreement_id)
    existing = lookup(agreement_id) if agreement_id is not None else None
    if existing is not None:
        if not update:
            raise RelintError(
                _("agreement {agreement_id} exists; give --update to change it").format(
                    agreement_id=agreement_id
                )
            )
        agreement = revise(existing, **fields)
    else:
        missing = [f for f in NEEDED if fields.get(f) is None]
        if missing:
            raise RelintError(
                ngettext("{missing} missing", "{missing} missing", len(missing)).format(
                    missing=_(" and ").join(map(_, missing))
                )
            )
        agreement = new_agreement(
            fields.pop("kind"), fields.pop("counterpart"), id=agreement_id, **fields
        )
    if termination:
        agreement = with_termination(
            agreement, termination.get("terminated_on"), termination.get("termination_reason")
        )
    return Planned(row.number, agreement, update=existing is not None)
