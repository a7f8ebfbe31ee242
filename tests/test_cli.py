"""The commands as staff and scripts use them, through Typer's runner."""

from __future__ import annotations

import csv
import io
import json
import shlex
import sqlite3
from datetime import date
from pathlib import Path

import pytest
import typer

from relint.agreement import FIELDS
from relint.cli import app
from relint.kinds import Kind

from .conftest import Relint

AS_OF = "--as-of=2026-11-22"


def add(relint: Relint, *args: str) -> int:
    result = relint("add", *args)
    assert result.code == 0, result
    return int(result.stdout.splitlines()[-1])


def rows(db: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return (
            conn.execute("SELECT * FROM agreements ORDER BY id").fetchall()
            + conn.execute("SELECT * FROM terms ORDER BY agreement_id, seq").fetchall()
        )
    finally:
        conn.close()


def test_every_command_is_there_with_help() -> None:
    group = typer.main.get_group(app)
    assert group.list_commands(None) == [  # type: ignore[arg-type]
        "list", "search", "expiring", "show", "add", "edit", "renew", "terminate", "remove",
        "restore", "report", "export", "import", "history", "doctor", "backup", "init", "kinds",
    ]  # fmt: skip
    for name, command in group.commands.items():
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


def test_add_prints_the_new_id_alone_on_the_last_line(relint: Relint, db: Path) -> None:
    first = relint("add", "--counterpart", "Chengdu", "--kind", "accordo di collaborazione",
                   "--signed", "30/09/2015", "--duration", "3y")  # fmt: skip
    assert first.code == 0
    assert first.stdout.splitlines()[-1] == "1"
    assert add(relint, "--counterpart", "Tehran", "--kind", "pact") == 2
    record = json.loads(relint("show", "1", "-f", "json").stdout)
    assert (record["kind"], record["start"], record["end"]) == (
        "collaboration",
        "2015-09-30",
        "2018-09-30",
    )


def test_add_stores_every_option(relint: Relint, db: Path) -> None:
    new_id = add(
        relint, "--counterpart", "Tehran", "--kind", "patto di collaborazione",
        "--party", "Comune di Milano", "--country", "Iran", "--title", "Patto",
        "--signed", "15 febbraio 2016", "--duration", "triennale", "--renewable",
        "--auto-renew", "--notice", "90", "--sector", "turismo", "--sector", "cultura; design",
        "--signatory", "Giuliano Pisapia", "--source", "https://example.org", "--notes", "n",
    )  # fmt: skip
    record = json.loads(relint("show", str(new_id), "--format", "json", AS_OF).stdout)
    assert [k for k in record if k in FIELDS] == list(FIELDS)
    assert record | {"terms": None} == {
        "id": 1, "kind": "pact", "title": "Patto", "party": "Comune di Milano",
        "counterpart": "Tehran", "country": "Iran", "signed": "2016-02-15",
        "start": "2016-02-15", "duration": "3y", "end": "2019-02-15", "renewable": True,
        "auto_renew": True, "notice_days": 90, "sectors": ["turismo", "cultura; design"],
        "signatories": ["Giuliano Pisapia"], "source": "https://example.org", "notes": "n",
        "status": "expired", "days_left": -2837, "notice_deadline": "2018-11-17",
        "terminated_on": None, "termination_reason": None, "terms": None,
    }  # fmt: skip
    assert record["terms"] == [
        {"signed": "2016-02-15", "start": "2016-02-15", "duration": "3y", "end": "2019-02-15"}
    ]


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


# Listing


SAMPLE = (
    "--counterpart 'Città Vecchia' --kind collaboration --signed 2015-11-09"
    " --party 'Comune di Milano' --country 'Stati Uniti' --sector turismo",
    "--counterpart Soon --kind protocol --signed 2025-01-01 --end 2026-12-31"
    " --party 'Regione Lombardia' --country Italia --sector economia",
    "--counterpart Far --kind pact --signed 2026-01-01 --end 2028-06-30 --notice 600"
    " --country Francia",
    "--counterpart 'San Paolo' --kind gemellaggio --signed 1961",
    "--counterpart Dubai --kind pact --signed 2015-10-15",
)


@pytest.fixture
def sample(relint: Relint, db: Path) -> Path:
    """Five agreements, one of each status as of 2026-11-22."""
    for line in SAMPLE:
        add(relint, *shlex.split(line))
    return db


def listed(relint: Relint, *args: str) -> list[dict[str, object]]:
    result = relint(*args, "--format", "json", AS_OF)
    assert result.code == 0, result
    parsed: list[dict[str, object]] = json.loads(result.stdout)
    return parsed


def test_list_shows_every_status(relint: Relint, sample: Path) -> None:
    statuses = {r["counterpart"]: r["status"] for r in listed(relint, "list")}
    assert statuses == {
        "Città Vecchia": "expired",
        "Soon": "expiring",
        "Far": "active",
        "San Paolo": "permanent",
        "Dubai": "unknown",
    }


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--kind", "pact"], ["Far", "Dubai"]),
        (["--kind", "patto di collaborazione", "--kind", "gemellaggio"],
         ["Far", "San Paolo", "Dubai"]),
        (["--status", "unknown"], ["Dubai"]),
        (["--status", "expired", "--status", "expiring"], ["Città Vecchia", "Soon"]),
        (["--party", "regione"], ["Soon"]),
        (["--country", "stati"], ["Città Vecchia"]),
        (["--sector", "TURISMO"], ["Città Vecchia"]),
        (["--sort", "end"], ["Città Vecchia", "Soon", "Far", "San Paolo", "Dubai"]),
        (["--sort", "-end"], ["Far", "Soon", "Città Vecchia", "San Paolo", "Dubai"]),
        (["--sort", "counterpart"], ["Città Vecchia", "Dubai", "Far", "San Paolo", "Soon"]),
        (["--status", "terminated"], []),
    ],
)  # fmt: skip
def test_list_filters_and_sorts(
    relint: Relint, sample: Path, args: list[str], expected: list[str]
) -> None:
    assert [r["counterpart"] for r in listed(relint, "list", *args)] == expected


