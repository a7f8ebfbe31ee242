"""An import's writes: new rows in batches, the search index built once at the end, and
ids given as the file asks (see ``Bulk``)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from relint.agreement import Agreement
from relint.store import codec, records
from relint.store.migrations import SEARCHED
from relint.store.records import Actor
from relint.values import MAX_ID, to_json

# An import writes its rows in batches of records.BATCH, or fewer when their text passes
# this many characters: rows of long notes (up to the import's limits) keep memory flat.
BATCH_SIZE = 16 * 1024 * 1024
# Where an import numbers its rows without an id until it knows every id its file brings:
# above any id a file may bring (MAX_ID), with room for four billion rows.
PROVISIONAL = MAX_ID + 1
_SEARCHED = ", ".join(f'"{column}"' for column in SEARCHED)  # the search index's columns
_TRIGGERS = ("agreements_ai", "agreements_au")  # those that index each row as it is written
_AUDITED = (
    "INSERT INTO audit (at, user, command, action, agreement_id, before, after)"
    f" SELECT ?, ?, ?, ?, id, NULL, {codec.SNAPSHOT_SQL} FROM agreements WHERE id = ?"
)


class Bulk:
    """What an import has yet to write, and the ids it gives.

    When the file may bring ids of its own (``provisional``), its rows without one are
    numbered after the highest of them, as if they came last: no new id can take one
    that a later row of the file asks for.
    """

    def __init__(self, conn: sqlite3.Connection, actor: Actor | None, provisional: bool) -> None:
        self.conn, self.actor, self.provisional = conn, actor, provisional
        self.floor = _highest_id(conn)  # the highest id given before the import
        self.next_id = self.floor + 1
        self.next_provisional = PROVISIONAL
        self.rows: list[tuple[Any, ...]] = []
        # The audit trail's entries: made here, or, for an agreement with no earlier
        # terms (most), by SQLite from its row as it is written (twice as fast).
        self.audit: list[tuple[Any, ...]] = []
        self.audited: list[tuple[Any, ...]] = []
        self.size = 0  # characters of text in ``rows`` and ``audit``
        # Once the import has written as many rows as the registry held, the indexes of
        # agreements are dropped, and built again at the end: one sort of every row costs
        # less than keeping them up row by row (the import of a first large file, twice
        # as fast to write). Their definitions, once dropped:
        self.held = _count(conn)
        self.written = 0
        self.dropped: list[str] | None = None

    def insert(self, agreement: Agreement) -> int:
        """Write ``agreement`` (in its batch); return its id."""
        if agreement.id is not None:
            agreement_id = agreement.id
            self.next_id = max(self.next_id, agreement_id + 1)
            if agreement_id <= self.floor:  # an id given once and freed: index it at the end
                self.conn.execute("INSERT INTO temp.reindex (id) VALUES (?)", [agreement_id])
        elif self.provisional:
            agreement_id = self.next_provisional
            self.next_provisional += 1
        else:
            agreement_id = self.next_id
            self.next_id += 1
        row = (agreement_id, *codec.written(agreement))
        self.rows.append(row)
        text = sum(len(value) for value in row if type(value) is str)
        if self.actor is None:
            self.size += text
        elif agreement.history:
            after = to_json(codec.snapshot(agreement) | {"id": agreement_id})
            self.audit.append(self.actor.entry(agreement_id, None, after))
            self.size += text + len(after)
        else:
            self.audited.append((*self.actor, agreement_id))  # _AUDITED's parameters
            self.size += text
        if agreement.history:
            self.flush()
            records.write_history(self.conn, agreement_id, agreement.history)
        elif len(self.rows) >= records.BATCH or self.size >= BATCH_SIZE:
            self.flush()
        return agreement_id

    def updating(self, agreement_id: int) -> None:
        """Ready the agreement with ``agreement_id`` to be updated: the search index
        forgets its old text now, and learns the new at the end."""
        self.flush()
        self.conn.execute(
            f"INSERT INTO agreements_fts (agreements_fts, rowid, {_SEARCHED})"
            f" SELECT 'delete', id, {_SEARCHED} FROM agreements WHERE id = ?",
            [agreement_id],
        )
        self.conn.execute("INSERT OR IGNORE INTO temp.reindex (id) VALUES (?)", [agreement_id])

    def flush(self) -> None:
        """Write the rows of the batch."""
        if not self.rows:
            return
        self.written += len(self.rows)
        if self.dropped is None and self.written > self.held:
            self.dropped = _drop_indexes(self.conn)
        self.conn.executemany(records.INSERT, self.rows)
        if self.audited:  # in the file's order: a batch ends at an agreement with terms
            self.conn.executemany(_AUDITED, self.audited)
        if self.audit:
            self.conn.executemany(records.AUDIT, self.audit)
        self.rows.clear()
        self.audit.clear()
        self.audited.clear()
        self.size = 0

    def finish(self) -> None:
        """Write what is left, give the provisional ids theirs, and index the new text."""
        self.flush()
        if self.provisional:
            _number_provisional(self.conn, self.floor)
        for sql in self.dropped or ():  # after the ids move: built once
            self.conn.execute(sql)
        # Two statements, not one with OR: SQLite would gather every new id in memory.
        for where in ("id > ?", "id <= ? AND id IN (SELECT id FROM temp.reindex)"):
            self.conn.execute(
                f"INSERT INTO agreements_fts (rowid, {_SEARCHED}) SELECT id, {_SEARCHED}"
                f" FROM agreements WHERE {where}",
                [self.floor],
            )


@contextmanager
def importing(
    conn: sqlite3.Connection, actor: Actor | None, *, ids_in_file: bool
) -> Iterator[Bulk]:
    """Inside a transaction, for an import: new rows are written in batches, and the
    search index takes them all at once at the end rather than one trigger at a time
    (three times faster on large files)."""
    triggers = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN (?, ?)",
        list(_TRIGGERS),
    ).fetchall()
    for name, _ in triggers:
        conn.execute(f'DROP TRIGGER "{name}"')
    conn.execute("CREATE TEMP TABLE reindex (id INTEGER PRIMARY KEY)")
    try:
        bulk = Bulk(conn, actor, ids_in_file)
        yield bulk
        bulk.finish()
        for _, sql in triggers:
            conn.execute(sql)
    finally:
        # Gone already when SQLite rolled the transaction back by itself (a full disk).
        conn.execute("DROP TABLE IF EXISTS temp.reindex")


def _count(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM agreements").fetchone()[0])


def _drop_indexes(conn: sqlite3.Connection) -> list[str]:
    """Drop the indexes of agreements that only speed up reading; return their
    definitions, to build them again."""
    dropped = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'agreements'"
        " AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'"
    ).fetchall()
    for name, _ in dropped:
        conn.execute(f'DROP INDEX "{name}"')
    return [sql for _, sql in dropped]


def _highest_id(conn: sqlite3.Connection) -> int:
    """The highest id the registry has given: AUTOINCREMENT's counter, or the highest
    id present."""
    used = conn.execute(
        "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'agreements'), 0),"
        " coalesce((SELECT max(id) FROM agreements), 0))"
    ).fetchone()[0]
    return int(used)


def _number_provisional(conn: sqlite3.Connection, floor: int) -> None:
    """Give the rows numbered from ``PROVISIONAL`` their ids, after every other."""
    first = conn.execute("SELECT min(id) FROM agreements WHERE id >= ?", [PROVISIONAL]).fetchone()[
        0
    ]
    if first is None:
        return
    highest = conn.execute("SELECT max(id) FROM agreements WHERE id < ?", [PROVISIONAL]).fetchone()[
        0
    ]
    shift = PROVISIONAL - max(floor, highest or 0) - 1
    conn.execute("PRAGMA defer_foreign_keys = ON")  # terms follow, just below
    conn.execute("UPDATE agreements SET id = id - ? WHERE id >= ?", [shift, PROVISIONAL])
    conn.execute(
        "UPDATE terms SET agreement_id = agreement_id - ? WHERE agreement_id >= ?",
        [shift, PROVISIONAL],
    )
    conn.execute(
        "UPDATE audit SET agreement_id = agreement_id - ?,"
        " after = json_set(after, '$.id', agreement_id - ?) WHERE agreement_id >= ?",
        [shift, shift, PROVISIONAL],
    )
    conn.execute(
        "UPDATE sqlite_sequence SET seq = (SELECT max(id) FROM agreements)"
        " WHERE name = 'agreements'"
    )
