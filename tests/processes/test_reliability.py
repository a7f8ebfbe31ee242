"""The registry's promises, proven with real processes against real files."""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from relint import store
from relint.agreement import new_agreement
from relint.kinds import Kind
from relint.store import codec
from relint.store.migrations import NAMES

from ..conftest import SHIPPED
from ..helpers import locked

RELINT = str(Path(sys.executable).with_name("relint"))
FIXTURES = Path(__file__).parents[1] / "fixtures"


def run(
    *args: str, db: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    environment = os.environ | {"RELINT_DB": str(db)} | (env or {})
    return subprocess.run(
        [RELINT, *args], capture_output=True, text=True, env=environment, timeout=120,
        check=False,
    )  # fmt: skip


def spawn(
    command: list[str], db: Path, env: dict[str, str] | None = None, **options: Any
) -> subprocess.Popen[str]:
    """A command started in the background on ``db``, its output captured. Ctrl-C
    (SIGINT) stops it, as at a terminal, even when the tests run where it is ignored
    (a job started in the background by a shell script ignores it, and so would relint)."""
    return subprocess.Popen(
        command, env=os.environ | {"RELINT_DB": str(db)} | (env or {}),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=_ctrl_c_stops,
        **options,
    )  # fmt: skip


def _ctrl_c_stops() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def count(db: Path, table: str = "agreements") -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        conn.close()


def integrity(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def one_line_error(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode != 0
    assert result.stdout == ""
    assert result.stderr.startswith("Error: ")
    assert result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr


# 1. Concurrent writers


def test_concurrent_writers_all_succeed(db: Path) -> None:
    loop = textwrap.dedent(f"""
        for n in $(seq 50); do
            "{RELINT}" add --counterpart "Writer $1 number $n" --kind pact --signed 2026-01-01 \\
                > /dev/null || exit 1
        done
    """)
    writers = [spawn(["bash", "-c", loop, "loop", str(w)], db) for w in range(4)]
    results = [writer.communicate(timeout=600) for writer in writers]
    assert [writer.returncode for writer in writers] == [0, 0, 0, 0], results
    assert all("locked" not in err and "busy" not in err for _, err in results)
    assert count(db) == 200
    assert integrity(db) == "ok"


# 2. A registry locked by another writer


def test_a_writer_waits_for_the_lock_then_succeeds(db: Path) -> None:
    with locked(db):
        writer = spawn(
            [RELINT, "add", "--counterpart", "Patient", "--kind", "pact"], db,
            env={"RELINT_BUSY_TIMEOUT": "20"},
        )  # fmt: skip
        time.sleep(1.5)
        assert writer.poll() is None  # still waiting
    out, err = writer.communicate(timeout=60)
    assert writer.returncode == 0, err
    assert out == "1\n"
    assert count(db) == 1


def test_past_the_busy_timeout_a_writer_fails_clearly_and_changes_nothing(db: Path) -> None:
    with locked(db):
        before = db.read_bytes()
        result = run("add", "--counterpart", "Impatient", "--kind", "pact", db=db,
                     env={"RELINT_BUSY_TIMEOUT": "0.5"})  # fmt: skip
        one_line_error(result)
        assert "busy" in result.stderr
        assert "nothing was changed" in result.stderr
        assert db.read_bytes() == before
    assert count(db) == 0


# 3. Killed midway


SHEET_HEADER = "counterpart,kind,signed,notes\n"
SHEET_ROWS = [f"City {n},pact,2020-01-01,{'x' * 200}\n" for n in range(20_000)]


def write_locked(db: Path) -> bool:
    """Whether another process holds the registry's write lock: an import inside its
    transaction."""
    conn = sqlite3.connect(db, timeout=0, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError as error:
        if "locked" not in str(error):
            raise
        return True
    finally:
        conn.close()


def wait_until(condition: Callable[[], bool], what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"waited {seconds} s for {what}"
        time.sleep(0.01)


@pytest.mark.parametrize(
    ("sig", "code"),
    [(signal.SIGKILL, -signal.SIGKILL), (signal.SIGINT, 130), (signal.SIGTERM, 143)],
)
def test_an_import_killed_while_it_writes_leaves_nothing(db: Path, sig: int, code: int) -> None:
    # The file comes through a pipe that stays open: the import cannot commit before the
    # signal, which is sent once the import is seen holding the write lock, writing.
    importer = spawn([RELINT, "import", "-", "--format", "csv"], db, stdin=subprocess.PIPE)
    assert importer.stdin is not None
    importer.stdin.write(SHEET_HEADER + "".join(SHEET_ROWS[:5_000]))
    importer.stdin.flush()
    wait_until(lambda: write_locked(db), "the import to take the write lock")
    importer.send_signal(sig)
    _, err = importer.communicate(timeout=120)
    assert importer.returncode == code, err
    assert "Traceback" not in err
    assert integrity(db) == "ok"
    assert count(db) == 0
    assert count(db, "audit") == 0
    assert not write_locked(db)


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
def test_an_import_killed_at_any_moment_leaves_all_or_nothing(
    db: Path, tmp_path: Path, sig: int
) -> None:
    sheet = tmp_path / "big.csv"
    sheet.write_text(SHEET_HEADER + "".join(SHEET_ROWS))
    for delay in (0.2, 0.6, 1.2, 2.4):
        importer = spawn([RELINT, "import", str(sheet)], db)
        time.sleep(delay)  # any moment: before, while or after it writes
        importer.send_signal(sig)
        _, err = importer.communicate(timeout=120)
        assert "Traceback" not in err
        assert integrity(db) == "ok"
        rows = count(db)
        assert rows in (0, 20_000)
        assert count(db, "audit") == rows
        if rows:
            db.unlink()
            for side in ("-wal", "-shm"):
                Path(str(db) + side).unlink(missing_ok=True)
            store.create(db)


# 4. Damaged or wrong files


def corrupt(path: Path) -> None:
    data = bytearray(path.read_bytes())
    for offset in range(4096 * 2, min(len(data), 4096 * 8), 7):
        data[offset] = (data[offset] * 31 + 17) % 256
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    "make",
    ["corrupt", "not sqlite", "empty", "newer schema", "other database"],
)
@pytest.mark.parametrize(
    "command",
    [["list"], ["add", "--counterpart", "X", "--kind", "pact"], ["edit", "1", "--notes", "x"],
     ["export"], ["remove", "1", "--yes"], ["import", "-"]],
)  # fmt: skip
def test_damaged_or_wrong_files_are_refused_untouched(
    tmp_path: Path, make: str, command: list[str]
) -> None:
    path = tmp_path / "registry.db"
    if make == "corrupt":
        shutil.copy(SHIPPED, path)
        corrupt(path)
    elif make == "not sqlite":
        path.write_bytes(b"id,kind\n1,pact\n" * 300)
    elif make == "empty":
        path.write_bytes(b"")
    elif make == "other database":
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE agreements (id INTEGER PRIMARY KEY, name TEXT)")
        conn.commit()
        conn.close()
    else:
        shutil.copy(SHIPPED, path)
        conn = sqlite3.connect(path)
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
            " VALUES ('relint', 'm999_future', '2030-01-01')"
        )
        conn.commit()
        conn.close()
    before = path.read_bytes()
    result = subprocess.run(
        [RELINT, *command], input="counterpart,kind\nX,pact\n", capture_output=True, text=True,
        env=os.environ | {"RELINT_DB": str(path)}, check=False, timeout=60,
    )  # fmt: skip
    one_line_error(result)
    assert path.read_bytes() == before


@pytest.mark.parametrize("where", ["folder", "missing folder", "missing file"])
def test_paths_that_are_not_files_are_refused_and_nothing_is_created(
    tmp_path: Path, where: str
) -> None:
    path = {
        "folder": tmp_path,
        "missing folder": tmp_path / "nowhere" / "registry.db",
        "missing file": tmp_path / "absent.db",
    }[where]
    for command in (["list"], ["add", "--counterpart", "X", "--kind", "pact"]):
        one_line_error(run(*command, db=path))
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_init_in_a_missing_folder_is_refused(tmp_path: Path) -> None:
    one_line_error(run("init", db=tmp_path / "nowhere" / "registry.db"))
    assert list(tmp_path.iterdir()) == []


def test_doctor_names_what_is_wrong(tmp_path: Path) -> None:
    path = tmp_path / "registry.db"
    shutil.copy(SHIPPED, path)
    result = run("doctor", db=path)
    assert result.returncode == 1
    assert "agreement 5 (memorandum with Astana): its end is not known to the day" in result.stdout
    assert "13 problems" in result.stderr
    corrupt(path)
    damaged = run("doctor", db=path)
    assert damaged.returncode == 1
    assert "Traceback" not in damaged.stderr


# 5. Read-only


def _without_root_powers() -> list[str]:
    """A prefix that makes root obey file permissions, as other users do."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("root, and no setpriv to make root obey file permissions")
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"]


@pytest.fixture
def read_only(tmp_path: Path) -> Iterator[tuple[Path, list[str]]]:
    """A copy of the shipped registry, and the prefix to run relint as a user who must
    obey its permissions."""
    path = tmp_path / "registry.db"
    shutil.copy(SHIPPED, path)
    try:
        yield path, _without_root_powers()
    finally:
        os.chmod(tmp_path, 0o755)
        os.chmod(path, 0o644)


READS = [
    ["list"], ["show", "24"], ["search", "milano"], ["expiring", "--as-of", "2023-05-01"],
    ["export"], ["report", "--month", "2023-05"], ["history"], ["doctor"], ["kinds"],
    ["import", "-", "--dry-run"],
]  # fmt: skip
WRITES = [
    ["add", "--counterpart", "X", "--kind", "pact"], ["edit", "1", "--notes", "x"],
    ["renew", "1"], ["terminate", "1", "--on", "2017-01-01", "--reason", "x"],
    ["remove", "1", "--yes"], ["import", "-"], ["restore", "36"],
]  # fmt: skip


@pytest.mark.parametrize("unwritable", ["file", "folder"])
def test_a_read_only_registry_serves_reads_and_refuses_writes(
    read_only: tuple[Path, list[str]], unwritable: str
) -> None:
    path, prefix = read_only
    os.chmod(
        path if unwritable == "file" else path.parent, 0o444 if unwritable == "file" else 0o555
    )
    before = path.read_bytes()
    environment = os.environ | {"RELINT_DB": str(path)}
    for command in READS:
        result = subprocess.run(
            [*prefix, RELINT, *command], input="counterpart,kind\nX,pact\n",
            capture_output=True, text=True, env=environment, check=False,
        )  # fmt: skip
        assert "Traceback" not in result.stderr, command
        if command != ["doctor"]:  # doctor exits 1: the shipped records have problems
            assert result.returncode == 0, (command, result.stderr)
    for command in WRITES:
        result = subprocess.run(
            [*prefix, RELINT, *command], input="counterpart,kind\nX,pact\n", capture_output=True,
            text=True, env=environment, check=False,
        )  # fmt: skip
        one_line_error(result)
        assert "read-only" in result.stderr, (command, result.stderr)
    assert path.read_bytes() == before


# 9. Ordinary accidents


def test_an_unexpected_error_shows_no_local_values(tmp_path: Path) -> None:
    path = tmp_path / "registry.db"
    shutil.copy(SHIPPED, path)
    script = textwrap.dedent("""
        import relint.render
        def broken(rows, fmt, out, columns=None, **options):
            secret = "Sindaco di Tehran, riservato"
            raise RuntimeError(secret)
        relint.render.write_rows = broken
        import relint.cli.answers
        relint.cli.answers.write_rows = broken
        from relint.entry import main
        main()
    """)
    # "-f csv" takes the quick start, "-fcsv" the Typer app: both must hide the data.
    for args in (["list", "-f", "csv"], ["list", "-fcsv"]):
        result = subprocess.run(
            [sys.executable, "-c", script, *args], capture_output=True, text=True, check=False,
            env=os.environ | {"RELINT_DB": str(path)},
        )  # fmt: skip
        assert result.returncode == 70, args
        assert "riservato" not in result.stderr
        assert "secret" not in result.stderr
        assert "RuntimeError" in result.stderr
        assert result.stderr.count("\n") == 1


def test_remove_without_a_terminal_or_yes_refuses(tmp_path: Path) -> None:
    path = tmp_path / "registry.db"
    shutil.copy(SHIPPED, path)
    result = run("remove", "1", db=path)
    one_line_error(result)
    assert count(path) == 35


# 10. Migrations


def test_tacit_agreements_of_a_schema_3_registry_alert_once_upgraded(tmp_path: Path) -> None:
    """The fixture's protocol with Lyon (3y from 2020-01-15, renewing itself, 90 days'
    notice) and its collaboration from 2016-02-29 (2y, renewing itself, marked not
    renewable) alert on the tacit terms in force."""
    path = tmp_path / "registry.db"
    shutil.copy(FIXTURES / "schema-3.db", path)
    result = run("expiring", "--as-of", "2025-10-01", "--within", "6m", "--format", "csv", db=path)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["counterpart"], r["end"], r["term"], r["alert"], r["alert_on"]) for r in rows] == [
        ("Lyon", "2026-01-15", "2", "notice", "2025-10-17"),
        ("Göteborg", "2026-02-28", "5", "end", "2026-02-28"),
    ]
    assert rows[1]["renewable"] == "true"


@pytest.mark.parametrize("version", [1, 2, 3])
def test_a_registry_of_an_earlier_schema_upgrades_keeping_every_row(
    tmp_path: Path, version: int
) -> None:
    path = tmp_path / "registry.db"
    shutil.copy(FIXTURES / f"schema-{version}.db", path)
    original = path.read_bytes()
    conn = sqlite3.connect(path)
    rows = conn.execute("SELECT * FROM agreements ORDER BY id").fetchall()
    terms = conn.execute("SELECT * FROM terms ORDER BY agreement_id, seq").fetchall()
    conn.close()
    result = run("list", "--format", "json", db=path)
    assert result.returncode == 0, result.stderr
    assert f"registry.db.schema-{version}.bak" in result.stderr
    backup = tmp_path / f"registry.db.schema-{version}.bak"
    conn = sqlite3.connect(backup)
    assert [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY id")] == [
        *NAMES[:version]
    ]
    assert conn.execute("SELECT * FROM agreements ORDER BY id").fetchall() == rows
    conn.close()
    conn = sqlite3.connect(path)
    upgraded = conn.execute("SELECT * FROM agreements ORDER BY id").fetchall()
    # What renews itself is renewable (columns 10 and 11 are renewable and auto_renew).
    renewable = [(*r[:10], r[10] or r[11], *r[11:]) for r in rows]
    assert [row[: len(rows[0])] for row in upgraded] == renewable
    added = [row[len(rows[0]) :] for row in upgraded]  # the columns added, empty
    assert {row[:4] for row in added} == {(None, None, None, "[]")}
    # ... but for where tacit renewals end, derived from each record as its writes do.
    registry = store.open_registry(path)
    assert [row[4:] for row in added] == [codec.tacit(a) for a in registry.agreements()]
    registry.close()
    assert conn.execute("SELECT * FROM terms ORDER BY agreement_id, seq").fetchall() == terms
    assert [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY id")] == [
        *NAMES
    ]
    assert conn.execute("PRAGMA index_info(agreements_alerts)").fetchall()
    conn.close()
    assert integrity(path) == "ok"
    assert original != path.read_bytes()
    assert run("add", "--counterpart", "After", "--kind", "pact", db=path).returncode == 0
    assert "After" in run("history", db=path).stdout


@pytest.mark.parametrize("version", [1, 3])
def test_a_read_only_registry_of_an_old_schema_is_read_without_upgrading(
    tmp_path: Path, version: int
) -> None:
    path = tmp_path / "registry.db"
    shutil.copy(FIXTURES / f"schema-{version}.db", path)
    os.chmod(path, 0o444)
    before = path.read_bytes()
    environment = os.environ | {"RELINT_DB": str(path)}

    def relint(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*_without_root_powers(), RELINT, *args], capture_output=True, text=True,
            env=environment, check=False,
        )  # fmt: skip

    listed = relint("list", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    assert len(json.loads(listed.stdout)) in (3, 4)
    for read in (
        ["show", "1", "--explain"], ["search", "a"], ["expiring", "--as-of", "2023-05-01"],
        ["export"], ["export", "-f", "ics"], ["report", "--month", "2023-05"], ["doctor"],
    ):  # fmt: skip
        result = relint(*read)
        assert result.returncode == 0, (read, result.stderr)
    if version == 1:
        history = relint("history")  # the trail came with a later schema: there is none yet
        assert history.returncode == 0
        assert "No changes recorded" in history.stderr
    else:  # its tacit agreements alert as an upgraded registry's do (see above)
        alerts = relint("expiring", "--as-of", "2025-10-01", "--within", "6m", "-f", "csv")
        assert [r["counterpart"] for r in csv.DictReader(io.StringIO(alerts.stdout))] == [
            "Lyon", "Göteborg",
        ]  # fmt: skip
        asked = ("report", "--as-of", "2025-10-01", "--lookahead", "4m", "-f", "json")
        report = json.loads(relint(*asked).stdout)
        assert report["summary"]["status"] == {"expiring": 1, "active": 3}
        (tmp_path / "writable").mkdir()
        upgraded = tmp_path / "writable" / "registry.db"
        shutil.copy(FIXTURES / "schema-3.db", upgraded)
        assert report == json.loads(run(*asked, db=upgraded).stdout)
    one_line_error(relint("add", "--counterpart", "X", "--kind", "pact"))
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".bak")) == []


def test_a_backup_is_consistent_while_others_write(db: Path, tmp_path: Path) -> None:
    writer = subprocess.Popen(
        ["bash", "-c", f'for n in $(seq 40); do "{RELINT}" add --counterpart "W$n" --kind pact'
                       " > /dev/null || exit 1; done"],
        env=os.environ | {"RELINT_DB": str(db)},
    )  # fmt: skip
    copies = []
    while writer.poll() is None:
        copy = tmp_path / f"copy-{len(copies)}.db"
        result = run("backup", str(copy), db=db)
        assert result.returncode == 0, result.stderr
        copies.append(copy)
        time.sleep(0.2)
    assert writer.returncode == 0
    assert copies
    for copy in copies:
        assert integrity(copy) == "ok"
        assert 0 <= count(copy) <= 40
    assert run("backup", str(copies[0]), db=db).returncode == 1
    assert run("backup", str(copies[0]), "--force", db=db).returncode == 0
    assert count(copies[0]) == 40


def test_a_damaged_file_is_neither_read_nor_written(db: Path) -> None:
    registry = store.open_registry(db)
    with registry.transaction():
        for n in range(200):
            registry.insert(new_agreement(Kind.PACT, f"City {n}", notes="x" * 500))
    registry.close()
    # Damage pages in the middle of the agreements, far from the schema on the first pages:
    # a file SQLite still opens, whose answers would be wrong.
    data = bytearray(db.read_bytes())
    middle = len(data) // 4096 // 2 * 4096
    data[middle + 100 : middle + 2000] = bytes(1900)
    db.write_bytes(bytes(data))
    before = db.read_bytes()
    for command in (["list"], ["expiring"], ["add", "--counterpart", "X", "--kind", "pact"]):
        result = run(*command, db=db)
        one_line_error(result)
        assert "damaged" in result.stderr
    assert db.read_bytes() == before
    doctor = run("doctor", db=db)
    assert doctor.returncode == 1
    assert "the file:" in doctor.stdout


def test_the_first_use_of_an_old_registry_by_many_processes_upgrades_it_once(
    tmp_path: Path,
) -> None:
    path = tmp_path / "registry.db"
    shutil.copy(FIXTURES / "schema-1.db", path)
    processes = [spawn([RELINT, "list", "--format", "json"], path) for _ in range(6)]
    results = [process.communicate(timeout=120) for process in processes]
    assert [process.returncode for process in processes] == [0] * 6, results
    assert [p.name for p in tmp_path.iterdir() if ".bak" in p.name] == ["registry.db.schema-1.bak"]
    assert integrity(path) == "ok"


def left_in_log(path: Path, *statements: str) -> None:
    """Commit ``statements`` to the database at ``path`` and leave them waiting in its
    write-ahead log, as a process that stopped before a checkpoint leaves them."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA wal_autocheckpoint=0")
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    log = Path(str(path) + "-wal")
    kept = log.read_bytes()
    conn.close()  # the last connection checkpoints and removes the log: put it back
    log.write_bytes(kept)


def test_a_backup_over_a_file_with_a_leftover_log_is_whole(db: Path, tmp_path: Path) -> None:
    run("add", "--counterpart", "Kept", "--kind", "pact", db=db)
    target = tmp_path / "copy.db"
    left_in_log(target, "CREATE TABLE stale (x)", "INSERT INTO stale VALUES (1)")
    assert run("backup", str(target), "--force", db=db).returncode == 0
    assert integrity(target) == "ok"
    assert count(target) == 1


def test_a_read_only_folder_with_changes_waiting_in_the_log_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "registry.db"
    shutil.copy(SHIPPED, path)
    left_in_log(path, "DELETE FROM agreements WHERE id = 1")
    Path(str(path) + "-shm").unlink(missing_ok=True)
    os.chmod(tmp_path, 0o555)
    try:
        result = subprocess.run(
            [*_without_root_powers(), RELINT, "list"], capture_output=True, text=True,
            env=os.environ | {"RELINT_DB": str(path)}, check=False,
        )  # fmt: skip
    finally:
        os.chmod(tmp_path, 0o755)
    one_line_error(result)
    assert "registry.db-wal" in result.stderr


def test_two_restores_at_once_restore_once(db: Path) -> None:
    run("add", "--counterpart", "Back", "--kind", "pact", db=db)
    run("remove", "1", "--yes", db=db)
    processes = [spawn([RELINT, "restore", "1"], db) for _ in range(2)]
    results = [process.communicate(timeout=60) for process in processes]
    codes = sorted(process.returncode for process in processes)
    assert codes == [0, 1], results
    assert any("nothing to restore" in err for _, err in results)
    assert count(db) == 1


@pytest.mark.parametrize("value", ["-1", "inf", "nan", "1e309", "soon"])
def test_a_bad_busy_timeout_is_refused(db: Path, value: str) -> None:
    result = run("list", db=db, env={"RELINT_BUSY_TIMEOUT": value})
    one_line_error(result)
    assert "RELINT_BUSY_TIMEOUT" in result.stderr


def test_text_that_is_not_utf8_in_the_file_is_reported_without_its_content(db: Path) -> None:
    run("add", "--counterpart", "A", "--kind", "pact", db=db)
    conn = sqlite3.connect(db)
    conn.execute("UPDATE agreements SET notes = CAST(x'736567726574ff' AS TEXT)")
    conn.commit()
    conn.close()
    result = run("list", "--format", "json", db=db)
    one_line_error(result)
    assert "segret" not in result.stderr
    doctor = run("doctor", db=db)
    assert doctor.returncode == 1
    assert "segret" not in doctor.stdout + doctor.stderr


def test_doctor_reports_a_stored_impossible_date_and_waits_for_a_writer(db: Path) -> None:
    run("add", "--counterpart", "A", "--kind", "pact", db=db)
    conn = sqlite3.connect(db)
    conn.execute("UPDATE agreements SET start = '2020-02-30'")
    conn.commit()
    conn.close()
    result = run("doctor", db=db)
    assert result.returncode == 1
    assert "agreement 1 is damaged" in result.stdout
    assert "Traceback" not in result.stderr
    with locked(db):
        busy = run("doctor", db=db, env={"RELINT_BUSY_TIMEOUT": "0.3"})
    one_line_error(busy)
    assert "busy" in busy.stderr


def test_doctor_reports_damaged_table_pages(tmp_path: Path) -> None:
    path = tmp_path / "registry.db"
    shutil.copy(SHIPPED, path)
    data = bytearray(path.read_bytes())
    for page in (4, 8):
        data[4096 * (page - 1) : 4096 * page] = bytes([0xFF]) * 4096
    path.write_bytes(bytes(data))
    result = run("doctor", db=path)
    assert result.returncode == 1
    assert "the file:" in result.stdout
    assert "Traceback" not in result.stderr


def test_side_files_left_read_only_are_named(tmp_path: Path) -> None:
    path = tmp_path / "registry.db"
    shutil.copy(SHIPPED, path)
    shm = path.with_name("registry.db-shm")
    shm.write_bytes(b"")
    shm.chmod(0o444)
    result = subprocess.run(
        [*_without_root_powers(), RELINT, "add", "--counterpart", "X", "--kind", "pact"],
        capture_output=True, text=True, env=os.environ | {"RELINT_DB": str(path)}, check=False,
    )  # fmt: skip
    one_line_error(result)
    assert "registry.db-shm is read-only" in result.stderr


# 11. Outputs and copies never harm the registry


@contextmanager
def open_elsewhere(db: Path) -> Iterator[None]:
    """Another process that keeps the registry open, so that the changes relint commits
    meanwhile stay in its write-ahead log: no last close checkpoints them."""
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]);"
         " c.execute('SELECT count(*) FROM agreements').fetchall(); print('open', flush=True);"
         " sys.stdin.read()", str(db)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert holder.stdout is not None
    assert holder.stdout.readline() == "open\n"
    try:
        yield
    finally:
        holder.communicate(timeout=60)


