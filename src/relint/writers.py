"""Records out to files and pipes: CSV and TSV for spreadsheets, JSON and JSON lines
for scripts, and the guard that keeps a spreadsheet from running a cell as a formula.

Pure: no storage, no terminal. Writers stream: memory does not grow with the rows.
"""

from __future__ import annotations

import csv
import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TextIO, TypeVar

from relint.agreement import EXPORT_FIELDS
from relint.values import to_json

_Row = TypeVar("_Row")

# A cell a spreadsheet would run as a formula (OWASP, CSV injection): it starts with
# one of these, perhaps behind apostrophes that an earlier guard added. LibreOffice
# reads a CSV cell as a formula only after "="; Excel after any of "=", "+", "-", "@".
_FORMULA = re.compile(r"'*[=+\-@\t\r]")
_FORMULA_STARTS = frozenset("'=+-@\t\r")  # the first characters _FORMULA can match
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
# A name after a dash, such as "-Assessore alla cultura", or a list of names ("-Assessore;
# Sindaco"): words, and between them spaces, apostrophes, dots, hyphens, commas and
# semicolons. LibreOffice reads it as text; Excel as a formula that names what no CSV
# defines, a #NAME? error, or one it cannot read. Neither can run it: a formula that does
# something needs a digit (a cell: -A1), a parenthesis (a function), "|" (another
# program), "!" (another sheet) or an operator; and Excel's words TRUE and FALSE (VERO,
# FALSO), values that a dash turns into numbers, are guarded too. Any other dashed name
# is left as it is, and shows as it is in LibreOffice.
_DASHED_NAME = re.compile(
    r"-(?!(?:true|false|vero|falso)$)[^\W\d_]+(?:[ .'\u2019,;-]+[^\W\d_]+)*[.]?", re.IGNORECASE
)


def guard(cell: str) -> str:
    """``cell`` made safe to open in a spreadsheet: a leading apostrophe before what
    would run as a formula. ``unguard`` gives the cell back exactly."""
    if cell[:1] not in _FORMULA_STARTS:  # most cells: no pattern to try
        return cell
    if (
        _FORMULA.match(cell)
        and not _PLAIN_NUMBER.fullmatch(cell)
        and not (cell[0] == "-" and _DASHED_NAME.fullmatch(cell))
    ):
        return "'" + cell
    return cell


def unguard(cell: str) -> str:
    """The cell ``guard`` was given."""
    if cell[:1] == "'" and _FORMULA.match(cell) and not _PLAIN_NUMBER.fullmatch(cell):
        return cell[1:]
    return cell


def cell_text(value: Any) -> str:
    """A record's value as one cell: lists of text joined with "; ", lists of objects (the
    earlier terms) as JSON, booleans as true/false."""
    if type(value) is str:  # most cells, first
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        if value and not isinstance(value[0], str):
            return to_json(value)
        return "; ".join(value)
    return str(value)


# Values csv writes as cell_text would: text as it is, whole numbers as digits, None empty.
_AS_THEY_ARE = frozenset({str, int, type(None)})


def write_cells(
    rows: Iterable[Sequence[Any]],
    out: TextIO,
    *,
    header: Sequence[str],
    delimiter: str = ",",
    guarded: bool = True,
    yes_no: tuple[str, str] | None = None,
) -> int:
    """Write ``rows``, each the values of the ``header``'s fields in order, as CSV (RFC
    4180) or TSV, the header first, booleans as true and false (or the words
    ``yes_no``, for people), cells ``guarded`` against formulas; return how many."""
    rows = _first_read(rows)
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    count = 0
    for count, values in enumerate(rows, start=1):  # noqa: B007
        if yes_no is not None:
            values = [yes_no[not v] if isinstance(v, bool) else v for v in values]
        cells = [v if type(v) in _AS_THEY_ARE else cell_text(v) for v in values]
        if guarded:  # guard's rule, tried only on the cells it could change
            cells = [c if type(c) is not str or c[:1] not in _FORMULA_STARTS else guard(c)
                     for c in cells]  # fmt: skip
        writer.writerow(cells)
    return count


def _first_read(records: Iterable[_Row]) -> Iterator[_Row]:
    """``records``, the first already read: a registry that fails on it fails before any
    output, not after half a header."""
    iterator = iter(records)
    first = next(iterator, None)
    return iterator if first is None else itertools.chain([first], iterator)


def json_line(record: dict[str, Any], fields: tuple[str, ...] = EXPORT_FIELDS) -> str:
    """One record as JSON on one line, whatever line breaks its text holds."""
    text = to_json({field: record[field] for field in fields})
    if not text.isascii():  # (str.translate would take longer than the rest of the line)
        for char, escaped in _LINE_BREAKS:
            text = text.replace(char, escaped)
    return text


# Valid inside JSON strings, but line breaks for many line readers.
_LINE_BREAKS = (("\x85", "\\u0085"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))


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
