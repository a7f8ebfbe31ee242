"""relint remind: each reminder once, quiet when nothing is due, a ledger of what was sent."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
from pathlib import Path

import pytest

from ..conftest import Relint

LYON = [
    "--counterpart",
    "Lyon",
    "--kind",
    "protocol",
    "--start",
    "2020-01-15",
    "--duration",
    "3y",
    "--renewal",
    "1y",
    "--auto-renew",
    "--notice",
    "90",
    "--party",
    "Comune di Milano",
]
KRAKOW = ["--counterpart", "Kraków", "--kind", "pact", "--start", "2024-01-31", "--end",
          "2025-11-30"]  # fmt: skip


@pytest.fixture
def two(relint: Relint, db: Path) -> Relint:
    assert relint("add", *LYON).code == 0
    assert relint("add", *KRAKOW).code == 0
    return relint


def due(relint: Relint, *args: str) -> list[tuple[object, ...]]:
    result = relint("remind", "-f", "json", *args)
    assert result.code == 0, result.stderr
    # Nothing due: nothing at all, not even [] (see test_nothing_due_prints_nothing_at_all)
    found = json.loads(result.stdout) if result.stdout else []
    return [(r["id"], r["event"], r["event_on"], r["step"]) for r in found]


def test_each_reminder_is_given_once(two: Relint) -> None:
    expected = [(1, "notice", "2025-10-17", "7d"), (2, "end", "2025-11-30", "90d")]
    assert due(two, "--as-of", "2025-10-10", "--dry-run") == expected
    assert due(two, "--as-of", "2025-10-10", "--dry-run") == expected  # nothing recorded
    assert due(two, "--as-of", "2025-10-10") == expected
    assert due(two, "--as-of", "2025-10-12") == []  # the same steps: already given
    # The next step of the pact, and the protocol's end (a new event), come later.
    assert due(two, "--as-of", "2025-11-01") == [
        (2, "end", "2025-11-30", "30d"), (1, "end", "2026-01-15", "90d"),
    ]  # fmt: skip


def test_a_night_skipped_catches_up_with_one_reminder(two: Relint) -> None:
    # Nothing was sent at 90 or 30 days before the pact's end: only the 7-day step.
    assert due(two, "--as-of", "2025-11-25") == [
        (2, "end", "2025-11-30", "7d"), (1, "end", "2026-01-15", "90d"),
    ]  # fmt: skip


@pytest.mark.parametrize("more", [[], ["-f", "json"], ["--dry-run", "-f", "json"], ["--mail"]])
def test_nothing_due_prints_nothing_at_all(two: Relint, more: list[str]) -> None:
    """Not even [] in JSON, nor a missing sender for mail: cron sends no mail."""
    result = two("remind", "--as-of", "2025-03-01", *more)
    assert (result.code, result.stdout, result.stderr) == (0, "", "")


def test_the_text_says_what_to_do(two: Relint) -> None:
    text = two("remind", "--as-of", "2025-10-10").stdout
    assert text.splitlines() == [
        "Agreement 1, protocol with Lyon (Comune di Milano), term 4: notice deadline"
        " 2025-10-17 (in 7 days): give notice by then, or it renews.",
        "Agreement 2, pact with Kraków, term 1: ends 2025-11-30 (in 51 days):"
        " it ends then: it is not renewable.",
    ]


def test_the_ledger_lists_what_was_sent(two: Relint) -> None:
    assert two("remind", "--as-of", "2025-10-10").code == 0
    sent = json.loads(two("remind", "--sent", "-f", "json").stdout)
    assert [(s["agreement_id"], s["term"], s["event"], s["event_on"], s["step"], s["sent_to"])
            for s in sent] == [
        (1, 4, "notice", "2025-10-17", "7d", "stdout"),
        (2, 1, "end", "2025-11-30", "90d", "stdout"),
    ]  # fmt: skip


@pytest.mark.parametrize("steps", ["", "90d,,7d", "soon"])
def test_steps_that_are_not_windows_are_refused(two: Relint, steps: str) -> None:
    result = two("remind", "--steps", steps)
    assert result.code == 1
    assert result.stderr.startswith("Error: ")
    assert result.stderr.count("\n") == 1
    assert two("remind", "--sent", "-f", "json").stdout.strip() == "[]"


def test_quiet_expiring_says_nothing_when_nothing_is_due(two: Relint) -> None:
    quiet = two("expiring", "--as-of", "2025-03-01", "-q")
    assert (quiet.code, quiet.stdout, quiet.stderr) == (0, "", "")
    said = two("expiring", "--as-of", "2025-03-01")
    assert said.stderr.startswith("Nothing ends or needs notice")
    wrong = two("expiring", "--as-of", "someday", "--quiet")
    assert wrong.code != 0
    assert wrong.stderr  # errors are still said


def test_history_shows_each_sending(two: Relint) -> None:
    assert two("remind", "--as-of", "2025-10-10").code == 0
    trail = json.loads(two("history", "1", "-f", "json").stdout)
    assert [entry["action"] for entry in trail] == [
        "add", "remind: notice on 2025-10-17 (term 4, step 7d) to stdout",
    ]  # fmt: skip
    assert two("remind", "--as-of", "2025-10-10", "--dry-run").stdout == ""
    assert len(json.loads(two("history", "-f", "json").stdout)) == 4  # 2 added, 2 sent


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ("[smtp\n", "are not TOML"),
        ('[smtp]\nsecurity = "tls"\n', "smtp.security is 'tls'; use starttls, ssl, none"),
        ('[smtp]\nport = "25"\n', "smtp.port is to be a whole number"),
        ("[smtp]\ntimeout = 0\n", "smtp.timeout is to be a number of seconds"),
        (
            "[smtp]\ntimeout = 1e10\n",
            "smtp.timeout is to be a number of seconds, above 0 and at most 3600",
        ),
        (
            '[mail]\nfrom = "Relazioni internazionali"\n',
            "not an e-mail address: 'Relazioni internazionali'; write name@host",
        ),
        ('[mail]\nto = ["Ufficio, Estero <u@comune.it>"]\n', "not an e-mail address"),
        ("[mail]\nfrom = 7\n", "mail.from is to be text"),
        ('[mail.to_by_party]\n"S.p.A. Expo" = 7\n', "mail.to_by_party.S.p.A. Expo is to be"),
        ('[smtp]\nuser = "r"\npassword_env = "P"\n', "smtp.user needs smtp.security"),
        ('[remind]\nstep = "7d"\n', "unknown key remind.step"),
        ('[smtp]\npassword = "segreto"\n', "unknown key smtp.password"),
        ('[smtp]\nuser = "relazioni"\n', "give smtp.user and smtp.password_env together"),
    ],
)
def test_wrong_settings_are_named_in_one_line(
    two: Relint, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings: str, message: str
) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(settings, encoding="utf-8")
    monkeypatch.setenv("RELINT_CONFIG", str(path))
    result = two("remind", "--as-of", "2025-10-10", "--mail")
    assert result.code == 1
    assert message in result.stderr
    assert result.stderr.count("\n") == 1
    assert two("remind", "--sent", "-f", "json").stdout.strip() == "[]"


def test_a_month_step_is_due_on_its_first_day(relint: Relint, db: Path) -> None:
    """31 May less three months is 28 February: the reminder is due that day."""
    args = ["--counterpart", "Oporto", "--kind", "pact", "--start", "2025-05-31", "--end",
            "2026-05-31"]  # fmt: skip
    assert relint("add", *args).code == 0
    assert due(relint, "--steps", "3m", "--as-of", "2026-02-27", "--dry-run") == []
    assert due(relint, "--steps", "3m", "--as-of", "2026-02-28", "--dry-run") == [
        (1, "end", "2026-05-31", "3m")
    ]


def test_settings_take_a_timeout_in_fractions_of_a_second(
    two: Relint, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('[smtp]\ntimeout = 7.5\n[remind]\nsteps = "7d"\n', encoding="utf-8")
    monkeypatch.setenv("RELINT_CONFIG", str(path))
    assert due(two, "--as-of", "2025-10-10", "--dry-run") == [(1, "notice", "2025-10-17", "7d")]


def test_changing_the_steps_repeats_no_reminder(two: Relint) -> None:
    """A reminder given at a step as near to its event, or nearer, stands for the new
    steps' own: 90 days given, then 3 months (from 30 August) is not given again."""
    assert len(due(two, "--as-of", "2025-10-10")) == 2
    assert due(two, "--as-of", "2025-10-12", "--steps", "3m,1m,7d") == []
    # A nearer step than any given is a new reminder.
    assert due(two, "--as-of", "2025-11-01", "--steps", "3m,1m,7d") == [
        (2, "end", "2025-11-30", "1m"), (1, "end", "2026-01-15", "3m"),
    ]  # fmt: skip


