"""relint's plugin for Datasette: relint's rules on each of Datasette's connections to
the registry, so that a browser reads what relint would say on the day of the request.

- ``relint_field(id, name)``: a field of agreement ``id`` as ``relint list`` has it
  today; the view ``current`` (``relint.store.migrations.m006_current``) is made of it.
- ``relint_expiring(days)``: what ``relint expiring --within DAYS`` lists today, as a
  JSON array the canned query ``expiring`` reads with ``json_each``.
- The ``json`` renderer replaces Datasette's own, so that the booleans and lists of
  those two are JSON's, as ``relint list --format json`` writes them.
- Cells for people: lists as text, yes or no, kinds and statuses in the language
  chosen, and the source of an agreement as a link where it holds one.
- Two pages of relint's own: ``/registry/calendar.ics`` and ``/registry/report``.
"""

from __future__ import annotations

import asyncio
import functools
import html
import json
import re
import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import parse_qs

from datasette import Response, hookimpl
from datasette.renderer import json_renderer
from datasette.utils import tilde_decode
from markupsafe import Markup

from relint import clock, i18n
from relint.agreement import Status
from relint.cli import spec
from relint.cli.answers import alerted
from relint.durations import Window, parse_window
from relint.errors import RegistryError, RelintError
from relint.i18n import _, shown, yes_no
from relint.kinds import Kind
from relint.store import Registry, open_reader
from relint.store.queries import fts_query
from relint.web.metadata import DATABASE, EXPIRING_COLUMNS, SAID, metadata

T = TypeVar("T")
# The listing's fields SQLite cannot hold as JSON has them.
FLAGS = frozenset({"renewable", "auto_renew"})
LISTS = frozenset({"sectors", "signatories"})
KINDS = tuple(kind.value for kind in Kind)
STATUSES = tuple(status.value for status in Status)
_URL = re.compile(r"https?://[^\s<>«»\"']+[^\s<>«»\"'.,;:!?)\]]")


class Rules:
    """relint's rules for one of Datasette's connections (each has a thread of its own).

    Every record, as ``relint list`` has it on the day, is computed in one pass and
    kept while the day and the file stay the same (SQLite's ``data_version`` says when
    another connection wrote): a page's rows, its count and its facets then cost a
    lookup each. The records are read on a connection of relint's own, which only reads
    and which Datasette's time limit does not interrupt.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.key: tuple[date, int] | None = None
        self.records: dict[int, dict[str, Any]] = {}

    @functools.cached_property
    def registry(self) -> Registry:
        return open_reader(self.path)

    def field(self, agreement_id: int, name: str) -> Any:
        day = clock.today()
        key = (day, self.registry.conn.execute("PRAGMA data_version").fetchone()[0])
        if key != self.key:
            known = (a.in_force(day) for a in self.registry.agreements())
            self.records = {a.id: a.record(day) for a in known if a.id is not None}
            self.key = key
        record = self.records.get(agreement_id)  # none for one added since the page began
        return None if record is None else sql_value(record[name])

    def expiring(self, days: str | int | None) -> str:
        """What ``relint expiring --within DAYS`` lists today, with what its table says
        of each alert (``SAID``), as JSON."""
        day = clock.today()
        rows = alerted(self.registry, within(days), day, day)
        return json.dumps([{name: row[name] for name in EXPIRING_COLUMNS} for row in rows])


def within(days: str | int | None) -> Window:
    """The window of ``?days=``: a number of days, or any window ``--within`` takes."""
    return parse_window(spec.WITHIN.default if days in (None, "") else str(days))


def sql_value(value: Any) -> Any:
    """A record's value as SQLite holds it: a list as JSON text, a boolean as 0 or 1."""
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    return int(value) if isinstance(value, bool) else value


@hookimpl
def get_metadata() -> dict[str, Any]:
    """relint's title, descriptions, facets, search and canned query, in the language
    chosen (the local metadata, such as relint serve's allow_sql, takes precedence)."""
    return _metadata(i18n.language())


@functools.cache
def _metadata(language: str) -> dict[str, Any]:
    return metadata()


@hookimpl
def startup() -> None:
    """In a Datasette started by itself (``datasette registry.db``, or one deployed with
    ``datasette publish``), relint speaks the language its settings choose, as cron's
    relint does; relint serve has chosen it already, from --lang too."""
    if not SERVED:
        i18n.use(i18n.chosen([]))


SERVED = False  # set by relint serve


