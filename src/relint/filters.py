"""Which agreements a listing shows, and in what order."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, NamedTuple

from relint.agreement import DEFAULT_WINDOW, FIELDS, Agreement, Status
from relint.durations import Window, parse_duration
from relint.errors import RelintError
from relint.i18n import _
from relint.kinds import Kind
from relint.text import fold, suggested

# Statuses as staff write them, in Italian (either gender: "accordo", "convenzione").
ITALIAN_STATUSES = {
    "attivo": Status.ACTIVE, "attiva": Status.ACTIVE,
    "in scadenza": Status.EXPIRING,
    "scaduto": Status.EXPIRED, "scaduta": Status.EXPIRED,
    "sconosciuto": Status.UNKNOWN, "sconosciuta": Status.UNKNOWN,
    "permanente": Status.PERMANENT,
    "cessato": Status.TERMINATED, "cessata": Status.TERMINATED,
    "sospeso": Status.SUSPENDED, "sospesa": Status.SUSPENDED,
}  # fmt: skip
_STATUSES = {status.value: status for status in Status} | ITALIAN_STATUSES

# Fields to sort by, by their Italian names (the table's headings).
ITALIAN_FIELDS = {
    "tipo": "kind", "titolo": "title", "ente": "party", "controparte": "counterpart",
    "paese": "country", "firma": "signed", "inizio": "start", "durata": "duration",
    "scadenza": "end", "rinnovabile": "renewable", "rinnovo tacito": "auto_renew",
    "preavviso": "notice_days", "settori": "sectors", "firmatari": "signatories",
    "fonte": "source", "note": "notes", "stato": "status", "giorni": "days_left",
    "rinnovo": "renewal", "periodo": "term", "preavviso entro": "notice_deadline",
}  # fmt: skip


def parse_status(text: str) -> Status:
    """A status by its English or Italian name: ``expired``, ``scaduto``."""
    key = " ".join(fold(text).split())
    if key in _STATUSES:
        return _STATUSES[key]
    accepted = ", ".join(f"{s.value} ({_italian(s)})" for s in Status)
    raise RelintError(
        _("unknown status {text!r}{STATUSES}; use one of: {accepted}").format(
            text=text, STATUSES=suggested(key, _STATUSES), accepted=accepted
        )
    )


def _italian(status: Status) -> str:
    return next(name for name, s in ITALIAN_STATUSES.items() if s is status)


# A named tuple, not a dataclass: made ten times faster, as every command starts.
class Filters(NamedTuple):
    """What narrows a listing: every filter given must hold (values of one filter are
    alternatives). Text filters match part of the field, ignoring case and accents."""

    kinds: tuple[Kind, ...] = ()
    statuses: tuple[Status, ...] = ()
    party: str | None = None
    country: str | None = None
    sector: str | None = None

    @property
    def everything(self) -> bool:
        """Whether no filter is given: every agreement is admitted."""
        return self == Filters()

    def admit(self, agreement: Agreement, as_of: date, window: Window = DEFAULT_WINDOW) -> bool:
        if self.kinds and agreement.kind not in self.kinds:
            return False
        if self.statuses and agreement.status(as_of, window) not in self.statuses:
            return False
        if self.party is not None and not _contains(agreement.party, self.party):
            return False
        if self.country is not None and not _contains(agreement.country, self.country):
            return False
        return self.sector is None or any(_contains(s, self.sector) for s in agreement.sectors)


def _contains(value: str | None, wanted: str) -> bool:
    return value is not None and fold(wanted) in fold(value)


def parse_sort(text: str) -> tuple[str, bool]:
    """A field to sort by and whether descending (a leading ``-``): ``end``, ``-days_left``."""
    field = " ".join(fold(text).split())
    descending = field.startswith("-")
    field = field.removeprefix("-")
    field = ITALIAN_FIELDS.get(field, field)
    if field not in FIELDS:
        hint = suggested(field, [*FIELDS, *ITALIAN_FIELDS])
        raise RelintError(
            _("cannot sort by {text!r}{hint}; use one of: {FIELDS}").format(
                text=text, hint=hint, FIELDS=", ".join(FIELDS)
            )
        )
    return field, descending


def sorted_records(
    records: Iterable[dict[str, Any]], field: str, descending: bool = False
) -> list[dict[str, Any]]:
    """``records`` ordered by ``field`` (ties by id); records without a value come last."""
    present: list[dict[str, Any]] = []
    absent: list[dict[str, Any]] = []
    for record in records:
        (absent if record[field] in (None, []) else present).append(record)
    present.sort(key=lambda r: r["id"])
    present.sort(key=lambda r: _key(field, r[field]), reverse=descending)
    absent.sort(key=lambda r: r["id"])
    return present + absent


def _key(field: str, value: Any) -> Any:
    if field in ("duration", "renewal"):  # by length; permanent is the longest
        months = parse_duration(value).months
        return float("inf") if months is None else months
    if isinstance(value, str):
        return fold(value)
    if isinstance(value, list):
        return [fold(item) for item in value]
    return value
