"""The registry's promises, proven with real processes against real files."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
import types
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from relint import store
from relint.agreement import new_agreement
from relint.kinds import Kind
from relint.migrations import NAMES

from .conftest import SHIPPED

RELINT = str(Path(sys.executable).with_name("relint"))
FIXTURES = Path(__file__).parent / "fixtures"


def run(
    *args: str, db: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    environment = os.environ | {"RELINT_DB": str(db)} | (env or {})
    return subprocess.run(
        [RELINT, *args], capture_output=True, text=True, env=environment, timeout=120,
        check=False,
    )  # fmt: skip


def spawn(command: list[str], db: Path, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    """A command started in the background on ``db``, its output captured."""
    return subprocess.Popen(
        command, env=os.environ | {"RELINT_DB": str(db)} | (env or {}),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def count(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute("SELECT count(*) FROM agreements").fetchone()[0])
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


@contextmanager
def locked(db: Path) -> Iterator[sqlite3.Connection]:
    """Another writer holding the registry's write lock."""
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    finally:
        conn.execute("ROLLBACK")
        conn.close()


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


def test_writes_take_the_write_lock_when_they_begin(db: Path) -> None:
    # A deferred BEGIN would start as a read and could fail at once under WAL when
    # another process commits first; BEGIN IMMEDIATE takes the write lock up front.
    os.environ["RELINT_BUSY_TIMEOUT"] = "0.2"
    try:
        registry = store.open_registry(db)
    finally:
        del os.environ["RELINT_BUSY_TIMEOUT"]
    with (
        locked(db),
        pytest.raises(sqlite3.OperationalError, match="locked"),
        registry.transaction(),
    ):
        pass  # entering must already wait for the lock
    registry.close()


# 3. Killed midway


@pytest.fixture
def big_sheet(tmp_path: Path) -> Path:
    sheet = tmp_path / "big.csv"
    sheet.write_text(
        "counterpart,kind,signed,notes\n"
        + "".join(f"City {n},pact,2020-01-01,{'x' * 200}\n" for n in range(20_000))
    )
    return sheet


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
def test_a_killed_import_leaves_all_or_nothing(db: Path, big_sheet: Path, sig: int) -> None:
    outcomes = set()
    for delay in (0.4, 0.8, 1.2, 1.6, 2.4):
        importer = spawn([RELINT, "import", str(big_sheet)], db)
        time.sleep(delay)
        importer.send_signal(sig)
        _, err = importer.communicate(timeout=120)
        assert "Traceback" not in err
        assert integrity(db) == "ok"
        rows = count(db)
        assert rows in (0, 20_000) or rows % 20_000 == 0
        outcomes.add(rows)
        if rows:
            db.unlink()
            for side in ("-wal", "-shm"):
                Path(str(db) + side).unlink(missing_ok=True)
            store.create(db)
    assert 0 in outcomes  # at least one kill landed before the commit


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
        def broken(rows, fmt, out, columns=None):
            secret = "Sindaco di Tehran, riservato"
            raise RuntimeError(secret)
        relint.render.write_rows = broken
        import relint.cli.plain
        relint.cli.plain.write_rows = broken
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


@pytest.mark.parametrize("version", [1, 2])
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
    assert conn.execute("SELECT * FROM agreements ORDER BY id").fetchall() == rows
    assert conn.execute("SELECT * FROM terms ORDER BY agreement_id, seq").fetchall() == terms
    assert [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY id")] == [
        "m001_initial",
        "m002_audit",
        "m003_read_indexes",
    ]
    assert conn.execute("PRAGMA index_info(agreements_alerts)").fetchall()
    conn.close()
    assert integrity(path) == "ok"
    assert original != path.read_bytes()
    assert run("add", "--counterpart", "After", "--kind", "pact", db=path).returncode == 0
    assert "After" in run("history", db=path).stdout


def test_a_read_only_registry_of_an_old_schema_is_read_without_upgrading(tmp_path: Path) -> None:
    path = tmp_path / "registry.db"
    shutil.copy(FIXTURES / "schema-1.db", path)
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
    assert len(json.loads(listed.stdout)) == 3
    history = relint("history")  # the trail came with a later schema: there is none yet
    assert history.returncode == 0
    assert "No changes recorded" in history.stderr
    one_line_error(relint("add", "--counterpart", "X", "--kind", "pact"))
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".bak")) == []


def test_each_migration_gives_the_schema_it_promises(tmp_path: Path) -> None:
    from sqlite_utils import Database

    from relint.migrations import MIGRATIONS, migrations

    db = Database(tmp_path / "step.db")
    expected_tables = [
        {"agreements", "terms", "agreements_fts", "_sqlite_migrations"},
        {"agreements", "terms", "agreements_fts", "_sqlite_migrations", "audit"},
        {"agreements", "terms", "agreements_fts", "_sqlite_migrations", "audit"},
    ]
    for index, migration in enumerate(MIGRATIONS):
        later = [m.__name__ for m in MIGRATIONS[index + 1 :]]
        migrations().apply(db, stop_before=later or None)
        tables = {t for t in db.table_names() if not t.startswith(("agreements_fts_", "sqlite_"))}
        assert tables == expected_tables[index], migration.__name__
    assert db["audit"].columns_dict == {
        "id": int, "at": str, "user": str, "command": str, "action": str,
        "agreement_id": int, "before": str, "after": str,
    }  # fmt: skip
    assert {index.name: index.columns[0] for index in db["agreements"].indexes} == {
        "agreements_alerts": "end",
        "agreements_summary": "party",
        "agreements_notice_days": "notice_days",
    }


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


def test_a_backup_over_a_file_with_a_leftover_log_is_whole(db: Path, tmp_path: Path) -> None:
    run("add", "--counterpart", "Kept", "--kind", "pact", db=db)
    target = tmp_path / "copy.db"
    other = sqlite3.connect(target)
    other.execute("PRAGMA journal_mode=WAL")
    other.execute("PRAGMA wal_autocheckpoint=0")
    other.execute("CREATE TABLE stale (x)")
    other.execute("INSERT INTO stale VALUES (1)")
    other.commit()
    shutil.copy(str(target) + "-wal", tmp_path / "leftover-wal")
    other.close()
    shutil.copy(tmp_path / "leftover-wal", str(target) + "-wal")
    assert run("backup", str(target), "--force", db=db).returncode == 0
    assert integrity(target) == "ok"
    assert count(target) == 1


def test_a_read_only_folder_with_changes_waiting_in_the_log_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "registry.db"
    shutil.copy(SHIPPED, path)
    writer = sqlite3.connect(path)
    writer.execute("PRAGMA wal_autocheckpoint=0")
    writer.execute("DELETE FROM agreements WHERE id = 1")
    writer.commit()
    shutil.copy(str(path) + "-wal", tmp_path / "log")
    writer.close()
    shutil.copy(tmp_path / "log", str(path) + "-wal")
    (tmp_path / "log").unlink()
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


def test_ctrl_c_while_starting_prints_no_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Ctrl-C lands while relint imports itself: the console script catches it.
    import relint.entry

    starting = types.ModuleType("relint.cli.base")

    def interrupted() -> None:
        raise KeyboardInterrupt

    starting.run = interrupted  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "relint.cli.base", starting)
    with pytest.raises(SystemExit) as stopped:
        relint.entry.main()
    assert stopped.value.code == 130
    assert capsys.readouterr().err == "Interrupted.\n"


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
