"""Planning an import: which rows add, which update, and the one error that names every
wrong row; and ``parse_values``, which reads a row's values as ``relint add`` reads options."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from relint.agreement import Agreement, new_agreement, terminate
from relint.dates import PartialDate
from relint.durations import Duration
from relint.errors import RelintError
from relint.imports import MAX_ID, MAX_SHOWN, Planned, Row, parse_values, plan
from relint.kinds import Kind


def d(text: str) -> PartialDate:
    return PartialDate.from_iso(text)


# What the registry held before the import.
ASTANA = new_agreement(
    Kind.MEMORANDUM, "Astana", id=5, party="Comune di Milano", signed=d("2015-10-15"),
    notes="old", sectors=("cultura",),
)  # fmt: skip
DUBAI = terminate(
    new_agreement(Kind.PACT, "Dubai", id=6, signed=d("2015-10-15"), end=d("2017-10-15")),
    d("2016-06-01"),
    "recesso",
)
REGISTRY = {5: ASTANA, 6: DUBAI}


def planned(*rows: Row, update: bool = False) -> list[Planned]:
    return list(plan(rows, REGISTRY.get, update=update, name="a.csv"))


def refused(*rows: Row, update: bool = False) -> RelintError:
    with pytest.raises(RelintError) as error:
        planned(*rows, update=update)
    return error.value


NEW = {"counterpart": "Lione", "kind": "patto"}  # a new agreement's least


# Added or updated


@pytest.mark.parametrize("update", [False, True])
def test_rows_without_an_id_or_with_a_new_one_are_added(update: bool) -> None:
    rows = [
        Row(2, {"counterpart": "Lione", "kind": "patto", "signed": "2025-06-01", "duration": "2y"}),
        Row(3, {"id": "900", "counterpart": "Łódź", "kind": "pact"}),
        Row(4, {"id": 901, "counterpart": "Osaka", "kind": "gemellaggio", "sectors": None}),
    ]
    assert planned(*rows, update=update) == [
        Planned(2, new_agreement(Kind.PACT, "Lione", signed=d("2025-06-01"),
                                 duration=Duration(24)), update=False),
        Planned(3, new_agreement(Kind.PACT, "Łódź", id=900), update=False),
        Planned(4, new_agreement(Kind.TWINNING, "Osaka", id=901), update=False),
    ]  # fmt: skip


def test_an_existing_id_is_updated_with_what_the_row_gives() -> None:
    rows = [
        Row(2, {"id": "5", "notes": "aggiornato", "country": "Kazakistan"}),
        Row(3, {**NEW}),
    ]
    assert planned(*rows, update=True) == [
        Planned(2, dataclasses.replace(ASTANA, notes="aggiornato", country="Kazakistan"), True),
        Planned(3, new_agreement(Kind.PACT, "Lione"), update=False),
    ]


@pytest.mark.parametrize(
    ("values", "changed"),
    [
        ({"notes": None}, {"notes": None}),
        ({"sectors": None}, {"sectors": ()}),
        ({"sectors": "economia; turismo"}, {"sectors": ("economia", "turismo")}),
        ({"counterpart": None, "kind": None, "renewable": None}, {}),  # cannot be emptied
        ({"counterpart": "Nur-Sultan"}, {"counterpart": "Nur-Sultan"}),
        ({"signed": "2016-01-20"}, {"signed": d("2016-01-20"), "start": d("2016-01-20")}),
    ],
)
def test_empty_cells_of_an_update(values: dict[str, Any], changed: dict[str, Any]) -> None:
    [update] = planned(Row(2, {"id": "5", **values}), update=True)
    assert update.agreement == dataclasses.replace(ASTANA, **changed)


def test_an_existing_id_needs_update() -> None:
    error = refused(Row(2, {**NEW}), Row(3, {"id": "5", "notes": "aggiornato"}))
    assert str(error) == "a.csv: 1 of 2 rows is wrong; nothing was imported"
    assert error.details == ("  row 3: agreement 5 exists; give --update to change it",)


@pytest.mark.parametrize("update", [False, True])
def test_an_id_twice_in_the_file_is_wrong_the_second_time(update: bool) -> None:
    error = refused(
        Row(2, {"id": "900", **NEW}),
        Row(3, {"id": "0900", **NEW}),
        Row(4, {"id": 900, **NEW}),
        update=update,
    )
    assert str(error) == "a.csv: 2 of 3 rows are wrong; nothing was imported"
    assert error.details == (
        "  row 3: id 900 appears twice in the file",
        "  row 4: id 900 appears twice in the file",
    )
    twice = refused(Row(2, {"id": "5"}), Row(3, {"id": "5", "notes": "x"}), update=True)
    assert twice.details == ("  row 3: id 5 appears twice in the file",)


@pytest.mark.parametrize("agreement_id", [1, "1", MAX_ID, str(MAX_ID)])
def test_ids_from_1_to_max_id_may_come_from_a_file(agreement_id: int | str) -> None:
    [added] = planned(Row(2, {"id": agreement_id, **NEW}))
    assert added.agreement.id == int(agreement_id)
    assert added.update is False


@pytest.mark.parametrize(
    ("agreement_id", "said"),
    [
        ("0", "id: 0 is not an id (1 to 9223372032559808512)"),
        (0, "id: 0 is not an id (1 to 9223372032559808512)"),
        (-3, "id: -3 is not an id (1 to 9223372032559808512)"),
        (MAX_ID + 1, "id: 9223372032559808513 is not an id (1 to 9223372032559808512)"),
        (str(2**63), "id: 9223372036854775808 is not an id (1 to 9223372032559808512)"),
        ("-3", "id: expected a whole number, not '-3'"),
        ("7.0", "id: expected a whole number, not '7.0'"),
        ("1" * 20, "id: a number of 20 digits is too large"),
    ],
)
def test_ids_out_of_range_are_wrong(agreement_id: int | str, said: str) -> None:
    assert refused(Row(2, {"id": agreement_id, **NEW})).details == (f"  row 2: {said}",)


@pytest.mark.parametrize(
    ("values", "said"),
    [
        ({"kind": "pact"}, "counterpart missing"),
        ({"counterpart": "Lione"}, "kind missing"),
        ({"notes": "x"}, "counterpart and kind missing"),
        ({"counterpart": None, "kind": "pact"}, "counterpart missing"),
        ({"counterpart": "Lione", "kind": None}, "kind missing"),
        ({"id": "900", "notes": "x"}, "counterpart and kind missing"),
    ],
)
@pytest.mark.parametrize("update", [False, True])
def test_a_new_agreement_needs_a_counterpart_and_a_kind(
    values: dict[str, Any], said: str, update: bool
) -> None:
    assert refused(Row(2, values), update=update).details == (f"  row 2: {said}",)


# The error that names the wrong rows


def test_the_error_names_each_wrong_row_and_what_is_wrong_with_it() -> None:
    error = refused(
        Row(2, {**NEW}),
        Row(3, {**NEW, "notice_days": "ten"}),
        Row(4, {**NEW}),
        Row(5, {}, "3 cells where the header has 2"),
        Row(6, {**NEW, "renewable": "maybe", "notice_days": "-1"}),
        Row(7, {"id": "5", "notes": "x"}),
    )
    assert str(error) == "a.csv: 4 of 6 rows are wrong; nothing was imported"
    assert error.details == (
        "  row 3: notice_days: expected a whole number, not 'ten'",
        "  row 5: 3 cells where the header has 2",
        "  row 6: renewable: expected true or false (sì/no), not 'maybe'; notice_days: expected"
        " a whole number, not '-1'",
        "  row 7: agreement 5 exists; give --update to change it",
    )


@pytest.mark.parametrize(("wrong", "more"), [(1, ()), (MAX_SHOWN, ()),
                                             (MAX_SHOWN + 1, ("  ... and 1 more",)),
                                             (MAX_SHOWN + 5, ("  ... and 5 more",))])  # fmt: skip
def test_the_first_max_shown_wrong_rows_are_named_then_how_many_more(
    wrong: int, more: tuple[str, ...]
) -> None:
    rows = [Row(2, {**NEW})] + [Row(n, {"kind": "pact"}) for n in range(3, 3 + wrong)]
    error = refused(*rows, Row(3 + wrong, {**NEW}))
    verb = "is" if wrong == 1 else "are"
    assert str(error) == f"a.csv: {wrong} of {wrong + 2} rows {verb} wrong; nothing was imported"
    shown = tuple(f"  row {n}: counterpart missing" for n in range(3, 3 + min(wrong, MAX_SHOWN)))
    assert error.details == shown + more


def test_nothing_is_yielded_once_a_row_is_wrong() -> None:
    rows = [
        Row(2, {**NEW}),
        Row(3, {"counterpart": "Osaka", "kind": "pact"}),
        Row(4, {"counterpart": "Tromsø", "kind": "treaty"}),
        Row(5, {"counterpart": "Dakar", "kind": "pact"}),
    ]
    yielded: list[int] = []

    def write() -> None:  # as an import writes: each planned row as it comes
        for step in plan(rows, REGISTRY.get, update=False, name="b.json"):
            yielded.append(step.row)

    with pytest.raises(RelintError) as error:
        write()
    assert yielded == [2, 3]
    assert str(error.value) == "b.json: 1 of 4 rows is wrong; nothing was imported"


def test_a_plan_is_read_as_it_goes() -> None:
    steps = plan(iter([Row(2, {**NEW}), Row(3, {"kind": "pact"})]), REGISTRY.get,
                 update=False, name="a.csv")  # fmt: skip
    assert next(steps) == Planned(2, new_agreement(Kind.PACT, "Lione"), update=False)
    with pytest.raises(RelintError, match=r"^a\.csv: 1 of 2 rows is wrong"):
        next(steps)


# Terminations


@pytest.mark.parametrize(
    ("termination", "said"),
    [
        ({"terminated_on": "2026-06-30"}, "a termination needs both a date and a reason"),
        ({"termination_reason": "recesso"}, "a termination needs both a date and a reason"),
        ({"terminated_on": "2026-06-30", "termination_reason": None},
         "a termination needs both a date and a reason"),
        ({"terminated_on": None, "termination_reason": "recesso"},
         "a termination needs both a date and a reason"),
        ({"terminated_on": "2024-12-31", "termination_reason": "recesso"},
         "the termination 2024-12-31 is before the start 2025-01-01"),
        ({"terminated_on": "2027-01-02", "termination_reason": "recesso"},
         "the termination 2027-01-02 is after the end 2027-01-01"),
    ],
)  # fmt: skip
def test_a_termination_needs_a_date_and_a_reason_within_the_term(
    termination: dict[str, Any], said: str
) -> None:
    row = Row(2, {**NEW, "signed": "2025-01-01", "end": "2027-01-01", **termination})
    assert refused(row).details == (f"  row 2: {said}",)


def test_a_termination_with_its_date_and_reason() -> None:
    row = Row(2, {**NEW, "signed": "2025-01-01", "end": "2027-01-01",
                  "terminated_on": "30/06/2026", "termination_reason": "recesso"})  # fmt: skip
    [added] = planned(row)
    assert (added.agreement.terminated_on, added.agreement.termination_reason) == (
        d("2026-06-30"),
        "recesso",
    )


@pytest.mark.parametrize(
    ("values", "termination"),
    [
        ({"notes": "x"}, (d("2016-06-01"), "recesso")),  # the file has no such columns
        ({"terminated_on": None, "termination_reason": None}, (None, None)),
        ({"terminated_on": "2017-01-01", "termination_reason": "altro"},
         (d("2017-01-01"), "altro")),
    ],
)  # fmt: skip
def test_an_update_keeps_clears_or_changes_a_termination(
    values: dict[str, Any], termination: tuple[PartialDate | None, str | None]
) -> None:
    [update] = planned(Row(2, {"id": "6", **values}), update=True)
    assert (update.agreement.terminated_on, update.agreement.termination_reason) == termination
    assert update.update is True


# The values of a row


def test_empty_values_empty_a_list_leave_out_a_required_field_and_clear_the_rest() -> None:
    values = {
        "sectors": None, "signatories": None,
        "id": None, "kind": None, "counterpart": None, "renewable": None, "auto_renew": None,
        "title": None, "notes": None, "signed": None, "duration": None, "notice_days": None,
    }  # fmt: skip
    assert parse_values(values) == {
        "sectors": (), "signatories": (),
        "title": None, "notes": None, "signed": None, "duration": None, "notice_days": None,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("values", "fields"),
    [
        ({"id": "007"}, {"id": 7}),
        ({"id": 42}, {"id": 42}),
        ({"kind": "Accordo di collaborazione"}, {"kind": Kind.COLLABORATION}),
        ({"counterpart": "  Città  "}, {"counterpart": "  Città  "}),
        ({"signed": "30/09/2015 00:00"}, {"signed": d("2015-09-30")}),
        ({"end": "2016-02-15T00:00:00"}, {"end": d("2016-02-15")}),
        ({"start": "1961"}, {"start": d("1961")}),
        ({"duration": "triennale"}, {"duration": Duration(36)}),
        ({"renewable": "Sì", "auto_renew": "no"}, {"renewable": True, "auto_renew": False}),
        ({"renewable": True}, {"renewable": True}),
        ({"notice_days": "0090"}, {"notice_days": 90}),
        ({"sectors": "cultura; ; turismo "}, {"sectors": ("cultura", "turismo")}),
        ({"signatories": ["A; B", "C"]}, {"signatories": ("A; B", "C")}),
    ],
)
def test_values_are_read_as_the_options_of_add(
    values: dict[str, Any], fields: dict[str, Any]
) -> None:
    assert parse_values(values) == fields


@pytest.mark.parametrize(
    ("values", "said"),
    [
        ({"notice_days": "ten"}, "notice_days: expected a whole number, not 'ten'"),
        ({"notice_days": True}, "notice_days: expected a whole number, not True"),
        ({"renewable": "maybe"}, "renewable: expected true or false (sì/no), not 'maybe'"),
        ({"sectors": 3}, "sectors: expected a list of text, not 3"),
        ({"notes": 3}, "notes: expected text, not 3"),
        ({"signed": "2020-02-30", "title": "ok", "duration": "forever"},
         "signed: impossible date '2020-02-30': 2020-02 has days 1 to 29; duration: not a"
         " duration: 'forever'; use 2y, 3y, 18m, 1y6m, 2 anni, 18 mesi, 1 anno e 6 mesi,"
         " annual/biennial/triennial/quinquennial, annuale/biennale/triennale/quinquennale,"
         " permanent/permanente"),
    ],
)  # fmt: skip
def test_wrong_values_are_named_by_field(values: dict[str, Any], said: str) -> None:
    with pytest.raises(RelintError) as error:
        parse_values(values)
    assert str(error.value) == said


def test_an_agreement_built_from_a_row_is_the_one_add_would_make() -> None:
    row = Row(9, {"counterpart": "Chengdu", "kind": "accordo di collaborazione",
                  "signed": "30/09/2015", "duration": "triennale", "renewable": "sì",
                  "notice_days": "90", "sectors": "commercio; cultura"})  # fmt: skip
    [added] = planned(row)
    expected: Agreement = new_agreement(
        Kind.COLLABORATION, "Chengdu", signed=d("2015-09-30"), duration=Duration(36),
        renewable=True, notice_days=90, sectors=("commercio", "cultura"),
    )  # fmt: skip
    assert added == Planned(9, expected, update=False)
    assert str(added.agreement.end) == "2018-09-30"