def test_list_refuses_unknown_filters(relint: Relint, sample: Path) -> None:
    for args in (["--status", "late"], ["--sort", "colour"], ["--kind", "x"], ["--as-of", "2026"]):
        result = relint("list", *args)
        assert result.code == 1, args
        assert result.stdout == ""


def test_csv_is_rfc_4180_with_a_header_and_lists_joined(relint: Relint, db: Path) -> None:
    add(relint, "--counterpart", 'Quote "and", comma', "--kind", "pact", "--notes", "two\nlines",
        "--sector", "a", "--sector", "b")  # fmt: skip
    result = relint("list", "--format", "csv", AS_OF)
    assert result.stdout.startswith(",".join(FIELDS) + "\r\n")
    assert result.stdout.count("\r\n") == 2  # the header and the record; its own newline stays
    records = list(csv.DictReader(io.StringIO(result.stdout, newline="")))
    assert records[0]["counterpart"] == 'Quote "and", comma'
    assert records[0]["notes"] == "two\nlines"
    assert records[0]["sectors"] == "a; b"
    assert records[0]["renewable"] == "false"
    assert records[0]["days_left"] == ""


def test_jsonl_is_one_object_per_line(relint: Relint, sample: Path) -> None:
    lines = relint("list", "--format", "jsonl", AS_OF).stdout.splitlines()
    assert [json.loads(line)["id"] for line in lines] == [1, 2, 3, 4, 5]


