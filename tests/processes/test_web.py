"""relint serve: a real Datasette server in a subprocess, read over HTTP and in a real
headless Chromium (Debian's chromium and chromium-driver, through Selenium)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from relint import i18n

from ..conftest import Relint
from .test_mail import free_port

RELINT = str(Path(sys.executable).with_name("relint"))
DAY = "2026-11-30"

# A registry with every kind and status, and the tacit cases: renewing past its recorded
# end, a notice deadline in the window, notice given, renewed by an act, suspended,
# terminated, a partial date, lists and a source holding a link.
CASES = (
    ("add", "--counterpart", "Città Alta", "--kind", "collaboration", "--signed", "2025-06-01",
     "--party", "Comune di Milano", "--country", "Francia", "--sector", "cultura",
     "--sector", "turismo", "--signatory", "Sindaco", "--source", "https://example.org/a?b=1&c=2"),
    ("add", "--counterpart", "Soon", "--kind", "collaboration", "--signed", "2025-01-15",
     "--party", "Regione Lombardia", "--country", "Italia"),
    ("add", "--counterpart", "Old", "--kind", "protocol", "--signed", "2020-01-01",
     "--end", "2025-01-01", "--country", "Spagna"),
    ("add", "--counterpart", "Vague", "--kind", "memorandum", "--signed", "2020"),
    ("add", "--counterpart", "Twin", "--kind", "twinning", "--signed", "1961-05-02"),
    ("add", "--counterpart", "Rolling", "--kind", "pact", "--signed", "2020-03-01",
     "--duration", "1y", "--auto-renew", "--notice", "30",
     "--source", "Delibera 12/2020; testo: https://example.org/x"),
    ("add", "--counterpart", "NoticeSoon", "--kind", "pact", "--signed", "2024-02-15",
     "--duration", "1y", "--auto-renew", "--notice", "30"),
    ("add", "--counterpart", "Ended", "--kind", "declaration", "--signed", "2024-01-01",
     "--duration", "3y"),
    ("terminate", "8", "--on", "2026-05-01", "--reason", "fine"),
    ("add", "--counterpart", "Paused", "--kind", "other", "--signed", "2024-01-01",
     "--duration", "3y"),
    ("suspend", "9", "--on", "2026-03-01", "--reason", "pausa"),
    ("add", "--counterpart", "Noticed", "--kind", "collaboration", "--signed", "2023-01-10",
     "--duration", "2y", "--auto-renew", "--notice", "60"),
    ("give-notice", "10", "--on", "2026-10-01", "--reason", "no"),
    ("add", "--counterpart", "Renewed", "--kind", "collaboration", "--signed", "2021-02-01",
     "--duration", "2y"),
    ("renew", "11"),
    ("renew", "11", "--signed", "2025-01-20"),
    ("add", "--counterpart", "Partial", "--kind", "pact", "--signed", "2016-02",
     "--duration", "3y"),
)  # fmt: skip


@pytest.fixture
def generated(relint: Relint, db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("RELINT_TEST_TODAY", DAY)
    for case in CASES:
        result = relint(*case)
        assert result.code == 0, result
    return db


def run(db: Path, *args: str, day: str = DAY) -> str:
    """What ``relint --db DB ARGS`` writes on stdout, on ``day``."""
    done = subprocess.run(
        [RELINT, "--db", str(db), *args], capture_output=True, text=True,
        env=os.environ | {"RELINT_TEST_TODAY": day}, check=True,
    )  # fmt: skip
    return done.stdout


class Served(str):
    """The address of a server, and its process."""

    pid: int


@contextmanager
def served(db: Path, *options: str, day: str = DAY, lang: str = "en") -> Iterator[Served]:
    """``relint serve`` on ``db`` at a free port, on ``day``: its address, once it answers.
    What it says on stderr is kept beside ``db``, and shown should it stop."""
    port = free_port()
    said = db.with_name(f"serve-{port}.err")
    with said.open("w") as stderr:
        server = subprocess.Popen(
            [RELINT, "--db", str(db), "--lang", lang, "serve", "--port", str(port), *options],
            env=os.environ | {"RELINT_TEST_TODAY": day}, stdout=subprocess.DEVNULL,
            stderr=stderr,
        )  # fmt: skip
    url = Served(f"http://127.0.0.1:{port}")
    url.pid = server.pid
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(url + "/-/versions.json", timeout=5).close()
                break
            except OSError:
                assert server.poll() is None, said.read_text()
                assert time.monotonic() < deadline, "relint serve did not answer in 60 s"
                time.sleep(0.1)
        yield url
        assert server.poll() is None, said.read_text()
    finally:
        server.terminate()
        server.wait(timeout=30)


def fetch(url: str, method: str = "GET") -> tuple[int, bytes]:
    request = urllib.request.Request(url, method=method, data=b"" if method != "GET" else None)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def read_json(url: str) -> object:
    status, body = fetch(url)
    assert status == 200, body
    return json.loads(body)


def without_stamps(calendar: str) -> list[str]:
    """A calendar's lines but the moment it was made (DTSTAMP)."""
    return [line for line in calendar.splitlines() if not line.startswith("DTSTAMP:")]


