"""The parts of the command line that need no command-line framework: messages, errors,
the registry a command opens, and the bodies of the everyday listing commands.

Typer is imported only by the modules that declare commands, so that ``relint.cli.fast``
can run ``list`` and ``expiring`` without it (see there).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from relint import clock
from relint.agreement import Agreement, alerts
from relint.dates import parse_date
from relint.durations import parse_window
from relint.errors import RelintError
from relint.kinds import parse_kind
from relint.listing import Filters, parse_sort, parse_status, sorted_records
from relint.render import LIST_COLUMNS, Column, Format, write_rows
from relint.store import Registry, open_registry
from relint.text import printable


def _shipped_registry() -> Path:
    """The sample registry shipped with relint: ``data/registry.db`` of the source
    checkout relint runs from, else the copy built into the installed package."""
    checkout = Path(__file__).resolve().parents[3] / "data" / "registry.db"
    if checkout.is_file():
        return checkout
    from importlib.resources import files

    return Path(str(files("relint").joinpath("data", "registry.db")))


SHIPPED_REGISTRY = _shipped_registry()


def refuse_samples(action: str) -> RelintError:
    """The error for a command that would change the shipped samples, which the next
    update of relint replaces: the office's own registry is a file of its own."""
    return RelintError(
        f"relint {action} would change the sample registry shipped with relint "
        f"({SHIPPED_REGISTRY}), which the next update replaces: make the office's own with "
        "relint --db PATH init (or a copy of the samples: relint backup PATH), then give "
        "it with --db PATH or RELINT_DB=PATH"
    )


def note(message: str) -> None:
    """A message for people, on stderr, where it never mixes with data."""
    sys.stderr.write(printable(message) + "\n")
    sys.stderr.flush()


def say(line: str) -> None:
    """Write ``line`` on stderr if it can be written: an error about an error that
    nobody can read must not hide the first one, nor its exit code."""
    try:
        sys.stderr.write(line + "\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


def error_line(message: str) -> str:
    """``message`` (as ``explained`` gives it) as relint's error line."""
    return "Error: " + message


def explained(error: BaseException) -> tuple[str, int] | None:
    """What to tell the user of an error they can act on, and the exit code; None for
    an error that is relint's own fault. The message is one line, its text escaped
    (a path or a value may hold a line break), then a line for each detail."""
    told = _explained(error)
    if told is None:
        return None
    message, code = told
    details = error.details if isinstance(error, RelintError) else ()
    return "".join([printable(message), *("\n" + printable(d) for d in details)]), code


def _explained(error: BaseException) -> tuple[str, int] | None:
    text = str(error)
    if isinstance(error, RelintError):
        return text, error.exit_code
    if isinstance(error, OSError):
        return f"cannot write the output: {error}", 1
    if isinstance(error, UnicodeEncodeError):
        return f"cannot write the output in {error.encoding}: {error.reason}", 1
    return None


def unexpected(error: BaseException) -> str:
    """The one line for an error that is relint's fault: no traceback, no values, which
    could show agreement data."""
    where = error.__traceback__
    while where is not None and where.tb_next is not None:
        where = where.tb_next
    place = ""
    if where is not None:
        place = f" at {Path(where.tb_frame.f_code.co_filename).name}:{where.tb_lineno}"
    return (
        f"Error: relint failed unexpectedly ({type(error).__name__}{place}); nothing more is "
        "shown, to keep agreement data private. RELINT_DEBUG=1 shows the traceback."
    )


def opened(path: Path, *, check: bool = True) -> Registry:
    """The registry at ``path``, saying so when opening it upgraded its schema."""
    registry = open_registry(path, check=check)
    if registry.upgraded_from is not None:
        note(f"Upgraded the registry's schema; the file as it was is {registry.upgraded_from}")
    return registry


def as_of_date(text: str | None) -> date:
    if text is None:
        return clock.today()
    day = parse_date(text).full
    if day is None:
        raise RelintError(f"--as-of needs a full date, not {text!r}")
    return day


def output(
    rows: Iterator[dict[str, Any]] | list[dict[str, Any]],
    fmt: Format,
    empty: str,
    columns: tuple[Column, ...] = LIST_COLUMNS,
) -> int:
    """Write ``rows`` to stdout in ``fmt``; say on stderr when there are none.
    Return how many were written."""
    count = write_rows(rows, fmt, sys.stdout, columns)
    if count == 0:
        note(empty)
    return count


def filters_from(
    kind: list[str] | None,
    status: list[str] | None,
    party: str | None,
    country: str | None,
    sector: str | None,
) -> Filters:
    return Filters(
        kinds=tuple(parse_kind(k) for k in kind or ()),
        statuses=tuple(parse_status(s) for s in status or ()),
        party=party,
        country=country,
        sector=sector,
    )


def listing(
    agreements: Iterator[Agreement],
    *,
    kind: list[str] | None,
    status: list[str] | None,
    party: str | None,
    country: str | None,
    sector: str | None,
    as_of: str | None,
    sort: str | None,
    fmt: Format,
    empty: str,
) -> None:
    """The body of list and search: ``agreements`` as known on the as-of date, filtered
    and sorted."""
    day = as_of_date(as_of)
    filters = filters_from(kind, status, party, country, sector)
    order = parse_sort(sort) if sort else None
    known = (a.known_on(day) for a in agreements)
    rows = (a.record(day) for a in known if filters.admit(a, day))
    output(sorted_records(rows, *order) if order else rows, fmt, empty)


EXPIRING_COLUMNS = (
    Column("ID", "id", numeric=True),
    Column("Counterpart", "counterpart", text=True),
    Column("Kind", "kind", drop=5),
    Column("Party", "party", text=True, drop=1),
    Column("Alert", "alert"),
    Column("On", "alert_on"),
    Column("End", "end", drop=3),
    Column("Notice by", "notice_deadline", drop=2),
    Column("Days left", "days_left", numeric=True, drop=6),
    Column("Renewal", "renewal", drop=4),
    Column("Status", "status"),
)


def expiring(registry: Registry, within: str, as_of: str | None, fmt: Format) -> int:
    """The body of expiring: write the alerts; return how many."""
    from relint.report import renewal

    window = parse_window(within)
    day = as_of_date(as_of)
    last = window.end(day)
    found = alerts(registry.ending_between(day, last), day, window, clock.today())
    rows = (
        a.agreement.record(day, window)
        | {
            "alert": "notice deadline" if a.reason == "notice" else "end",
            "alert_on": a.on.isoformat(),
            "notice_deadline": a.agreement.notice_deadline,
            "renewal": renewal(a.agreement),
        }
        for a in found
    )
    empty = f"Nothing ends or needs notice from {day} through {last}."
    return output(rows, fmt, empty, EXPIRING_COLUMNS)


def debugging() -> bool:
    return bool(os.environ.get("RELINT_DEBUG"))
