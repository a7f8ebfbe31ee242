"""Tacit renewals through the command line: the term in force in every listing, the
alerts that follow it, notice, suspension, and the dates explained."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from ..conftest import Relint

LYON = ["--counterpart", "Lyon", "--kind", "protocol", "--start", "2020-01-15",
        "--duration", "3y", "--auto-renew", "--notice", "90"]  # fmt: skip


@pytest.fixture
def lyon(relint: Relint, db: Path) -> Relint:
    assert relint("add", *LYON).code == 0
    return relint


def test_a_tacit_agreement_is_listed_in_its_current_term(lyon: Relint) -> None:
    rows = list(
        csv.DictReader(io.StringIO(lyon("list", "-f", "csv", "--as-of", "2024-06-01").stdout))
    )
    shown = ("start", "end", "status", "days_left", "term", "notice_deadline")
    assert [tuple(r[k] for k in shown) for r in rows] == [
        ("2023-01-15", "2026-01-15", "active", "593", "2", "2025-10-17")
    ]
    assert list(rows[0])[-5:] == ["status", "days_left", "renewal", "term", "notice_deadline"]


def test_expiring_follows_the_term_in_force_and_says_which_date(lyon: Relint) -> None:
    found = json.loads(
        lyon("expiring", "--as-of", "2025-10-01", "--within", "6m", "-f", "json").stdout
    )
    assert [(r["alert"], r["alert_on"], r["term"]) for r in found] == [("notice", "2025-10-17", 2)]
    later = json.loads(
        lyon("expiring", "--as-of", "2031-11-01", "--within", "6m", "-f", "json").stdout
    )
    assert [(r["alert"], r["alert_on"], r["term"]) for r in later] == [("end", "2032-01-15", 4)]
    table = lyon("expiring", "--as-of", "2031-11-01", "--within", "6m").stdout
    assert "renews, unless notice was given" in table


def test_notice_given_ends_it_and_can_be_withdrawn(lyon: Relint) -> None:
    assert lyon("give-notice", "1", "--on", "2025-10-17", "--reason", "non conviene").code == 0
    record = json.loads(lyon("show", "1", "-f", "json", "--as-of", "2027-01-01").stdout)
    assert (record["end"], record["status"], record["notice_given"]) == (
        "2026-01-15", "expired", "2025-10-17",
    )  # fmt: skip
    assert lyon("expiring", "--as-of", "2031-11-01", "--within", "6m").stdout == ""
    assert lyon("give-notice", "1", "--withdraw").code == 0
    assert (
        json.loads(lyon("show", "1", "-f", "json", "--as-of", "2027-01-01").stdout)["status"]
        == "active"
    )
    refused = lyon("give-notice", "1", "--on", "2019-01-01")
    assert (refused.code, refused.stderr.count("\n")) == (1, 1)
    assert lyon("give-notice", "1").code == 2  # neither --on nor --withdraw


def test_a_suspended_agreement_raises_no_alert(lyon: Relint) -> None:
    assert lyon("suspend", "1", "--on", "2025-06-01", "--reason", "consiglio").code == 0
    listed = lyon("list", "--status", "suspended", "--as-of", "2025-07-01", "-f", "json")
    assert [r["id"] for r in json.loads(listed.stdout)] == [1]
    assert lyon("expiring", "--as-of", "2025-10-01", "--within", "6m").stdout == ""
    assert lyon("resume", "1", "--on", "2025-09-01").code == 0
    assert (
        lyon("expiring", "--as-of", "2025-10-01", "--within", "6m", "-f", "csv").stdout.count("\n")
        == 2
    )
    history = json.loads(lyon("history", "1", "-f", "json").stdout)
    assert [e["action"] for e in history] == ["add", "suspend", "resume"]


def test_show_explains_each_date(lyon: Relint) -> None:
    said = lyon("show", "1", "--as-of", "2026-06-01", "--explain").stdout
    assert "term 1: 2020-01-15 to 2023-01-15, start + 3y" in said
    assert "term 3: 2026-01-15 to 2029-01-15, renewed by itself for 3y" in said
    assert "as no notice was given by 2025-10-17" in said
    assert "notice deadline 2028-10-17: the end 2029-01-15 minus 90 days" in said


def test_auto_renew_and_not_renewable_contradict(relint: Relint, db: Path) -> None:
    result = relint("add", *LYON, "--not-renewable")
    assert result.code == 1
    assert result.stderr.startswith("Error: an agreement that renews itself (--auto-renew)")


def test_an_export_imported_gives_back_the_same_terms_and_statuses(
    lyon: Relint, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert lyon("renew", "1", "--start", "2021-01-01", "--duration", "2y").code == 0
    assert lyon("give-notice", "1", "--on", "2026-01-01").code == 0
    assert lyon("suspend", "1", "--on", "2024-02-01", "--reason", "x").code == 0
    exported = tmp_path / "out.json"
    assert lyon("export", "-f", "json", "-o", str(exported), "--as-of", "2022-06-01").code == 0
    monkeypatch.setenv("RELINT_DB", str(tmp_path / "other.db"))
    assert lyon("init").code == 0
    assert lyon("import", str(exported)).code == 0
    for day in ("2022-06-01", "2024-06-01", "2027-06-01"):
        again = lyon("list", "-f", "csv", "--as-of", day).stdout
        monkeypatch.setenv("RELINT_DB", str(tmp_path / "registry.db"))
        first = lyon("list", "-f", "csv", "--as-of", day).stdout
        monkeypatch.setenv("RELINT_DB", str(tmp_path / "other.db"))
        assert again == first
