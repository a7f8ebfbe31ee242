"""Generated input for the parsers: each either succeeds with the right result or fails
with a clear error, never a traceback."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TypeVar

from hypothesis import given
from hypothesis import strategies as st

from relint.dates import PartialDate, parse_date
from relint.durations import parse_duration, parse_window
from relint.errors import RelintError
from relint.kinds import Kind, parse_kind

T = TypeVar("T")

ITALIAN_MONTHS = ("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio",
                  "agosto", "settembre", "ottobre", "novembre", "dicembre")  # fmt: skip
days = st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31))


def outcome(parse: Callable[[str], T], text: str) -> tuple[T | None, RelintError | None]:
    """What ``parse`` makes of ``text``: a value, or the error it refused it with."""
    try:
        return parse(text), None
    except RelintError as error:
        return None, error


@given(st.text())
def test_any_text_is_a_date_that_round_trips_or_is_refused(text: str) -> None:
    parsed, error = outcome(parse_date, text)
    if parsed is not None:
        assert parse_date(str(parsed)) == parsed
    else:
        assert str(error)


@given(days, st.sampled_from(["iso", "italian", "words"]))
def test_every_date_in_every_accepted_form_is_read_right(day: date, form: str) -> None:
    text = {
        "iso": day.isoformat(),
        "italian": day.strftime("%d/%m/%Y"),
        "words": f"{day.day} {ITALIAN_MONTHS[day.month - 1]} {day.year}",
    }[form]
    assert parse_date(text) == PartialDate.of(day)


@given(st.text())
def test_any_text_is_a_duration_or_is_refused(text: str) -> None:
    parsed, error = outcome(parse_duration, text)
    if parsed is not None:
        assert parse_duration(str(parsed)) == parsed
    else:
        assert "biennale" in str(error) or "longer than" in str(error)


@given(st.text(), days)
def test_any_text_is_a_window_or_is_refused(text: str, day: date) -> None:
    window, error = outcome(parse_window, text)
    if window is not None:
        assert window.end(day) >= day
    else:
        assert "days" in str(error)


@given(st.text())
def test_any_text_is_a_kind_or_is_refused(text: str) -> None:
    kind, error = outcome(parse_kind, text)
    if kind is not None:
        assert kind in Kind
    else:
        assert "gemellaggio" in str(error)
