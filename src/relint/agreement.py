"""The agreement record, its terms, and the rules for its end, status and alerts.

Pure: no clock, no storage, no terminal. Every rule that depends on "today"
takes the date as a parameter.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cached_property
from typing import Any, NamedTuple

from relint import renewals
from relint.dates import PartialDate, add_days
from relint.durations import PERMANENT, Duration, Window, end_of_term
from relint.errors import RelintError
from relint.i18n import N_, _
from relint.kinds import DEFAULTS, Kind
from relint.renewals import Stops
from relint.values import (
    DATE,
    DAYS,
    DURATION,
    FLAG,
    ID,
    KIND,
    MAX_NOTICE_DAYS,
    TEXT,
    TEXTS,
    Field,
    Value,
    declared,
    field,
    same,
    to_json,
    unrolled,
)

DEFAULT_WINDOW = Window(days=90)


class Status(StrEnum):
    ACTIVE = "active"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    UNKNOWN = "unknown"
    PERMANENT = "permanent"
    TERMINATED = "terminated"
    SUSPENDED = "suspended"


@dataclass(frozen=True)
class Term:
    """One period in force, from ``start`` through ``end`` (both days included), under
    the act signed on ``signed`` (a tacit renewal runs under the act before it)."""

    signed: PartialDate | None
    start: PartialDate | None
    duration: Duration | None
    end: PartialDate | None
    tacit: bool = False  # a tacit renewal: computed, not recorded


def _plain_terms(terms: tuple[Term, ...]) -> list[dict[str, Any]]:
    return [
        {name: None if (v := getattr(t, name)) is None else str(v) for name in TERM_FIELDS}
        for t in terms
    ]


def _unplain_terms(items: list[dict[str, Any]]) -> tuple[Term, ...]:
    return tuple(
        _term({name: None if item[name] is None else kind.unplain(item[name])
               for name, kind in zip(TERM_FIELDS, _TERM_KINDS, strict=True)})
        for item in items
    )  # fmt: skip


def _term(values: dict[str, Any]) -> Term:
    return Term(**values)


def _read_terms(value: Any) -> tuple[Term, ...]:
    """Earlier terms from a file: a JSON list of objects with the fields of a term, or
    that list as text (a spreadsheet's cell)."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise RelintError(
                _("expected the earlier terms as JSON, as relint exports them")
            ) from None
    try:  # JSON objects, as a file's reader gives them: mappings, or their pairs
        items = [dict(item) for item in value] if isinstance(value, list) else None
    except (TypeError, ValueError):
        items = None
    if items is None:
        raise RelintError(_("expected a list of earlier terms"))
    terms = []
    for item in items:
        given = {name: item.get(name) for name in TERM_FIELDS}
        terms.append(
            _term({name: None if v in (None, "") else kind.read(v)
                   for (name, v), kind in zip(given.items(), _TERM_KINDS, strict=True)})
        )  # fmt: skip
    return tuple(terms)


TERM_FIELDS = ("signed", "start", "duration", "end")  # a term's fields, as the record's
_TERM_KINDS = (DATE, DATE, DURATION, DATE)
TERMS = Value(_plain_terms, _unplain_terms, same, same, _read_terms, same, empty=())


@dataclass(frozen=True)
class Suspension:
    """A time the agreement was suspended: from ``since``, until it was resumed on
    ``until`` (None: still suspended), for ``reason``."""

    since: PartialDate
    until: PartialDate | None
    reason: str

    def covers(self, day: date) -> bool:
        return self.since.earliest() <= day and (self.until is None or day < self.until.earliest())


def _plain_suspensions(suspensions: tuple[Suspension, ...]) -> list[dict[str, Any]]:
    return [
        {"since": str(s.since), "until": None if s.until is None else str(s.until),
         "reason": s.reason}
        for s in suspensions
    ]  # fmt: skip


