"""The language relint speaks: how it is chosen, and a catalog that holds every message."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relint import i18n

LOCALE = Path(i18n.__file__).parent / "locale"
SOURCE = Path(i18n.__file__).parent


@pytest.mark.parametrize(
    ("argv", "environ", "expected"),
    [
        ([], {}, "en"),
        (["--lang", "it", "list"], {"RELINT_LANG": "en"}, "it"),
        (["--db", "x.db", "--lang=it", "list"], {}, "it"),
        (["list", "--lang", "it"], {}, "en"),  # a command's own words are its own
        ([], {"RELINT_LANG": "it", "LANG": "en_US.UTF-8"}, "it"),
        ([], {"LANG": "it_IT.UTF-8"}, "it"),
        ([], {"LANG": "it_CH"}, "it"),
        ([], {"LC_ALL": "it", "LANG": "en_GB.UTF-8"}, "it"),
        ([], {"LANGUAGE": "en:it", "LANG": "it_IT.UTF-8"}, "en"),  # the first one set
        ([], {"LANGUAGE": "", "LC_MESSAGES": "it_IT@euro"}, "it"),
        ([], {"LANG": "C"}, "en"),
        ([], {"LANG": "fr_FR.UTF-8"}, "en"),
    ],
)
def test_the_language_is_chosen_in_order(
    argv: list[str], environ: dict[str, str], expected: str
) -> None:
    assert i18n.chosen(argv, environ) == expected


def test_the_settings_choose_before_the_locale(tmp_path: Path) -> None:
    settings = tmp_path / "relint.toml"
    settings.write_text('lang = "it"\n', encoding="utf-8")
    given = {"RELINT_CONFIG": str(settings)}
    assert i18n.chosen([], given | {"LANG": "en_US.UTF-8"}) == "it"
    assert i18n.chosen([], given | {"RELINT_LANG": "en"}) == "en"
    home = {"XDG_CONFIG_HOME": str(tmp_path / "config")}
    (tmp_path / "config" / "relint").mkdir(parents=True)
    (tmp_path / "config" / "relint" / "config.toml").write_text('lang = "it"\n', "utf-8")
    assert i18n.chosen([], home) == "it"
    settings.write_text("lang = 7\n", encoding="utf-8")
    with pytest.raises(i18n.UnknownLanguage, match="lang is to be text"):
        i18n.chosen([], given)


@pytest.mark.parametrize(("argv", "environ"), [(["--lang", "fr"], {}), ([], {"RELINT_LANG": "de"})])
def test_an_unknown_language_is_refused_naming_both(
    argv: list[str], environ: dict[str, str]
) -> None:
    with pytest.raises(i18n.UnknownLanguage, match="use en or it"):
        i18n.chosen(argv, environ)


def test_every_message_marked_in_the_source_has_its_italian() -> None:
    """Extracted from the source as `pybabel extract` does: none missing from the
    catalog, none left untranslated, none fuzzy; and the compiled catalog is the one
    the .po makes."""
    from babel.messages.extract import extract_from_dir
    from babel.messages.mofile import read_mo
    from babel.messages.pofile import read_po

    keywords = {"_": None, "N_": None, "ngettext": (1, 2)}
    marked = {
        message if isinstance(message, str) else message[0]
        for _, _, message, _, _ in extract_from_dir(
            str(SOURCE), method_map=[("**.py", "relint.catalog:extract")], keywords=keywords
        )
    }
    po = LOCALE / "it" / "LC_MESSAGES" / "relint.po"
    catalog = read_po(po.open("rb"))
    held = {m.id if isinstance(m.id, str) else m.id[0]: m for m in catalog if m.id}
    assert sorted(marked - held.keys()) == []  # `pybabel update`, then translate them
    untranslated = [i for i, m in held.items() if not all(_strings(m.string)) or m.fuzzy]
    assert sorted(untranslated) == []
    # `pybabel compile` made the .mo from this .po: the same messages, the same Italian.
    shipped = read_mo(po.with_suffix(".mo").open("rb"))
    assert _messages(shipped) == _messages(catalog)


def test_italian_tables_leave_machine_words_alone() -> None:
    i18n.use("it")
    try:
        assert i18n.shown("status", "expiring") == "in scadenza"
        assert i18n.shown("kind", "twinning") == "gemellaggio"
        assert i18n.shown("counterpart", "expired") == "expired"  # data, not a word of ours
        assert i18n.shown("renewable", True) == "sì"
    finally:
        i18n.use("en")
    assert i18n.shown("status", "expiring") == "expiring"


def _strings(string: str | tuple[str, ...]) -> tuple[str, ...]:
    """A message's translations: one, or one for each plural form."""
    return (string,) if isinstance(string, str) else tuple(string)


def _messages(catalog: Any) -> dict[Any, Any]:
    """A catalog's messages: each id (a tuple for a plural) and its translation."""

    def plain(value: Any) -> Any:
        return value if isinstance(value, str) else tuple(value)

    return {plain(m.id): plain(m.string) for m in catalog if m.id}


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ('lang = "it"\n', "it"),
        ('# relint\nlang = "it"  # for cron\n[smtp]\nhost = "x"\n', "it"),
        ("lang = 'it'\n", "it"),  # not the plain form: read by tomllib
        ('[mail]\nlang = "it"\n', "en"),  # a key of a table, not relint's lang
        ('lang = """it"""\n', "it"),
        ("lang = \n", "en"),  # not TOML: said by the command that reads the settings
    ],
)
def test_the_settings_lang_is_read_as_toml_reads_it(
    tmp_path: Path, settings: str, expected: str
) -> None:
    path = tmp_path / "relint.toml"
    path.write_text(settings, encoding="utf-8")
    assert i18n.chosen([], {"RELINT_CONFIG": str(path)}) == expected


def test_the_last_lang_given_is_the_one() -> None:
    assert i18n.chosen(["--lang", "it", "--db", "x.db", "--lang=en", "list"], {}) == "en"
    assert i18n.chosen(["--lang", "en", "--lang", "it", "list"], {}) == "it"


@settings(max_examples=300, deadline=None)
@given(day=st.dates(), lang=st.sampled_from(["en", "it"]))
def test_prose_dates_are_babels(day: date, lang: str) -> None:
    from babel.dates import format_date

    i18n.use(lang)
    try:
        assert i18n.prose_date(day) == format_date(day, "d MMMM y", locale=lang)
        assert i18n.prose_month(day) == format_date(day, "MMMM y", locale=lang)
    finally:
        i18n.use("en")
