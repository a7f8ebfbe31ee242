"""The ledger of reminders sent (``relint remind``): what was sent, when, to whom.

A reminder is known by its key (``relint.reminders.Reminder.key``): agreement, term,
event, the event's date and the step. The table's unique key on those makes a
reminder recorded twice impossible, whoever records it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

Key = tuple[int, int, str, str, str]
_KEY = "agreement_id, term, event, event_on, step"


def unsent(conn: sqlite3.Connection, keys: Iterable[Key]) -> list[Key]:
    """Of ``keys``, in their order, those the ledger does not hold."""
    found = [
        key
        for key in keys
        if conn.execute(f"SELECT 1 FROM reminders WHERE ({_KEY}) = (?, ?, ?, ?, ?)", key).fetchone()
        is None
    ]
    return found


def record(conn: sqlite3.Connection, keys: Iterable[Key], at: str, sent_to: str) -> None:
    """Record ``keys`` as sent at ``at`` (UTC, ISO) to ``sent_to``."""
    conn.executemany(
        f"INSERT INTO reminders ({_KEY}, sent_at, sent_to) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(*key, at, sent_to) for key in keys],
    )


FIELDS = ("id", "agreement_id", "term", "event", "event_on", "step", "sent_at", "sent_to")


def listing(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every reminder sent, oldest first."""
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'reminders'").fetchone() is None:
        return []  # a registry of an older schema, read without upgrading
    cursor = conn.execute(f"SELECT {', '.join(FIELDS)} FROM reminders ORDER BY id")
    return [dict(zip(FIELDS, row, strict=True)) for row in cursor]
