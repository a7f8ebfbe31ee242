"""The registry file: the only module that speaks SQL.

Reads use the standard library's sqlite3 directly; sqlite-utils is loaded only
to create or upgrade a registry. Every write runs in one ``BEGIN IMMEDIATE``
transaction: a write that began as a read could fail at once under WAL when
another process commits first, whatever the busy timeout.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import json
import os
import re
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, TypeVar, cast

from relint import signals
from relint.agreement import Agreement, Status, Term
from relint.dates import PartialDate, add_days
from relint.durations import PERMANENT, Duration, parse_duration
from relint.errors import (
    Busy,
    Damaged,
    DiskFull,
    NewerSchema,
    NotARegistry,
    ReadOnly,
    RegistryError,
    RelintError,
)
from relint.exchange import MAX_ID, snapshot, to_json
from relint.kinds import Kind
from relint.migrations import MIGRATION_SET, NAMES, SEARCHED, migrations
from relint.outputs import (
    beside,
    claim,
    copy_mode,
    new_file_mode,
    refuse_registry,
    replacing,
)
from relint.report import SHOWN, Selection

_Method = TypeVar("_Method", bound=Callable[..., Any])
BUSY_TIMEOUT_SECONDS = 10.0
# Registries up to this size (an office's, of a few thousand agreements) are checked
# whole each time they are opened, in a few milliseconds per megabyte. A larger one is
# not, so that a command's cost follows its answer: SQLite still refuses any damaged
# page a command reads, and relint doctor checks every page.
CHECKED_SIZE = 4 * 1024 * 1024
MAX_BUSY_TIMEOUT_SECONDS = 3600

_COLUMNS = (
    "kind", "title", "party", "counterpart", "country", "signed", "start", "duration",
    "end", "renewable", "auto_renew", "notice_days", "sectors", "signatories", "source",
    "notes", "terminated_on", "termination_reason",
)  # fmt: skip
_QUOTED = ", ".join(f'"{column}"' for column in _COLUMNS)
_WORD = re.compile(r"[^\W_]+")
_BATCH = 500
# An import writes its rows in batches of _BATCH, or fewer when their text passes this
# many characters: rows of long notes (up to the import's limits) keep memory flat too.
_BATCH_SIZE = 16 * 1024 * 1024
_SEARCHED = ", ".join(f'"{column}"' for column in SEARCHED)  # the search index's columns
# Where an import numbers its rows without an id until it knows every id its file brings:
# above any id a file may bring (exchange.MAX_ID), with room for four billion rows.
PROVISIONAL = MAX_ID + 1


def create(path: Path) -> None:
    """Create an empty registry at ``path``; refuse if anything is there already.

    The registry is made whole beside ``path``, then linked in under its name in one
    step that fails if the name is taken: of two ``init``s at once, one creates it and
    the other is refused, and nothing at ``path`` is ever replaced or removed.
    """
    if path.exists() or path.is_symlink():
        raise _exists(path)
    if not path.parent.is_dir():
        raise RelintError(f"cannot create {path}: the folder {path.parent} does not exist")
    for side in ("-wal", "-journal"):  # SQLite would replay it over the new registry
        left = path.with_name(path.name + side)
        if left.exists():
            raise RelintError(
                f"{left} is left from a registry that was at {path} (removed while in use?): "
                "move it aside first; relint init never removes a file"
            )
    mode = 0o644 & new_file_mode()  # as SQLite makes a new database
    try:
        with beside(path) as partial:
            conn = _connect(partial, "rw")
            try:
                conn.execute("PRAGMA journal_mode=WAL")
                with _immediate(conn):
                    _migrate(conn)
            finally:
                conn.close()
            os.chmod(partial, mode)
            claim(partial, path)
    except FileExistsError:
        raise _exists(path) from None
    except sqlite3.Error as error:
        raise typed(error, path) from None
    except OSError as error:
        raise RelintError(f"cannot create {path}: {error.strerror}") from None


def _exists(path: Path) -> RelintError:
    return RelintError(f"{path} already exists; relint init never overwrites a file")


def open_registry(path: Path, *, check: bool = True) -> Registry:
    """Open the registry at ``path``.

    An older schema is upgraded, after a copy beside the file; a registry that cannot
    be written is opened read-only (an older one, without upgrading). Unless ``check``
    is off (for relint doctor), a registry up to ``CHECKED_SIZE`` that fails SQLite's
    integrity check is refused: relint never answers from, nor writes into, a file
    it knows is damaged.
    """
    if not path.exists():
        raise RelintError(
            f"no registry at {path}: give --db or RELINT_DB, or create one with relint init"
        )
    if not path.is_file():
        raise RelintError(f"{path} is not a registry file")
    writable = os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)
    if writable:
        for side in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            if _read_only(side):
                raise ReadOnly(
                    f"{side} is read-only (left by a read-only use of the registry?): "
                    "make it writable or remove it while no one uses the registry"
                )
    conn = _connect(path, "rw" if writable else "ro")
    try:
        try:
            applied = _applied(conn, path)
        except RelintError:
            if writable:
                raise
            conn.close()
            conn = _read_only_folder(path)
            applied = _applied(conn, path)
        if not applied:
            raise NotARegistry(f"{path} is not a relint registry")
        newer = [name for name in applied if name not in NAMES]
        if newer:
            raise NewerSchema(
                f"{path} has a newer schema than this relint knows ({', '.join(newer)}): "
                "upgrade relint"
            )
        registry = Registry(conn, path, read_only=not writable)
        if len(applied) < len(NAMES) and writable:
            registry.upgraded_from = _upgrade(conn, path)
        if check and _size(conn) <= CHECKED_SIZE:
            found = conn.execute("PRAGMA integrity_check(1)").fetchone()[0]
            if found != "ok":
                found = " ".join(found.replace("*** in database main ***", "").split())
                raise Damaged(f"{path} is damaged ({found}): see relint doctor", found)
    except sqlite3.Error as error:
        conn.close()
        raise typed(error, path) from None
    except BaseException:
        conn.close()
        raise
    return registry


def _read_only(side: Path) -> bool:
    """Whether the side file ``side`` is there and this process cannot write it. One
    that vanishes meanwhile is not: SQLite removes its side files when the last process
    using the registry closes it, at any moment. (Nothing here holds a lock on it yet,
    so opening and closing it releases none.)"""
    try:
        descriptor = os.open(side, os.O_WRONLY)
    except FileNotFoundError:
        return False
    except PermissionError:
        return True
    except OSError:  # not a file: SQLite will say what is wrong
        return False
    os.close(descriptor)
    return False


def _size(conn: sqlite3.Connection) -> int:
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    return int(pages) * int(size)


def _read_only_folder(path: Path) -> sqlite3.Connection:
    """A registry in a folder relint cannot write, where SQLite cannot make the shared
    memory file WAL readers need: read as a file nobody changes, unless changes wait in
    its write-ahead log, which that way would go unseen."""
    log = path.with_name(path.name + "-wal")
    if log.exists() and log.stat().st_size > 0:
        raise ReadOnly(
            f"cannot read {path}: its latest changes wait in {log.name}, and the folder is "
            "read-only; ask someone who can write the folder to open it once"
        )
    return _connect(path, "ro", immutable=True)


def _upgrade(conn: sqlite3.Connection, path: Path) -> Path | None:
    """Bring the schema up to date, after a copy of the file as it was; return the copy,
    or None if another process upgraded it first."""
    with _immediate(conn):  # one upgrader at a time; the others find nothing left to do
        applied = _applied(conn, path)
        if len(applied) == len(NAMES):
            return None
        copy = path.with_name(f"{path.name}.schema-{len(applied)}.bak")
        number = 1
        while copy.exists():
            number += 1
            copy = path.with_name(f"{path.name}.schema-{len(applied)}.{number}.bak")
        reader = _connect(path, "ro")  # sees the file as it is: this process holds the lock
        try:
            backup(reader, path, copy, replace=False)
        finally:
            reader.close()
        _migrate(conn)
    return copy


def backup(conn: sqlite3.Connection, source: Path, target: Path, *, replace: bool) -> None:
    """A consistent copy at ``target`` of the registry ``source`` that ``conn`` reads,
    made with SQLite's online backup while others may be writing. The copy appears
    whole or not at all, never more readable than the registry, never over the
    registry or its side files, and over an existing file only if ``replace``."""
    target = target.resolve()  # through a link, to the file it names
    if target.exists() and not target.is_file():
        raise RelintError(f"{target} is not a file: a copy of the registry is a file of its own")
    sides = [target.with_name(target.name + side) for side in ("-wal", "-shm")]
    for part in (target, *sides):  # the copy replaces its side files too
        refuse_registry(part, source)
    try:
        with replacing(target, copy_mode(target, source), replace=replace) as partial:
            copy = _connect(partial, "rw")
            try:
                conn.backup(copy)
            except sqlite3.Error as error:
                if error.sqlite_errorcode & 0xFF in (sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR):
                    full = "the disk is full" if _disk_full(partial) else str(error)
                    raise RelintError(f"cannot write the copy {target}: {full}") from None
                raise
            finally:
                copy.close()
            # A log and shared memory left by a file being replaced would be replayed
            # over the copy.
            for side in sides:
                side.unlink(missing_ok=True)
    except FileExistsError:
        raise RelintError(f"{target} exists: give --force to replace it") from None
    except OSError as error:
        raise RelintError(f"cannot write the copy {target}: {error.strerror}") from None


def busy_timeout() -> float:
    """Seconds a command waits for another writer: RELINT_BUSY_TIMEOUT, else 10."""
    text = os.environ.get("RELINT_BUSY_TIMEOUT", "")
    try:
        seconds = float(text) if text.strip() else BUSY_TIMEOUT_SECONDS
    except ValueError:
        seconds = -1
    if not 0 <= seconds <= MAX_BUSY_TIMEOUT_SECONDS:
        raise RelintError(
            f"RELINT_BUSY_TIMEOUT is a number of seconds from 0 to {MAX_BUSY_TIMEOUT_SECONDS}, "
            f"not {text!r}"
        )
    return seconds


def _connect(path: Path, mode: str, *, immutable: bool = False) -> sqlite3.Connection:
    # A URI with mode=rw never creates a file, so nothing makes a registry by accident.
    uri = "file:" + _uri_path(path) + f"?mode={mode}" + ("&immutable=1" if immutable else "")
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=busy_timeout(), isolation_level=None)
    except sqlite3.Error as error:
        raise RelintError(f"cannot open {path}: {error}") from None
    except UnicodeEncodeError:
        raise RelintError(f"cannot open {path!s}: its name is not valid UTF-8") from None
    conn.execute("PRAGMA foreign_keys=ON")
    return conn


def _uri_path(path: Path) -> str:
    return str(path.resolve()).replace("%", "%25").replace("?", "%3f").replace("#", "%23")


def typed(error: sqlite3.Error, path: Path | None = None) -> RegistryError:
    """The error of relint's own that SQLite's ``error`` on the registry at ``path``
    is, by SQLite's result code, with one line for the user."""
    code = (getattr(error, "sqlite_errorcode", None) or 0) & 0xFF
    if code in (sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN) and path and _disk_full(path):
        code = sqlite3.SQLITE_FULL  # SQLite could not make its side files: no room for them
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return Busy(
            f"the registry is busy: another process kept it locked for more than "
            f"{busy_timeout():g} s; nothing was changed, try again"
        )
    if code == sqlite3.SQLITE_FULL:
        return DiskFull("the disk that holds the registry is full; nothing was changed")
    if code == sqlite3.SQLITE_READONLY:
        return ReadOnly(f"the registry is read-only: nothing was changed ({error})")
    if code == sqlite3.SQLITE_CORRUPT:
        return Damaged(
            f"the registry is damaged ({error}); nothing was changed: see relint doctor", str(error)
        )
    if code == sqlite3.SQLITE_NOTADB:
        return NotARegistry(f"{path or 'the file'} is not a relint registry ({error})")
    if code == 0 and isinstance(error, sqlite3.OperationalError):
        # Python's own, reading a value: text that is not UTF-8 (it quotes the text)
        return Damaged(
            "the registry holds text that is not UTF-8: it is damaged (see relint doctor)",
            "it holds text that is not UTF-8",
        )
    if code == sqlite3.SQLITE_IOERR:
        return RegistryError(
            f"the registry's disk failed to read or write ({error}); nothing was changed"
        )
    return RegistryError(f"the registry could not be used: {error}")


