"""Italian wherever a person types a word, in either language of output; and the nearest
known word for one that is not."""

from __future__ import annotations

import pytest

from relint.agreement import Status
from relint.durations import Duration, Window, parse_duration, parse_window
from relint.errors import RelintError
from relint.filters import parse_sort, parse_status
from relint.kinds import parse_kind


@pytest.mark.parametrize(
    ("text", "months"),
    [("2 anni", 24), ("18 mesi", 18), ("1 anno e 6 mesi", 18), ("1 anno 6 mesi", 18),
     ("1 Anno, 6 Mesi", 18), ("2 years", 24), ("1 year and 6 months", 18), ("1y 6m", 18),
     ("3 anni", 36)],
)  # fmt: skip
def test_durations_in_words(text: str, months: int) -> None:
    assert parse_duration(text) == Duration(months)


@pytest.mark.parametrize(
    ("text", "window"),
    [("90 giorni", Window(days=90)), ("1 giorno", Window(days=1)), ("6 mesi", Window(months=6)),
     ("1 anno", Window(months=12)), ("2 anni e 3 mesi", Window(months=27)),
     ("30 days", Window(days=30))],
)  # fmt: skip
def test_windows_in_words(text: str, window: Window) -> None:
    assert parse_window(text) == window


@pytest.mark.parametrize(
    "text", ["6 mesi e 1 anno", "2 anni e 3 giorni", "90 giorni", "1 anno e", "anni", "2 settimane"]
)
def test_lengths_that_are_not_durations_are_refused(text: str) -> None:
    with pytest.raises(RelintError, match="not a duration"):
        parse_duration(text)


@pytest.mark.parametrize(
    ("text", "status"),
    [("scaduto", Status.EXPIRED), ("Scaduta", Status.EXPIRED), ("in scadenza", Status.EXPIRING),
     ("IN  SCADENZA", Status.EXPIRING), ("attivo", Status.ACTIVE), ("cessato", Status.TERMINATED),
     ("sospeso", Status.SUSPENDED), ("permanente", Status.PERMANENT),
     ("sconosciuto", Status.UNKNOWN), ("expired", Status.EXPIRED)],
)  # fmt: skip
def test_statuses_in_italian(text: str, status: Status) -> None:
    assert parse_status(text) == status


@pytest.mark.parametrize(
    ("text", "field"),
    [("scadenza", ("end", False)), ("-giorni", ("days_left", True)),
     ("Controparte", ("counterpart", False)), ("preavviso entro", ("notice_deadline", False)),
     ("end", ("end", False))],
)  # fmt: skip
def test_sort_fields_in_italian(text: str, field: tuple[str, bool]) -> None:
    assert parse_sort(text) == field


@pytest.mark.parametrize(
    ("parse", "text", "nearest"),
    [(parse_status, "scadto", "scaduto"), (parse_status, "expird", "expired"),
     (parse_sort, "scadnza", "scadenza"), (parse_kind, "gemelaggio", "gemellaggio"),
     (parse_kind, "twining", "twinning")],
)  # fmt: skip
def test_a_word_not_known_suggests_the_nearest(parse: object, text: str, nearest: str) -> None:
    with pytest.raises(RelintError, match=f"did you mean {nearest}\\?"):
        parse(text)  # type: ignore[operator]


def test_a_word_near_nothing_suggests_nothing() -> None:
    with pytest.raises(RelintError) as raised:
        parse_status("zzzz")
    assert "did you mean" not in str(raised.value)
