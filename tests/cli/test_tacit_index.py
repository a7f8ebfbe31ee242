"""The tacit index: alerts and the report's counts read through it (``store.queries``)
equal those of every agreement judged by its own rules, for agreements that renew
themselves on month ends and leap days, with notice, suspensions, terminations and
renewals whose acts were signed late."""

from __future__ import annotations

import contextlib
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relint.agreement import (
    Agreement,
    give_notice,
    new_agreement,
    renew,
    resume,
    suspend,
    terminate,
)
from relint.dates import PartialDate, add_days, add_months
from relint.durations import PERMANENT, Duration
from relint.errors import RelintError
from relint.kinds import Kind

from .test_report import agree, empty_registry, full_dates, holding

__all__ = ["empty_registry"]  # a fixture, used by name

tacit_agreements = st.fixed_dictionaries(
    {
        "kind": st.sampled_from([Kind.PROTOCOL, Kind.COLLABORATION, Kind.PACT]),
        "start": full_dates,
        "months": st.sampled_from([1, 5, 12, 12, 13, 24, 36]) | st.integers(1, 60),
        "renewal": st.none()
        | st.sampled_from([1, 11, 12, 12, 24, 36, None])
        | st.integers(1, 60)
        | st.just("permanent"),
        "end_only": st.sampled_from([False, False, False, True]),  # no duration to repeat
        "notice_days": st.sampled_from([None, 0, 30, 90, 180, 400]),
        # a renewal by an act, signed this many days after the term it renews ended
        "renewed": st.none() | st.integers(-30, 400),
        "notice_given": st.none() | full_dates,
        "suspended": st.none() | st.tuples(full_dates, st.none() | st.integers(1, 2000)),
        "terminated": st.none() | full_dates,
    }
)


def made(fields: dict[str, Any]) -> Agreement:
    """A tacitly renewing agreement from drawn fields; a step the rules refuse is skipped."""
    start = PartialDate.of(fields["start"])
    renewal = fields["renewal"]
    duration = Duration(fields["months"])
    term = {"duration": duration}
    if fields["end_only"]:
        assert start.full is not None
        term = {"end": PartialDate.of(add_months(start.full, fields["months"]))}
    agreement = new_agreement(
        fields["kind"], "Controparte", party="Comune di Milano", country="Francia",
        source="delibera", signed=start, start=start, **term,
        renewal=None if renewal is None else PERMANENT if renewal == "permanent"
        else Duration(renewal),
        auto_renew=True, renewable=True, notice_days=fields["notice_days"],
    )  # fmt: skip
    if fields["renewed"] is not None:
        assert agreement.end is not None
        assert agreement.end.full is not None
        signed = PartialDate.of(add_days(agreement.end.full, fields["renewed"]))
        with contextlib.suppress(RelintError):
            agreement = renew(agreement, signed=signed)
    steps = (
        ("notice_given", lambda a, day: give_notice(a, PartialDate.of(day), None)),
        ("terminated", lambda a, day: terminate(a, PartialDate.of(day), "recesso")),
    )
    for name, step in steps:
        if fields[name] is not None:
            with contextlib.suppress(RelintError):
                agreement = step(agreement, fields[name])
    if fields["suspended"] is not None:
        since, days = fields["suspended"]
        with contextlib.suppress(RelintError):
            agreement = suspend(agreement, PartialDate.of(since), "sospeso")
            if days is not None:
                agreement = resume(agreement, PartialDate.of(add_days(since, days)))
    return agreement


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    drawn=st.lists(tacit_agreements, min_size=1, max_size=12),
    plain=st.lists(st.just(None), max_size=3),
    near=st.integers(0, 200),
    shift=st.integers(-2, 2),
    less=st.sampled_from([0, 0, 30, 90, 180, 400]),
    window=st.sampled_from(["1d", "10d", "30d", "30d", "90d", "1m", "1y", "3y"]),
)
def test_alerts_and_counts_through_the_tacit_index_are_the_rules(
    tmp_path_factory: pytest.TempPathFactory,
    empty_registry: Path,
    drawn: list[dict[str, Any]],
    plain: list[None],
    near: int,
    shift: int,
    less: int,
    window: str,
) -> None:
    beside = [new_agreement(Kind.PACT, "Fine", end=PartialDate(2027, 1, 31)) for _ in plain]
    folder = tmp_path_factory.mktemp("registry")
    with holding(empty_registry, folder, [*map(made, drawn), *beside]) as registry:
        agreements = list(registry.agreements())
        # A day on, next to, or a notice period before one of the tacit ends.
        ends = sorted(
            term.end.earliest()
            for a in agreements
            for term in a.in_force(date(2045, 1, 1)).terms
            if term.end is not None
        )
        as_of = add_days(ends[near % len(ends)], shift - less)
        agree(registry, agreements, as_of, window)


def _fields(start: date, months: int, renewal: int | None, **more: Any) -> dict[str, Any]:
    return {
        "kind": Kind.PROTOCOL, "start": start, "months": months, "renewal": renewal,
        "notice_days": None, "renewed": None, "notice_given": None, "suspended": None,
        "terminated": None, "end_only": False,
    } | more  # fmt: skip


# Monthly renewals on the 15th and on the 31st, yearly ones from a leap day and from the
# last of January, and a three-month period whose ends shift from the 31st to the 30th.
BOUNDARIES = [
    _fields(date(2020, 1, 15), 12, 1),
    _fields(date(2020, 1, 31), 12, 1, notice_days=30),
    _fields(date(2016, 2, 29), 12, None),
    _fields(date(2019, 1, 31), 24, 12, notice_days=90),
    _fields(date(2021, 5, 31), 3, 3),
    _fields(date(2021, 8, 31), 6, 11, notice_days=0),
]


@pytest.mark.parametrize("window", ["1d", "2d", "10d", "30d", "1m", "1y"])
@pytest.mark.parametrize(
    "as_of",
    [date(2026, 11, 30), date(2026, 12, 1), date(2026, 12, 31), date(2027, 1, 30),
     date(2027, 2, 27), date(2027, 2, 28), date(2028, 2, 28), date(2028, 2, 29)],
)  # fmt: skip
def test_windows_across_month_ends_through_the_tacit_index_are_the_rules(
    tmp_path: Path, empty_registry: Path, as_of: date, window: str
) -> None:
    with holding(empty_registry, tmp_path, map(made, BOUNDARIES)) as registry:
        agree(registry, list(registry.agreements()), as_of, window)