def _read_suspensions(value: Any) -> tuple[Suspension, ...]:
    """Suspensions from a file or the registry: a JSON list of objects with since,
    until and reason, or that list as text (a spreadsheet's cell, a column)."""
    if value == "[]":  # as nearly every row of the registry holds
        return ()
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise RelintError(
                _("expected the suspensions as JSON, as relint exports them")
            ) from None
    try:
        items = [dict(item) for item in value] if isinstance(value, list) else None
    except (TypeError, ValueError):
        items = None
    if items is None:
        raise RelintError(_("expected a list of suspensions"))
    found = []
    for item in items:
        since, until, reason = item.get("since"), item.get("until"), item.get("reason")
        if since in (None, "") or not isinstance(reason, str) or not reason.strip():
            raise RelintError(_("a suspension needs a date it began (since) and a reason"))
        found.append(
            Suspension(DATE.read(since), None if until in (None, "") else DATE.read(until), reason)
        )
    return tuple(found)


def _stored_suspensions(suspensions: tuple[Suspension, ...]) -> str:
    return to_json(_plain_suspensions(suspensions)) if suspensions else "[]"  # most rows


SUSPENSIONS = Value(
    _plain_suspensions, _read_suspensions, _stored_suspensions, _read_suspensions,
    _read_suspensions, same, empty=(),
)  # fmt: skip


KIND_HELP = N_(
    "twinning, collaboration, protocol, memorandum, pact, declaration, other, or the Italian name."
)
COUNTERPART_HELP = N_("The city, region, state or body abroad.")