@pytest.mark.parametrize(
    ("registry", "day"),
    [("shipped", DAY), ("shipped", "2017-10-01"), ("generated", DAY), ("generated", "2027-02-28")],
)
def test_what_the_browser_reads_is_what_relint_says_that_day(
    registry: str, day: str, request: pytest.FixtureRequest
) -> None:
    db: Path = request.getfixturevalue(registry)
    with served(db, day=day) as url:
        listed = read_json(url + "/registry/current.json?_shape=array&_size=max")
        assert listed == json.loads(run(db, "list", "--format", "json", day=day))
        for days, within in (("90", "90d"), ("6m", "6m"), ("", "90d")):
            alerts = read_json(f"{url}/registry/expiring.json?days={days}&_shape=array&_size=max")
            expected = json.loads(run(db, "expiring", "--within", within, "-f", "json", day=day))
            assert alerts == expected
        status, calendar = fetch(url + "/registry/calendar.ics")
        assert status == 200
        exported = run(db, "export", "-f", "ics", day=day)
        assert without_stamps(calendar.decode()) == without_stamps(exported)
        reported = run(db, "report", "-f", "html", day=day)
        assert fetch(url + "/registry/report") == (200, reported.encode())
        reported = run(db, "report", "--month", "2027-01", "-f", "html", day=day)
        assert fetch(url + "/registry/report?month=2027-01") == (200, reported.encode())
        # Datasette's filters read the view's numbers and flags as relint has them.
        for query, kept in FILTERS:
            found = read_json(f"{url}/registry/current.json?{query}&_shape=array&_size=max")
            assert found == [row for row in listed if kept(row)], query  # type: ignore[union-attr]
    if registry == "generated" and day == DAY:  # the cases the registry is made for are there
        assert {row["status"] for row in listed} >= {  # type: ignore[union-attr]
            "active", "expiring", "expired", "unknown", "permanent", "terminated", "suspended"
        }  # fmt: skip
        assert {row["alert"] for row in alerts} == {"end", "notice"}  # type: ignore[union-attr]


FILTERS: tuple[tuple[str, Callable[[dict[str, Any]], bool]], ...] = (
    ("renewable=1", lambda row: bool(row["renewable"])),
    ("term=1", lambda row: row["term"] == 1),
    ("days_left__gt=40", lambda row: row["days_left"] is not None and row["days_left"] > 40),
)


def test_a_window_relint_cannot_read_is_said_in_one_line(generated: Path) -> None:
    with served(generated) as url:
        for suffix in ("", ".json", ".csv"):
            status, body = fetch(f"{url}/registry/expiring{suffix}?days=soon")
            assert status == 400
            assert (
                body.decode() == "not a window: 'soon'; use a number of days (90, 90d, 90 giorni),"
                " or months and years (6m, 1y, 1y6m, 6 mesi, 1 anno)\n"
            )
        assert fetch(f"{url}/registry/expiring.json?days=90&days=soon")[0] == 200
        assert fetch(f"{url}/registry/expiring.json?days=soon&days=90")[0] == 400
        assert fetch(f"{url}/registry/expir~69ng.json?days=soon")[0] == 400  # Datasette's ~
        status, body = fetch(f"{url}/registry/report?month=2027-13")
        assert status == 400
        assert b"2027-13" in body
        # One that relint reads, but whose report reaches past the calendar: relint's line.
        done = subprocess.run(
            [RELINT, "--db", str(generated), "report", "--month", "9999-12"],
            capture_output=True, env=os.environ | {"RELINT_TEST_TODAY": DAY},
        )  # fmt: skip
        assert done.returncode == 1
        said = done.stderr.removeprefix(b"Error: ")
        assert fetch(f"{url}/registry/report?month=9999-12") == (400, said)


