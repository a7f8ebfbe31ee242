"""Agreements in and out of files: CSV and TSV for spreadsheets, JSON for scripts.

Pure: no storage, no terminal. Exports carry every field of the record in the
contract's order, then the termination, so that an export imported into a new
registry gives back every field. Imports read what relint exports and what staff
have: a BOM, ``;`` or ``,`` separators, Italian dates and kind names, headers in
any order (English or Italian), missing optional columns.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any, BinaryIO, NoReturn, TextIO

from relint.agreement import FIELDS, Agreement, Term, new_agreement, revise, with_termination
from relint.dates import PartialDate, parse_date
from relint.durations import Duration, parse_duration
from relint.errors import RelintError
from relint.kinds import Kind, parse_kind
from relint.text import fold, storable

EXPORT_FIELDS = (*FIELDS, "terminated_on", "termination_reason")
COMPUTED = ("status", "days_left")

# A cell a spreadsheet would run as a formula (OWASP, CSV injection): it starts with
# one of these, perhaps behind apostrophes that an earlier guard added.
_FORMULA = re.compile(r"'*[=+\-@\t\r]")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)


def export_record(agreement: Agreement, as_of: date) -> dict[str, Any]:
    """``EXPORT_FIELDS`` of ``agreement`` as it stood on ``as_of``."""
    known = agreement.known_on(as_of)
    terminated = agreement.terminated_on
    return known.record(as_of) | {
        "terminated_on": None if terminated is None else str(terminated),
        "termination_reason": agreement.termination_reason,
    }


def guard(cell: str) -> str:
    """``cell`` made safe to open in a spreadsheet: a leading apostrophe before what
    would run as a formula. ``unguard`` gives the cell back exactly."""
    if _FORMULA.match(cell) and not _PLAIN_NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def unguard(cell: str) -> str:
    """The cell ``guard`` was given."""
    if cell[:1] == "'" and _FORMULA.match(cell) and not _PLAIN_NUMBER.fullmatch(cell):
        return cell[1:]
    return cell


def cell_text(value: Any) -> str:
    """A record's value as one cell: lists joined with "; ", booleans as true/false."""
    if type(value) is str:  # most cells, first
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "; ".join(value)
    return str(value)


def write_table(
    records: Iterable[dict[str, Any]],
    out: TextIO,
    *,
    delimiter: str = ",",
    guarded: bool = True,
    fields: tuple[str, ...] = EXPORT_FIELDS,
) -> int:
    """Write ``records`` as CSV (RFC 4180) or TSV, a header first; return how many."""
    records = _first_read(records)
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(fields)
    count = 0
    for count, record in enumerate(records, start=1):  # noqa: B007
        cells = (cell_text(record[field]) for field in fields)
        writer.writerow([guard(cell) if guarded else cell for cell in cells])
    return count