@pytest.mark.parametrize("command", ["export", "report", "backup"])
@pytest.mark.parametrize("reach", ["itself", "relative", "symlink", "hard link", "-wal", "-shm"])
def test_an_output_is_never_written_over_the_registry(
    db: Path, tmp_path: Path, command: str, reach: str
) -> None:
    with open_elsewhere(db):
        for n in range(3):
            assert (
                run("add", "--counterpart", f"Logged {n}", "--kind", "pact", db=db).returncode == 0
            )
        assert Path(f"{db}-wal").stat().st_size > 0
        (tmp_path / "sub").mkdir()
        target = {
            "itself": db,
            "relative": tmp_path / "sub" / ".." / db.name,
            "symlink": tmp_path / "link.db",
            "hard link": tmp_path / "hard.db",
            "-wal": Path(f"{db}-wal"),
            "-shm": Path(f"{db}-shm"),
        }[reach]
        if reach == "symlink":
            target.symlink_to(db)
        elif reach == "hard link":
            os.link(db, target)
        files = {p: p.read_bytes() for p in (db, Path(f"{db}-wal"))}
        args = (
            ["backup", str(target), "--force"]
            if command == "backup"
            else [command, "-o", str(target)]
        )
        result = run(*args, db=db)
        one_line_error(result)
        assert "would destroy it" in result.stderr
        assert {p: p.read_bytes() for p in files} == files
        assert count(db) == 3
        assert integrity(db) == "ok"
    assert count(db) == 3
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")] == []


