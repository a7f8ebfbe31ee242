"""Exports written through links and into a named pipe that another process reads."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

from ..conftest import Relint


def test_output_writes_through_links_and_pipes_and_keeps_permissions(
    relint: Relint, source: Path, tmp_path: Path
) -> None:
    real = tmp_path / "real.csv"
    real.write_text("old")
    real.chmod(0o600)
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    assert relint("export", "-o", str(link)).code == 0
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8").startswith("id,kind")
    assert real.stat().st_mode & 0o777 == 0o600
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    reader = subprocess.Popen(["cat", str(pipe)], stdout=subprocess.PIPE)
    assert relint("export", "-f", "jsonl", "-o", str(pipe)).code == 0
    assert len(reader.communicate(timeout=30)[0].splitlines()) == 35
    assert pipe.exists()
    missing = relint("export", "-o", str(tmp_path / "nowhere" / "x.csv"))
    assert missing.code == 1
    assert "partial" not in missing.stderr
    assert "does not exist" in missing.stderr


RELINT = str(Path(sys.executable).with_name("relint"))
WORKBOOK = Path(__file__).parent.parent / "fixtures" / "workbooks" / "accordi.xlsx"


def waiting_on_stdin(pid: int) -> None:
    """Return once process ``pid`` is blocked reading its stdin (Linux's /proc says
    which system call a process waits in: 0, read, of file descriptor 0)."""
    deadline = time.monotonic() + 60
    while not Path(f"/proc/{pid}/syscall").read_text().startswith("0 0x0 "):
        assert time.monotonic() < deadline, "relint never read its stdin"
        time.sleep(0.01)


def test_a_workbook_that_comes_down_a_pipe_a_few_bytes_at_a_time(db: Path) -> None:
    # Its first two bytes come alone: relint waits for enough to know it for a workbook.
    env = {**os.environ, "RELINT_DB": str(db)}
    importer = subprocess.Popen(
        [RELINT, "import", "-", "--dry-run"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, env=env,
    )  # fmt: skip
    assert importer.stdin is not None
    data = WORKBOOK.read_bytes()
    importer.stdin.write(data[:2])
    importer.stdin.flush()
    waiting_on_stdin(importer.pid)  # it has read the two bytes, and waits for more
    importer.stdin.write(data[2:])
    out, err = importer.communicate(timeout=60)
    assert out.endswith(b"(ends 2020-03-15, expired)\n")
    assert importer.returncode == 0, err
    assert b"Would add 4 and update 0 agreements" in err


def test_stdin_is_read_from_where_it_stands(db: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("a line read before\ncounterpart,kind\nLione,pact\n", encoding="utf-8")
    script = f'read -r line; "{RELINT}" import - --dry-run'
    done = subprocess.run(
        ["bash", "-c", script], stdin=sheet.open("rb"), capture_output=True, text=True,
        env={**os.environ, "RELINT_DB": str(db)}, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout == "row 2: add: pact with Lione (no end date, unknown)\n"


def _import_workbook(db: Path, **options: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [RELINT, "import", str(WORKBOOK), "--dry-run"], capture_output=True, text=True,
        env={**os.environ, "RELINT_DB": str(db)}, timeout=60, check=False, **options,  # type: ignore[call-overload]
    )  # fmt: skip


def test_a_workbook_is_read_under_a_parent_that_ignores_its_children(db: Path) -> None:
    # An ignored SIGCHLD is inherited: the reader's process is reaped before relint waits.
    done = _import_workbook(db, preexec_fn=lambda: signal.signal(signal.SIGCHLD, signal.SIG_IGN))
    assert done.returncode == 0, done.stderr
    assert "Would add 4" in done.stderr


def test_a_workbook_is_read_under_a_memory_limit_set_already(db: Path) -> None:
    limit = 3 * 2**30  # below half this machine's memory, above what relint needs

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    done = _import_workbook(db, preexec_fn=limited)
    assert done.returncode == 0, done.stderr
    assert "Would add 4" in done.stderr
