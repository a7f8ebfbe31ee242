"""relint's spreadsheets opened by a real LibreOffice (headless): its workbooks converted
to .ods, .csv and back, and its --excel CSV read with the Italian locale's filter, as
staff open them; then read back cell by cell. .ci/run installs LibreOffice when it is
missing, so that these run in CI."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import zipfile
from datetime import date
from pathlib import Path

import pytest

from relint.agreement import EXPORT_FIELDS

from ..cli.helpers import expected_cell, sheet
from ..conftest import Relint

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice is not installed (.ci/run installs it)"
)
AS_OF = "2026-11-22"
# LibreOffice's CSV filter: ";" separated, '"' quoted, UTF-8 (76), from line 1, the
# Italian locale (1040) for numbers and dates, as Excel and Calc read a CSV in Italy.
ITALIAN_CSV = "CSV:59,34,76,1,,1040"


@pytest.fixture(scope="module")
def profile(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A LibreOffice user profile of the tests' own, made once."""
    return (tmp_path_factory.mktemp("libreoffice") / "profile").as_uri()


def converted(source: Path, to: str, profile: str, infilter: str | None = None) -> Path:
    """``source`` converted by LibreOffice to the format ``to``, beside it, in a folder of
    its own."""
    out = source.parent / f"{source.stem}-{to.split(':')[0]}"
    out.mkdir()
    args = [SOFFICE or "soffice", f"-env:UserInstallation={profile}", "--headless",
            "--norestore", "--convert-to", to, "--outdir", str(out)]  # fmt: skip
    if infilter:
        args.append(f"--infilter={infilter}")
    done = subprocess.run(
        [*args, str(source)], capture_output=True, text=True, timeout=180, check=False
    )
    made = list(out.iterdir())
    assert len(made) == 1, (done.stdout, done.stderr)
    return made[0]


def formulas(path: Path) -> int:
    """How many cells of an .xlsx or .ods are formulas."""
    with zipfile.ZipFile(path) as book:
        names = [n for n in book.namelist() if n.startswith("xl/worksheets/")] or ["content.xml"]
        return sum(
            book.read(n).decode().count(f) for n in names for f in ("<f>", "<f ", "formula=")
        )


@pytest.fixture
def registry(relint: Relint, shipped: Path) -> Path:
    """The shipped agreements, and what a CSV loses: leading zeros, partial dates,
    formulas, a name after a dash, a note on lines of its own."""
    adds = [
        ["--counterpart", "Lione", "--kind", "collaboration", "--title", "007", "--source",
         "0045678", "--signed", "2020-01-15", "--duration", "2y", "--renewable", "--notice", "60",
         "--signatory", "-Assessore alla cultura", "--signatory", "Sindaco"],
        ["--counterpart", "Cracovia", "--kind", "twinning", "--signed", "1961"],
        ["--counterpart", '=HYPERLINK("http://x")', "--kind", "memorandum", "--signed",
         "2016-02", "--notes", "@SUM(1)\nsu due righe", "--party", "-Assessore"],
    ]  # fmt: skip
    for args in adds:
        assert relint("add", *args).code == 0
    return shipped


def test_libreoffice_reads_the_workbook_cell_for_cell_and_it_imports_back(
    relint: Relint, registry: Path, tmp_path: Path, profile: str
) -> None:
    exported = tmp_path / "registro.xlsx"
    args = ("--as-of", AS_OF)
    assert relint("--lang", "it", "export", "-f", "xlsx", "-o", str(exported), *args).code == 0
    records = json.loads(relint("export", "-f", "json", *args).stdout)
    assert len(records) == 38
    ods = converted(exported, "ods", profile)
    rows = sheet(ods)[1:]
    assert len(rows) == len(records)
    for record, row in zip(records, rows, strict=True):
        for field, cell in zip(EXPORT_FIELDS, row, strict=True):
            assert cell == expected_cell(field, record[field], "Sì"), (record["id"], field)
    assert formulas(ods) == 0
    # And back, through LibreOffice's own .xlsx, into a new registry: every field.
    again = converted(ods, "xlsx", profile)
    fresh = tmp_path / "fresh.db"
    assert relint("--db", str(fresh), "init").code == 0
    imported = relint("--db", str(fresh), "import", str(again))
    assert imported.code == 0, imported
    back = json.loads(relint("--db", str(fresh), "export", "-f", "json", *args).stdout)
    assert back == records


def test_libreoffice_shows_the_cells_as_relint_wrote_them(
    relint: Relint, registry: Path, tmp_path: Path, profile: str
) -> None:
    exported = tmp_path / "registro.xlsx"
    assert relint("export", "-f", "xlsx", "-o", str(exported), "--as-of", AS_OF).code == 0
    shown = converted(
        exported, "csv:Text - txt - csv (StarCalc):44,34,76,1", profile
    )  # the cells as LibreOffice displays them
    rows = list(csv.DictReader(io.StringIO(shown.read_text(encoding="utf-8"))))
    lione, cracovia, formula = rows[-3:]
    assert (lione["title"], lione["source"]) == ("007", "0045678")
    assert (lione["signed"], lione["end"], lione["notice_days"]) == (
        "2020-01-15",
        "2022-01-15",
        "60",
    )
    assert lione["signatories"] == "-Assessore alla cultura; Sindaco"
    assert (lione["renewable"], lione["auto_renew"]) == ("Yes", "No")
    assert cracovia["signed"] == "1961"
    assert (formula["counterpart"], formula["party"]) == ('=HYPERLINK("http://x")', "-Assessore")
    assert formula["notes"] == "@SUM(1)\nsu due righe"
    assert formula["signed"] == "2016-02"


def test_the_excel_csv_in_libreoffice_with_the_italian_filter(
    relint: Relint, registry: Path, tmp_path: Path, profile: str
) -> None:
    exported = tmp_path / "registro.csv"
    args = ("--as-of", AS_OF, "-o", str(exported))
    assert relint("--lang", "it", "export", "--excel", *args).code == 0
    opened = sheet(converted(exported, "xlsx", profile, ITALIAN_CSV))
    header, rows = opened[0], opened[1:]
    lione, _, formula = (dict(zip(header, row, strict=True)) for row in rows[-3:])
    assert (lione["rinnovabile"], lione["rinnovo tacito"]) == ("Sì", "No")
    assert lione["firmatari"] == "-Assessore alla cultura; Sindaco"  # no apostrophe shows
    assert formula["ente"] == "-Assessore"
    assert formula["controparte"] == '\'=HYPERLINK("http://x")'  # guarded: text, not run
    assert lione["firma"] == date(2020, 1, 15)  # LibreOffice reads an ISO date as a date