@pytest.mark.parametrize(("fmt", "stdout"), [("json", "[]\n"), ("jsonl", ""), ("table", "")])
def test_an_empty_listing_exits_0_and_says_so_on_stderr(
    relint: Relint, db: Path, fmt: str, stdout: str
) -> None:
    result = relint("expiring", "--format", fmt)
    assert result.code == 0
    assert result.stdout == stdout
    assert "Nothing" in result.stderr


def test_an_empty_csv_is_the_header_alone(relint: Relint, db: Path) -> None:
    assert relint("list", "--format", "csv").stdout == ",".join(FIELDS) + "\r\n"


def test_the_table_prints_registry_values_as_text(relint: Relint, db: Path) -> None:
    add(relint, "--counterpart", "[bold red]Not markup[/] \x1b[2J", "--kind", "pact")
    out = relint("list").stdout
    assert "[bold red]Not markup[/] \\x1b[2J" in out
    assert "\x1b" not in out


# Expiring


def test_expiring_lists_ends_and_notice_deadlines_in_the_window_soonest_first(
    relint: Relint, sample: Path
) -> None:
    assert [r["counterpart"] for r in listed(relint, "expiring")] == ["Soon"]
    # Far ends 2028-06-30 with 600 days of notice: its deadline is 2026-11-08.
    assert listed(relint, "expiring", "--within", "2y") == listed(
        relint, "expiring", "--within", "730"
    )
    assert [r["counterpart"] for r in listed(relint, "expiring", "--within", "2y")] == [
        "Soon",
        "Far",
    ]
    result = relint("expiring", "--as-of", "2026-11-01", "--within", "7d", "--format", "json")
    assert [r["counterpart"] for r in json.loads(result.stdout)] == ["Far"]


def test_expiring_window_boundaries_are_inclusive(relint: Relint, sample: Path) -> None:
    # Soon ends 2026-12-31: 39 days after the as-of date.
    assert [r["counterpart"] for r in listed(relint, "expiring", "--within", "39")] == ["Soon"]
    assert listed(relint, "expiring", "--within", "38") == []
    same_day = relint("expiring", "--as-of", "2026-12-31", "--within", "0", "-f", "json")
    assert [r["counterpart"] for r in json.loads(same_day.stdout)] == ["Soon"]
    after = relint("expiring", "--as-of", "2027-01-01", "-f", "json")
    assert json.loads(after.stdout) == []


def test_expiring_refuses_a_bad_window(relint: Relint, sample: Path) -> None:
    result = relint("expiring", "--within", "soon")
    assert result.code == 1
    assert "90d" in result.stderr


def test_expiring_table_names_the_alert(relint: Relint, sample: Path) -> None:
    out = relint("expiring", "--as-of", "2026-11-01").stdout
    assert "notice deadline" in out
    assert "2026-11-08" in out


# Search


def test_search_finds_without_accents_and_survives_any_query(relint: Relint, sample: Path) -> None:
    assert [r["counterpart"] for r in listed(relint, "search", "citta")] == ["Città Vecchia"]
    for query in ['"', "AND", "(", "*", "NEAR(", "-", "^", "'; DROP TABLE agreements; --"]:
        result = relint("search", query)
        assert result.code == 0, (query, result)
    assert len(listed(relint, "list")) == 5


# Edit, renew, terminate, remove


def test_edit_changes_what_is_given_and_clears_what_is_empty(relint: Relint, sample: Path) -> None:
    result = relint("edit", "1", "--signed", "2016-02-29", "--notes", "rinnovo?", "--country", "")
    assert result.code == 0, result
    record = json.loads(relint("show", "1", "-f", "json").stdout)
    assert (record["start"], record["end"], record["notes"], record["country"]) == (
        "2016-02-29", "2018-02-28", "rinnovo?", None,
    )  # fmt: skip


def test_edit_with_nothing_to_change_or_an_unknown_id_fails(relint: Relint, sample: Path) -> None:
    before = rows(sample)
    assert relint("edit", "1").code == 1
    missing = relint("edit", "99", "--notes", "x")
    assert missing.code == 1
    assert "no agreement with id 99" in missing.stderr
    assert rows(sample) == before


