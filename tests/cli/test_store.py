"""The registry file: creation, refusal of what is not a registry, migrations, queries."""

import dataclasses
import os
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from relint import store
from relint.agreement import new_agreement, renew
from relint.dates import PartialDate
from relint.durations import Duration
from relint.errors import Busy, RelintError
from relint.kinds import Kind
from relint.store import file as store_file
from relint.store import migrations, queries

from ..helpers import locked


def d(text: str) -> PartialDate:
    return PartialDate.from_iso(text)


def test_create_makes_a_wal_registry_with_every_migration_recorded(tmp_path: Path) -> None:
    path = tmp_path / "r.db"
    store.create(path)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    applied = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
    assert applied == list(migrations.NAMES)


def test_the_schema_has_the_record_columns_and_reads_alerts_from_an_index(tmp_path: Path) -> None:
    path = tmp_path / "r.db"
    store.create(path)
    conn = sqlite3.connect(path)
    columns = [r[1] for r in conn.execute("PRAGMA table_info(agreements)")]
    assert columns == [
        "id", "kind", "title", "party", "counterpart", "country", "signed", "start",
        "duration", "end", "renewable", "auto_renew", "notice_days", "sectors",
        "signatories", "source", "notes", "terminated_on", "termination_reason", "renewal",
        "notice_given", "notice_reason", "suspensions", "tacit_cycle", "tacit_phase",
        "tacit_day", "tacit_anchor", "tacit_irregular",
    ]  # fmt: skip
    plan = " ".join(
        str(row)
        for row in conn.execute(
            'EXPLAIN QUERY PLAN SELECT id FROM agreements WHERE "end" >= ? AND "end" <= ?'
            " AND notice_days > 0 AND terminated_on IS NULL",
            ["2026-01-01", "2026-12-31"],
        )
    )
    assert "COVERING INDEX agreements_alerts" in plan


def test_tacit_ends_are_read_from_their_index_one_range_a_month(tmp_path: Path) -> None:
    path = tmp_path / "r.db"
    store.create(path)
    registry = store.open_registry(path)
    with registry.transaction():
        for months in (12, 24):
            registry.insert(
                new_agreement(Kind.PROTOCOL, "Lyon", start=d("2020-01-15"),
                              duration=Duration(36), renewal=Duration(months), auto_renew=True,
                              renewable=True)
            )  # fmt: skip
    sql = queries._tacit_ending(
        registry.conn, date(2026, 11, 29), date(2027, 6, 1), queries._ALERTING
    )
    plan = [row[3] for row in registry.conn.execute(f"EXPLAIN QUERY PLAN {sql}", _WINDOW)]
    assert sql.count("(12, ") == sql.count("(24, ") == 8  # from November to June
    search = "SEARCH a USING COVERING INDEX agreements_tacit (tacit_cycle=? AND tacit_phase=?"
    assert f"{search} AND tacit_day>? AND tacit_day<?)" in plan, plan
    assert not any(step.startswith("SCAN a") for step in plan), plan


_WINDOW = {"first": "2026-11-29", "last": "2026-12-29"}


