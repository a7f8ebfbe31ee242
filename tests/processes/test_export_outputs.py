"""Exports written through links and into a named pipe that another process reads."""

from __future__ import annotations

import os
import subprocess
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
