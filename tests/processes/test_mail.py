"""Reminders by e-mail, through a real SMTP server on 127.0.0.1 (aiosmtpd)."""

from __future__ import annotations

import asyncio
import email
import email.policy
import json
import os
import socket
import sqlite3
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from ..helpers import locked

RELINT = str(Path(sys.executable).with_name("relint"))


class Inbox:
    """What the server received; ``refuse`` makes it refuse every recipient."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.refuse = False

    def let_go(self) -> None:
        """Answer whatever is held back (see Holding and Stalling)."""

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          options: Any) -> str:  # fmt: skip
        if self.refuse:
            return "550 5.1.1 no such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def mailing(registry: Path, port: int, *to: str) -> tuple[dict[str, str], list[str]]:
    """The environment of a run on ``registry``, and its command: the reminders due on
    2025-10-10, mailed through the server on ``port`` to ``to`` (else the office)."""
    settings = str(registry.with_suffix(".toml"))
    environment = os.environ | {"RELINT_DB": str(registry), "RELINT_CONFIG": settings}
    recipients = [
        arg for address in to or ("ufficio@comune.milano.it",) for arg in ("--to", address)
    ]
    command = ["remind", "--as-of", "2025-10-10", "--smtp", f"127.0.0.1:{port}", "--from", SENDER]
    return environment, [*command, *recipients]


@contextmanager
def serving(handler: Inbox, **options: Any) -> Iterator[int]:
    """A real SMTP server on 127.0.0.1 with ``handler``, at the port given; stopped after,
    a held answer let go first."""
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, **options)
    controller.start()
    try:
        yield port
    finally:
        handler.let_go()
        controller.stop()


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    handler = Inbox()
    with serving(handler) as port:
        yield handler, port


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    path = tmp_path / "registry.db"
    assert run("init", db=path).returncode == 0
    for args in (
        ["--counterpart", "Lyon", "--kind", "protocol", "--start", "2020-01-15", "--duration",
         "3y", "--renewal", "1y", "--auto-renew", "--notice", "90", "--party",
         "Comune di Milano"],
        ["--counterpart", "Kraków", "--kind", "pact", "--start", "2024-01-31", "--end",
         "2025-11-30", "--party", "Città metropolitana di Milano"],
    ):  # fmt: skip
        assert run("add", *args, db=path).returncode == 0
    path.with_suffix(".toml").touch()  # the settings, empty until a test writes them
    return path


def run(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    """relint on ``db``, with the settings file beside it (registry.toml), if any."""
    settings = db.with_suffix(".toml")
    environment = os.environ | {"RELINT_DB": str(db)}
    if settings.exists():
        environment["RELINT_CONFIG"] = str(settings)
    return subprocess.run(
        [RELINT, *args], capture_output=True, text=True, env=environment, timeout=120,
        check=False,
    )  # fmt: skip


SENDER = "Relazioni internazionali <relint@comune.milano.it>"


def remind(db: Path, port: int, *more: str) -> subprocess.CompletedProcess[str]:
    server = f"127.0.0.1:{port}"
    return run("remind", "--as-of", "2025-10-10", "--smtp", server, "--from", SENDER, *more,
               db=db)  # fmt: skip


def sent(db: Path) -> list[dict[str, Any]]:
    return json.loads(run("remind", "--sent", "-f", "json", db=db).stdout)


def test_a_mail_is_received_whole_and_recorded_once(
    registry: Path, inbox: tuple[Inbox, int]
) -> None:
    server, port = inbox
    result = remind(registry, port, "--to", "ufficio@comune.milano.it")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    [mail] = server.messages
    assert server.envelopes == [("relint@comune.milano.it", ["ufficio@comune.milano.it"])]
    assert mail["Subject"] == "relint: 2 agreements need attention, the first on 17 October 2025"
    assert mail["To"] == "ufficio@comune.milano.it"
    assert mail["From"] == "Relazioni internazionali <relint@comune.milano.it>"
    assert mail["Date"] is not None
    assert mail["Message-ID"].endswith("@comune.milano.it>")
    text = mail.get_body(("plain",))
    page = mail.get_body(("html",))
    assert text is not None
    assert page is not None
    assert "Agreement 2, pact with Kraków (Città metropolitana di Milano), term 1: ends" in (
        text.get_content()
    )
    assert "<td>Kraków</td>" in page.get_content()
    assert [(s["agreement_id"], s["sent_to"]) for s in sent(registry)] == [
        (1, "ufficio@comune.milano.it"), (2, "ufficio@comune.milano.it"),
    ]  # fmt: skip
    again = remind(registry, port, "--to", "ufficio@comune.milano.it")
    assert (again.returncode, again.stdout, again.stderr) == (0, "", "")
    assert len(server.messages) == 1


def test_a_server_that_is_not_there_loses_nothing(registry: Path, inbox: tuple[Inbox, int]) -> None:
    server, port = inbox
    failed = remind(registry, free_port(), "--to", "ufficio@comune.milano.it")
    assert failed.returncode == 1
    assert failed.stderr.startswith("Error: cannot send the reminders through 127.0.0.1:")
    assert failed.stderr.count("\n") == 1
    assert sent(registry) == []
    assert remind(registry, port, "--to", "ufficio@comune.milano.it").returncode == 0
    assert len(server.messages) == 1


def test_a_server_that_refuses_records_nothing(registry: Path, inbox: tuple[Inbox, int]) -> None:
    server, port = inbox
    server.refuse = True
    failed = remind(registry, port, "--to", "nessuno@comune.milano.it")
    assert failed.returncode == 1
    assert failed.stderr == (
        f"Error: the mail server 127.0.0.1:{port} refused every recipient:"
        " nessuno@comune.milano.it (550 5.1.1 no such mailbox here)\n"
    )
    assert sent(registry) == []


def test_recipients_by_party_from_the_settings(registry: Path, inbox: tuple[Inbox, int]) -> None:
    server, port = inbox
    registry.with_suffix(".toml").write_text(
        '[mail]\nfrom = "relint@comune.milano.it"\nto = ["ufficio@comune.milano.it"]\n'
        '[mail.to_by_party]\n"Città metropolitana di Milano" = ["cm@cittametropolitana.mi.it"]\n',
        encoding="utf-8",
    )
    result = run("remind", "--mail", "--as-of", "2025-10-10", "--smtp", f"127.0.0.1:{port}",
                 db=registry)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert sorted(rcpts for _, rcpts in server.envelopes) == [
        ["cm@cittametropolitana.mi.it"], ["ufficio@comune.milano.it"],
    ]  # fmt: skip


def test_two_runs_at_once_give_each_reminder_once(registry: Path) -> None:
    """Both start while another writer holds the lock, and wait for it: whichever takes
    it first gives every reminder; the other finds them in the ledger."""
    environment = os.environ | {"RELINT_DB": str(registry), "RELINT_BUSY_TIMEOUT": "30"}
    with locked(registry):
        command = [RELINT, "remind", "--as-of", "2025-10-10"]
        pipes = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE}
        runs = [subprocess.Popen(command, env=environment, text=True, **pipes) for _ in range(2)]
        time.sleep(1.5)
        assert [run.poll() for run in runs] == [None, None]  # both waiting
    outputs = [run.communicate(timeout=60) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    given = sorted(line for out, _ in outputs for line in out.splitlines())
    assert [line.split(",")[0] for line in given] == ["Agreement 1", "Agreement 2"]
    assert sorted(out.count("\n") for out, _ in outputs) == [0, 2]
    assert len(sent(registry)) == 2


PASSWORD = "s3greto-Citta!"


def check_login(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
    from aiosmtpd.smtp import AuthResult, LoginPassword

    good = isinstance(data, LoginPassword) and (data.login, data.password) == (
        b"relazioni", PASSWORD.encode(),
    )  # fmt: skip
    return AuthResult(success=good, handled=False)


@pytest.fixture
def certified(tmp_path: Path) -> tuple[ssl.SSLContext, Path]:
    """A server's TLS context for 127.0.0.1, and the file of the CA that vouches for it."""
    import trustme

    ca = trustme.CA()
    served = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(served)
    cafile = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(cafile))
    return served, cafile


