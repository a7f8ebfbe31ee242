"""The registry: the only package that speaks SQL, behind one class, ``Registry``.

Its modules each have one job: ``sqlite`` (connections, transactions, errors),
``file`` (creating, opening, upgrading, checking and backing up the file),
``migrations`` (the schema), ``codec`` (the record as rows and snapshots),
``records`` (agreements and the audit trail), ``bulk`` (imports) and ``queries``
(alerts, search, the report). Reads use the standard library's sqlite3 directly;
sqlite-utils is loaded only to create or upgrade a registry. Every write runs in one
``BEGIN IMMEDIATE`` transaction: a write that began as a read could fail at once
under WAL when another process commits first, whatever the busy timeout.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from relint.agreement import Agreement
from relint.errors import ReadOnly, RelintError
from relint.i18n import _
from relint.store import codec, file, ledger, queries, records
from relint.store.file import create
from relint.store.records import Actor
from relint.store.sqlite import busy_timeout, immediate, typed, typed_errors

if TYPE_CHECKING:
    from relint.report import Alerted, Selection
    from relint.store.bulk import Bulk

__all__ = ["Actor", "Registry", "busy_timeout", "create", "open_reader", "open_registry", "typed"]


def open_registry(path: Path, *, check: bool = True) -> Registry:
    """The registry at ``path`` (see ``relint.store.file.open_file``)."""
    conn, read_only, upgraded_from = file.open_file(path, check=check)
    registry = Registry(conn, path, read_only=read_only)
    registry.upgraded_from = upgraded_from
    return registry


def open_reader(path: Path) -> Registry:
    """The registry at ``path``, opened once already, on a connection that only reads:
    ``immutable`` says whether it reads the file as one nobody changes
    (``relint.store.file.reader``)."""
    conn, immutable = file.reader(path)
    registry = Registry(conn, path, read_only=True)
    registry.immutable = immutable
    return registry


class Registry:
    """The agreements in one registry file.

    While ``actor`` is set, every insert, update and delete is recorded in the audit
    trail, in the same transaction, with the agreement before and after. SQLite's
    errors leave as relint's own (``relint.store.sqlite.typed``).
    """

    def __init__(self, conn: sqlite3.Connection, path: Path, *, read_only: bool = False) -> None:
        self.conn = conn
        self.path = path
        self.read_only = read_only
        self.actor: Actor | None = None
        self.upgraded_from: Path | None = None  # the backup made before an upgrade, if any
        self.immutable = False  # read as a file nobody changes (see open_reader)
        self.committed = False  # whether a change was committed through ``transaction``
        self._bulk: Bulk | None = None  # set while importing
        conn.row_factory = sqlite3.Row

    def close(self) -> None:
        self.conn.close()

    @cached_property
    def present(self) -> frozenset[str]:
        """The columns of this registry's agreements table."""
        return frozenset(row[1] for row in self.conn.execute("PRAGMA table_info(agreements)"))

    @cached_property
    def columns(self) -> str:
        """What reading an agreement selects from this registry (``codec.selected``)."""
        return codec.selected(self.present)

    @property
    def indexed(self) -> bool:
        """Whether the registry's schema has the queries' columns and indexes: one of an
        older schema, read without upgrading (it could not be written), has not."""
        return set(codec.TACIT) <= self.present

    # The file

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Everything inside is written together, or not at all."""
        if self.read_only:
            raise ReadOnly(
                _("{path} is read-only: nothing can be changed in it").format(path=self.path)
            )
        try:
            with immediate(self.conn, self._committed):
                yield
        except sqlite3.Error as error:
            raise typed(error, self.path) from None

    def _committed(self) -> None:
        self.committed = True

    @typed_errors
    def backup(self, target: Path, *, replace: bool) -> None:
        """A consistent copy of the registry at ``target`` (see ``file.backup``)."""
        file.backup(self.conn, self.path, target, replace=replace)

    @typed_errors
    def problems(self) -> list[str]:
        """What SQLite's own checks find wrong with the file and its full-text index."""
        return file.problems(self.conn, read_only=self.read_only)

    @typed_errors
    def schema(self) -> tuple[int, int]:
        """The schema version of the file and of this program (migrations applied)."""
        return file.schema(self.conn, self.path)

    # Records

    @typed_errors
    def get(self, agreement_id: int) -> Agreement:
        """The agreement with ``agreement_id``, with its earlier terms."""
        found = self.find(agreement_id)
        if found is None:
            raise RelintError(
                _("no agreement with id {agreement_id}").format(agreement_id=agreement_id)
            )
        return found

    @typed_errors
    def find(self, agreement_id: int) -> Agreement | None:
        """The agreement with ``agreement_id``, with its earlier terms, or None."""
        return records.find(self.conn, self.columns, agreement_id)

    @typed_errors
    def ids(self) -> list[int]:
        """The id of every agreement, in order."""
        return records.ids(self.conn)

    @typed_errors
    def agreements(self) -> Iterator[Agreement]:
        """Every agreement by id, with its earlier terms."""
        yield from records.with_histories(
            self.conn, f"SELECT {self.columns} FROM agreements ORDER BY id"
        )

    @typed_errors
    def exported(self, as_of: date) -> Iterator[tuple[Any, ...]]:
        """Every agreement by id, as an export on ``as_of`` carries it: the values of
        ``EXPORT_FIELDS``, in order, as ``export_record`` gives them.

        SQL computes the record of each agreement whose standing follows from its row
        alone (``queries.exported``), a tenth of the work of reading the agreement and
        applying its rules, as is done for the others.
        """
        from relint.agreement import DEFAULT_WINDOW, export_values

        if not self.indexed or as_of > queries.LAST_DAY:
            yield from (export_values(agreement, as_of) for agreement in self.agreements())
            return
        until = DEFAULT_WINDOW.end(as_of)
        for row in queries.exported(self.conn, self.present, as_of, until):
            values = codec.exported(row)
            if values is None:
                found = records.find(self.conn, self.columns, row[0])
                if found is None:  # removed by another process since its row was read
                    continue
                values = export_values(found, as_of)
            yield values

    @typed_errors
    def insert(self, agreement: Agreement) -> int:
        """Store a new agreement; return its id."""
        if self._bulk is not None:
            return self._bulk.insert(agreement)
        agreement_id = records.insert(self.conn, agreement)
        self._audit(agreement_id, None, dataclasses.replace(agreement, id=agreement_id))
        return agreement_id

    @typed_errors
    def update(self, agreement: Agreement) -> None:
        """Store ``agreement`` over the one with its id, earlier terms included."""
        assert agreement.id is not None
        if self._bulk is not None:
            self._bulk.updating(agreement.id)
        before = self.get(agreement.id) if self.actor else None
        records.update(self.conn, agreement)
        self._audit(agreement.id, before, agreement)

    @typed_errors
    def delete(self, agreement_id: int) -> None:
        """Remove the agreement with ``agreement_id`` and its earlier terms; the audit
        trail keeps it."""
        before = self.get(agreement_id) if self.actor else None
        records.delete(self.conn, agreement_id)
        self._audit(agreement_id, before, None)

    def _audit(self, agreement_id: int, before: Agreement | None, after: Agreement | None) -> None:
        if self.actor is not None:
            records.audit(self.conn, self.actor, agreement_id, before, after)

    @typed_errors
    def trail(self, agreement_id: int | None = None) -> list[dict[str, Any]]:
        """The audit trail, oldest first: of one agreement, or of the whole registry."""
        return records.trail(self.conn, agreement_id)

    @typed_errors
    def unsent(self, entries: list[ledger.Entry], now: datetime) -> list[ledger.Entry]:
        """Of the reminders and recipients ``entries``, those neither sent nor being sent
        (as of ``now``: see ``relint.store.ledger``)."""
        return ledger.unsent(self.conn, entries, now)

    @typed_errors
    def claim(self, entries: list[ledger.Entry], until: datetime) -> None:
        """Claim ``entries`` for this run, to send them with the lock released; a claim
        lapses at ``until`` should the run die unseen."""
        ledger.claim(self.conn, entries, until.isoformat(timespec="seconds"))

    @typed_errors
    def release(self, entries: list[ledger.Entry]) -> None:
        """Drop this run's claims on ``entries``: not sent, for the next run to send."""
        ledger.release(self.conn, entries)

    @typed_errors
    def record_sent(self, keys: list[ledger.Key], recipients: list[str]) -> None:
        """Record in the ledger that the reminders ``keys`` reached ``recipients``."""
        assert self.actor is not None, "only inside a transaction"
        ledger.record(self.conn, [(key, to) for key in keys for to in recipients], self.actor.at)
        whom = ", ".join(recipients)
        for agreement_id, term, event, event_on, step in keys:  # for history, too
            said = f"remind: {event} on {event_on} (term {term}, step {step}) to {whom}"
            actor = self.actor._replace(action=said)
            records.audit(self.conn, actor, agreement_id, None, None)

    @typed_errors
    def sent(self) -> list[dict[str, Any]]:
        """Every reminder sent, oldest first."""
        return ledger.listing(self.conn)

    @typed_errors
    def removed(self, agreement_id: int) -> Agreement | None:
        """The agreement with ``agreement_id`` as it was last removed, from the audit
        trail; None if the trail holds no removal of it."""
        return records.removed(self.conn, agreement_id)

    # Imports

    @contextmanager
    def importing(self, *, ids_in_file: bool) -> Iterator[None]:
        """Inside ``transaction``, for an import: inserts are written in batches (see
        ``relint.store.bulk``); the file may bring ids of its own (``ids_in_file``)."""
        from relint.store.bulk import importing  # only imports need it

        with importing(self.conn, self.actor, ids_in_file=ids_in_file) as bulk:
            self._bulk = bulk
            try:
                yield
            finally:
                self._bulk = None

    # Queries

    @typed_errors
    def ending_between(self, first: date, last: date) -> Iterator[Agreement]:
        """Agreements with a term whose end, or notice deadline, may fall from ``first``
        through ``last``; the caller applies the exact rule."""
        if not self.indexed:  # every agreement, for the caller to judge
            yield from self.agreements()
            return
        yield from queries.ending_between(self.conn, self.columns, first, last)

    @typed_errors
    def alerting(self, as_of: date, until: date, *, back: bool) -> Iterator[Agreement | Alerted]:
        """The agreements ``ending_between`` gives from ``as_of`` through ``until``: those
        whose standing follows from their row as the alert SQL finds each raises
        (``Alerted``; nothing for one that raises none), the others whole, for the caller
        to judge by their rules. ``back``: looking back at a month before this one's."""
        from relint.report import Alerted

        if not self.indexed or as_of > queries.LAST_DAY:
            yield from self.ending_between(as_of, until)
            return
        end = codec.PLAIN_AT + 1  # the columns after those exported
        for row in queries.alerting(self.conn, self.present, as_of, until, back=back):
            values = codec.exported(row)
            if values is None:
                found = records.find(self.conn, self.columns, row[0])
                if found is not None:  # else removed by another process since it was read
                    yield found
            elif row[end + 2] is not None:
                yield Alerted(values, *row[end:])

    @typed_errors
    def search(self, query: str) -> Iterator[Agreement]:
        """Agreements matching every word of ``query`` (as a word or its beginning), best
        first; any text is a valid query."""
        yield from queries.search(self.conn, self.columns, query)

    @typed_errors
    def for_report(self, as_of: date, until: date, *, looking_back: bool) -> Selection:
        """What a report on ``as_of`` (alerting through ``until``) needs."""
        if not self.indexed:  # every agreement, for the report to judge
            from relint.report import Selection

            return Selection([], [], 0, [], 0, [], list(self.agreements()))
        return queries.for_report(self.conn, self.columns, as_of, until, looking_back=looking_back)
