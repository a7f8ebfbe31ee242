"""The monthly renewal report: its sections, its formats, and its determinism."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
import shutil
import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relint.agreement import (
    Agreement,
    Status,
    alerts,
    give_notice,
    new_agreement,
    renew,
    resume,
    suspend,
    terminate,
)
from relint.dates import PartialDate, add_days
from relint.durations import Window, parse_duration, parse_window
from relint.errors import RelintError
from relint.kinds import Kind
from relint.report import SHOWN, Alerted, make_report, missing
from relint.store import Registry, create, open_registry

from ..conftest import Relint


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    """Today is 2026-11-22, unless a test says otherwise: which months are looked back
    at, and what this month's report holds, depend on it."""
    monkeypatch.setenv("RELINT_TEST_TODAY", "2026-11-22")


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


@pytest.mark.parametrize(
    "change",
    ["start = '2020-02-30'", "notice_days = 'abc'", "kind = 'patto'", "\"end\" = '2026-12-32'"],
)
@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_damaged_value_of_an_agreement_due_is_refused(
    relint: Relint, db: Path, tmp_path: Path, change: str, fmt: str
) -> None:
    """Found due by SQL (md) or read whole for the timeline (html). The agreement is
    complete, and a hundred end after it: no other section reads it."""
    assert relint("add", "--counterpart", "Lione", "--kind", "pact", "--start", "2026-01-15",
                  "--end", "2026-12-20", "--signed", "2026-01-10", "--party", "Comune di Milano",
                  "--country", "Francia", "--source", "delibera").code == 0  # fmt: skip
    later = tmp_path / "later.csv"
    later.write_text("counterpart,kind,start,end\n" + "A,pact,2026-01-01,2030-06-30\n" * SHOWN)
    assert relint("import", str(later)).code == 0
    conn = sqlite3.connect(db)
    with conn:
        conn.execute(f"UPDATE agreements SET {change} WHERE id = 1")
    conn.close()
    result = relint("report", "--month", "2026-12", "-f", fmt)
    assert (result.code, result.stdout) == (1, "")
    assert "is damaged" in result.stderr  # the agreement, or its notice period when sought


