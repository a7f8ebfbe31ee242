"""Agreements in the registry, with their earlier terms, and the audit trail of every
change to them."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from typing import Any, NamedTuple

from relint.agreement import Agreement, Term
from relint.store import codec

BATCH = 500  # rows read at a time, so that memory does not grow with the registry


# A named tuple, not a dataclass: made ten times faster, as every command starts.
class Actor(NamedTuple):
    """Who is writing, for the audit trail: when (UTC), the user, the command, the action."""

    at: str
    user: str
    command: str
    action: str

    def entry(self, agreement_id: int, before: str | None, after: str | None) -> tuple[Any, ...]:
        """A row of the audit table (after its id) for a change by this actor."""
        return (self.at, self.user, self.command, self.action, agreement_id, before, after)


AUDIT = (
    "INSERT INTO audit (at, user, command, action, agreement_id, before, after)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)"
)
INSERT = f"INSERT INTO agreements (id, {codec.QUOTED}) VALUES (?{', ?' * len(codec.WRITTEN)})"


def find(conn: sqlite3.Connection, columns: str, agreement_id: int) -> Agreement | None:
    """The agreement with ``agreement_id``, with its earlier terms, or None; ``columns``
    are those ``codec.selected`` gives for the registry."""
    row = conn.execute(f"SELECT {columns} FROM agreements WHERE id = ?", [agreement_id]).fetchone()
    if row is None:
        return None
    return codec.agreement(row, histories(conn, f"= {int(agreement_id)}").get(agreement_id, ()))


def ids(conn: sqlite3.Connection) -> list[int]:
    """The id of every agreement, in order."""
    return [row[0] for row in conn.execute("SELECT id FROM agreements ORDER BY id")]


def with_histories(
    conn: sqlite3.Connection, sql: str, parameters: list[Any] | dict[str, Any] | None = None
) -> Iterator[Agreement]:
    """The agreements ``sql`` selects (``codec.selected``), with their earlier terms."""
    # In batches, so that memory does not grow with the registry; rows as plain tuples,
    # quicker to read.
    cursor = conn.cursor()
    cursor.row_factory = None
    cursor.execute(sql, parameters or [])
    while rows := cursor.fetchmany(BATCH):
        found = histories(conn, f"IN ({', '.join(str(int(row[0])) for row in rows)})")
        for row in rows:
            yield codec.agreement(row, found.get(row[0], ()))


def histories(conn: sqlite3.Connection, ids: str) -> dict[int, tuple[Term, ...]]:
    """The earlier terms of the agreements whose id is ``ids`` (an SQL condition made
    of integers only), oldest first."""
    found: dict[int, list[Term]] = {}
    cursor = conn.cursor()
    cursor.row_factory = sqlite3.Row
    for row in cursor.execute(
        f"SELECT * FROM terms WHERE agreement_id {ids} ORDER BY agreement_id, seq"
    ):
        found.setdefault(row["agreement_id"], []).append(codec.term(row))
    return {key: tuple(terms) for key, terms in found.items()}


def insert(conn: sqlite3.Connection, agreement: Agreement) -> int:
    """Store a new agreement, with its id if it has one; return its id."""
    cursor = conn.execute(INSERT, [agreement.id, *codec.written(agreement)])
    agreement_id = cursor.lastrowid
    assert agreement_id is not None
    write_history(conn, agreement_id, agreement.history)
    return agreement_id


def update(conn: sqlite3.Connection, agreement: Agreement) -> None:
    """Store ``agreement`` over the one with its id, earlier terms included."""
    assignments = ", ".join(f'"{column}" = ?' for column in codec.WRITTEN)
    conn.execute(
        f"UPDATE agreements SET {assignments} WHERE id = ?",
        [*codec.written(agreement), agreement.id],
    )
    conn.execute("DELETE FROM terms WHERE agreement_id = ?", [agreement.id])
    write_history(conn, agreement.id or 0, agreement.history)


def delete(conn: sqlite3.Connection, agreement_id: int) -> None:
    """Remove the agreement with ``agreement_id`` and its earlier terms."""
    conn.execute("DELETE FROM agreements WHERE id = ?", [agreement_id])


def write_history(conn: sqlite3.Connection, agreement_id: int, history: tuple[Term, ...]) -> None:
    conn.executemany(
        'INSERT INTO terms (agreement_id, seq, signed, start, duration, "end")'
        " VALUES (?, ?, ?, ?, ?, ?)",
        [
            (agreement_id, seq, *codec.term_values(term))
            for seq, term in enumerate(history, start=1)
        ],
    )


def audit(
    conn: sqlite3.Connection,
    actor: Actor,
    agreement_id: int,
    before: Agreement | None,
    after: Agreement | None,
) -> None:
    """Record in the audit trail that ``actor`` changed an agreement from ``before`` to
    ``after`` (None: it was not there, or is no more)."""
    entry = actor.entry(agreement_id, codec.snapshot_text(before), codec.snapshot_text(after))
    conn.execute(AUDIT, entry)


def trail(conn: sqlite3.Connection, agreement_id: int | None = None) -> list[dict[str, Any]]:
    """The audit trail, oldest first: of one agreement, or of the whole registry (none
    in a registry of a schema before the trail, read without upgrading)."""
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'audit'").fetchone() is None:
        return []
    sql = "SELECT * FROM audit"
    if agreement_id is not None:
        sql += " WHERE agreement_id = ?"
    rows = conn.execute(sql + " ORDER BY id", [] if agreement_id is None else [agreement_id])
    return [
        dict(row)
        | {
            "before": None if row["before"] is None else json.loads(row["before"]),
            "after": None if row["after"] is None else json.loads(row["after"]),
        }
        for row in rows
    ]


def removed(conn: sqlite3.Connection, agreement_id: int) -> Agreement | None:
    """The agreement with ``agreement_id`` as it was when it was last removed, from the
    audit trail; None if the trail holds no removal of it."""
    row = conn.execute(
        "SELECT before FROM audit WHERE agreement_id = ? AND after IS NULL"
        " AND before IS NOT NULL ORDER BY id DESC LIMIT 1",
        [agreement_id],
    ).fetchone()
    return None if row is None else codec.from_snapshot(json.loads(row[0]))
