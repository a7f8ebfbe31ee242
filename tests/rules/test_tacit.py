"""Agreements that renew themselves, as of any day: the term in force, notice of
non-renewal, suspensions, and the status they give."""

from __future__ import annotations

from datetime import date

import pytest

from relint.agreement import (
    Agreement,
    Status,
    give_notice,
    new_agreement,
    resume,
    revise,
    suspend,
    terminate,
    withdraw_notice,
)
from relint.dates import PartialDate
from relint.durations import parse_duration
from relint.errors import RelintError
from relint.kinds import Kind


def lyon(**fields: object) -> Agreement:
    """Three years from 2020-01-15, then three-year tacit terms, 90 days' notice."""
    return new_agreement(
        Kind.PROTOCOL, "Lyon", id=1, start=PartialDate(2020, 1, 15),
        duration=parse_duration("3y"), auto_renew=True, notice_days=90, **fields,
    )  # fmt: skip


def d(text: str) -> PartialDate:
    return PartialDate.from_iso(text)


@pytest.mark.parametrize(
    ("day", "start", "end", "term", "status", "deadline"),
    [
        (date(2022, 6, 1), "2020-01-15", "2023-01-15", 1, "active", date(2022, 10, 17)),
        (date(2023, 1, 15), "2020-01-15", "2023-01-15", 1, "expiring", date(2022, 10, 17)),
        (date(2023, 1, 16), "2023-01-15", "2026-01-15", 2, "active", date(2025, 10, 17)),
        (date(2024, 6, 1), "2023-01-15", "2026-01-15", 2, "active", date(2025, 10, 17)),
        (date(2025, 11, 1), "2023-01-15", "2026-01-15", 2, "expiring", date(2025, 10, 17)),
        (date(2041, 1, 1), "2038-01-15", "2041-01-15", 7, "expiring", date(2040, 10, 17)),
    ],
)
def test_a_tacit_agreement_is_in_its_current_term_on_any_day(
    day: date, start: str, end: str, term: int, status: str, deadline: date
) -> None:
    rolled = lyon().in_force(day)
    assert (str(rolled.start), str(rolled.end), rolled.number) == (start, end, term)
    assert rolled.status(day).value == status
    assert rolled.notice_deadline == deadline


def test_a_renewal_period_apart_from_the_first_term() -> None:
    rolled = lyon(renewal=parse_duration("1y")).in_force(date(2024, 6, 1))
    assert (str(rolled.start), str(rolled.end), rolled.number) == ("2024-01-15", "2025-01-15", 3)


def test_a_leap_day_chain_keeps_the_calendar_rule() -> None:
    agreement = new_agreement(
        Kind.PACT, "X", start=d("2016-02-29"), duration=parse_duration("1y"), auto_renew=True
    )
    assert [str(t.end) for t in agreement.in_force(date(2019, 3, 1)).terms] == [
        "2017-02-28", "2018-02-28", "2019-02-28", "2020-02-28",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("given", "last_end"),
    [("2025-10-17", "2026-01-15"), ("2025-10-18", "2029-01-15"), ("2023-01-16", "2026-01-15")],
)
def test_notice_ends_it_at_the_end_of_the_term_whose_deadline_it_meets(
    given: str, last_end: str
) -> None:
    noticed = give_notice(lyon(), d(given), "non conviene")
    later = noticed.in_force(date(2035, 1, 1))
    assert (str(later.end), later.status(date(2035, 1, 1))) == (last_end, Status.EXPIRED)
    assert withdraw_notice(noticed).in_force(date(2035, 1, 1)).status(date(2035, 1, 1)) in (
        Status.ACTIVE, Status.EXPIRING,
    )  # fmt: skip


def test_notice_before_the_agreement_began_is_refused() -> None:
    with pytest.raises(RelintError, match="would come before agreement 1 began"):
        give_notice(lyon(), d("2019-12-31"), None)


def test_a_suspension_stops_alerts_and_renewal_until_resumed() -> None:
    suspended = suspend(lyon(), d("2025-06-01"), "decisione del consiglio")
    assert suspended.in_force(date(2025, 7, 1)).status(date(2025, 7, 1)) is Status.SUSPENDED
    # Suspended at its end (2026-01-15): it does not renew, and stays suspended.
    assert str(suspended.in_force(date(2030, 1, 1)).end) == "2026-01-15"
    resumed = resume(suspended, d("2025-12-01"))  # resumed before the end: it renews
    assert str(resumed.in_force(date(2030, 1, 1)).end) == "2032-01-15"
    assert resumed.in_force(date(2030, 1, 1)).status(date(2030, 1, 1)) is Status.ACTIVE


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda a: resume(a, d("2025-01-01")), "agreement 1 is not suspended"),
        (lambda a: suspend(suspend(a, d("2024-01-01"), "x"), d("2024-02-01"), "y"),
         "is suspended since 2024-01-01"),
        (lambda a: resume(suspend(a, d("2024-01-01"), "x"), d("2024-01-01")),
         "it cannot resume on 2024-01-01"),
        (lambda a: suspend(a, d("2024"), "x"), "give the full date"),
    ],
)  # fmt: skip
def test_wrong_suspensions_are_refused(change: object, message: str) -> None:
    with pytest.raises(RelintError, match=message):
        change(lyon())  # type: ignore[operator]


def test_statuses_take_precedence_in_order() -> None:
    day = date(2024, 6, 1)
    suspended = suspend(lyon(), d("2024-01-01"), "x")
    assert suspended.in_force(day).status(day) is Status.SUSPENDED
    ended = terminate(suspended, d("2024-05-01"), "fine")
    assert ended.in_force(day).status(day) is Status.TERMINATED


def test_an_agreement_that_renews_itself_is_renewable() -> None:
    assert lyon().renewable
    with pytest.raises(RelintError, match="--not-renewable contradicts it"):
        lyon(renewable=False)
    assert revise(new_agreement(Kind.PACT, "X"), auto_renew=True).renewable
