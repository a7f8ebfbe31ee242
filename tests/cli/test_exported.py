"""An export reads the record of most agreements from SQL (``Registry.exported``): it must
be the record their own rules give (``export_record``), on any day, and a damaged
registry must still be refused."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relint.agreement import export_values, new_agreement
from relint.dates import PartialDate, add_days
from relint.durations import parse_duration
from relint.kinds import Kind
from relint.store import Registry, queries

from ..conftest import Relint
from .test_report import boundary, drawn_agreements, empty_registry, holding, made

__all__ = ["empty_registry"]  # a fixture, shared with the report's tests


def records(registry: Registry, as_of: date) -> tuple[str, str]:
    """What the export carries, as JSON (so that 1 is not true), read through SQL and
    from the agreements themselves."""
    expected = [export_values(a, as_of) for a in registry.agreements()]
    return json.dumps(list(registry.exported(as_of))), json.dumps(expected)


def plain(registry: Registry, as_of: date) -> list[Any]:
    """The ids of the agreements SQL gave the record of."""
    until = add_days(as_of, 90)
    return [row[0] for row in queries.exported(registry.conn, registry.present, as_of, until)
            if row[-1]]  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    drawn=st.lists(drawn_agreements, max_size=25),
    as_of=st.dates(date(2009, 1, 1), date(2045, 12, 31)),
    near_what=st.sampled_from(["end", "tacit", "terminated", "anything"]),
    near=st.integers(0, 40),
    shift=st.integers(-1, 1),
)
def test_the_records_sql_gives_are_the_agreements_own(
    tmp_path_factory: pytest.TempPathFactory,
    empty_registry: Path,
    drawn: list[dict[str, Any]],
    as_of: date,
    near_what: str,
    near: int,
    shift: int,
) -> None:
    folder = tmp_path_factory.mktemp("registry")
    with holding(empty_registry, folder, (made(fields) for fields in drawn)) as registry:
        as_of = boundary(list(registry.agreements()), near_what, near, shift) or as_of
        fast, slow = records(registry, as_of)
        assert fast == slow


def test_sql_gives_the_record_of_agreements_that_renew_themselves(
    tmp_path: Path, empty_registry: Path
) -> None:
    """Regular ones, on days about their tacit ends: the 31st cut short to a month's end,
    a leap day, a notice deadline; and the others, beside them. The first, once past its
    recorded end (2019-09-30), is irregular until its ends steady on the 28th
    (2021-02-28): until then its own rules judge it."""
    pact, collaboration = Kind.PACT, Kind.COLLABORATION
    drawn = [
        new_agreement(pact, "Fine mese", signed=PartialDate(2019, 8, 31), duration=parse_duration(
            "1m"), auto_renew=True, notice_days=30),
        new_agreement(pact, "Bisestile", signed=PartialDate(2016, 2, 29),
                      duration=parse_duration("1y"), auto_renew=True),
        new_agreement(collaboration, "Biennale", signed=PartialDate(2015, 3, 10),
                      auto_renew=True, notice_days=90),
        new_agreement(pact, "Parziale", signed=PartialDate(2015, 3), auto_renew=True),
        new_agreement(Kind.TWINNING, "Gemellaggio", signed=PartialDate(1990)),
        new_agreement(pact, "Scaduto", signed=PartialDate(2015, 3, 10)),
    ]  # fmt: skip
    with holding(empty_registry, tmp_path, drawn) as registry:
        for as_of in (date(2026, 11, 30), date(2028, 2, 28), date(2028, 2, 29), date(2028, 3, 1),
                      date(2030, 1, 31), date(2019, 9, 30), date(2019, 10, 1)):  # fmt: skip
            irregular = date(2019, 9, 30) < as_of <= date(2021, 2, 28)
            assert plain(registry, as_of) == [1, 2, 3, 4, 5, 6][irregular:], as_of
            fast, slow = records(registry, as_of)
            assert fast == slow, as_of


def stored(path: Path, sql: str) -> None:
    conn = sqlite3.connect(path)
    with conn:
        conn.execute(sql)
    conn.close()


@pytest.mark.parametrize(
    "change",
    [
        "start = '2020-02-30'",
        "sectors = '[1, 2]'",
        "notice_days = 'abc'",
        "kind = 'patto'",
    ],
)
def test_a_damaged_value_is_still_refused(relint: Relint, db: Path, change: str) -> None:
    assert relint("add", "--kind", "pact", "--counterpart", "A", "--signed", "2020-01-10").code == 0
    stored(db, f"UPDATE agreements SET {change}")
    result = relint("export", "-f", "csv")
    assert result.code == 1
    assert "agreement 1 is damaged" in result.stderr
    assert result.stdout == ""


def test_a_value_spelled_otherwise_is_exported_as_relint_spells_it(
    relint: Relint, db: Path
) -> None:
    """A length stored as a word (a registry edited by hand) is read as the rules read
    it: the agreement's record is theirs, not SQL's."""
    for n in range(2):
        args = ["--counterpart", f"A{n}", "--signed", "2020-01-10", "--duration", "2y"]
        assert relint("add", "--kind", "pact", *args).code == 0
    stored(db, "UPDATE agreements SET duration = 'permanente', \"end\" = NULL WHERE id = 2")
    exported = json.loads(relint("export", "-f", "json", "--as-of", "2026-11-30").stdout)
    assert [(r["duration"], r["status"]) for r in exported] == [
        ("2y", "expired"),
        ("permanent", "permanent"),
    ]
