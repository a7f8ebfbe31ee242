"""The ledger of reminders (``relint remind``): what was sent, when, to whom, and what a
run is sending now.

A reminder is known by its key (``relint.reminders.Reminder.key``): agreement, term,
event, the event's date and the step. The table's unique key on those makes a
reminder recorded twice impossible, whoever records it.

A run that mails claims its reminders first (a row with no ``sent_at``, naming the run
in ``claimed_by``), under the write lock, and sends them with the lock released: a
slow mail server holds up no one's edits, and a second run at once finds them
claimed. The claim becomes the record once the server accepted the message, and is
dropped when it did not. The claim of a run that died (its process is gone, or it is
older than ``LEASE``) is no claim: the next run sends those reminders again.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from relint.durations import parse_window

Key = tuple[int, int, str, str, str]
_EVENT = "agreement_id, term, event, event_on"
_KEY = f"{_EVENT}, step"
# Longer than any run takes to send (a few servers' timeouts); a claim made by a run on
# another machine, whose process cannot be asked after, lapses after it.
LEASE = timedelta(hours=1)


def claimant() -> str:
    """This run, as a claim names it: its machine and process."""
    import socket  # only a run that mails claims

    return f"{socket.gethostname()} {os.getpid()}"


def unsent(conn: sqlite3.Connection, keys: Iterable[Key], now: datetime) -> list[Key]:
    """Of ``keys``, in their order, those the ledger neither holds nor sees claimed.

    A reminder sent (or being sent) at a step as near to its event or nearer stands for
    this one: changing the steps (90d to 3m) repeats no reminder already given."""
    found = []
    for key in keys:
        *event, step = key
        rows = conn.execute(
            f"SELECT step, sent_at, claimed_by, claimed_at FROM reminders"
            f" WHERE ({_EVENT}) = (?, ?, ?, ?)",
            event,
        ).fetchall()
        on = datetime.fromisoformat(key[3]).date()
        reach = parse_window(step).start(on)
        if not any(
            parse_window(given).start(on) >= reach and (sent_at or _live(by, at, now))
            for given, sent_at, by, at in rows
        ):
            found.append(key)
    return found


def _live(claimed_by: str | None, claimed_at: str | None, now: datetime) -> bool:
    """Whether a claim still stands: its run may be sending yet."""
    if claimed_by is None or claimed_at is None:
        return False
    if datetime.fromisoformat(claimed_at) < now - LEASE:
        return False
    import socket

    host, _, pid = claimed_by.rpartition(" ")
    if host != socket.gethostname():
        return True
    try:
        os.kill(int(pid), 0)  # signal 0: asks only whether the process is there
    except ProcessLookupError:
        return False
    except (PermissionError, ValueError):
        return True  # there, another user's (or unreadable: left to the lease)
    return True


def claim(conn: sqlite3.Connection, keys: Iterable[Key], at: str) -> None:
    """Claim ``keys`` for this run, at ``at`` (UTC, ISO), in place of dead claims."""
    conn.executemany(
        f"INSERT INTO reminders ({_KEY}, claimed_by, claimed_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
        f" ON CONFLICT ({_KEY}) DO UPDATE SET claimed_by = excluded.claimed_by,"
        " claimed_at = excluded.claimed_at WHERE sent_at IS NULL",
        [(*key, claimant(), at) for key in keys],
    )


def release(conn: sqlite3.Connection, keys: Iterable[Key]) -> None:
    """Drop this run's claims on ``keys``, not sent: the next run sends them."""
    conn.executemany(
        f"DELETE FROM reminders WHERE ({_KEY}) = (?, ?, ?, ?, ?) AND sent_at IS NULL"
        " AND claimed_by = ?",
        [(*key, claimant()) for key in keys],
    )


def record(conn: sqlite3.Connection, keys: Iterable[Key], at: str, sent_to: str) -> None:
    """Record ``keys`` as sent at ``at`` (UTC, ISO) to ``sent_to``: the claim, if any,
    becomes the record."""
    conn.executemany(
        f"INSERT INTO reminders ({_KEY}, sent_at, sent_to) VALUES (?, ?, ?, ?, ?, ?, ?)"
        f" ON CONFLICT ({_KEY}) DO UPDATE SET sent_at = excluded.sent_at,"
        " sent_to = excluded.sent_to, claimed_by = NULL, claimed_at = NULL",
        [(*key, at, sent_to) for key in keys],
    )


FIELDS = ("id", "agreement_id", "term", "event", "event_on", "step", "sent_at", "sent_to")


def listing(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every reminder sent, oldest first."""
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'reminders'").fetchone() is None:
        return []  # a registry of an older schema, read without upgrading
    cursor = conn.execute(
        f"SELECT {', '.join(FIELDS)} FROM reminders WHERE sent_at IS NOT NULL ORDER BY sent_at, id"
    )
    return [dict(zip(FIELDS, row, strict=True)) for row in cursor]