@pytest.mark.parametrize("fmt", ["md", "html", "csv", "json"])
def test_the_same_registry_and_month_give_the_same_bytes(
    relint: Relint, shipped: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    first = relint("report", "--month", "2023-05", "--format", fmt).stdout_bytes
    monkeypatch.setenv("RELINT_TEST_TODAY", date(2031, 3, 3).isoformat())
    assert relint("report", "--month", "2023-05", "--format", fmt).stdout_bytes == first


def test_without_a_month_the_report_is_for_this_month(
    relint: Relint, shipped: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RELINT_TEST_TODAY", date(2023, 5, 17).isoformat())
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
    monkeypatch.setenv("RELINT_TEST_TODAY", date(2026, 11, 22).isoformat())
    assert relint("add", "--counterpart", "Signed on the 10th", "--kind", "pact",
                  "--signed", "2026-11-10", "--end", "2027-01-20").code == 0  # fmt: skip
    now = json.loads(report(relint, "-f", "json"))
    assert [r["counterpart"] for r in now["due"]] == ["Signed on the 10th"]
    before = json.loads(report(relint, "--month", "2026-10", "-f", "json"))
    assert before["summary"]["party"] == {}


# The report reads the registry with SQL; it must say what the agreements' own rules say.


def reference(
    agreements: list[Agreement], as_of: date, window: Window, today: date
) -> dict[str, Any]:
    """The report's counts and lists, from every agreement judged by its own methods."""
    known = [a.in_force(as_of) for a in agreements if a.on_record(as_of, today)]
    expired = [a for a in known if a.status(as_of, window) is Status.EXPIRED]
    expired.sort(key=lambda a: (a.days_left(as_of) or 0, a.id or 0), reverse=True)
    lacking = [a for a in known if missing(a, as_of)]
    expired = [a for a in expired if a.notice_given is None]  # notice given: decided
    return {
        "status": Counter(a.status(as_of, window).value for a in known),
        "party": Counter(a.party or "(none)" for a in known),
        "kind": Counter(a.kind.value for a in known),
        "overdue": [a.id for a in expired[:SHOWN]],
        "overdue_count": len(expired),
        "incomplete": [a.id for a in lacking[:SHOWN]],
        "incomplete_count": len(lacking),
        "due": [
            (a.agreement.id, a.on.isoformat(), "end" if a.reason == "end" else "notice deadline")
            for a in alerts(agreements, as_of, window, today)
        ],
    }


days = st.dates(date(2010, 1, 1), date(2030, 12, 31))
# Days that a month's end or a leap day cuts short, often: where tacit ends shift.
month_ends = st.builds(
    lambda day, back: add_days(day.replace(day=1), -back), days, st.integers(1, 4)
)
full_dates = st.one_of(days, month_ends, st.sampled_from([date(2016, 2, 29), date(2024, 2, 29)]))
partial_dates = st.builds(
    lambda day, precision: PartialDate(day.year, *(day.month, day.day)[:precision]),
    full_dates,
    st.integers(0, 2),
)
drawn_agreements = st.builds(
    dict,
    kind=st.sampled_from(list(Kind)),
    party=st.sampled_from([None, "", "Comune di Milano", "Regione Lombardia"]),
    country=st.sampled_from([None, "", "Francia"]),
    source=st.sampled_from([None, "delibera"]),
    notice_days=st.sampled_from([None, None, 0, 30, 90]),
    signed=st.none() | partial_dates,
    duration=st.sampled_from([None, "permanent", "1y", "2y", "18m"]),
    end=st.none() | partial_dates,
    terminated=st.sampled_from([False, False, False, True]),
    renewals=st.sampled_from([0, 0, 0, 1, 2]),
    auto_renew=st.sampled_from([False, True, True]),
    renewal=st.sampled_from([None, None, "1y", "1m", "5m", "2y", "3y", "permanent"]),
    notice_given=st.none() | st.none() | st.builds(PartialDate.of, full_dates),
    suspended=st.none() | st.none() | st.tuples(full_dates, st.none() | st.integers(1, 2000)),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    drawn=st.lists(drawn_agreements, max_size=25),
    as_of=st.dates(date(2009, 1, 1), date(2032, 12, 31)),
    near_what=st.sampled_from(
        [
            "end",
            "end less 30 days",
            "tacit",
            "tacit less 30 days",
            "signed",
            "terminated",
            "anything",
        ]
    ),
    near=st.integers(0, 40),
    shift=st.integers(-1, 1),
    window=st.sampled_from(["30d", "90d", "1m", "1y"]),
)
def test_the_report_agrees_with_the_agreements_own_rules(
    tmp_path_factory: pytest.TempPathFactory,
    empty_registry: Path,
    drawn: list[dict[str, Any]],
    as_of: date,
    near_what: str,
    near: int,
    shift: int,
    window: str,
) -> None:
    folder = tmp_path_factory.mktemp("registry")
    with holding(empty_registry, folder, (made(fields) for fields in drawn)) as registry:
        agreements = list(registry.agreements())
        what = near_what.removesuffix(" less 30 days")
        as_of = boundary(agreements, what, near, shift) or as_of
        if near_what.endswith(" less 30 days"):  # the window's last day on an end
            as_of, window = add_days(as_of, -30), "30d"
        agree(registry, agreements, as_of, window)


def boundary(agreements: list[Agreement], near_what: str, near: int, shift: int) -> date | None:
    """A day on, or next to (``shift``), one of the agreements' own dates of a kind
    (``near_what``), the ``near``-th of them in order: the boundaries of their rules.
    None when they have none of that kind."""
    days = sorted(
        d.earliest()
        for a in agreements
        for d in {
            "end": [t.end for t in a.terms],
            "tacit": [t.end for t in a.in_force(date(2045, 1, 1)).terms],
            "signed": [a.terms[0].signed or a.terms[0].start],
            "terminated": [a.terminated_on],
        }.get(near_what, [])
        if d is not None
    )
    return add_days(days[near % len(days)], shift) if days else None


TODAY = date(2026, 11, 22)


def agree(registry: Registry, agreements: list[Agreement], as_of: date, window: str) -> None:
    """The report on ``registry`` says what ``agreements``' own rules say."""
    lookahead = parse_window(window)
    until = lookahead.end(as_of)
    back = as_of < TODAY.replace(day=1)
    selection = registry.for_report(as_of, until, looking_back=back)
    built = make_report(selection, registry.alerting(as_of, until, back=back), as_of, lookahead,
                        TODAY)  # fmt: skip
    # As a report with a timeline builds it: every agreement due judged by its rules.
    whole = make_report(selection, registry.ending_between(as_of, until), as_of, lookahead, TODAY)
    expected = reference(agreements, as_of, lookahead, TODAY)
    assert built.summary == {
        key: dict(sorted(expected[key].items(), key=lambda item: (-item[1], item[0])))
        for key in ("party", "kind", "status")
    }
    assert [a.id for a in built.overdue] == expected["overdue"]
    assert built.overdue_count == expected["overdue_count"]
    assert [a.id for a, _ in built.incomplete] == expected["incomplete"]
    assert built.incomplete_count == expected["incomplete_count"]
    assert [(row["id"], row["alert_on"], row["alert"]) for row in whole.due] == expected["due"]
    assert built.due == whole.due


def test_the_report_agrees_with_the_rules_on_every_boundary(
    tmp_path: Path, empty_registry: Path
) -> None:
    as_of = date(2024, 3, 15)  # looking back: a 30-day window ends on 2024-04-14
    near = [PartialDate.of(add_days(as_of, n)) for n in (-1, 0, 1, 29, 30, 31)]
    partial = [PartialDate(2024, 3), PartialDate(2024, 4), PartialDate(2024), PartialDate(2025)]
    early = PartialDate(2020, 1, 1)
    drawn = [new_agreement(Kind.PACT, "Fine", signed=early, end=day) for day in near + partial]
    drawn += [
        terminate(new_agreement(Kind.PACT, "Recesso", signed=early, end=PartialDate(2030)), day,
                  "recesso")
        for day in near + partial
    ]  # fmt: skip
    drawn += [new_agreement(Kind.TWINNING, "Firma", signed=day) for day in near + partial]
    drawn += [
        new_agreement(Kind.PACT, "Firmato", signed=day, end=PartialDate(2024, 4, 10))
        for day in near[:3] + partial[:1]
    ]  # ending in the window: left out when signed after its first day, looking back
    drawn += [
        new_agreement(Kind.PACT, "Preavviso", signed=early, end=PartialDate.of(add_days(day, 60)),
                      notice_days=60)
        for day in (add_days(as_of, n) for n in (-1, 0, 1, 29, 30, 31))
    ]  # fmt: skip
    with holding(empty_registry, tmp_path, drawn) as registry:
        agree(registry, list(registry.agreements()), as_of, "30d")


def test_sql_finds_the_alerts_of_agreements_that_renew_themselves(
    tmp_path: Path, empty_registry: Path
) -> None:
    """On days about their tacit ends (the 31st cut short to a month's end, a leap day, a
    notice deadline), SQL finds the alerts the rules raise, and finds each of them."""
    pact = Kind.PACT
    drawn = [
        new_agreement(pact, "Fine mese", signed=PartialDate(2019, 8, 31),
                      duration=parse_duration("1m"), auto_renew=True, notice_days=30),
        new_agreement(pact, "Bisestile", signed=PartialDate(2016, 2, 29),
                      duration=parse_duration("1y"), auto_renew=True),
        new_agreement(Kind.COLLABORATION, "Biennale", signed=PartialDate(2015, 3, 10),
                      auto_renew=True, notice_days=90),
        new_agreement(pact, "Fisso", signed=PartialDate(2026, 3, 1),
                      duration=parse_duration("1y"), notice_days=60),
    ]  # fmt: skip
    with holding(empty_registry, tmp_path, drawn) as registry:
        agreements = list(registry.agreements())
        for as_of in (date(2026, 11, 30), date(2027, 1, 10), date(2028, 1, 29), date(2028, 2, 29),
                      date(2028, 3, 1), date(2030, 1, 31), date(2030, 12, 1)):  # fmt: skip
            for window in ("30d", "90d", "1m"):
                agree(registry, agreements, as_of, window)
                until = parse_window(window).end(as_of)
                found = list(registry.alerting(as_of, until, back=False))
                rules = reference(agreements, as_of, parse_window(window), TODAY)["due"]
                assert [f.values[0] for f in found if isinstance(f, Alerted)] == sorted(
                    {id for id, *_ in rules}
                ), (as_of, window)


def made(fields: dict[str, Any]) -> Agreement:
    """An agreement from drawn fields; what the rules refuse is dropped, not failed."""
    duration = parse_duration(fields["duration"]) if fields["duration"] else None
    renewal = parse_duration(fields["renewal"]) if fields["renewal"] else None
    try:
        agreement = new_agreement(
            fields["kind"], "Controparte", party=fields["party"], country=fields["country"],
            source=fields["source"], signed=fields["signed"], duration=duration,
            end=fields["end"], notice_days=fields["notice_days"], renewal=renewal,
            auto_renew=fields["auto_renew"], renewable=fields["auto_renew"],
        )  # fmt: skip
    except RelintError:
        agreement = new_agreement(fields["kind"], "Controparte", party=fields["party"])
    for _ in range(fields["renewals"]):
        try:
            agreement = renew(agreement)
        except RelintError:
            break
    if fields["terminated"] and agreement.start is not None:
        agreement = terminate(agreement, agreement.start, "recesso")
    if fields["notice_given"] is not None:
        with contextlib.suppress(RelintError):
            agreement = give_notice(agreement, fields["notice_given"], None)
    if fields["suspended"] is not None:
        since, days = fields["suspended"]
        with contextlib.suppress(RelintError):
            agreement = suspend(agreement, PartialDate.of(since), "sospeso")
            if days is not None:
                agreement = resume(agreement, PartialDate.of(add_days(since, days)))
    return agreement


@contextmanager
def holding(empty: Path, folder: Path, agreements: Iterable[Agreement]) -> Iterator[Registry]:
    """A registry in ``folder``, a copy of ``empty``, holding ``agreements``."""
    path = folder / "registry.db"
    shutil.copy(empty, path)
    registry = open_registry(path)
    try:
        with registry.transaction():
            for agreement in agreements:
                registry.insert(agreement)
        yield registry
    finally:
        registry.close()


@pytest.fixture(scope="session")
def empty_registry(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("empty") / "registry.db"
    create(path)
    return path
