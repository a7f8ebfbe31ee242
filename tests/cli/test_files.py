"""Export and import: spreadsheets, JSON, the formula guard, and all-or-nothing imports."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from relint import store
from relint.agreement import EXPORT_FIELDS

from ..conftest import Relint
from .helpers import contents, sheet


@pytest.mark.parametrize(
    ("fmt", "args"),
    [("csv", []), ("csv", ["--excel"]), ("csv", ["--raw"]), ("tsv", []), ("json", []),
     ("jsonl", []), ("xlsx", [])],
)  # fmt: skip
def test_export_then_import_gives_back_every_field(
    relint: Relint,
    source: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    fmt: str,
    args: list[str],
) -> None:
    monkeypatch.setenv("RELINT_TEST_TODAY", "2026-11-22")  # an earlier day exports earlier terms
    exported = tmp_path / f"export.{fmt}"
    assert relint("export", "--format", fmt, *args, "--output", str(exported)).code == 0
    fresh = tmp_path / "fresh.db"
    assert relint("--db", str(fresh), "init").code == 0
    raw = ["--raw"] if "--raw" in args else []
    given = [] if fmt == "xlsx" else ["--format", "csv" if fmt == "tsv" else fmt]
    imported = relint("--db", str(fresh), "import", str(exported), *given, *raw)
    assert imported.code == 0, imported
    assert contents(fresh) == contents(source)
    again = tmp_path / f"again.{fmt}"
    assert relint("--db", str(fresh), "export", "-f", fmt, *args, "-o", str(again)).code == 0
    if fmt == "xlsx":  # a workbook records the second it was made: compare its cells
        assert sheet(again) == sheet(exported)
    else:
        assert again.read_bytes() == exported.read_bytes()


def test_export_writes_every_field_in_order(relint: Relint, source: Path) -> None:
    out = relint("export", "--format", "json", "--as-of", "2026-11-22").stdout
    records = json.loads(out)
    assert len(records) == 35
    assert all(list(record) == list(EXPORT_FIELDS) for record in records)
    assert records[3]["status"] == "terminated"
    assert records[3]["terminated_on"] == "2018-01-01"


def test_the_formula_guard(relint: Relint, source: Path) -> None:
    guarded = relint("export", "--as-of", "2026-11-22").stdout
    assert ',"\'=HYPERLINK(""http://x"")",' in guarded
    assert ",'+39 02 1234," in guarded
    assert "'-cultura; @mention" in guarded
    assert "''=already quoted" in guarded
    assert ",'\ttab," in guarded
    assert ",-3300," in guarded  # a plain number (New York's days left) is left alone
    raw = relint("export", "--raw").stdout
    assert ',"=HYPERLINK(""http://x"")",' in raw
    assert ",+39 02 1234," in raw


def test_excel_export_has_a_bom_and_semicolons(relint: Relint, source: Path) -> None:
    data = relint("export", "--excel").stdout_bytes
    assert data.startswith("\ufeffid;kind;title;".encode())
    assert b"\r\n" in data


def test_excel_export_says_booleans_in_the_chosen_language(relint: Relint, source: Path) -> None:
    def renewable(*args: str) -> list[str]:
        lines = relint(*args, "export", "--excel").stdout.splitlines()
        column = lines[0].split(";").index("rinnovabile" if args else "renewable")
        return [line.split(";")[column] for line in lines[1:3]]

    assert renewable("--lang", "it") == ["Sì", "Sì"]
    assert renewable() == ["Yes", "Yes"]
    plain = relint("--lang", "it", "export").stdout.splitlines()[1]
    assert ",true,false," in plain  # for programs: the same in every language


@pytest.mark.parametrize(
    "command",
    [["list", "--as-of", "2017-11-01"], ["search", "Accordo", "--as-of", "2017-11-01"],
     ["expiring", "--within", "99y", "--as-of", "2017-11-01"],
     ["report", "--as-of", "2017-11-01", "--lookahead", "30y"]],
)  # fmt: skip
def test_every_csv_guards_formulas_and_raw_turns_it_off(
    relint: Relint, source: Path, command: list[str]
) -> None:
    assert relint("edit", "1", "--counterpart", "=1+1", "--party", "-Assessore").code == 0
    guarded = relint(*command, "--format", "csv")
    assert guarded.code == 0, guarded
    assert ",'=1+1," in guarded.stdout
    assert ",-Assessore," in guarded.stdout  # a name after a dash cannot run: left alone
    raw = relint(*command, "--format", "csv", "--raw")
    assert raw.code == 0, raw
    assert ",=1+1," in raw.stdout
    assert ",'=1+1," not in raw.stdout
    table = relint(*command, "--raw")
    assert table.code == 2
    assert "--raw is for csv" in table.stderr


def test_export_filters_and_ics(relint: Relint, source: Path) -> None:
    twinnings = json.loads(relint("export", "-f", "json", "--kind", "gemellaggio").stdout)
    assert len(twinnings) == 15
    assert relint("export", "-f", "json", "--raw").code == 2


ITALIAN_SHEET = (
    "\ufeffControparte;Tipo;Ente;Paese;Data firma;Durata;Settori;Rinnovabile;Preavviso;Codice\r\n"
    "Chengdu;accordo di collaborazione;Comune di Milano;Cina;30/09/2015;triennale;"
    '"commercio; cultura";sì;90;00123\r\n'
    "Tehran;patto di collaborazione;Comune di Milano;Iran;15 febbraio 2016;3y;;no;;\r\n"
    '"Città; con punto e virgola";gemellaggio;;;1961;;;;;\r\n'
)


def test_an_italian_spreadsheet(relint: Relint, db: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "accordi.csv"
    sheet.write_bytes(ITALIAN_SHEET.encode("utf-8"))
    result = relint("import", str(sheet))
    assert result.code == 0, result
    assert "Codice" in result.stderr  # a column relint does not keep is named
    records = json.loads(relint("list", "-f", "json", "--as-of", "2026-11-22").stdout)
    assert [(r["counterpart"], r["kind"], r["signed"], r["end"]) for r in records] == [
        ("Chengdu", "collaboration", "2015-09-30", "2018-09-30"),
        ("Tehran", "pact", "2016-02-15", "2019-02-15"),
        ("Città; con punto e virgola", "twinning", "1961", None),
    ]
    assert records[0]["sectors"] == ["commercio", "cultura"]
    assert (records[0]["renewable"], records[1]["renewable"]) == (True, False)
    assert (records[0]["notice_days"], records[1]["notice_days"]) == (90, None)
    assert records[2]["status"] == "permanent"


def test_text_that_looks_like_a_number_stays_text(relint: Relint, db: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "a.csv"
    sheet.write_text("counterpart,kind,title,notice_days\n00123,pact,007,0090\n")
    assert relint("import", str(sheet)).code == 0
    [record] = json.loads(relint("list", "-f", "json").stdout)
    assert (record["counterpart"], record["title"], record["notice_days"]) == ("00123", "007", 90)


def test_one_bad_row_in_the_middle_imports_nothing(
    relint: Relint, db: Path, tmp_path: Path
) -> None:
    lines = ["counterpart,kind,signed"] + [f"City {n},pact,2020-01-{n:02d}" for n in range(1, 31)]
    lines[15] = "Bad city,pact,2020-02-30"
    lines[20] = "Worse city,treaty,2020-01-01"
    sheet = tmp_path / "a.csv"
    sheet.write_text("\n".join(lines) + "\n")
    before = db.read_bytes()
    result = relint("import", str(sheet))
    assert result.code == 1
    assert "row 16: signed: impossible date" in result.stderr
    assert "row 21: kind: unknown kind" in result.stderr
    assert "nothing was imported" in result.stderr
    assert json.loads(relint("list", "-f", "json").stdout) == []
    assert db.read_bytes() == before


def test_only_the_first_twenty_problems_are_listed(
    relint: Relint, db: Path, tmp_path: Path
) -> None:
    sheet = tmp_path / "a.csv"
    sheet.write_text("counterpart,kind\n" + "x,treaty\n" * 25)
    result = relint("import", str(sheet))
    assert result.code == 1
    assert "row 21:" in result.stderr
    assert "row 22:" not in result.stderr
    assert "and 5 more" in result.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "empty"),
        ("counterpart,kind\n", "no agreements"),
        ("counterpart,kind\nRoma,pact,extra\n", "row 2: 3 cells where the header has 2"),
        ("counterpart,kind,notes\nRoma,pact\n", "row 2: 2 cells"),
        ("title,notes\nx,y\n", "no column counterpart or kind"),
        ("counterpart,kind\n,pact\n", "counterpart missing"),
        ('counterpart,kind\n"unclosed,pact\n', "row"),
    ],
)
def test_malformed_spreadsheets_are_refused_with_row_numbers(
    relint: Relint, db: Path, tmp_path: Path, content: str, message: str
) -> None:
    sheet = tmp_path / "a.csv"
    sheet.write_text(content)
    result = relint("import", str(sheet))
    assert result.code == 1
    assert message in result.stderr
    assert json.loads(relint("list", "-f", "json").stdout) == []


def test_windows_1252_is_read_when_told_and_refused_otherwise(
    relint: Relint, db: Path, tmp_path: Path
) -> None:
    sheet = tmp_path / "old.csv"
    sheet.write_bytes("controparte;tipo\nCittà di Perù;patto\n".encode("cp1252"))
    refused = relint("import", str(sheet))
    assert refused.code == 1
    assert "--encoding cp1252" in refused.stderr
    assert relint("import", str(sheet), "--encoding", "cp1252").code == 0
    [record] = json.loads(relint("list", "-f", "json").stdout)
    assert record["counterpart"] == "Città di Perù"


def test_existing_ids_need_update(relint: Relint, source: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "a.csv"
    sheet.write_text("id,counterpart,kind,notes\n5,Astana,memorandum,aggiornato\n,Nuova,pact,\n")
    refused = relint("import", str(sheet))
    assert refused.code == 1
    assert "row 2: agreement 5 exists; give --update" in refused.stderr
    dry = relint("import", str(sheet), "--update", "--dry-run")
    assert dry.code == 0
    assert dry.stdout.splitlines() == [
        "row 2: update 5: memorandum with Astana (no end date, unknown)",
        "row 3: add: pact with Nuova (no end date, unknown)",
    ]
    assert len(json.loads(relint("list", "-f", "json").stdout)) == 35
    assert relint("import", str(sheet), "--update").code == 0
    records = json.loads(relint("list", "-f", "json").stdout)
    assert len(records) == 36
    assert records[4]["notes"] == "aggiornato"
    assert records[4]["signed"] == "2015-10-15"  # a column the file lacks is kept


def test_import_from_stdin(relint: Relint, db: Path) -> None:
    lines = (
        '{"counterpart": "Osaka", "kind": "twinning"}\n'
        '{"counterpart": "Dakar", "kind": "gemellaggio"}\n'
    )
    assert relint("import", "-", input=lines).code == 0
    assert [r["counterpart"] for r in json.loads(relint("list", "-f", "json").stdout)] == [
        "Osaka", "Dakar",
    ]  # fmt: skip


def test_an_interrupted_import_leaves_nothing(
    relint: Relint, db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sheet = tmp_path / "a.csv"
    sheet.write_text("counterpart,kind\n" + "".join(f"City {n},pact\n" for n in range(50)))
    inserted = []
    real_insert = store.Registry.insert

    def insert_then_stop(self: store.Registry, agreement: object) -> int:
        inserted.append(agreement)
        if len(inserted) == 25:
            raise KeyboardInterrupt
        return real_insert(self, agreement)  # type: ignore[arg-type]

    monkeypatch.setattr(store.Registry, "insert", insert_then_stop)
    result = relint("import", str(sheet))
    assert result.code != 0
    assert len(inserted) == 25
    assert contents(db) == []


def test_the_calendar_feed_parses_and_keeps_its_uids(relint: Relint, source: Path) -> None:
    from icalendar import Calendar

    first = relint("export", "--format", "ics")
    assert first.code == 0
    calendar = Calendar.from_ical(first.stdout_bytes)
    events = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    # Dated ends of the shipped registry: 7 agreements with one term, the protocol with
    # two, and a notice deadline for agreement 1; agreement 4 ended early (no end event).
    assert set(events) == {
        "relint-1-1-notice@relint", "relint-1-1-end@relint", "relint-2-1-end@relint",
        "relint-7-1-end@relint", "relint-8-1-end@relint", "relint-24-1-end@relint",
        "relint-24-2-end@relint", "relint-25-1-end@relint",
    }  # fmt: skip
    end = events["relint-24-1-end@relint"]
    assert end.decoded("dtstart").isoformat() == "2021-06-30"
    assert "CCIAA di Milano Monza Brianza Lodi" in str(end["summary"])
    assert "protocol" in str(end["summary"])
    [alarm] = end.walk("VALARM")
    assert alarm.decoded("trigger").days == -14
    notice = events["relint-1-1-notice@relint"]
    assert notice.decoded("dtstart").isoformat() == "2017-10-10"
    assert relint("edit", "1", "--end", "2018-01-31").code == 0
    again = Calendar.from_ical(relint("export", "--format", "ics").stdout_bytes)
    moved = {str(e["uid"]): e for e in again.walk("VEVENT")}
    assert set(moved) == set(events)
    assert moved["relint-1-1-end@relint"].decoded("dtstart").isoformat() == "2018-01-31"


def test_a_calendar_without_tacit_renewals_is_the_same_on_every_day(
    relint: Relint, source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from icalendar import Calendar

    def feed(*args: str) -> list[tuple[str, str, str]]:
        calendar = Calendar.from_ical(relint("export", "-f", "ics", *args).stdout_bytes)
        return [
            (str(e["uid"]), e.decoded("dtstart").isoformat(), str(e["description"]))
            for e in calendar.walk("VEVENT")
        ]

    assert relint("renew", "24", "--duration", "2y").code == 0  # a third term, recorded
    monkeypatch.setenv("RELINT_TEST_TODAY", "2026-11-22")
    today = feed()
    assert len(today) == 9
    assert feed("--as-of", "2017-09-01") == feed("--as-of", "2040-01-01") == today


def test_export_to_a_file_replaces_it_whole(relint: Relint, source: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("old")
    assert relint("export", "-o", str(target)).code == 0
    assert target.read_text(encoding="utf-8").startswith("id,kind")
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")] == []
    assert relint("export", "-o", str(tmp_path)).code == 1


def test_rows_with_their_own_ids_keep_them(relint: Relint, shipped: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "a.csv"
    sheet.write_text("id,counterpart,kind\n,No id,pact\n36,Own id,pact\n")
    result = relint("import", str(sheet))
    assert result.code == 0, result
    records = {r["counterpart"]: r["id"] for r in json.loads(relint("list", "-f", "json").stdout)}
    assert (records["Own id"], records["No id"]) == (36, 37)


@pytest.mark.parametrize(
    ("content", "messages"),
    [
        ("id,counterpart,kind\n9223372036854775808,X,pact\n", ["row 2: id: 9223372036854775808"]),
        ("counterpart,kind,signed\nA,pact\nB,pact,2020-01-01,x\nC,pact,2020-01-01\n",
         ["row 2: 2 cells", "row 3: 4 cells"]),
        ('counterpart,kind\nA,pact\n"B,pact\nC,pact\n', ["row 3:", "never closed"]),
        ("counterpart,kind,signed,duration\nA,treaty,2020-02-30,forever\n",
         ["row 2: kind: unknown kind", "signed: impossible date", "duration: not a duration"]),
    ],
)  # fmt: skip
def test_import_names_every_wrong_row_and_field(
    relint: Relint, db: Path, tmp_path: Path, content: str, messages: list[str]
) -> None:
    sheet = tmp_path / "a.csv"
    sheet.write_text(content)
    result = relint("import", str(sheet))
    assert result.code == 1
    assert "Traceback" not in result.stderr
    for message in messages:
        assert message in result.stderr
    assert json.loads(relint("list", "-f", "json").stdout) == []


def test_an_update_file_needs_only_ids_and_what_changes(
    relint: Relint, source: Path, tmp_path: Path
) -> None:
    sheet = tmp_path / "a.csv"
    sheet.write_text("id,notes\n5,aggiornato\n6,\n")
    result = relint("import", str(sheet), "--update")
    assert result.code == 0, result
    records = json.loads(relint("list", "-f", "json").stdout)
    assert (records[4]["notes"], records[4]["counterpart"]) == ("aggiornato", "Astana")
    assert records[5]["notes"] is None
    new_rows = tmp_path / "b.csv"
    new_rows.write_text("id,notes\n99,nuovo\n")
    refused = relint("import", str(new_rows), "--update")
    assert refused.code == 1
    assert "counterpart and kind missing" in refused.stderr


def test_long_values_and_spreadsheet_date_times(relint: Relint, db: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "a.csv"
    sheet.write_text(
        "counterpart,kind,signed,notes,,Codice\n"
        f"A,pact,30/09/2015 00:00,{'n' * 200_000},,1\n"
        "B,pact,2016-02-15T00:00:00,,,2\n"
    )
    result = relint("import", str(sheet))
    assert result.code == 0, result
    assert "(unnamed), 'Codice'" in result.stderr
    records = json.loads(relint("list", "-f", "json").stdout)
    assert [r["signed"] for r in records] == ["2015-09-30", "2016-02-15"]
    assert len(records[0]["notes"]) == 200_000


def test_a_utf8_file_is_not_read_as_another_encoding(
    relint: Relint, db: Path, tmp_path: Path
) -> None:
    sheet = tmp_path / "a.csv"
    sheet.write_bytes("\ufeffcontroparte;tipo\nQuébec;altro\n".encode())
    result = relint("import", str(sheet), "--encoding", "cp1252")
    assert result.code == 1
    assert "is UTF-8 text, not cp1252" in result.stderr
    assert relint("import", str(sheet), "--encoding", "utf-8").code == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('[{"id": 9223372036854775807, "counterpart": "X", "kind": "pact"}]', "is not an id"),
        ('[{"counterpart": "bad \\ud800", "kind": "pact"}]', "not valid UTF-8"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ],
)
def test_hostile_json_is_refused_cleanly(
    relint: Relint, db: Path, tmp_path: Path, content: str, message: str
) -> None:
    sheet = tmp_path / "a.json"
    sheet.write_text(content)
    result = relint("import", str(sheet))
    assert result.code == 1
    assert message in result.stderr
    assert relint("add", "--counterpart", "After", "--kind", "pact").code == 0


def test_the_largest_id_a_file_may_bring_leaves_room_for_more(
    relint: Relint, db: Path, tmp_path: Path
) -> None:
    sheet = tmp_path / "a.json"
    sheet.write_text('[{"id": 9223372032559808512, "counterpart": "Far", "kind": "pact"}]')
    assert relint("import", str(sheet)).code == 0
    assert relint("add", "--counterpart", "Next", "--kind", "pact").stdout.strip() == (
        "9223372032559808513"
    )


def test_a_calendar_reaches_the_last_day(relint: Relint, db: Path) -> None:
    from icalendar import Calendar

    assert relint("add", "--counterpart", "Forever", "--kind", "pact", "--signed", "9999-01-01",
                  "--end", "9999-12-31", "--notice", "30").code == 0  # fmt: skip
    calendar = Calendar.from_ical(relint("export", "-f", "ics").stdout_bytes)
    assert [e.decoded("dtstart").isoformat() for e in calendar.walk("VEVENT")] == [
        "9999-12-01", "9999-12-31",
    ]  # fmt: skip


# Imports write in batches and index once at the end: the result must be as if row by row.


def test_rows_without_an_id_are_numbered_after_every_id_the_file_brings(
    relint: Relint, db: Path, tmp_path: Path
) -> None:
    sheet = tmp_path / "mixed.csv"
    sheet.write_text(
        "id,counterpart,kind\n,Prima,pact\n3,Terza,pact\n,Quarta,pact\n7,Settima,pact\n"
    )
    assert relint("import", str(sheet)).code == 0
    rows = [(r["id"], r["counterpart"]) for r in json.loads(relint("list", "-f", "json").stdout)]
    assert rows == [(3, "Terza"), (7, "Settima"), (8, "Prima"), (9, "Quarta")]
    assert relint("add", "--counterpart", "Dopo", "--kind", "pact").stdout.strip() == "10"
    trail = {entry["agreement_id"]: entry["after"]["id"] for entry in store_trail(db)}
    assert trail == {3: 3, 7: 7, 8: 8, 9: 9, 10: 10}


def store_trail(path: Path) -> list[dict[str, object]]:
    registry = store.open_registry(path)
    try:
        return registry.trail()
    finally:
        registry.close()


def test_the_search_index_follows_an_import(relint: Relint, source: Path, tmp_path: Path) -> None:
    assert relint("remove", "6", "--yes").code == 0  # Dubai: its id may come back
    sheet = tmp_path / "a.csv"
    sheet.write_text(
        "id,counterpart,kind,notes\n"
        "5,Astana,memorandum,zanzibar\n"  # an update: its old words go, its new ones come
        ",Reykjavík,twinning,\n"
        "900,Łódź,pact,\n"
        "6,Dubai,pact,ritorno\n"  # an id given once, then freed
    )
    assert relint("import", str(sheet), "--update").code == 0
    found = {
        word: [r["id"] for r in json.loads(relint("search", word, "--format", "json").stdout)]
        for word in ("zanzibar", "reykjavik", "łódź", "Astana", "ritorno")
    }
    assert found == {
        "zanzibar": [5], "reykjavik": [901], "łódź": [900], "Astana": [5], "ritorno": [6],
    }  # fmt: skip
    assert relint("add", "--counterpart", "Tromsø", "--kind", "pact").code == 0
    assert relint("edit", "901", "--counterpart", "Akureyri").code == 0
    assert json.loads(relint("search", "tromsø", "--format", "json").stdout)[0]["id"] == 902
    assert json.loads(relint("search", "reykjavik", "--format", "json").stdout) == []
    conn = sqlite3.connect(source)
    conn.execute("INSERT INTO agreements_fts(agreements_fts) VALUES('integrity-check')")
    conn.close()


def test_a_long_import_is_indexed_and_checked_whole(
    relint: Relint, db: Path, tmp_path: Path
) -> None:
    sheet = tmp_path / "long.csv"
    rows = "".join(f"Città {n},pact,2020-01-{1 + n % 28:02d}\n" for n in range(2600))
    sheet.write_text("counterpart,kind,signed\n" + rows)
    schema = "SELECT type, name, sql FROM sqlite_master ORDER BY name"
    with sqlite3.connect(db) as conn:
        before = conn.execute(schema).fetchall()
    assert relint("import", str(sheet)).code == 0
    with sqlite3.connect(db) as conn:  # the indexes dropped for the import, built again
        assert conn.execute(schema).fetchall() == before
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert len(json.loads(relint("search", "citta 2599", "--format", "json").stdout)) == 1
    assert len(json.loads(relint("list", "-f", "json").stdout)) == 2600
    sheet.write_text("counterpart,kind,signed\n" + rows + "Ultima,pact,2020-02-30\n")
    before = db.read_bytes()
    result = relint("import", str(sheet))
    assert result.code == 1
    assert "1 of 2601 rows is wrong" in result.stderr
    assert "row 2602: signed: impossible date" in result.stderr
    assert db.read_bytes() == before


def test_a_dry_run_says_nothing_of_a_file_with_a_wrong_row(
    relint: Relint, db: Path, tmp_path: Path
) -> None:
    sheet = tmp_path / "a.csv"
    sheet.write_text("counterpart,kind\nRoma,pact\nParigi,pact,extra\nBerlino,treaty\n")
    result = relint("import", str(sheet), "--dry-run")
    assert result.code == 1
    assert result.stdout == ""
    assert "2 of 3 rows are wrong" in result.stderr
    assert "row 3: 3 cells where the header has 2" in result.stderr
    assert "row 4: kind: unknown kind" in result.stderr


@pytest.mark.parametrize("end", ["\n", "\r\n", "\r"])
def test_every_line_end_reads_the_same(relint: Relint, db: Path, tmp_path: Path, end: str) -> None:
    sheet = tmp_path / "a.csv"
    lines = ["counterpart,kind,notes", 'Roma,pact,"due', 'righe"', "Parigi,twinning,"]
    sheet.write_bytes(end.join(lines).encode() + end.encode())
    assert relint("import", str(sheet)).code == 0
    records = json.loads(relint("list", "-f", "json").stdout)
    assert [(r["counterpart"], r["notes"]) for r in records] == [
        ("Roma", f"due{end}righe"),
        ("Parigi", None),
    ]


def test_a_utf16_sheet_is_read_when_told(relint: Relint, db: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "unicode.txt"
    sheet.write_bytes("controparte\ttipo\r\nCittà di Perù\tpatto\r\n".encode("utf-16"))
    assert relint("import", str(sheet), "--encoding", "utf-16").code == 0
    [record] = json.loads(relint("list", "-f", "json").stdout)
    assert record["counterpart"] == "Città di Perù"
