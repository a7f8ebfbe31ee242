"""The registry file: the only module that speaks SQL.

Reads use the standard library's sqlite3 directly; sqlite-utils is loaded only
to create or upgrade a registry. Every write runs in one ``BEGIN IMMEDIATE``
transaction: a write that began as a read could fail at once under WAL when
another process commits first, whatever the busy timeout.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from relint.agreement import Agreement, Term
from relint.dates import PartialDate, add_days
from relint.durations import Duration, parse_duration
from relint.errors import RelintError
from relint.kinds import Kind
from relint.migrations import MIGRATION_SET, NAMES, migrations

BUSY_TIMEOUT_SECONDS = 10.0

_COLUMNS = (
    "kind", "title", "party", "counterpart", "country", "signed", "start", "duration",
    "end", "renewable", "auto_renew", "notice_days", "sectors", "signatories", "source",
    "notes", "terminated_on", "termination_reason",
)  # fmt: skip
_QUOTED = ", ".join(f'"{column}"' for column in _COLUMNS)
_WORD = re.compile(r"[^\W_]+")
_BATCH = 500


def create(path: Path) -> None:
    """Create an empty registry at ``path``; refuse if anything is there already."""
    if path.exists() or path.is_symlink():
        raise RelintError(f"{path} already exists; relint init never overwrites a file")
    if not path.parent.is_dir():
        raise RelintError(f"cannot create {path}: the folder {path.parent} does not exist")
    conn = _connect(path, "rwc")
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        _migrate(conn)
    except BaseException:
        conn.close()
        path.unlink(missing_ok=True)
        raise
    conn.close()


def open_registry(path: Path) -> Registry:
    """Open the registry at ``path``, upgrading its schema if it is older than this program's."""
    if not path.exists():
        raise RelintError(
            f"no registry at {path}: give --db or RELINT_DB, or create one with relint init"
        )
    if not path.is_file():
        raise RelintError(f"{path} is not a registry file")
    conn = _connect(path, "rw")
    try:
        applied = _applied(conn, path)
        if not applied:
            raise RelintError(f"{path} is not a relint registry")
        newer = [name for name in applied if name not in NAMES]
        if newer:
            raise RelintError(
                f"{path} has a newer schema than this relint knows ({', '.join(newer)}): "
                "upgrade relint"
            )
        if len(applied) < len(NAMES):
            _migrate(conn)
    except BaseException:
        conn.close()
        raise
    return Registry(conn)


def _connect(path: Path, mode: str) -> sqlite3.Connection:
    # A URI with mode=rw never creates a file, so nothing makes a registry by accident.
    uri = "file:" + _uri_path(path) + f"?mode={mode}"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
    except sqlite3.Error as error:
        raise RelintError(f"cannot open {path}: {error}") from None
    conn.execute("PRAGMA foreign_keys=ON")
    return conn


def _uri_path(path: Path) -> str:
    return str(path.resolve()).replace("%", "%25").replace("?", "%3f").replace("#", "%23")


def _applied(conn: sqlite3.Connection, path: Path) -> list[str]:
    try:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        if "_sqlite_migrations" not in tables:
            raise RelintError(f"{path} is not a relint registry")
        return [
            row[0]
            for row in conn.execute(
                "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY id",
                [MIGRATION_SET],
            )
        ]
    except sqlite3.DatabaseError as error:
        raise RelintError(f"{path} is not a relint registry ({error})") from None


def _migrate(conn: sqlite3.Connection) -> None:
    from sqlite_utils import Database

    db = Database(conn, execute_plugins=False)
    with _immediate(conn):
        migrations().apply(db)


@contextmanager
def _immediate(conn: sqlite3.Connection) -> Iterator[None]:
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


