"""The report as Markdown, HTML, CSV or JSON: the same content, byte for byte the same
for the same registry and options (no clock)."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from relint.columns import DUE, INCOMPLETE, OVERDUE, Column, Columns, summary
from relint.i18n import N_, _, language, prose_month, shown, yes_no
from relint.report import Report, due_rows, incomplete_rows, overdue_rows
from relint.text import printable
from relint.writers import cell_text, guard

if TYPE_CHECKING:
    from relint.workbooks import Book

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip


def title(report: Report, month: str | None, *, people: bool = True) -> str:
    """The report's title: for people, in the language chosen; else (``people`` off, for
    the JSON) in English."""
    if not people:
        if month is not None:
            return f"Renewal report, {MONTHS[report.as_of.month - 1]} {report.as_of.year}"
        return f"Renewal report as of {report.as_of}"
    if month is not None:
        return _("Renewal report, {month}").format(month=prose_month(report.as_of))
    return _("Renewal report as of {day}").format(day=report.as_of)


def _period(report: Report) -> str:
    return _("From {start} through {end} ({ahead} ahead).").format(
        start=report.as_of, end=report.until, ahead=report.lookahead
    )


class Section(NamedTuple):
    key: str
    heading: str
    columns: Columns
    rows: list[dict[str, Any]]
    total: int  # how many agreements the section has; ``rows`` lists the first SHOWN
    empty: str  # what to say when it has none
    more: str  # what to say when it lists only some


def _sections(report: Report) -> list[Section]:
    """The first three sections."""
    return [
        Section("due", N_("1. Expiring or reaching a notice deadline"), DUE,
                due_rows(report), len(report.due),
                N_("Nothing ends or needs notice in the period."), ""),
        Section("overdue", N_("2. Expired, neither renewed nor terminated"), OVERDUE,
                overdue_rows(report), report.overdue_count, N_("No decision is overdue."),
                N_("the most recently expired; relint list --status expired lists them all")),
        Section("incomplete", N_("3. Incomplete records"), INCOMPLETE,
                incomplete_rows(report), report.incomplete_count,
                N_("Every record is complete."), N_("by id; relint doctor lists every problem")),
    ]  # fmt: skip


def _shown(section: Section) -> str | None:
    """What a section that lists only some of its agreements says of the rest."""
    if len(section.rows) == section.total:
        return None
    return _("These are {shown} of {total}, {more}.").format(
        shown=len(section.rows), total=section.total, more=_(section.more)
    )


SUMMARY_HEADINGS = {"party": N_("By party"), "kind": N_("By kind"), "status": N_("By status")}


# Markdown


def markdown(report: Report, month: str | None) -> str:
    lines = [f"# {title(report, month)}", "", _period(report), ""]
    for section in _sections(report):
        lines += [f"## {_(section.heading)} ({section.total})", ""]
        if (shown := _shown(section)) is not None:
            lines += [f"_{shown}_", ""]
        lines += (
            _md_table(section.columns, section.rows) if section.rows else [f"_{_(section.empty)}_"]
        )
        lines.append("")
    lines += [f"## {_('4. Summary')}", ""]
    for key, counts in report.summary.items():
        lines += [f"### {_(SUMMARY_HEADINGS[key])}", ""]
        lines += _md_table(
            summary(key), [{key: name, "count": count} for name, count in counts.items()]
        )
        lines.append("")
    return "\n".join(lines)


def _md_table(columns: Columns, rows: list[dict[str, Any]]) -> list[str]:
    keys = [c.key for c in columns]

    def line(row: dict[str, Any]) -> str:
        cells = [
            (value if type(value := shown(key, row[key])) is str else cell_text(value)) or " "
            for key in keys
        ]
        whole = "".join(cells)
        if whole.isprintable() and not _MD_ESCAPED.search(whole):  # most rows: as they are
            return "| " + " | ".join(cells) + " |"
        return "| " + " | ".join(printable(c.translate(_MD_TEXT)) or " " for c in cells) + " |"

    return [
        "| " + " | ".join(_(c.heading) for c in columns) + " |",
        "|" + "|".join("---:" if c.numeric else "---" for c in columns) + "|",
        *(line(row) for row in rows),
    ]


# A record's text shown as text in a Markdown table: HTML as entities (viewers render
# raw HTML), and what would end the cell or make a link, code, emphasis or strikethrough,
# escaped. A URL stays visible as itself (viewers may make it clickable).
_MD_TEXT = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;"} | {c: "\\" + c for c in "\\|`*_[]~"}
)
_MD_ESCAPED = re.compile("[" + re.escape("".join(map(chr, _MD_TEXT))) + "]")


# JSON and CSV


def as_json(report: Report, month: str | None) -> str:
    document: dict[str, Any] = {
        "title": title(report, month, people=False),
        "as_of": report.as_of.isoformat(),
        "until": report.until.isoformat(),
        "lookahead": str(report.lookahead),
    }
    for section in _sections(report):
        document[section.key] = section.rows
    document["counts"] = {section.key: section.total for section in _sections(report)}
    document["summary"] = report.summary
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


CSV_COLUMNS = (
    "section", "id", "counterpart", "party", "kind", "status", "alert", "alert_on", "end",
    "notice_deadline", "days_left", "renewal", "missing", "count",
)  # fmt: skip


def as_csv(report: Report, month: str | None = None, *, guarded: bool = True) -> str:
    """One table: a row per agreement in each section, then a row per summary count.
    Cells a spreadsheet would run as formulas are ``guarded``, as in every CSV."""
    protect = guard if guarded else str
    out = io.StringIO()
    writer = csv.DictWriter(out, CSV_COLUMNS, lineterminator="\r\n", restval="")
    writer.writeheader()
    for section in _sections(report):
        for row in section.rows:
            cells = {k: protect(cell_text(v)) for k, v in row.items()}
            writer.writerow(cells | {"section": section.key})
    for key, counts in report.summary.items():
        for name, count in counts.items():
            writer.writerow({"section": f"summary by {key}", key: protect(name), "count": count})
    return out.getvalue()


# HTML

STYLE = """
:root { --ink: #1d2433; --muted: #5b6475; --line: #d8dce3; --band: #eef4ff;
  --due: #c77700; --overdue: #b3261e; --ok: #2e7d32; --gone: #9aa1ad; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--ink); margin: 2rem auto; max-width: 1100px; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.15rem; margin: 2rem 0 .5rem; border-bottom: 2px solid var(--ink);
  padding-bottom: .2rem; }