@dataclass(frozen=True, kw_only=True)
class Agreement:
    """An agreement as the registry holds it; ``start``, ``duration`` and ``end`` are its
    current term, and ``history`` the earlier terms it was renewed from, oldest first.

    Each field is declared once, here, with how it travels (``relint.values``): the
    registry's columns, the formats' fields in this order, imports and the options of
    ``add`` and ``edit`` follow from it.
    """

    id: int | None = field(ID, default=None, kept=True)
    kind: Kind = field(
        KIND,
        option="--kind",
        help=KIND_HELP,
        metavar="KIND",
        aliases=("tipo", "tipologia"),
        kept=True,
    )
    title: str | None = field(
        TEXT,
        default=None,
        option="--title",
        help="The agreement's title.",
        aliases=("titolo", "oggetto"),
    )
    party: str | None = field(
        TEXT,
        default=None,
        option="--party",
        help="Our side, e.g. Comune di Milano.",
        aliases=("ente", "parte"),
    )
    counterpart: str = field(
        TEXT,
        option="--counterpart",
        help=COUNTERPART_HELP,
        aliases=("controparte", "citta"),
        kept=True,
    )
    country: str | None = field(
        TEXT,
        default=None,
        option="--country",
        help="The counterpart's country.",
        aliases=("paese", "nazione"),
    )
    signed: PartialDate | None = field(
        DATE,
        default=None,
        option="--signed",
        metavar="DATE",
        help="Signing date: 2016-02-15, 15/02/2016, 15 febbraio 2016, 2016.",
        aliases=("firma", "firmato", "data firma", "data di firma"),
    )
    start: PartialDate | None = field(
        DATE,
        default=None,
        option="--start",
        metavar="DATE",
        help="Start date (default: the signing date).",
        aliases=("inizio", "data inizio", "decorrenza"),
    )
    duration: Duration | None = field(
        DURATION,
        default=None,
        option="--duration",
        metavar="DUR",
        help="2y, 18m, 1y6m, biennale, triennial, permanent...",
        aliases=("durata",),
    )
    renewal: Duration | None = field(
        DURATION, default=None, option="--renewal", metavar="DUR",
        help="Length of each term after the first (default: the duration).",
        aliases=("rinnovo", "durata del rinnovo", "periodo di rinnovo"), later=True,
    )  # fmt: skip
    end: PartialDate | None = field(
        DATE,
        default=None,
        option="--end",
        metavar="DATE",
        help="End date (default: start + duration).",
        aliases=("scadenza", "fine", "data scadenza", "data fine"),
    )
    renewable: bool = field(
        FLAG,
        default=False,
        option="--renewable/--not-renewable",
        help="Can be renewed (default: by kind).",
        aliases=("rinnovabile",),
        kept=True,
    )
    auto_renew: bool = field(
        FLAG,
        default=False,
        option="--auto-renew/--no-auto-renew",
        help="Renews tacitly unless notice is given.",
        aliases=("rinnovo tacito", "tacito rinnovo"),
        kept=True,
    )
    notice_days: int | None = field(
        DAYS,
        default=None,
        option="--notice",
        metavar="DAYS",
        help="Days of notice needed before the end.",
        aliases=("preavviso", "giorni di preavviso"),
    )
    sectors: tuple[str, ...] = field(
        TEXTS, default=(), option="--sector", help="A sector (repeatable).", aliases=("settori",)
    )
    signatories: tuple[str, ...] = field(
        TEXTS,
        default=(),
        option="--signatory",
        help="A signatory (repeatable).",
        aliases=("firmatari",),
    )
    source: str | None = field(
        TEXT,
        default=None,
        option="--source",
        help="URL or reference of the text.",
        aliases=("fonte",),
    )
    notes: str | None = field(
        TEXT, default=None, option="--notes", help="Free notes.", aliases=("note",)
    )
    terminated_on: PartialDate | None = field(
        DATE, default=None, aliases=("cessato il",), listed=False
    )
    termination_reason: str | None = field(
        TEXT, default=None, aliases=("motivo cessazione",), listed=False
    )
    notice_given: PartialDate | None = field(
        DATE,
        default=None,
        option="--notice-given",
        metavar="DATE",
        help="Day notice of non-renewal was given (as give-notice; in edit, empty takes it back).",
        aliases=("disdetta", "data disdetta"),
        listed=False,
    )
    notice_reason: str | None = field(
        TEXT,
        default=None,
        option="--notice-reason",
        help="Why notice of non-renewal was given.",
        aliases=("motivo disdetta",),
        listed=False,
    )
    suspensions: tuple[Suspension, ...] = field(
        SUSPENSIONS, default=(), aliases=("sospensioni",), listed=False
    )
    history: tuple[Term, ...] = field(
        TERMS, default=(), aliases=("termini precedenti",), listed=False, column=False
    )
    # How many of its terms are tacit renewals, the current one included (see in_force):
    # computed for a day, never stored.
    tacit: int = 0

    @property
    def term(self) -> Term:
        return Term(self.signed, self.start, self.duration, self.end, self.tacit > 0)

    @property
    def terms(self) -> tuple[Term, ...]:
        """Every term, oldest first, the current one last: the recorded ones, then the
        tacit renewals up to the current one (see ``in_force``)."""
        if self.tacit <= 1:  # the current term is the only tacit one, if any
            return (*self.history, self.term)
        last = self.history[-1]
        period = self.duration
        first = last.end.full if last.end else None
        assert first is not None, "a tacit renewal follows a term with a dated end"
        assert period is not None, "a tacit renewal has a length"
        assert period.months is not None, "a tacit renewal has a length"
        ends = [renewals.nth_end(first, period.months, n) for n in range(self.tacit)]
        tacit = (
            Term(last.signed, PartialDate.of(start), period, PartialDate.of(end), True)
            for start, end in itertools.pairwise(ends)
        )
        return (*self.history, *tacit, self.term)

    def known_on(self, day: date) -> Agreement:
        """The agreement as its records stood on ``day``.

        A renewal with an act of its own counts from the signing of that act; a
        renewal without one (tacit, or not recorded) counts from its start. Until
        then, the term before it is the one that counts.
        """
        if not self.history:
            return self
        terms = self.terms
        for index in range(len(terms) - 1, 0, -1):
            since = _counts_from(terms[index], terms[index - 1])
            if since is None or since <= day:
                return self if index == len(terms) - 1 else self._at(index)
        return self._at(0) if self.history else self

    @property
    def counts_from(self) -> date | None:
        """The day from which the current term counts (see ``known_on``); None for a first
        term, or a renewal with no date to count from."""
        return _counts_from(self.term, self.history[-1]) if self.history else None

    @property
    def number(self) -> int:
        """The number of the current term, 1 for the first."""
        return len(self.history) + max(self.tacit, 1)

    def noticed(self, day: date) -> bool:
        """Whether notice of non-renewal had been given by ``day``."""
        return self.notice_given is not None and self.notice_given.earliest() <= day

    @property
    def renewal_period(self) -> Duration | None:
        """The length of each term after the first: the renewal, else the duration, else
        (a term given by its end) the kind's default renewal."""
        return self.renewal or self.duration or DEFAULTS[self.kind].renewal

    def in_force(self, day: date) -> Agreement:
        """The agreement as it stands on ``day``: as its records stood then (``known_on``)
        and, when it renews itself, with the tacit term in force then (or the last one,
        once it stopped renewing) as its current term, the recorded ones as its history."""
        known = self.known_on(day)
        end = known.end.full if known.end else None
        if not known.auto_renew or end is None or end >= day:
            return known
        period = known.renewal_period
        if period is None or period.months is None:
            # Renewed for a length not known (an end with no duration to repeat), or for
            # good: the tacit term has no end to give, unless notice in time ended it.
            if known.noticed(add_days(end, -(known.notice_days or 0))):
                return known
            return _replaced(
                known, start=known.end, duration=period, end=None,
                history=(*known.history, known.term), tacit=1,
            )  # fmt: skip
        stops = Stops(
            notice_days=known.notice_days,
            notice_given=known.notice_given.earliest() if known.notice_given else None,
            terminated_on=known.terminated_on.earliest() if known.terminated_on else None,
            suspended=tuple(
                (s.since.earliest(), None if s.until is None else s.until.earliest())
                for s in known.suspensions
            ),
        )
        n = renewals.in_force(end, period.months, day, stops)
        if n == 0:
            return known
        return _replaced(
            known,
            start=PartialDate.of(renewals.nth_end(end, period.months, n - 1)),
            duration=period,
            end=PartialDate.of(renewals.nth_end(end, period.months, n)),
            history=(*known.history, known.term),
            tacit=n,
        )

    def _at(self, index: int) -> Agreement:
        term = self.terms[index]
        return dataclasses.replace(
            self,
            signed=term.signed,
            start=term.start,
            duration=term.duration,
            end=term.end,
            history=self.history[:index],
        )

    @property
    def notice_deadline(self) -> date | None:
        """The last day to give notice before the end, when a notice period is set."""
        end = self.end.full if self.end else None
        if end is None or self.notice_days is None:
            return None
        return add_days(end, -self.notice_days)

    def exists_on(self, day: date) -> bool:
        """Whether the agreement had been signed (or had started) by ``day``, as far as its
        first term's dates tell."""
        first = self.terms[0]
        since = first.signed or first.start
        return since is None or since.earliest() <= day

    def on_record(self, as_of: date, today: date) -> bool:
        """Whether the agreement belongs in a view as of ``as_of``: always, from
        ``today``'s month on; looking back at an earlier month, only if it had been
        signed by then."""
        return as_of >= today.replace(day=1) or self.exists_on(as_of)

    def days_left(self, as_of: date) -> int | None:
        """Days from ``as_of`` to the end (negative once past), or None with no dated end."""
        end = self.end.full if self.end else None
        return None if end is None else (end - as_of).days

    def status(self, as_of: date, window: Window = DEFAULT_WINDOW) -> Status:
        """Where the agreement stands on ``as_of``, alerting ``window`` ahead of the end."""
        if self.terminated_on is not None and self.terminated_on.earliest() <= as_of:
            return Status.TERMINATED
        if any(suspension.covers(as_of) for suspension in self.suspensions):
            return Status.SUSPENDED
        if self.duration is not None and self.duration.permanent:
            return Status.PERMANENT
        end = self.end.full if self.end else None
        if end is None:
            return Status.UNKNOWN
        if end < as_of:
            return Status.EXPIRED
        if end <= window.end(as_of):
            return Status.EXPIRING
        return Status.ACTIVE

    def record(self, as_of: date, window: Window = DEFAULT_WINDOW) -> dict[str, Any]:
        """The agreement as the listings carry it: ``FIELDS``, in order, as plain values."""
        return _record(self, as_of, window)

    @property
    def last_notice_day(self) -> date | None:
        """The last day notice of non-renewal takes effect at the end: the notice
        deadline, or the end itself when there is no notice period; None with no end
        known to the day."""
        end = self.end.full if self.end else None
        return None if end is None else add_days(end, -(self.notice_days or 0))

    def last_notice_day_text(self) -> str | None:
        deadline = self.last_notice_day
        return None if deadline is None else deadline.isoformat()

    @property
    def listed_renewal(self) -> str | None:
        """The renewal period, as the listings show it: of an agreement that can renew,
        the one that applies (see ``renewal_period``); else the one recorded, if any."""
        period = self.renewal_period if self.renewable or self.auto_renew else self.renewal
        return None if period is None else str(period)


