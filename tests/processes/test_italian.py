"""relint in Italian, through the installed command: chosen by --lang, RELINT_LANG, the
settings or the locale; every format a program reads the same bytes in any language."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

RELINT = str(Path(sys.executable).with_name("relint"))
SHIPPED = Path(__file__).resolve().parents[2] / "data" / "registry.db"
DAY = "2017-09-01"


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    path = tmp_path / "registry.db"
    shutil.copy(SHIPPED, path)
    return path


def run(*args: str, db: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """relint on ``db`` with no locale but ``env``'s (cron's bare environment, and more)."""
    environment = {
        name: value for name, value in os.environ.items()
        if name not in ("LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "RELINT_LANG")
    } | {"RELINT_DB": str(db), "RELINT_TEST_TODAY": "2026-11-29"} | env  # fmt: skip
    return subprocess.run(
        [RELINT, *args], capture_output=True, text=True, env=environment, timeout=60,
        check=False,
    )  # fmt: skip


MACHINE = [
    ["list", "-f", "csv"], ["list", "-f", "json", "--as-of", DAY], ["list", "-f", "jsonl"],
    ["expiring", "--as-of", DAY, "--within", "1y", "-f", "csv"],
    ["expiring", "--as-of", DAY, "--within", "1y", "-f", "json"],
    ["search", "--format", "json", "Milano"], ["show", "24", "-f", "json", "--explain"],
    ["kinds", "-f", "json"], ["export"], ["export", "-f", "json"], ["export", "-f", "tsv"],
    ["report", "--as-of", DAY, "-f", "json"], ["report", "--as-of", DAY, "-f", "csv"],
    ["remind", "--as-of", DAY, "--dry-run", "-f", "json"], ["history", "-f", "json"],
]  # fmt: skip


@pytest.mark.parametrize("args", MACHINE, ids=lambda args: " ".join(args))
def test_what_programs_read_is_the_same_in_any_language(registry: Path, args: list[str]) -> None:
    plain = run(*args, db=registry, LANG="C")
    assert plain.returncode == 0, plain.stderr
    assert plain.stdout
    for env in ({"LANG": "it_IT.UTF-8"}, {"RELINT_LANG": "it"}, {"LC_ALL": "it_CH"}):
        assert run(*args, db=registry, **env).stdout == plain.stdout, env
    assert run("--lang", "it", *args, db=registry).stdout == plain.stdout


def test_the_calendar_is_the_same_in_any_language(registry: Path) -> None:
    def feed(**env: str) -> list[str]:
        lines = run("export", "-f", "ics", db=registry, **env).stdout.splitlines()
        return [line for line in lines if not line.startswith("DTSTAMP")]  # the time it ran

    assert feed(LANG="C") == feed(LANG="it_IT.UTF-8")


@pytest.mark.parametrize(
    "env",
    [{"LANG": "it_IT.UTF-8"}, {"LANGUAGE": "it", "LANG": "en_US.UTF-8"}, {"RELINT_LANG": "it"}],
)
def test_the_locale_or_relint_lang_chooses_italian(registry: Path, env: dict[str, str]) -> None:
    table = run("expiring", "--as-of", DAY, "--within", "1y", db=registry, **env).stdout
    assert table.splitlines()[0].split() == [
        "ID", "Controparte", "Tipo", "Ente", "Evento", "Data", "Scadenza", "Preavviso", "entro",
        "Giorni", "Rinnovo", "Stato",
    ]  # fmt: skip
    assert "in scadenza" in table
    assert "accordo di collaborazione" in table


def test_cron_gets_italian_from_the_settings(registry: Path, tmp_path: Path) -> None:
    settings = tmp_path / "relint.toml"
    settings.write_text('lang = "it"\n', encoding="utf-8")
    report = run("report", "--month", "2017-09", db=registry, RELINT_CONFIG=str(settings))
    assert report.returncode == 0, report.stderr
    assert report.stdout.startswith("# Rapporto rinnovi — settembre 2017\n")
    english = run("--lang", "en", "report", "--month", "2017-09", db=registry,
                  RELINT_CONFIG=str(settings))  # fmt: skip
    assert english.stdout.startswith("# Renewal report, September 2017\n")


def test_an_unknown_language_is_a_usage_error_naming_both(registry: Path) -> None:
    for args, env in ((["--lang", "fr", "list"], {}), (["list"], {"RELINT_LANG": "de"})):
        result = run(*args, db=registry, **env)
        assert result.returncode == 2
        assert result.stdout == ""
        assert result.stderr.count("\n") == 1
        assert "use en or it" in result.stderr


# What people read, in Italian: a command of each family, and what it must say.
SAID = [
    (["list", "--party", "nessuno"], "", "Nessun accordo corrisponde.\n"),
    (["expiring", "--as-of", "2030-01-01", "--within", "30 giorni"], "",
     "Nessuna scadenza né termine di preavviso dal 2030-01-01 al 2030-01-31.\n"),
    (["list", "--status", "scadto"], "",
     "Errore: stato sconosciuto 'scadto'; forse intendeva «scaduto»?"),
    (["show", "999"], "", "Errore: nessun accordo con id 999\n"),
    (["lst"], "", "Errore: comando inesistente: 'lst'. Forse intendeva «list»?\n"),
    (["list", "--bogus"], "", "Uso: relint list [OPZIONI]"),
    (["show", "24", "--explain"], "Come sono state calcolate le date:", ""),
    (["report", "--as-of", DAY], "## 2. Scaduti, né rinnovati né cessati (0)", ""),
    (["doctor"], "l'accordo 35 (altro con Medenine): la scadenza non è nota al giorno", ""),
    (["remind", "--as-of", DAY, "--dry-run"],
     "Accordo 8, patto di collaborazione con Mosca (Comune di Milano), periodo 1: scadenza"
     " 2017-11-11 (tra 71 giorni): cessa a tale data (non rinnovabile).", ""),
    (["--help"], "Comandi:", ""),
    (["expiring", "--help"], "Elenca ciò che sta per scadere", ""),
]  # fmt: skip


@pytest.mark.parametrize(("args", "out", "err"), SAID, ids=lambda value: str(value)[:30])
def test_people_read_italian(registry: Path, args: list[str], out: str, err: str) -> None:
    for chosen in (run(*args, db=registry, LANG="it_IT.UTF-8"),
                   run("--lang", "it", *args, db=registry)):  # fmt: skip
        assert out in chosen.stdout
        assert err in chosen.stderr


def test_changes_are_confirmed_in_italian(registry: Path) -> None:
    added = run("--lang", "it", "add", "--counterpart", "Lione", "--kind", "gemellaggio",
                "--start", "2020-01-15", db=registry)  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert (
        added.stderr
        == "Aggiunto l'accordo 36: gemellaggio con Lione (senza scadenza, permanente)\n"
    )
    renewed = run("--lang", "it", "renew", "36", db=registry)
    assert renewed.stderr.startswith("Errore: l'accordo 36 è permanente")


# English that must not be left in what an Italian reads (words that the shipped
# records do not hold).
ENGLISH = re.compile(r"\b(the|is|was|give|agreement|agreements|notice|nothing|cannot|with)\b")


@pytest.mark.parametrize(
    "args",
    [["list"], ["expiring", "--as-of", DAY, "--within", "1y"], ["show", "27", "--explain"],
     ["report", "--as-of", DAY], ["report", "--as-of", DAY, "-f", "html"], ["doctor"],
     ["remind", "--as-of", DAY, "--dry-run"], ["kinds"], ["--help"], ["list", "--help"],
     ["expiring", "--help"], ["remind", "--help"], ["export", "--help"], ["import", "--help"],
     ["show", "abc"], ["add"], ["list", "--format", "xml"]],
    ids=lambda args: " ".join(args),
)  # fmt: skip
def test_no_english_is_left_in_italian(registry: Path, args: list[str]) -> None:
    said = run("--lang", "it", *args, db=registry)
    text = re.sub(r"<[^>]*>", " ", said.stdout + said.stderr)  # html: its words, not its tags
    text = re.sub(
        r"--[a-z-]+|relint [a-z-]+|[a-z]+-[a-z-]+", " ", text
    )  # names of options and commands
    assert ENGLISH.findall(text) == [], text


def test_files_and_upkeep_speak_italian(registry: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "accordi.csv"
    exported = run("--lang", "it", "export", "--excel", "-o", str(sheet), db=registry)
    assert exported.returncode == 0, exported.stderr
    header = sheet.read_text(encoding="utf-8-sig").splitlines()[0].split(";")
    assert header[:10] == ["id", "tipo", "titolo", "ente", "controparte", "paese", "firma",
                           "inizio", "durata", "scadenza"]  # fmt: skip
    fresh = tmp_path / "nuovo.db"
    assert run("--lang", "it", "init", db=fresh).stderr == f"Creato un registro vuoto in {fresh}.\n"
    imported = run("--lang", "it", "import", str(sheet), db=fresh)
    assert imported.stderr == f"Importato {sheet}: accordi aggiunti 35, aggiornati 0.\n"
    assert run("export", db=fresh).stdout == run("export", db=registry).stdout  # the round trip
    copy = tmp_path / "copia.db"
    copied = run("--lang", "it", "backup", str(copy), db=fresh)
    assert copied.stderr == f"Copiato {fresh} in {copy}.\n"


def test_the_last_lang_given_is_the_one_on_either_path(registry: Path) -> None:
    quick = run("--lang", "it", "--lang", "en", "list", "--party", "nessuno", db=registry)
    assert quick.stderr == "No agreements match.\n"
    typer = run("--lang", "en", "--lang", "it", "kinds", db=registry)
    assert typer.stdout.split()[:2] == ["Tipo", "Italiano"]
