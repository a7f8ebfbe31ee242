"""The language relint speaks to people: English, or Italian.

Chosen, in this order, by ``--lang`` before the command, ``RELINT_LANG``, the ``lang``
key of the settings file, the locale as gettext reads it (``LANGUAGE``, then
``LC_ALL``, ``LC_MESSAGES``, ``LANG``: the first one set), else English. Cron runs
with no locale: the settings key or ``RELINT_LANG`` is how its output comes in
Italian.

Messages for people are written in English and marked where they are written:
``_("Added agreement {id}")``. Their Italian is in the gettext catalog
``relint/locale/it/LC_MESSAGES/relint.po``, compiled to the ``relint.mo`` beside it
(see the README's "Translating"). English needs no catalog: unless Italian is
chosen, ``_`` gives its message back and gettext is not even imported, so that
start-up costs nothing. What programs read (csv, json, the calendar) is never
translated.

Typer's own words (its help sections, "Missing command") come through the standard
library's gettext, which Typer reads as it is imported: the language is set first,
by ``relint.entry``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING

from relint.errors import RelintError

if TYPE_CHECKING:  # what loads only when Italian is chosen, or a date said in prose
    import gettext
    from datetime import date

LANGUAGES = ("en", "it")
DOMAIN = "relint"
LOCALES = os.path.join(os.path.dirname(__file__), "locale")
_catalog: gettext.GNUTranslations | None = None
_language_before: str | None = None  # LANGUAGE before Italian set it, to put back


class UnknownLanguage(RelintError):
    """A language relint does not speak: a usage error (exit 2)."""


def _(message: str) -> str:
    """``message`` in the language chosen."""
    return message if _catalog is None else _catalog.gettext(message)


def N_(message: str) -> str:
    """``message`` as it is: marks a message translated later, where it is shown (a
    table's heading, a status), for the catalog to hold it."""
    return message


# The words of tables that are values, not prose: shown in the language chosen, kept
# as they are in every machine format.
WORDS = frozenset({
    N_("active"), N_("expiring"), N_("expired"), N_("unknown"), N_("permanent"),
    N_("terminated"), N_("suspended"), N_("renewing"),
    N_("notice given"), N_("tacit"), N_("renewable"), N_("no"),
    N_("notice deadline, else it renews"), N_("notice deadline"), N_("end: notice was given"),
    N_("renews, unless notice was given"), N_("end"), N_("notice"),
})  # fmt: skip


WORD_KEYS = frozenset(
    {
        "status",
        "said",
        "renews",
        "renewal",
        "alert",
        "duration",
        "default_duration",
        "default_renewal",
    }
)  # the columns whose cells may be such words
_TRUE, _FALSE = N_("true"), N_("false")

# Typer's own words, which it reads through the standard gettext (see the module's
# doc): here for the catalog to hold them.
TYPER = (
    N_("Options"), N_("Arguments"), N_("Commands"), N_("(dynamic)"), N_("default: {default}"),
    N_("required"), N_("env var: {var}"), N_("Missing command."), N_("No such command {name!r}."),
    N_("Aborted!"),
)  # fmt: skip


def shown(key: str, value: object) -> object:
    """A table's cell for people: a kind by its Italian name, a status or other word of
    ``WORDS`` translated, when Italian is chosen; any other value as it is."""
    if _catalog is None:
        return value
    if key == "missing" and isinstance(value, list):  # what a record lacks, in words
        return [_catalog.gettext(words) for words in value]
    if key == "changed" and isinstance(value, str):  # the fields an entry changed
        return ", ".join(_catalog.gettext(name) for name in value.split(", "))
    if isinstance(value, bool):
        return _(_TRUE if value else _FALSE)
    if not isinstance(value, str):
        return value
    if key == "kind":
        from relint.kinds import ITALIAN, Kind

        try:
            return ITALIAN[Kind(value)]
        except ValueError:
            return value
    return _catalog.gettext(value) if key in WORD_KEYS and value in WORDS else value


def yes_no() -> tuple[str, str]:
    """True and false as people in a spreadsheet read them: Sì and No, Yes and No."""
    return _("Yes"), _("No")


def ngettext(singular: str, plural: str, count: int) -> str:
    """``singular`` or ``plural``, as ``count`` asks, in the language chosen."""
    if _catalog is None:
        return singular if count == 1 else plural
    return _catalog.ngettext(singular, plural, count)


# The names of the months, as Babel's ``format_date(day, "MMMM")`` gives them from the
# Unicode CLDR; tests/rules/test_i18n.py holds them to it. Written here, for loading
# Babel's locale data would double the start-up of a report.
MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
    "it": ("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto",
           "settembre", "ottobre", "novembre", "dicembre"),
}  # fmt: skip


