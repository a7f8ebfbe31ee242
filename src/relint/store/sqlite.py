"""SQLite as the registry uses it: connections, the busy timeout, write transactions,
and SQLite's errors turned into relint's own, by their result codes."""

from __future__ import annotations

import functools
import inspect
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, TypeVar, cast

from relint import signals
from relint.errors import (
    Busy,
    Damaged,
    DiskFull,
    NotARegistry,
    ReadOnly,
    RegistryError,
    RelintError,
)
from relint.i18n import _

_Method = TypeVar("_Method", bound=Callable[..., Any])
BUSY_TIMEOUT_SECONDS = 10.0
MAX_BUSY_TIMEOUT_SECONDS = 3600


def busy_timeout() -> float:
    """Seconds a command waits for another writer: RELINT_BUSY_TIMEOUT, else 10."""
    text = os.environ.get("RELINT_BUSY_TIMEOUT", "")
    try:
        seconds = float(text) if text.strip() else BUSY_TIMEOUT_SECONDS
    except ValueError:
        seconds = -1
    if not 0 <= seconds <= MAX_BUSY_TIMEOUT_SECONDS:
        raise RelintError(
            _(
                "RELINT_BUSY_TIMEOUT is a number of seconds from 0 to {MAX_BUSY_TIMEOUT_SECONDS},"
                " not {text!r}"
            ).format(MAX_BUSY_TIMEOUT_SECONDS=MAX_BUSY_TIMEOUT_SECONDS, text=text)
        )
    return seconds


def connect(path: Path, mode: str, *, immutable: bool = False) -> sqlite3.Connection:
    # A URI with mode=rw never creates a file, so nothing makes a registry by accident.
    uri = "file:" + _uri_path(path) + f"?mode={mode}" + ("&immutable=1" if immutable else "")
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=busy_timeout(), isolation_level=None)
    except sqlite3.Error as error:
        raise RelintError(_("cannot open {path}: {error}").format(path=path, error=error)) from None
    except UnicodeEncodeError:
        raise RelintError(
            _("cannot open {path!s}: its name is not valid UTF-8").format(path=path)
        ) from None
    conn.execute("PRAGMA foreign_keys=ON")
    return conn


def _uri_path(path: Path) -> str:
    return str(path.resolve()).replace("%", "%25").replace("?", "%3f").replace("#", "%23")


def typed(error: sqlite3.Error, path: Path | None = None) -> RegistryError:
    """The error of relint's own that SQLite's ``error`` on the registry at ``path``
    is, by SQLite's result code, with one line for the user."""
    code = (getattr(error, "sqlite_errorcode", None) or 0) & 0xFF
    if code in (sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN) and path and disk_full(path):
        code = sqlite3.SQLITE_FULL  # SQLite could not make its side files: no room for them
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return Busy(
            _(
                "the registry is busy: another process kept it locked for more than "
                "{busy_timeout:g} s; nothing was changed, try again"
            ).format(busy_timeout=busy_timeout())
        )
    if code == sqlite3.SQLITE_FULL:
        return DiskFull(_("the disk that holds the registry is full; nothing was changed"))
    if code == sqlite3.SQLITE_READONLY:
        return ReadOnly(
            _("the registry is read-only: nothing was changed ({error})").format(error=error)
        )
    if code == sqlite3.SQLITE_CORRUPT:
        return Damaged(
            _("the registry is damaged ({error}); nothing was changed: see relint doctor").format(
                error=error
            ),
            str(error),
        )
    if code == sqlite3.SQLITE_NOTADB:
        return NotARegistry(
            _("{file} is not a relint registry ({error})").format(
                file=path or "the file", error=error
            )
        )
    if code == 0 and isinstance(error, sqlite3.OperationalError):
        # Python's own, reading a value: text that is not UTF-8 (it quotes the text)
        return Damaged(
            _("the registry holds text that is not UTF-8: it is damaged (see relint doctor)"),
            "it holds text that is not UTF-8",
        )
    if code == sqlite3.SQLITE_IOERR:
        return RegistryError(
            _("the registry's disk failed to read or write ({error}); nothing was changed").format(
                error=error
            )
        )
    return RegistryError(_("the registry could not be used: {error}").format(error=error))


def typed_errors(method: _Method) -> _Method:
    """``method`` of ``Registry``, raising SQLite's errors as relint's own (see ``typed``)."""
    if inspect.isgeneratorfunction(method):

        @functools.wraps(method)
        def reading(self: Any, *args: Any, **kwargs: Any) -> Any:
            try:
                yield from method(self, *args, **kwargs)
            except sqlite3.Error as error:
                raise typed(error, self.path) from None

        return cast(_Method, reading)

    @functools.wraps(method)
    def wrapped(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as error:
            raise typed(error, self.path) from None

    return cast(_Method, wrapped)


def disk_full(path: Path) -> bool:
    try:
        return os.statvfs(path.resolve().parent).f_bavail == 0
    except OSError:
        return False


@contextmanager
def immediate(
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
