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


# The calendar: each tacit term's notice deadline and end, up to the term after the one in
# force today, stopping where notice, a suspension or a termination stops the renewals.


def calendar(relint: Relint, *args: str) -> dict[str, str]:
    """The feed's events, each UID with its day."""
    from icalendar import Calendar

    result = relint("export", "-f", "ics", *args)
    assert result.code == 0, result
    return {
        str(e["uid"]): e.decoded("dtstart").isoformat()
        for e in Calendar.from_ical(result.stdout_bytes).walk("VEVENT")
    }


def descriptions(relint: Relint, *args: str) -> dict[str, str]:
    from icalendar import Calendar

    feed = Calendar.from_ical(relint("export", "-f", "ics", *args).stdout_bytes)
    return {str(e["uid"]): str(e["description"]) for e in feed.walk("VEVENT")}


def uid(term: int, what: str) -> str:
    return f"relint-1-{term}-{what}@relint"


LYON_3Y_1Y = (  # three years, then one-year tacit renewals, with 90 days' notice
    (uid(1, "notice"), "2022-10-17"), (uid(1, "end"), "2023-01-15"),
    (uid(2, "notice"), "2023-10-17"), (uid(2, "end"), "2024-01-15"),
    (uid(3, "notice"), "2024-10-17"), (uid(3, "end"), "2025-01-15"),
    (uid(4, "notice"), "2025-10-17"), (uid(4, "end"), "2026-01-15"),
    (uid(5, "notice"), "2026-10-17"), (uid(5, "end"), "2027-01-15"),
    (uid(6, "notice"), "2027-10-17"), (uid(6, "end"), "2028-01-15"),
)  # fmt: skip


@pytest.fixture
def lyon_1y(relint: Relint, db: Path) -> Relint:
    assert relint("add", *LYON, "--renewal", "1y").code == 0
    return relint


@pytest.mark.parametrize(
    ("today", "terms"),
    [("2019-06-01", 2), ("2023-01-15", 2), ("2023-01-16", 3), ("2025-11-01", 5),
     ("2026-01-15", 5), ("2026-01-16", 6)],
)  # fmt: skip
def test_the_calendar_carries_each_tacit_term_through_the_one_after_today(
    lyon_1y: Relint, monkeypatch: pytest.MonkeyPatch, today: str, terms: int
) -> None:
    monkeypatch.setenv("RELINT_TEST_TODAY", today)
    assert calendar(lyon_1y) == dict(LYON_3Y_1Y[: 2 * terms])
    assert calendar(lyon_1y, "--as-of", "2019-06-01") == dict(LYON_3Y_1Y[:4])