def test_an_as_of_after_today_records_nothing(two: Relint, monkeypatch: pytest.MonkeyPatch) -> None:
    """Reminders recorded for a day to come would never be sent that day."""
    monkeypatch.setenv("RELINT_TEST_TODAY", "2025-10-09")
    ahead = two("remind", "--as-of", "2025-10-10")
    assert (ahead.code, ahead.stdout) == (1, "")
    assert ahead.stderr.startswith("Error: --as-of 2025-10-10 is after today: give --dry-run")
    assert ahead.stderr.count("\n") == 1
    assert two("remind", "--sent", "-f", "json").stdout.strip() == "[]"
    assert len(due(two, "--as-of", "2025-10-10", "--dry-run")) == 2


def said(relint: Relint, day: str, agreement: int = 1) -> tuple[str, bool]:
    """What the reminder of ``agreement`` on ``day`` says to do, and whether it renews."""
    text = relint("remind", "--as-of", day, "--dry-run").stdout.splitlines()
    data = json.loads(relint("remind", "--as-of", day, "--dry-run", "-f", "json").stdout)
    line = next(line for line in text if line.startswith(f"Agreement {agreement},"))
    renews = next(r["renews"] for r in data if r["id"] == agreement)
    return line.rpartition("): ")[2], renews


def test_the_advice_follows_the_notice(two: Relint) -> None:
    # The protocol's term 4 ends 2026-01-15; notice by 2025-10-17.
    assert said(two, "2025-10-17") == ("give notice by then, or it renews.", True)
    assert said(two, "2025-11-01") == (
        "it renews by itself (the notice deadline, 2025-10-17, has passed).", True,
    )  # fmt: skip
    assert two("give-notice", "1", "--on", "2025-11-01").code == 0
    assert said(two, "2025-11-01") == (
        "notice came after the deadline: it renews once more, then ends.", True,
    )  # fmt: skip
    # Term 5 ends 2027-01-15, and the agreement with it.
    assert said(two, "2026-12-01") == ("it ends: notice was given.", False)
    assert two("give-notice", "1", "--withdraw").code == 0
    assert two("give-notice", "1", "--on", "2025-10-01").code == 0
    assert said(two, "2025-11-01") == ("it ends: notice was given.", False)