def prose_date(day: date) -> str:
    """``day`` as prose writes it, in the language chosen: 17 October 2025, 17 ottobre
    2025 (Babel's ``d MMMM y``; ISO dates everywhere else)."""
    return f"{day.day} {prose_month(day)}"


def prose_month(day: date) -> str:
    """The month of ``day`` and its year, as prose writes them: December 2026, dicembre
    2026 (Babel's ``MMMM y``)."""
    return f"{MONTHS[language()][day.month - 1]} {day.year}"


def language() -> str:
    """The language in use: "en" or "it"."""
    return "en" if _catalog is None else "it"


def chosen(argv: list[str], environ: Mapping[str, str] = os.environ) -> str:
    """The language ``argv`` (relint's arguments) and ``environ`` choose."""
    if _catalog is not None and environ is os.environ:  # LANGUAGE is ours: see use
        environ = {k: v for k, v in environ.items() if k != "LANGUAGE"}
        if _language_before is not None:
            environ["LANGUAGE"] = _language_before
    given = _option(argv)
    if given is not None:
        return _known(given, "--lang")
    if environ.get("RELINT_LANG"):
        return _known(environ["RELINT_LANG"], "RELINT_LANG")
    configured = _configured(environ)
    if configured is not None:
        return _known(configured, "the settings' lang")
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        if environ.get(name):
            return "it" if _locale_language(environ[name]) == "it" else "en"
    return "en"


def _option(argv: list[str]) -> str | None:
    """The value of ``--lang`` among the options before the command, if given (the last
    one, as Click takes it)."""
    found, index = None, 0
    while index < len(argv) and argv[index].startswith("-"):  # up to the command
        word = argv[index]
        if word in ("--lang", "--db"):  # the root options that take a value
            value = argv[index + 1] if index + 1 < len(argv) else ""
            found = value if word == "--lang" else found
            index += 2
            continue
        if word.startswith("--lang="):
            found = word.removeprefix("--lang=")
        index += 1
    return found


def _configured(environ: Mapping[str, str]) -> str | None:
    """The ``lang`` of the settings file (``relint.settings.location``), if it has one.
    Read at every start, without the rest of the settings: only when a file is there."""
    path = environ.get("RELINT_CONFIG") or os.path.join(
        environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config"),
        "relint", "config.toml",
    )  # fmt: skip
    if not os.path.isfile(path):
        return None
    try:
        with open(path, encoding="utf-8") as file:
            text = file.read()
    except (OSError, UnicodeDecodeError):
        return None  # said by the command that reads the settings, if any
    # A key before the first table, written plainly (lang = "it"), is read without
    # loading tomllib, at every start; anything else about a lang key, by tomllib.
    head = re.split(r"^\s*\[", text, maxsplit=1, flags=re.M)[0]
    if not re.search(r"^\s*lang\s*=", head, re.M):
        return None
    if plain := re.search(r"^\s*lang\s*=\s*\"([a-z]*)\"\s*(?:#.*)?$", head, re.M):
        return plain.group(1)
    import tomllib

    try:
        value = tomllib.loads(text).get("lang")
    except tomllib.TOMLDecodeError:
        return None
    if value is not None and not isinstance(value, str):
        raise UnknownLanguage(f"{path}: lang is to be text: en or it")
    return value


def _locale_language(value: str) -> str:
    """The language of a locale setting: "it" for it, it_IT.UTF-8, it_CH, it:en."""
    first = value.split(":")[0]
    return first.split(".")[0].split("@")[0].split("_")[0].lower()


def _known(value: str, where: str) -> str:
    if value in LANGUAGES:
        return value
    raise UnknownLanguage(f"{where}: {value!r} is not a language relint speaks; use en or it")


@contextmanager
def english() -> Iterator[None]:
    """English inside, whatever the language chosen: for what programs read."""
    global _catalog
    catalog, _catalog = _catalog, None
    try:
        yield
    finally:
        _catalog = catalog


def use(lang: str) -> None:
    """Speak ``lang`` from now on: relint's messages, and Typer's (through gettext)."""
    global _catalog, _language_before
    if lang == "en":
        if _catalog is not None:
            import gettext

            gettext.textdomain("messages")  # Python's default: no catalog, English
            _catalog = None
            if _language_before is None:  # LANGUAGE as it was before Italian was chosen
                os.environ.pop("LANGUAGE", None)
            else:
                os.environ["LANGUAGE"] = _language_before
        return
    import gettext

    _catalog_was_none = _catalog is None
    _catalog = gettext.translation(DOMAIN, LOCALES, languages=[lang])
    # Typer's words: the standard gettext reads the program's domain, in the language
    # LANGUAGE names first.
    gettext.bindtextdomain(DOMAIN, LOCALES)
    gettext.textdomain(DOMAIN)
    if _catalog_was_none:
        _language_before = os.environ.get("LANGUAGE")
    os.environ["LANGUAGE"] = lang
