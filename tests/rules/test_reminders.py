"""Which reminder is due, on which day: steps, catching up, re-arming."""

from __future__ import annotations

from datetime import date

import pytest

from relint.agreement import Agreement, give_notice, new_agreement, renew, suspend
from relint.dates import PartialDate
from relint.durations import Duration, parse_window
from relint.errors import RelintError
from relint.kinds import Kind
from relint.reminders import due, due_step, parse_steps

STEPS = parse_steps("90d,30d,7d")
TODAY = date(2026, 11, 29)


def d(text: str) -> date:
    return date.fromisoformat(text)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2026-09-01", None),  # 91 days before
        ("2026-09-02", "90d"),  # 90 days before: the first day of the 90-day step
        ("2026-10-31", "90d"),
        ("2026-11-01", "30d"),  # 30 days before
        ("2026-11-23", "30d"),
        ("2026-11-24", "7d"),  # 7 days before
        ("2026-12-01", "7d"),  # the event's day
        ("2026-12-02", None),  # past it
    ],
)
def test_the_nearest_step_due_is_the_one_sent(day: str, expected: str | None) -> None:
    step = due_step(d("2026-12-01"), d(day), STEPS)
    assert (None if step is None else str(step)) == expected


@pytest.mark.parametrize(
    ("event", "day", "expected"),
    [
        ("2027-03-31", "2027-02-27", "3m"),
        ("2027-03-31", "2027-02-28", "1m"),  # 31 March less a month: February's last day
        ("2028-03-31", "2028-02-29", "1m"),
        ("2027-05-31", "2027-02-28", "3m"),
        ("2027-05-31", "2027-02-27", None),
    ],
)
def test_month_steps_count_back_by_the_calendar(event: str, day: str, expected: str | None) -> None:
    step = due_step(d(event), d(day), parse_steps("3m,1m"))
    assert (None if step is None else str(step)) == expected


@pytest.mark.parametrize("text", ["", "90d,,7d", "90d,soon", "-3d"])
def test_steps_that_are_not_windows_are_refused(text: str) -> None:
    with pytest.raises(RelintError):
        parse_steps(text)


def test_steps_are_read_once_each_shortest_first() -> None:
    assert [str(s) for s in parse_steps(" 7d, 1m ,90d,7")] == ["7d", "1m", "90d"]


LYON = new_agreement(
    Kind.PROTOCOL, "Lyon", start=PartialDate(2020, 1, 15), duration=Duration(36),
    renewal=Duration(12), auto_renew=True, renewable=True, notice_days=90,
)  # fmt: skip


def keys(agreements: list[Agreement], day: str) -> list[tuple[object, ...]]:
    return [r.key[1:] for r in due(agreements, d(day), STEPS, TODAY)]


def test_a_tacit_agreement_is_reminded_of_each_terms_deadline_and_end() -> None:
    # Term 4 runs 2025-01-15 to 2026-01-15; its notice deadline is 2025-10-17.
    assert keys([LYON], "2025-07-19") == [(4, "notice", "2025-10-17", "90d")]
    assert keys([LYON], "2025-10-17") == [
        (4, "notice", "2025-10-17", "7d"), (4, "end", "2026-01-15", "90d"),
    ]  # fmt: skip
    # Rolled over: term 5's dates are new events, so their reminders are due again.
    assert keys([LYON], "2026-07-19") == [(5, "notice", "2026-10-17", "90d")]


def test_notice_given_leaves_only_the_end() -> None:
    noticed = give_notice(LYON, PartialDate(2025, 9, 1), None)
    assert keys([noticed], "2025-10-17") == [(4, "end", "2026-01-15", "90d")]


def test_a_renewal_makes_new_events() -> None:
    plain = new_agreement(Kind.PACT, "Kraków", start=PartialDate(2024, 1, 31),
                          duration=Duration(12))  # fmt: skip
    assert keys([plain], "2025-01-30") == [(1, "end", "2025-01-31", "7d")]
    renewed = renew(plain, signed=PartialDate(2025, 1, 10))
    assert keys([renewed], "2025-01-30") == []  # term 2 counts from its act: far off
    assert keys([renewed], "2025-11-02") == [(2, "end", "2026-01-31", "90d")]


def test_what_cannot_alert_is_not_reminded() -> None:
    suspended = suspend(LYON, PartialDate(2025, 6, 1), "sospeso")
    twinning = new_agreement(Kind.TWINNING, "Osaka", signed=PartialDate(1961))
    unknown = new_agreement(Kind.PACT, "Lima", signed=PartialDate(2025))
    assert keys([suspended, twinning, unknown], "2025-10-17") == []


def test_a_step_given_in_months_counts_in_days_before_its_event() -> None:
    [reminder] = due([LYON], d("2025-12-15"), parse_steps("1m"), TODAY)
    assert (reminder.event, reminder.step_days, reminder.days_left) == ("end", 31, 31)
    assert parse_window("1m") == reminder.step
