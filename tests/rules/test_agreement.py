"""The rules: the end of a term, status as of a date, alerts, edits, renewals."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relint.agreement import (
    Agreement,
    Status,
    alerts,
    new_agreement,
    renew,
    resolve_term,
    revise,
    terminate,
)
from relint.dates import PartialDate
from relint.durations import PERMANENT, Duration, Window
from relint.errors import RelintError
from relint.kinds import Kind


def d(text: str) -> PartialDate:
    return PartialDate.from_iso(text)


def dated(end: str, notice_days: int | None = None, id: int = 1, **fields: object) -> Agreement:
    return new_agreement(
        Kind.PROTOCOL, f"City {id}", id=id, end=d(end), notice_days=notice_days, **fields
    )


# The end of the current term


def test_start_defaults_to_signed_and_a_collaboration_to_two_years() -> None:
    term = resolve_term(Kind.COLLABORATION, d("2015-11-09"))
    assert (str(term.start), str(term.duration), str(term.end)) == (
        "2015-11-09",
        "2y",
        "2017-11-09",
    )


def test_a_leap_day_start_ends_on_the_last_of_february() -> None:
    assert str(resolve_term(Kind.PACT, d("2016-02-29"), duration=Duration(24)).end) == "2018-02-28"


def test_an_explicit_end_wins_over_the_duration() -> None:
    term = resolve_term(Kind.COLLABORATION, d("2021-07-06"), end=d("2023-06-30"))
    assert str(term.end) == "2023-06-30"
    term = resolve_term(Kind.PACT, d("2021-07-06"), duration=Duration(36), end=d("2023-06-30"))
    assert str(term.end) == "2023-06-30"


def test_a_twinning_is_permanent_unless_told_otherwise() -> None:
    assert resolve_term(Kind.TWINNING, d("1961")).duration == PERMANENT
    assert resolve_term(Kind.TWINNING, d("1961")).end is None
    told = resolve_term(Kind.TWINNING, d("2020-01-01"), duration=Duration(24))
    assert str(told.end) == "2022-01-01"


def test_an_end_before_the_start_is_refused() -> None:
    with pytest.raises(RelintError, match="before the start"):
        resolve_term(Kind.PACT, d("2020-05-01"), end=d("2020-04-30"))
    with pytest.raises(RelintError, match="before the start"):
        resolve_term(Kind.PACT, d("2020-05"), end=d("2019"))
    assert resolve_term(Kind.PACT, d("2020-05-01"), end=d("2020-05-01")).end == d("2020-05-01")


def test_a_permanent_agreement_with_an_end_is_refused() -> None:
    with pytest.raises(RelintError, match="permanent"):
        resolve_term(Kind.PACT, d("2020-05-01"), duration=PERMANENT, end=d("2021-01-01"))


def test_without_a_start_or_a_duration_the_end_is_unknown() -> None:
    assert resolve_term(Kind.COLLABORATION, None).end is None
    assert resolve_term(Kind.MEMORANDUM, d("2015-10-15")).end is None


# Status as of a date

AS_OF = date(2026, 11, 22)


@pytest.mark.parametrize(
    ("days_left", "status"),
    [
        (-1, Status.EXPIRED),
        (0, Status.EXPIRING),
        (1, Status.EXPIRING),
        (90, Status.EXPIRING),
        (91, Status.ACTIVE),
    ],
)
def test_status_at_the_window_boundaries(days_left: int, status: Status) -> None:
    agreement = dated(str(AS_OF + timedelta(days=days_left)))
    assert agreement.days_left(AS_OF) == days_left
    assert agreement.status(AS_OF) is status


def test_a_months_window_counts_calendar_months() -> None:
    agreement = dated("2027-02-28")
    assert agreement.status(date(2026, 8, 31), Window(months=6)) is Status.EXPIRING
    assert agreement.status(date(2026, 8, 27), Window(months=6)) is Status.ACTIVE


def test_permanent_whatever_its_dates_say() -> None:
    twinning = new_agreement(Kind.TWINNING, "San Paolo", signed=d("1961"))
    assert twinning.status(AS_OF) is Status.PERMANENT
    assert twinning.days_left(AS_OF) is None


@pytest.mark.parametrize("end", [None, "2017", "2017-11"])
def test_unknown_when_the_end_is_not_known_to_the_day(end: str | None) -> None:
    agreement = new_agreement(Kind.PACT, "Dubai", end=None if end is None else d(end))
    assert agreement.status(AS_OF) is Status.UNKNOWN
    assert agreement.days_left(AS_OF) is None


def test_terminated_from_its_termination_date() -> None:
    agreement = terminate(dated("2030-01-01"), d("2026-06-01"), "withdrawn")
    assert agreement.status(date(2026, 6, 1)) is Status.TERMINATED
    assert agreement.status(date(2026, 5, 31)) is Status.ACTIVE
    twinning = new_agreement(Kind.TWINNING, "Betlemme")
    assert terminate(twinning, d("2020"), "x").status(AS_OF) is Status.TERMINATED


def test_terminate_refuses_twice_an_empty_reason_and_a_date_before_the_start() -> None:
    agreement = new_agreement(Kind.PACT, "X", id=3, signed=d("2020-01-01"), duration=Duration(12))
    ended = terminate(agreement, d("2020-06-01"), "done")
    with pytest.raises(RelintError, match="already terminated"):
        terminate(ended, d("2020-07-01"), "again")
    with pytest.raises(RelintError, match="reason"):
        terminate(agreement, d("2020-06-01"), "  ")
    with pytest.raises(RelintError, match="before the start"):
        terminate(agreement, d("2019-12-31"), "early")


# Alerts


def test_alerts_include_both_ends_of_the_window_soonest_first() -> None:
    window = Window(days=90)
    last = window.end(AS_OF)
    agreements = [
        dated(str(last), id=1),
        dated(str(AS_OF), id=2),
        dated(str(last + timedelta(days=1)), id=3),
        dated(str(AS_OF - timedelta(days=1)), id=4),
    ]
    found = alerts(agreements, AS_OF, window, AS_OF)
    assert [(a.agreement.id, a.on, a.reason) for a in found] == [
        (2, AS_OF, "end"),
        (1, last, "end"),
    ]


def test_a_notice_deadline_in_the_window_raises_an_alert_before_the_end_does() -> None:
    far = dated("2027-06-30", notice_days=180, id=1)  # deadline 2027-01-01
    assert far.notice_deadline == date(2027, 1, 1)
    found = alerts([far], AS_OF, Window(days=90), AS_OF)
    assert [(a.on, a.reason) for a in found] == [(date(2027, 1, 1), "notice")]
    assert far.status(AS_OF) is Status.ACTIVE


def test_a_passed_notice_deadline_leaves_the_end_to_alert_on() -> None:
    near = dated("2026-12-10", notice_days=60, id=1)  # deadline 2026-10-11, passed
    assert [(a.on, a.reason) for a in alerts([near], AS_OF, Window(days=90), AS_OF)] == [
        (date(2026, 12, 10), "end")
    ]


def test_expired_permanent_unknown_and_terminated_raise_no_alert() -> None:
    agreements = [
        dated("2026-11-21", id=1),
        new_agreement(Kind.TWINNING, "T", id=2, signed=d("2026-11-22")),
        new_agreement(Kind.PACT, "U", id=3, signed=d("2026")),
        terminate(dated("2026-12-01", id=4), d("2026-11-01"), "ended"),
    ]
    assert alerts(agreements, AS_OF, Window(days=365), AS_OF) == []


@given(
    ends=st.lists(st.integers(min_value=-400, max_value=400), max_size=20),
    notices=st.lists(st.none() | st.integers(min_value=0, max_value=400), min_size=20, max_size=20),
    window=st.integers(min_value=0, max_value=365),
)
def test_alerts_are_exactly_the_dates_in_the_window(
    ends: list[int], notices: list[int | None], window: int
) -> None:
    agreements = [
        dated(str(AS_OF + timedelta(days=e)), notice_days=n, id=i)
        for i, (e, n) in enumerate(zip(ends, notices, strict=False), start=1)
    ]
    last = AS_OF + timedelta(days=window)
    found = alerts(agreements, AS_OF, Window(days=window), AS_OF)
    expected = set()
    for a in agreements:
        end = a.end.full if a.end else None
        assert end is not None
        dates = [end] + ([a.notice_deadline] if a.notice_deadline else [])
        if end >= AS_OF and any(AS_OF <= x <= last for x in dates):
            expected.add(a.id)
    assert {a.agreement.id for a in found} == expected
    assert [a.on for a in found] == sorted(a.on for a in found)
    assert all(AS_OF <= a.on <= last for a in found)


# Edits


def test_an_edited_signing_date_moves_a_start_and_end_that_followed_it() -> None:
    agreement = new_agreement(Kind.COLLABORATION, "X", signed=d("2015-11-09"))
    edited = revise(agreement, signed=d("2016-02-29"))
    assert (str(edited.start), str(edited.end)) == ("2016-02-29", "2018-02-28")


def test_an_explicit_end_stays_when_the_start_moves_but_not_when_the_duration_changes() -> None:
    agreement = new_agreement(Kind.PROTOCOL, "X", signed=d("2021-07-06"), end=d("2023-06-30"))
    assert revise(agreement, start=d("2021-08-01")).end == d("2023-06-30")
    assert revise(agreement, duration=Duration(36)).end == d("2024-07-06")


def test_clearing_the_end_computes_it_again() -> None:
    agreement = new_agreement(Kind.COLLABORATION, "X", signed=d("2020-01-15"), end=d("2020-12-31"))
    assert revise(agreement, end=None).end == d("2022-01-15")


def test_a_new_kind_keeps_the_stated_duration() -> None:
    stated = new_agreement(Kind.COLLABORATION, "X", signed=d("2020-01-15"), duration=Duration(24))
    assert revise(stated, kind=Kind.PROTOCOL).end == d("2022-01-15")


def test_clearing_the_duration_keeps_a_stated_end() -> None:
    agreement = new_agreement(Kind.PACT, "X", signed=d("2017-01-01"), end=d("2018-06-30"))
    assert revise(agreement, duration=None).end == d("2018-06-30")


def test_an_edit_cannot_empty_the_counterpart_or_make_the_end_precede_the_start() -> None:
    agreement = new_agreement(Kind.PACT, "X", signed=d("2020-01-15"), duration=Duration(12))
    with pytest.raises(RelintError):
        revise(agreement, counterpart=" ")
    with pytest.raises(RelintError):
        revise(agreement, end=d("2019-01-01"))


# Renewals


def test_renewal_starts_at_the_old_end_for_the_same_duration_and_keeps_history() -> None:
    agreement = new_agreement(Kind.COLLABORATION, "X", id=7, signed=d("2016-02-29"))
    once = renew(agreement)
    assert (str(once.start), str(once.end), str(once.duration)) == (
        "2018-02-28",
        "2020-02-28",
        "2y",
    )
    twice = renew(once, duration=Duration(36))
    assert str(twice.end) == "2023-02-28"
    assert [str(t.end) for t in twice.terms] == ["2018-02-28", "2020-02-28", "2023-02-28"]
    assert twice.signed == d("2016-02-29")


def test_renewal_to_a_given_end_with_its_own_signing() -> None:
    agreement = new_agreement(Kind.PROTOCOL, "CCIAA", signed=d("2019-06-20"), end=d("2021-06-30"))
    renewed = renew(agreement, start=d("2021-07-06"), end=d("2023-06-30"), signed=d("2021-07-06"))
    assert renewed.signed == d("2021-07-06")
    assert [(str(t.start), str(t.end)) for t in renewed.terms] == [
        ("2019-06-20", "2021-06-30"),
        ("2021-07-06", "2023-06-30"),
    ]


def test_renewal_needs_a_dated_end_a_duration_and_no_termination() -> None:
    with pytest.raises(RelintError, match="--start"):
        renew(new_agreement(Kind.PACT, "U", id=1))
    with pytest.raises(RelintError, match="--duration"):
        renew(new_agreement(Kind.PACT, "U", id=1, signed=d("2020-01-01"), end=d("2021-01-01")))
    with pytest.raises(RelintError, match="terminated"):
        renew(terminate(dated("2030-01-01"), d("2026-01-01"), "x"))
    with pytest.raises(RelintError, match="before the start"):
        renew(dated("2030-01-01"), end=d("2029-01-01"))


def test_a_new_end_makes_a_permanent_agreement_end() -> None:
    twinning = new_agreement(Kind.TWINNING, "X", signed=d("2020-01-15"))
    ended = revise(twinning, end=d("2030-01-01"))
    assert (ended.duration, ended.end) == (None, d("2030-01-01"))
    assert ended.status(date(2026, 1, 1)) is Status.ACTIVE
    assert revise(ended, end=None).status(date(2026, 1, 1)) is Status.PERMANENT


@pytest.mark.parametrize("offset", [0, 90])
def test_a_notice_deadline_on_either_end_of_the_window_raises_an_alert(offset: int) -> None:
    deadline = AS_OF + timedelta(days=offset)
    agreement = dated(str(deadline + timedelta(days=200)), notice_days=200)
    found = alerts([agreement], AS_OF, Window(days=90), AS_OF)
    assert [(a.on, a.reason) for a in found] == [(deadline, "notice")]


# The records as they stood on a date


def renewed_protocol() -> Agreement:
    agreement = new_agreement(Kind.PROTOCOL, "CCIAA", signed=d("2019-06-20"), end=d("2021-06-30"))
    return renew(agreement, start=d("2021-07-06"), end=d("2023-06-30"), signed=d("2021-07-06"))


@pytest.mark.parametrize(
    ("day", "end", "status"),
    [
        (date(2021, 4, 15), "2021-06-30", Status.EXPIRING),
        (date(2021, 7, 1), "2021-06-30", Status.EXPIRED),
        (date(2021, 7, 6), "2023-06-30", Status.ACTIVE),
        (date(2019, 1, 1), "2021-06-30", Status.ACTIVE),
    ],
)
def test_a_renewal_counts_from_the_signing_of_its_act(day: date, end: str, status: Status) -> None:
    known = renewed_protocol().known_on(day)
    assert str(known.end) == end
    assert known.status(day) is status


def test_alerts_in_the_past_see_the_term_then_known() -> None:
    found = alerts([renewed_protocol()], date(2021, 4, 15), Window(days=90), date(2021, 4, 15))
    assert [(a.on, str(a.agreement.signed)) for a in found] == [(date(2021, 6, 30), "2019-06-20")]
    assert alerts([renewed_protocol()], date(2023, 4, 15), Window(days=90), date(2023, 4, 15))[
        0
    ].on == date(2023, 6, 30)


def test_a_renewal_without_an_act_runs_under_the_act_before_it_from_its_start() -> None:
    agreement = new_agreement(Kind.COLLABORATION, "X", signed=d("2015-11-09"))
    renewed = renew(agreement)
    assert renewed.signed == d("2015-11-09")
    assert renewed.known_on(date(2017, 11, 8)).end == d("2017-11-09")
    assert renewed.known_on(date(2017, 11, 9)).end == d("2019-11-09")


def test_a_renewal_act_signed_in_advance_counts_from_its_signing() -> None:
    agreement = new_agreement(Kind.COLLABORATION, "X", signed=d("2015-11-09"))
    renewed = renew(agreement, signed=d("2017-06-01"))
    assert renewed.known_on(date(2017, 5, 31)).end == d("2017-11-09")
    assert renewed.known_on(date(2017, 6, 1)).end == d("2019-11-09")
    with pytest.raises(RelintError, match="precede"):
        renew(agreement, signed=d("2010-01-01"))


def test_edits_keep_a_termination_within_the_term() -> None:
    ended = terminate(dated("2021-06-30"), d("2020-01-01"), "withdrawn")
    with pytest.raises(RelintError, match="after the end"):
        revise(ended, end=d("2019-06-30"))


def test_a_twinning_made_another_kind_takes_that_kinds_duration() -> None:
    twinning = new_agreement(Kind.TWINNING, "X", signed=d("2020-01-15"))
    assert revise(twinning, kind=Kind.COLLABORATION).end == d("2022-01-15")


def test_a_renewal_cannot_start_before_the_current_term_or_be_permanent() -> None:
    agreement = new_agreement(Kind.COLLABORATION, "X", signed=d("2018-01-01"))
    with pytest.raises(RelintError, match="before the current term"):
        renew(agreement, start=d("1990-01-01"))
    with pytest.raises(RelintError, match="length"):
        renew(agreement, duration=PERMANENT)
    partial = renew(agreement, start=d("2020"))
    assert (str(partial.start), str(partial.end)) == ("2020", "2022")


def test_a_termination_after_the_end_is_refused() -> None:
    with pytest.raises(RelintError, match="after the end"):
        terminate(dated("2021-06-30"), d("2030-01-01"), "late")
