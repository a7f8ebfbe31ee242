"""Durations of agreements and windows of alerts, in calendar months and days."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from relint.dates import PartialDate, add_days, add_months
from relint.errors import RelintError
from relint.i18n import N_, _

WORDS = {
    "annual": 12, "annuale": 12,
    "biennial": 24, "biennale": 24,
    "triennial": 36, "triennale": 36,
    "quinquennial": 60, "quinquennale": 60,
}  # fmt: skip
PERMANENT_WORDS = ("permanent", "permanente")

ACCEPTED = N_(
    "2y, 3y, 18m, 1y6m, 2 anni, 18 mesi, 1 anno e 6 mesi, annual/biennial/triennial/quinquennial, "
    "annuale/biennale/triennale/quinquennale, permanent/permanente"
)

# Lengths in words, as people write them: "90 giorni", "6 mesi", "1 anno e 6 mesi",
# "2 years"; read as 90d, 6m, 1y6m, 2y.
_UNITS = {
    "d": "d", "day": "d", "days": "d", "g": "d", "gg": "d", "giorno": "d", "giorni": "d",
    "m": "m", "month": "m", "months": "m", "mese": "m", "mesi": "m",
    "y": "y", "year": "y", "years": "y", "a": "y", "anno": "y", "anni": "y",
}  # fmt: skip
_SPELLED = re.compile(r"(\d+)\s*([a-z]+)")
_JOINS = re.compile(r"\s*(?:,|\be\b|\band\b)?\s*")


def _compact(text: str) -> str:
    """``text`` with its lengths in words written short ("1 anno e 6 mesi": 1y6m), or as
    it is when it is not such a length."""
    parts = []
    rest = text.strip()
    while rest:
        m = _SPELLED.match(rest)
        if m is None or m.group(2) not in _UNITS:
            return text
        parts.append((int(m.group(1)), _UNITS[m.group(2)]))
        rest = rest[m.end() :]
        joined = _JOINS.match(rest)
        if joined and joined.group().strip() and not rest[joined.end() :]:
            return text  # "1 anno e": a length cut short
        rest = rest[joined.end() :] if joined else rest
    units = [unit for _, unit in parts]
    if len(set(units)) != len(units) or units != sorted(units, key="ymd".index):
        return text  # each unit once, the largest first
    return "".join(f"{number}{unit}" for number, unit in parts)


MAX_MONTHS = 12 * 1000
_YEARS_MONTHS = re.compile(r"(?:(\d+)y)?(?:(\d+)m)?", re.ASCII)
_WINDOW = re.compile(r"(\d+)(d?)", re.ASCII)


@dataclass(frozen=True)
class Duration:
    """A term of whole calendar months, or ``permanent`` when ``months`` is None."""

    months: int | None

    @property
    def permanent(self) -> bool:
        return self.months is None

    def __str__(self) -> str:
        if self.months is None:
            return "permanent"
        years, months = divmod(self.months, 12)
        return (f"{years}y" if years else "") + (f"{months}m" if months else "")


PERMANENT = Duration(None)


@lru_cache(maxsize=4096)  # files and registries repeat a few lengths
def parse_duration(text: str) -> Duration:
    """Read ``2y``, ``18m``, ``1y6m``, ``biennale``, ``permanent``...; refuse anything else."""
    cleaned = _compact(text.strip().lower())
    if cleaned in PERMANENT_WORDS:
        return PERMANENT
    if cleaned in WORDS:
        return Duration(WORDS[cleaned])
    months = _months(cleaned)
    if months is None or months == 0:
        raise RelintError(
            _("not a duration: {text!r}; use {ACCEPTED}").format(text=text, ACCEPTED=_(ACCEPTED))
        )
    if months > MAX_MONTHS:
        raise RelintError(
            _("a duration of {text!r} is longer than {MAX_MONTHS} years").format(
                text=text, MAX_MONTHS=MAX_MONTHS // 12
            )
        )
    return Duration(months)


def _months(text: str) -> int | None:
    m = _YEARS_MONTHS.fullmatch(text)
    if not m or not text:
        return None
    years, months = m.groups()
    return int(years or 0) * 12 + int(months or 0)


@lru_cache(maxsize=8192)
def end_of_term(start: PartialDate, duration: Duration) -> PartialDate | None:
    """The day a term of ``duration`` from ``start`` ends, at the precision the start allows.

    A start known to the day gives an end known to the day, on the same calendar
    day (or the month's last day when that day does not exist). A start known to
    the month or year gives an end at that precision, or None when the duration
    does not fit it (a year plus 18 months). A permanent term has no end.
    """
    if duration.months is None:
        return None
    if start.day is not None:
        return PartialDate.of(add_months(start.earliest(), duration.months))
    if start.month is not None:
        shifted = add_months(start.earliest(), duration.months)
        return PartialDate(shifted.year, shifted.month)
    if duration.months % 12 == 0:
        year = start.year + duration.months // 12
        if year > 9999:
            raise RelintError(
                _("a term of {duration} from {start} ends past the year 9999").format(
                    duration=duration, start=start
                )
            )
        return PartialDate(year)
    return None


@dataclass(frozen=True)
class Window:
    """How far ahead alerts look: whole days, or calendar months."""

    days: int = 0
    months: int = 0

    def end(self, first: date) -> date:
        """The last day of the window that opens on ``first`` (both ends count), or the
        calendar's last day when the window reaches past it."""
        try:
            return add_months(first, self.months) if self.months else add_days(first, self.days)
        except RelintError:
            return date.max

    def start(self, last: date) -> date:
        """The first day of the window that closes on ``last``: ``last`` less the window,
        by the same rule (a month's last day where the day does not exist), or the
        calendar's first day when the window reaches before it."""
        try:
            return add_months(last, -self.months) if self.months else add_days(last, -self.days)
        except RelintError:
            return date.min

    def __str__(self) -> str:
        return str(Duration(self.months)) if self.months else f"{self.days}d"


WINDOW_ACCEPTED = N_(
    "a number of days (90, 90d, 90 giorni), or months and years (6m, 1y, 1y6m, 6 mesi, 1 anno)"
)


def parse_window(text: str) -> Window:
    """Read ``90``, ``90d``, ``6m``, ``1y``, ``1y6m``: days, or calendar months and years."""
    cleaned = _compact(text.strip().lower())
    if m := _WINDOW.fullmatch(cleaned):
        return Window(days=int(m.group(1)))
    months = _months(cleaned)
    if months is None:
        raise RelintError(
            _("not a window: {text!r}; use {WINDOW_ACCEPTED}").format(
                text=text, WINDOW_ACCEPTED=_(WINDOW_ACCEPTED)
            )
        )
    return Window(months=months)