def test_renew_adds_a_term_that_show_displays(relint: Relint, sample: Path) -> None:
    assert relint("renew", "1").code == 0
    assert relint("renew", "1", "--duration", "1y").code == 0
    record = json.loads(relint("show", "1", "-f", "json").stdout)
    assert [(t["start"], t["end"]) for t in record["terms"]] == [
        ("2015-11-09", "2017-11-09"),
        ("2017-11-09", "2019-11-09"),
        ("2019-11-09", "2020-11-09"),
    ]
    assert "2019-11-09" in relint("show", "1").stdout


def test_renew_refuses_both_a_duration_and_an_end(relint: Relint, sample: Path) -> None:
    before = rows(sample)
    assert relint("renew", "1", "--duration", "1y", "--end", "2030-01-01").code == 2
    assert relint("renew", "5").code == 1  # no end to renew from
    assert rows(sample) == before


def test_terminate_records_a_date_and_a_reason(relint: Relint, sample: Path) -> None:
    result = relint("terminate", "3", "--on", "1 ottobre 2026", "--reason", "Recesso")
    assert result.code == 0, result
    record = json.loads(relint("show", "3", "-f", "json", AS_OF).stdout)
    assert (record["status"], record["terminated_on"], record["termination_reason"]) == (
        "terminated", "2026-10-01", "Recesso",
    )  # fmt: skip
    assert relint("terminate", "3", "--on", "2026-10-02", "--reason", "x").code == 1
    assert relint("terminate", "4", "--reason", "x").code == 2


def test_remove_asks_or_needs_yes(relint: Relint, sample: Path) -> None:
    refused = relint("remove", "2")
    assert refused.code == 1
    assert "--yes" in refused.stderr
    assert len(listed(relint, "list")) == 5
    assert relint("remove", "2", "--yes").code == 0
    assert [r["id"] for r in listed(relint, "list")] == [1, 3, 4, 5]
    assert relint("remove", "2", "--yes").code == 1