def test_a_side_file_of_another_name_of_the_registry_is_refused(db: Path, tmp_path: Path) -> None:
    other = tmp_path / "other" / "hard.db"
    other.parent.mkdir()
    os.link(db, other)
    with open_elsewhere(db):
        assert run("add", "--counterpart", "Logged", "--kind", "pact", db=db).returncode == 0
        logged = Path(f"{db}-wal").read_bytes()
        result = run("export", "-o", f"{db}-wal", db=other)
        one_line_error(result)
        assert Path(f"{db}-wal").read_bytes() == logged
    assert count(db) == 1


def test_a_backup_never_removes_the_registry_as_a_side_file_of_its_copy(tmp_path: Path) -> None:
    registry = tmp_path / "data-wal"  # a registry whose name is the copy's log's
    store.create(registry)
    assert run("add", "--counterpart", "Kept", "--kind", "pact", db=registry).returncode == 0
    for args in (["backup", str(tmp_path / "data")], ["backup", str(tmp_path / "data"), "--force"]):
        one_line_error(run(*args, db=registry))
    assert count(registry) == 1
    assert not (tmp_path / "data").exists()


def test_a_backup_writes_through_a_link_and_never_over_a_device(db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copies" / "copy.db"
    copy.parent.mkdir()
    link = tmp_path / "latest.db"
    link.symlink_to(copy)
    assert run("add", "--counterpart", "Kept", "--kind", "pact", db=db).returncode == 0
    assert run("backup", str(link), db=db).returncode == 0
    assert link.is_symlink()
    assert count(copy) == 1
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    result = run("backup", str(fifo), "--force", db=db)
    one_line_error(result)
    assert "is not a file" in result.stderr
    assert fifo.is_fifo()


def test_two_backups_at_once_without_force_never_replace_each_other(
    large: Path, tmp_path: Path
) -> None:
    target = tmp_path / "out" / "copy.db"
    target.parent.mkdir()
    first = spawn([RELINT, "backup", str(target)], large)
    # Certain overlap: the first is stopped while it writes its copy; the second makes
    # the copy meanwhile; the first, going on, must not replace it.
    assert stop_once(first, target.parent, ".copy.db.*.partial"), "the backup ended too soon"
    made, err = meanwhile(first, ["backup", str(target)], large, target)
    assert first.returncode == 1
    assert "exists: give --force" in err
    assert target.read_bytes() == made
    assert [p.name for p in target.parent.iterdir()] == ["copy.db"]


def meanwhile(
    stopped: subprocess.Popen[str], command: list[str], db: Path, made: Path
) -> tuple[bytes, str]:
    """Run ``command`` to its end while ``stopped`` waits, then let ``stopped`` go on to
    its end: the bytes ``command`` left at ``made``, and what ``stopped`` said."""
    try:
        result = run(*command, db=db)
        assert result.returncode == 0, result.stderr
        left = made.read_bytes()
    finally:
        stopped.send_signal(signal.SIGCONT)
    _, err = stopped.communicate(timeout=120)
    return left, err


def stop_once(process: subprocess.Popen[str], folder: Path, pattern: str) -> bool:
    """Stop ``process`` as soon as a file matching ``pattern`` shows in ``folder``;
    False if it ended first."""
    while process.poll() is None:
        if list(folder.glob(pattern)):
            process.send_signal(signal.SIGSTOP)
            return True
        time.sleep(0.001)
    return False


@pytest.fixture
def large(tmp_path: Path) -> Path:
    """A registry of 20,000 agreements: its export takes a second or so."""
    path = tmp_path / "large.db"
    store.create(path)
    registry = store.open_registry(path)
    with registry.transaction():
        for n in range(20_000):
            registry.insert(new_agreement(Kind.PACT, f"City {n}", notes="x" * 100))
    registry.close()
    return path


def test_two_exports_to_one_file_at_once_each_write_whole(large: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "agreements.txt"
    out.parent.mkdir()
    first = spawn([RELINT, "export", "--format", "csv", "-o", str(out)], large)
    # Certain overlap: the first is stopped while it writes its file, the second runs
    # whole meanwhile, then the first goes on and finishes.
    assert stop_once(first, out.parent, ".agreements.txt.*.partial"), "the export ended too soon"
    try:
        second = run("export", "--format", "json", "-o", str(out), db=large)
        assert second.returncode == 0, second.stderr
        assert len(json.loads(out.read_text())) == 20_000
    finally:
        first.send_signal(signal.SIGCONT)
    _, err = first.communicate(timeout=120)
    assert first.returncode == 0, err
    lines = out.read_text().splitlines()
    assert lines[0].startswith("id,kind,")  # the last to finish, whole
    assert len(lines) == 20_001
    assert [p.name for p in out.parent.iterdir()] == ["agreements.txt"]


def test_an_export_stopped_with_sigterm_leaves_no_partial_file(large: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "agreements.csv"
    out.parent.mkdir()
    out.write_text("the last export\n")
    exporter = spawn([RELINT, "export", "-o", str(out)], large)
    assert stop_once(exporter, out.parent, ".agreements.csv.*.partial"), "it ended too soon"
    exporter.send_signal(signal.SIGTERM)
    exporter.send_signal(signal.SIGCONT)
    _, err = exporter.communicate(timeout=120)
    assert exporter.returncode == 143, err
    assert [p.name for p in out.parent.iterdir()] == ["agreements.csv"]
    assert out.read_text() == "the last export\n"


@pytest.mark.parametrize("command", [["export", "-o"], ["backup", "--force"]])
def test_a_signal_as_the_temporary_file_is_made_leaves_none(
    shipped: Path, tmp_path: Path, command: list[str]
) -> None:
    # Certain timing: the process signals itself right as it makes its temporary file.
    script = textwrap.dedent("""
        import os, signal, tempfile
        make = tempfile.mkstemp
        def made_then_signalled(*args, **kwargs):
            made = make(*args, **kwargs)
            os.kill(os.getpid(), signal.SIGTERM)
            return made
        tempfile.mkstemp = made_then_signalled
        from relint.entry import main
        main()
    """)
    out = tmp_path / "out" / "copy"
    out.parent.mkdir()
    out.write_text("as it was\n")
    result = subprocess.run(
        [sys.executable, "-c", script, command[0], *command[1:], str(out)],
        capture_output=True, text=True, env=os.environ | {"RELINT_DB": str(shipped)},
        check=False,
    )  # fmt: skip
    assert result.returncode == 143, result.stderr
    assert [p.name for p in out.parent.iterdir()] == ["copy"]
    assert out.read_text() == "as it was\n"


def test_two_inits_at_once_create_one_registry(tmp_path: Path) -> None:
    # Certain overlap: the first init is stopped while it builds its registry beside the
    # name; the second creates the registry meanwhile; the first then goes on.
    path = tmp_path / "registry.db"
    for _ in range(30):  # until the first is caught in the act (it takes ~0.1 s)
        first = spawn([RELINT, "init"], path)
        if stop_once(first, tmp_path, ".registry.db.*.partial"):
            break
        first.communicate(timeout=60)
        path.unlink()
    else:
        pytest.fail("no init was caught building its registry")
    made, err = meanwhile(first, ["init"], path, path)
    assert first.returncode == 1
    assert "already exists" in err
    assert path.read_bytes() == made  # the first removed nothing, replaced nothing
    assert integrity(path) == "ok"
    assert [p.name for p in tmp_path.iterdir()] == ["registry.db"]


def test_an_init_over_a_log_left_by_a_removed_registry_is_refused(db: Path, tmp_path: Path) -> None:
    with open_elsewhere(db):
        assert run("add", "--counterpart", "Old", "--kind", "pact", db=db).returncode == 0
        shutil.copy(f"{db}-wal", tmp_path / "left-wal")
    db.unlink()
    shutil.copy(tmp_path / "left-wal", f"{db}-wal")
    one_line_error(result := run("init", db=db))
    assert "move it aside" in result.stderr
    assert not db.exists()
    assert Path(f"{db}-wal").read_bytes() == (tmp_path / "left-wal").read_bytes()


def test_an_init_never_removes_a_file_it_did_not_create(tmp_path: Path) -> None:
    path = tmp_path / "registry.db"
    path.write_text("somebody's notes")
    one_line_error(run("init", db=path))
    assert path.read_text() == "somebody's notes"


# 12. Exit codes after a commit


def test_a_change_whose_output_fails_exits_3_and_is_kept(db: Path, tmp_path: Path) -> None:
    environment = os.environ | {"RELINT_DB": str(db)}
    add = [RELINT, "add", "--counterpart", "Kept", "--kind", "pact"]
    with open("/dev/full", "w") as full:
        to_full = subprocess.run(add, stdout=full, stderr=subprocess.PIPE, text=True,
                                 env=environment, check=False)  # fmt: skip
    assert to_full.returncode == 3
    assert "the change was made" in to_full.stderr
    assert to_full.stderr.count("Error: ") == 1
    assert count(db) == 1
    # A reader that went away: no death by SIGPIPE, the same exit code.
    closed = subprocess.run(["bash", "-c", f'"{RELINT}" add --counterpart Piped --kind pact'
                             ' | true; exit "${PIPESTATUS[0]}"'], capture_output=True, text=True,
                            env=environment, check=False)  # fmt: skip
    assert closed.returncode == 3, closed.stderr
    assert count(db) == 2
    sheet = tmp_path / "c5k.csv"
    sheet.write_text(SHEET_HEADER + "".join(SHEET_ROWS[:5_000]))
    with open("/dev/full", "w") as full:
        quiet = subprocess.run([RELINT, "import", str(sheet)], stdout=subprocess.PIPE,
                               stderr=full, env=environment, check=False)  # fmt: skip
    assert quiet.returncode == 3
    assert count(db) == 5_002
    made = tmp_path / "made.db"
    with open("/dev/full", "w") as full:
        created = subprocess.run([RELINT, "--db", str(made), "init"], stderr=full, check=False)
    assert created.returncode == 3
    assert integrity(made) == "ok"
    reader_gone = tmp_path / "reader-gone.db"
    closed = subprocess.run(["bash", "-c", f'"{RELINT}" --db "{reader_gone}" init 2>&1 | true;'
                             ' exit "${PIPESTATUS[0]}"'], check=False)  # fmt: skip
    assert closed.returncode == 3
    assert integrity(reader_gone) == "ok"


def test_reminders_that_cannot_be_written_are_not_recorded_as_given(shipped: Path) -> None:
    """Printed before the ledger commits, and flushed: a full disk or a reader gone
    leaves them to be given again, whatever Python's buffering (PYTHONUNBUFFERED off)."""
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"} | {
        "RELINT_DB": str(shipped), "RELINT_TEST_TODAY": "2017-09-01"}  # fmt: skip
    for fmt in ("text", "json"):
        with open("/dev/full", "w") as full:
            given = subprocess.run([RELINT, "remind", "--steps", "400d", "-f", fmt], stdout=full,
                                   stderr=subprocess.PIPE, text=True, env=environment,
                                   check=False)  # fmt: skip
        assert (given.returncode, given.stderr.count("\n")) == (1, 1), given.stderr
        assert given.stderr.startswith("Error: cannot write the output")
        assert count(shipped, "reminders") == 0
    printed = subprocess.run([RELINT, "remind", "--steps", "400d"], capture_output=True,
                             text=True, env=environment, check=False)  # fmt: skip
    assert printed.returncode == 0
    assert count(shipped, "reminders") == len(printed.stdout.splitlines()) > 0


def test_an_ascii_locale_gets_utf_8(shipped: Path) -> None:
    """As Click writes: a locale that says ASCII (often none at all) is taken for UTF-8."""
    environment = os.environ | {"RELINT_DB": str(shipped), "PYTHONIOENCODING": "ascii"}
    for args in (["show", "3", "-f", "json"], ["show", "3", "--explain"], ["list", "-f", "csv"]):
        result = subprocess.run([RELINT, *args], capture_output=True, env=environment,
                                check=False)  # fmt: skip
        assert result.returncode == 0, (args, result.stderr)
        assert "Città".encode() in result.stdout or b"Milano" in result.stdout, args


def test_output_that_fails_before_any_change_exits_1(shipped: Path) -> None:
    with open("/dev/full", "w") as full:
        for args in (["--help"], ["list", "--help"], ["list"], ["show", "1"], ["--version"]):
            result = subprocess.run([RELINT, *args], stdout=full, stderr=subprocess.PIPE,
                                    text=True, env=os.environ | {"RELINT_DB": str(shipped)},
                                    check=False)  # fmt: skip
            assert result.returncode == 1, args
            assert result.stderr.startswith("Error: cannot write the output"), args
            assert result.stderr.count("\n") == 1, (args, result.stderr)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_while_a_change_commits_exits_3(db: Path, sig: int) -> None:
    # Certain timing: the connection signals its own process as COMMIT returns, as a
    # signal that arrives while SQLite commits would land.
    script = textwrap.dedent(f"""
        import os, sqlite3
        class SignalledAtCommit(sqlite3.Connection):
            def execute(self, sql, *args):
                cursor = super().execute(sql, *args)
                if sql == "COMMIT":
                    os.kill(os.getpid(), {int(sig)})
                return cursor
        connect = sqlite3.connect
        sqlite3.connect = lambda *a, **k: connect(*a, factory=SignalledAtCommit, **k)
        from relint.entry import main
        main()
    """)
    result = subprocess.run(
        [sys.executable, "-c", script, "add", "--counterpart", "Kept", "--kind", "pact"],
        capture_output=True, text=True, env=os.environ | {"RELINT_DB": str(db)}, check=False,
        preexec_fn=_ctrl_c_stops,
    )  # fmt: skip
    assert result.returncode == 3, result.stderr
    assert result.stderr == "Error: interrupted; but the change was made, and is in the registry\n"
    assert count(db) == 1


# 13. Copies are no more readable than the registry


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def test_copies_of_a_private_registry_are_private(db: Path, tmp_path: Path) -> None:
    os.chmod(db, 0o600)
    environment = {"RELINT_DB": str(db)}
    copy = tmp_path / "copy.db"

    def backup(*args: str) -> int:
        return subprocess.run(
            ["bash", "-c", f'umask 022; "{RELINT}" backup "$@"', "backup", *args],
            env=os.environ | environment, capture_output=True, check=False,
        ).returncode  # fmt: skip

    assert backup(str(copy)) == 0
    assert mode(copy) == 0o600
    os.chmod(copy, 0o640)
    assert backup(str(copy), "--force") == 0
    assert mode(copy) == 0o600
    os.chmod(db, 0o644)
    os.chmod(copy, 0o600)
    assert run("backup", str(copy), "--force", db=db).returncode == 0
    assert mode(copy) == 0o600  # nor more readable than the file it replaces


def test_the_copy_before_an_upgrade_is_as_private_as_the_registry(tmp_path: Path) -> None:
    path = tmp_path / "registry.db"
    shutil.copy(FIXTURES / "schema-1.db", path)
    os.chmod(path, 0o600)
    result = subprocess.run(["bash", "-c", f'umask 022; "{RELINT}" list'],
                            env=os.environ | {"RELINT_DB": str(path)}, capture_output=True,
                            check=False)  # fmt: skip
    assert result.returncode == 0
    assert mode(tmp_path / "registry.db.schema-1.bak") == 0o600


# 14. Hostile files


def import_is_refused(db: Path, path: Path, *words: str, fmt: str | None = None) -> str:
    before = count(db)
    result = run("import", str(path), *(["--format", fmt] if fmt else []), db=db)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in result.stderr, result.stderr
    assert count(db) == before
    return result.stderr


@pytest.mark.parametrize("field", ["id", "notice_days"])
def test_numbers_of_thousands_of_digits_are_wrong_rows(
    db: Path, tmp_path: Path, field: str
) -> None:
    digits = "9" * 5_000
    sheet = tmp_path / "long.csv"
    sheet.write_text(f"counterpart,kind,{field}\nA,pact,1\nB,pact,{digits}\n")
    assert "row 3:" in import_is_refused(db, sheet, "5,000 digits")
    document = tmp_path / "long.json"
    document.write_text(f'[{{"counterpart": "A", "kind": "pact", "{field}": {digits}}}]')
    assert "row 1:" in import_is_refused(db, document, "5,000 digits")
    lines = tmp_path / "long.jsonl"
    lines.write_text(f'{{"counterpart": "A", "kind": "pact", "{field}": "{digits}"}}\n')
    assert "row 1:" in import_is_refused(db, lines, "5,000 digits")


def test_a_line_with_no_end_is_refused_without_filling_the_memory(db: Path) -> None:
    result = subprocess.run(
        ["bash", "-c", f'ulimit -v 1000000; "{RELINT}" import /dev/zero --format csv'],
        env=os.environ | {"RELINT_DB": str(db)}, capture_output=True, text=True, check=False,
        timeout=120,
    )  # fmt: skip
    one_line_error(result)
    assert "line 1: longer than 8 MiB" in result.stderr
    assert count(db) == 0


def test_a_cell_over_the_limit_is_refused_naming_its_row(db: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "notes.csv"
    sheet.write_text('counterpart,kind,notes\nA,pact,short\nB,pact,"' + "n" * 1_100_000 + '"\n')
    import_is_refused(db, sheet, "row 3: a cell longer than 1,048,576 characters")
    document = tmp_path / "notes.jsonl"
    document.write_text(
        '{"counterpart": "A", "kind": "pact", "notes": "' + "n" * 1_100_000 + '"}\n'
    )
    import_is_refused(db, document, "row 1: notes: longer than 1,048,576 characters")
    fine = tmp_path / "fine.csv"
    fine.write_text('counterpart,kind,notes\nA,pact,"' + "n" * 1_000_000 + '"\n')
    assert run("import", str(fine), db=db).returncode == 0  # a long note is a note


def test_a_field_given_twice_in_json_is_refused(db: Path, tmp_path: Path) -> None:
    document = tmp_path / "twice.json"
    document.write_text(
        '[{"counterpart": "A", "kind": "pact", "controparte": "B"},'
        ' {"counterpart": "C", "kind": "pact", "kind": "twinning"},'
        ' {"counterpart": "D", "kind": "pact"}]'
    )
    import_is_refused(db, document, "2 of 3 rows are wrong", "row 1: counterpart is given twice",
                      "row 2: kind is given twice")  # fmt: skip


@pytest.mark.parametrize(("codec", "named"), [("utf-16", "utf-16"), ("utf-32", "utf-32")])
def test_a_file_with_a_byte_order_mark_is_told_its_encoding(
    db: Path, tmp_path: Path, codec: str, named: str
) -> None:
    sheet = tmp_path / "wide.csv"
    sheet.write_bytes("counterpart,kind\nCittà,pact\n".encode(codec))
    stderr = import_is_refused(db, sheet, f"--encoding {named}")
    assert "cp1252" not in stderr
    assert run("import", str(sheet), "--encoding", named, db=db).returncode == 0
    assert count(db) == 1


@pytest.mark.parametrize(
    ("made", "args", "said"),
    [
        ("utf-16-le", [], "NUL bytes in its first line"),
        ("utf-16-le", ["--encoding", "utf-16"], "give --encoding utf-16-le or utf-16-be"),
        ("utf-8", ["--encoding", "utf-32"], "is not utf-32 text (line 1)"),
        ("utf-8", ["--encoding", "rot13"], "unknown text encoding 'rot13'"),
        ("utf-8", ["--encoding", "hex"], "unknown text encoding 'hex'"),
        ("cp1252", ["--encoding", "punycode"], "is not punycode text"),
    ],
)
def test_a_wrong_encoding_is_bad_input(
    db: Path, tmp_path: Path, made: str, args: list[str], said: str
) -> None:
    sheet = tmp_path / "sheet.csv"
    sheet.write_bytes("counterpart,kind\nCittà,pact\n".encode(made))
    result = run("import", str(sheet), *args, db=db)
    one_line_error(result)
    assert said in result.stderr
    assert count(db) == 0


def test_a_byte_order_mark_read_in_its_own_byte_order_is_not_text(db: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "sheet.csv"
    sheet.write_bytes("\ufeffcounterpart,kind\nCittà,pact\n".encode("utf-16-le"))
    assert run("import", str(sheet), "--encoding", "utf-16-le", db=db).returncode == 0
    assert count(db) == 1


def test_a_registry_path_with_a_line_break_is_one_line(tmp_path: Path) -> None:
    result = run("list", db=tmp_path / "two\nlines.db")
    one_line_error(result)
    assert "two\\nlines.db" in result.stderr
    assert one_line_error(run("show", "1", db=tmp_path / "two\nlines.db")) is None


def test_an_exclusive_lock_at_opening_is_busy_not_a_stranger(db: Path) -> None:
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("PRAGMA locking_mode=EXCLUSIVE")
    other.execute("BEGIN EXCLUSIVE")
    try:
        result = run("list", db=db, env={"RELINT_BUSY_TIMEOUT": "0.2"})
        one_line_error(result)
        assert "busy" in result.stderr
        assert "not a relint registry" not in result.stderr
    finally:
        other.execute("ROLLBACK")
        other.close()


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A folder on a disk of 600 KiB of its own (a tmpfs mounted for the test)."""
    folder = tmp_path / "disk"
    folder.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small disk needs root")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=600k", "tmpfs", str(folder)],
                             capture_output=True, text=True, check=False)  # fmt: skip
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small disk here: {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=True)


def fill(folder: Path) -> None:
    """Fill the disk that holds ``folder``."""
    with open(folder / "filler", "wb", buffering=0) as filler:
        written = 1
        while written:
            try:
                written = filler.write(bytes(512))
            except OSError as error:
                if error.errno != errno.ENOSPC:
                    raise
                written = 0


def test_a_disk_that_fills_during_an_import_is_named(small_disk: Path, tmp_path: Path) -> None:
    db = small_disk / "registry.db"
    store.create(db)
    sheet = tmp_path / "c5k.csv"
    sheet.write_text(SHEET_HEADER + "".join(SHEET_ROWS[:5_000]))
    result = run("import", str(sheet), db=db)
    one_line_error(result)
    assert "disk that holds the registry is full" in result.stderr
    assert integrity(db) == "ok"
    assert count(db) == 0


def test_a_full_disk_at_opening_is_named(small_disk: Path) -> None:
    db = small_disk / "registry.db"
    store.create(db)
    fill(small_disk)
    before = db.read_bytes()
    for command in (["list"], ["add", "--counterpart", "X", "--kind", "pact"]):
        result = run(*command, db=db)
        one_line_error(result)
        assert "is full" in result.stderr
        assert "not a relint registry" not in result.stderr
    assert db.read_bytes() == before


def test_a_backup_to_a_full_disk_blames_the_disk(shipped: Path, small_disk: Path) -> None:
    fill(small_disk)
    result = run("backup", str(small_disk / "copy.db"), db=shipped)
    one_line_error(result)
    assert "cannot write the copy" in result.stderr
    assert "the disk is full" in result.stderr
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler"]
    assert integrity(shipped) == "ok"


def test_a_markdown_report_shows_html_in_records_as_text(db: Path) -> None:
    hostile = (
        "<img src=x onerror=alert(1)> </style><script>alert(2)</script> [x](javascript:y) ~~s~~ |"
    )
    added = run("add", "--counterpart", hostile, "--party", "<b>Comune</b>", "--kind", "pact",
                "--start", "2026-01-10", "--duration", "1y", db=db)  # fmt: skip
    assert added.returncode == 0, added.stderr
    report = run("report", "--format", "md", "--month", "2026-12", db=db)
    assert report.returncode == 0, report.stderr
    assert "| &lt;img src=x onerror=alert(1)&gt; &lt;/style&gt;" in report.stdout
    for raw in ("<img", "<script", "</style", "<b>", "[x](javascript"):
        assert raw not in report.stdout
    assert "\\[x\\](javascript:y) \\~\\~s\\~\\~ \\|" in report.stdout


def test_the_clock_moves_only_for_tests(db: Path) -> None:
    added = run("add", "--counterpart", "A", "--kind", "pact", "--start", "2026-01-10",
                "--duration", "1y", db=db)  # fmt: skip
    assert added.returncode == 0
    for today, status in (("2026-11-22", "expiring"), ("2027-01-11", "expired")):
        listed = run("list", "--format", "json", db=db, env={"RELINT_TEST_TODAY": today})
        assert json.loads(listed.stdout)[0]["status"] == status
        typer_path = run("show", "1", "--format", "json", db=db, env={"RELINT_TEST_TODAY": today})
        assert json.loads(typer_path.stdout)["status"] == status
    one_line_error(run("list", db=db, env={"RELINT_TEST_TODAY": "soon"}))


def peak_memory_mib(command: list[str], db: Path) -> float:
    """Run ``command`` on ``db``; its peak resident memory, in MiB. It is started by a
    small process of its own: a child counts the memory of the process it was forked
    from, and pytest's is large."""
    measure = (
        "import os, subprocess, sys;"
        " child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL);"
        " _, status, usage = os.wait4(child.pid, 0);"
        " print(os.waitstatus_to_exitcode(status), usage.ru_maxrss)"
    )
    result = subprocess.run(
        [sys.executable, "-c", measure, *command], capture_output=True, text=True,
        env=os.environ | {"RELINT_DB": str(db)}, check=True,
    )  # fmt: skip
    code, peak = map(int, result.stdout.split())
    assert code == 0, result.stderr
    return peak / 1024


def test_a_large_json_array_is_read_an_item_at_a_time(db: Path, tmp_path: Path) -> None:
    item = '{"counterpart": "C", "kind": "pact", "notes": "' + "n" * 2000 + '"}'
    document = tmp_path / "large.json"
    document.write_text("[\n" + ",\n".join([item] * 20_000) + "\n]\n")  # 40 MiB
    # Read whole, the array alone would take more than this.
    assert peak_memory_mib([RELINT, "import", str(document), "--dry-run"], db) < 60
    rows = tmp_path / "rows.csv"
    rows.write_text("counterpart,kind,notes\n" + "".join(f"C,pact,{'n' * 900_000}\n" * 120))
    # Rows of long notes are written in smaller batches: not 100 MiB of them at once.
    assert peak_memory_mib([RELINT, "import", str(rows)], db) < 120
    assert count(db) == 120


def test_quiet_expiring_in_a_process_says_nothing(db: Path) -> None:
    """As cron runs it: the quick path, without Typer, is as quiet."""
    result = run("expiring", "-q", "--as-of", "2030-01-01", db=db)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_doctor_file_watches_only_the_file(tmp_path: Path) -> None:
    """The shipped registry's unknown ends are findings about its data, not faults of
    the file: `doctor --file` passes it, quietly with -q, and fails a damaged one."""
    path = tmp_path / "registry.db"
    shutil.copy(SHIPPED, path)
    healthy = run("doctor", "--file", "-q", db=path)
    assert (healthy.returncode, healthy.stdout, healthy.stderr) == (0, "", "")
    assert run("doctor", db=path).returncode == 1  # the data's findings, as before
    data = bytearray(path.read_bytes())
    for page in (4, 8):
        data[4096 * (page - 1) : 4096 * page] = bytes([0xFF]) * 4096
    path.write_bytes(bytes(data))
    damaged = run("doctor", "--file", "-q", db=path)
    assert damaged.returncode == 1
    assert damaged.stdout.startswith("the file:")
    assert "Traceback" not in damaged.stderr


@pytest.mark.parametrize(
    "command", [["expiring", "-q"], ["remind", "-q", "--dry-run"], ["doctor", "--file", "-q"],
                ["report", "-q"]],
)  # fmt: skip
def test_quiet_is_quiet_when_it_upgrades_a_registry(tmp_path: Path, command: list[str]) -> None:
    path = tmp_path / "registry.db"
    shutil.copy(FIXTURES / "schema-3.db", path)
    result = run(*command, db=path)
    assert (result.returncode, result.stderr) == (0, "")
    assert (tmp_path / "registry.db.schema-3.bak").exists()  # upgraded all the same