def test_a_term_with_no_notice_period_renews_unless_notice_comes_by_its_end(
    relint: Relint, db: Path
) -> None:
    args = ["--counterpart", "Lyon", "--kind", "protocol", "--start", "2024-01-15",
            "--duration", "2y", "--auto-renew"]  # fmt: skip
    assert relint("add", *args).code == 0
    assert said(relint, "2025-12-20") == (
        "it renews by itself unless notice is given by 2026-01-15.", True,
    )  # fmt: skip


def test_a_renewal_recorded_before_the_end_needs_no_reminder(two: Relint) -> None:
    assert [r[0] for r in due(two, "--as-of", "2025-10-10", "--dry-run")] == [1, 2]
    assert two("renew", "2", "--start", "2025-12-01", "--duration", "2y").code == 0
    assert [r[0] for r in due(two, "--as-of", "2025-10-10", "--dry-run")] == [1]
    # Once the new term counts, its own end is reminded.
    assert due(two, "--as-of", "2027-09-15", "--dry-run")[-1] == (2, "end", "2027-12-01", "90d")


def claim(db: Path, key: tuple[object, ...], by: str, until: str) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute(
            "INSERT INTO reminders (agreement_id, term, event, event_on, step, sent_to,"
            " claimed_by, claimed_until) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (*key, "ufficio@comune.milano.it", by, until),
        )
    conn.close()


