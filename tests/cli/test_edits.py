"""Changing the registry through Typer's runner: add, edit, renew, terminate, remove."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from relint.agreement import FIELDS

from ..conftest import Relint
from .helpers import AS_OF, add, listed, rows


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
        "--renewal", "1y6m", "--notice-given", "2027-09-01", "--notice-reason", "disdetta",
    )  # fmt: skip
    record = json.loads(relint("show", str(new_id), "--format", "json", AS_OF).stdout)
    assert [k for k in record if k in FIELDS] == list(FIELDS)
    # Three years from 2016-02-15, then 18-month terms renewing by themselves: the
    # seventh, 2026-08-15 to 2028-02-15, is in force on 2026-11-22.
    assert record | {"terms": None} == {
        "id": 1, "kind": "pact", "title": "Patto", "party": "Comune di Milano",
        "counterpart": "Tehran", "country": "Iran", "signed": "2016-02-15",
        "start": "2026-08-15", "duration": "1y6m", "end": "2028-02-15", "renewable": True,
        "auto_renew": True, "notice_days": 90, "sectors": ["turismo", "cultura; design"],
        "signatories": ["Giuliano Pisapia"], "source": "https://example.org", "notes": "n",
        "status": "active", "days_left": 450, "renewal": "1y6m", "term": 7,
        "notice_deadline": "2027-11-17", "terminated_on": None, "termination_reason": None,
        "notice_given": "2027-09-01", "notice_reason": "disdetta", "suspensions": [],
        "terms": None,
    }  # fmt: skip
    first = {"signed": "2016-02-15", "start": "2016-02-15", "duration": "3y"}
    ends = ["2019-02-15", "2020-08-15", "2022-02-15", "2023-08-15", "2025-02-15",
            "2026-08-15", "2028-02-15"]  # fmt: skip
    tacit = {"signed": "2016-02-15", "duration": "1y6m", "tacit": True}
    assert record["terms"] == [
        first | {"end": ends[0], "tacit": False},
        *(tacit | {"start": start, "end": end} for start, end in itertools.pairwise(ends)),
    ]


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


def test_edit_clears_the_notice(relint: Relint, sample: Path) -> None:
    assert relint("edit", "3", "--notice", "").code == 0
    assert json.loads(relint("show", "3", "-f", "json").stdout)["notice_days"] is None


def test_edit_keeps_a_termination_within_the_term(relint: Relint, sample: Path) -> None:
    assert relint("terminate", "3", "--on", "2026-10-01", "--reason", "x").code == 0
    before = rows(sample)
    result = relint("edit", "3", "--end", "2026-06-30")
    assert result.code == 1
    assert "termination" in result.stderr
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
    monkeypatch.setattr("relint.cli.typer_app.stdin_is_terminal", lambda: True)
    declined = relint("remove", "2", input="n\n")
    assert declined.code == 1
    assert len(listed(relint, "list")) == 5
    accepted = relint("remove", "2", input="y\n")
    assert accepted.code == 0
    assert len(listed(relint, "list")) == 4


@pytest.mark.parametrize(
    "argv",
    [
        ["renew", "1", "--duration", "", "--end", ""],
        ["renew", "1", "--duration", "bad", "--end", "2020-01-01"],
        ["report", "--month", "bad", "--as-of", "2020-01-01"],
        ["report", "--month", "", "--as-of", ""],
        ["export", "-f", "json", "--raw", "--as-of", "bad"],
        ["export", "-f", "ics", "--excel", "--kind", "bogus"],
    ],
)
def test_options_that_exclude_each_other_are_a_usage_error_before_any_is_read(
    relint: Relint, sample: Path, argv: list[str]
) -> None:
    before = sample.read_bytes()
    result = relint(*argv)
    assert result.code == 2, result
    assert result.stderr.splitlines()[-1].endswith(", not both") or "are for csv and tsv" in (
        result.stderr
    )
    assert sample.read_bytes() == before


def test_a_fault_after_a_commit_exits_3_even_when_debugging(
    relint: Relint, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(agreement: object, day: object) -> str:
        raise ValueError("after the commit")

    monkeypatch.setenv("RELINT_DEBUG", "1")
    monkeypatch.setattr("relint.cli.edits.described", broken)
    result = relint("add", "--counterpart", "Lione", "--kind", "pact")
    assert result.code == 3, result
    assert result.stderr.endswith("; but the change was made, and is in the registry\n")
    assert len(listed(relint, "list")) == 1


@pytest.mark.parametrize(("answer", "removed"), [("s\n", True), ("sì\n", True), ("Y\n", True),
                                                 ("no\n", False), ("\n", False)])  # fmt: skip
def test_remove_asks_in_italian_and_takes_either_language(
    relint: Relint, sample: Path, monkeypatch: pytest.MonkeyPatch, answer: str, removed: bool
) -> None:
    monkeypatch.setattr("relint.cli.typer_app.stdin_is_terminal", lambda: True)
    asked = relint("--lang", "it", "remove", "2", input=answer)
    assert asked.stdout.startswith("Eliminare l'accordo 2, ")
    assert asked.stdout.splitlines()[0].endswith("? [s/N]: ")
    assert asked.code == (0 if removed else 1)
    assert len(listed(relint, "list")) == (4 if removed else 5)


def test_remove_asks_again_for_an_answer_it_does_not_know(
    relint: Relint, sample: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("relint.cli.typer_app.stdin_is_terminal", lambda: True)
    asked = relint("--lang", "it", "remove", "2", input="forse\nsì\n")
    assert "Risponda s o n." in asked.stdout
    assert asked.code == 0
