"""What the listing commands answer: the bodies of ``list``, ``search`` and
``expiring``, free of any framework, run by the Typer commands and the quick start
alike. They take typed values (``relint.cli.spec``) and the day the command runs."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from relint.agreement import FIELDS, Agreement, alerts
from relint.cli.messages import note
from relint.columns import EXPIRING, LIST, Columns
from relint.durations import Window
from relint.filters import Filters, sorted_records
from relint.i18n import N_, _
from relint.outputs import destination
from relint.render import Format, write_rows
from relint.report import Report, make_report, renewal
from relint.store import Registry

NO_MATCH = N_("No agreements match.")


def write(
    rows: Iterable[dict[str, Any]],
    fmt: Format,
    to: Path | None,
    registry: Registry,
    empty: str,
    columns: Columns = LIST,
    fields: tuple[str, ...] = FIELDS,
    *,
    raw: bool = False,
    quiet: bool = False,
) -> int:
    """Write ``rows`` in ``fmt`` to stdout, or to the file ``to`` (whole or not at all,
    never over the ``registry``), CSV cells guarded against formulas unless ``raw``; say
    on stderr when there are none, unless ``quiet``. Return how many were written."""
    if to is None:
        count = write_rows(rows, fmt, sys.stdout, columns, fields=fields, guarded=not raw)
    else:
        with destination(to, registry.path) as out:
            count = write_rows(rows, fmt, out, columns, fields=fields, guarded=not raw)
    if count == 0 and not quiet:
        note(_(empty))  # a message marked, translated here
    return count


def listing(
    registry: Registry,
    agreements: Iterator[Agreement],
    *,
    filters: Filters,
    as_of: date | None,
    order: tuple[str, bool] | None,
    fmt: Format,
    output: Path | None,
    raw: bool,
    today: date,
    empty: str,
) -> int:
    """The body of list and search: ``agreements`` of ``registry`` as known on the as-of
    date (else ``today``), filtered and sorted; return how many were written."""
    day = as_of or today
    known = (a.in_force(day) for a in agreements)
    rows = (a.record(day) for a in known if filters.admit(a, day))
    ordered = sorted_records(rows, *order) if order else rows
    return write(ordered, fmt, output, registry, empty, raw=raw)


def expiring(
    registry: Registry,
    *,
    window: Window,
    as_of: date | None,
    fmt: Format,
    output: Path | None,
    today: date,
    raw: bool = False,
    quiet: bool = False,
) -> int:
    """The body of expiring: write the alerts from the as-of date (else ``today``)
    through the ``window``; return how many. ``quiet``: say nothing when there are none."""
    day = as_of or today
    last = window.end(day)
    rows = alerted(registry, window, day, today)
    empty = _("Nothing ends or needs notice from {day} through {last}.").format(day=day, last=last)
    return write(rows, fmt, output, registry, empty, EXPIRING, ALERT_FIELDS, raw=raw, quiet=quiet)


# The fields of expiring's JSON and CSV: the listing's, then the alert's.
ALERT_FIELDS = (*FIELDS, "alert", "alert_on")


def alerted(registry: Registry, window: Window, day: date, today: date) -> Iterator[dict[str, Any]]:
    """The records expiring lists on ``day`` (run on ``today``) through the ``window``,
    soonest first: the listing's fields as of ``day``, the alert and its day, and for
    people what the alert says and how the agreement renews."""
    found = alerts(registry.ending_between(day, window.end(day)), day, window, today)
    for a in found:
        yield a.agreement.record(day, window) | {
            "alert": a.reason,
            "alert_on": a.on.isoformat(),
            "said": said(a.reason, a.agreement, day),
            "renews": renewal(a.agreement, day),
        }


def monthly(registry: Registry, day: date, lookahead: Window, today: date) -> Report:
    """The renewal report from ``day`` (run on ``today``) through the ``lookahead``."""
    until = lookahead.end(day)
    selection = registry.for_report(day, until, looking_back=day < today.replace(day=1))
    return make_report(selection, registry.ending_between(day, until), day, lookahead, today)


def said(reason: str, agreement: Agreement, day: date) -> str:
    """An alert as the table tells it: a tacit agreement renews at its end unless notice
    is given by the deadline; once given, it ends."""
    tacit = agreement.auto_renew and not agreement.noticed(day)
    if reason == "notice":
        return "notice deadline, else it renews" if tacit else "notice deadline"
    if agreement.noticed(day):
        return "end: notice was given"
    return "renews, unless notice was given" if tacit else "end"
