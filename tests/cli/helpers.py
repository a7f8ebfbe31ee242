"""What the command-line tests share: a fixed day, adding through the runner, the
registry's rows as SQLite holds them, listings as JSON, the sample registry's lines, and
workbooks as a reader sees them."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

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


def contents(path: Path) -> list[tuple[object, ...]]:
    """The agreements table of the registry at ``path``, row by row."""
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT * FROM agreements ORDER BY id").fetchall()
    finally:
        conn.close()


def sheet(path: Path, name: str | None = None) -> list[list[Any]]:
    """The cells of a workbook's sheet (the first, unless ``name``), as a reader sees them."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    return book.get_sheet_by_name(name or book.sheet_names[0]).to_python()


def expected_cell(field: str, value: Any, yes: str = "Yes") -> Any:
    """What a workbook's cell holds for a record's value, as relint's JSON gives it."""
    if value is None or value == []:
        return ""
    if isinstance(value, bool):
        return yes if value else "No"
    if isinstance(value, int):
        return float(value)
    if isinstance(value, list):
        return (
            json.dumps(value, ensure_ascii=False)
            if isinstance(value[0], dict)
            else "; ".join(value)
        )
    dated = ("signed", "start", "end", "notice_deadline", "terminated_on", "notice_given")
    if field in dated and len(value) == 10:
        return date.fromisoformat(value)
    return value
