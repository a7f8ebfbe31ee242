"""The registry's schema, as numbered migrations applied in order and recorded in the file.

Each migration is a plain function of a sqlite-utils ``Database``; ``MIGRATIONS``
lists them in order. sqlite-utils is imported only when a registry is created
or upgraded, so that everyday commands start fast.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database, Migrations

MIGRATION_SET = "relint"
SEARCHED = ("counterpart", "title", "party", "country", "sectors", "signatories", "notes")


def m001_initial(db: Database) -> None:
    """Agreements with their current term, their earlier terms, and a full-text index."""
    # AUTOINCREMENT: an id written down never comes to name another agreement.
    db.execute("""
        CREATE TABLE agreements (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL,
            title TEXT,
            party TEXT,
            counterpart TEXT NOT NULL,
            country TEXT,
            signed TEXT,
            start TEXT,
            duration TEXT,
            "end" TEXT,
            renewable INTEGER NOT NULL DEFAULT 0,
            auto_renew INTEGER NOT NULL DEFAULT 0,
            notice_days INTEGER,
            sectors TEXT NOT NULL DEFAULT '[]',
            signatories TEXT NOT NULL DEFAULT '[]',
            source TEXT,
            notes TEXT,
            terminated_on TEXT,
            termination_reason TEXT
        )
    """)
    # Alerts read a range of ends (widened by the longest notice), never the whole table.
    db.execute('CREATE INDEX agreements_end ON agreements("end")')
    db.execute("CREATE INDEX agreements_notice_days ON agreements(notice_days)")
    db.execute("""
        CREATE TABLE terms (
            agreement_id INTEGER NOT NULL REFERENCES agreements(id) ON DELETE CASCADE,
            seq INTEGER NOT NULL,
            signed TEXT,
            start TEXT,
            duration TEXT,
            "end" TEXT,
            PRIMARY KEY (agreement_id, seq)
        )
    """)
    db.execute('CREATE INDEX terms_end ON terms("end")')
    # remove_diacritics 2 folds accents, so that "citta" finds "Città".
    db.table("agreements").enable_fts(
        SEARCHED, create_triggers=True, tokenize="unicode61 remove_diacritics 2"
    )


def m002_audit(db: Database) -> None:
    """The audit trail: who changed what, when, with which command, before and after."""
    db.execute("""
        CREATE TABLE audit (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at TEXT NOT NULL,
            user TEXT NOT NULL,
            command TEXT NOT NULL,
            action TEXT NOT NULL,
            agreement_id INTEGER NOT NULL,
            before TEXT,
            after TEXT
        )
    """)
    db.execute("CREATE INDEX audit_agreement ON audit(agreement_id, id)")


def m003_read_indexes(db: Database) -> None:
    """Indexes that let large registries be read without visiting every row: alerts read
    ends, notice periods and terminations from one; the report counts agreements by
    party, kind and status from another, in the order it groups them."""
    db.execute('CREATE INDEX agreements_alerts ON agreements("end", notice_days, terminated_on)')
    db.execute("DROP INDEX agreements_end")  # the alerts index begins with the end
    db.execute(
        "CREATE INDEX agreements_summary ON agreements"
        '(party, kind, signed, start, duration, "end", terminated_on, country, source)'
    )


def m004_renewal(db: Database) -> None:
    """The renewal period, apart from the first term's; notice of non-renewal; the times an
    agreement was suspended. An agreement that renews itself is renewable.

    Where its tacit renewals end, derived from the record on every write
    (``relint.store.codec.tacit``), with indexes that find them for any window; the
    report's summary index gains what tells an agreement it can count in SQL.
    """
    for column, kind in (
        ("renewal", "TEXT"), ("notice_given", "TEXT"), ("notice_reason", "TEXT"),
        ("suspensions", "TEXT NOT NULL DEFAULT '[]'"),
        ("tacit_cycle", "INTEGER"), ("tacit_phase", "INTEGER"), ("tacit_day", "INTEGER"),
        ("tacit_anchor", "TEXT"), ("tacit_irregular", "TEXT"),
    ):  # fmt: skip
        db.execute(f"ALTER TABLE agreements ADD COLUMN {column} {kind}")
    db.execute("UPDATE agreements SET renewable = 1 WHERE auto_renew AND NOT renewable")
    db.execute(
        "CREATE INDEX agreements_tacit ON agreements(tacit_cycle, tacit_phase, tacit_day,"
        " tacit_anchor, notice_days, terminated_on) WHERE tacit_cycle IS NOT NULL"
    )
    db.execute(
        "CREATE INDEX agreements_tacit_irregular ON agreements(tacit_irregular)"
        " WHERE tacit_irregular IS NOT NULL"
    )
    db.execute("CREATE INDEX agreements_noticed ON agreements(id) WHERE notice_given IS NOT NULL")
    db.execute("CREATE INDEX agreements_suspended ON agreements(id) WHERE suspensions != '[]'")
    db.execute("DROP INDEX agreements_summary")
    db.execute(
        "CREATE INDEX agreements_summary ON agreements(party, kind, signed, start, duration,"
        ' "end", terminated_on, country, source, tacit_cycle, tacit_irregular, notice_given,'
        " suspensions)"
    )
    # The derived columns of the agreements that renew themselves, by today's rules.
    from relint.store import codec, records

    renewing = records.with_histories(
        db.conn, f"SELECT {codec.selected(('id', *codec.COLUMNS))} FROM agreements WHERE auto_renew"
    )
    db.conn.executemany(
        f"UPDATE agreements SET {', '.join(f'{column} = ?' for column in codec.TACIT)}"
        " WHERE id = ?",
        [(*codec.tacit(agreement), agreement.id) for agreement in list(renewing)],
    )


def m005_reminders(db: Database) -> None:
    """The ledger of reminders: each sent once to each recipient (an address, or
    "stdout"), under its agreement, term, event, the event's date and the step, with
    when; and those a run is sending (claimed until a time, by a machine and process)."""
    db.execute("""
        CREATE TABLE reminders (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            agreement_id INTEGER NOT NULL,
            term INTEGER NOT NULL,
            event TEXT NOT NULL,
            event_on TEXT NOT NULL,
            step TEXT NOT NULL,
            sent_to TEXT NOT NULL,  -- an address, or stdout
            sent_at TEXT,           -- when the server accepted it; NULL while claimed
            claimed_by TEXT,        -- the run sending it (machine and process)
            claimed_until TEXT,     -- when its claim lapses, should the run die
            UNIQUE (agreement_id, term, event, event_on, sent_to, step)
        )
    """)


def m006_current(db: Database) -> None:
    """The view ``current``: every agreement with the fields of ``relint list`` as of the
    day it is read, each computed by relint's own rules through the SQL function
    ``relint_field(id, field)``, which relint's Datasette plugin gives each connection
    (``relint serve``); elsewhere the view names a function SQLite does not know, and
    reading it fails (the tables stay readable by any tool). A later migration that
    rebuilds the table agreements drops the view first and makes it again."""
    # The fields of relint list when this migration was written (agreement.FIELDS, which
    # a test holds the view to); the id as it is stored, so that a search or a filter on
    # it reads the table's key.
    fields = (
        "kind", "title", "party", "counterpart", "country", "signed", "start", "duration",
        "end", "renewable", "auto_renew", "notice_days", "sectors", "signatories", "source",
        "notes", "status", "days_left", "renewal", "term", "notice_deadline",
    )  # fmt: skip
    # Numbers and yes-or-no as INTEGER, so that a filter's text (?term=1) compares as one.
    numbers = ("renewable", "auto_renew", "notice_days", "days_left", "term")

    def column(name: str) -> str:
        sql = f"relint_field(id, '{name}')"
        return f'CAST({sql} AS INTEGER) AS "{name}"' if name in numbers else f'{sql} AS "{name}"'

    columns = ", ".join(["id", *map(column, fields)])
    # NOT INDEXED: read in the table's own order, by id, as relint list has them (an
    # index holding the id would serve the view in its own order), and with no ORDER BY
    # that would keep SQLite from computing only the columns a count or a facet reads.
    db.execute(f"CREATE VIEW current AS SELECT {columns} FROM agreements NOT INDEXED")


MIGRATIONS: tuple[Callable[[Database], None], ...] = (
    m001_initial, m002_audit, m003_read_indexes, m004_renewal, m005_reminders, m006_current,
)  # fmt: skip
NAMES = tuple(migration.__name__ for migration in MIGRATIONS)


def migrations() -> Migrations:
    """The sqlite-utils migration set holding ``MIGRATIONS``, in order."""
    from sqlite_utils import Migrations

    registered = Migrations(MIGRATION_SET)
    for migration in MIGRATIONS:
        registered()(migration)
    return registered
