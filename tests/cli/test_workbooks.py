"""Workbooks: export and report as .xlsx, with typed cells; import of .xlsx, .xls and
.ods, known by content; errors that name cells as the spreadsheet shows them."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook

from relint.agreement import EXPORT_FIELDS
from relint.imports import italian_header

from ..conftest import Relint
from .helpers import add, contents, sheet
from .helpers import expected_cell as expected

FIXTURES = Path(__file__).parent.parent / "fixtures" / "workbooks"
TODAY = "2026-11-22"


def member(path: Path, name: str) -> str:
    with zipfile.ZipFile(path) as book:
        return book.read(name).decode()


@pytest.fixture
def typed(relint: Relint, db: Path) -> Path:
    """A registry of what a CSV loses: leading zeros, partial dates, formulas, a dash."""
    add(relint, "--counterpart", "Lione", "--kind", "collaboration", "--title", "007",
        "--source", "0045678", "--signed", "2020-01-15", "--duration", "2y", "--renewable",
        "--signatory", "-Assessore alla cultura", "--signatory", "Sindaco",
        "--notice", "60")  # fmt: skip
    add(relint, "--counterpart", "Cracovia", "--kind", "twinning", "--signed", "1961")
    add(relint, "--counterpart", '=HYPERLINK("http://x")', "--kind", "memorandum",
        "--signed", "2016-02", "--notes", "@SUM(1)", "--title", "+39 02 1234")  # fmt: skip
    return db


def test_a_workbook_keeps_the_types_a_csv_loses(relint: Relint, typed: Path, tmp_path: Path):
    out = tmp_path / "accordi.xlsx"
    result = relint("--lang", "it", "export", "--format", "xlsx", "-o", str(out), "--as-of", TODAY)
    assert result.code == 0, result
    header, lione, cracovia, formula = sheet(out)
    assert tuple(header) == italian_header(EXPORT_FIELDS)
    row = dict(zip(EXPORT_FIELDS, lione, strict=True))
    assert row["id"] == 1  # a number
    assert row["title"] == "007"  # text, with its zeros
    assert row["source"] == "0045678"
    assert row["signed"] == date(2020, 1, 15)  # a date cell
    assert row["end"] == date(2022, 1, 15)
    assert row["notice_deadline"] == date(2021, 11, 16)
    assert row["renewable"] == "Sì"
    assert row["auto_renew"] == "No"
    assert row["notice_days"] == 60
    assert row["signatories"] == "-Assessore alla cultura; Sindaco"  # no guard's apostrophe
    assert row["days_left"] == -1772
    assert row["duration"] == "2y"
    row = dict(zip(EXPORT_FIELDS, cracovia, strict=True))
    assert row["signed"] == "1961"  # a partial date is text, not the number 1961
    assert row["end"] == ""
    row = dict(zip(EXPORT_FIELDS, formula, strict=True))
    assert row["counterpart"] == '=HYPERLINK("http://x")'
    assert row["signed"] == "2016-02"
    assert row["notes"] == "@SUM(1)"
    assert row["title"] == "+39 02 1234"
    assert "<f>" not in member(out, "xl/worksheets/sheet1.xml")  # no cell is a formula


def test_a_workbook_in_english_says_yes_and_no(relint: Relint, typed: Path, tmp_path: Path):
    out = tmp_path / "agreements.xlsx"
    assert relint("export", "--format", "xlsx", "-o", str(out), "--as-of", TODAY).code == 0
    header, lione, *_ = sheet(out)
    assert tuple(header) == EXPORT_FIELDS
    row = dict(zip(EXPORT_FIELDS, lione, strict=True))
    assert (row["renewable"], row["auto_renew"]) == ("Yes", "No")
    assert CalamineWorkbook.from_path(str(out)).sheet_names == ["Agreements"]


def test_the_header_is_frozen_and_filtered_and_the_columns_fit(
    relint: Relint, typed: Path, tmp_path: Path
) -> None:
    out = tmp_path / "accordi.xlsx"
    assert relint("export", "-f", "xlsx", "-o", str(out), "--as-of", TODAY).code == 0
    xml = member(out, "xl/worksheets/sheet1.xml")
    assert 'ySplit="1"' in xml
    assert 'state="frozen"' in xml
    assert '<autoFilter ref="A1:AB4"/>' in xml
    # "counterpart" is 11 characters; the formula 22: the column fits the longest.
    assert '<col min="5" max="5" width="24.7109375" customWidth="1"/>' in xml
    core = member(out, "docProps/core.xml")
    assert "<dc:title>International agreements as of 2026-11-22</dc:title>" in core
    custom = member(out, "docProps/custom.xml")
    assert 'name="as_of"' in custom
    assert "2026-11-22T00:00:00Z" in custom


def test_export_of_the_shipped_registry_reads_back_cell_for_cell(
    relint: Relint, shipped: Path, tmp_path: Path
) -> None:
    out = tmp_path / "registro.xlsx"
    assert relint("export", "-f", "xlsx", "-o", str(out), "--as-of", TODAY).code == 0
    records = json.loads(relint("export", "-f", "json", "--as-of", TODAY).stdout)
    rows = sheet(out)[1:]
    assert len(rows) == len(records) == 35
    for record, row in zip(records, rows, strict=True):
        for field, cell in zip(EXPORT_FIELDS, row, strict=True):
            assert cell == expected(field, record[field]), (record["id"], field)


@pytest.mark.parametrize("kind", ["ods", "xlsx", "xls"])
def test_a_staff_workbook_saved_by_libreoffice_is_imported(
    relint: Relint, db: Path, kind: str
) -> None:
    # Italian headers, a merged title row above them, dates as dates and as text, a
    # year as a number, an empty row, a boolean cell, a column relint does not keep.
    result = relint("import", str(FIXTURES / f"accordi.{kind}"))
    assert result.code == 0, result
    assert "Ignoring columns relint does not keep: 'Protocollo interno'" in result.stderr
    records = json.loads(relint("export", "-f", "json", "--as-of", TODAY).stdout)
    got = [
        {k: r[k] for k in ("counterpart", "kind", "title", "signed", "end", "renewable",
                            "signatories", "source")}
        for r in records
    ]  # fmt: skip
    assert got == [
        {"counterpart": "Lione", "kind": "collaboration", "title": "007", "signed": "2020-01-15",
         "end": "2022-01-15", "renewable": True, "signatories": ["-Assessore alla cultura"],
         "source": "0045678"},
        {"counterpart": "Cracovia", "kind": "twinning", "title": "Patto di gemellaggio",
         "signed": "1961", "end": None, "renewable": False, "signatories": [], "source": None},
        {"counterpart": "Shanghai", "kind": "memorandum",
         "title": "Memorandum sulla mobilità sostenibile", "signed": "2016-02", "end": "2019-02",
         "renewable": False,
         "signatories": ["Presidente della Regione", "Sindaco di Shanghai"], "source": None},
        {"counterpart": "Barcellona", "kind": "protocol", "title": None, "signed": "2019-03-15",
         "end": "2020-03-15", "renewable": True, "signatories": [], "source": None},
    ]  # fmt: skip


def test_another_sheet_is_read_when_named(relint: Relint, db: Path) -> None:
    result = relint("import", str(FIXTURES / "accordi.ods"), "--sheet", "Note", "--dry-run")
    assert result.code == 0, result
    assert result.stdout == "row 2: add: declaration with Tolosa (no end date, unknown)\n"
    wrong = relint("import", str(FIXTURES / "accordi.ods"), "--sheet", "Foglio2")
    assert wrong.code == 1
    assert wrong.stderr == (
        f"Error: {FIXTURES / 'accordi.ods'} has no sheet 'Foglio2'; its sheets are"
        " 'Foglio1', 'Note'\n"
    )


def workbook(path: Path, name: str, rows: dict[int, list[Any]]) -> Path:
    """A workbook with one sheet, ``name``, and ``rows`` by their 0-based number."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet(name)
    for number, cells in rows.items():
        for column, cell in enumerate(cells):
            if isinstance(cell, date):
                sheet.write_datetime(
                    number, column, cell, book.add_format({"num_format": "d/m/yy"})
                )
            elif isinstance(cell, str):
                sheet.write_string(number, column, cell)
            elif cell is not None:
                sheet.write(number, column, cell)
    book.close()
    return path