def _replaced(agreement: Agreement, **changes: Any) -> Agreement:
    """``dataclasses.replace``, in a tenth of the time (no checks run on an Agreement)."""
    replaced = object.__new__(Agreement)
    replaced.__dict__.update(agreement.__dict__, **changes)
    return replaced


def _counts_from(term: Term, before: Term) -> date | None:
    """The day from which a renewal ``term`` counts: the signing of an act of its own,
    else its start (see ``Agreement.known_on``)."""
    own_act = term.signed is not None and term.signed != before.signed
    since = term.signed if own_act else term.start
    return None if since is None else since.earliest()


class Fields:
    """Some of the record's fields, and their values as plain values (``plain``)."""

    def __init__(self, fields: Iterable[Field]) -> None:
        self.fields = tuple(fields)
        self.names = tuple(f.name for f in self.fields)

    @cached_property  # made on first use: a command that reads no agreement never needs it
    def plain(self) -> Callable[[Agreement], dict[str, Any]]:
        """The values of these fields of an agreement, as JSON and CSV carry them."""
        return unrolled(
            "plain(a)", self.fields, lambda value: value.plain, "a.{name}",
            lambda values: "{" + ", ".join(f"{name!r}: {value}" for name, value in values) + "}",
        )  # fmt: skip


RECORD = declared(Agreement)  # every field of the record, as declared
EVERY = Fields(RECORD)
UNLISTED = Fields(f for f in RECORD if not f.spec.listed)
# What a record's dates give as of a day, and where the listings carry it: the status
# and the days left after the fields listed first, the term and its notice deadline
# after those listed later.
COMPUTED = {
    "status": "a.status(as_of, window).value",
    "days_left": "a.days_left(as_of)",
    "term": "a.number",
    "notice_deadline": "a.last_notice_day_text()",
}
# Recorded fields the listings show as they apply: the renewal period, where the record
# holds none (exports carry the record's own).
APPLIED = {"renewal": "a.listed_renewal"}
_LISTED: tuple[Field | str, ...] = (
    *(f for f in RECORD if f.spec.listed and not f.spec.later), "status", "days_left",
    *(f for f in RECORD if f.spec.listed and f.spec.later), "term", "notice_deadline",
)  # fmt: skip


