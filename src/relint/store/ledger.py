"""The ledger of reminders (``relint remind``): what was sent to whom, when, and what a
run is sending now.

A reminder is known by its key (``relint.reminders.Reminder.key``): agreement, term,
event, the event's date and the step; the ledger holds it once for each recipient it
reached (an address, or "stdout" for a printed one). The table's unique key makes a
reminder recorded twice for one recipient impossible, whoever records it.

A run that mails claims its reminders first (rows with no ``sent_at``, naming the run
in ``claimed_by``), under the write lock, and sends them with the lock released: a
slow mail server holds up no one's edits, and a second run at once finds them
claimed. A claim becomes the record once the server accepted the message for its
recipient, and is dropped when it did not. The claim of a run that died (its process
is gone, or its time ran out) is no claim: the next run sends those again.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from relint.durations import parse_window

Key = tuple[int, int, str, str, str]
Entry = tuple[Key, str]  # a reminder, and one recipient
_EVENT = "agreement_id, term, event, event_on, sent_to"
_KEY = "agreement_id, term, event, event_on, step, sent_to"


def claimant() -> str:
    """This run, as a claim names it: its machine and process."""
    import socket  # only a run that mails claims

    return f"{socket.gethostname()} {os.getpid()}"


def _rows(entry: Entry) -> tuple[Any, ...]:
    (agreement_id, term, event, event_on, step), recipient = entry
    return (agreement_id, term, event, event_on, step, recipient)


def unsent(conn: sqlite3.Connection, entries: Iterable[Entry], now: datetime) -> list[Entry]:
    """Of ``entries``, in their order, those the ledger neither holds nor sees claimed.

    A reminder sent (or being sent) to the recipient at a step as near to its event or
    nearer stands for this one: changing the steps (90d to 3m) repeats nothing given."""
    found = []
    for entry in entries:
        (agreement_id, term, event, event_on, step), recipient = entry
        rows = conn.execute(
            f"SELECT step, sent_at, claimed_by, claimed_until FROM reminders"
            f" WHERE ({_EVENT}) = (?, ?, ?, ?, ?)",
            (agreement_id, term, event, event_on, recipient),
        ).fetchall()
        on = datetime.fromisoformat(event_on).date()
        reach = parse_window(step).start(on)
        if not any(
            parse_window(given).start(on) >= reach and (sent_at or _live(by, until, now))
            for given, sent_at, by, until in rows
        ):
            found.append(entry)
    return found


def _live(claimed_by: str | None, claimed_until: str | None, now: datetime) -> bool:
    """Whether a claim still stands: its run may be sending yet."""
    if claimed_by is None or claimed_until is None:
        return False
    if datetime.fromisoformat(claimed_until) <= now:
        return False
    import socket

    host, _, pid = claimed_by.rpartition(" ")
    if host != socket.gethostname():
        return True  # a run on another machine: until its time runs out
    try:
        os.kill(int(pid), 0)  # signal 0: asks only whether the process is there
    except ProcessLookupError:
        return False
    except (PermissionError, ValueError):
        return True  # there, another user's (or unreadable: left to its time)
    return True


def claim(conn: sqlite3.Connection, entries: Iterable[Entry], until: str) -> None:
    """Claim ``entries`` for this run until ``until`` (UTC, ISO), in place of dead claims."""
    conn.executemany(
        f"INSERT INTO reminders ({_KEY}, claimed_by, claimed_until)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
        f" ON CONFLICT ({_KEY}) DO UPDATE SET claimed_by = excluded.claimed_by,"
        " claimed_until = excluded.claimed_until WHERE sent_at IS NULL",
        [(*_rows(entry), claimant(), until) for entry in entries],
    )


def release(conn: sqlite3.Connection, entries: Iterable[Entry]) -> None:
    """Drop this run's claims on ``entries``, not sent: the next run sends them."""
    conn.executemany(
        f"DELETE FROM reminders WHERE ({_KEY}) = (?, ?, ?, ?, ?, ?) AND sent_at IS NULL"
        " AND claimed_by = ?",
        [(*_rows(entry), claimant()) for entry in entries],
    )


def record(conn: sqlite3.Connection, entries: Iterable[Entry], at: str) -> None:
    """Record ``entries`` as sent at ``at`` (UTC, ISO): a claim becomes the record."""
    conn.executemany(
        f"INSERT INTO reminders ({_KEY}, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
        f" ON CONFLICT ({_KEY}) DO UPDATE SET sent_at = excluded.sent_at,"
        " claimed_by = NULL, claimed_until = NULL",
        [(*_rows(entry), at) for entry in entries],
    )


FIELDS = ("id", "agreement_id", "term", "event", "event_on", "step", "sent_to", "sent_at")


def listing(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every reminder sent, to each recipient, oldest first."""
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'reminders'").fetchone() is None:
        return []  # a registry of an older schema, read without upgrading
    cursor = conn.execute(
        f"SELECT {', '.join(FIELDS)} FROM reminders WHERE sent_at IS NOT NULL ORDER BY sent_at, id"
    )
    return [dict(zip(FIELDS, row, strict=True)) for row in cursor]