def test_errors_name_the_cells_as_the_spreadsheet_shows_them(
    relint: Relint, db: Path, tmp_path: Path
) -> None:
    good = ["Lione", "patto", date(2020, 1, 15)]
    # A title, and a line that names a column (Ente) but is not the header.
    rows = {0: ["Accordi 2020"], 1: ["Ente", "Comune di Milano"],
            2: ["Controparte", "Tipo", "Firma", "Preavviso"]}  # fmt: skip
    rows |= dict.fromkeys(range(3, 10), good)
    rows[11] = ["Zara", "patto", "31/02/2020", "dieci"]
    rows[12] = ["Zara", "trattato"]
    rows[13] = [None, "patto"]
    path = workbook(tmp_path / "accordi.xlsx", "Foglio1", rows)
    before = contents(db)
    result = relint("import", str(path))
    assert result.code == 1
    assert result.stderr.splitlines() == [
        f"Error: {path}: 3 of 10 rows are wrong; nothing was imported",
        "  Foglio1!C12: signed: impossible date '31/02/2020': 2020-02 has days 1 to 29;"
        " Foglio1!D12: notice_days: expected a whole number, not 'dieci'",
        "  Foglio1!B13: kind: unknown kind 'trattato'; did you mean patto?; use one of:"
        " twinning (gemellaggio), collaboration (accordo di collaborazione), protocol"
        " (protocollo d'intesa), memorandum (memorandum d'intesa), pact (patto di"
        " collaborazione), declaration (dichiarazione), other (altro)",
        "  Foglio1, row 14: counterpart missing",
    ]
    assert contents(db) == before