def test_remove_on_a_terminal_asks_first(
    relint: Relint, sample: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("relint.cli.base.stdin_is_terminal", lambda: True)
    declined = relint("remove", "2", input="n\n")
    assert declined.code == 1
    assert len(listed(relint, "list")) == 5
    accepted = relint("remove", "2", input="y\n")
    assert accepted.code == 0
    assert len(listed(relint, "list")) == 4


def test_show_unknown_id(relint: Relint, sample: Path) -> None:
    result = relint("show", "42")
    assert result.code == 1
    assert result.stderr.strip() == "Error: no agreement with id 42"


def test_text_that_is_not_utf8_is_refused(relint: Relint, db: Path) -> None:
    result = relint("add", "--counterpart", "bad\udcff", "--kind", "pact")
    assert result.code == 1
    assert "UTF-8" in result.stderr
    assert rows(db) == []


def test_sort_by_duration_is_by_length(relint: Relint, db: Path) -> None:
    for duration in ("10y", "1y6m", "2y", "6m", "permanent"):
        add(relint, "--counterpart", duration, "--kind", "pact", "--duration", duration)
    assert [r["duration"] for r in listed(relint, "list", "--sort", "duration")] == [
        "6m", "1y6m", "2y", "10y", "permanent",
    ]  # fmt: skip


def test_edit_clears_the_notice(relint: Relint, sample: Path) -> None:
    assert relint("edit", "3", "--notice", "").code == 0
    assert json.loads(relint("show", "3", "-f", "json").stdout)["notice_days"] is None


def test_list_as_of_a_past_date_shows_the_term_then_known(relint: Relint, db: Path) -> None:
    add(relint, "--counterpart", "CCIAA", "--kind", "protocol", "--signed", "2019-06-20",
        "--end", "2021-06-30")  # fmt: skip
    renewed = relint("renew", "1", "--start", "2021-07-06", "--end", "2023-06-30",
                     "--signed", "2021-07-06")  # fmt: skip
    assert renewed.code == 0
    assert "not renewable" in renewed.stderr
    [then] = json.loads(relint("list", "-f", "json", "--as-of", "2021-04-15").stdout)
    assert (then["end"], then["status"], then["days_left"]) == ("2021-06-30", "expiring", 76)
    expiring = relint("expiring", "-f", "json", "--as-of", "2021-04-15")
    assert [r["end"] for r in json.loads(expiring.stdout)] == ["2021-06-30"]
    [now] = json.loads(relint("list", "-f", "json", AS_OF).stdout)
    assert (now["signed"], now["end"], now["status"]) == ("2021-07-06", "2023-06-30", "expired")


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


def test_edit_keeps_a_termination_within_the_term(relint: Relint, sample: Path) -> None:
    assert relint("terminate", "3", "--on", "2026-10-01", "--reason", "x").code == 0
    before = rows(sample)
    result = relint("edit", "3", "--end", "2026-06-30")
    assert result.code == 1
    assert "termination" in result.stderr
    assert rows(sample) == before


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


def test_expiring_exit_code(relint: Relint, sample: Path) -> None:
    listed_some = relint("expiring", "--exit-code", AS_OF)
    assert listed_some.code == 1
    assert "Soon" in listed_some.stdout
    assert relint("expiring", "--exit-code", "--as-of", "2030-01-01").code == 0
    assert relint("expiring", AS_OF).code == 0
    assert relint("expiring", "--exit-code", "--within", "soon").code == 1


def test_a_search_may_start_with_a_dash(relint: Relint, sample: Path) -> None:
    for query in ("-foo", "-fjson", "-"):
        result = relint("search", query)
        assert result.code == 0, (query, result)


def test_an_empty_relint_db_is_refused(
    relint: Relint, shipped: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RELINT_DB", "")
    result = relint("add", "--counterpart", "X", "--kind", "pact")
    assert result.code == 2
    assert "RELINT_DB" in result.stderr


def test_a_future_agreement_alerts_from_today(
    relint: Relint, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("relint.clock.today", lambda: date(2026, 11, 22))
    assert relint("add", "--counterpart", "Soon signed", "--kind", "pact", "--signed",
                  "2026-12-01", "--end", "2027-01-15", "--notice", "30").code == 0  # fmt: skip
    assert [r["counterpart"] for r in listed(relint, "expiring")] == ["Soon signed"]
    assert relint("expiring", "--exit-code", AS_OF).code == 1
    this_month = relint("expiring", "--as-of", "2026-11-01", "--within", "1y", "-f", "json")
    assert [r["counterpart"] for r in json.loads(this_month.stdout)] == ["Soon signed"]
    looking_back = relint("expiring", "--as-of", "2026-10-01", "--within", "1y", "-f", "json")
    assert json.loads(looking_back.stdout) == []  # in October it was not yet signed


def test_kinds_in_every_format(relint: Relint) -> None:
    table = relint("kinds")
    assert table.code == 0
    assert "collaboration   accordo di collaborazione   2y" in table.stdout
    as_json = json.loads(relint("kinds", "--format", "json").stdout)
    assert as_json[0] == {
        "kind": "twinning", "italian": "gemellaggio", "default_duration": "permanent",
        "renewable": False,
    }  # fmt: skip
    assert as_json[2]["default_duration"] is None
    assert [
        line["kind"] for line in map(json.loads, relint("kinds", "-f", "jsonl").stdout.splitlines())
    ] == [kind.value for kind in Kind]
    assert relint("kinds", "-f", "csv").stdout.splitlines()[:3] == [
        "kind,italian,default_duration,renewable",
        "twinning,gemellaggio,permanent,false",
        "collaboration,accordo di collaborazione,2y,true",
    ]
