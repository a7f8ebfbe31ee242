"""The monthly renewal report: its sections, its formats, and its determinism."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from pathlib import Path

import pytest

from .conftest import Relint


def report(relint: Relint, *args: str) -> str:
    result = relint("report", *args)
    assert result.code == 0, result
    return result.stdout


def test_a_month_starts_the_period_on_its_first_day(relint: Relint, shipped: Path) -> None:
    document = json.loads(report(relint, "--month", "2023-05", "--format", "json"))
    assert (document["as_of"], document["until"]) == ("2023-05-01", "2023-07-30")
    assert [(r["id"], r["alert"], r["alert_on"], r["days_left"]) for r in document["due"]] == [
        (24, "end", "2023-06-30", 60)
    ]
    assert [r["id"] for r in document["overdue"]] == [4, 7, 2, 8, 1]
    assert document["summary"]["status"] == {
        "permanent": 15, "unknown": 13, "expired": 5, "active": 1, "expiring": 1,
    }  # fmt: skip


def test_the_sections_as_of_now(relint: Relint, shipped: Path) -> None:
    document = json.loads(report(relint, "--month", "2026-11", "-f", "json"))
    assert document["due"] == []
    assert [r["id"] for r in document["overdue"]] == [25, 24, 4, 7, 2, 8, 1]
    assert document["overdue"][0]["days_left"] == -483
    missing = {r["id"]: r["missing"] for r in document["incomplete"]}
    assert len(missing) == 27
    assert missing[5] == ["a duration or an end"]
    assert missing[10] == ["the signing date"]
    assert missing[26] == ["the signing date", "a duration or an end"]
    assert document["summary"]["party"] == {
        "Comune di Milano": 24, "Regione Lombardia": 10, "Città metropolitana di Milano": 1,
    }  # fmt: skip


def test_a_notice_deadline_in_the_period_is_due(relint: Relint, db: Path) -> None:
    assert relint("add", "--counterpart", "Lione", "--kind", "pact", "--signed", "2025-06-01",
                  "--end", "2027-06-30", "--notice", "180", "--auto-renew").code == 0  # fmt: skip
    document = json.loads(report(relint, "--month", "2026-12", "-f", "json"))
    [due] = document["due"]
    assert (due["alert"], due["alert_on"], due["renewal"]) == (
        "notice deadline",
        "2027-01-01",
        "tacit",
    )


@pytest.mark.parametrize("fmt", ["md", "html", "csv", "json"])
def test_the_same_registry_and_month_give_the_same_bytes(
    relint: Relint, shipped: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    first = relint("report", "--month", "2023-05", "--format", fmt).stdout_bytes
    monkeypatch.setattr("relint.clock.today", lambda: date(2031, 3, 3))
    assert relint("report", "--month", "2023-05", "--format", fmt).stdout_bytes == first


def test_without_a_month_the_report_is_for_this_month(
    relint: Relint, shipped: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("relint.clock.today", lambda: date(2023, 5, 17))
    assert report(relint) == report(relint, "--month", "2023-05")
    assert report(relint, "--as-of", "2023-05-17").startswith("# Renewal report as of 2023-05-17")


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["--month", "2023-05", "--as-of", "2023-05-01"], 2),
        (["--month", "2023"], 1),
        (["--month", "2023-05-01"], 1),
        (["--month", "2023-13"], 1),
        (["--lookahead", "soon"], 1),
        (["--format", "pdf"], 2),
    ],
)
def test_bad_options(relint: Relint, shipped: Path, args: list[str], code: int) -> None:
    result = relint("report", *args)
    assert result.code == code
    assert result.stdout == ""


def test_markdown_tables_hold_any_text(relint: Relint, db: Path) -> None:
    assert relint("add", "--counterpart", "A | B \\ C\nD", "--kind", "pact").code == 0
    text = report(relint, "--month", "2026-11")
    assert "| A \\| B \\\\ C\\nD |" in text


def test_the_csv_report_is_one_table(relint: Relint, shipped: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(report(relint, "--month", "2023-05", "-f", "csv"))))
    sections = [row["section"] for row in rows]
    assert sections.count("due") == 1
    assert sections.count("overdue") == 5
    assert sections.count("incomplete") == 27
    assert {"party": "Comune di Milano", "count": "24"}.items() <= next(
        row for row in rows if row["section"] == "summary by party"
    ).items()


def test_the_html_report_is_self_contained(relint: Relint, db: Path, tmp_path: Path) -> None:
    for args in (
        ["--counterpart", "<script>alert(1)</script>", "--source", "https://example.org/x.js"],
        ["--counterpart", "Città", "--notes", '<img src="https://example.org/p.png">'],
    ):
        assert relint("add", "--kind", "pact", "--signed", "2025-01-01", "--duration", "2y",
                      *args).code == 0  # fmt: skip
    target = tmp_path / "report.html"
    assert relint("report", "--month", "2026-11", "-f", "html", "-o", str(target)).code == 0
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "<svg" in page
    assert "</svg>" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script" not in page
    assert not re.search(r"(?i)\b(src|href)\s*=|url\(|@import|<link|https?://", page)


def test_an_empty_registry_still_reports(relint: Relint, db: Path) -> None:
    text = report(relint, "--month", "2026-11", "-f", "html")
    assert "No agreement has a term known to the day to draw." in text


def test_agreements_signed_after_the_period_began_are_left_out(
    relint: Relint, shipped: Path
) -> None:
    document = json.loads(report(relint, "--month", "2017-09", "-f", "json"))
    assert document["summary"]["status"] == {
        "permanent": 15, "unknown": 13, "active": 3, "expiring": 2,
    }  # fmt: skip
    assert sum(document["summary"]["party"].values()) == 33  # not yet: CCIAA, Assolombarda


def test_the_csv_report_guards_formulas(relint: Relint, db: Path) -> None:
    assert relint("add", "--counterpart", "=HYPERLINK(1)", "--kind", "pact",
                  "--party", "+39 02").code == 0  # fmt: skip
    text = report(relint, "--month", "2026-11", "-f", "csv")
    assert "'=HYPERLINK(1)" in text
    assert "'+39 02" in text


def test_the_timeline_draws_only_days_it_knows(relint: Relint, db: Path) -> None:
    for args in (
        ["--counterpart", "Partial", "--signed", "2025-11", "--duration", "1y"],
        ["--counterpart", "Ended early", "--signed", "2024-01-01", "--duration", "3y"],
    ):
        assert relint("add", "--kind", "pact", *args).code == 0
    assert relint("terminate", "2", "--on", "2025-06-30", "--reason", "x").code == 0
    page = report(relint, "--month", "2026-11", "-f", "html")
    assert "Partial (pact)</title>" not in page
    assert "Ended early (pact): 2024-01-01 to 2025-06-30" in page


def test_this_months_report_counts_what_was_signed_since_its_first_day(
    relint: Relint, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("relint.clock.today", lambda: date(2026, 11, 22))
    assert relint("add", "--counterpart", "Signed on the 10th", "--kind", "pact",
                  "--signed", "2026-11-10", "--end", "2027-01-20").code == 0  # fmt: skip
    now = json.loads(report(relint, "-f", "json"))
    assert [r["counterpart"] for r in now["due"]] == ["Signed on the 10th"]
    before = json.loads(report(relint, "--month", "2026-10", "-f", "json"))
    assert before["summary"]["party"] == {}
