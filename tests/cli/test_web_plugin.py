"""relint's plugin for Datasette, in this process: the rules on a connection, what the
registry's tables and columns are said to be, and cells as people read them."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from relint import i18n
from relint.web import metadata, plugin

from ..conftest import Relint
from .helpers import add


def test_a_record_is_read_anew_once_another_connection_wrote_or_the_day_changed(
    relint: Relint, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RELINT_TEST_TODAY", "2026-11-30")
    agreement = add(relint, "--counterpart", "Lione", "--kind", "pact", "--signed", "2025-01-01",
                    "--duration", "2y")  # fmt: skip
    rules = plugin.Rules(db)
    assert rules.field(agreement, "end") == "2027-01-01"
    assert rules.field(agreement, "days_left") == 32
    assert relint("edit", str(agreement), "--end", "2026-12-24").code == 0
    assert rules.field(agreement, "end") == "2026-12-24"  # the same agreement, asked again
    monkeypatch.setenv("RELINT_TEST_TODAY", "2026-12-01")
    assert rules.field(agreement, "days_left") == 23
    added = add(relint, "--counterpart", "Lione", "--kind", "pact", "--signed", "2025-01-01")
    assert rules.field(added, "counterpart") == "Lione"
    assert rules.field(added + 1, "counterpart") is None  # none such: the row has gone


def test_lists_and_flags_are_given_to_sqlite_as_it_holds_them(relint: Relint, db: Path) -> None:
    agreement = add(relint, "--counterpart", "Lione", "--kind", "collaboration", "--signed",
                    "2025-01-01", "--sector", "cultura", "--sector", "sport")  # fmt: skip
    rules = plugin.Rules(db)
    assert rules.field(agreement, "sectors") == '["cultura", "sport"]'
    assert (rules.field(agreement, "renewable"), rules.field(agreement, "auto_renew")) == (1, 0)
    data = {"table": "current", "columns": ["id", "sectors", "renewable"],
            "rows": [[agreement, '["cultura", "sport"]', 1]]}  # fmt: skip
    response = plugin.render_json({"_shape": "array"}, data, "table")
    assert json.loads(response.body) == [{"id": agreement, "sectors": ["cultura", "sport"],
                                          "renewable": True}]  # fmt: skip
    data = {"query_name": "expiring", "columns": ["id", "said", "alert", "renews"],
            "rows": [[agreement, "end", "end", "2y"]]}  # fmt: skip
    response = plugin.render_json({"_shape": "array"}, data, "query")
    assert json.loads(response.body) == [{"id": agreement, "alert": "end"}]  # as relint's JSON


def test_every_table_and_column_is_described_in_both_languages(db: Path) -> None:
    conn = sqlite3.connect(db)
    conn.create_function("relint_field", 2, lambda *_: None)  # the view's, to read its columns
    names = [row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')"
        " AND name NOT LIKE 'agreements_fts%' AND name != 'sqlite_sequence'"
    )]  # fmt: skip
    english = metadata.metadata()["databases"]["registry"]["tables"]
    i18n.use("it")
    italian = metadata.metadata()["databases"]["registry"]["tables"]
    assert sorted(names) == sorted(name for name in english if name != "sqlite_sequence")
    for name in names:
        columns = [row[1] for row in conn.execute(f"PRAGMA table_info({name})")]
        assert sorted(english[name]["columns"]) == sorted(columns), name
        for column in columns:
            assert italian[name]["columns"][column] != english[name]["columns"][column], column
        assert italian[name]["description"] != english[name]["description"]


class _Row(dict[str, object]):
    """A row as Datasette gives render_cell one (sqlite3.Row has keys too)."""


def _cell(
    value: object, column: str, table: str | None, row: dict[str, object] | None = None
) -> object:
    return plugin.render_cell(_Row(row or {column: value}), value, column, table, "registry", None)


def test_a_source_is_shown_with_its_links_and_nothing_else_as_html() -> None:
    cell = _cell('<b>Delibera</b> 12/2020: https://example.org/a?b=1&c=2, e "https://e.it/x".',
                 "source", "current")  # fmt: skip
    assert str(cell) == (
        "&lt;b&gt;Delibera&lt;/b&gt; 12/2020: "
        '<a href="https://example.org/a?b=1&amp;c=2" rel="noopener">'
        "https://example.org/a?b=1&amp;c=2</a>, e &quot;"
        '<a href="https://e.it/x" rel="noopener">https://e.it/x</a>&quot;.'
    )
    assert _cell("Comune di Milano, pagina", "source", "agreements") == "Comune di Milano, pagina"
    assert plugin.render_cell(_Row(), "https://e.it", "source", "t", "other", None) is None


def test_only_relint_s_own_rows_are_shown_as_relint_shows_them() -> None:
    # A reader's own SQL (table None) can name its columns as relint's: left as it is.
    for value, column in (("x", "id"), ("not json", "sectors"), ("[1, 2]", "signatories"),
                          (1, "renewable"), ("expired", "status")):  # fmt: skip
        assert _cell(value, column, None) is None
        assert _cell(value, column, "audit") is None
    assert _cell('["cultura", "sport"]', "sectors", "current") == "cultura; sport"
    assert _cell(1, "renewable", "current") == "Yes"
    expiring = dict.fromkeys(metadata.EXPIRING_COLUMNS)
    assert _cell("notice deadline, else it renews", "said", None, expiring) == (
        "notice deadline, else it renews"
    )
    i18n.use("it")
    assert _cell("expired", "status", "current") == "scaduto"
    assert _cell("tacit", "renews", None, expiring) == "rinnovo tacito"
