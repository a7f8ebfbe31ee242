"""The record as the registry holds it: a row of the ``agreements`` table, a row of
``terms``, and the audit trail's snapshot, each derived from the record's declaration
(``relint.agreement.RECORD``)."""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable, Collection, Sequence
from functools import cache, lru_cache
from typing import Any, cast

from relint import renewals
from relint.agreement import COMPUTED, EVERY, EXPORT_FIELDS, RECORD, Agreement, Term
from relint.errors import RelintError
from relint.i18n import _
from relint.values import DATE, DURATION, Field, Value, same, to_json, unrolled

# The columns of the agreements table after its id, in the record's order.
_STORED = tuple(f for f in RECORD if f.name != "id" and f.spec.column)
COLUMNS = tuple(f.name for f in _STORED)
# Columns derived from the record on every write, for the alerts index to read and never
# read back (see ``tacit``), then every column a write sets.
TACIT = ("tacit_cycle", "tacit_phase", "tacit_day", "tacit_anchor", "tacit_irregular")
WRITTEN = (*COLUMNS, *TACIT)
QUOTED = ", ".join(f'"{column}"' for column in WRITTEN)


def selected(present: Collection[str]) -> str:
    """What a query selects to read agreements from a table with the columns ``present``:
    the id, then ``COLUMNS``; for a column the table lacks (a registry of an older
    schema, read without upgrading it), the field's default, as stored."""
    return ", ".join(
        f'agreements."{f.name}"' if f.name in present else f'{_default(f)} AS "{f.name}"'
        for f in (RECORD[0], *_STORED)
    )


def _default(field: Field) -> str:
    """The stored default of ``field`` as an SQL literal."""
    default = next(f.default for f in dataclasses.fields(Agreement) if f.name == field.name)
    empty = default is None or default is dataclasses.MISSING  # (a required field has none)
    stored = None if empty else field.value.stored(default)
    if stored is None:
        return "NULL"
    if isinstance(stored, int):
        return str(int(stored))
    return "'" + str(stored).replace("'", "''") + "'"


_TERM = (("signed", DATE), ("start", DATE), ("duration", DURATION), ("end", DATE))

# The row codec, made on first use (see relint.values.unrolled): a command that reads
# or writes no agreement never needs it.


@cache
def _encoder() -> Callable[[Agreement], list[Any]]:
    return unrolled(
        "values(a)", _STORED, lambda value: value.stored, "a.{name}",
        lambda values: "[" + ", ".join(value for _, value in values) + "]",
    )  # fmt: skip


@cache
def _decoder() -> Callable[[Sequence[Any], tuple[Term, ...]], Agreement]:
    return unrolled(
        "decoded(row, history)", (RECORD[0], *_STORED), lambda value: value.unstored,
        "row[{index}]",
        lambda values: "Agreement(" + ", ".join(f"{name}={value}" for name, value in values)
        + ", history=history)",
        {"Agreement": Agreement},
    )  # fmt: skip


def values(agreement: Agreement) -> list[Any]:
    """The values of ``COLUMNS`` for ``agreement``."""
    return _encoder()(agreement)


def written(agreement: Agreement) -> list[Any]:
    """The values of ``WRITTEN`` for ``agreement``."""
    return [*_encoder()(agreement), *tacit(agreement)]


_NOT_TACIT = (None,) * len(TACIT)
FOREVER = "9999-12-31"  # irregular on every day: judged agreement by agreement


def tacit(agreement: Agreement) -> tuple[Any, ...]:
    """Where the ends of ``agreement``'s tacit renewals fall, as ``TACIT``, so that the
    alerts find them in an index without computing every agreement's terms.

    From its anchor on (``renewals.anchor``, most often the recorded end itself), an
    agreement that renews itself every ``cycle`` months ends on the anchor's ``day`` of
    every month whose index (year * 12 + month - 1) is ``phase`` modulo ``cycle``. Its
    ends are irregular until ``tacit_irregular``: before its anchor, and, for a renewal,
    before the day it counts from, when the term before was the one renewing; for ever
    when its renewals have no end, or none that steadies before the year 9999. None for
    an agreement that does not renew itself from an end known to the day.
    """
    end = agreement.end.full if agreement.auto_renew and agreement.end else None
    if end is None:
        return _NOT_TACIT
    period = agreement.renewal_period
    cycle = None if period is None else period.months  # None: no end (see in_force)
    anchor = None
    if cycle is not None:
        with contextlib.suppress(RelintError):  # none that steadies before the year 9999
            anchor = renewals.anchor(end, cycle)
    if cycle is None or anchor is None:
        return (None, None, None, None, FOREVER)
    irregular = [day for day in (anchor if anchor > end else None, agreement.counts_from) if day]
    return (
        cycle,
        (anchor.year * 12 + anchor.month - 1) % cycle,
        anchor.day,
        anchor.isoformat(),
        max(irregular).isoformat() if irregular else None,
    )


def agreement(row: Sequence[Any], history: tuple[Term, ...] = ()) -> Agreement:
    """The agreement a row of the agreements table (id, then ``COLUMNS``) holds."""
    try:
        return _decoder()(row, history)
    except (ValueError, TypeError, IndexError) as error:
        raise _damaged(f"agreement {row[0]}", error) from None