def _listing(values: list[tuple[str, str]]) -> str:
    """The source of a listing's record: each field's value, or what it computes."""
    given = dict(values)
    return (
        "{"
        + ", ".join(
            f"{name!r}: {APPLIED.get(name) or given.get(name) or COMPUTED[name]}" for name in FIELDS
        )
        + "}"
    )


# The fields of the listings' JSON and CSV formats, in their order; exports add the rest.
FIELDS = tuple(f.name if isinstance(f, Field) else f for f in _LISTED)
EXPORT_FIELDS = (*FIELDS, *UNLISTED.names)
_record: Callable[[Agreement, date, Window], dict[str, Any]] = unrolled(
    "record(a, as_of, window)", [f for f in _LISTED if isinstance(f, Field)],
    lambda value: value.plain, "a.{name}", _listing,
)  # fmt: skip
# What a new agreement must be given (messages name them in this order).
NEEDED = tuple(sorted(f.name for f in RECORD if f.required))


# What the record notes beside its terms: its termination.
NOTED = Fields(f for f in RECORD if not f.spec.listed and f.value is not TERMS)
_RECORDED_TERM = Fields(f for f in RECORD if f.name in TERM_FIELDS)


def export_record(
    agreement: Agreement, as_of: date, rolled: Agreement | None = None
) -> dict[str, Any]:
    """``EXPORT_FIELDS`` of ``agreement`` as its records stood on ``as_of``: its recorded
    term and earlier terms (not the tacit ones, which follow from them), so that an
    import of the export gives back the same record; the computed fields are those of
    the term in force (``rolled``: ``agreement.in_force(as_of)``, when known)."""
    known = agreement.known_on(as_of)
    rolled = rolled or known.in_force(as_of)
    recorded = _RECORDED_TERM.plain(known) if rolled.tacit else {}
    renewal = {"renewal": None if known.renewal is None else str(known.renewal)}
    return rolled.record(as_of) | recorded | renewal | UNLISTED.plain(known)


def export_values(
    agreement: Agreement, as_of: date, rolled: Agreement | None = None
) -> tuple[Any, ...]:
    """``export_record``'s values, in the order of ``EXPORT_FIELDS``."""
    record = export_record(agreement, as_of, rolled)
    return tuple(map(record.__getitem__, EXPORT_FIELDS))


