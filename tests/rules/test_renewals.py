"""Tacit renewals: chains of terms across leap days and month ends, found in a few
steps, equal to stepping term by term."""

from __future__ import annotations

import itertools
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relint.renewals import Stops, ends, first_reaching, in_force, nth_end, safe_day


@pytest.mark.parametrize(
    ("first", "months", "expected"),
    [
        (date(2016, 2, 29), 12, [date(2016, 2, 29), date(2017, 2, 28), date(2018, 2, 28),
                                 date(2019, 2, 28), date(2020, 2, 28)]),
        (date(2016, 1, 31), 1, [date(2016, 1, 31), date(2016, 2, 29), date(2016, 3, 29),
                                date(2016, 4, 29), date(2016, 5, 29)]),
        (date(2015, 8, 31), 6, [date(2015, 8, 31), date(2016, 2, 29), date(2016, 8, 29),
                                date(2017, 2, 28), date(2017, 8, 28)]),
        (date(2020, 1, 15), 36, [date(2020, 1, 15), date(2023, 1, 15), date(2026, 1, 15),
                                 date(2029, 1, 15), date(2032, 1, 15)]),
        (date(2019, 12, 31), 12, [date(2019, 12, 31), date(2020, 12, 31), date(2021, 12, 31),
                                  date(2022, 12, 31), date(2023, 12, 31)]),
    ],
)  # fmt: skip
def test_each_term_ends_by_the_calendar_rule_from_the_end_before(
    first: date, months: int, expected: list[date]
) -> None:
    assert list(itertools.islice(ends(first, months), 5)) == expected
    assert [nth_end(first, months, n) for n in range(5)] == expected


@pytest.mark.parametrize(
    ("first", "months", "bound", "n"),
    [
        (date(2020, 1, 15), 36, date(2020, 1, 15), 0),  # the end itself
        (date(2020, 1, 15), 36, date(2020, 1, 16), 1),  # the day after: the next term
        (date(2020, 1, 15), 36, date(2025, 11, 1), 2),  # in force 2023-01-15 to 2026-01-15
        (date(2016, 2, 29), 12, date(2018, 2, 28), 2),
        (date(2016, 2, 29), 12, date(2018, 3, 1), 3),
        (date(2016, 1, 31), 1, date(2016, 3, 30), 3),  # 03-29 is cut short: the next, 04-29
    ],
)
def test_the_first_term_to_reach_a_day(first: date, months: int, bound: date, n: int) -> None:
    assert first_reaching(first, months, bound) == n


firsts = st.dates(min_value=date(1950, 1, 1), max_value=date(2040, 12, 31))
periods = st.sampled_from([1, 2, 3, 6, 11, 12, 13, 18, 24, 36, 60])


@given(first=firsts, months=periods, n=st.integers(0, 200))
def test_the_nth_end_is_the_end_reached_term_after_term(first: date, months: int, n: int) -> None:
    assert nth_end(first, months, n) == next(itertools.islice(ends(first, months), n, None))


@given(first=firsts, months=periods, ahead=st.integers(0, 40_000))
def test_the_first_term_reaching_a_day_is_the_one_stepping_finds(
    first: date, months: int, ahead: int
) -> None:
    bound = date.fromordinal(first.toordinal() + ahead)
    stepped = next(n for n, end in enumerate(ends(first, months)) if end >= bound)
    assert first_reaching(first, months, bound) == stepped


LYON = date(2023, 1, 15)  # first term 2020-01-15 to 2023-01-15, then 3-year tacit terms


@pytest.mark.parametrize(
    ("stops", "day", "term"),
    [
        (Stops(notice_days=90), date(2025, 11, 1), 1),  # in force 2023-01-15 to 2026-01-15
        (Stops(notice_days=90), date(2040, 1, 1), 6),
        # Notice by the deadline (2026-01-15 - 90 days = 2025-10-17) ends it at that end,
        (Stops(notice_days=90, notice_given=date(2025, 10, 17)), date(2040, 1, 1), 1),
        # and a day later, at the end of the next term.
        (Stops(notice_days=90, notice_given=date(2025, 10, 18)), date(2040, 1, 1), 2),
        (Stops(notice_given=date(2026, 1, 15)), date(2040, 1, 1), 1),  # no notice period
        (Stops(terminated_on=date(2024, 5, 5)), date(2040, 1, 1), 1),
        # Suspended across the end of 2026-01-15: no renewal there.
        (Stops(suspended=((date(2025, 6, 1), date(2026, 3, 1)),)), date(2040, 1, 1), 1),
        # Suspended and resumed between two ends: it renews as before.
        (Stops(suspended=((date(2023, 6, 1), date(2025, 6, 1)),)), date(2030, 1, 1), 3),
        (Stops(suspended=((date(2027, 1, 1), None),)), date(2040, 1, 1), 2),
    ],
)
def test_what_stops_a_tacit_renewal(stops: Stops, day: date, term: int) -> None:
    assert in_force(LYON, 36, day, stops) == term


@given(
    first=firsts, months=periods, ahead=st.integers(0, 20_000),
    given_after=st.integers(-400, 20_000), days=st.none() | st.integers(0, 400),
)  # fmt: skip
def test_notice_ends_the_first_term_whose_deadline_it_meets(
    first: date, months: int, ahead: int, given_after: int, days: int | None
) -> None:
    day = date.fromordinal(first.toordinal() + ahead)
    given_on = date.fromordinal(first.toordinal() + given_after)
    stops = Stops(notice_days=days, notice_given=given_on)
    last = next(
        n for n, end in enumerate(ends(first, months))
        if date.fromordinal(end.toordinal() - (days or 0)) >= given_on
    )  # fmt: skip
    reached = next(n for n, end in enumerate(ends(first, months)) if end >= day)
    assert in_force(first, months, day, stops) == min(reached, last)


@pytest.mark.parametrize(
    ("month", "months", "day"),
    [(1, 12, 31), (2, 12, 28), (1, 1, 28), (3, 6, 30), (8, 6, 28), (4, 24, 30), (5, 5, 28)],
)
def test_the_day_an_end_keeps_for_ever(month: int, months: int, day: int) -> None:
    assert safe_day(month, months) == day