def test_create_never_overwrites_and_needs_an_existing_folder(tmp_path: Path) -> None:
    existing = tmp_path / "r.db"
    existing.write_bytes(b"keep me")
    with pytest.raises(RelintError, match="already exists"):
        store.create(existing)
    assert existing.read_bytes() == b"keep me"
    with pytest.raises(RelintError, match="does not exist"):
        store.create(tmp_path / "missing" / "r.db")
    assert not (tmp_path / "missing").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "not a relint registry"),
        (b"this is not a database, just text" * 100, "not a relint registry"),
    ],
)
def test_files_that_are_not_registries_are_refused_untouched(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "r.db"
    path.write_bytes(content)
    with pytest.raises(RelintError, match=message):
        store.open_registry(path)
    assert path.read_bytes() == content


def test_another_sqlite_database_is_not_a_registry(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.commit()
    before = path.read_bytes()
    with pytest.raises(RelintError, match="not a relint registry"):
        store.open_registry(path)
    assert path.read_bytes() == before


def test_a_missing_file_is_not_created(tmp_path: Path) -> None:
    with pytest.raises(RelintError, match="relint init"):
        store.open_registry(tmp_path / "nothing.db")
    assert not (tmp_path / "nothing.db").exists()


def test_a_newer_schema_is_refused(db: Path) -> None:
    conn = sqlite3.connect(db)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES (?, ?, ?)",
        [migrations.MIGRATION_SET, "m999_from_the_future", "2030-01-01"],
    )
    conn.commit()
    conn.close()
    with pytest.raises(RelintError, match="newer schema"):
        store.open_registry(db)


def test_insert_and_get_round_trip_every_field_and_the_history(db: Path) -> None:
    agreement = new_agreement(
        Kind.PROTOCOL,
        "Città di Prova",
        title="Protocollo «uno»",
        party="Comune di Milano",
        country="Italia",
        signed=d("2019-06-20"),
        end=d("2021-06-30"),
        renewable=True,
        auto_renew=True,
        notice_days=30,
        sectors=("cultura", "qualità dell'aria"),
        signatories=("A; B", "C"),
        source="https://example.org/a?b=c",
        notes="line one\nline two",
    )
    agreement = renew(agreement, start=d("2021-07-06"), end=d("2023-06-30"), signed=d("2021-07-06"))
    registry = store.open_registry(db)
    with registry.transaction():
        new_id = registry.insert(agreement)
    stored = registry.get(new_id)
    assert stored == dataclasses.replace(agreement, id=new_id)


def test_a_failed_transaction_writes_nothing(db: Path) -> None:
    registry = store.open_registry(db)

    def interrupted() -> None:
        with registry.transaction():
            registry.insert(new_agreement(Kind.PACT, "A"))
            raise RuntimeError("midway")

    with pytest.raises(RuntimeError):
        interrupted()
    assert list(registry.agreements()) == []


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("citta", ["Città di Prova"]),
        ("CITTÀ", ["Città di Prova"]),
        ("qualita aria", ["Città di Prova"]),
        ("prov", ["Città di Prova"]),
        ("teheran", []),
        ("tehran pianificazione", ["Tehran"]),
        ("Pisapia", ["Tehran"]),
    ],
)
def test_search_ignores_case_and_accents(db: Path, query: str, found: list[str]) -> None:
    registry = store.open_registry(db)
    with registry.transaction():
        registry.insert(
            new_agreement(Kind.PROTOCOL, "Città di Prova", sectors=("qualità dell'aria",))
        )
        registry.insert(
            new_agreement(
                Kind.PACT,
                "Tehran",
                notes="pianificazione urbana",
                signatories=("Giuliano Pisapia",),
            )
        )
    assert [a.counterpart for a in registry.search(query)] == found


@pytest.mark.parametrize(
    "query",
    ['"', '""', "*", "AND", "a AND", "(", ")", "NEAR(", "-", "^", "a OR b NOT", "'", "\\", "",
     "col:val", "{x}", "\x00", "città\"*"],
)  # fmt: skip
def test_any_query_is_valid(db: Path, query: str) -> None:
    registry = store.open_registry(db)
    with registry.transaction():
        registry.insert(new_agreement(Kind.PACT, "AND (NEAR) città"))
    list(registry.search(query))


def test_ending_between_reads_ends_and_notice_deadlines(db: Path) -> None:
    registry = store.open_registry(db)
    cases = [("2026-12-01", None), ("2027-06-01", 150), ("2027-06-01", 200), ("2027-06-01", None)]
    with registry.transaction():
        for end, notice in cases:
            registry.insert(
                new_agreement(
                    Kind.PACT, end, signed=d("2020-01-01"), end=d(end), notice_days=notice,
                    duration=Duration(12),
                )
            )  # fmt: skip
    found = registry.ending_between(date(2026, 11, 22), date(2027, 2, 20))
    # The end in the window; the notice deadline in it (2027-01-02); not the one whose
    # deadline has passed (2026-11-13), nor the one with no notice that ends later.
    assert {(str(a.end), a.notice_days) for a in found} == {
        ("2026-12-01", None),
        ("2027-06-01", 150),
    }


