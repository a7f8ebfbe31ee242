"""The doctor's data rules: what ``data_problems`` finds wrong in the records."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from relint.agreement import Agreement
from relint.dates import PartialDate
from relint.durations import PERMANENT, parse_duration
from relint.kinds import Kind
from relint.problems import data_problems

AS_OF = date(2026, 11, 22)


def d(text: str) -> PartialDate:
    return PartialDate.from_iso(text)


def agreement(
    id: int, counterpart: str = "Lione", kind: Kind = Kind.PACT, **fields: Any
) -> Agreement:
    """An agreement as the registry may hold it: built directly, so that no rule of
    ``new_agreement`` refuses or completes what a test gives."""
    return Agreement(kind=kind, counterpart=counterpart, id=id, **fields)


UNKNOWN = "agreement 7 (pact with Lione): its end is not known to the day"
DATED = {"start": d("2025-01-01"), "end": d("2027-01-01")}  # an end known to the day


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({}, [UNKNOWN]),
        ({"start": d("2025-01-01"), "duration": parse_duration("2y")}, [UNKNOWN]),
        ({"start": d("2025-01-01"), "end": d("2027-06")}, [UNKNOWN]),
        ({"start": d("2025-01-01"), "end": d("2027")}, [UNKNOWN]),
        (DATED, []),
        ({"end": d("2020-01-01")}, []),  # expired, but known
        ({"duration": PERMANENT}, []),
        ({"terminated_on": d("2026-11-22"), "termination_reason": "recesso"}, []),
        ({"terminated_on": d("2026-11-23"), "termination_reason": "recesso"}, [UNKNOWN]),
    ],
    ids=[
        "no end", "a duration and no end", "end known to the month", "end known to the year",
        "end known to the day", "end passed", "permanent", "terminated on the day",
        "terminated the day after",
    ],
)  # fmt: skip
def test_an_end_not_known_to_the_day(fields: dict[str, Any], expected: list[str]) -> None:
    assert data_problems([agreement(7, **fields)], AS_OF) == expected


def test_whether_an_end_is_known_is_judged_as_of_the_date_given() -> None:
    ended = agreement(7, terminated_on=d("2026-11-22"), termination_reason="recesso")
    assert data_problems([ended], date(2026, 11, 21)) == [UNKNOWN]
    assert data_problems([ended], date(2026, 11, 22)) == []


BEFORE = "agreement 7 (pact with Lione): its end {end} is before its start {start}"


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2020-05-01", "2020-04-30", [BEFORE.format(end="2020-04-30", start="2020-05-01")]),
        ("2020-05-01", "2020-05-01", []),
        ("2020-05-01", "2020-05-02", []),
        ("2020-05", "2020-04-30", [BEFORE.format(end="2020-04-30", start="2020-05")]),
        ("2020-05-31", "2020-05", [UNKNOWN]),  # the month may end on the 31st
        ("2020-05-01", "2020", [UNKNOWN]),
        ("2020", "2019-12-31", [BEFORE.format(end="2019-12-31", start="2020")]),
        ("2020-05", "2019", [UNKNOWN, BEFORE.format(end="2019", start="2020-05")]),
    ],
)
def test_an_end_before_the_start(start: str, end: str, expected: list[str]) -> None:
    assert data_problems([agreement(7, start=d(start), end=d(end))], AS_OF) == expected


def test_an_end_without_a_start_is_never_before_it() -> None:
    assert data_problems([agreement(7, end=d("1900-01-01"))], AS_OF) == []


LONGER = "agreement 7 (pact with Lione): its notice of {} days is longer than its term"


@pytest.mark.parametrize(
    ("start", "end", "notice", "expected"),
    [
        ("2020-01-01", "2020-12-31", 365, []),  # the term: 365 days from start to end
        ("2020-01-01", "2020-12-31", 366, [LONGER.format(366)]),
        ("2020-01-01", "2020-12-31", 0, []),
        ("2020-01-01", "2020-12-31", None, []),
        ("2020-05-01", "2020-05-01", 0, []),
        ("2020-05-01", "2020-05-01", 1, [LONGER.format(1)]),
        ("2020-01", "2020-01-31", 400, []),  # a start not known to the day: no term to compare
        (None, "2020-01-31", 400, []),
    ],
)
def test_a_notice_longer_than_the_term(
    start: str | None, end: str, notice: int | None, expected: list[str]
) -> None:
    found = agreement(7, start=None if start is None else d(start), end=d(end), notice_days=notice)
    assert data_problems([found], AS_OF) == expected


ALIKE = "agreements {} may be the same pact with {}"


@pytest.mark.parametrize(
    ("records", "expected"),
    [
        ([("Lione", Kind.PACT, "Comune di Milano"), ("Lione", Kind.PACT, "Comune di Milano")],
         [ALIKE.format("1, 2", "Lione")]),
        ([("Città di Perù", Kind.PACT, "Comune di Milano"),
          ("CITTA DI PERU", Kind.PACT, "comune di milano")],
         [ALIKE.format("1, 2", "Città di Perù")]),
        ([("Lione", Kind.PACT, None), ("  lione ", Kind.PACT, None)],
         [ALIKE.format("1, 2", "Lione")]),
        ([("Lione", Kind.PACT, None), ("Lione", Kind.PACT, "")], [ALIKE.format("1, 2", "Lione")]),
        ([("Lione", Kind.PACT, "Comune"), ("Lione", Kind.PACT, "Comune"),
          ("Lione", Kind.PACT, "Comune")],
         [ALIKE.format("1, 2, 3", "Lione")]),
        ([("Lione", Kind.PACT, None), ("Osaka", Kind.PACT, None), ("lione", Kind.PACT, None),
          ("Osaka", Kind.PACT, None)],
         [ALIKE.format("1, 3", "Lione"), ALIKE.format("2, 4", "Osaka")]),
        ([("Lione", Kind.PACT, None), ("Lione", Kind.PROTOCOL, None)], []),
        ([("Lione", Kind.PACT, "Comune di Milano"), ("Lione", Kind.PACT, "Regione Lombardia")],
         []),
        ([("Lione", Kind.PACT, "Comune di Milano"), ("Lione", Kind.PACT, None)], []),
        ([("Lione", Kind.PACT, None), ("Lione Métropole", Kind.PACT, None)], []),
    ],
    ids=[
        "the same", "case and accents", "spaces around the counterpart", "no party",
        "three", "two pairs", "another kind", "another party", "a party on one only",
        "a longer name",
    ],
)  # fmt: skip
def test_likely_duplicates(
    records: list[tuple[str, Kind, str | None]], expected: list[str]
) -> None:
    agreements = [
        agreement(n, counterpart, kind, party=party, **DATED)
        for n, (counterpart, kind, party) in enumerate(records, start=1)
    ]
    assert data_problems(agreements, AS_OF) == expected


def test_a_terminated_agreement_is_no_duplicate() -> None:
    ended = {"terminated_on": d("2026-01-01"), "termination_reason": "recesso"}
    agreements = [
        agreement(1, **DATED),
        agreement(2, **DATED, **ended),
        agreement(3, **DATED),
    ]
    assert data_problems(agreements, AS_OF) == [ALIKE.format("1, 3", "Lione")]
    assert data_problems(agreements[:2], AS_OF) == []


def test_problems_come_by_agreement_id_each_agreement_s_own_first() -> None:
    agreements = [
        agreement(3, "Osaka"),  # unknown end
        agreement(1, start=d("2020-01-01"), end=d("2020-12-31"), notice_days=400),
        agreement(2, "Tromsø", start=d("2020-05"), end=d("2019")),
        agreement(4, "LIONE", start=d("2021-01-01"), end=d("2022-01-01")),
    ]
    assert data_problems(agreements, AS_OF) == [
        "agreement 1 (pact with Lione): its notice of 400 days is longer than its term",
        "agreements 1, 4 may be the same pact with Lione",
        "agreement 2 (pact with Tromsø): its end is not known to the day",
        "agreement 2 (pact with Tromsø): its end 2019 is before its start 2020-05",
        "agreement 3 (pact with Osaka): its end is not known to the day",
    ]


def test_no_agreements_no_problems() -> None:
    assert data_problems([], AS_OF) == []
