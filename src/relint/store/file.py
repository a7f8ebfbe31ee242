"""The registry file: creating it, opening it (upgrading its schema and checking it
on the way), backing it up, and SQLite's own checks of it."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import NamedTuple

from relint.errors import Busy, Damaged, NewerSchema, NotARegistry, ReadOnly, RelintError
from relint.i18n import _
from relint.outputs import (
    JOURNAL,
    LOG,
    SHARED_MEMORY,
    beside,
    claim,
    copy_mode,
    new_file_mode,
    refuse_registry,
    replacing,
    side_file,
)
from relint.store.migrations import MIGRATION_SET, NAMES, migrations
from relint.store.sqlite import connect, disk_full, immediate, typed

# Registries up to this size (an office's, of a few thousand agreements) are checked
# whole each time they are opened, in a few milliseconds per megabyte. A larger one is
# not, so that a command's cost follows its answer: SQLite still refuses any damaged
# page a command reads, and relint doctor checks every page.
CHECKED_SIZE = 4 * 1024 * 1024


class Opened(NamedTuple):
    """A registry file opened: its connection, whether it is read-only, and the copy
    made before its schema was upgraded, if it was."""

    conn: sqlite3.Connection
    read_only: bool
    upgraded_from: Path | None


def create(path: Path) -> None:
    """Create an empty registry at ``path``; refuse if anything is there already.

    The registry is made whole beside ``path``, then linked in under its name in one
    step that fails if the name is taken: of two ``init``s at once, one creates it and
    the other is refused, and nothing at ``path`` is ever replaced or removed.
    """
    if path.exists() or path.is_symlink():
        raise _exists(path)
    if not path.parent.is_dir():
        raise RelintError(
            _("cannot create {path}: the folder {parent} does not exist").format(
                path=path, parent=path.parent
            )
        )
    for side in (LOG, JOURNAL):  # SQLite would replay it over the new registry
        left = side_file(path, side)
        if left.exists():
            raise RelintError(
                _(
                    "{left} is left from a registry that was at {path} (removed while in use?): "
                    "move it aside first; relint init never removes a file"
                ).format(left=left, path=path)
            )
    mode = 0o644 & new_file_mode()  # as SQLite makes a new database
    try:
        with beside(path) as partial:
            conn = connect(partial, "rw")
            try:
                conn.execute("PRAGMA journal_mode=WAL")
                with immediate(conn):
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
        raise RelintError(
            _("cannot create {path}: {strerror}").format(path=path, strerror=error.strerror)
        ) from None


def _exists(path: Path) -> RelintError:
    return RelintError(
        _("{path} already exists; relint init never overwrites a file").format(path=path)
    )


def open_file(path: Path, *, check: bool = True) -> Opened:
    """Open the registry at ``path``.

    An older schema is upgraded, after a copy beside the file; a registry that cannot
    be written is opened read-only (an older one, without upgrading). Unless ``check``
    is off (for relint doctor), a registry up to ``CHECKED_SIZE`` that fails SQLite's
    integrity check is refused: relint never answers from, nor writes into, a file
    it knows is damaged.
    """
    if not path.exists():
        raise RelintError(
            _(
                "no registry at {path}: give --db or RELINT_DB, or create one with relint init"
            ).format(path=path)
        )
    if not path.is_file():
        raise RelintError(_("{path} is not a registry file").format(path=path))
    writable = os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)
    if writable:
        for side in (side_file(path, LOG), side_file(path, SHARED_MEMORY)):
            if _read_only(side):
                raise ReadOnly(
                    _(
                        "{side} is read-only (left by a read-only use of the registry?): make it "
                        "writable or remove it while no one uses the registry"
                    ).format(side=side)
                )
    conn = connect(path, "rw" if writable else "ro")
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
            raise NotARegistry(_("{path} is not a relint registry").format(path=path))
        newer = [name for name in applied if name not in NAMES]
        if newer:
            raise NewerSchema(
                _(
                    "{path} has a newer schema than this relint knows ({newer}): upgrade relint"
                ).format(path=path, newer=", ".join(newer))
            )
        upgraded_from = None
        if len(applied) < len(NAMES) and writable:
            upgraded_from = _upgrade(conn, path)
        if check and _size(conn) <= CHECKED_SIZE:
            found = conn.execute("PRAGMA integrity_check(1)").fetchone()[0]
            if found != "ok":
                found = " ".join(found.replace("*** in database main ***", "").split())
                raise Damaged(
                    _("{path} is damaged ({found}): see relint doctor").format(
                        path=path, found=found
                    ),
                    found,
                )
    except sqlite3.Error as error:
        conn.close()
        raise typed(error, path) from None
    except BaseException:
        conn.close()
        raise
    return Opened(conn, not writable, upgraded_from)


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


def reader(path: Path) -> tuple[sqlite3.Connection, bool]:
    """A connection that only reads the registry at ``path`` (opened once by
    ``open_file``, so known to be one of this schema), and whether it reads the file as
    one nobody changes: in a folder where SQLite cannot make the shared memory file WAL
    readers need (see ``_read_only_folder``)."""
    conn = connect(path, "ro")
    try:
        _applied(conn, path)
    except RelintError:
        conn.close()
        return _read_only_folder(path), True
    return conn, False


def _read_only_folder(path: Path) -> sqlite3.Connection:
    """A registry in a folder relint cannot write, where SQLite cannot make the shared
    memory file WAL readers need: read as a file nobody changes, unless changes wait in
    its write-ahead log, which that way would go unseen."""
    log = side_file(path, LOG)
    if log.exists() and log.stat().st_size > 0:
        raise ReadOnly(
            _(
                "cannot read {path}: its latest changes wait in {name}, and the folder is "
                "read-only; ask someone who can write the folder to open it once"
            ).format(path=path, name=log.name)
        )
    return connect(path, "ro", immutable=True)


def _upgrade(conn: sqlite3.Connection, path: Path) -> Path | None:
    """Bring the schema up to date, after a copy of the file as it was; return the copy,
    or None if another process upgraded it first."""
    with immediate(conn):  # one upgrader at a time; the others find nothing left to do
        applied = _applied(conn, path)
        if len(applied) == len(NAMES):
            return None
        copy = path.with_name(f"{path.name}.schema-{len(applied)}.bak")
        number = 1
        while copy.exists():
            number += 1
            copy = path.with_name(f"{path.name}.schema-{len(applied)}.{number}.bak")
        reader = connect(path, "ro")  # sees the file as it is: this process holds the lock
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
        raise RelintError(
            _("{target} is not a file: a copy of the registry is a file of its own").format(
                target=target
            )
        )
    sides = [side_file(target, side) for side in (LOG, SHARED_MEMORY)]
    for part in (target, *sides):  # the copy replaces its side files too
        refuse_registry(part, source)
    try:
        with replacing(target, copy_mode(target, source), replace=replace) as partial:
            copy = connect(partial, "rw")
            try:
                conn.backup(copy)
            except sqlite3.Error as error:
                if error.sqlite_errorcode & 0xFF in (sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR):
                    full = "the disk is full" if disk_full(partial) else str(error)
                    raise RelintError(
                        _("cannot write the copy {target}: {full}").format(target=target, full=full)
                    ) from None
                raise
            finally:
                copy.close()
            # A log and shared memory left by a file being replaced would be replayed
            # over the copy.
            for side in sides:
                side.unlink(missing_ok=True)
    except FileExistsError:
        raise RelintError(
            _("{target} exists: give --force to replace it").format(target=target)
        ) from None
    except OSError as error:
        raise RelintError(
            _("cannot write the copy {target}: {strerror}").format(
                target=target, strerror=error.strerror
            )
        ) from None


def _applied(conn: sqlite3.Connection, path: Path) -> list[str]:
    try:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        if "_sqlite_migrations" not in tables:
            raise NotARegistry(_("{path} is not a relint registry").format(path=path))
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


def problems(conn: sqlite3.Connection, *, read_only: bool) -> list[str]:
    """What SQLite's own checks find wrong with the file and its full-text index."""
    try:
        found = [
            line for row in conn.execute("PRAGMA integrity_check") for line in row[0].splitlines()
        ]
    except sqlite3.DatabaseError as error:  # too damaged even to be checked
        return [str(error)]
    found = [] if found == ["ok"] else found
    if read_only:
        return found
    try:
        conn.execute(
            "INSERT INTO agreements_fts(agreements_fts, rank) VALUES('integrity-check', 1)"
        )
    except sqlite3.DatabaseError as error:
        if isinstance(typed(error), Busy):
            raise  # busy, not broken: reported as such
        found.append(_("the search index: {error}").format(error=error))
    return found


def schema(conn: sqlite3.Connection, path: Path) -> tuple[int, int]:
    """The schema version of the file and of this program (migrations applied)."""
    return len(_applied(conn, path)), len(NAMES)