class Registry:
    """The agreements in one registry file."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        conn.row_factory = sqlite3.Row

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Everything inside is written together, or not at all."""
        with _immediate(self.conn):
            yield

    def get(self, agreement_id: int) -> Agreement:
        """The agreement with ``agreement_id``, with its earlier terms."""
        found = self.find(agreement_id)
        if found is None:
            raise RelintError(f"no agreement with id {agreement_id}")
        return found

    def find(self, agreement_id: int) -> Agreement | None:
        """The agreement with ``agreement_id``, with its earlier terms, or None."""
        row = self.conn.execute("SELECT * FROM agreements WHERE id = ?", [agreement_id]).fetchone()
        if row is None:
            return None
        return _agreement(row, self._histories(f"= {int(agreement_id)}").get(agreement_id, ()))

    def agreements(self) -> Iterator[Agreement]:
        """Every agreement by id, with its earlier terms."""
        yield from self._with_histories("SELECT * FROM agreements ORDER BY id")

    def ending_between(self, first: date, last: date) -> Iterator[Agreement]:
        """Agreements with a term whose end, or notice deadline, may fall from ``first``
        through ``last``.

        Range reads on the indexed ends, widened by the longest notice period;
        the caller applies the exact rule.
        """
        longest = _integer(
            self.conn.execute("SELECT max(notice_days) FROM agreements").fetchone()[0],
            "the registry is damaged: a notice period is not a whole number of days",
        )
        try:
            upper = add_days(last, max(longest or 0, 0))
        except RelintError:
            upper = date.max
        bounds = [first.isoformat(), upper.isoformat()]
        yield from self._with_histories(
            'SELECT * FROM agreements WHERE "end" BETWEEN ? AND ? OR id IN'
            ' (SELECT agreement_id FROM terms WHERE "end" BETWEEN ? AND ?) ORDER BY id',
            bounds * 2,
        )

    def search(self, query: str) -> Iterator[Agreement]:
        """Agreements matching every word of ``query`` (as a word or its beginning), best first.

        Any text is a valid query: words are taken out of it and quoted, so that
        FTS5 syntax in it is searched for as text rather than obeyed.
        """
        words = _WORD.findall(query)
        if not words:
            return
        match = " ".join(f'"{word}"*' for word in words)
        yield from self._with_histories(
            "SELECT agreements.* FROM agreements_fts"
            " JOIN agreements ON agreements.id = agreements_fts.rowid"
            " WHERE agreements_fts MATCH ? ORDER BY agreements_fts.rank, agreements.id",
            [match],
        )

    def _with_histories(self, sql: str, parameters: list[Any] | None = None) -> Iterator[Agreement]:
        # In batches, so that memory does not grow with the registry.
        cursor = self.conn.execute(sql, parameters or [])
        while rows := cursor.fetchmany(_BATCH):
            ids = ", ".join(str(int(row["id"])) for row in rows)
            histories = self._histories(f"IN ({ids})")
            for row in rows:
                yield _agreement(row, histories.get(row["id"], ()))

    def _histories(self, ids: str) -> dict[int, tuple[Term, ...]]:
        """The earlier terms of the agreements whose id is ``ids`` (an SQL condition made
        of integers only), oldest first."""
        histories: dict[int, list[Term]] = {}
        for term in self.conn.execute(
            f"SELECT * FROM terms WHERE agreement_id {ids} ORDER BY agreement_id, seq"
        ):
            try:
                decoded = Term(
                    _date(term["signed"]),
                    _date(term["start"]),
                    _duration(term["duration"]),
                    _date(term["end"]),
                )
            except (ValueError, TypeError) as error:
                damaged = f"a term of agreement {term['agreement_id']} is damaged in the registry"
                raise RelintError(f"{damaged} ({error})") from None
            histories.setdefault(term["agreement_id"], []).append(decoded)
        return {key: tuple(terms) for key, terms in histories.items()}

    def insert(self, agreement: Agreement) -> int:
        """Store a new agreement; return its id."""
        values = _values(agreement)
        if agreement.id is None:
            cursor = self.conn.execute(
                f"INSERT INTO agreements ({_QUOTED}) VALUES ({', '.join('?' * len(values))})",
                values,
            )
        else:
            cursor = self.conn.execute(
                f"INSERT INTO agreements (id, {_QUOTED}) "
                f"VALUES (?, {', '.join('?' * len(values))})",
                [agreement.id, *values],
            )
        agreement_id = cursor.lastrowid
        assert agreement_id is not None
        self._write_history(agreement_id, agreement.history)
        return agreement_id

    def update(self, agreement: Agreement) -> None:
        """Store ``agreement`` over the one with its id, earlier terms included."""
        assert agreement.id is not None
        assignments = ", ".join(f'"{column}" = ?' for column in _COLUMNS)
        self.conn.execute(
            f"UPDATE agreements SET {assignments} WHERE id = ?",
            [*_values(agreement), agreement.id],
        )
        self.conn.execute("DELETE FROM terms WHERE agreement_id = ?", [agreement.id])
        self._write_history(agreement.id, agreement.history)

    def delete(self, agreement_id: int) -> None:
        """Remove the agreement with ``agreement_id`` and its earlier terms."""
        self.conn.execute("DELETE FROM agreements WHERE id = ?", [agreement_id])

    def _write_history(self, agreement_id: int, history: tuple[Term, ...]) -> None:
        self.conn.executemany(
            'INSERT INTO terms (agreement_id, seq, signed, start, duration, "end")'
            " VALUES (?, ?, ?, ?, ?, ?)",
            [
                (agreement_id, seq, *(_str(v) for v in (t.signed, t.start, t.duration, t.end)))
                for seq, t in enumerate(history, start=1)
            ],
        )