def resolve_term(
    kind: Kind,
    signed: PartialDate | None,
    start: PartialDate | None = None,
    duration: Duration | None = None,
    end: PartialDate | None = None,
) -> Term:
    """The term an agreement is in force for, from what its record states.

    The start defaults to the signing date. An explicit end wins; otherwise the
    end is the start plus the duration, which defaults to the kind's (biennial
    for a collaboration, permanent for a twinning).
    """
    start = start or signed
    if duration is None and end is None:
        duration = DEFAULTS[kind].duration
    if end is not None:
        if duration is not None and duration.permanent:
            raise RelintError(_("a permanent agreement has no end: give a duration or an end"))
        if start is not None and end.latest() < start.earliest():
            raise RelintError(
                _("the end {end} is before the start {start}").format(end=end, start=start)
            )
        return Term(signed, start, duration, end)
    computed = end_of_term(start, duration) if start and duration else None
    return Term(signed, start, duration, computed)


def new_agreement(kind: Kind, counterpart: str, **fields: Any) -> Agreement:
    """An agreement from what staff state, with its term resolved and kind defaults applied."""
    if fields.get("auto_renew"):
        _check_renews(fields.get("renewable", True))
        fields["renewable"] = True
    fields.setdefault("renewable", DEFAULTS[kind].renewable)
    term = resolve_term(
        kind,
        fields.get("signed"),
        fields.pop("start", None),
        fields.pop("duration", None),
        fields.pop("end", None),
    )
    _check_counterpart(counterpart)
    _check_notice(fields.get("notice_days"))
    agreement = Agreement(
        kind=kind,
        counterpart=counterpart,
        start=term.start,
        duration=term.duration,
        end=term.end,
        **fields,
    )
    if agreement.notice_given is not None:
        _check_notice_given(agreement, agreement.notice_given)
    return agreement


def revise(agreement: Agreement, **changes: Any) -> Agreement:
    """``agreement`` with ``changes`` applied, its current term resolved again.

    What followed another value keeps following it: a start that was the signing
    date moves with it, and an end that was computed is computed again. A stated
    end stays, unless the change states a new end or a new duration.
    """
    old = agreement
    kind: Kind = changes.get("kind", old.kind)
    signed = changes.get("signed", old.signed)
    start = changes["start"] if "start" in changes else _following(old.start, old.signed, signed)
    duration = changes.get("duration", old.duration)
    if "duration" not in changes and old.kind is Kind.TWINNING and duration == PERMANENT:
        duration = DEFAULTS[kind].duration  # permanence came with being a twinning
    computed_before = end_of_term(old.start, old.duration) if old.start and old.duration else None
    if changes.get("end") is not None and "duration" not in changes and duration == PERMANENT:
        duration = None  # a new end is the "told otherwise" that ends a permanent agreement
    if "end" in changes:
        end = changes["end"]
    elif old.end == computed_before or changes.get("duration") is not None:
        end = None
    else:
        end = old.end
    term = resolve_term(kind, signed, start, duration, end)
    _check_counterpart(changes.get("counterpart", old.counterpart))
    _check_notice(changes.get("notice_days", old.notice_days))
    rest = {k: v for k, v in changes.items() if k not in {"start", "duration", "end"}}
    if "notice_given" in rest and rest["notice_given"] is None:
        rest.setdefault("notice_reason", None)  # notice taken back, with its reason
    if rest.get("auto_renew", old.auto_renew):
        _check_renews(rest.get("renewable", True))
        rest["renewable"] = True
    revised = dataclasses.replace(
        old, **rest, start=term.start, duration=term.duration, end=term.end
    )
    if revised.terminated_on is not None:
        _check_termination(revised, revised.terminated_on)
    if revised.notice_given is not None:
        _check_notice_given(revised, revised.notice_given)
    return revised


def _following(value: Any, followed_before: Any, followed_now: Any) -> Any:
    return followed_now if value == followed_before else value


