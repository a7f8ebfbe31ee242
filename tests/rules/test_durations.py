"""Durations, ends of terms, and alert windows."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relint.dates import PartialDate, add_months
from relint.durations import (
    PERMANENT,
    Duration,
    Window,
    end_of_term,
    parse_duration,
    parse_window,
)
from relint.errors import RelintError


@pytest.mark.parametrize(
    ("text", "months", "shown"),
    [
        ("2y", 24, "2y"),
        ("3y", 36, "3y"),
        ("18m", 18, "1y6m"),
        ("1y6m", 18, "1y6m"),
        ("6m", 6, "6m"),
        ("2Y", 24, "2y"),
        ("annual", 12, "1y"),
        ("annuale", 12, "1y"),
        ("biennial", 24, "2y"),
        ("Biennale", 24, "2y"),
        ("triennial", 36, "3y"),
        ("triennale", 36, "3y"),
        ("quinquennial", 60, "5y"),
        ("quinquennale", 60, "5y"),
    ],
)
def test_accepted_durations(text: str, months: int, shown: str) -> None:
    duration = parse_duration(text)
    assert duration.months == months
    assert str(duration) == shown
    assert parse_duration(str(duration)) == duration


@pytest.mark.parametrize("text", ["permanent", "permanente", "PERMANENTE"])
def test_permanent(text: str) -> None:
    assert parse_duration(text) is PERMANENT or parse_duration(text) == PERMANENT
    assert parse_duration(text).permanent


@pytest.mark.parametrize(
    "text",
    ["", "2", "two years", "2 settimane", "0y", "0 mesi", "-2y", "2y-1m", "6m1y", "2.5y", "y", "m"],
)
def test_other_durations_are_refused_with_what_is_accepted(text: str) -> None:
    with pytest.raises(RelintError, match="biennale") as refused:
        parse_duration(text)
    assert "permanent" in str(refused.value)


@pytest.mark.parametrize(
    ("start", "duration", "end"),
    [
        ("2016-02-29", "2y", "2018-02-28"),
        ("2015-11-09", "biennial", "2017-11-09"),
        ("2016-02-15", "triennale", "2019-02-15"),
        ("2016-01-31", "1m", "2016-02-29"),
        ("1961-05", "2y", "1963-05"),
        ("1961-11", "3m", "1962-02"),
        ("1961", "2y", "1963"),
        ("1961", "18m", None),  # cannot be known even to the year
        ("2016-02-15", "permanent", None),
    ],
)
def test_end_of_term_at_the_precision_of_the_start(
    start: str, duration: str, end: str | None
) -> None:
    computed = end_of_term(PartialDate.from_iso(start), parse_duration(duration))
    assert (None if computed is None else str(computed)) == end


@given(
    st.dates(min_value=date(1000, 1, 1), max_value=date(9000, 12, 31)),
    st.integers(min_value=1, max_value=600),
)
def test_end_of_a_dated_term_is_known_to_the_day(start: date, months: int) -> None:
    end = end_of_term(PartialDate.of(start), Duration(months))
    assert end is not None
    assert end.full == add_months(start, months)
    assert end.full > start


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("90d", date(2026, 1, 1), date(2026, 4, 1)),
        ("90", date(2026, 1, 1), date(2026, 4, 1)),
        ("0", date(2026, 1, 1), date(2026, 1, 1)),
        ("6m", date(2026, 8, 31), date(2027, 2, 28)),
        ("1y", date(2024, 2, 29), date(2025, 2, 28)),
        ("1y6m", date(2026, 1, 15), date(2027, 7, 15)),
        ("30D", date(2026, 12, 15), date(2027, 1, 14)),
    ],
)
def test_window_ends(text: str, first: date, last: date) -> None:
    assert parse_window(text).end(first) == last


@pytest.mark.parametrize("text", ["", "-5", "6 weeks", "1w", "d", "1.5m", "90dd", "6 mesi e"])
def test_bad_windows_are_refused(text: str) -> None:
    with pytest.raises(RelintError, match="days"):
        parse_window(text)


def test_a_window_past_the_calendar_stops_at_its_last_day() -> None:
    assert Window(days=10**9).end(date(2026, 1, 1)) == date.max
    assert Window(days=90).end(date(9999, 12, 1)) == date.max
    assert Window(months=1).end(date(9999, 12, 15)) == date.max
