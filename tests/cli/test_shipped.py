"""The shipped registry: every agreement of the source documents, rebuilt reproducibly."""

from __future__ import annotations

import re
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from relint import store
from relint.agreement import Agreement, Status, alerts
from relint.durations import Window
from relint.kinds import Kind
from relint.samples import build

from ..conftest import ROOT, SHIPPED

TODAY = date(2026, 11, 22)


def content(path: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(path)
    try:
        return {
            "agreements": conn.execute("SELECT * FROM agreements ORDER BY id").fetchall(),
            "terms": conn.execute("SELECT * FROM terms ORDER BY agreement_id, seq").fetchall(),
            "migrations": conn.execute(
                "SELECT name FROM _sqlite_migrations ORDER BY id"
            ).fetchall(),
            "schema": conn.execute(
                "SELECT type, name, sql FROM sqlite_master ORDER BY name"
            ).fetchall(),
        }
    finally:
        conn.close()


def test_the_shipped_registry_matches_a_rebuild(tmp_path: Path) -> None:
    rebuilt = tmp_path / "rebuilt.db"
    build(ROOT / "data" / "agreements.toml", rebuilt)
    assert content(rebuilt) == content(SHIPPED)


@pytest.fixture(scope="module")
def agreements() -> dict[str, Agreement]:
    registry = store.open_registry(SHIPPED)
    try:
        return {a.counterpart: registry.get(a.id) for a in registry.agreements() if a.id}
    finally:
        registry.close()


def test_every_agreement_of_the_sources_is_there(agreements: dict[str, Agreement]) -> None:
    by_party: dict[str, int] = {}
    for a in agreements.values():
        by_party[a.party or ""] = by_party.get(a.party or "", 0) + 1
    assert by_party == {
        "Comune di Milano": 8 + 15 + 1,
        "Città metropolitana di Milano": 1,
        "Regione Lombardia": 10,
    }


def test_comune_di_milano_collaboration_agreements(agreements: dict[str, Agreement]) -> None:
    expected = {
        "New York": ("2015-11-09", "2017-11-09"),
        "New York City Economic Development Corporation": ("2016-05-02", "2018-05-02"),
        "NYC Mayor's Office of Digital Strategy": ("2016-11-25", None),
        "Tehran": ("2016-02-15", "2019-02-15"),
        "Astana": ("2015-10-15", None),
        "Dubai": ("2015-10-15", None),
        "Chengdu": ("2015-09-30", "2018-09-30"),
        "Mosca": ("2014-11-11", "2017-11-11"),
    }
    for counterpart, (signed, end) in expected.items():
        a = agreements[counterpart]
        assert (str(a.signed), None if a.end is None else str(a.end)) == (signed, end)
    assert agreements["Chengdu"].renewable


def test_fifteen_permanent_twinnings_with_no_invented_dates(
    agreements: dict[str, Agreement],
) -> None:
    twinnings = [a for a in agreements.values() if a.kind is Kind.TWINNING]
    assert len(twinnings) == 15
    assert all(a.status(TODAY) is Status.PERMANENT for a in twinnings)
    assert str(agreements["San Paolo"].signed) == "1961"
    assert [a.counterpart for a in twinnings if a.signed is not None] == ["San Paolo"]
    assert "Daegu" in agreements


def test_the_chamber_of_commerce_protocol_and_its_earlier_term(
    agreements: dict[str, Agreement],
) -> None:
    cciaa = agreements["CCIAA di Milano Monza Brianza Lodi"]
    assert (str(cciaa.signed), str(cciaa.start), str(cciaa.end)) == (
        "2021-07-06", "2021-07-06", "2023-06-30",
    )  # fmt: skip
    assert [(str(t.start), str(t.end)) for t in cciaa.history] == [("2019-06-20", "2021-06-30")]


def test_the_metropolitan_protocol_with_assolombarda(agreements: dict[str, Agreement]) -> None:
    a = agreements["Assolombarda"]
    assert (a.kind, str(a.signed), str(a.duration), str(a.end)) == (
        Kind.PROTOCOL, "2022-07-06", "3y", "2025-07-06",
    )  # fmt: skip


def test_what_is_missing_is_flagged_and_explained(agreements: dict[str, Agreement]) -> None:
    unknown = [a for a in agreements.values() if a.status(TODAY) is Status.UNKNOWN]
    assert len(unknown) == 3 + 10
    assert all(a.notes and re.search(r"non (ne )?indica", a.notes) for a in unknown)


def test_every_dated_agreement_has_expired_by_now(agreements: dict[str, Agreement]) -> None:
    dated = [a for a in agreements.values() if a.end is not None]
    assert dated
    assert all(a.status(TODAY) is Status.EXPIRED for a in dated)
    assert alerts(agreements.values(), TODAY, Window(months=12), TODAY) == []
    past = alerts(agreements.values(), date(2017, 9, 1), Window(months=12), date(2017, 9, 1))
    assert [a.agreement.counterpart for a in past] == [
        "New York",
        "Mosca",
        "New York City Economic Development Corporation",
    ]