def renew(
    agreement: Agreement,
    start: PartialDate | None = None,
    duration: Duration | None = None,
    end: PartialDate | None = None,
    signed: PartialDate | None = None,
) -> Agreement:
    """``agreement`` with a new term, the current one kept in its history.

    The new term starts at the old end, unless told otherwise, and runs for the
    renewal period (see ``renewal_period``), or the duration given, or to the end given.
    """
    name = _("agreement {id}").format(id=agreement.id)
    if agreement.terminated_on is not None:
        raise RelintError(
            _("{name} was terminated on {terminated_on}").format(
                name=name, terminated_on=agreement.terminated_on
            )
        )
    if agreement.duration is not None and agreement.duration.permanent and end is None:
        raise RelintError(
            _(
                "{name} is permanent: it runs with no end to renew from (give --end to end it)"
            ).format(name=name)
        )
    if start is None:
        if agreement.end is None or agreement.end.full is None:
            raise RelintError(
                _("{name} has no end known to the day to renew from: give --start").format(
                    name=name
                )
            )
        start = agreement.end
    elif agreement.start is not None and start.latest() < agreement.start.earliest():
        raise RelintError(
            _("a renewal cannot start on {start}, before the current term's start {start2}").format(
                start=start, start2=agreement.start
            )
        )
    if signed is not None and agreement.signed and signed.latest() < agreement.signed.earliest():
        raise RelintError(
            _(
                "a renewal act signed on {signed} would precede the act it renews ({signed2})"
            ).format(signed=signed, signed2=agreement.signed)
        )
    if duration is not None and duration.permanent:
        raise RelintError(_("a renewed term needs a length: give a duration in months or years"))
    if end is None:
        duration = duration or agreement.renewal_period
        if duration is None or duration.permanent:
            raise RelintError(
                _("{name} has no duration to renew for: give --duration or --end").format(name=name)
            )
    term = resolve_term(agreement.kind, signed or agreement.signed, start, duration, end)
    return dataclasses.replace(
        agreement,
        signed=term.signed,
        start=term.start,
        duration=term.duration,
        end=term.end,
        history=(*agreement.history, agreement.term),
    )


def terminate(agreement: Agreement, on: PartialDate, reason: str) -> Agreement:
    """``agreement`` ended on purpose on ``on`` for ``reason``."""
    if agreement.terminated_on is not None:
        raise RelintError(
            _("agreement {id} was already terminated on {terminated_on}").format(
                id=agreement.id, terminated_on=agreement.terminated_on
            )
        )
    if not reason.strip():
        raise RelintError(_("give the reason for the termination"))
    _check_termination(agreement, on)
    return dataclasses.replace(agreement, terminated_on=on, termination_reason=reason)


def give_notice(agreement: Agreement, on: PartialDate, reason: str | None) -> Agreement:
    """``agreement`` with notice given on ``on`` that it will not renew."""
    _check_notice_given(agreement, on)
    if reason is not None and not reason.strip():
        reason = None
    return dataclasses.replace(agreement, notice_given=on, notice_reason=reason)


def _check_notice_given(agreement: Agreement, on: PartialDate) -> None:
    if on.full is None:
        raise RelintError(_("notice is given on a day: give the full date, not {on}").format(on=on))
    first = agreement.terms[0].start or agreement.terms[0].signed
    if first is not None and on.latest() < first.earliest():
        name = (
            _("the agreement")
            if agreement.id is None
            else _("agreement {id}").format(id=agreement.id)
        )
        raise RelintError(
            _("notice on {on} would come before {name} began ({first})").format(
                on=on, name=name, first=first
            )
        )


def withdraw_notice(agreement: Agreement) -> Agreement:
    """``agreement`` without the notice given on it."""
    if agreement.notice_given is None:
        raise RelintError(
            _("agreement {id} has no notice given to withdraw").format(id=agreement.id)
        )
    return dataclasses.replace(agreement, notice_given=None, notice_reason=None)


def suspend(agreement: Agreement, on: PartialDate, reason: str) -> Agreement:
    """``agreement`` suspended from ``on`` for ``reason``, until resumed."""
    if on.full is None:
        raise RelintError(
            _("a suspension begins on a day: give the full date, not {on}").format(on=on)
        )
    if not reason.strip():
        raise RelintError(_("give the reason for the suspension"))
    last = agreement.suspensions[-1] if agreement.suspensions else None
    if last is not None and last.until is None:
        raise RelintError(
            _("agreement {id} is suspended since {since}").format(id=agreement.id, since=last.since)
        )
    if last is not None and last.until is not None and on.earliest() < last.until.earliest():
        raise RelintError(
            _("a new suspension cannot begin before the last ended ({until})").format(
                until=last.until
            )
        )
    return dataclasses.replace(
        agreement, suspensions=(*agreement.suspensions, Suspension(on, None, reason))
    )