def test_another_programs_migrations_do_not_make_a_registry(tmp_path: Path) -> None:
    path = tmp_path / "foreign.db"
    conn = sqlite3.connect(path)
    conn.execute(
        "CREATE TABLE _sqlite_migrations (id INTEGER PRIMARY KEY, migration_set TEXT,"
        " name TEXT, applied_at TEXT)"
    )
    conn.execute("INSERT INTO _sqlite_migrations VALUES (1, 'other', 'm001', '2026-01-01')")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(RelintError, match="not a relint registry"):
        store.open_registry(path)
    assert path.read_bytes() == before


def test_ids_are_never_reused(db: Path) -> None:
    registry = store.open_registry(db)
    with registry.transaction():
        first = registry.insert(new_agreement(Kind.PACT, "A"))
        second = registry.insert(new_agreement(Kind.PACT, "B"))
        registry.delete(second)
        third = registry.insert(new_agreement(Kind.PACT, "C"))
    assert (first, second, third) == (1, 2, 3)


def test_a_damaged_row_is_a_clear_error(db: Path) -> None:
    registry = store.open_registry(db)
    with registry.transaction():
        registry.insert(new_agreement(Kind.PACT, "A"))
    registry.conn.execute("UPDATE agreements SET signed = 'garbage'")
    with pytest.raises(RelintError, match="agreement 1 is damaged"):
        list(registry.agreements())


def test_a_side_file_that_vanishes_is_not_read_only(tmp_path: Path) -> None:
    # SQLite removes the -wal and -shm files when the last process closes the registry,
    # at any moment: a missing one is no reason to refuse the registry.
    side = tmp_path / "registry.db-shm"
    assert store_file._read_only(side) is False
    side.write_bytes(b"")
    assert store_file._read_only(side) is False
    assert side.read_bytes() == b""  # looked at, not changed


def test_writes_take_the_write_lock_when_they_begin(db: Path) -> None:
    # A deferred BEGIN would start as a read and could fail at once under WAL when
    # another process commits first; BEGIN IMMEDIATE takes the write lock up front.
    os.environ["RELINT_BUSY_TIMEOUT"] = "0.2"
    try:
        registry = store.open_registry(db)
    finally:
        del os.environ["RELINT_BUSY_TIMEOUT"]
    with (
        locked(db),
        pytest.raises(Busy, match="busy"),
        registry.transaction(),
    ):
        pass  # entering must already wait for the lock
    registry.close()


def test_a_registry_without_a_column_of_the_record_is_read_with_it_empty(shipped: Path) -> None:
    """A registry of an older schema, read without upgrading it (read-only), lacks the
    columns later migrations add: its agreements read with those fields empty."""
    conn = sqlite3.connect(shipped)
    conn.execute('ALTER TABLE agreements RENAME COLUMN notes TO "notes of another time"')
    conn.execute('ALTER TABLE agreements RENAME COLUMN signatories TO "the signatories then"')
    conn.commit()
    conn.close()
    registry = store.open_registry(shipped)
    try:
        agreements = list(registry.agreements())
        found = list(registry.search("Chengdu"))
        one = registry.get(7)
    finally:
        registry.close()
    assert len(agreements) == 35
    assert {a.notes for a in agreements} == {None}
    assert {a.signatories for a in agreements} == {()}  # a list field: empty, not None
    assert [a.counterpart for a in found] == ["Chengdu"]
    assert (one.counterpart, one.notes) == ("Chengdu", None)