def test_a_sheet_name_with_a_space_is_quoted_in_a_cell_reference(
    relint: Relint, db: Path, tmp_path: Path
) -> None:
    path = workbook(
        tmp_path / "a.xlsx",
        "Foglio 1",
        {0: ["controparte", "tipo", "firma"], 1: ["A", "patto", "x"]},
    )
    result = relint("--lang", "it", "import", str(path))
    assert result.code == 1
    assert result.stderr.splitlines()[1] == (
        "  'Foglio 1'!C2: firma: data non valida: 'x'; usare 2016-02-15, 15/02/2016, 15 febbraio"
        " 2016, 1 mar 2020, oppure solo un anno o un mese"
    )


def test_a_workbook_is_known_by_its_content(relint: Relint, db: Path, tmp_path: Path) -> None:
    named_csv = tmp_path / "accordi.csv"
    named_csv.write_bytes((FIXTURES / "accordi.xlsx").read_bytes())
    result = relint("import", str(named_csv))
    assert result.code == 0, result
    assert "added 4" in result.stderr
    piped = relint("import", "-", "--dry-run", input=(FIXTURES / "accordi.ods").read_bytes())
    assert piped.code == 0, piped
    assert "Would add 4 and update 0" in piped.stderr


def test_a_zip_that_is_no_workbook_says_so(relint: Relint, db: Path, tmp_path: Path) -> None:
    archive = tmp_path / "accordi.xlsx"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("accordi.csv", "counterpart,kind\nLione,pact\n")
    result = relint("import", str(archive))
    assert result.code == 1
    assert result.stderr == (
        f"Error: {archive} is not a workbook relint can read (.xlsx, .xls, .ods), or it is"
        " damaged\n"
    )