def resume(agreement: Agreement, on: PartialDate) -> Agreement:
    """``agreement`` resumed on ``on`` from its suspension."""
    last = agreement.suspensions[-1] if agreement.suspensions else None
    if last is None or last.until is not None:
        raise RelintError(_("agreement {id} is not suspended").format(id=agreement.id))
    if on.full is None:
        raise RelintError(
            _("an agreement resumes on a day: give the full date, not {on}").format(on=on)
        )
    if on.earliest() <= last.since.earliest():
        raise RelintError(
            _("it cannot resume on {on}: it was suspended on {since}").format(
                on=on, since=last.since
            )
        )
    resumed = dataclasses.replace(last, until=on)
    return dataclasses.replace(agreement, suspensions=(*agreement.suspensions[:-1], resumed))


def with_termination(agreement: Agreement, on: PartialDate | None, reason: str | None) -> Agreement:
    """``agreement`` with its termination as a file states it: both a date and a
    reason, or neither (no termination)."""
    if (on is None) != (reason is None):
        raise RelintError(_("a termination needs both a date and a reason"))
    if on is not None:
        _check_termination(agreement, on)
    return dataclasses.replace(agreement, terminated_on=on, termination_reason=reason)


def _check_termination(agreement: Agreement, on: PartialDate) -> None:
    """A termination falls within the term it ends (a tacit one included)."""
    agreement = dataclasses.replace(agreement, terminated_on=None).in_force(on.earliest())
    if agreement.start is not None and on.latest() < agreement.start.earliest():
        raise RelintError(
            _("the termination {on} is before the start {start}").format(
                on=on, start=agreement.start
            )
        )
    if agreement.end is not None and on.earliest() > agreement.end.latest():
        raise RelintError(
            _("the termination {on} is after the end {end}").format(on=on, end=agreement.end)
        )


def _check_renews(renewable: bool) -> None:
    """An agreement that renews itself is renewable."""
    if not renewable:
        raise RelintError(
            _(
                "an agreement that renews itself (--auto-renew) is renewable: "
                "--not-renewable contradicts it"
            )
        )


def _check_counterpart(counterpart: str) -> None:
    if not any(char.isalnum() for char in counterpart):
        raise RelintError(
            _("the counterpart needs a name, not {counterpart!r}").format(counterpart=counterpart)
        )


def _check_notice(notice_days: int | None) -> None:
    if notice_days is not None and not 0 <= notice_days <= MAX_NOTICE_DAYS:
        raise RelintError(
            _("the notice must be 0 to {MAX_NOTICE_DAYS} days, not {notice_days}").format(
                MAX_NOTICE_DAYS=MAX_NOTICE_DAYS, notice_days=notice_days
            )
        )


# A named tuple, not a dataclass: made ten times faster, as every command starts.
class Alert(NamedTuple):
    """An agreement that needs attention on ``on``: its notice deadline or its end."""

    agreement: Agreement
    on: date
    reason: str  # "notice" or "end"


def alerts(
    agreements: Iterable[Agreement], as_of: date, window: Window, today: date
) -> list[Alert]:
    """The agreements whose end or notice deadline falls from ``as_of`` through the end of
    ``window`` (both days included), soonest first.

    Expired, permanent, unknown and terminated agreements raise no alert, nor, looking
    back at a month before ``today``'s, do those not yet signed on ``as_of``. Where
    both dates fall in the window, the earlier (the notice deadline) is the one shown.
    """
    last = window.end(as_of)
    found = []
    for agreement in (a.in_force(as_of) for a in agreements if a.on_record(as_of, today)):
        if agreement.status(as_of, window) not in (Status.ACTIVE, Status.EXPIRING):
            continue
        end = agreement.end.full if agreement.end else None
        assert end is not None
        deadline = agreement.notice_deadline
        if deadline is not None and as_of <= deadline <= last and not agreement.noticed(as_of):
            found.append(Alert(agreement, deadline, "notice"))
        elif end <= last:
            found.append(Alert(agreement, end, "end"))
    found.sort(key=lambda alert: (alert.on, alert.agreement.id or 0))
    return found