@pytest.fixture
def guarded(certified: tuple[ssl.SSLContext, Path]) -> Iterator[tuple[Inbox, int]]:
    """A server that takes mail only from a user who logged in, over STARTTLS."""
    handler = Inbox()
    with serving(handler, authenticator=check_login, auth_required=True,
                 tls_context=certified[0], require_starttls=True) as port:  # fmt: skip
        yield handler, port


def login_settings(port: int, cafile: Path, security: str = "starttls") -> str:
    return (
        f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "{security}"\n'
        f'cafile = "{cafile}"\nuser = "relazioni"\npassword_env = "RELINT_TEST_SMTP_PASSWORD"\n'
        '[mail]\nfrom = "relint@comune.milano.it"\nto = "ufficio@comune.milano.it"\n'
    )


@pytest.mark.parametrize("password", [PASSWORD, "sbagliata"])
def test_the_password_comes_from_its_variable_and_is_never_shown(
    registry: Path, guarded: tuple[Inbox, int], certified: tuple[ssl.SSLContext, Path],
    password: str, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    server, port = guarded
    registry.with_suffix(".toml").write_text(login_settings(port, certified[1]), "utf-8")
    monkeypatch.setenv("RELINT_TEST_SMTP_PASSWORD", password)
    result = run("remind", "--mail", "--as-of", "2025-10-10", db=registry)
    shown = result.stdout + result.stderr + json.dumps(sent(registry))
    shown += run("history", "-f", "json", db=registry).stdout
    assert password not in shown
    if password == PASSWORD:
        assert result.returncode == 0, result.stderr
        assert len(server.messages) == 1
    else:
        assert result.returncode == 1
        assert result.stderr.count("\n") == 1
        assert server.messages == []
        assert sent(registry) == []


def test_a_login_is_never_sent_in_clear_nor_to_another_host(
    registry: Path, guarded: tuple[Inbox, int], certified: tuple[ssl.SSLContext, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """A login with security "none" is refused before anything is sent; --smtp naming
    another host than the file's sends there with no login."""
    logins: list[Any] = []

    def watch(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
        from aiosmtpd.smtp import AuthResult

        logins.append(data)
        return AuthResult(success=False, handled=False)

    _, port = guarded
    other = Inbox()
    with serving(other, authenticator=watch, tls_context=certified[0],
                 require_starttls=True) as other_port:  # fmt: skip
        settings = registry.with_suffix(".toml")
        monkeypatch.setenv("RELINT_TEST_SMTP_PASSWORD", PASSWORD)
        settings.write_text(login_settings(port, certified[1], "none"), "utf-8")
        clear = run("remind", "--mail", "--as-of", "2025-10-10", db=registry)
        assert clear.returncode == 1
        assert "smtp.user needs smtp.security starttls or ssl" in clear.stderr
        settings.write_text(login_settings(port, certified[1]), "utf-8")
        elsewhere = run("remind", "--mail", "--as-of", "2025-10-10", "--smtp",
                        f"localhost:{other_port}", db=registry)  # fmt: skip
        assert elsewhere.returncode == 0, elsewhere.stderr
        assert len(other.messages) == 1
        assert logins == []


def test_a_run_killed_before_it_records_gives_them_again(tmp_path: Path) -> None:
    """A run whose output fills a pipe nobody reads is stopped inside its transaction,
    reminders written and not yet recorded: killed there, it recorded nothing, and the
    next run gives every reminder (some twice, none lost)."""
    db = tmp_path / "registry.db"
    assert run("init", db=db).returncode == 0
    sheet = tmp_path / "due.csv"
    rows = [f"Città {n},pact,2024-01-31,2025-11-30\n" for n in range(1500)]
    sheet.write_text("counterpart,kind,start,end\n" + "".join(rows), encoding="utf-8")
    assert run("import", str(sheet), db=db).returncode == 0
    environment = os.environ | {"RELINT_DB": str(db)}  # no settings (see conftest)
    stuck = subprocess.Popen([RELINT, "remind", "--as-of", "2025-10-10"], env=environment,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
    try:
        wait_until_locked(db)  # inside its transaction, its output filling the pipe
        time.sleep(0.5)
        assert stuck.poll() is None
    finally:
        stuck.kill()
        stuck.wait(timeout=30)
    assert sent(db) == []
    again = run("remind", "--as-of", "2025-10-10", db=db)
    assert again.returncode == 0, again.stderr
    assert again.stdout.count("\n") == 1500
    assert len(sent(db)) == 1500


def wait_until_locked(db: Path, seconds: float = 60) -> None:
    """Until another process holds the registry's write lock."""
    deadline = time.monotonic() + seconds
    while True:
        conn = sqlite3.connect(db, timeout=0, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
        except sqlite3.OperationalError:
            return
        finally:
            conn.close()
        assert time.monotonic() < deadline, "waited for the write lock to be taken"
        time.sleep(0.01)


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_mail_goes_over_tls_to_a_server_the_given_ca_vouches_for(
    registry: Path, certified: tuple[ssl.SSLContext, Path], security: str
) -> None:
    served, cafile = certified
    handler = Inbox()
    tls = {"tls_context": served, "require_starttls": True} if security == "starttls" else {
        "ssl_context": served}  # fmt: skip
    with serving(handler, **tls) as port:
        settings = (
            f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "{security}"\n'
            '[mail]\nfrom = "relint@comune.milano.it"\nto = "ufficio@comune.milano.it"\n'
        )
        toml = registry.with_suffix(".toml")
        toml.write_text(settings, encoding="utf-8")
        untrusted = run("remind", "--mail", "--as-of", "2025-10-10", db=registry)
        assert untrusted.returncode == 1  # a certificate no CA it knows vouches for
        assert "certificate" in untrusted.stderr
        assert handler.messages == []
        toml.write_text(settings.replace("[mail]", f'cafile = "{cafile}"\n[mail]'), "utf-8")
        trusted = run("remind", "--mail", "--as-of", "2025-10-10", db=registry)
        assert trusted.returncode == 0, trusted.stderr
        assert len(handler.messages) == 1


def test_accents_in_the_headers_arrive_whole(registry: Path, inbox: tuple[Inbox, int]) -> None:
    server, port = inbox
    sender = '"Città metropolitana di Milano, Relazioni" <relint@cittametropolitana.mi.it>'
    unquoted = run("remind", "--as-of", "2025-10-10", "--from", sender.replace('"', ""),
                   "--to", "ufficio@comune.milano.it", db=registry)  # fmt: skip
    assert unquoted.returncode == 1
    assert unquoted.stderr.startswith("Error: not an e-mail address: ")
    to = "Ufficio Estero <ufficio@comune.milano.it>"
    server_at = f"127.0.0.1:{port}"
    result = run("remind", "--as-of", "2025-10-10", "--smtp", server_at, "--from", sender,
                 "--to", to, db=registry)  # fmt: skip
    assert result.returncode == 0, result.stderr
    [mail] = server.messages
    [address] = mail["From"].addresses
    assert (address.display_name, address.addr_spec) == (
        "Città metropolitana di Milano, Relazioni", "relint@cittametropolitana.mi.it",
    )  # fmt: skip
    assert server.envelopes[0][1] == ["ufficio@comune.milano.it"]


class Holding(Inbox):
    """A server that accepts a message, then holds its answer to QUIT until released:
    the client then waits between the acceptance and its commit."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    def let_go(self) -> None:
        self.release.set()

    async def handle_QUIT(self, server: Any, session: Any, envelope: Any) -> str:
        while not self.release.is_set():
            await asyncio.sleep(0.01)
        return "221 Bye"


def test_a_mail_run_killed_after_the_server_accepted_sends_again(registry: Path) -> None:
    """Killed after the server took the message and before the ledger recorded it, the
    next run sends it again: twice at worst, never not at all."""
    handler = Holding()
    with serving(handler) as port:
        environment, command = mailing(registry, port)
        stuck = subprocess.Popen([RELINT, *command], env=environment)
        deadline = time.monotonic() + 60
        while not handler.messages:  # accepted, and waiting for the answer to QUIT
            assert time.monotonic() < deadline, "waited for the message"
            time.sleep(0.01)
        assert stuck.poll() is None
        stuck.kill()
        stuck.wait(timeout=30)
        handler.release.set()
        assert sent(registry) == []
        again = run(*command, db=registry)
        assert again.returncode == 0, again.stderr
        assert len(handler.messages) == 2
        assert len(sent(registry)) == 2  # its two reminders, recorded once


class Picky(Inbox):
    """A server that refuses the addresses that begin with "bad" (until told not to)."""

    refuse_bad = True

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          options: Any) -> str:  # fmt: skip
        if address.startswith("bad") and self.refuse_bad:
            return "550 5.1.1 no such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"


def test_a_list_that_fails_does_not_stop_the_others(registry: Path) -> None:
    """The Comune's reminders go to an address the server refuses; the Città
    metropolitana's still go, and only theirs are recorded."""
    handler = Picky()
    with serving(handler) as port:
        registry.with_suffix(".toml").write_text(
            '[mail]\nfrom = "relint@comune.milano.it"\nto = ["ufficio@comune.milano.it"]\n'
            '[mail.to_by_party]\n"Comune di Milano" = ["bad@comune.milano.it"]\n',
            encoding="utf-8",
        )
        result = run("remind", "--mail", "--as-of", "2025-10-10", "--smtp",
                     f"127.0.0.1:{port}", db=registry)  # fmt: skip
        assert result.returncode == 3  # one list was sent and recorded
        assert "bad@comune.milano.it" in result.stderr
        assert result.stderr.count("\n") == 1
        assert [rcpts for _, rcpts in handler.envelopes] == [["ufficio@comune.milano.it"]]
        assert [s["agreement_id"] for s in sent(registry)] == [2]


def test_an_address_refused_beside_accepted_ones_gets_it_once_it_is_taken(
    registry: Path,
) -> None:
    """The reminders reach the address accepted once; the refused one is tried by each
    run, and gets them, alone, once the server takes it."""
    handler = Picky()
    with serving(handler) as port:
        _, command = mailing(registry, port, "cm@comune.milano.it", "bad2@comune.milano.it")
        first = run(*command, db=registry)
        assert first.returncode == 3  # sent, and recorded, for the one accepted
        assert first.stderr == (
            "Error: the mail server refused bad2@comune.milano.it (550 5.1.1 no such mailbox"
            " here); the reminders that reached the others are recorded as sent\n"
        )
        assert {s["sent_to"] for s in sent(registry)} == {"cm@comune.milano.it"}
        again = run(*command, db=registry)
        assert again.returncode == 1  # sent to no one: refused again
        assert "refused every recipient: bad2@comune.milano.it" in again.stderr
        assert [rcpts for _, rcpts in handler.envelopes] == [["cm@comune.milano.it"]]
        handler.refuse_bad = False  # the mailbox is made
        taken = run(*command, db=registry)
        assert (taken.returncode, taken.stderr) == (0, "")
        assert [rcpts for _, rcpts in handler.envelopes] == [
            ["cm@comune.milano.it"], ["bad2@comune.milano.it"],
        ]  # fmt: skip
        assert run(*command, db=registry).returncode == 0
        assert len(handler.messages) == 2
        assert len(sent(registry)) == 4  # two reminders, to each address once


class Stalling(Inbox):
    """A slow server: it holds its answer to a message until released."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()
        self.waiting = threading.Event()

    def let_go(self) -> None:
        self.release.set()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.waiting.set()
        while not self.release.is_set():
            await asyncio.sleep(0.01)
        return await super().handle_DATA(server, session, envelope)


def test_a_slow_server_holds_up_no_one(registry: Path) -> None:
    """While a run waits on the mail server, the lock is free: an edit goes through, and
    a second run at once finds the reminders claimed and sends none of them."""
    handler = Stalling()
    with serving(handler) as port:
        environment, command = mailing(registry, port)
        first = subprocess.Popen([RELINT, *command], env=environment, text=True,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
        assert handler.waiting.wait(timeout=60), "the message never came"
        edit = run("edit", "2", "--notes", "rinnovo in discussione", db=registry)
        assert edit.returncode == 0, edit.stderr
        second = run(*command, db=registry)
        assert (second.returncode, second.stdout, second.stderr) == (0, "", "")
        assert first.poll() is None  # still waiting on the server
        handler.release.set()
        assert first.wait(timeout=60) == 0, first.communicate()
        assert len(handler.messages) == 1
        assert [s["agreement_id"] for s in sent(registry)] == [1, 2]


class Brusque(Inbox):
    """A server that takes the message, then answers QUIT with an error."""

    async def handle_QUIT(self, server: Any, session: Any, envelope: Any) -> str:
        return "421 4.3.2 closing, in a hurry"


def test_a_message_accepted_is_recorded_whatever_the_server_says_to_quit(
    registry: Path,
) -> None:
    handler = Brusque()
    with serving(handler) as port:
        for _ in range(2):
            result = remind(registry, port, "--to", "ufficio@comune.milano.it")
            assert (result.returncode, result.stderr) == (0, "")
        assert len(handler.messages) == 1
        assert len(sent(registry)) == 2


def test_reminders_with_no_one_to_go_to_hold_up_no_others(
    registry: Path, inbox: tuple[Inbox, int]
) -> None:
    """Only the Comune has its list: its reminder goes; the Città metropolitana's has no
    one, is said, and waits for the settings to name someone."""
    server, port = inbox
    settings = registry.with_suffix(".toml")
    settings.write_text(
        '[mail]\nfrom = "relint@comune.milano.it"\n'
        '[mail.to_by_party]\n"Comune di Milano" = ["Ufficio <Ufficio@Comune.Milano.it>"]\n',
        encoding="utf-8",
    )
    first = remind(registry, port, "--mail")
    assert first.returncode == 3
    assert "no one to mail the reminders of Città metropolitana di Milano" in first.stderr
    assert [rcpts for _, rcpts in server.envelopes] == [["ufficio@comune.milano.it"]]
    assert [(s["agreement_id"], s["sent_to"]) for s in sent(registry)] == [
        (1, "ufficio@comune.milano.it"),
    ]  # fmt: skip
    settings.write_text(
        settings.read_text(encoding="utf-8") + '"Città metropolitana di Milano" = "cm@b.it"\n',
        encoding="utf-8",
    )
    second = remind(registry, port, "--mail")
    assert (second.returncode, second.stderr) == (0, "")
    assert [rcpts for _, rcpts in server.envelopes][1:] == [["cm@b.it"]]


def test_a_host_that_is_no_name_is_said(registry: Path) -> None:
    result = run("remind", "--as-of", "2025-10-10", "--smtp", "a..b", "--from", SENDER,
                 "--to", "u@b.it", db=registry)  # fmt: skip
    assert result.returncode == 1
    assert result.stderr == "Error: cannot send the reminders through a..b:25: not a host name\n"
    assert sent(registry) == []


def test_one_address_written_twice_is_one_recipient(
    registry: Path, inbox: tuple[Inbox, int]
) -> None:
    server, port = inbox
    result = remind(registry, port, "--to", "a@b.it", "--to", "Ufficio <A@B.it>")
    assert (result.returncode, result.stderr) == (0, "")
    assert [rcpts for _, rcpts in server.envelopes] == [["a@b.it"]]
    assert server.messages[0]["To"] == "a@b.it"
    assert len(sent(registry)) == 2
