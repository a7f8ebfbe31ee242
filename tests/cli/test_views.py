"""Reading the registry through Typer's runner: list, expiring, search, show, kinds."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest

from relint.agreement import FIELDS
from relint.cli import quick
from relint.kinds import Kind

from ..conftest import Relint
from .helpers import AS_OF, add, listed


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
        (["--sort", ""], ["Città Vecchia", "Soon", "Far", "San Paolo", "Dubai"]),  # by id
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


def test_sort_by_duration_is_by_length(relint: Relint, db: Path) -> None:
    for duration in ("10y", "1y6m", "2y", "6m", "permanent"):
        add(relint, "--counterpart", duration, "--kind", "pact", "--duration", duration)
    assert [r["duration"] for r in listed(relint, "list", "--sort", "duration")] == [
        "6m", "1y6m", "2y", "10y", "permanent",
    ]  # fmt: skip


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


def test_expiring_exit_code(relint: Relint, sample: Path) -> None:
    listed_some = relint("expiring", "--exit-code", AS_OF)
    assert listed_some.code == 1
    assert "Soon" in listed_some.stdout
    assert relint("expiring", "--exit-code", "--as-of", "2030-01-01").code == 0
    assert relint("expiring", AS_OF).code == 0
    assert relint("expiring", "--exit-code", "--within", "soon").code == 1


def test_a_future_agreement_alerts_from_today(
    relint: Relint, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RELINT_TEST_TODAY", date(2026, 11, 22).isoformat())
    assert relint("add", "--counterpart", "Soon signed", "--kind", "pact", "--signed",
                  "2026-12-01", "--end", "2027-01-15", "--notice", "30").code == 0  # fmt: skip
    assert [r["counterpart"] for r in listed(relint, "expiring")] == ["Soon signed"]
    assert relint("expiring", "--exit-code", AS_OF).code == 1
    this_month = relint("expiring", "--as-of", "2026-11-01", "--within", "1y", "-f", "json")
    assert [r["counterpart"] for r in json.loads(this_month.stdout)] == ["Soon signed"]
    looking_back = relint("expiring", "--as-of", "2026-10-01", "--within", "1y", "-f", "json")
    assert json.loads(looking_back.stdout) == []  # in October it was not yet signed


# Search, show, kinds


def test_search_finds_without_accents_and_survives_any_query(relint: Relint, sample: Path) -> None:
    assert [r["counterpart"] for r in listed(relint, "search", "citta")] == ["Città Vecchia"]
    for query in ['"', "AND", "(", "*", "NEAR(", "-", "^", "'; DROP TABLE agreements; --"]:
        result = relint("search", query)
        assert result.code == 0, (query, result)
    assert len(listed(relint, "list")) == 5


def test_a_search_may_start_with_a_dash(
    relint: Relint, sample: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for query in ("-foo", "-fjson", "-", "-on", "-output"):
        result = relint("search", query)
        assert (result.code, result.stdout) == (0, ""), (query, result)
        assert result.stderr == f"Nothing found for {query!r}.\n"  # the query, whole
    assert list(tmp_path.iterdir()) == [tmp_path / "registry.db"]


def test_show_unknown_id(relint: Relint, sample: Path) -> None:
    result = relint("show", "42")
    assert result.code == 1
    assert result.stderr.strip() == "Error: no agreement with id 42"


def test_kinds_in_every_format(relint: Relint) -> None:
    table = relint("kinds")
    assert table.code == 0
    assert "collaboration   accordo di collaborazione   2y" in table.stdout
    as_json = json.loads(relint("kinds", "--format", "json").stdout)
    assert as_json[0] == {
        "kind": "twinning", "italian": "gemellaggio", "default_duration": "permanent",
        "renewable": False, "default_renewal": None,
    }  # fmt: skip
    assert as_json[2]["default_duration"] is None
    assert [
        line["kind"] for line in map(json.loads, relint("kinds", "-f", "jsonl").stdout.splitlines())
    ] == [kind.value for kind in Kind]
    assert relint("kinds", "-f", "csv").stdout.splitlines()[:3] == [
        "kind,italian,default_duration,renewable,default_renewal",
        "twinning,gemellaggio,permanent,false,",
        "collaboration,accordo di collaborazione,2y,true,2y",
    ]


@pytest.mark.parametrize(
    "argv",
    [
        ["list", "-f", "csv", "--as-of", "2017-09-01"],
        ["search", "milano", "--format", "json", "--as-of", "2017-09-01"],
        ["expiring", "--as-of", "2017-09-01", "--within", "1y"],
    ],
)
def test_listings_write_to_a_file_what_they_print(
    relint: Relint, shipped: Path, tmp_path: Path, argv: list[str]
) -> None:
    printed = relint(*argv)
    target = tmp_path / "out.txt"
    written = relint(*argv, "--output", str(target))
    assert (written.code, written.stdout) == (0, "")
    assert target.read_bytes() == printed.stdout_bytes != b""
    if argv[0] in quick.COMMANDS:  # the quick start writes the same file
        target.unlink()
        assert quick.run([*argv, "--output", str(target)]) == 0
        assert target.read_bytes() == printed.stdout_bytes


def test_a_listing_never_writes_over_the_registry(relint: Relint, shipped: Path) -> None:
    before = shipped.read_bytes()
    result = relint("list", "--output", str(shipped))
    assert result.code == 1
    assert "is the registry" in result.stderr
    assert shipped.read_bytes() == before
