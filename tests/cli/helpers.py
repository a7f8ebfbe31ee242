"""What the command-line tests share: a fixed day, adding through the runner, the
registry's rows as SQLite holds them, listings as JSON, and the sample registry's lines."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from ..conftest import Relint

AS_OF = "--as-of=2026-11-22"


def add(relint: Relint, *args: str) -> int:
    result = relint("add", *args)
    assert result.code == 0, result
    return int(result.stdout.splitlines()[-1])


def rows(db: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return (
            conn.execute("SELECT * FROM agreements ORDER BY id").fetchall()
            + conn.execute("SELECT * FROM terms ORDER BY agreement_id, seq").fetchall()
        )
    finally:
        conn.close()


SAMPLE = (
    "--counterpart 'Città Vecchia' --kind collaboration --signed 2015-11-09"
    " --party 'Comune di Milano' --country 'Stati Uniti' --sector turismo",
    "--counterpart Soon --kind protocol --signed 2025-01-01 --end 2026-12-31"
    " --party 'Regione Lombardia' --country Italia --sector economia",
    "--counterpart Far --kind pact --signed 2026-01-01 --end 2028-06-30 --notice 600"
    " --country Francia",
    "--counterpart 'San Paolo' --kind gemellaggio --signed 1961",
    "--counterpart Dubai --kind pact --signed 2015-10-15",
)


def listed(relint: Relint, *args: str) -> list[dict[str, object]]:
    result = relint(*args, "--format", "json", AS_OF)
    assert result.code == 0, result
    parsed: list[dict[str, object]] = json.loads(result.stdout)
    return parsed
