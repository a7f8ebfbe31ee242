"""The command line as a whole, through Typer's runner: its commands, the registry it
chooses, errors and exit codes, and text kept as given."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import click
import pytest
import typer

from relint.cli import app

from ..conftest import Relint
from .helpers import add, rows


def test_every_command_is_there_with_help() -> None:
    group = typer.main.get_group(app)
    assert group.list_commands(None) == [  # type: ignore[arg-type]
        "list", "search", "expiring", "remind", "show", "add", "edit", "renew", "give-notice",
        "suspend", "resume", "terminate", "remove", "restore", "report", "export", "import",
        "history", "doctor", "backup", "init", "kinds", "serve",
    ]  # fmt: skip
    with click.Context(group) as ctx:  # each one built, from spec.COMMANDS or its module
        for name in group.list_commands(ctx):
            command = group.get_command(ctx, name)
            assert command is not None, name
            assert command.help, name


def test_version(relint: Relint) -> None:
    result = relint("--version")
    assert result.code == 0
    assert result.stdout.startswith("relint ")


def test_init_creates_once(relint: Relint, tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    assert relint("--db", str(path), "init").code == 0
    assert path.exists()
    before = path.read_bytes()
    again = relint("--db", str(path), "init")
    assert again.code == 1
    assert "already exists" in again.stderr
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--kind", "treaty"], "unknown kind"),
        (["--kind", "pact", "--signed", "2016-02-30"], "impossible date"),
        (["--kind", "pact", "--signed", "02/15/2016"], "no month 15"),
        (["--kind", "pact", "--duration", "forever"], "not a duration"),
        (["--kind", "pact", "--signed", "2020-01-01", "--end", "2019-01-01"], "before the start"),
        (["--kind", "pact", "--duration", "permanent", "--end", "2030-01-01"], "permanent"),
        (["--kind", "pact", "--counterpart", " "], "counterpart"),
        (["--kind", "pact", "--notice", "-1"], "whole number"),
        (["--kind", "pact", "--notice", "ten"], "whole number"),
        (["--kind", "pact", "--notice", "99999999999999999999"], "36500"),
        (["--kind", "pact", "--end", "2017-01-01", "--notice", "3000000"], "36500"),
    ],
)
def test_bad_input_is_one_line_on_stderr_exit_1_and_changes_nothing(
    relint: Relint, db: Path, args: list[str], message: str
) -> None:
    add(relint, "--counterpart", "Existing", "--kind", "pact")
    before = rows(db)
    result = relint("add", "--counterpart", "X", *args)
    assert result.code == 1
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert message in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert rows(db) == before


@pytest.mark.parametrize(
    "args",
    [
        ["add", "--kind", "pact"],
        ["show", "0"],
        ["show", "99999999999999999999"],
        ["remove", "99999999999999999999", "--yes"],
        ["list", "--format", "xml"],
        ["show"],
        ["show", "abc"],
        ["nosuchcommand"],
    ],
)
def test_usage_errors_exit_2(relint: Relint, db: Path, args: list[str]) -> None:
    result = relint(*args)
    assert result.code == 2
    assert "Error" in result.stderr
    assert rows(db) == []


def test_a_missing_registry_is_an_error_and_is_not_created(relint: Relint, tmp_path: Path) -> None:
    path = tmp_path / "absent.db"
    result = relint("--db", str(path), "list")
    assert result.code == 1
    assert "relint init" in result.stderr
    assert not path.exists()


def test_relint_db_chooses_the_registry(
    relint: Relint, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "other.db"
    assert relint("--db", str(other), "init").code == 0
    monkeypatch.setenv("RELINT_DB", str(other))
    assert add(relint, "--counterpart", "Osaka", "--kind", "twinning") == 1
    assert "Osaka" in relint("--db", str(other), "list").stdout


def test_text_that_is_not_utf8_is_refused(relint: Relint, db: Path) -> None:
    result = relint("add", "--counterpart", "bad\udcff", "--kind", "pact")
    assert result.code == 1
    assert "UTF-8" in result.stderr
    assert rows(db) == []


HOSTILE = (
    "  leading and trailing  ",
    "tab\tend\x7f\x85\u2028\u2029",
    "'; DROP TABLE agreements; --",
    'quote " and , comma\r\nnew line',
    "[bold red]markup[/]",
    "\x1b[2J\x1b[31mred",
    "\u202eright-to-left override",
    "emoji 🇮🇹 👍",
    "x" * 10_000,
)


@pytest.mark.parametrize("value", HOSTILE)
def test_text_is_stored_and_returned_verbatim(relint: Relint, db: Path, value: str) -> None:
    add(relint, "--counterpart", f"C {value}", "--kind", "pact", "--notes", value,
        "--sector", value, "--signatory", value)  # fmt: skip
    [record] = json.loads(relint("list", "--format", "json").stdout)
    assert (record["counterpart"], record["notes"]) == (f"C {value}", value)
    assert record["sectors"] == record["signatories"] == [value]
    [line] = relint("list", "--format", "jsonl").stdout.splitlines()
    assert json.loads(line)["notes"] == value
    csv_text = relint("list", "--format", "csv").stdout_bytes.decode("utf-8")
    [row] = list(csv.DictReader(io.StringIO(csv_text, newline="")))
    assert row["notes"] == row["sectors"] == value
    table = relint("list").stdout
    assert "\x1b" not in table
    assert "\u202e" not in table


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--notice", "\u00b2"], "whole number"),
        (["--signed", "\u0661\u0665/02/2016"], "not a date"),
        (["--duration", "99999999999999999999y"], "longer than"),
        (["--counterpart", "\u200b"], "needs a name"),
    ],
)
def test_lookalike_input_is_refused(
    relint: Relint, db: Path, args: list[str], message: str
) -> None:
    result = relint("add", "--kind", "pact", "--counterpart", "X", *args)
    assert result.code == 1
    assert message in result.stderr
    assert rows(db) == []


def test_damaged_values_are_one_line_errors(relint: Relint, sample: Path) -> None:
    conn = sqlite3.connect(sample)
    conn.execute("UPDATE agreements SET sectors = '[1, 2]' WHERE id = 1")
    conn.execute("UPDATE agreements SET notice_days = 'abc' WHERE id = 2")
    conn.commit()
    conn.close()
    for args in (
        ["show", "1"],
        ["show", "2"],
        ["list"],
        ["expiring"],
        ["edit", "2", "--notes", "x"],
    ):
        result = relint(*args)
        assert result.code == 1, args
        assert "damaged" in result.stderr


def test_an_empty_relint_db_is_refused(
    relint: Relint, shipped: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RELINT_DB", "")
    result = relint("add", "--counterpart", "X", "--kind", "pact")
    assert result.code == 2
    assert "RELINT_DB" in result.stderr