@pytest.mark.parametrize(
    ("by", "until", "stands"),
    [
        ("elsewhere 1", "2025-10-11T00:00:00+00:00", True),  # on another machine, in time
        ("elsewhere 1", "2025-10-09T00:00:00+00:00", False),  # its time ran out
        ("here", "2025-10-11T00:00:00+00:00", True),  # a process here that is running
        ("gone", "2025-10-11T00:00:00+00:00", False),  # one that ended
    ],
)
def test_a_claim_stands_while_its_run_may_be_sending(
    two: Relint, db: Path, monkeypatch: pytest.MonkeyPatch, by: str, until: str, stands: bool
) -> None:
    monkeypatch.setenv("RELINT_TEST_TODAY", "2025-10-10")
    pid = {"here": os.getpid, "gone": _ended_pid}.get(by, lambda: None)()
    claimant = f"{socket.gethostname()} {pid}" if pid else by
    claim(db, (2, 1, "end", "2025-11-30", "90d"), claimant, until)
    mailed = ["--to", "Ufficio <Ufficio@comune.milano.it>", "--from", "relint@comune.milano.it"]
    ids = [r[0] for r in due(two, "--as-of", "2025-10-10", "--dry-run", *mailed)]
    assert ids == ([1] if stands else [1, 2])
    assert [r[0] for r in due(two, "--as-of", "2025-10-10", "--dry-run")] == [1, 2]  # printed
    assert two("remind", "--sent", "-f", "json").stdout.strip() == "[]"  # a claim is no sending


def _ended_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_printing_them_takes_nothing_from_the_mail(two: Relint) -> None:
    """Each recipient gets each reminder once: those printed are still to be mailed."""
    assert len(due(two, "--as-of", "2025-10-10")) == 2
    assert due(two, "--as-of", "2025-10-10") == []
    mailed = ["--to", "ufficio@comune.milano.it", "--from", "relint@comune.milano.it"]
    assert len(due(two, "--as-of", "2025-10-10", "--dry-run", *mailed)) == 2


def test_a_settings_file_named_and_missing_is_said(
    two: Relint, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RELINT_CONFIG", str(tmp_path / "nowhere.toml"))
    result = two("remind", "--as-of", "2025-10-10", "--dry-run")
    assert result.code == 1
    assert (
        result.stderr
        == f"Error: no settings at {tmp_path / 'nowhere.toml'}, where $RELINT_CONFIG points\n"
    )


@pytest.mark.parametrize(
    "given",
    ["a@b.it Ufficio", "a@b.it.", "Uff <a@b.it.>", "a@b..it", "a@b.it\n", "Uff\nicio <a@b.it>",
     "ü@b.it", "not an address"],
)  # fmt: skip
def test_an_address_mail_would_not_carry_as_written_is_refused(two: Relint, given: str) -> None:
    result = two("remind", "--as-of", "2025-10-10", "--dry-run", "--to", given)
    assert result.code != 0
    assert result.stderr.count("\n") == 1
    assert "not an e-mail address" in result.stderr or "is to be ASCII" in result.stderr


def test_notice_shows_in_the_renewal_column_from_the_day_it_was_given(two: Relint) -> None:
    assert two("give-notice", "1", "--on", "2025-12-01").code == 0

    def renews(day: str) -> str:
        table = two("expiring", "--as-of", day, "--within", "90d").stdout.splitlines()
        line = next(line for line in table if line.split()[0] == "1")
        return "notice given" if "notice given" in line else "tacit" if "tacit" in line else line

    assert renews("2025-10-01") == "tacit"
    assert renews("2025-12-05") == "notice given"
