"""The kinds of value a record's fields hold, and how each travels: written out (JSON,
CSV, the audit trail), stored in SQLite, read from a file, given as an option.

Pure: no storage, no terminal. ``relint.agreement`` declares each field of the record
with one of these kinds (see ``field``); the store, the formats, imports and the
options of ``add`` and ``edit`` are derived from that declaration.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable, Sequence
from functools import cache, lru_cache
from typing import Any, NamedTuple, cast

from relint.dates import PartialDate, parse_date
from relint.durations import Duration, parse_duration
from relint.errors import RelintError
from relint.i18n import _
from relint.kinds import Kind, parse_kind
from relint.text import fold, storable

# What an import reads, at most, in a cell (or a JSON text value): generous for real
# notes; the bound keeps a hostile file from filling the memory.
CELL_LIMIT = 1024 * 1024  # characters
# A whole number in a file has at most this many digits (after leading zeros): ids go
# up to MAX_ID, 19 digits.
DIGITS_LIMIT = 19
# Ids a file may bring: any relint gives, short of SQLite's largest integer by enough
# (4 billion) that new ids can always follow them.
MAX_ID = 2**63 - 2**32
MAX_NOTICE_DAYS = 36_500

# JSON as people read it: "Città", not "Citt\u00e0". One encoder for all: json.dumps
# with an option makes a new one each call.
to_json = json.JSONEncoder(ensure_ascii=False).encode


class Value(NamedTuple):
    """How one kind of value travels. Each function takes a value that is not None (an
    absent value is None everywhere, and stays None): ``plain`` writes it for JSON, CSV
    and the audit trail, ``unplain`` reads that back; ``stored`` and ``unstored`` do the
    same for an SQLite column; ``read`` takes a file's cell or JSON value, and ``given``
    an option's text (a list of them for a repeatable option). ``read`` and ``given``
    raise ``RelintError``; ``empty`` is what an empty cell or option gives."""

    plain: Callable[[Any], Any]
    unplain: Callable[[Any], Any]
    stored: Callable[[Any], Any]
    unstored: Callable[[Any], Any]
    read: Callable[[Any], Any]
    given: Callable[[Any], Any]
    empty: Any = None
    many: bool = False  # a list of values, given as a repeated option
    switch: bool = False  # true or false, given as an option and its negation


class Spec(NamedTuple):
    """A field of the record beyond its name and type: its kind of ``value``; the
    ``option`` of ``add`` and ``edit`` that sets it (None: no option), with its
    ``help`` and ``metavar``; ``aliases``, the other names a file's column may give it
    (Italian, matched without case or accents); whether it is ``listed`` in the machine
    formats of the listings (before the computed fields, or ``later``, after the status
    and the days left; the rest come after them all, in exports only); and whether it is
    ``kept``: an empty cell or option leaves it as it was, rather than clearing it; and
    whether it has a ``column`` in the agreements table."""

    value: Value
    option: str | None = None
    help: str = ""
    metavar: str = "TEXT"
    aliases: tuple[str, ...] = ()
    listed: bool = True
    later: bool = False
    kept: bool = False
    column: bool = True  # held in a column of the agreements table (else in its own)


SPEC = "relint"  # the key of a dataclass field's metadata that holds its Spec


def field(value: Value, *, default: Any = dataclasses.MISSING, **spec: Any) -> Any:
    """A dataclass field of the record, declared with its ``Spec``."""
    return dataclasses.field(default=default, metadata={SPEC: Spec(value, **spec)})


class Field(NamedTuple):
    """A declared field: its name, its ``Spec``, and whether a new record must give it."""

    name: str
    spec: Spec
    required: bool

    @property
    def value(self) -> Value:
        return self.spec.value


def declared(cls: type) -> tuple[Field, ...]:
    """The fields of the dataclass ``cls`` declared with ``field``, in order."""
    return tuple(
        Field(f.name, f.metadata[SPEC], f.default is dataclasses.MISSING)
        for f in dataclasses.fields(cls)
        if SPEC in f.metadata
    )


def same(value: Any) -> Any:
    """``value`` as it is: the conversion of a value that travels unchanged."""
    return value


def unrolled(
    signature: str,
    fields: Sequence[Field],
    way: Callable[[Value], Callable[[Any], Any]],
    read: str,
    make: Callable[[list[tuple[str, str]]], str],
    scope: dict[str, Any] | None = None,
) -> Callable[..., Any]:
    """A function ``signature`` returning what ``make`` builds of each field's name and
    value, read by ``read`` (a format of the field's ``name`` and ``index``) and turned
    ``way`` (``Value.plain``, ``Value.stored``...), None staying None.

    Unrolled, one line a field, as ``dataclasses`` makes ``__init__``: rows of a million
    agreements go through these, and an unrolled function is three times faster than a
    loop over the fields."""
    namespace = dict(scope or {})
    values = []
    for index, f in enumerate(fields):
        value = read.format(name=f.name, index=index)
        convert = way(f.value)
        if convert is not same:
            namespace[f"_{index}"] = convert
            value = f"(None if (v := {value}) is None else _{index}(v))"
        values.append((f.name, value))
    exec(f"def {signature}:\n    return {make(values)}\n", namespace)
    return cast(Callable[..., Any], namespace[signature.partition("(")[0]])


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise RelintError(_("expected text, not {value!r}").format(value=value))
    if len(value) > CELL_LIMIT:
        raise RelintError(
            _("longer than {CELL_LIMIT:,} characters, the most relint reads").format(
                CELL_LIMIT=CELL_LIMIT
            )
        )
    return storable(value)


_MIDNIGHT = re.compile(r"(?:\s+|T)00:00(?::00)?$")


def _date(value: Any) -> PartialDate:
    """A date cell; a spreadsheet's date-time at midnight is its date."""
    return _date_text(_text(value))


@lru_cache(maxsize=8192)  # files repeat their dates
def _date_text(text: str) -> PartialDate:
    return parse_date(_MIDNIGHT.sub("", text.strip()))


# Registries repeat their dates (a century holds 36,525 days); reading one is most of a row.
@lru_cache(maxsize=65536)
def _stored_date(text: str) -> PartialDate:
    return PartialDate.from_iso(text)


@cache
def _stored_duration(text: str) -> Duration:
    return parse_duration(text)


_TRUE = {"true", "yes", "y", "si", "sì", "vero", "1", "x"}
_FALSE = {"false", "no", "n", "falso", "0"}


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    word = fold(str(value).strip())
    if word in _TRUE or word in _FALSE:
        return word in _TRUE
    raise RelintError(_("expected true or false (sì/no), not {value!r}").format(value=value))


def whole(value: Any) -> int:
    """A whole number from a file: a JSON number, or digits."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and re.fullmatch(r"\s*[0-9]+\s*", value):
        digits = value.strip().lstrip("0")
        if len(digits) > DIGITS_LIMIT:
            raise RelintError(
                _("a number of {digits:,} digits is too large").format(digits=len(digits))
            )
        return int(digits or "0")
    if isinstance(value, str) and len(value) > 40:
        value = value[:40] + "..."
    raise RelintError(_("expected a whole number, not {value!r}").format(value=value))


def _stored_whole(value: object) -> int:
    if type(value) is int:
        return value
    raise ValueError(f"not a whole number: {value!r}")


def parse_notice(value: str) -> int:
    if not re.fullmatch(r"\s*[0-9]+\s*", value):
        raise RelintError(
            _("the notice is a whole number of days, not {value!r}").format(value=value)
        )
    return int(value)


def _texts(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(";") if part.strip())
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(storable(v) for v in value)
    raise RelintError(_("expected a list of text, not {value!r}").format(value=value))


def _given_texts(values: list[str]) -> tuple[str, ...]:
    return tuple(storable(value) for value in values if value.strip())


@lru_cache(maxsize=4096)  # registries repeat their lists of sectors and signatories
def _stored_texts(values: tuple[str, ...]) -> str:
    # Unescaped, so that the full-text index sees "Città" and not "Citt\u00e0".
    return to_json(list(values))


@lru_cache(maxsize=4096)  # registries repeat their lists of sectors
def _unstored_texts(stored: str) -> tuple[str, ...]:
    values = json.loads(stored)
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ValueError(f"not a list of text: {stored!r}")
    return tuple(values)


def _kind(value: Kind) -> str:
    return value.value


ID = Value(same, same, same, same, whole, int)
TEXT = Value(same, same, same, same, _text, storable)
KIND = Value(_kind, Kind, _kind, Kind, lambda v: parse_kind(_text(v)), parse_kind)
DATE = Value(str, PartialDate.from_iso, str, _stored_date, _date, parse_date)
DURATION = Value(
    str, parse_duration, str, _stored_duration, lambda v: parse_duration(_text(v)), parse_duration
)
FLAG = Value(same, same, int, bool, _flag, same, switch=True)
DAYS = Value(same, same, same, _stored_whole, whole, parse_notice)
TEXTS = Value(
    list, tuple, _stored_texts, _unstored_texts, _texts, _given_texts, empty=(), many=True
)
