"""Reading dates as staff type them, and calendar arithmetic."""

from datetime import date

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from relint.dates import PartialDate, add_months, parse_date
from relint.errors import RelintError


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2016-02-15", "2016-02-15"),
        ("15/02/2016", "2016-02-15"),
        ("5/2/2016", "2016-02-05"),
        ("15.02.2016", "2016-02-15"),
        ("15-02-2016", "2016-02-15"),
        ("12/11/2016", "2016-11-12"),  # day first, always
        ("15 febbraio 2016", "2016-02-15"),
        ("15 Febbraio 2016", "2016-02-15"),
        ("1 mar 2020", "2020-03-01"),
        ("1° marzo 2020", "2020-03-01"),
        ("11 nov. 2014", "2014-11-11"),
        ("30 settembre 2015", "2015-09-30"),
        ("2 May 2016", "2016-05-02"),
        ("  9   novembre  2015 ", "2015-11-09"),
        ("1961", "1961"),
        ("1961-05", "1961-05"),
        ("febbraio 2016", "2016-02"),
        ("02/2016", "2016-02"),
        ("2016-02-29", "2016-02-29"),
        ("29/02/2000", "2000-02-29"),
    ],
)
def test_accepted_dates_are_read_and_written_as_iso(text: str, expected: str) -> None:
    assert str(parse_date(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "2016-02-30",  # impossible
        "2015-02-29",  # not a leap year
        "1900-02-29",  # century, not a leap year
        "2016-13-01",  # ISO is never read day first
        "2016-00-10",
        "31/04/2016",
        "02/15/2016",  # month first: refused, not guessed
        "15/02/16",  # two-digit year: ambiguous century
        "32 gennaio 2016",
        "15 brumaio 2016",
        "tomorrow",
        "2016/02/15",
        "0999",
        "2016-02-15T10:00",
        "15 febbraio",
        "13/2016",
    ],
)
def test_impossible_or_ambiguous_dates_are_refused(text: str) -> None:
    with pytest.raises(RelintError):
        parse_date(text)


def test_a_refusal_says_what_is_accepted() -> None:
    with pytest.raises(RelintError, match=r"15/02/2016"):
        parse_date("next week")


def test_partial_dates_know_their_bounds() -> None:
    assert PartialDate(2016, 2).earliest() == date(2016, 2, 1)
    assert PartialDate(2016, 2).latest() == date(2016, 2, 29)
    assert PartialDate(1961).latest() == date(1961, 12, 31)
    assert PartialDate(1961).full is None
    assert PartialDate(2016, 2, 15).full == date(2016, 2, 15)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2016, 2, 29), 24, date(2018, 2, 28)),
        (date(2016, 2, 29), 48, date(2020, 2, 29)),
        (date(2015, 11, 9), 24, date(2017, 11, 9)),
        (date(2016, 1, 31), 1, date(2016, 2, 29)),
        (date(2015, 1, 31), 1, date(2015, 2, 28)),
        (date(2016, 8, 31), 1, date(2016, 9, 30)),
        (date(2016, 12, 31), 18, date(2018, 6, 30)),
    ],
)
def test_add_months_keeps_the_calendar_day_or_takes_the_month_end(
    start: date, months: int, expected: date
) -> None:
    assert add_months(start, months) == expected


@pytest.mark.parametrize(("start", "months"), [(date(9999, 6, 1), 12), (date(1, 1, 31), -1)])
def test_add_months_past_the_calendar_is_refused(start: date, months: int) -> None:
    with pytest.raises(RelintError):
        add_months(start, months)


days = st.dates(min_value=date(1000, 1, 1), max_value=date(9000, 12, 31))


@given(days, st.integers(min_value=0, max_value=1200))
def test_add_months_lands_on_the_same_day_or_the_last_of_the_month(
    start: date, months: int
) -> None:
    end = add_months(start, months)
    assert (end.year * 12 + end.month) - (start.year * 12 + start.month) == months
    next_day = date.fromordinal(end.toordinal() + 1)
    assert end.day == start.day or (end.day < start.day and next_day.day == 1)


@given(st.dates(), st.integers(min_value=-120_000, max_value=120_000))
def test_add_months_is_relativedeltas_rule(start: date, months: int) -> None:
    """The same end as dateutil's relativedelta, or refused where it fails."""
    try:
        expected: date | None = start + relativedelta(months=months)
    except (ValueError, OverflowError):
        expected = None
    if expected is None:
        with pytest.raises(RelintError):
            add_months(start, months)
    else:
        assert add_months(start, months) == expected


@given(days)
def test_iso_text_round_trips(day: date) -> None:
    assert parse_date(day.isoformat()).full == day
    assert parse_date(day.strftime("%d/%m/%Y")).full == day
    assert PartialDate.from_iso(str(PartialDate.of(day))).full == day


def test_days_in_month_agree_with_the_calendar() -> None:
    import calendar

    from relint.dates import days_in_month

    for year in (1900, 1996, 2000, 2023, 2024, 2100, 2400, 9999):
        for month in range(1, 13):
            assert days_in_month(year, month) == calendar.monthrange(year, month)[1]