h3 { font-size: 1rem; margin: 1rem 0 .4rem; }
.period { color: var(--muted); margin: 0 0 1rem; }
.cards { display: flex; gap: .75rem; flex-wrap: wrap; margin: 1rem 0; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: .5rem .9rem; min-width: 10rem; }
.card b { display: block; font-size: 1.5rem; }
.card.due b { color: var(--due); } .card.overdue b { color: var(--overdue); }
table { border-collapse: collapse; width: 100%; margin: .25rem 0 1rem; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid var(--line);
  vertical-align: top; }
th { background: #f5f6f8; font-weight: 600; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
td.d { white-space: nowrap; }
tr { break-inside: avoid; }
.empty { color: var(--muted); font-style: italic; }
.summary { display: flex; gap: 1.5rem; flex-wrap: wrap; }
.summary table { width: auto; min-width: 16rem; }
figure { margin: 1rem 0; }
figcaption { color: var(--muted); font-size: .85rem; }
svg { width: 100%; height: auto; }
@media print {
  body { margin: 0; max-width: none; font-size: 11px; }
  h2 { break-after: avoid; }
  figure, .cards { break-inside: avoid; }
  @page { size: A4 landscape; margin: 12mm; }
}
"""


def as_html(report: Report, month: str | None) -> str:
    """A single self-contained page: no script, no external style, font or image."""
    from relint.timeline import timeline  # (and html: a Markdown report needs neither)

    esc = _html_text
    heading = title(report, month)
    sections = _sections(report)
    cards = "".join(
        f'<div class="card {s.key}"><b>{s.total}</b>{esc(_(s.heading).split(". ", 1)[1])}</div>'
        for s in sections
    )
    body = [
        f"<h1>{esc(heading)}</h1>",
        f'<p class="period">{esc(_period(report))}</p>',
        f'<div class="cards">{cards}</div>',
        "<figure>",
        timeline(report),
        "<figcaption>"
        + esc(
            _(
                "Terms of the agreements with dated terms, around the period (shaded); the"
                " vertical line is the as-of date, diamonds are notice deadlines."
            )
        )
        + "</figcaption>",
        "</figure>",
    ]
    for s in sections:
        body.append(f"<h2>{esc(_(s.heading))} ({s.total})</h2>")
        if (shown := _shown(s)) is not None:
            body.append(f'<p class="empty">{esc(shown)}</p>')
        body.append(
            _html_table(s.columns, s.rows) if s.rows else f'<p class="empty">{esc(_(s.empty))}</p>'
        )
    body.append(f"<h2>{esc(_('4. Summary'))}</h2>")
    body.append('<div class="summary">')
    for key, counts in report.summary.items():
        rows = [{key: name, "count": count} for name, count in counts.items()]
        body.append(f"<div><h3>{esc(_(SUMMARY_HEADINGS[key]))}</h3>")
        body.append(_html_table(summary(key), rows))
        body.append("</div>")
    body.append("</div>")
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{language()}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(heading)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


_DATE = re.compile(r"\d{4}-\d{2}(?:-\d{2})?")


def _html_text(value: Any) -> str:
    import html

    return html.escape(printable(cell_text(value)))


def _html_table(columns: Columns, rows: list[dict[str, Any]]) -> str:
    import html

    def cls(column: Column) -> str:
        return ' class="n"' if column.numeric else ""

    head = "".join(f"<th{cls(c)}>{html.escape(_(c.heading))}</th>" for c in columns)

    def cell(column: Column, value: Any) -> str:
        text = _html_text(shown(column.key, value))
        if _DATE.fullmatch(text):  # a date never breaks at its hyphens, on screen or paper
            return f'<td class="d">{text}</td>'
        return f"<td{cls(column)}>{text}</td>"

    body = "".join("<tr>" + "".join(cell(c, row[c.key]) for c in columns) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


# The workbook

SHEETS = {"due": N_("Due"), "overdue": N_("Overdue"), "incomplete": N_("Incomplete")}
SUMMARY_COLUMNS = (
    Column(N_("Summary"), "by"), Column(N_("Value"), "name"),
    Column(N_("Agreements"), "count", numeric=True),
)  # fmt: skip


def report_workbook(report: Report, month: str | None, path: Path, created: datetime) -> None:
    """The report as a workbook at ``path``: a sheet for each section, its values as the
    other formats show them to people, dates as dates; then a sheet of the counts."""
    from relint.workbooks import Book

    with Book(path, title=title(report, month), comments=_period(report), created=created) as book:
        _report_sheets(report, book)


def _report_sheets(report: Report, book: Book) -> None:
    yes_no_words = yes_no()

    def people(column: Column, value: Any) -> Any:
        return value if isinstance(value, bool) or not column.said else shown(column.key, value)

    for section in _sections(report):
        sheet = book.sheet(
            _(SHEETS[section.key]), [_(c.heading) for c in section.columns],
            [c.key for c in section.columns],
        )  # fmt: skip
        for row in section.rows:
            cells = {c.key: people(c, row[c.key]) for c in section.columns}
            sheet.add(cells, yes_no_words, _("agreement {id}").format(id=row["id"]))
        sheet.close()
    counts = book.sheet(
        _("Summary"), [_(c.heading) for c in SUMMARY_COLUMNS], [c.key for c in SUMMARY_COLUMNS]
    )
    for key, numbers in report.summary.items():
        for name, count in numbers.items():
            counts.add(
                {"by": _(SUMMARY_HEADINGS[key]), "name": shown(key, name), "count": count},
                yes_no_words,
            )
    counts.close()


RENDERERS: dict[str, Callable[[Report, str | None], str]] = {
    "md": markdown,
    "html": as_html,
    "csv": as_csv,
    "json": as_json,
}
