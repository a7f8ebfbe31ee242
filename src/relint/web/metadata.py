"""What Datasette says of the registry: its title, a description of every table and
column, the facets and search of the view ``current``, and the canned query
``expiring``, in the language chosen for relint."""

from __future__ import annotations

import html
from typing import Any

from relint.agreement import FIELDS
from relint.cli.answers import ALERT_FIELDS
from relint.columns import EXPIRING
from relint.i18n import N_, _
from relint.store.codec import WRITTEN

DATABASE = "registry"  # the registry's name in Datasette, whatever its file is called

# The fields of an agreement, as the listings and the table of agreements name them.
AGREEMENT: dict[str, str] = {
    "id": N_("The agreement's number in the registry."),
    "kind": N_(
        "What kind of agreement: twinning, collaboration, protocol, memorandum, pact,"
        " declaration or other."
    ),
    "title": N_("The agreement's title."),
    "party": N_("Our side: the body that signed, e.g. Comune di Milano."),
    "counterpart": N_("The city or body abroad."),
    "country": N_("The counterpart's country."),
    "signed": N_("The day it was signed (or the month, or the year, where only that is known)."),
    "start": N_("The day its current term began."),
    "duration": N_("How long each term runs: 2y, 18m, permanent."),
    "end": N_("The day its current term ends."),
    "renewable": N_("Whether it can be renewed."),
    "auto_renew": N_("Whether it renews itself (tacitly) unless notice is given."),
    "notice_days": N_("Days of notice needed before the end to stop it renewing."),
    "sectors": N_("The sectors it covers."),
    "signatories": N_("Who signed it."),
    "source": N_("Where its text or record is: a link or a reference."),
    "notes": N_("Free notes."),
    "status": N_(
        "Its status today: active, expiring (within 90 days), expired, unknown (no end known),"
        " permanent, suspended or terminated."
    ),
    "days_left": N_("Days from today to its end; negative once ended."),
    "renewal": N_("How long a renewal runs."),
    "term": N_("Which term it is in: 1 for the first, 2 after one renewal..."),
    "notice_deadline": N_("The last day notice of non-renewal can be given."),
    "terminated_on": N_("The day it was ended early, if it was."),
    "termination_reason": N_("Why it was ended early."),
    "notice_given": N_("The day notice of non-renewal was given, if it was."),
    "notice_reason": N_("Why notice of non-renewal was given."),
    "suspensions": N_("The periods it was suspended, as JSON."),
    "tacit_cycle": N_("For search: the months between its tacit renewals."),
    "tacit_phase": N_("For search: the month its tacit renewals fall in."),
    "tacit_day": N_("For search: the day of the month its tacit renewals fall on."),
    "tacit_anchor": N_("For search: the first end from which it renews tacitly."),
    "tacit_irregular": N_("For search: an end from which its renewals are not regular."),
}
TABLES: dict[str, tuple[str, dict[str, str]]] = {
    "current": (
        N_(
            "Every agreement as relint lists it today: status, days left, term and notice"
            " deadline computed by relint's own rules on the day of the request."
        ),
        {name: AGREEMENT[name] for name in FIELDS},
    ),
    "agreements": (
        N_("The agreements as recorded, with each one's current term."),
        {name: AGREEMENT[name] for name in ("id", *WRITTEN)},
    ),
    "terms": (
        N_("The earlier terms of each agreement, oldest first."),
        {
            "agreement_id": N_("The agreement's number."),
            "seq": N_("Which term: 1 for the first."),
            "signed": N_("The day that term was signed."),
            "start": N_("The day that term began."),
            "duration": N_("How long that term ran."),
            "end": N_("The day that term ended."),
        },
    ),
    "audit": (
        N_("The audit trail: every change to the registry, who made it and when."),
        {
            "id": N_("The change's number."),
            "at": N_("When it was made (UTC)."),
            "user": N_("Who made it."),
            "command": N_("The relint command that made it."),
            "action": N_("What was done: insert, update or delete."),
            "agreement_id": N_("The agreement changed."),
            "before": N_("The agreement before, as JSON."),
            "after": N_("The agreement after, as JSON."),
        },
    ),
    "reminders": (
        N_("The reminders relint remind sent, so that each reaches people once."),
        {
            "id": N_("The reminder's number."),
            "agreement_id": N_("The agreement it is about."),
            "term": N_("The agreement's term it is about."),
            "event": N_("What it reminds of: the notice deadline, or the end."),
            "event_on": N_("The day of that event."),
            "step": N_("How long before the event it was due."),
            "sent_to": N_("The address it was sent to."),
            "sent_at": N_("When the mail server accepted it; empty while being sent."),
            "claimed_by": N_("The run sending it."),
            "claimed_until": N_("When that run's claim lapses."),
        },
    ),
    "_sqlite_migrations": (
        N_("The schema's versions applied to this file."),
        {
            "id": N_("The version's number."),
            "migration_set": N_("The set of versions: relint's."),
            "name": N_("The version's name."),
            "applied_at": N_("When it was applied."),
        },
    ),
}
FACETS = ["party", "kind", "status", "country"]


# What relint expiring's table says for people of each alert, beside its data.
SAID = ("said", "renews")
# The alert's columns first, in the order of relint expiring's table, for people acting
# on them; then the rest of its data.
_TABLE = tuple(column.key for column in EXPIRING)
EXPIRING_COLUMNS = (*_TABLE, *(name for name in ALERT_FIELDS if name not in _TABLE))


def expiring_sql() -> str:
    """The canned query ``expiring``: ``relint_expiring(:days)``'s rows, soonest first."""
    columns = ", ".join(
        f"json_extract(value, '$.{name}') AS \"{name}\"" for name in EXPIRING_COLUMNS
    )
    return f"SELECT {columns} FROM json_each(relint_expiring(:days)) ORDER BY key"


def metadata() -> dict[str, Any]:
    """Datasette's metadata for the registry, in the language chosen."""
    tables: dict[str, Any] = {
        name: {"description": _(text), "columns": {c: _(d) for c, d in columns.items()}}
        for name, (text, columns) in TABLES.items()
    }
    tables["current"] |= {"facets": FACETS, "fts_table": "agreements_fts", "fts_pk": "id"}
    tables["sqlite_sequence"] = {"hidden": True}  # SQLite's own counters
    tables["_sqlite_migrations"]["hidden"] = True  # the schema's, not the agreements'
    return {
        "title": _("International agreements"),
        "description_html": _pages(),
        "databases": {
            DATABASE: {
                "description": _("The register of international agreements, read-only."),
                "tables": tables,
                "queries": {
                    "expiring": {
                        "sql": expiring_sql(),
                        "title": _("Expiring"),
                        "description": _(
                            "What ends or needs notice from today through the window given"
                            " in days (90 unless given; 6m and 1y work too), soonest first,"
                            " as relint expiring lists it: said is what the alert says,"
                            " renews how the agreement renews."
                        ),
                        "params": ["days"],
                        "hide_sql": True,
                    }
                },
            }
        },
    }


def _pages() -> str:
    # Relative to the home page, where they are shown, wherever Datasette is mounted.
    links = [
        ("current", _("Every agreement as of today")),
        ("expiring?days=90", _("What expires in the next 90 days")),
        ("report", _("The report of the month")),
        ("calendar.ics", _("The calendar (iCalendar)")),
    ]
    items = "".join(
        f'<li><a href="{DATABASE}/{href}">{html.escape(text)}</a></li>' for href, text in links
    )
    return f"<ul>{items}</ul>"
