"""An inline SVG timeline of the agreements' terms around a report's period."""

from __future__ import annotations

import html
from datetime import date

from relint import i18n
from relint.agreement import Agreement, Status
from relint.dates import add_months
from relint.i18n import N_, _
from relint.report import Report
from relint.text import printable

WIDTH = 1040
LABEL = 250  # room for the counterparts, left of the chart
ROW = 22
TOP = 44  # room for the years and the as-of label
MOST_ROWS = 40
YEARS_AROUND = 10  # the chart reaches at most this far before and after the period

COLOURS = {
    "ended": "#9aa1ad",  # an earlier term, renewed
    "overdue": "#b3261e",  # expired, neither renewed nor terminated
    "due": "#c77700",  # ends in the period
    "running": "#2e7d32",
    "terminated": "#5b6475",
}

TITLE = N_("Timeline of the agreements' terms")


def _dated(agreement: Agreement) -> list[tuple[date, date]]:
    """The terms known to the day, as (start, end), the last cut short by a termination."""
    terms = [
        (term.start.full, term.end.full)
        for term in agreement.terms
        if term.start is not None and term.start.full and term.end is not None and term.end.full
    ]
    stop = agreement.terminated_on.earliest() if agreement.terminated_on else None
    return [(s, min(e, stop) if stop else e) for s, e in terms if not stop or s <= stop]


def timeline(report: Report) -> str:
    """The terms of the agreements with dated terms as bars, the report's period shaded,
    the as-of date as a line and notice deadlines as diamonds."""
    due = {row["id"] for row in report.due}
    overdue = {a.id for a in report.overdue}
    dated = [a for a in report.agreements if _dated(a)]
    dated.sort(key=lambda a: (a.id not in due, a.id not in overdue, -_dated(a)[-1][1].toordinal()))
    shown = dated[:MOST_ROWS]
    if not shown:
        said = _("No agreement has a term known to the day to draw.")
        return f'<p class="empty">{html.escape(said)}</p>'
    first = max(
        min(s for a in shown for s, _ in _dated(a)), add_months(report.as_of, -12 * YEARS_AROUND)
    )
    last = min(
        max(e for a in shown for _, e in _dated(a)), add_months(report.until, 12 * YEARS_AROUND)
    )
    first, last = min(first, report.as_of), max(last, report.until)
    first, last = date(first.year, 1, 1), date(last.year + 1, 1, 1)
    span = (last - first).days
    chart = WIDTH - LABEL - 10

    def x(day: date) -> float:
        clipped = min(max(day, first), last)
        return LABEL + chart * (clipped - first).days / span

    def width(start: date, end: date) -> str:
        return _n(max(x(end) - x(start), 2))

    height = TOP + ROW * len(shown) + 44
    parts = [
        f'<svg viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-label="{html.escape(_(TITLE))}" '
        'font-family="system-ui, sans-serif" '
        f'font-size="12">',
        f'<rect x="{_n(x(report.as_of))}" y="{TOP - 8}" '
        f'width="{width(report.as_of, report.until)}" height="{ROW * len(shown) + 8}" '
        f'fill="#eef4ff"/>',
    ]
    for year in range(first.year, last.year + 1):
        left = x(date(year, 1, 1))
        parts.append(
            f'<line x1="{_n(left)}" y1="{TOP - 14}" x2="{_n(left)}" y2="{TOP + ROW * len(shown)}" '
            f'stroke="#e3e6eb"/>'
        )
        if year < last.year and (span / 365 < 30 or year % 5 == 0):
            parts.append(f'<text x="{_n(left + 3)}" y="{TOP - 18}" fill="#5b6475">{year}</text>')
    for row, agreement in enumerate(shown):
        top = TOP + ROW * row
        label = _text(f"{agreement.counterpart} ({i18n.shown('kind', agreement.kind.value)})")
        parts.append(
            f'<text x="{LABEL - 8}" y="{top + 15}" text-anchor="end">'
            f"<title>{label}</title>{_text(_short(agreement.counterpart, 34))}</text>"
        )
        terms = _dated(agreement)
        for index, (start, end) in enumerate(terms):
            colour = _colour(agreement, index == len(terms) - 1, due, overdue, report.as_of)
            parts.append(
                f'<rect x="{_n(x(start))}" y="{top + 5}" width="{width(start, end)}" height="12" '
                f'rx="2" '
                f'fill="{colour}"><title>{label}: '
                f"{html.escape(_('{start} to {end}').format(start=start, end=end))}</title></rect>"
            )
        deadline = agreement.notice_deadline
        if deadline is not None and first <= deadline <= last:
            cx, cy = x(deadline), top + 11
            diamond = f"M{_n(cx)} {cy - 6}L{_n(cx + 6)} {cy}L{_n(cx)} {cy + 6}L{_n(cx - 6)} {cy}Z"
            parts.append(
                f'<path d="{diamond}" '
                f'fill="#fff" stroke="#1d2433" stroke-width="1.5">'
                f"<title>{label}: {html.escape(_('notice by {day}').format(day=deadline))}"
                "</title></path>"
            )
    now = x(report.as_of)
    bottom = TOP + ROW * len(shown)
    parts.append(
        f'<line x1="{_n(now)}" y1="{TOP - 12}" x2="{_n(now)}" y2="{bottom + 4}" stroke="#1d2433" '
        f'stroke-width="2"/>'
    )
    more = (
        _("; {count} more not drawn").format(count=len(dated) - len(shown))
        if len(dated) > len(shown)
        else ""
    )
    said = html.escape(_("as of {day}{more}").format(day=report.as_of, more=more))
    parts.append(f'<text x="{_n(now + 4)}" y="{bottom + 18}" font-weight="600">{said}</text>')
    parts.append(_legend(bottom + 38))
    parts.append("</svg>")
    return "\n".join(parts)


def _colour(
    agreement: Agreement, current: bool, due: set[int | None], overdue: set[int | None], as_of: date
) -> str:
    if not current:
        return COLOURS["ended"]
    if agreement.status(as_of) is Status.TERMINATED:
        return COLOURS["terminated"]
    if agreement.id in due:
        return COLOURS["due"]
    return COLOURS["overdue"] if agreement.id in overdue else COLOURS["running"]


def _legend(y: int) -> str:
    items = [("running", N_("in force")), ("due", N_("ends or needs notice in the period")),
             ("overdue", N_("expired, no decision")), ("ended", N_("earlier term")),
             ("terminated", N_("terminated"))]  # fmt: skip
    parts, left = [], 10
    for key, marked in items:
        words = html.escape(_(marked))
        parts.append(
            f'<rect x="{left}" y="{y - 10}" width="12" height="12" fill="{COLOURS[key]}"/>'
        )
        parts.append(f'<text x="{left + 16}" y="{y}" fill="#5b6475">{words}</text>')
        left += 28 + 6 * len(words)
    return "\n".join(parts)


def _n(value: float) -> str:
    """A coordinate, to a tenth of a unit."""
    return f"{value:.1f}"


def _short(text: str, most: int) -> str:
    return text if len(text) <= most else text[: most - 1] + "…"


def _text(value: str) -> str:
    return html.escape(printable(value))
