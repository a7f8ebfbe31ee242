"""Each migration, applied to an empty registry step by step, gives the schema it promises."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

from relint.agreement import RECORD
from relint.store import codec
from relint.store.migrations import MIGRATIONS, NAMES, migrations

# What each migration adds (a table's columns: name, type, not null, default, key
# position; an index's columns) and removes. SQLite's own full-text shadow tables are
# left out: FTS5 owns them.
TEXT, INTEGER = "TEXT", "INTEGER"
STEPS: dict[str, tuple[dict[str, Any], set[str]]] = {
    "m001_initial": (
        {
            "_sqlite_migrations": ("table", (
                ("id", INTEGER, 0, None, 1), ("migration_set", TEXT, 0, None, 0),
                ("name", TEXT, 0, None, 0), ("applied_at", TEXT, 0, None, 0))),
            "idx__sqlite_migrations_migration_set_name": ("index", ("migration_set", "name")),
            "agreements": ("table", (
                ("id", INTEGER, 0, None, 1), ("kind", TEXT, 1, None, 0),
                ("title", TEXT, 0, None, 0), ("party", TEXT, 0, None, 0),
                ("counterpart", TEXT, 1, None, 0), ("country", TEXT, 0, None, 0),
                ("signed", TEXT, 0, None, 0), ("start", TEXT, 0, None, 0),
                ("duration", TEXT, 0, None, 0), ("end", TEXT, 0, None, 0),
                ("renewable", INTEGER, 1, "0", 0), ("auto_renew", INTEGER, 1, "0", 0),
                ("notice_days", INTEGER, 0, None, 0), ("sectors", TEXT, 1, "'[]'", 0),
                ("signatories", TEXT, 1, "'[]'", 0), ("source", TEXT, 0, None, 0),
                ("notes", TEXT, 0, None, 0), ("terminated_on", TEXT, 0, None, 0),
                ("termination_reason", TEXT, 0, None, 0))),
            "agreements_end": ("index", ("end",)),
            "agreements_notice_days": ("index", ("notice_days",)),
            "terms": ("table", (
                ("agreement_id", INTEGER, 1, None, 1), ("seq", INTEGER, 1, None, 2),
                ("signed", TEXT, 0, None, 0), ("start", TEXT, 0, None, 0),
                ("duration", TEXT, 0, None, 0), ("end", TEXT, 0, None, 0))),
            "terms_end": ("index", ("end",)),
            "agreements_fts": ("table", tuple(
                (name, "", 0, None, 0) for name in
                ("counterpart", "title", "party", "country", "sectors", "signatories", "notes"))),
            "agreements_ai": ("trigger",),
            "agreements_ad": ("trigger",),
            "agreements_au": ("trigger",),
        },
        set(),
    ),
    "m002_audit": (
        {
            "audit": ("table", (
                ("id", INTEGER, 0, None, 1), ("at", TEXT, 1, None, 0),
                ("user", TEXT, 1, None, 0), ("command", TEXT, 1, None, 0),
                ("action", TEXT, 1, None, 0), ("agreement_id", INTEGER, 1, None, 0),
                ("before", TEXT, 0, None, 0), ("after", TEXT, 0, None, 0))),
            "audit_agreement": ("index", ("agreement_id", "id")),
        },
        set(),
    ),
    "m003_read_indexes": (
        {
            "agreements_alerts": ("index", ("end", "notice_days", "terminated_on")),
            "agreements_summary": ("index", (
                "party", "kind", "signed", "start", "duration", "end", "terminated_on",
                "country", "source")),
        },
        {"agreements_end"},
    ),
    "m004_renewal": (
        {
            "agreements": ("table", (
                ("id", INTEGER, 0, None, 1), ("kind", TEXT, 1, None, 0),
                ("title", TEXT, 0, None, 0), ("party", TEXT, 0, None, 0),
                ("counterpart", TEXT, 1, None, 0), ("country", TEXT, 0, None, 0),
                ("signed", TEXT, 0, None, 0), ("start", TEXT, 0, None, 0),
                ("duration", TEXT, 0, None, 0), ("end", TEXT, 0, None, 0),
                ("renewable", INTEGER, 1, "0", 0), ("auto_renew", INTEGER, 1, "0", 0),
                ("notice_days", INTEGER, 0, None, 0), ("sectors", TEXT, 1, "'[]'", 0),
                ("signatories", TEXT, 1, "'[]'", 0), ("source", TEXT, 0, None, 0),
                ("notes", TEXT, 0, None, 0), ("terminated_on", TEXT, 0, None, 0),
                ("termination_reason", TEXT, 0, None, 0), ("renewal", TEXT, 0, None, 0),
                ("notice_given", TEXT, 0, None, 0), ("notice_reason", TEXT, 0, None, 0),
                ("suspensions", TEXT, 1, "'[]'", 0), ("tacit_cycle", INTEGER, 0, None, 0),
                ("tacit_phase", INTEGER, 0, None, 0), ("tacit_day", INTEGER, 0, None, 0),
                ("tacit_anchor", TEXT, 0, None, 0), ("tacit_irregular", TEXT, 0, None, 0))),
            "agreements_tacit": ("index", (
                "tacit_cycle", "tacit_phase", "tacit_day", "tacit_anchor", "notice_days",
                "terminated_on")),
            "agreements_tacit_irregular": ("index", ("tacit_irregular",)),
            "agreements_noticed": ("index", ("id",)),
            "agreements_suspended": ("index", ("id",)),
            "agreements_summary": ("index", (
                "party", "kind", "signed", "start", "duration", "end", "terminated_on",
                "country", "source", "tacit_cycle", "tacit_irregular", "notice_given",
                "suspensions")),
        },
        set(),
    ),
    "m005_reminders": (
        {
            "reminders": ("table", (
                ("id", INTEGER, 0, None, 1), ("agreement_id", INTEGER, 1, None, 0),
                ("term", INTEGER, 1, None, 0), ("event", TEXT, 1, None, 0),
                ("event_on", TEXT, 1, None, 0), ("step", TEXT, 1, None, 0),
                ("sent_to", TEXT, 1, None, 0), ("sent_at", TEXT, 0, None, 0),
                ("claimed_by", TEXT, 0, None, 0), ("claimed_until", TEXT, 0, None, 0))),
        },
        set(),
    ),
    "m006_current": ({"current": ("view",)}, set()),
}  # fmt: skip


def schema(conn: sqlite3.Connection) -> dict[str, Any]:
    """Every table (with its columns), index (with its columns) and trigger."""
    found: dict[str, Any] = {}
    for name, kind in conn.execute(
        "SELECT name, type FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
        " AND name NOT GLOB 'agreements_fts_*'"
    ):
        if kind == "table":
            columns = conn.execute(f'PRAGMA table_info("{name}")')
            found[name] = ("table", tuple(tuple(column[1:]) for column in columns))
        elif kind == "index":
            found[name] = (
                "index",
                tuple(c[2] for c in conn.execute(f'PRAGMA index_info("{name}")')),
            )
        else:
            found[name] = (kind,)
    return found


def test_every_migration_has_its_expected_schema() -> None:
    assert tuple(STEPS) == NAMES


@pytest.mark.parametrize("step", range(len(MIGRATIONS)), ids=NAMES)
def test_a_migration_on_an_empty_registry_gives_its_schema(tmp_path: Path, step: int) -> None:
    db = Database(tmp_path / "registry.db")
    later = list(NAMES[step + 1 :]) or None
    if step:
        migrations().apply(db, stop_before=list(NAMES[step:]))
    before = schema(db.conn)
    migrations().apply(db, stop_before=later)
    after = schema(db.conn)
    added, removed = STEPS[NAMES[step]]
    assert {name: shape for name, shape in after.items() if before.get(name) != shape} == added
    assert set(before) - set(after) == removed
    applied = [row[0] for row in db.conn.execute("SELECT name FROM _sqlite_migrations")]
    assert applied == list(NAMES[: step + 1])


def test_a_registry_of_every_migration_has_the_schema_of_them_all(tmp_path: Path) -> None:
    db = Database(tmp_path / "registry.db")
    migrations().apply(db)
    expected: dict[str, Any] = {}
    for added, removed in STEPS.values():
        expected = {k: v for k, v in expected.items() if k not in removed} | added
    assert schema(db.conn) == expected


def test_the_migrated_registry_has_a_column_for_every_declared_field(tmp_path: Path) -> None:
    """The record's declaration and the migrations agree: adding a field to one and not
    the other fails here. The derived columns of tacit renewals come after them."""
    path = tmp_path / "registry.db"
    db = Database(path)
    migrations().apply(db)
    columns = [row[1] for row in db.execute("PRAGMA table_info(agreements)").fetchall()]
    assert sorted(columns) == sorted([*(f.name for f in RECORD if f.spec.column), *codec.TACIT])