def test_a_csv_that_is_not_utf8_is_still_offered_an_encoding(
    relint: Relint, db: Path, tmp_path: Path
) -> None:
    path = tmp_path / "accordi.xlsx"  # named as a workbook, and text
    path.write_bytes("counterpart;kind\nCittà;pact\n".encode("cp1252"))
    result = relint("import", str(path))
    assert result.code == 1
    assert "try --encoding cp1252" in result.stderr
    assert relint("import", str(path), "--encoding", "cp1252").code == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--sheet", "Foglio1"], "is not a workbook: --sheet is for .xlsx, .xls and .ods"),
    ],
)
def test_sheet_is_for_workbooks(
    relint: Relint, db: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    path = tmp_path / "a.csv"
    path.write_text("counterpart,kind\nLione,pact\n")
    result = relint("import", str(path), *args)
    assert result.code == 1
    assert result.stderr == f"Error: {path} {message}\n"


def test_encoding_is_for_text(relint: Relint, db: Path) -> None:
    path = FIXTURES / "accordi.xlsx"
    result = relint("import", str(path), "--encoding", "cp1252")
    assert result.code == 1
    assert (
        result.stderr == f"Error: {path} is a workbook: --encoding is for text files (CSV, JSON)\n"
    )


def test_a_value_longer_than_a_cell_is_refused_whole(
    relint: Relint, db: Path, tmp_path: Path
) -> None:
    add(relint, "--counterpart", "Lione", "--kind", "pact", "--notes", "x" * 32_768)
    out = tmp_path / "a.xlsx"
    result = relint("export", "-f", "xlsx", "-o", str(out))
    assert result.code == 1
    assert result.stderr == (
        "Error: agreement 1: notes is 32,768 characters long, and a spreadsheet cell holds"
        " 32,767: export it as csv or json\n"
    )
    assert list(tmp_path.iterdir()) == [db] or not out.exists()
    assert not out.exists()


def test_a_workbook_goes_to_a_pipe_whole(relint: Relint, typed: Path) -> None:
    result = relint("export", "-f", "xlsx", "--as-of", TODAY)
    assert result.code == 0
    book = CalamineWorkbook.from_filelike(io.BytesIO(result.stdout_bytes))
    assert len(book.get_sheet_by_index(0).to_python()) == 4


def test_the_report_as_a_workbook(relint: Relint, shipped: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.xlsx"
    result = relint("--lang", "it", "report", "--month", "2017-10", "-f", "xlsx", "-o", str(out))
    assert result.code == 0, result
    book = CalamineWorkbook.from_path(str(out))
    assert book.sheet_names == ["In scadenza", "Scaduti senza decisione", "Record incompleti",
                                "Riepilogo"]  # fmt: skip
    due = sheet(out, "In scadenza")
    assert due[0] == ["ID", "Controparte", "Ente", "Tipo", "Evento", "Data", "Scadenza",
                      "Preavviso entro", "Giorni", "Rinnovo"]  # fmt: skip
    assert due[1] == [1.0, "New York", "Comune di Milano", "accordo di collaborazione",
                      "scadenza", date(2017, 11, 9), date(2017, 11, 9), "", 39.0,
                      "rinnovabile"]  # fmt: skip
    counts = sheet(out, "Riepilogo")
    assert counts[0] == ["Riepilogo", "Voce", "Accordi"]
    assert ["Per ente", "Comune di Milano", 23.0] in counts
    assert "<dc:title>Rapporto rinnovi — ottobre 2017</dc:title>" in member(
        out, "docProps/core.xml"
    )


def test_the_name_of_the_output_tells_the_format(
    relint: Relint, shipped: Path, tmp_path: Path
) -> None:
    book = tmp_path / "registro.xlsx"
    assert relint("export", "-o", str(book)).code == 0
    assert len(sheet(book)) == 36
    page = tmp_path / "rinnovi.html"
    assert relint("report", "--month", "2017-10", "-o", str(page)).code == 0
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    listed = tmp_path / "scadute.json"
    assert relint("list", "--status", "expired", "-o", str(listed)).code == 0
    assert json.loads(listed.read_text(encoding="utf-8"))[0]["status"] == "expired"
    told = tmp_path / "named.txt"  # a name that says no format: the default
    assert relint("list", "--raw", "-o", str(told.with_suffix(".csv"))).code == 0
    assert relint("list", "-o", str(told)).stdout == ""
    assert told.read_text(encoding="utf-8").startswith("ID ")


DISAGREE = "--format and --output disagree: a workbook (xlsx) is named .xlsx"
UNWRITTEN = "the name of --output says a format this command does not write"
NO_WORKBOOK = "--output names a workbook, which this command does not write: relint export"


@pytest.mark.parametrize(
    ("args", "message"),
    [(["export", "-f", "xlsx", "-o", "a.csv"], DISAGREE),
     (["export", "-f", "csv", "-o", "a.xlsx"], DISAGREE),
     (["report", "-f", "md", "-o", "a.xlsx"], DISAGREE), (["export", "-o", "a.ods"], DISAGREE),
     (["export", "-f", "xlsx", "-o", "a.xls"], DISAGREE),
     (["expiring", "-o", "a.ics"], UNWRITTEN), (["export", "-o", "a.html"], UNWRITTEN),
     (["report", "-o", "a.tsv"], UNWRITTEN), (["search", "x", "--output", "a.md"], UNWRITTEN),
     (["list", "-o", "a.xlsx"], NO_WORKBOOK), (["list", "-f", "csv", "-o", "a.xlsx"], NO_WORKBOOK),
     (["expiring", "-o", "a.ods"], NO_WORKBOOK),
     (["search", "x", "--output", "a.xls"], NO_WORKBOOK)],
)  # fmt: skip
def test_a_name_of_the_output_that_contradicts_what_is_written_is_refused(
    relint: Relint, shipped: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    result = relint(*args)
    assert result.code == 2
    assert message in result.stderr
    assert not (tmp_path / args[-1]).exists()


def test_a_dash_for_the_output_is_stdout(relint: Relint, shipped: Path, tmp_path: Path) -> None:
    result = relint("export", "-f", "jsonl", "-o", "-")
    assert len(result.stdout.splitlines()) == 35
    assert not (tmp_path / "-").exists()


def test_a_first_sheet_without_a_header_names_the_others(
    relint: Relint, db: Path, tmp_path: Path
) -> None:
    path = tmp_path / "accordi.xlsx"
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet("Istruzioni").write_string(0, 0, "Compilare il foglio Dati")
    book.add_worksheet("Dati").write_row(0, 0, ["controparte", "tipo"])
    book.close()
    result = relint("import", str(path))
    assert result.code == 1
    assert result.stderr.startswith(f"Error: {path}: no column counterpart or kind; ")
    assert result.stderr.endswith(
        "; relint read the sheet 'Istruzioni', of 'Istruzioni', 'Dati': give --sheet NAME\n"
    )


def test_a_value_far_beyond_the_others_is_refused_in_a_line(
    relint: Relint, db: Path, tmp_path: Path
) -> None:
    # Read whole, the sheet would be a grid of 17 billion cells: the reader's process
    # fails to allocate it, and relint says so.
    path = tmp_path / "far.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Foglio1")
    sheet.write_row(0, 0, ["kind", "counterpart"])
    sheet.write_row(1, 0, ["pact", "Oslo"])
    sheet.write_string(1_048_575, 16_383, "x")
    book.close()
    result = relint("import", str(path))
    assert result.code == 1
    assert result.stderr == (
        f"Error: {path}: the sheet is too large to read (a value far beyond the others?):"
        " keep only the agreements in it, or save it as CSV\n"
    )


def test_rows_read_to_find_a_header_are_imported(relint: Relint, db: Path, tmp_path: Path) -> None:
    for counterpart in ("Lione", "Oslo", "Riga"):
        add(relint, "--counterpart", counterpart, "--kind", "pact")
    # A header that names one column relint knows: it is found by being the first row.
    rows: dict[int, list[Any]] = {0: ["id", "Commento"]}
    rows |= {n: [n, "letto"] for n in (1, 2, 3)}
    path = workbook(tmp_path / "ids.xlsx", "Foglio1", rows)
    result = relint("import", str(path), "--update")
    assert result.code == 0, result
    assert "updated 3 agreements" in result.stderr


def test_an_id_a_spreadsheet_rounded_is_refused(relint: Relint, db: Path, tmp_path: Path):
    huge = 1_000_000_000_000_000_001  # as a number cell, 1e18: not the id typed
    rows = {0: ["id", "counterpart", "kind"], 1: [float(huge), "Lione", "pact"]}
    result = relint("import", str(workbook(tmp_path / "a.xlsx", "Foglio1", rows)))
    assert result.code == 1
    assert "  Foglio1!A2: id: expected a whole number, not '1e+18'" in result.stderr


def test_the_first_sheet_shown_is_read(relint: Relint, db: Path, tmp_path: Path) -> None:
    path = tmp_path / "a.xlsx"
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet("Nascosto").hide()
    shown = book.add_worksheet("Dati")
    shown.write_row(0, 0, ["counterpart", "kind"])
    shown.write_row(1, 0, ["Lione", "pact"])
    shown.activate()
    book.close()
    result = relint("import", str(path), "--dry-run")
    assert result.code == 0, result
    assert result.stdout == "row 2: add: pact with Lione (no end date, unknown)\n"


def test_a_failed_workbook_leaves_no_file_behind(
    relint: Relint, db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    add(relint, "--counterpart", "Lione", "--kind", "pact")
    add(relint, "--counterpart", "Oslo", "--kind", "pact", "--notes", "x" * 40_000)
    out = tmp_path / "out" / "a.xlsx"
    out.parent.mkdir()
    assert relint("export", "-o", str(out)).code == 1
    assert list(out.parent.iterdir()) == []
    assert list(temporary.iterdir()) == []


def test_an_interrupt_while_the_sheet_loads_stops_its_reader(
    relint: Relint, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os
    import pickle

    from relint import workbooks

    children: list[int] = []
    fork = os.fork

    def forked() -> int:
        pid = fork()
        if pid:
            children.append(pid)
        return pid

    def interrupted(_pipe: object) -> object:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fork", forked)
    monkeypatch.setattr(pickle, "load", interrupted)
    with pytest.raises(KeyboardInterrupt), (FIXTURES / "accordi.xlsx").open("rb") as stream:
        workbooks.read_workbook(stream, "accordi.xlsx", None)
    assert len(children) == 1
    with pytest.raises(ChildProcessError):  # stopped, and waited for: no longer a child
        os.waitpid(children[0], os.WNOHANG)
