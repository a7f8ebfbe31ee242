"""Dates as the office writes them: ISO, Italian, or partial (a year, a month).

A partial date is kept at the precision given and never completed from today.
Output is always ISO at that precision: ``1961``, ``1961-05``, ``1961-05-12``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cached_property, lru_cache

from relint.errors import RelintError
from relint.i18n import N_, _

MONTHS = {
    "gennaio": 1, "gen": 1, "january": 1, "jan": 1,
    "febbraio": 2, "feb": 2, "february": 2,
    "marzo": 3, "mar": 3, "march": 3,
    "aprile": 4, "apr": 4, "april": 4,
    "maggio": 5, "mag": 5, "may": 5,
    "giugno": 6, "giu": 6, "june": 6, "jun": 6,
    "luglio": 7, "lug": 7, "july": 7, "jul": 7,
    "agosto": 8, "ago": 8, "august": 8, "aug": 8,
    "settembre": 9, "set": 9, "sett": 9, "september": 9, "sep": 9, "sept": 9,
    "ottobre": 10, "ott": 10, "october": 10, "oct": 10,
    "novembre": 11, "nov": 11, "november": 11,
    "dicembre": 12, "dic": 12, "december": 12, "dec": 12,
}  # fmt: skip

MIN_YEAR, MAX_YEAR = 1000, 9999

_ISO = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", re.ASCII)
_NUMERIC_DAY_FIRST = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})", re.ASCII)
_NUMERIC_MONTH_YEAR = re.compile(r"(\d{1,2})[/.](\d{4})", re.ASCII)
_WORDS = re.compile(r"(?:([0-9]{1,2})[°º]?\s+)?([^\W\d_]+)\.?\s+([0-9]{4})")

ACCEPTED = N_("2016-02-15, 15/02/2016, 15 febbraio 2016, 1 mar 2020, or a year or month alone")


@dataclass(frozen=True, order=True)
class PartialDate:
    """A calendar date known to the day, the month or only the year."""

    year: int
    month: int | None = None
    day: int | None = None

    def __str__(self) -> str:
        return self._text

    @cached_property
    def _text(self) -> str:  # written once: dates are shared, and written often
        if self.day is not None:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month is not None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    @classmethod
    def of(cls, day: date) -> PartialDate:
        return cls(day.year, day.month, day.day)

    @classmethod
    def from_iso(cls, text: str) -> PartialDate:
        """The date ``str()`` wrote as ``text``; ValueError if it is not one."""
        parts = text.split("-")
        if not 1 <= len(parts) <= 3 or not all(p.isascii() and p.isdigit() for p in parts):
            raise ValueError(f"not a stored date: {text!r}")
        numbers = [int(part) for part in parts] + [None, None]
        try:
            return _checked(text, numbers[0], numbers[1], numbers[2])  # type: ignore[arg-type]
        except RelintError as error:
            raise ValueError(str(error)) from None

    @property
    def full(self) -> date | None:
        """The date itself when known to the day, else None."""
        if self.month is None or self.day is None:
            return None
        return date(self.year, self.month, self.day)

    def earliest(self) -> date:
        """The first day this date can stand for."""
        return date(self.year, self.month or 1, self.day or 1)

    def latest(self) -> date:
        """The last day this date can stand for."""
        month = self.month or 12
        return date(self.year, month, self.day or days_in_month(self.year, month))


@lru_cache(maxsize=8192)  # files and registries repeat their dates
def parse_date(text: str) -> PartialDate:
    """Read a date as staff type it; refuse anything impossible or ambiguous.

    ISO is read as ISO, numeric dates with the year last are always day first,
    and month names may be Italian or English, in full or abbreviated.
    """
    cleaned = " ".join(text.split()).lower()
    if not cleaned:
        raise RelintError(_("empty date: use {ACCEPTED}").format(ACCEPTED=_(ACCEPTED)))
    if m := _ISO.fullmatch(cleaned):
        year, month, day = m.groups()
    elif m := _NUMERIC_DAY_FIRST.fullmatch(cleaned):
        day, month, year = m.groups()
    elif m := _NUMERIC_MONTH_YEAR.fullmatch(cleaned):
        month, year = m.groups()
        day = None
    elif (m := _WORDS.fullmatch(cleaned)) and m.group(2) in MONTHS:
        day, name, year = m.groups()
        month = str(MONTHS[name])
    else:
        raise RelintError(
            _("not a date: {text!r}; use {ACCEPTED}").format(text=text, ACCEPTED=_(ACCEPTED))
        )
    return _checked(text, int(year), _int(month), _int(day))


def _int(value: str | None) -> int | None:
    return None if value is None else int(value)


def _checked(text: str, year: int, month: int | None, day: int | None) -> PartialDate:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise RelintError(
            _("impossible date {text!r}: the year must be {MIN_YEAR}-{MAX_YEAR}").format(
                text=text, MIN_YEAR=MIN_YEAR, MAX_YEAR=MAX_YEAR
            )
        )
    if month is not None and not 1 <= month <= 12:
        raise RelintError(
            _("impossible date {text!r}: there is no month {month}").format(text=text, month=month)
        )
    if day is not None:
        assert month is not None
        last = days_in_month(year, month)
        if not 1 <= day <= last:
            raise RelintError(
                _("impossible date {text!r}: {year:04d}-{month:02d} has days 1 to {last}").format(
                    text=text, year=year, month=month, last=last
                )
            )
    return PartialDate(year, month, day)


def days_in_month(year: int, month: int) -> int:
    """How many days ``month`` of ``year`` has."""
    if month == 2:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31


def add_months(day: date, months: int) -> date:
    """The same calendar day ``months`` later, or that month's last day if it has none.

    2016-02-29 + 24 months is 2018-02-28; 2015-11-09 + 24 months is 2017-11-09.

    dateutil's ``relativedelta(months=...)`` by hand, as tests check: it takes fifty
    times as long, and alerts add months for every agreement that renews itself.
    """
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    if not 1 <= year <= MAX_YEAR:
        raise RelintError(
            _("{day} plus {months} months is past the year {MAX_YEAR}").format(
                day=day, months=months, MAX_YEAR=MAX_YEAR
            )
        )
    return date(year, month + 1, min(day.day, days_in_month(year, month + 1)))


def add_days(day: date, days: int) -> date:
    """``day`` moved by ``days``, refused past the calendar's range."""
    try:
        return date.fromordinal(day.toordinal() + days)
    except (ValueError, OverflowError):
        raise RelintError(
            _("{day} plus {days} days is outside the calendar").format(day=day, days=days)
        ) from None
