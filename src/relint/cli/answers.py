"""What the commands that read answer: the bodies of ``list``, ``search``, ``expiring``,
``show``, ``kinds``, ``history``, ``report`` and ``export``, free of any framework,
run by the Typer app and the quick start alike (``relint.cli.spec.COMMANDS``). Each
takes the command's ``Session`` and its values, parsed (``relint.cli.spec``), and
returns the exit code.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from relint import i18n
from relint.agreement import FIELDS, Agreement, alerts
from relint.cli.messages import echo, note
from relint.cli.session import Session
from relint.columns import EXPIRING, HISTORY, KINDS, LIST, Columns
from relint.dates import PartialDate
from relint.durations import Window
from relint.errors import DONE, FOUND
from relint.filters import Filters, sorted_records
from relint.i18n import N_, _
from relint.outputs import destination
from relint.render import Format, write_rows, write_values
from relint.store import Registry

if TYPE_CHECKING:  # the report's module, loaded only by what needs it
    from relint.report import Report

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


def list_(session: Session, **options: Any) -> int:
    """List agreements, whatever their status.

    Every agreement is listed unless a filter narrows the list.
    """
    registry = session.registry()  # the options are those of listing, parsed
    listing(registry, registry.agreements(), **options, today=session.today, empty=NO_MATCH)
    return DONE


def search(session: Session, query: str, **options: Any) -> int:
    """Find agreements by the words in their records.

    Searches counterpart, title, party, country, sectors, signatories and notes,
    ignoring case and accents; each word may be the start of a longer one.
    """
    registry = session.registry()
    empty = _("Nothing found for {query!r}.").format(query=query)
    listing(registry, registry.search(query), **options, today=session.today, empty=empty)
    return DONE


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
    session: Session,
    *,
    window: Window,
    as_of: date | None,
    fmt: Format,
    output: Path | None,
    raw: bool,
    exit_code: bool,
    quiet: bool,
) -> int:
    """List what ends or needs notice soon, soonest first.

    An agreement is listed when its end, or its notice deadline (end minus the
    notice days), falls from the as-of date through the end of the window.
    """
    registry = session.registry(quiet=quiet)
    day = as_of or session.today
    last = window.end(day)
    rows = alerted(registry, window, day, session.today)
    empty = _("Nothing ends or needs notice from {day} through {last}.").format(day=day, last=last)
    count = write(rows, fmt, output, registry, empty, EXPIRING, ALERT_FIELDS, raw=raw, quiet=quiet)
    return FOUND if count and exit_code else DONE


# The fields of expiring's JSON and CSV: the listing's, then the alert's.
ALERT_FIELDS = (*FIELDS, "alert", "alert_on")


def alerted(registry: Registry, window: Window, day: date, today: date) -> Iterator[dict[str, Any]]:
    """The records expiring lists on ``day`` (run on ``today``) through the ``window``,
    soonest first: the listing's fields as of ``day``, the alert and its day, and for
    people what the alert says and how the agreement renews."""
    from relint.report import renewal

    found = alerts(registry.ending_between(day, window.end(day)), day, window, today)
    for a in found:
        yield a.agreement.record(day, window) | {
            "alert": a.reason,
            "alert_on": a.on.isoformat(),
            "said": said(a.reason, a.agreement, day),
            "renews": renewal(a.agreement, day),
        }


def monthly(
    registry: Registry, day: date, lookahead: Window, today: date, *, drawn: bool = True
) -> Report:
    """The renewal report from ``day`` (run on ``today``) through the ``lookahead``;
    ``drawn`` for one whose timeline is drawn, which reads every agreement due whole
    (else SQL finds the alerts of those whose standing follows from their row)."""
    from relint.report import make_report

    until = lookahead.end(day)
    back = day < today.replace(day=1)
    selection = registry.for_report(day, until, looking_back=back)
    ending = (
        registry.ending_between(day, until) if drawn else registry.alerting(day, until, back=back)
    )
    return make_report(selection, ending, day, lookahead, today)


def said(reason: str, agreement: Agreement, day: date) -> str:
    """An alert as the table tells it: a tacit agreement renews at its end unless notice
    is given by the deadline; once given, it ends."""
    tacit = agreement.auto_renew and not agreement.noticed(day)
    if reason == "notice":
        return "notice deadline, else it renews" if tacit else "notice deadline"
    if agreement.noticed(day):
        return "end: notice was given"
    return "renews, unless notice was given" if tacit else "end"


def show(
    session: Session, agreement_id: int, *, as_of: date | None, fmt: Format, explain: bool
) -> int:
    """Show one agreement and every term it has run for.

    With --explain, say how each date was reached: the end from the start and the
    duration, each tacit renewal, the notice deadline, what notice, a suspension or
    a termination did, and which default a kind gave.
    """
    from relint.explain import explain as explained
    from relint.render import agreement_json, draw_agreement
    from relint.text import printable

    day = as_of or session.today
    agreement = session.registry().get(agreement_id)
    if fmt is Format.JSON:
        with i18n.english():  # the same bytes for scripts, whatever the language
            reasons = explained(agreement, day) if explain else None
        echo(agreement_json(agreement, day, reasons))
        return DONE
    reasons = explained(agreement, day) if explain else None
    draw_agreement(agreement, day, sys.stdout)
    if reasons is not None:
        echo("\n" + _("How the dates were reached:"))
        for line in reasons:
            echo(printable(f"  {line}"))
    return DONE


def kinds(session: Session, *, fmt: Format) -> int:
    """List the kinds of agreement and their defaults."""
    from relint.kinds import DEFAULTS, ITALIAN, Kind

    rows = (
        {
            "kind": kind.value,
            "italian": ITALIAN[kind],
            "default_duration": None if DEFAULTS[kind].duration is None
            else str(DEFAULTS[kind].duration),
            "renewable": DEFAULTS[kind].renewable,
            "default_renewal": None if DEFAULTS[kind].renewal is None
            else str(DEFAULTS[kind].renewal),
        }
        for kind in Kind
    )  # fmt: skip
    write_rows(rows, fmt, sys.stdout, KINDS, fields=tuple(c.key for c in KINDS))
    return DONE


def history(session: Session, agreement_id: int | None, *, fmt: Format) -> int:
    """Show the audit trail: who changed what, when, and how.

    Every add, edit, renew, terminate, import, remove and restore is recorded
    with the time (UTC), the user, the command and the agreement before and after.
    """
    from relint.render import draw_table
    from relint.writers import write_json

    entries = session.registry().trail(agreement_id)
    if fmt is not Format.TABLE:
        write_json(entries, sys.stdout, lines=fmt is Format.JSONL, fields=TRAIL_FIELDS)
    else:
        rows = [entry | {"changed": ", ".join(changed(entry)) or "-"} for entry in entries]
        if rows:
            draw_table(rows, HISTORY, sys.stdout)
    if not entries:
        note(
            _("No changes recorded.")
            if agreement_id is None
            else _("No changes recorded for {id}.").format(id=agreement_id)
        )
    return DONE


TRAIL_FIELDS = ("id", "at", "user", "command", "action", "agreement_id", "before", "after")


def changed(entry: dict[str, Any]) -> list[str]:
    """The fields an audit entry changed (none for an addition or a removal)."""
    before, after = entry["before"], entry["after"]
    if before is None or after is None:
        return []
    return [key for key in after if before.get(key) != after[key]]


def report(
    session: Session,
    *,
    month: PartialDate | None,
    as_of: date | None,
    lookahead: Window,
    fmt: Format,
    output: Path | None,
    raw: bool,
    quiet: bool,  # it says nothing on stderr but errors anyway
) -> int:
    """Write the monthly renewal report.

    What the office must act on from the first day of the month through the
    look-ahead: what expires or needs notice, what expired with no decision,
    which records are incomplete, and counts by party, kind and status.
    """
    import functools

    from relint.outputs import written
    from relint.report_formats import RENDERERS, as_csv

    current = session.today
    if as_of is not None:
        day = as_of
    else:
        month = month or PartialDate(current.year, current.month)
        day = month.earliest()
    reg = session.registry(quiet=quiet)
    built = monthly(reg, day, lookahead, current, drawn=fmt is Format.HTML)
    month_said = None if as_of is not None else str(month)
    if fmt is Format.XLSX:
        from relint.report_formats import report_workbook

        with written(output, reg.path) as path:
            report_workbook(built, month_said, path, session.now)
        return DONE
    render = RENDERERS[fmt.value] if not raw else functools.partial(as_csv, guarded=False)
    with destination(output, reg.path) as out:  # --raw is for csv alone (spec.REPORT)
        out.write(render(built, month_said))
    return DONE


def export(
    session: Session,
    *,
    fmt: Format,
    output: Path | None,
    raw: bool,
    excel: bool,
    filters: Filters,
    as_of: date | None,
) -> int:
    """Export agreements for spreadsheets, scripts or a calendar.

    Every field of the record, in order, then the termination. In csv and tsv,
    cells a spreadsheet would run as formulas get a leading apostrophe unless
    --raw; a workbook (xlsx) holds them as text.
    """
    from relint.agreement import EXPORT_FIELDS, export_values
    from relint.imports import italian_header
    from relint.outputs import written

    day = as_of or session.today
    reg = session.registry()
    rolled = ((a, a.in_force(day)) for a in reg.agreements())
    chosen = ((a, current) for a, current in rolled if filters.admit(current, day))
    rows: Iterator[tuple[Any, ...]] = (
        reg.exported(day)
        if filters.everything
        else (export_values(a, day, current) for a, current in chosen)
    )
    # For people in a spreadsheet: headings in their language (import reads both).
    header = italian_header(EXPORT_FIELDS) if i18n.language() == "it" else EXPORT_FIELDS
    if fmt is Format.XLSX:
        from relint.workbooks import write_agreements

        with written(output, reg.path) as path:
            write_agreements(
                (dict(zip(EXPORT_FIELDS, values, strict=True)) for values in rows), path,
                keys=EXPORT_FIELDS, headings=header, as_of=day, created=session.now,
                yes_no=i18n.yes_no(),
            )  # fmt: skip
        return DONE
    with destination(output, reg.path, bom=excel) as out:
        if fmt is Format.ICS:
            from relint.ics import calendar

            for piece in calendar((a for a, _ in chosen), session.now, day):
                out.write(piece.decode("utf-8"))
        else:
            delimiter = ";" if excel and fmt is Format.CSV else None
            write_values(
                rows, fmt, out, fields=EXPORT_FIELDS, guarded=not raw, delimiter=delimiter,
                header=header if excel else None, yes_no=i18n.yes_no() if excel else None,
            )  # fmt: skip
    return DONE
