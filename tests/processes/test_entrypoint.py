"""The installed ``relint`` command in a real process: pipes, exit codes, stderr."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

from relint import store
from relint.agreement import new_agreement
from relint.dates import PartialDate
from relint.kinds import Kind

RELINT = str(Path(sys.executable).with_name("relint"))
ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "data" / "registry.db"


def run(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None,
        shell: bool = False) -> subprocess.CompletedProcess[str]:  # fmt: skip
    environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLUMNS")}
    environment |= env or {}
    command: str | list[str] = args[0] if shell else [RELINT, *args]
    return subprocess.run(
        command, capture_output=True, text=True, env=environment, cwd=cwd, shell=shell,
        timeout=60, check=False,
    )  # fmt: skip


def test_the_shipped_registry_is_found_from_any_directory(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "RELINT_DB"}
    result = subprocess.run(
        [RELINT, "list", "--format", "json"], capture_output=True, text=True, cwd=tmp_path,
        env=env, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == 35


def test_the_shipped_samples_are_never_changed(tmp_path: Path) -> None:
    # A newcomer's first change after the README's first command: refused, with how to
    # make the office's own registry, so that no update can take that work away.
    samples = SHIPPED.read_bytes()
    env = {k: v for k, v in os.environ.items() if k != "RELINT_DB"}
    for command in (
        ["add", "--counterpart", "Lione", "--kind", "protocol"], ["edit", "1", "--notes", "x"],
        ["renew", "1"], ["remove", "1", "--yes"], ["import", "-"], ["restore", "36"],
        ["terminate", "1", "--on", "2016-01-01", "--reason", "x"], ["init"],
    ):  # fmt: skip
        result = subprocess.run(
            [RELINT, *command], capture_output=True, text=True, cwd=tmp_path, env=env,
            input="counterpart,kind\nLione,protocol\n", check=False,
        )  # fmt: skip
        assert result.returncode == 1, command
        assert "--db PATH" in result.stderr, command
        assert result.stderr.count("\n") == 1
    assert SHIPPED.read_bytes() == samples
    office = tmp_path / "office.db"
    copied = subprocess.run([RELINT, "backup", str(office)], env=env, check=False)
    assert copied.returncode == 0
    added = run(
        "add", "--counterpart", "Lione", "--kind", "protocol", env={"RELINT_DB": str(office)}
    )
    assert added.stdout == "36\n"


def test_a_wheel_serves_the_shipped_registry_from_any_directory(tmp_path: Path) -> None:
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
         "-w", str(tmp_path / "dist"), str(ROOT)], capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    (wheel,) = (tmp_path / "dist").glob("relint-*.whl")
    site = tmp_path / "site"
    installed = subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-index", "--target",
         str(site), str(wheel)], capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert installed.returncode == 0, installed.stderr
    env = {k: v for k, v in os.environ.items() if k != "RELINT_DB"} | {"PYTHONPATH": str(site)}

    def wheel_relint(*args: str) -> subprocess.CompletedProcess[str]:
        # The wheel's relint, ahead of the source checkout this suite runs from.
        return subprocess.run(
            [sys.executable, "-c", "from relint.entry import main; main()", *args],
            capture_output=True, text=True, cwd="/", env=env, check=False,
        )  # fmt: skip

    where = wheel_relint("backup", str(tmp_path / "copy.db"))
    assert where.returncode == 0, where.stderr
    assert str(site / "relint" / "data" / "registry.db") in where.stderr
    for command in (["list", "--format", "json"], ["search", "milano", "--format", "json"]):
        result = wheel_relint(*command)
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout), command
    assert len(json.loads(wheel_relint("list", "--format", "json").stdout)) == 35
    refused = wheel_relint("add", "--counterpart", "Lione", "--kind", "protocol")
    assert refused.returncode == 1
    assert "which the next update replaces" in refused.stderr


def test_piped_tables_are_plain_text(db: Path) -> None:
    run("add", "--counterpart", "Città", "--kind", "pact", "--signed", "2026-01-01",
        "--duration", "1y", env={"RELINT_DB": str(db)})  # fmt: skip
    result = run("list", env={"RELINT_DB": str(db), "TERM": "xterm-256color"})
    assert result.returncode == 0
    assert "Città" in result.stdout
    assert "\x1b" not in result.stdout


def test_add_prints_the_id_and_errors_exit_1_on_stderr(db: Path) -> None:
    env = {"RELINT_DB": str(db)}
    added = run("add", "--counterpart", "Osaka", "--kind", "gemellaggio", env=env)
    assert (added.returncode, added.stdout) == (0, "1\n")
    bad = run("add", "--counterpart", "X", "--kind", "pact", "--signed", "31/02/2020", env=env)
    assert bad.returncode == 1
    assert bad.stdout == ""
    assert bad.stderr.count("\n") == 1
    assert "Traceback" not in bad.stderr
    usage = run("list", "--nope", env=env)
    assert usage.returncode == 2


def test_an_empty_expiring_listing_exits_0(db: Path) -> None:
    result = run("expiring", "--format", "json", env={"RELINT_DB": str(db)})
    assert (result.returncode, result.stdout) == (0, "[]\n")
    assert result.stderr.startswith("Nothing")


def test_a_reader_that_stops_early_ends_the_listing_quietly(db: Path) -> None:
    registry = store.open_registry(db)
    with registry.transaction():
        for n in range(3000):
            registry.insert(
                new_agreement(
                    Kind.PACT, f"City {n}", signed=PartialDate(2020, 1, 1), notes="x" * 200
                )
            )
    registry.close()
    result = run(
        f"'{RELINT}' list --format jsonl | head -1", env={"RELINT_DB": str(db)}, shell=True
    )
    assert result.returncode == 0
    assert json.loads(result.stdout)["id"] == 1
    assert result.stderr == ""


def test_python_dash_m() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "relint", "--version"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    assert result.stdout.startswith("relint ")


def on_terminal(*args: str, env: dict[str, str], stream: str = "stdout") -> str:
    """What relint prints on ``stream`` when that stream is a terminal."""
    leader, follower = pty.openpty()
    environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLUMNS")}
    streams = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL} | {stream: follower}
    process = subprocess.Popen(
        [RELINT, *args], **streams,  # type: ignore[call-overload]
        env=environment | {"TERM": "xterm-256color", "COLUMNS": "160", "NO_COLOR": ""} | env,
    )  # fmt: skip
    os.close(follower)
    output = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closes when relint exits
            break
        if not chunk:
            break
        output += chunk
    process.wait(timeout=60)
    os.close(leader)
    return output.decode()


def test_the_table_is_coloured_by_status_on_a_terminal_unless_no_color(shipped: Path) -> None:
    listing = ("list", "--party", "metropolitana", "--as-of", "2026-11-22")
    coloured = on_terminal(*listing, env={"RELINT_DB": str(shipped)})
    assert "\x1b[31mexpired" in coloured
    plain = on_terminal(*listing, env={"RELINT_DB": str(shipped), "NO_COLOR": "1"})
    assert "expired" in plain
    assert "\x1b" not in plain


def test_a_narrow_terminal_drops_columns_rather_than_cutting_dates(shipped: Path) -> None:
    narrow = on_terminal(
        "list",
        "--party",
        "comune",
        "--as-of",
        "2026-11-22",
        env={"RELINT_DB": str(shipped), "COLUMNS": "80", "NO_COLOR": "1"},
    )
    lines = narrow.splitlines()
    assert max(len(line.rstrip()) for line in lines) <= 80
    assert "2017-11-09" in narrow
    assert "…" not in narrow


def test_piped_rows_stay_on_one_line_however_long(db: Path) -> None:
    env = {"RELINT_DB": str(db)}
    run("add", "--counterpart", "x" * 20_000, "--kind", "pact", "--notes", "y", env=env)
    listed = run("list", env=env)
    assert len(listed.stdout.splitlines()) == 3  # heading, rule, the row
    assert "x" * 20_000 in listed.stdout


def test_output_that_cannot_be_written_is_one_line_error(shipped: Path) -> None:
    env = {"RELINT_DB": str(shipped)}
    for args in (["list"], ["list", "--format", "csv"]):
        with open("/dev/full", "w") as full:
            result = subprocess.run(
                [RELINT, *args], stdout=full, stderr=subprocess.PIPE, text=True,
                env=os.environ | env, check=False,
            )  # fmt: skip
        assert result.returncode == 1
        assert result.stderr.startswith("Error: cannot write the output")
        assert result.stderr.count("\n") == 1


def test_a_terminal_that_cannot_show_accents_gets_escapes(shipped: Path) -> None:
    result = run(
        "list",
        "--party",
        "metropolitana",
        env={"RELINT_DB": str(shipped), "PYTHONIOENCODING": "ascii"},
    )
    assert result.returncode == 0
    assert "Citt\\xe0 metropolitana" in result.stdout


def test_a_long_import_shows_progress_only_on_a_terminal(db: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "long.csv"
    sheet.write_text("counterpart,kind\n" + "".join(f"City {n},pact\n" for n in range(1500)))
    piped = run("import", str(sheet), env={"RELINT_DB": str(db)})
    assert piped.returncode == 0
    assert piped.stderr.splitlines() == [f"Imported {sheet}: added 1500, updated 0 agreements."]
    shown = on_terminal(
        "import", str(sheet), "--dry-run", env={"RELINT_DB": str(db)}, stream="stderr"
    )
    assert "Checking" in shown
    assert "Would add 1500 and update 0 agreements" in shown


def test_escape_sequences_in_records_never_reach_a_terminal(db: Path) -> None:
    env = {"RELINT_DB": str(db)}
    hostile = "Evil \x1b[2J\x1b[31mred\x07 \u202eevil"
    assert run("add", "--counterpart", hostile, "--kind", "pact", env=env).returncode == 0
    for command in (["list"], ["show", "1"], ["search", "evil"], ["history"]):
        shown = on_terminal(*command, env=env | {"NO_COLOR": "1"})
        assert "\\x1b[2J\\x1b[31mred\\x07 \\u202eevil" in shown, command
        assert "\x1b" not in shown
        assert "\u202e" not in shown
        piped = run(*command, env=env)
        assert "\x1b" not in piped.stdout
        assert "\\x1b[2J" in piped.stdout
