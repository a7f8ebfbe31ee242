"""The record described once: each kind of value travels both ways, everything derived
from the declaration follows it, options parse at the edge, and every error has one
message and one exit code."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relint.agreement import (
    COMPUTED,
    EXPORT_FIELDS,
    FIELDS,
    RECORD,
    Agreement,
    Status,
    Term,
    export_record,
)
from relint.cli import spec
from relint.dates import PartialDate
from relint.durations import PERMANENT, Duration, Window
from relint.errors import RelintError, Terminated
from relint.failures import told
from relint.filters import Filters
from relint.imports import parse_values
from relint.kinds import Kind
from relint.render import Format
from relint.store import codec
from relint.values import DATE, DAYS, DURATION, FLAG, KIND, TEXT, TEXTS

WHOLE = Agreement(
    id=7, kind=Kind.PACT, title="Patto", party="Comune di Milano", counterpart="Città",
    country="Francia", signed=PartialDate(2016, 2), start=PartialDate(2016, 2, 29),
    duration=Duration(36), end=PartialDate(2019, 2, 28), renewable=True, auto_renew=True,
    notice_days=90, sectors=("cultura", "a; b"), signatories=("Sala",), source="url",
    notes="due\nrighe", terminated_on=PartialDate(2018), termination_reason="fine",
    history=(Term(PartialDate(2013), PartialDate(2013, 2, 28), PERMANENT, None),),
)  # fmt: skip


def test_the_record_keeps_the_order_of_the_formats() -> None:
    assert FIELDS == (
        "id", "kind", "title", "party", "counterpart", "country", "signed", "start",
        "duration", "end", "renewable", "auto_renew", "notice_days", "sectors",
        "signatories", "source", "notes", "status", "days_left", "renewal", "term",
        "notice_deadline",
    )  # fmt: skip
    assert (
        *FIELDS, "terminated_on", "termination_reason", "notice_given", "notice_reason",
        "suspensions", "history",
    ) == EXPORT_FIELDS  # fmt: skip
    assert [f.name for f in RECORD] == [
        f.name for f in dataclasses.fields(Agreement) if f.name != "tacit"
    ]


@pytest.mark.parametrize(
    ("kind", "value", "plain", "stored"),
    [
        (TEXT, "Città", "Città", "Città"),
        (KIND, Kind.TWINNING, "twinning", "twinning"),
        (DATE, PartialDate(2016, 2, 29), "2016-02-29", "2016-02-29"),
        (DATE, PartialDate(2016), "2016", "2016"),
        (DURATION, Duration(18), "1y6m", "1y6m"),
        (DURATION, PERMANENT, "permanent", "permanent"),
        (FLAG, True, True, 1),
        (FLAG, False, False, 0),
        (DAYS, 90, 90, 90),
        (TEXTS, ("Città", "a"), ["Città", "a"], '["Città", "a"]'),
        (TEXTS, (), [], "[]"),
    ],
)
def test_each_kind_of_value_travels_both_ways(
    kind: Any, value: object, plain: object, stored: object
) -> None:
    assert kind.plain(value) == plain
    assert kind.unplain(plain) == value
    assert kind.stored(value) == stored
    assert kind.unstored(stored) == value


def test_a_snapshot_and_a_row_give_back_the_whole_record() -> None:
    assert codec.from_snapshot(codec.snapshot(WHOLE)) == WHOLE
    row = (WHOLE.id, *codec.values(WHOLE))
    assert codec.agreement(row, WHOLE.history) == WHOLE
    assert [codec.term_values(t) for t in WHOLE.history] == [
        ("2013", "2013-02-28", "permanent", None)
    ]


def test_a_snapshot_older_than_a_field_gives_it_its_default() -> None:
    document = codec.snapshot(WHOLE)
    del document["sectors"], document["notes"]
    restored = codec.from_snapshot(document)
    assert (restored.sectors, restored.notes) == ((), None)


def test_a_row_that_does_not_decode_names_its_agreement() -> None:
    row = (WHOLE.id, *codec.values(WHOLE))
    broken = (*row[:7], "2016-02-30", *row[8:])  # the stored start
    with pytest.raises(RelintError, match=r"^agreement 7 is damaged in the registry \("):
        codec.agreement(broken)


def test_an_export_reads_back_as_the_record() -> None:
    record = export_record(WHOLE, date(2017, 1, 1))
    read = parse_values({k: v for k, v in record.items() if k not in COMPUTED})
    fields = {f.name: getattr(WHOLE, f.name) for f in RECORD}
    assert read == fields


@given(
    notes=st.text(max_size=20),
    sectors=st.lists(st.text(min_size=1, max_size=8), max_size=3),
    days=st.integers(0, 36_500),
)
def test_any_record_survives_its_snapshot(notes: str, sectors: list[str], days: int) -> None:
    agreement = dataclasses.replace(WHOLE, notes=notes, sectors=tuple(sectors), notice_days=days)
    assert codec.from_snapshot(codec.snapshot(agreement)) == agreement
    assert codec.agreement((7, *codec.values(agreement)), agreement.history) == agreement


# Options, parsed at the edge


def test_listing_options_become_typed_values() -> None:
    values = spec.parsed(
        spec.LIST,
        {"kinds": ["patto", "twinning"], "statuses": ["Expired"], "party": "comune",
         "as_of": "29/02/2016", "order": "-end", "fmt": "csv"},
    )  # fmt: skip
    assert values == {
        "filters": Filters((Kind.PACT, Kind.TWINNING), (Status.EXPIRED,), "comune"),
        "as_of": date(2016, 2, 29),
        "order": ("end", True),
        "fmt": Format.CSV,
        "output": None,
        "raw": False,
    }


def test_options_not_given_take_their_defaults() -> None:
    assert spec.parsed(spec.EXPIRING, {}) == {
        "window": Window(days=90), "as_of": None, "fmt": Format.TABLE, "output": None,
        "raw": False, "exit_code": False, "quiet": False,
    }  # fmt: skip
    assert spec.parsed(spec.LIST, {})["filters"] == Filters()


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"as_of": "2017-02"}, "--as-of needs a full date, not '2017-02'"),
        ({"as_of": "2017-02-30"}, "impossible date '2017-02-30'"),
        ({"kinds": ["treaty"]}, "unknown kind 'treaty'"),
        ({"statuses": ["late"]}, "unknown status 'late'"),
        ({"order": "colour"}, "cannot sort by 'colour'"),
    ],
)
def test_a_wrong_option_is_refused_before_anything_runs(
    given: dict[str, Any], message: str
) -> None:
    with pytest.raises(RelintError) as refused:
        spec.parsed(spec.LIST, given)
    assert message in str(refused.value)


def test_edit_takes_only_the_fields_given_and_an_empty_one_clears() -> None:
    given = {
        "kind": "patto", "country": "", "notice_days": "30", "sectors": ["", " "],
        "renewable": False, "signed": "15 febbraio 2016",
    }  # fmt: skip
    assert spec.parsed(spec.CHANGES, given) == {
        "kind": Kind.PACT, "country": None, "notice_days": 30, "sectors": (),
        "renewable": False, "signed": PartialDate(2016, 2, 15),
    }  # fmt: skip
    assert spec.parsed(spec.CHANGES, {}) == {}
    with pytest.raises(RelintError, match="unknown kind ''"):
        spec.parsed(spec.CHANGES, {"kind": ""})  # a kind is never cleared


def test_add_and_edit_take_an_option_for_each_field_that_declares_one() -> None:
    declared = {f.spec.option for f in RECORD if f.spec.option}
    assert {o.flags[0] for o in spec.NEW_RECORD} == declared
    assert {o.flags[0] for o in spec.CHANGES} == declared
    assert {o.param for o in spec.NEW_RECORD if o.required} == {"kind", "counterpart"}
    assert not any(o.required for o in spec.CHANGES)


# One way out


class Fault(Exception):
    pass


@pytest.mark.parametrize(
    ("error", "committed", "message", "code"),
    [
        (RelintError("no agreement with id 9"), False, "Error: no agreement with id 9", 1),
        (RelintError("f: 2 rows", ("  row 2: x", "  row 3: y\n")), False,
         "Error: f: 2 rows\n  row 2: x\n  row 3: y\\n", 1),
        (RelintError("a\x1b[2Jb"), False, "Error: a\\x1b[2Jb", 1),
        (BrokenPipeError(32, "Broken pipe"), False,
         "Error: cannot write the output: [Errno 32] Broken pipe", 1),
        (KeyboardInterrupt(), False, "Interrupted.", 130),
        (Terminated(), False, "Terminated.", 143),
        (RelintError("cannot write x: a; b"), True,
         "Error: cannot write x: a; b; but the change was made, and is in the registry", 3),
        (KeyboardInterrupt(), True,
         "Error: interrupted; but the change was made, and is in the registry", 3),
        (None, True, "Error: interrupted; but the change was made, and is in the registry", 3),
    ],
)  # fmt: skip
def test_every_error_has_one_message_and_one_code(
    error: BaseException | None, committed: bool, message: str, code: int
) -> None:
    assert told(error, committed=committed) == (message, code)


def test_code_that_fails_to_load_is_a_start_that_failed_only_before_a_command() -> None:
    assert told(ImportError("x"), starting=True) == (
        "Error: relint could not start (ImportError); RELINT_DEBUG=1 shows the traceback.",
        70,
    )
    message, code = told(ImportError("x"))
    assert code == 70
    assert message.startswith("Error: relint failed unexpectedly (ImportError")


def test_a_fault_names_where_it_happened_and_no_value() -> None:
    try:
        raise Fault("Comune di Milano, secret notes")
    except Fault as error:
        message, code = told(error)
        after_commit = told(error, committed=True)
    assert code == 70
    assert message.startswith("Error: relint failed unexpectedly (Fault at test_record.py:")
    assert "secret" not in message
    assert "RELINT_DEBUG=1" in message
    assert after_commit[0].startswith("Error: relint failed unexpectedly (Fault at ")
    assert after_commit[0].endswith("; but the change was made, and is in the registry")
    assert "RELINT_DEBUG" not in after_commit[0]