@cache
def _plain_of_stored(value: Value) -> Callable[[Any], Any]:
    """``value.plain`` of ``value.unstored``: what a stored value is in a record; kept
    for the values a registry repeats (dates, lengths, lists of sectors)."""
    if value.plain is same or value.unstored is same:
        return value.unstored if value.plain is same else value.plain
    return lru_cache(maxsize=65536)(lambda stored: value.plain(value.unstored(stored)))


_SPELLED = 65536  # at most this many values kept as spelled as relint spells them


def _spelled_as_written(value: Value) -> tuple[set[Any], Callable[[Any], bool]]:
    """Whether a stored value is as relint writes a value of ``value``'s kind, which its
    record carries as it is (a date, a length, a kind): the values seen so, and what
    tells of another (raising for a damaged one), keeping it among them."""
    seen: set[Any] = set()
    plain = _plain_of_stored(value)

    def spelled(stored: Any) -> bool:
        if plain(stored) != stored:
            return False
        if len(seen) >= _SPELLED:
            seen.clear()
        seen.add(stored)
        return True

    return seen, spelled


@cache
def _exporter() -> Callable[[Sequence[Any]], tuple[Any, ...] | None]:
    """The values of ``EXPORT_FIELDS`` from a row of ``queries.exported``, or None when a
    value the record carries as it is stored is spelled otherwise."""
    at = {name: index for index, name in enumerate(EXPORT_FIELDS)}
    namespace: dict[str, Any] = {}
    checks, values = [], []
    for f in RECORD:
        index = at[f.name]
        read = f"row[{index}]"
        if not f.spec.column:  # the earlier terms: none, for an agreement read from its row
            read = "[]"
        elif f.value.plain is str or f.value.plain is f.value.stored:  # carried as stored
            if f.value.unstored is not same:
                namespace[f"_seen{index}"], namespace[f"_{index}"] = _spelled_as_written(f.value)
                checks.append(f"((v := {read}) is None or v in _seen{index} or _{index}(v))")
        elif (convert := _plain_of_stored(f.value)) is not same:
            namespace[f"_{index}"] = convert
            read = f"(None if (v := {read}) is None else _{index}(v))"
        values.append((index, read))
    values += [(at[name], f"row[{at[name]}]") for name in COMPUTED]
    source = ", ".join(read for _, read in sorted(values))
    exec(
        "def exported(row):\n"
        f"    return ({source},) if {' and '.join(checks) or 'True'} else None\n",
        namespace,
    )
    return cast(Callable[[Sequence[Any]], "tuple[Any, ...] | None"], namespace["exported"])


PLAIN_AT = len(EXPORT_FIELDS)  # where a row of queries.exported says whether it is plain


def exported(row: Sequence[Any]) -> tuple[Any, ...] | None:
    """The values of ``EXPORT_FIELDS`` of the agreement a row of ``queries.exported`` holds,
    as ``export_record`` gives them, when its standing follows from its row alone; else
    None, for the caller to judge it by its own rules. Columns after the flag are left."""
    if not row[PLAIN_AT]:
        return None
    try:
        return _exporter()(row)
    except (ValueError, TypeError) as error:
        raise _damaged(f"agreement {row[0]}", error) from None


def term_values(term: Term) -> tuple[Any, ...]:
    """The values of a row of the terms table after its agreement and number."""
    return tuple(
        None if (value := getattr(term, name)) is None else kind.stored(value)
        for name, kind in _TERM
    )


def term(row: Any) -> Term:
    """The term a row of the terms table holds."""
    try:
        return _term({n: None if row[n] is None else kind.unstored(row[n]) for n, kind in _TERM})
    except (ValueError, TypeError) as error:
        raise _damaged(f"a term of agreement {row['agreement_id']}", error) from None


def _term(values: dict[str, Any]) -> Term:
    return Term(**values)


def _damaged(what: str, error: Exception) -> RelintError:
    return RelintError(
        _("{what} is damaged in the registry ({error})").format(what=what, error=error)
    )


def snapshot(agreement: Agreement) -> dict[str, Any]:
    """``agreement`` whole, as JSON values: its fields, termination and earlier terms."""
    return EVERY.plain(agreement)


def from_snapshot(document: dict[str, Any]) -> Agreement:
    """The agreement ``snapshot`` was given; a field the snapshot predates takes its
    default."""
    fields: dict[str, Any] = {
        f.name: None if (value := document[f.name]) is None else f.value.unplain(value)
        for f in RECORD
        if f.name in document
    }
    return Agreement(**fields)


def _snapshot_value(field: Field) -> str:
    """What the JSON of ``snapshot`` holds for ``field``, in SQL, from its column."""
    column = f'"{field.name}"'
    if field.value.switch:  # stored 0 or 1
        return f"CASE WHEN {column} THEN json('true') ELSE json('false') END"
    if isinstance(field.value.empty, tuple):  # a list, stored as the JSON of its values
        return f"json({column})"
    return column


# ``snapshot_text`` of an agreement with no earlier terms, made by SQLite from its row:
# the same document (tests/cli/test_audit.py), written without spaces.
SNAPSHOT_SQL = (
    "json_object("
    + ", ".join(
        f"'{f.name}', " + ("json('[]')" if not f.spec.column else _snapshot_value(f))
        for f in RECORD
    )
    + ")"
)


def snapshot_text(agreement: Agreement | None) -> str | None:
    """``snapshot`` as the audit trail stores it."""
    return None if agreement is None else to_json(snapshot(agreement))