def _values(agreement: Agreement) -> list[Any]:
    a = agreement
    return [
        a.kind.value, a.title, a.party, a.counterpart, a.country, _str(a.signed),
        _str(a.start), _str(a.duration), _str(a.end), int(a.renewable), int(a.auto_renew),
        a.notice_days, _list(a.sectors), _list(a.signatories), a.source, a.notes,
        _str(a.terminated_on), a.termination_reason,
    ]  # fmt: skip


def _agreement(row: sqlite3.Row, history: tuple[Term, ...] = ()) -> Agreement:
    try:
        return _decoded(row, history)
    except (ValueError, TypeError) as error:
        raise RelintError(f"agreement {row['id']} is damaged in the registry ({error})") from None


def _decoded(row: sqlite3.Row, history: tuple[Term, ...]) -> Agreement:
    return Agreement(
        id=row["id"],
        kind=Kind(row["kind"]),
        title=row["title"],
        party=row["party"],
        counterpart=row["counterpart"],
        country=row["country"],
        signed=_date(row["signed"]),
        start=_date(row["start"]),
        duration=_duration(row["duration"]),
        end=_date(row["end"]),
        renewable=bool(row["renewable"]),
        auto_renew=bool(row["auto_renew"]),
        notice_days=_integer(row["notice_days"]),
        sectors=_texts(row["sectors"]),
        signatories=_texts(row["signatories"]),
        source=row["source"],
        notes=row["notes"],
        terminated_on=_date(row["terminated_on"]),
        termination_reason=row["termination_reason"],
        history=history,
    )


def _integer(value: object, damaged: str | None = None) -> int | None:
    if value is None or type(value) is int:
        return value
    if damaged:
        raise RelintError(damaged)
    raise ValueError(f"not a whole number: {value!r}")


def _texts(stored: str) -> tuple[str, ...]:
    values = json.loads(stored)
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ValueError(f"not a list of text: {stored!r}")
    return tuple(values)


def _str(value: object | None) -> str | None:
    return None if value is None else str(value)


def _list(values: tuple[str, ...]) -> str:
    # Unescaped, so that the full-text index sees "Città" and not "Citt\u00e0".
    return json.dumps(list(values), ensure_ascii=False)


def _date(text: str | None) -> PartialDate | None:
    return None if text is None else PartialDate.from_iso(text)


@cache
def _parsed_duration(text: str) -> Duration:
    return parse_duration(text)


def _duration(text: str | None) -> Duration | None:
    return None if text is None else _parsed_duration(text)