def _told(method: _Method) -> _Method:
    """``method`` of ``Registry``, raising SQLite's errors as relint's own (see ``typed``)."""
    if inspect.isgeneratorfunction(method):

        @functools.wraps(method)
        def reading(self: Registry, *args: Any, **kwargs: Any) -> Any:
            try:
                yield from method(self, *args, **kwargs)
            except sqlite3.Error as error:
                raise typed(error, self.path) from None

        return cast(_Method, reading)

    @functools.wraps(method)
    def told(self: Registry, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as error:
            raise typed(error, self.path) from None

    return cast(_Method, told)


def _disk_full(path: Path) -> bool:
    try:
        return os.statvfs(path.resolve().parent).f_bavail == 0
    except OSError:
        return False


def _applied(conn: sqlite3.Connection, path: Path) -> list[str]:
    try:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        if "_sqlite_migrations" not in tables:
            raise NotARegistry(f"{path} is not a relint registry")
        return [
            row[0]
            for row in conn.execute(
                "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY id",
                [MIGRATION_SET],
            )
        ]
    except sqlite3.DatabaseError as error:
        told = typed(error, path)
        if not isinstance(told, NotARegistry):
            told.args = (f"cannot open {path}: {told}",)
        raise told from None


def _migrate(conn: sqlite3.Connection) -> None:
    """Apply the pending migrations, each in a savepoint of the caller's transaction."""
    from sqlite_utils import Database

    migrations().apply(Database(conn, execute_plugins=False))


@contextmanager
def _immediate(
    conn: sqlite3.Connection, committed: Callable[[], None] | None = None
) -> Iterator[None]:
    """A write transaction; ``committed`` is called once it is committed, before Ctrl-C
    or SIGTERM can land: one that comes while it commits waits for it, so that whoever
    handles it knows whether the change was made."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
        with signals.held():
            conn.execute("COMMIT")
            if committed is not None:
                committed()
    except BaseException:
        if conn.in_transaction:  # SQLite rolls back by itself after some errors (a full disk)
            # A failed rollback must not hide the error that stopped the transaction.
            with suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
        raise


# Agreement.status as SQL, for an agreement read as its current term: :as_of is the day,
# :until the end of the alert window. A partial date compares as text just as its earliest
# day does ("2026" and "2026-11" sort before "2026-11-22"). tests/test_report.py checks
# that this agrees with Agreement.status.
_STATUS = f"""CASE
    WHEN terminated_on <= :as_of THEN 'terminated'
    WHEN duration = '{PERMANENT}' THEN 'permanent'
    WHEN "end" IS NULL OR length("end") < 10 THEN 'unknown'
    WHEN "end" < :as_of THEN 'expired'
    WHEN "end" <= :until THEN 'expiring'
    ELSE 'active'
END"""
_STATUSES = tuple(status.value for status in Status)
# report.missing as SQL: what makes a record incomplete, besides an unknown status.
_INCOMPLETE = """signed IS NULL
    OR coalesce(party, '') = '' OR coalesce(country, '') = '' OR coalesce(source, '') = ''"""
_LACKING = f"{_INCOMPLETE} OR ({_STATUS}) = 'unknown'"


@dataclass
class _Bulk:
    """What an import has yet to write, and the ids it gives."""

    floor: int  # the highest id given before the import
    next_id: int
    provisional: bool
    next_provisional: int = PROVISIONAL
    rows: list[tuple[Any, ...]] = dataclasses.field(default_factory=list)
    audit: list[tuple[Any, ...]] = dataclasses.field(default_factory=list)
    size: int = 0  # characters of text in ``rows`` and ``audit``


@dataclass(frozen=True)
class Actor:
    """Who is writing, for the audit trail: when (UTC), the user, the command, the action."""

    at: str
    user: str
    command: str
    action: str


class Registry:
    """The agreements in one registry file.

    While ``actor`` is set, every insert, update and delete is recorded in the audit
    trail, in the same transaction, with the agreement before and after.
    """

    def __init__(self, conn: sqlite3.Connection, path: Path, *, read_only: bool = False) -> None:
        self.conn = conn
        self.path = path
        self.read_only = read_only
        self.actor: Actor | None = None
        self.upgraded_from: Path | None = None  # the backup made before an upgrade, if any
        self.committed = False  # whether a change was committed through ``transaction``
        self._bulk: _Bulk | None = None  # set while importing
        conn.row_factory = sqlite3.Row

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Everything inside is written together, or not at all."""
        if self.read_only:
            raise ReadOnly(f"{self.path} is read-only: nothing can be changed in it")
        try:
            with _immediate(self.conn, self._committed):
                yield
        except sqlite3.Error as error:
            raise typed(error, self.path) from None

    def _committed(self) -> None:
        self.committed = True

    @contextmanager
    def importing(self, *, ids_in_file: bool) -> Iterator[None]:
        """Inside ``transaction``, for an import: new rows are written in batches, and the
        search index takes them all at once at the end rather than one trigger at a time
        (three times faster on large files).

        When the file may bring ids of its own (``ids_in_file``), its rows without one
        are numbered after the highest of them, as if they came last: no new id can
        take one that a later row of the file asks for.
        """
        triggers = self.conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN (?, ?)",
            ["agreements_ai", "agreements_au"],
        ).fetchall()
        for name, _ in triggers:
            self.conn.execute(f'DROP TRIGGER "{name}"')
        self.conn.execute("CREATE TEMP TABLE reindex (id INTEGER PRIMARY KEY)")
        floor = self._highest_id()
        self._bulk = _Bulk(floor=floor, next_id=floor + 1, provisional=ids_in_file)
        try:
            yield
            self._flush()
            if ids_in_file:
                self._number_provisional(floor)
            # Two statements, not one with OR: SQLite would gather every new id in memory.
            for where in ("id > ?", "id <= ? AND id IN (SELECT id FROM temp.reindex)"):
                self.conn.execute(
                    f"INSERT INTO agreements_fts (rowid, {_SEARCHED}) SELECT id, {_SEARCHED}"
                    f" FROM agreements WHERE {where}",
                    [floor],
                )
            for _, sql in triggers:
                self.conn.execute(sql)
        finally:
            self._bulk = None
            # Gone already when SQLite rolled the transaction back by itself (a full disk).
            self.conn.execute("DROP TABLE IF EXISTS temp.reindex")

    def _highest_id(self) -> int:
        """The highest id the registry has given: AUTOINCREMENT's counter, or the highest
        id present."""
        used = self.conn.execute(
            "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'agreements'), 0),"
            " coalesce((SELECT max(id) FROM agreements), 0))"
        ).fetchone()[0]
        return int(used)

    def _number_provisional(self, floor: int) -> None:
        """Give the rows numbered from ``PROVISIONAL`` their ids, after every other."""
        first = self.conn.execute(
            "SELECT min(id) FROM agreements WHERE id >= ?", [PROVISIONAL]
        ).fetchone()[0]
        if first is None:
            return
        highest = self.conn.execute(
            "SELECT max(id) FROM agreements WHERE id < ?", [PROVISIONAL]
        ).fetchone()[0]
        shift = PROVISIONAL - max(floor, highest or 0) - 1
        self.conn.execute("PRAGMA defer_foreign_keys = ON")  # terms follow, just below
        self.conn.execute("UPDATE agreements SET id = id - ? WHERE id >= ?", [shift, PROVISIONAL])
        self.conn.execute(
            "UPDATE terms SET agreement_id = agreement_id - ? WHERE agreement_id >= ?",
            [shift, PROVISIONAL],
        )
        self.conn.execute(
            "UPDATE audit SET agreement_id = agreement_id - ?,"
            " after = json_set(after, '$.id', agreement_id - ?) WHERE agreement_id >= ?",
            [shift, shift, PROVISIONAL],
        )
        self.conn.execute(
            "UPDATE sqlite_sequence SET seq = (SELECT max(id) FROM agreements)"
            " WHERE name = 'agreements'"
        )

    def _flush(self) -> None:
        bulk = self._bulk
        if bulk is None or not bulk.rows:
            return
        self.conn.executemany(
            f"INSERT INTO agreements (id, {_QUOTED}) VALUES (?{', ?' * len(_COLUMNS)})", bulk.rows
        )
        if bulk.audit:
            self.conn.executemany(
                "INSERT INTO audit (at, user, command, action, agreement_id, before, after)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                bulk.audit,
            )
        bulk.rows.clear()
        bulk.audit.clear()
        bulk.size = 0

    @_told
    def backup(self, target: Path, *, replace: bool) -> None:
        """A consistent copy of the registry at ``target`` (see ``backup``)."""
        backup(self.conn, self.path, target, replace=replace)

    @_told
    def problems(self) -> list[str]:
        """What SQLite's own checks find wrong with the file and its full-text index."""
        try:
            found = [row[0] for row in self.conn.execute("PRAGMA integrity_check")]
        except sqlite3.DatabaseError as error:  # too damaged even to be checked
            return [str(error)]
        found = [] if found == ["ok"] else found
        if self.read_only:
            return found
        try:
            self.conn.execute(
                "INSERT INTO agreements_fts(agreements_fts, rank) VALUES('integrity-check', 1)"
            )
        except sqlite3.DatabaseError as error:
            if isinstance(typed(error), Busy):
                raise  # busy, not broken: reported as such
            found.append(f"the search index: {error}")
        return found

    @_told
    def schema(self) -> tuple[int, int]:
        """The schema version of the file and of this program (migrations applied)."""
        return len(_applied(self.conn, self.path)), len(NAMES)

    @_told
    def trail(self, agreement_id: int | None = None) -> list[dict[str, Any]]:
        """The audit trail, oldest first: of one agreement, or of the whole registry (none
        in a registry of a schema before the trail, read without upgrading)."""
        if self.conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'audit'").fetchone() is None:
            return []
        sql = "SELECT * FROM audit"
        if agreement_id is not None:
            sql += " WHERE agreement_id = ?"
        rows = self.conn.execute(
            sql + " ORDER BY id", [] if agreement_id is None else [agreement_id]
        )
        return [
            dict(row)
            | {
                "before": None if row["before"] is None else json.loads(row["before"]),
                "after": None if row["after"] is None else json.loads(row["after"]),
            }
            for row in rows
        ]

    def _audit(self, agreement_id: int, before: Agreement | None, after: Agreement | None) -> None:
        if self.actor is None:
            return
        a = self.actor
        self.conn.execute(
            "INSERT INTO audit (at, user, command, action, agreement_id, before, after)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [a.at, a.user, a.command, a.action, agreement_id, _snapshot(before), _snapshot(after)],
        )

    @_told
    def get(self, agreement_id: int) -> Agreement:
        """The agreement with ``agreement_id``, with its earlier terms."""
        found = self.find(agreement_id)
        if found is None:
            raise RelintError(f"no agreement with id {agreement_id}")
        return found

    @_told
    def find(self, agreement_id: int) -> Agreement | None:
        """The agreement with ``agreement_id``, with its earlier terms, or None."""
        row = self.conn.execute("SELECT * FROM agreements WHERE id = ?", [agreement_id]).fetchone()
        if row is None:
            return None
        return _agreement(row, self._histories(f"= {int(agreement_id)}").get(agreement_id, ()))

    @_told
    def ids(self) -> list[int]:
        """The id of every agreement, in order."""
        return [row[0] for row in self.conn.execute("SELECT id FROM agreements ORDER BY id")]

    @_told
    def agreements(self) -> Iterator[Agreement]:
        """Every agreement by id, with its earlier terms."""
        yield from self._with_histories("SELECT * FROM agreements ORDER BY id")

    @_told
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
        # An alert needs an end from the first day on, and the end or the notice deadline
        # by the last: rows that cannot qualify stay in the index, unread.
        yield from self._with_histories(
            """SELECT * FROM agreements WHERE id IN (
                SELECT id FROM agreements WHERE "end" BETWEEN :first AND :upper
                    AND length("end") = 10 AND ("end" <= :last OR notice_days IS NOT NULL
                        AND date("end", printf('-%d days', notice_days)) BETWEEN :first AND :last)
                    AND (terminated_on IS NULL OR terminated_on > :first)
                UNION SELECT agreement_id FROM terms WHERE "end" BETWEEN :first AND :upper
            ) ORDER BY id""",
            {"first": first.isoformat(), "last": last.isoformat(), "upper": upper.isoformat()},
        )

    @_told
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

    @_told
    def for_report(self, as_of: date, until: date, *, looking_back: bool) -> Selection:
        """What a report on ``as_of`` (alerting through ``until``) needs, read with SQL so
        that its cost follows what it shows rather than the registry's size.

        Agreements never renewed are judged by SQL, by the rules of ``Agreement.status``
        and ``report.missing``; renewed ones, whose standing depends on which term was
        current on ``as_of``, come whole, for the report to judge. ``looking_back`` leaves
        out the agreements signed after ``as_of``.
        """
        at = {"as_of": as_of.isoformat(), "until": until.isoformat(), "back": looking_back}
        simple = (
            "id NOT IN (SELECT agreement_id FROM terms) AND (NOT :back"
            " OR coalesce(signed, start) IS NULL OR coalesce(signed, start) <= :as_of)"
        )
        # One pass over the summary index, in its order: no sorting, and each status
        # counted by its own sum rather than by grouping a million rows.
        sums = ", ".join(f"sum(({_STATUS}) = '{status}')" for status in _STATUSES)
        counts = []
        lacking_count = 0
        for party, kind, *by_status, lacking in self.conn.execute(
            f"SELECT party, kind, {sums}, sum(CASE WHEN {_INCOMPLETE} THEN 1"
            f" ELSE ({_STATUS}) = 'unknown' END) FROM agreements WHERE {simple}"
            " GROUP BY party, kind",
            at,
        ):
            counts += [
                (party, kind, status, count)
                for status, count in zip(_STATUSES, by_status, strict=True)
                if count
            ]
            lacking_count += lacking
        expired = f"""{simple} AND length("end") = 10 AND "end" < :as_of
            AND {_STATUS} = 'expired'"""
        dated = f'{simple} AND length("end") = 10 AND length(start) = 10'
        return Selection(
            counts=counts,
            expired=self._some(expired, 'ORDER BY "end" DESC, id DESC', at),
            expired_count=sum(count for *_, status, count in counts if status == "expired"),
            lacking=self._some(f"{simple} AND ({_LACKING})", "ORDER BY id", at),
            lacking_count=lacking_count,
            latest=self._some(dated, 'ORDER BY "end" DESC, id', at),
            renewed=list(
                self._with_histories(
                    "SELECT * FROM agreements WHERE id IN (SELECT agreement_id FROM terms)"
                    " ORDER BY id"
                )
            ),
        )

    def _some(self, where: str, order: str, at: dict[str, Any]) -> list[Agreement]:
        return list(
            self._with_histories(
                f"SELECT * FROM agreements WHERE {where} {order} LIMIT {SHOWN}", at
            )
        )

    def _with_histories(
        self, sql: str, parameters: list[Any] | dict[str, Any] | None = None
    ) -> Iterator[Agreement]:
        # In batches, so that memory does not grow with the registry; rows as plain tuples
        # of the table's columns (``sql`` selects them all, in order), quicker to read.
        cursor = self.conn.cursor()
        cursor.row_factory = None
        cursor.execute(sql, parameters or [])
        while rows := cursor.fetchmany(_BATCH):
            ids = ", ".join(str(int(row[0])) for row in rows)
            histories = self._histories(f"IN ({ids})")
            for row in rows:
                yield _agreement(row, histories.get(row[0], ()))

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

    @_told
    def insert(self, agreement: Agreement) -> int:
        """Store a new agreement; return its id."""
        if self._bulk is not None:
            return self._insert_in_bulk(agreement, self._bulk)
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
        self._audit(agreement_id, None, dataclasses.replace(agreement, id=agreement_id))
        return agreement_id

    def _insert_in_bulk(self, agreement: Agreement, bulk: _Bulk) -> int:
        if agreement.id is not None:
            agreement_id = agreement.id
            bulk.next_id = max(bulk.next_id, agreement_id + 1)
            if agreement_id <= bulk.floor:  # an id given once and freed: index it at the end
                self.conn.execute("INSERT INTO temp.reindex (id) VALUES (?)", [agreement_id])
        elif bulk.provisional:
            agreement_id = bulk.next_provisional
            bulk.next_provisional += 1
        else:
            agreement_id = bulk.next_id
            bulk.next_id += 1
        row = (agreement_id, *_values(agreement))
        bulk.rows.append(row)
        if self.actor is not None:
            a = self.actor
            after = to_json(snapshot(agreement) | {"id": agreement_id})
            bulk.audit.append((a.at, a.user, a.command, a.action, agreement_id, None, after))
            bulk.size += 2 * len(after)  # the row's text, and the audit's copy of it
        else:
            bulk.size += sum(len(value) for value in row if type(value) is str)
        if agreement.history:
            self._flush()
            self._write_history(agreement_id, agreement.history)
        elif len(bulk.rows) >= _BATCH or bulk.size >= _BATCH_SIZE:
            self._flush()
        return agreement_id

    @_told
    def update(self, agreement: Agreement) -> None:
        """Store ``agreement`` over the one with its id, earlier terms included."""
        assert agreement.id is not None
        if self._bulk is not None:
            self._flush()
            # The search index forgets the old text now, and learns the new at the end.
            self.conn.execute(
                f"INSERT INTO agreements_fts (agreements_fts, rowid, {_SEARCHED})"
                f" SELECT 'delete', id, {_SEARCHED} FROM agreements WHERE id = ?",
                [agreement.id],
            )
            self.conn.execute("INSERT OR IGNORE INTO temp.reindex (id) VALUES (?)", [agreement.id])
        before = self.get(agreement.id) if self.actor else None
        assignments = ", ".join(f'"{column}" = ?' for column in _COLUMNS)
        self.conn.execute(
            f"UPDATE agreements SET {assignments} WHERE id = ?",
            [*_values(agreement), agreement.id],
        )
        self.conn.execute("DELETE FROM terms WHERE agreement_id = ?", [agreement.id])
        self._write_history(agreement.id, agreement.history)
        self._audit(agreement.id, before, agreement)

    @_told
    def delete(self, agreement_id: int) -> None:
        """Remove the agreement with ``agreement_id`` and its earlier terms; the audit
        trail keeps it."""
        before = self.get(agreement_id) if self.actor else None
        self.conn.execute("DELETE FROM agreements WHERE id = ?", [agreement_id])
        self._audit(agreement_id, before, None)

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