def _first_read(records: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """``records``, the first already read: a registry that fails on it fails before any
    output, not after half a header."""
    iterator = iter(records)
    first = next(iterator, None)
    return iterator if first is None else itertools.chain([first], iterator)


# JSON as people read it: "Città", not "Citt\u00e0". One encoder for all: json.dumps
# with an option makes a new one each call.
to_json = json.JSONEncoder(ensure_ascii=False).encode


def json_line(record: dict[str, Any], fields: tuple[str, ...] = EXPORT_FIELDS) -> str:
    """One record as JSON on one line, whatever line breaks its text holds."""
    text = to_json({field: record[field] for field in fields})
    return text.translate(_LINE_BREAKS)


# Valid inside JSON strings, but line breaks for many line readers.
_LINE_BREAKS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def write_json(
    records: Iterable[dict[str, Any]],
    out: TextIO,
    *,
    lines: bool,
    fields: tuple[str, ...] = EXPORT_FIELDS,
) -> int:
    """Write ``records`` as one JSON array, or as JSON lines; return how many."""
    records = _first_read(records)
    count = 0
    if lines:
        for count, record in enumerate(records, start=1):  # noqa: B007
            out.write(json_line(record, fields) + "\n")
        return count
    out.write("[")
    for count, record in enumerate(records, start=1):
        out.write(("\n" if count == 1 else ",\n") + json_line(record, fields))
    out.write("\n]\n" if count else "]\n")
    return count


# Reading


# Column names staff use, matched after folding case and accents.
_ALIASES = {
    "tipo": "kind", "tipologia": "kind",
    "titolo": "title", "oggetto": "title",
    "ente": "party", "parte": "party",
    "controparte": "counterpart", "citta": "counterpart",
    "paese": "country", "nazione": "country",
    "firma": "signed", "firmato": "signed", "data firma": "signed", "data di firma": "signed",
    "inizio": "start", "data inizio": "start", "decorrenza": "start",
    "durata": "duration",
    "fine": "end", "scadenza": "end", "data fine": "end", "data scadenza": "end",
    "rinnovabile": "renewable",
    "rinnovo tacito": "auto_renew", "tacito rinnovo": "auto_renew",
    "preavviso": "notice_days", "giorni di preavviso": "notice_days",
    "settori": "sectors", "firmatari": "signatories", "fonte": "source", "note": "notes",
    "cessato il": "terminated_on", "motivo cessazione": "termination_reason",
}  # fmt: skip
_COLUMNS = (
    {fold(f): f for f in EXPORT_FIELDS}
    | {fold(f.replace("_", " ")): f for f in EXPORT_FIELDS}
    | {fold(alias): field for alias, field in _ALIASES.items()}
)

# What an import reads, at most: a line of the file (or an item of a JSON array), and a
# cell (or a JSON text value). Generous for real notes; the bound keeps a file with no
# line end (or a hostile one) from filling the memory.
LINE_LIMIT = 8 * 1024 * 1024  # bytes
CELL_LIMIT = 1024 * 1024  # characters
# A whole number in a file has at most this many digits (after leading zeros): ids go
# up to MAX_ID, 19 digits.
DIGITS_LIMIT = 19

_TRUE = {"true", "yes", "y", "si", "sì", "vero", "1", "x"}
_FALSE = {"false", "no", "n", "falso", "0"}


@dataclass(frozen=True)
class Row:
    """One agreement read from a file: where it was, and its fields as given, or what
    makes it unreadable."""

    number: int  # the spreadsheet's row number (the header is row 1), or the JSON item's
    values: dict[str, Any]  # field -> value, for the columns the file has; None if empty
    wrong: str | None = None


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
        raise RelintError(f"unknown text encoding {encoding!r}; for example cp1252") from None
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
                raise RelintError(f"{name} is UTF-8 text, not {encoding}: leave out --encoding")
            suspect = False
        try:
            text = line.decode(codec.name)
        except UnicodeError as error:
            at = getattr(error, "start", None)
            byte = "" if at is None else f", byte {line[at]:#04x}"
            hint = "" if encoding else "; if an older Excel saved it, try --encoding cp1252"
            raise RelintError(
                f"{name} is not {encoding or 'UTF-8'} text (line {number}{byte}){hint}"
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
            raise RelintError(f"{name} is not {codec} text (line {number + 1}){order}") from None
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
                f"{name} is {shown} text (it begins with a {shown} byte-order mark): "
                f"give --encoding {codec}"
            )
    if b"\x00" in first:
        raise RelintError(
            f"{name} has NUL bytes in its first line: it may be UTF-16 or UTF-32 text without "
            "a byte-order mark; give --encoding utf-16-le (or utf-16-be, utf-32-le, utf-32-be)"
        )


def _bounded(line: str | bytes, number: int, name: str) -> None:
    if len(line) > LINE_LIMIT:
        raise RelintError(
            f"{name}, line {number}: longer than {LINE_LIMIT // 2**20} MiB (or no line end): "
            f"relint reads lines up to {LINE_LIMIT // 2**20} MiB"
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
        raise RelintError(f"{name} is empty")
    csv.field_size_limit(CELL_LIMIT)
    reader = csv.reader(
        itertools.chain([first], lines), delimiter=sniff_delimiter(first), strict=True
    )
    try:
        header = next(reader)
    except csv.Error as error:
        raise RelintError(f"{name}, row 1: {error}") from None
    fields = _columns(header, name)
    ignored = [cell for cell in header if fold(cell.strip()) not in _COLUMNS]
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
            said = f"a cell longer than {CELL_LIMIT:,} characters, the most relint reads"
        elif "end of data" in said:
            said += " (a quote opened and never closed?)"
        raise RelintError(f"{name}, row {number + 1}: {said}") from None
    if not found:
        raise RelintError(f"{name} has a header and no agreements")


def _columns(header: list[str], name: str) -> list[str | None]:
    """The field of each column (None for a column relint computes or does not know)."""
    fields: list[str | None] = []
    for cell in header:
        field = _COLUMNS.get(fold(cell.strip()))
        if field is not None and field in fields:
            raise RelintError(f"{name}: the column {cell!r} appears twice")
        fields.append(None if field in COMPUTED else field)
    missing = [f for f in ("counterpart", "kind") if f not in fields]
    if missing and "id" not in fields:
        named = ", ".join(EXPORT_FIELDS)
        raise RelintError(f"{name}: no column {' or '.join(missing)}; columns are named {named}")
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
        raise RelintError(f"{name} holds no agreements")


class _Object(list[tuple[str, Any]]):
    """A JSON object as its members, in order, each key as often as the file gives it."""

    def __repr__(self) -> str:  # as error messages show a value where text was expected
        return "an object"


class _LongNumber:
    """A JSON number too long to be any value relint keeps, left unconverted."""

    def __init__(self, digits: str) -> None:
        self.digits = digits

    def __repr__(self) -> str:
        return f"a number of {len(self.digits.lstrip('-')):,} digits"


def _json_number(digits: str) -> int | _LongNumber:
    return int(digits) if len(digits) <= DIGITS_LIMIT + 1 else _LongNumber(digits)


def _json_lines(lines: Iterator[str], name: str) -> Iterator[tuple[int, Any]]:
    for number, line in enumerate(lines, start=1):
        if line.strip():
            yield number, _json(line, name, f"line {number}")


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
        raise RelintError(f"{self.name}: not JSON (line {line}: {message})")


_SPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder(object_pairs_hook=_Object, parse_int=_json_number)


def _json_array(lines: Iterator[str], name: str) -> Iterator[tuple[int, Any]]:
    """The items of a JSON array, decoded one at a time: memory follows the longest item,
    not the file."""
    source = _Text(lines, name)
    first = source.next_char()
    if not first:
        raise RelintError(f"{name} is empty")
    if first != "[":
        raise RelintError(f"{name}: a JSON import is an array of objects")
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
                raise RelintError(f"{name}: JSON nested too deeply to be agreements") from None
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
        at = where or f"line {error.lineno}, column {error.colno}"
        raise RelintError(f"{name}: not JSON ({at}: {error.msg})") from None
    except RecursionError:
        raise RelintError(f"{name}: JSON nested too deeply to be agreements") from None


def parse_values(values: dict[str, Any]) -> dict[str, Any]:
    """The fields of an agreement from a row's values, as ``relint add`` reads options.

    Raises ``RelintError`` naming the first field that is wrong.
    """
    fields: dict[str, Any] = {}
    wrong = []
    for field, value in values.items():
        if value is None:
            if field in _LISTS:
                fields[field] = ()
            elif field not in _REQUIRED_IF_GIVEN:
                fields[field] = None
            continue
        try:
            fields[field] = _PARSERS[field](value)
        except RelintError as error:
            wrong.append(f"{field}: {error}")
    if wrong:
        raise RelintError("; ".join(wrong))
    return fields


_LISTS = ("sectors", "signatories")
# Fields that cannot be empty: an empty cell leaves them as they were, or as the kind has them.
_REQUIRED_IF_GIVEN = ("id", "kind", "counterpart", "renewable", "auto_renew")


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise RelintError(f"expected text, not {value!r}")
    if len(value) > CELL_LIMIT:
        raise RelintError(f"longer than {CELL_LIMIT:,} characters, the most relint reads")
    return storable(value)


def _texts(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(";") if part.strip())
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(storable(v) for v in value)
    raise RelintError(f"expected a list of text, not {value!r}")


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    word = fold(str(value).strip())
    if word in _TRUE or word in _FALSE:
        return word in _TRUE
    raise RelintError(f"expected true or false (sì/no), not {value!r}")


_MIDNIGHT = re.compile(r"(?:\s+|T)00:00(?::00)?$")


def _date(value: Any) -> PartialDate:
    """A date cell; a spreadsheet's date-time at midnight is its date."""
    return _date_text(_text(value))


@lru_cache(maxsize=8192)  # files repeat their dates
def _date_text(text: str) -> PartialDate:
    return parse_date(_MIDNIGHT.sub("", text.strip()))


def _whole(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and re.fullmatch(r"\s*[0-9]+\s*", value):
        digits = value.strip().lstrip("0")
        if len(digits) > DIGITS_LIMIT:
            raise RelintError(f"a number of {len(digits):,} digits is too large")
        return int(digits or "0")
    if isinstance(value, str) and len(value) > 40:
        value = value[:40] + "..."
    raise RelintError(f"expected a whole number, not {value!r}")


_PARSERS: dict[str, Any] = {
    "id": _whole,
    "kind": lambda v: parse_kind(_text(v)),
    "counterpart": _text,
    "title": _text,
    "party": _text,
    "country": _text,
    "signed": _date,
    "start": _date,
    "duration": lambda v: parse_duration(_text(v)),
    "end": _date,
    "renewable": _flag,
    "auto_renew": _flag,
    "notice_days": _whole,
    "sectors": _texts,
    "signatories": _texts,
    "source": _text,
    "notes": _text,
    "terminated_on": _date,
    "termination_reason": _text,
}


@dataclass(frozen=True)
class Planned:
    """What importing a row will do: add ``agreement``, or update the one with its id."""

    row: int
    agreement: Agreement
    update: bool


MAX_SHOWN = 20
# Ids a file may bring: any relint gives, short of SQLite's largest integer by enough
# (4 billion) that new ids can always follow them.
MAX_ID = 2**63 - 2**32


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
                errors.append(f"  row {row.number}: {error}")
            continue
        if not wrong:
            yield planned
    if wrong:
        more = [f"  ... and {wrong - len(errors)} more"] if wrong > len(errors) else []
        heading = f"{name}: {wrong} of {total} rows are wrong; nothing was imported"
        raise RelintError(heading, (*errors, *more))


def _planned(
    row: Row, lookup: Callable[[int], Agreement | None], update: bool, seen: set[int]
) -> Planned:
    fields = parse_values(row.values)
    agreement_id = fields.pop("id", None)
    termination = {k: fields.pop(k) for k in ("terminated_on", "termination_reason") if k in fields}
    if agreement_id is not None:
        if not 1 <= agreement_id <= MAX_ID:
            raise RelintError(f"id: {agreement_id} is not an id (1 to {MAX_ID})")
        if agreement_id in seen:
            raise RelintError(f"id {agreement_id} appears twice in the file")
        seen.add(agreement_id)
    existing = lookup(agreement_id) if agreement_id is not None else None
    if existing is not None:
        if not update:
            raise RelintError(f"agreement {agreement_id} exists; give --update to change it")
        agreement = revise(existing, **fields)
    else:
        missing = [f for f in ("counterpart", "kind") if fields.get(f) is None]
        if missing:
            raise RelintError(f"{' and '.join(missing)} missing")
        agreement = new_agreement(
            fields.pop("kind"), fields.pop("counterpart"), id=agreement_id, **fields
        )
    if termination:
        agreement = with_termination(
            agreement, termination.get("terminated_on"), termination.get("termination_reason")
        )
    return Planned(row.number, agreement, update=existing is not None)


# Snapshots: everything the registry holds of an agreement, for the audit trail.


def snapshot(agreement: Agreement) -> dict[str, Any]:
    """``agreement`` whole, as JSON values: its fields, termination and earlier terms."""
    a = agreement
    return {
        "id": a.id, "kind": a.kind.value, "title": a.title, "party": a.party,
        "counterpart": a.counterpart, "country": a.country, "signed": _iso(a.signed),
        "start": _iso(a.start), "duration": _iso(a.duration), "end": _iso(a.end),
        "renewable": a.renewable, "auto_renew": a.auto_renew, "notice_days": a.notice_days,
        "sectors": list(a.sectors), "signatories": list(a.signatories), "source": a.source,
        "notes": a.notes, "terminated_on": _iso(a.terminated_on),
        "termination_reason": a.termination_reason,
        "history": [
            {"signed": _iso(t.signed), "start": _iso(t.start), "duration": _iso(t.duration),
             "end": _iso(t.end)}
            for t in a.history
        ],
    }  # fmt: skip


def from_snapshot(document: dict[str, Any]) -> Agreement:
    """The agreement ``snapshot`` was given."""
    d = document

    def day(key: str, source: dict[str, Any] = d) -> PartialDate | None:
        return None if source[key] is None else PartialDate.from_iso(source[key])

    def length(source: dict[str, Any]) -> Duration | None:
        return None if source["duration"] is None else parse_duration(source["duration"])

    return Agreement(
        id=d["id"], kind=Kind(d["kind"]), title=d["title"], party=d["party"],
        counterpart=d["counterpart"], country=d["country"], signed=day("signed"),
        start=day("start"), duration=length(d), end=day("end"), renewable=d["renewable"],
        auto_renew=d["auto_renew"], notice_days=d["notice_days"], sectors=tuple(d["sectors"]),
        signatories=tuple(d["signatories"]), source=d["source"], notes=d["notes"],
        terminated_on=day("terminated_on"), termination_reason=d["termination_reason"],
        history=tuple(
            Term(day("signed", t), day("start", t), length(t), day("end", t)) for t in d["history"]
        ),
    )  # fmt: skip


def _iso(value: object | None) -> str | None:
    return None if value is None else str(value)