def test_a_tacit_end_in_the_calendar_says_that_it_renews_unless_notice_is_given(
    lyon_1y: Relint, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RELINT_TEST_TODAY", "2025-11-01")
    said = descriptions(lyon_1y)
    assert "\nTerm 1: 2020-01-15 to 2023-01-15\n" in said[uid(1, "end")]
    assert "\nTerm 5 (tacit renewal): 2026-01-15 to 2027-01-15\n" in said[uid(5, "end")]
    assert said[uid(5, "end")].endswith("\nRenews tacitly unless notice is given.")
    assert "Notice of 90 days is due before the end." in said[uid(5, "notice")]


@pytest.mark.parametrize(
    ("renewal", "ends"),
    [("1y", ["2019-02-28", "2020-02-28", "2021-02-28", "2022-02-28"]),  # not 2020-02-29
     ("6m", ["2019-02-28", "2019-08-28", "2020-02-28", "2020-08-28", "2021-02-28",
             "2021-08-28"])],
)  # fmt: skip
def test_a_leap_day_chain_in_the_calendar(
    relint: Relint, db: Path, monkeypatch: pytest.MonkeyPatch, renewal: str, ends: list[str]
) -> None:
    monkeypatch.setenv("RELINT_TEST_TODAY", "2021-02-28")  # the last day of a term
    assert relint("add", "--counterpart", "Bisestile", "--kind", "pact", "--start",
                  "2016-02-29", "--duration", "3y", "--renewal", renewal, "--auto-renew",
                  "--notice", "30").code == 0  # fmt: skip
    events = calendar(relint)
    assert [events[uid(n, "end")] for n in range(1, len(ends) + 1)] == ends
    assert len(events) == 2 * len(ends)
    assert events[uid(ends.index("2020-02-28") + 1, "notice")] == "2020-01-29"  # 30 days before


@pytest.mark.parametrize(
    ("given", "terms"),
    [("2025-10-17", 4),  # on the deadline: it ends with term 4
     ("2025-10-18", 5)],  # late: it ends with the next term
)  # fmt: skip
def test_notice_given_stops_the_calendar(
    lyon_1y: Relint, monkeypatch: pytest.MonkeyPatch, given: str, terms: int
) -> None:
    assert lyon_1y("give-notice", "1", "--on", given, "--reason", "non conviene").code == 0
    for today in ("2025-11-01", "2027-02-01", "2040-01-01"):
        monkeypatch.setenv("RELINT_TEST_TODAY", today)
        assert calendar(lyon_1y) == dict(LYON_3Y_1Y[: 2 * terms])
    said = descriptions(lyon_1y)
    assert said[uid(terms, "end")].endswith(
        f"\nDoes not renew: notice of non-renewal given on {given}."
    )
    assert said[uid(terms - 1, "end")].endswith("\nRenews tacitly unless notice is given.")
    assert lyon_1y("give-notice", "1", "--withdraw").code == 0
    assert len(calendar(lyon_1y)) > 2 * terms  # withdrawn: it renews again


def test_no_renewal_in_the_calendar_while_suspended(
    lyon_1y: Relint, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RELINT_TEST_TODAY", "2025-11-01")
    assert lyon_1y("suspend", "1", "--on", "2025-06-01", "--reason", "consiglio").code == 0
    assert calendar(lyon_1y) == dict(LYON_3Y_1Y[:8])  # term 4 ends while suspended
    assert descriptions(lyon_1y)[uid(4, "end")].endswith(
        "\nDoes not renew: suspended from 2025-06-01."
    )
    assert calendar(lyon_1y, "--as-of", "2030-01-01") == dict(LYON_3Y_1Y[:8])
    assert lyon_1y("resume", "1", "--on", "2025-12-01").code == 0  # before term 4's end
    assert calendar(lyon_1y) == dict(LYON_3Y_1Y[:10])


@pytest.mark.parametrize(
    ("on", "events"),
    [("2025-12-01", 7),  # within term 4, after its notice deadline: not its end
     ("2026-03-01", 8),  # within term 5, before its notice deadline: nothing of term 5
     ("2026-10-17", 9)],  # on term 5's notice deadline: that, not its end
)  # fmt: skip
def test_nothing_in_the_calendar_past_a_termination(
    lyon_1y: Relint, monkeypatch: pytest.MonkeyPatch, on: str, events: int
) -> None:
    assert lyon_1y("terminate", "1", "--on", on, "--reason", "recesso").code == 0
    for today in ("2025-11-01", "2030-01-01"):
        monkeypatch.setenv("RELINT_TEST_TODAY", today)
        assert calendar(lyon_1y) == dict(LYON_3Y_1Y[:events])


def test_edit_takes_notice_back_with_its_reason(lyon: Relint) -> None:
    assert lyon("give-notice", "1", "--on", "2025-10-17", "--reason", "non conviene").code == 0
    assert lyon("edit", "1", "--notice-given", "").code == 0
    record = json.loads(lyon("show", "1", "-f", "json", "--as-of", "2027-01-01").stdout)
    assert (record["notice_given"], record["notice_reason"], record["status"]) == (
        None, None, "active",
    )  # fmt: skip
    refused = lyon("edit", "1", "--notice-given", "2019-12-31")
    assert (refused.code, refused.stderr) == (
        1, "Error: notice on 2019-12-31 would come before agreement 1 began (2020-01-15)\n",
    )  # fmt: skip
    trail = lyon("history", "1").stdout
    assert trail.count("notice_given") >= 2, trail


def test_explain_names_the_term_a_late_notice_ends_with(lyon: Relint) -> None:
    # The deadline of the term ending 2026-01-15 was 2025-10-17: notice after it ends
    # the agreement with the next term, on 2029-01-15.
    assert lyon("give-notice", "1", "--on", "2025-12-01").code == 0
    text = lyon("show", "1", "--explain", "--as-of", "2025-12-15").stdout
    assert (
        "notice given on 2025-12-01: the agreement does not renew after the term ending"
        " 2029-01-15, as it came after 2025-10-17, the notice deadline of the term ending"
        " 2026-01-15"
    ) in " ".join(text.split())
    later = lyon("show", "1", "--explain", "--as-of", "2029-02-01").stdout
    assert "notice given on 2025-12-01: it ended on 2029-01-15" in later


@pytest.mark.parametrize(
    ("args", "renewal", "notice_deadline"),
    [
        (["--kind", "collaboration", "--duration", "3y", "--auto-renew"], "3y", "2023-01-15"),
        (["--kind", "collaboration", "--end", "2021-06-30", "--auto-renew"], "2y", "2021-06-30"),
        (["--kind", "protocol", "--duration", "3y", "--renewal", "1y", "--renewable",
          "--notice", "30"], "1y", "2022-12-16"),
        (["--kind", "protocol", "--duration", "3y"], "", "2023-01-15"),
    ],
)  # fmt: skip
def test_listings_show_the_renewal_period_and_the_last_day_for_notice(
    relint: Relint, db: Path, args: list[str], renewal: str, notice_deadline: str
) -> None:
    """The renewal, else the duration, else (a term given by its end) the kind's; none
    for an agreement that cannot renew. Notice is due by the end without a period."""
    assert relint("add", "--counterpart", "X", "--start", "2020-01-15", *args).code == 0
    listed = relint("list", "-f", "csv", "--as-of", "2020-02-01").stdout
    row = next(csv.DictReader(io.StringIO(listed)))
    assert (row["renewal"], row["notice_deadline"]) == (renewal, notice_deadline)
    exported = next(csv.DictReader(io.StringIO(relint("export", "-f", "csv").stdout)))
    assert exported["renewal"] == ("1y" if "--renewal" in args else "")


def test_notice_given_in_time_leaves_the_end_alone_to_alert(lyon: Relint) -> None:
    assert lyon("give-notice", "1", "--on", "2025-10-01").code == 0
    found = json.loads(
        lyon("expiring", "--as-of", "2025-10-05", "--within", "6m", "-f", "json").stdout
    )
    assert [(r["alert"], r["alert_on"]) for r in found] == [("end", "2026-01-15")]
    table = lyon("expiring", "--as-of", "2025-10-05", "--within", "6m").stdout
    assert "end: notice was given" in table
    assert "renews" not in table
    report = json.loads(lyon("report", "--as-of", "2025-10-05", "--lookahead", "6m", "-f",
                             "json").stdout)  # fmt: skip
    assert [(r["alert"], r["renewal"]) for r in report["due"]] == [("end", "notice given")]
    # Before it was given, the office still had the deadline ahead.
    before = json.loads(
        lyon("expiring", "--as-of", "2025-09-01", "--within", "6m", "-f", "json").stdout
    )
    assert [(r["alert"], r["alert_on"]) for r in before] == [("notice", "2025-10-17")]


def test_renew_runs_for_the_renewal_period(relint: Relint, db: Path) -> None:
    assert relint("add", *LYON, "--renewal", "1y").code == 0
    renewed = relint("renew", "1")
    assert renewed.code == 0, renewed.stderr
    assert "term 2 from 2023-01-15 to 2024-01-15" in renewed.stderr


@pytest.mark.parametrize(
    ("renewal", "status", "end"),
    [([], "unknown", ""), (["--renewal", "permanent"], "permanent", "")],
)
def test_a_tacit_term_of_no_known_length_has_no_end(
    relint: Relint, db: Path, renewal: list[str], status: str, end: str
) -> None:
    """An agreement given by its end, with no duration to repeat: once past that end it
    is not expired but renewed, for a length not known, or for good."""
    args = ["--counterpart", "X", "--kind", "protocol", "--start", "2020-01-15", "--end",
            "2023-01-15", "--auto-renew", *renewal]  # fmt: skip
    assert relint("add", *args).code == 0
    row = next(csv.DictReader(io.StringIO(relint("list", "-f", "csv", "--as-of",
                                                 "2024-06-01").stdout)))  # fmt: skip
    assert (row["status"], row["start"], row["end"], row["term"]) == (
        status, "2023-01-15", end, "2",
    )  # fmt: skip
    assert relint("give-notice", "1", "--on", "2022-10-01").code == 0
    row = next(csv.DictReader(io.StringIO(relint("list", "-f", "csv", "--as-of",
                                                 "2024-06-01").stdout)))  # fmt: skip
    assert (row["status"], row["end"]) == ("expired", "2023-01-15")


def test_show_as_of_keeps_the_terms_recorded_later(relint: Relint, shipped: Path) -> None:
    """Agreement 24's second term was signed on 2021-07-06: as of 2021-04-15 the first
    is the one in force, and show still lists both."""
    record = json.loads(relint("show", "24", "-f", "json", "--as-of", "2021-04-15").stdout)
    assert [t["end"] for t in record["terms"]] == ["2021-06-30", "2023-06-30"]
    assert record["end"] == "2021-06-30"


def test_renewals_sort_by_length(relint: Relint, db: Path) -> None:
    for renewal in ("6m", "1y6m", "permanent", "1y"):
        args = ["--counterpart", renewal, "--kind", "pact", "--start", "2020-01-01",
                "--duration", "1y", "--renewal", renewal, "--renewable"]  # fmt: skip
        assert relint("add", *args).code == 0
    listed = relint("list", "--sort", "renewal", "-f", "csv").stdout
    assert [r["renewal"] for r in csv.DictReader(io.StringIO(listed))] == [
        "6m", "1y", "1y6m", "permanent",
    ]  # fmt: skip


def test_a_leap_day_renewed_by_centuries_is_kept(relint: Relint, db: Path) -> None:
    args = ["--counterpart", "X", "--kind", "protocol", "--start", "2016-02-29", "--duration",
            "4y", "--renewal", "100y", "--auto-renew"]  # fmt: skip
    assert relint("add", *args).code == 0
    row = next(csv.DictReader(io.StringIO(relint("list", "-f", "csv", "--as-of",
                                                 "2030-01-01").stdout)))  # fmt: skip
    assert (row["start"], row["end"], row["term"]) == ("2020-02-29", "2120-02-29", "2")
    assert "2120-02-29" in relint("expiring", "--as-of", "2120-01-01", "--within", "90d").stdout