def test_what_changes_in_the_registry_while_it_is_served_is_read_at_once(generated: Path) -> None:
    with served(generated) as url:
        for _ in range(6):  # the record read, most likely by each of Datasette's threads
            read_json(url + "/registry/current.json?id=11")
        subprocess.run(
            [RELINT, "--db", str(generated), "edit", "11", "--end", "2026-12-24"],
            env=os.environ | {"RELINT_TEST_TODAY": DAY}, check=True, capture_output=True,
        )  # fmt: skip
        for _ in range(6):
            (row,) = read_json(url + "/registry/current.json?id=11&_shape=array")  # type: ignore[misc]
            assert (row["end"], row["days_left"]) == ("2026-12-24", 24)


def _state(db: Path) -> tuple[str, list[str]]:
    """The registry file's bytes (as a digest), and everything in it, as SQL."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return hashlib.sha256(db.read_bytes()).hexdigest(), list(conn.iterdump())
    finally:
        conn.close()


WRITES = (
    "DELETE FROM agreements", "UPDATE agreements SET counterpart = 'x'",
    "INSERT INTO audit (at) VALUES ('now')", "DROP VIEW current", "VACUUM",
    "PRAGMA journal_mode = DELETE", "PRAGMA user_version = 9",
    "ATTACH DATABASE 'other.db' AS other", "CREATE TABLE t (x)",
    "WITH gone AS (SELECT 1) DELETE FROM agreements",
    "SELECT 1; DELETE FROM agreements",
)  # fmt: skip


def test_nothing_served_changes_the_registry(generated: Path) -> None:
    before = _state(generated)
    trail = run(generated, "history", "--format", "json")
    with served(generated, "--allow-sql") as url:
        # Everything Datasette 0.65 answers to, read and written (it has no write API):
        # its pages, relint's, its debug and login endpoints, and SQL that writes,
        # through every way of asking.
        answered = []
        for path in (
            "/", "/registry", "/registry/current", "/registry/agreements", "/registry/agreements/1",
            "/registry/audit", "/registry/terms", "/registry/reminders", "/registry/expiring",
            "/registry/calendar.ics", "/registry/report", "/registry.db",
            "/-/messages", "/-/permissions", "/-/allow-debug", "/-/logout", "/-/actor",
        ):  # fmt: skip
            for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
                status, _body = fetch(url + path, method)
                answered.append(status)
                if path.startswith("/registry") and method != "GET":
                    assert status == 405, (path, method)
        for sql in WRITES:
            query = urllib.parse.urlencode({"sql": sql})
            for path in ("/registry.json?", "/registry?"):
                status, body = fetch(url + path + query)
                assert status in (400, 403), (sql, path, status, body[:200])
                fetch(url + path + query, "POST")
        assert fetch(url + "/registry.json?sql=select+count(*)+from+agreements")[0] == 200
        assert 200 in answered
    assert _state(generated) == before
    assert run(generated, "history", "--format", "json") == trail


def test_sql_is_for_readers_only_when_allowed_and_it_listens_here_only(generated: Path) -> None:
    with served(generated) as url:
        assert fetch(url + "/registry.json?sql=select+1")[0] == 403
        assert _listening(int(url.rsplit(":", 1)[1])) == ["127.0.0.1"]
        assert fetch(url + "/registry/expiring.json?days=90")[0] == 200  # the canned query runs
    with served(generated, "--allow-sql") as url:
        assert read_json(
            url + "/registry.json?sql=select+count(*)+as+n+from+agreements&_shape=array"
        ) == [{"n": 12}]


def _listening(port: int) -> list[str]:
    """The IPv4 addresses a socket listens on at ``port``, as the kernel lists them."""
    found = []
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        address, hex_port = local.split(":")
        if state == "0A" and int(hex_port, 16) == port:  # LISTEN
            found.append(".".join(str(byte) for byte in reversed(bytes.fromhex(address))))
    return found


def test_without_datasette_serve_says_how_to_get_it(tmp_path: Path, generated: Path) -> None:
    missing = tmp_path / "no-datasette"
    (missing / "datasette").mkdir(parents=True)
    (missing / "datasette" / "__init__.py").write_text("raise ImportError('not installed')\n")
    done = subprocess.run(
        [RELINT, "--db", str(generated), "serve"], capture_output=True, text=True,
        env=os.environ | {"PYTHONPATH": str(missing)},
    )  # fmt: skip
    assert done.returncode == 1
    assert (
        done.stderr == "Error: relint serve needs Datasette: install relint with its web extra"
        " (pip install -e '.[web]' in relint's folder)\n"
    )
    assert done.stdout == ""


def test_a_service_manager_s_sigterm_stops_it_cleanly(generated: Path) -> None:
    port = free_port()
    server = subprocess.Popen([RELINT, "--db", str(generated), "serve", "--port", str(port)],
                              stderr=subprocess.PIPE, text=True)  # fmt: skip
    while True:  # until it answers: then uvicorn has its signal handlers in place
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/-/versions.json", timeout=5).close()
            break
        except OSError:
            assert server.poll() is None
            time.sleep(0.1)
    server.terminate()
    _out, said = server.communicate(timeout=30)
    assert server.returncode == 0
    assert (
        said == f"Serving {generated}, read-only, at http://127.0.0.1:{port}/ (Ctrl-C to stop).\n"
    )


def test_a_port_in_use_is_said_in_one_line(generated: Path) -> None:
    with served(generated) as url:
        port = url.rsplit(":", 1)[1]
        done = subprocess.run([RELINT, "--db", str(generated), "serve", "--port", port],
                              capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 1
    assert done.stderr == f"Error: cannot listen on 127.0.0.1 port {port}: Address already in use\n"


def test_a_registry_of_thousands_shows_its_page_and_facets(relint: Relint, db: Path) -> None:
    rows = "".join(
        f"City {n},{('pact', 'protocol', 'collaboration')[n % 3]},{2015 + n % 12}-03-01,2y\n"
        for n in range(3000)
    )
    assert relint("import", "-", input="counterpart,kind,signed,duration\n" + rows).code == 0
    statuses = Counter(row["status"] for row in json.loads(run(db, "list", "-f", "json")))
    with served(db) as url:
        for _ in range(2):  # the first computes every record, the next reads them
            status, body = fetch(url + "/registry/current?_facet=status")
            assert status == 200
            assert b"3,000 rows" in body
        facets = read_json(url + "/registry/current.json?_facet=status&_size=1")
    results = facets["facet_results"]["status"]["results"]  # type: ignore[index]
    assert {r["value"]: r["count"] for r in results} == statuses


def test_a_path_datasette_would_misread_is_refused(tmp_path: Path, generated: Path) -> None:
    odd = tmp_path / "registro #1.db"
    shutil.copy(generated, odd)
    done = subprocess.run([RELINT, "--db", str(odd), "serve"], capture_output=True, text=True)
    assert done.returncode == 1
    assert done.stderr == (
        f"Error: relint serve cannot serve a file whose path holds ?, # or %: {odd}; copy it"
        " elsewhere with relint backup\n"
    )


# In a real browser


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    webdriver = pytest.importorskip("selenium.webdriver")
    if not shutil.which("chromium") or not shutil.which("chromedriver"):
        pytest.skip("needs Debian's chromium and chromium-driver (.ci/run installs them)")
    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,1000"):
        options.add_argument(argument)
    options.binary_location = shutil.which("chromium") or ""
    service = webdriver.ChromeService(executable_path=shutil.which("chromedriver"))
    driver = webdriver.Chrome(options=options, service=service)
    try:
        yield driver
    finally:
        driver.quit()


def _texts(driver: object, css: str) -> list[str]:
    from selenium.webdriver.common.by import By

    return [element.text for element in driver.find_elements(By.CSS_SELECTOR, css)]  # type: ignore[attr-defined]


def test_a_colleague_reads_the_shipped_registry_in_italian(browser: object, shipped: Path) -> None:
    from selenium.webdriver.common.by import By

    driver = browser
    expected = json.loads(run(shipped, "list", "--format", "json"))
    with served(shipped, lang="it") as url:
        driver.get(url + "/")  # type: ignore[attr-defined]
        assert _texts(driver, "h1") == ["Accordi internazionali"]
        assert driver.title == "Accordi internazionali: registry"  # type: ignore[attr-defined]
        assert "Ogni accordo a oggi" in _texts(driver, "a")
        driver.get(url + "/registry/current")  # type: ignore[attr-defined]
        ids = [int(text) for text in _texts(driver, "td.col-id")]
        assert ids == [row["id"] for row in expected]
        # The facets a person can click, with the counts relint gives.
        for column in ("party", "kind", "status", "country"):
            assert _texts(driver, f"#facet-{column} .facet-info-name strong")
        i18n.use("it")  # what relint's tables call them
        statuses = Counter(str(i18n.shown("status", row["status"])) for row in expected)
        facet = dict(line.rsplit(" ", 1) for line in _texts(driver, "#facet-status li"))
        assert {label: int(count) for label, count in facet.items()} == statuses
        kinds = Counter(str(i18n.shown("kind", row["kind"])) for row in expected)
        facet = dict(line.rsplit(" ", 1) for line in _texts(driver, "#facet-kind li"))
        assert {label: int(count) for label, count in facet.items()} == kinds
        # Cells as people read them: statuses in Italian, lists as text, links.
        assert Counter(_texts(driver, "td.col-status")) == statuses
        assert "gemellaggio" in _texts(driver, "td.col-kind")
        assert "turismo; marketing territoriale; promozione" in _texts(driver, "td.col-sectors")
        links = [
            a.get_attribute("href")
            for a in driver.find_elements(By.CSS_SELECTOR, "td.col-source a")
        ]  # type: ignore[attr-defined]
        sources = [row["source"] for row in expected if str(row["source"]).startswith("https://")]
        assert sorted(set(links) & set(sources)) == sorted(set(sources))


def test_the_search_box_finds_citta_as_relint_search_does(browser: object, shipped: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    driver = browser
    found = json.loads(run(shipped, "search", "citta", "--format", "json"))
    assert len(found) > 1
    with served(shipped) as url:
        driver.get(url + "/registry/current")  # type: ignore[attr-defined]
        box = driver.find_element(By.CSS_SELECTOR, "input[name=_search]")  # type: ignore[attr-defined]
        box.send_keys("citta", Keys.ENTER)
        assert "_search=citta" in driver.current_url  # type: ignore[attr-defined]
        ids = {int(text) for text in _texts(driver, "td.col-id")}
    assert ids == {row["id"] for row in found}


def test_the_expiring_page_shows_what_relint_expiring_lists(
    browser: object, generated: Path
) -> None:
    driver = browser
    expected = json.loads(run(generated, "expiring", "--within", "90d", "-f", "json"))
    with served(generated) as url:
        driver.get(url + "/registry/expiring?days=90")  # type: ignore[attr-defined]
        assert [int(text) for text in _texts(driver, "td.col-id")] == [
            row["id"] for row in expected
        ]
        # What relint expiring's table says in its column "Alert", soonest first.
        assert _texts(driver, "td.col-said") == [
            "end: notice was given", "end", "notice deadline, else it renews",
            "notice deadline, else it renews", "end",
        ]  # fmt: skip


def test_a_reader_that_goes_away_cannot_stop_the_server(generated: Path) -> None:
    # relint dies quietly on SIGPIPE, as tools read by `head` do; a server writing to a
    # browser that has gone away must not, so serve ignores it. A race to provoke it is
    # not certain; the disposition is: SigIgn in /proc holds SIGPIPE's bit.
    with served(generated) as url:
        status = Path(f"/proc/{url.pid}/status").read_text()
        ignored = int(status.split("SigIgn:", 1)[1].split()[0], 16)
        assert ignored & 1 << (signal.SIGPIPE - 1)
