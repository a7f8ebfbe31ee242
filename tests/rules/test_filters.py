"""What narrows a listing and what orders it: ``Filters``, ``parse_status``,
``parse_sort`` and ``sorted_records``."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from relint.agreement import Status, new_agreement
from relint.dates import PartialDate
from relint.durations import Window
from relint.errors import RelintError
from relint.filters import Filters, parse_sort, parse_status, sorted_records
from relint.kinds import Kind

AS_OF = date(2026, 11, 22)


def d(text: str) -> PartialDate:
    return PartialDate.from_iso(text)


# Expiring as of AS_OF: it ends 39 days later.
LIONE = new_agreement(
    Kind.PACT, "Lione", party="Regione Lombardia", country="Perù",
    sectors=("cultura", "Qualità dell'aria"), signed=d("2025-01-01"), end=d("2026-12-31"),
)  # fmt: skip


@pytest.mark.parametrize(
    ("filters", "admitted"),
    [
        (Filters(), True),
        (Filters(kinds=(Kind.PACT,)), True),
        (Filters(kinds=(Kind.TWINNING, Kind.PACT)), True),
        (Filters(kinds=(Kind.TWINNING, Kind.PROTOCOL)), False),
        (Filters(statuses=(Status.EXPIRING,)), True),
        (Filters(statuses=(Status.EXPIRED, Status.EXPIRING)), True),
        (Filters(statuses=(Status.ACTIVE, Status.EXPIRED)), False),
        (Filters(party="regione"), True),
        (Filters(party="LOMBARDIA"), True),
        (Filters(party="regione lombardia"), True),
        (Filters(party="gione Lom"), True),
        (Filters(party="Comune"), False),
        (Filters(party="Regione Lombardia e Piemonte"), False),
        (Filters(country="peru"), True),
        (Filters(country="PERÙ"), True),
        (Filters(country="pèr"), True),
        (Filters(country="Francia"), False),
        (Filters(sector="CULT"), True),
        (Filters(sector="qualita"), True),
        (Filters(sector="dell'aria"), True),
        (Filters(sector="cultura; qualità"), False),  # each sector on its own
        (Filters(sector="turismo"), False),
        (Filters(kinds=(Kind.PACT,), party="comune"), False),
        (Filters(kinds=(Kind.PROTOCOL,), party="regione"), False),
        (Filters(kinds=(Kind.PACT,), statuses=(Status.EXPIRING,), party="regione",
                 country="peru", sector="aria"), True),
        (Filters(kinds=(Kind.PACT,), statuses=(Status.EXPIRING,), party="regione",
                 country="peru", sector="turismo"), False),
    ],
)  # fmt: skip
def test_every_filter_must_hold_and_the_values_of_one_are_alternatives(
    filters: Filters, admitted: bool
) -> None:
    assert filters.admit(LIONE, AS_OF) is admitted


@pytest.mark.parametrize(
    "filters",
    [Filters(party="a"), Filters(country="a"), Filters(sector="a")],
)
def test_a_text_filter_refuses_an_agreement_without_that_field(filters: Filters) -> None:
    bare = new_agreement(Kind.PACT, "Astana a")
    assert (bare.party, bare.country, bare.sectors) == (None, None, ())
    assert filters.admit(bare, AS_OF) is False
    assert Filters().admit(bare, AS_OF) is True


@pytest.mark.parametrize(
    ("as_of", "window", "status"),
    [
        (date(2026, 11, 22), None, Status.ACTIVE),  # 99 days left: past the default 90
        (date(2026, 11, 22), Window(days=99), Status.EXPIRING),
        (date(2026, 11, 22), Window(days=98), Status.ACTIVE),
        (date(2026, 12, 1), None, Status.EXPIRING),  # 90 days left
        (date(2027, 3, 1), None, Status.EXPIRING),
        (date(2027, 3, 2), None, Status.EXPIRED),
    ],
)
def test_a_status_filter_judges_as_of_the_date_and_window_given(
    as_of: date, window: Window | None, status: Status
) -> None:
    agreement = new_agreement(Kind.PACT, "Osaka", signed=d("2025-03-01"), end=d("2027-03-01"))
    only = Filters(statuses=(status,))
    others = Filters(statuses=tuple(s for s in Status if s is not status))
    if window is None:
        assert (only.admit(agreement, as_of), others.admit(agreement, as_of)) == (True, False)
    else:
        assert only.admit(agreement, as_of, window) is True
        assert others.admit(agreement, as_of, window) is False


STATUSES = "active, expiring, expired, unknown, permanent, terminated, suspended"


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("active", Status.ACTIVE),
        ("expiring", Status.EXPIRING),
        ("expired", Status.EXPIRED),
        ("unknown", Status.UNKNOWN),
        ("permanent", Status.PERMANENT),
        ("terminated", Status.TERMINATED),
        (" Expired ", Status.EXPIRED),
        ("TERMINATED", Status.TERMINATED),
    ],
)
def test_statuses_by_name(text: str, status: Status) -> None:
    assert parse_status(text) is status


@pytest.mark.parametrize("text", ["late", "", "expire", "scadut", "expired,expiring"])
def test_an_unknown_status_is_refused_with_the_accepted_ones(text: str) -> None:
    with pytest.raises(RelintError) as refused:
        parse_status(text)
    said = str(refused.value)
    assert said.startswith(f"unknown status {text!r}")
    assert said.endswith("; use one of: " + ", ".join(
        f"{status} ({italian})" for status, italian in zip(STATUSES.split(", "), (
            "attivo", "in scadenza", "scaduto", "sconosciuto", "permanente", "cessato", "sospeso"),
            strict=True)
    ))  # fmt: skip


SORTABLE = (
    "id, kind, title, party, counterpart, country, signed, start, duration, end, renewable,"
    " auto_renew, notice_days, sectors, signatories, source, notes, status, days_left,"
    " renewal, term, notice_deadline"
)


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("end", ("end", False)),
        ("-end", ("end", True)),
        (" -Days_Left ", ("days_left", True)),
        ("COUNTERPART", ("counterpart", False)),
        ("id", ("id", False)),
        ("-status", ("status", True)),
    ],
)
def test_a_sort_field_and_a_leading_dash_for_descending(
    text: str, parsed: tuple[str, bool]
) -> None:
    assert parse_sort(text) == parsed


@pytest.mark.parametrize("text", ["colour", "", "-", "--end", "- end", "terminated_on", "end-"])
def test_an_unknown_sort_field_is_refused_with_the_accepted_ones(text: str) -> None:
    with pytest.raises(RelintError) as refused:
        parse_sort(text)
    said = str(refused.value)
    assert said.startswith(f"cannot sort by {text!r}")
    assert said.endswith(f"; use one of: {SORTABLE}")


DURATIONS = [(1, "10y"), (2, "1y6m"), (3, "2y"), (4, "6m"), (5, "permanent"), (6, None)]
ENDS = [(1, "2027-01-01"), (2, None), (3, "2026-12-31"), (4, "2027-01-01"), (5, "2026")]


@pytest.mark.parametrize(
    ("field", "descending", "values", "ids"),
    [
        ("counterpart", False, [(1, "dubai"), (2, "Città"), (3, "Ábaco"), (4, "berlin")],
         [3, 4, 2, 1]),
        ("counterpart", True, [(1, "dubai"), (2, "Città"), (3, "Ábaco"), (4, "berlin")],
         [1, 2, 4, 3]),
        ("counterpart", False, [(3, "Città"), (1, "città"), (2, "CITTA")], [1, 2, 3]),
        ("end", False, ENDS, [5, 3, 1, 4, 2]),
        ("end", True, ENDS, [1, 4, 3, 5, 2]),
        ("end", False, [(5, "2027"), (2, "2027"), (9, None), (1, None)], [2, 5, 1, 9]),
        ("end", True, [(5, "2027"), (2, "2027"), (9, None), (1, None)], [2, 5, 1, 9]),
        ("days_left", False, [(1, 10), (2, -5), (3, None), (4, 0)], [2, 4, 1, 3]),
        ("days_left", True, [(1, 10), (2, -5), (3, None), (4, 0)], [1, 4, 2, 3]),
        ("renewable", False, [(1, True), (2, False), (3, True)], [2, 1, 3]),
        ("sectors", False,
         [(1, ["turismo"]), (2, []), (3, ["Cultura", "turismo"]), (4, ["cultura"])],
         [4, 3, 1, 2]),
        ("duration", False, DURATIONS, [4, 2, 3, 1, 5, 6]),
        ("duration", True, DURATIONS, [5, 1, 3, 2, 4, 6]),
        ("duration", False, [(2, "permanent"), (1, "permanent"), (3, "100y")], [3, 1, 2]),
    ],
    ids=[
        "text without case or accents", "text descending", "text ties by id",
        "dates, absent last", "dates descending, ties by id, absent last",
        "ties by id whatever the order given", "ties by id descending too",
        "numbers, zero a value", "numbers descending", "false a value",
        "lists, empty last", "duration by length, permanent longest", "duration descending",
        "permanent ties by id",
    ],
)  # fmt: skip
def test_sorted_records(
    field: str, descending: bool, values: list[tuple[int, Any]], ids: list[int]
) -> None:
    records = [{"id": id, field: value} for id, value in values]
    assert [r["id"] for r in sorted_records(records, field, descending)] == ids


def test_sorted_records_keeps_the_records_whole() -> None:
    records = [{"id": 2, "end": "2027", "notes": "b"}, {"id": 1, "end": None, "notes": "a"}]
    assert sorted_records(records, "end") == records
    assert sorted_records(records, "id", descending=True) == records
    assert sorted_records(records, "notes") == records[::-1]