@hookimpl(trylast=True)  # after Datasette's own, whose escape_fts this one replaces
def prepare_connection(conn: sqlite3.Connection, database: str, datasette: Any) -> None:
    if database != DATABASE:
        return
    rules = Rules(Path(datasette.get_database(DATABASE).path))
    conn.create_function("relint_field", 2, rules.field)
    conn.create_function("relint_expiring", 1, rules.expiring)
    # Datasette's search box turns what is typed into FTS5 with escape_fts: here it does
    # so as relint search does, every word as a word or its beginning.
    conn.create_function("escape_fts", 1, fts_query, deterministic=True)


def render_json(args: Any, data: dict[str, Any], view_name: str) -> Any:
    """Datasette's JSON, with the booleans and lists of relint's view and query as
    JSON's, and the query's rows as ``relint expiring --format json`` writes them
    (without what its table says for people)."""
    name = data.get("table") or data.get("query_name")
    if name in ("current", "expiring") and "rows" in data:
        columns = data.get("columns") or []
        kept = [i for i, column in enumerate(columns) if name == "current" or column not in SAID]
        data["columns"] = [columns[i] for i in kept]
        data["rows"] = [[_typed(columns[i], row[i]) for i in kept] for row in data["rows"]]
    return json_renderer(args, data, view_name)


def _typed(column: str, value: Any) -> Any:
    if column in FLAGS and value is not None:
        return bool(value)
    if column in LISTS and isinstance(value, str):
        return json.loads(value)
    return value


@hookimpl
def register_output_renderer(datasette: Any) -> dict[str, Any]:
    # Keyed by its extension, it replaces the built-in one, registered before plugins'.
    return {"extension": "json", "render": render_json}


@hookimpl
def render_cell(row: Any, value: Any, column: str, table: str | None, database: str,
                datasette: Any) -> Any:  # fmt: skip
    """A cell of the registry as people read it; None leaves it to Datasette. Only
    the view ``current``'s and the query ``expiring``'s values are relint's own: a
    query of a reader's own (table None) is known by its columns."""
    if database != DATABASE or value is None or value == "":
        return None
    if column == "source" and isinstance(value, str):
        return linked(value)
    if not (table == "current" or (table is None and tuple(row.keys()) == EXPIRING_COLUMNS)):
        return None
    if column == "id" and isinstance(value, int):  # to the agreement alone, as relint lists it
        url = datasette.urls.table(DATABASE, "current") + f"?id={value}"
        return Markup(f'<a href="{html.escape(url)}">{value}</a>')
    if column in LISTS and isinstance(value, str):  # as CSV joins them; empty, nothing
        return "; ".join(json.loads(value)) or Markup("<span></span>")
    if column in FLAGS:
        return yes_no()[0 if value else 1]
    return shown(column, value) if column in ("kind", "status", *SAID) else None


def linked(text: str) -> Markup:
    """``text`` as HTML, each web address in it a link."""
    parts, at = [], 0
    for found in _URL.finditer(text):
        url = html.escape(found.group(0))
        before = html.escape(text[at : found.start()])
        parts += [before, f'<a href="{url}" rel="noopener">{url}</a>']
        at = found.end()
    return Markup("".join([*parts, html.escape(text[at:])]))


@hookimpl
def extra_body_script(table: str | None, database: str | None) -> str | None:
    """On the registry's pages: what a table's columns mean folded under one line, so
    that the rows come first (Datasette lists the descriptions above them); long text in
    wide columns and dates on one line; on the view ``current``, the kinds and statuses
    of the facets in the language chosen, as its cells are."""
    if database != DATABASE:
        return None
    words = {}
    if table == "current":
        words = {
            word: said for key, known in (("kind", KINDS), ("status", STATUSES))
            for word in known if (said := str(shown(key, word))) != word
        }  # fmt: skip
    return _SCRIPT % (_script_json(_("What the columns mean")), _script_json(words))


def _script_json(value: Any) -> str:
    """``value`` as JavaScript inside a <script> element, which ``</`` would close."""
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/")


_SCRIPT = """document.head.insertAdjacentHTML("beforeend", `<style>
td.col-title, td.col-source { min-width: 22em } td.col-notes { min-width: 40em }
td.col-counterpart, td.col-party, td.col-kind { min-width: 9em }
td.col-signed, td.col-start, td.col-end, td.col-alert_on, td.col-notice_deadline,
td.col-terminated_on { white-space: nowrap }
</style>`);
const list = document.querySelector("dl.column-descriptions");
if (list) {
  const box = document.createElement("details"), title = document.createElement("summary");
  title.textContent = %s;
  list.replaceWith(box);
  box.append(title, list);
}
const words = %s;
for (const item of document.querySelectorAll("#facet-kind li, #facet-status li")) {
  // A value to choose is a link; the value chosen is text, before its count.
  const label = item.querySelector("a:not(.cross)") || item.firstChild;
  const [word, ...rest] = label.textContent.split(" \u00b7 ");
  const said = words[word.trim()];
  if (said) label.textContent = [said + (rest.length ? " " : ""), ...rest].join("\u00b7 ");
}"""