def _agreement(row: Sequence[Any], history: tuple[Term, ...] = ()) -> Agreement:
    try:
        return _decoded(row, history)
    except (ValueError, TypeError) as error:
        raise RelintError(f"agreement {row[0]} is damaged in the registry ({error})") from None


def _decoded(row: Sequence[Any], history: tuple[Term, ...]) -> Agreement:
    (
        agreement_id, kind, title, party, counterpart, country, signed, start, duration, end,
        renewable, auto_renew, notice_days, sectors, signatories, source, notes, terminated_on,
        termination_reason,
    ) = tuple(row)[:19]  # fmt: skip
    return Agreement(
        id=agreement_id,
        kind=Kind(kind),
        title=title,
        party=party,
        counterpart=counterpart,
        country=country,
        signed=_date(signed),
        start=_date(start),
        duration=_duration(duration),
        end=_date(end),
        renewable=bool(renewable),
        auto_renew=bool(auto_renew),
        notice_days=_integer(notice_days),
        sectors=_texts(sectors),
        signatories=_texts(signatories),
        source=source,
        notes=notes,
        terminated_on=_date(terminated_on),
        termination_reason=termination_reason,
        history=history,
    )


def _integer(value: object, damaged: str | None = None) -> int | None:
    if value is None or type(value) is int:
        return value
    if damaged:
        raise RelintError(damaged)
    raise ValueError(f"not a whole number: {value!r}")


@lru_cache(maxsize=4096)  # registries repeat their lists of sectors
def _texts(stored: str) -> tuple[str, ...]:
    values = json.loads(stored)
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ValueError(f"not a list of text: {stored!r}")
    return tuple(values)


def _snapshot(agreement: Agreement | None) -> str | None:
    return None if agreement is None else to_json(snapshot(agreement))


def _str(value: object | None) -> str | None:
    return None if value is None else str(value)


@lru_cache(maxsize=4096)  # registries repeat their lists of sectors and signatories
def _list(values: tuple[str, ...]) -> str:
    # Unescaped, so that the full-text index sees "Città" and not "Citt\u00e0".
    return to_json(list(values))


def _date(text: str | None) -> PartialDate | None:
    return None if text is None else _stored_date(text)


@lru_cache(maxsize=4096)  # registries repeat their dates; reading one is most of a row
def _stored_date(text: str) -> PartialDate:
    return PartialDate.from_iso(text)


@cache
def _parsed_duration(text: str) -> Duration:
    return parse_duration(text)


def _duration(text: str | None) -> Duration | None:
    return None if text is None else _parsed_duration(text)