@hookimpl
def asgi_wrapper() -> Any:
    """The registry's pages are read, not written to: anything but GET and HEAD is
    answered 405 (Datasette's own pages would fail on it). A window ``?days=`` that
    relint cannot read is told in one line (400), as ``--within`` tells it, before the
    canned query runs."""

    def wrap(app: Any) -> Any:
        async def checked(scope: dict[str, Any], receive: Any, send: Any) -> None:
            if scope["type"] != "http":
                await app(scope, receive, send)
                return
            if _registry(scope["path"]) and scope["method"] not in ("GET", "HEAD"):
                answer = Response.text(_("The registry is read-only.") + "\n", status=405)
                answer.headers["Allow"] = "GET, HEAD"
                await answer.asgi_send(send)
                return
            if _expiring(scope["path"]):
                query = parse_qs(scope["query_string"].decode("utf-8", "replace"),
                                 keep_blank_values=True)  # fmt: skip
                try:
                    within(query.get("days", [""])[0])  # the first, as Datasette reads it
                except RelintError as error:
                    await Response.text(str(error) + "\n", status=400).asgi_send(send)
                    return
            await app(scope, receive, send)

        return checked

    return wrap


def _registry(path: str) -> bool:
    """Whether ``path`` is one of the registry's pages (not Datasette's own, under /-/,
    such as a login form)."""
    return path.strip("/").partition("/")[0].split(".", 1)[0] == DATABASE


def _expiring(path: str) -> bool:
    """Whether ``path`` is the canned query's, however Datasette's escapes spell it."""
    database, _slash, name = path.strip("/").partition("/")
    return database == DATABASE and tilde_decode(name.split(".", 1)[0]) == "expiring"


@hookimpl
def handle_exception(exception: BaseException) -> Any:
    """relint's own errors as relint tells them, in one line: a value it cannot use
    (400), a registry it cannot read now (503); the rest are Datasette's to tell."""
    if not isinstance(exception, RelintError):
        return None
    status = 503 if isinstance(exception, RegistryError) else 400
    return Response.text(f"{exception}\n", status=status)


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [
        (rf"^/{DATABASE}/calendar\.ics$", calendar),
        (rf"^/{DATABASE}/report$", report),
    ]


# Who may read the view may read the calendar and the report made from it.
_READ = [("view-table", (DATABASE, "current")), ("view-database", DATABASE), "view-instance"]


async def calendar(datasette: Any, request: Any) -> Response:
    """The calendar ``relint export --format ics`` writes, as of today."""
    await datasette.ensure_permissions(request.actor, _READ)

    def made(registry: Registry) -> bytes:
        from relint.ics import calendar

        moment = clock.now()
        return b"".join(calendar(registry.agreements(), moment, clock.local_date(moment)))

    body = await _made(datasette, made)
    return Response(
        body, content_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": 'inline; filename="registry.ics"'},
    )  # fmt: skip


async def report(datasette: Any, request: Any) -> Response:
    """The monthly renewal report of this month, or of ``?month=YYYY-MM``, as the html
    report of ``relint report`` has it."""
    from relint.cli.answers import monthly
    from relint.dates import PartialDate
    from relint.report_formats import as_html

    await datasette.ensure_permissions(request.actor, _READ)
    today = clock.today()
    try:
        month = spec.parse_month(request.args["month"]) if request.args.get("month") else None
    except RelintError as error:
        return Response.text(str(error) + "\n", status=400)
    month = month or PartialDate(today.year, today.month)
    lookahead = parse_window(spec.LOOKAHEAD.default)

    def made(registry: Registry) -> str:
        return as_html(monthly(registry, month.earliest(), lookahead, today), str(month))

    return Response.html(await _made(datasette, made))


async def _made(datasette: Any, make: Callable[[Registry], T]) -> T:
    """What ``make`` makes of the registry, read on a connection of its own in a thread
    of its own: a long page (the calendar of a large registry) keeps none of Datasette's
    SQL threads from the other pages."""

    def made() -> T:
        registry = open_reader(Path(datasette.get_database(DATABASE).path))
        try:
            return make(registry)
        finally:
            registry.close()

    return await asyncio.to_thread(made)
