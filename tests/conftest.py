"""Shared fixtures: every test gets its own registry path, so none touches a real file."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from relint import i18n, store
from relint.cli import app

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "data" / "registry.db"


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.chdir(tmp_path)  # a file written by mistake lands here, not in the project
    monkeypatch.setenv("RELINT_DB", str(tmp_path / "registry.db"))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    # No settings file but a test's own: none from the machine's user.
    monkeypatch.delenv("RELINT_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    for name in ("RELINT_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)  # English, unless a test says otherwise
    yield
    i18n.use("en")  # a test that spoke Italian in this process leaves English behind
    os.environ.pop("LANGUAGE", None)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """An empty registry, the one RELINT_DB points to."""
    path = tmp_path / "registry.db"
    store.create(path)
    return path


@pytest.fixture
def shipped(tmp_path: Path) -> Path:
    """A copy of the shipped registry, the one RELINT_DB points to."""
    path = tmp_path / "registry.db"
    shutil.copy(SHIPPED, path)
    return path


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """The shipped registry with a formula, a termination and hostile text added."""
    path = tmp_path / "registry.db"
    shutil.copy(SHIPPED, path)
    relint = Relint()
    assert relint("edit", "1", "--notes", '=HYPERLINK("http://x")', "--notice", "30").code == 0
    assert relint("edit", "2", "--title", "+39 02 1234", "--sector", "-cultura",
                  "--sector", "@mention").code == 0  # fmt: skip
    assert relint("edit", "3", "--notes", "'=already quoted", "--source", "\ttab").code == 0
    assert relint("terminate", "4", "--on", "2018-01-01", "--reason", "Recesso; fine").code == 0
    assert relint("edit", "7", "--notes", "  spaced  \n«line»\r\nCittà 🇮🇹").code == 0
    return path


class Relint:
    """Runs relint commands in-process, as a user would type them."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | bytes | None = None) -> Result:
        result = self.runner.invoke(app, list(args), input=input)
        return Result(result.exit_code, result.stdout_bytes, result.stderr, result.exception)


class Result:
    """What a command did: its exit code, stdout (bytes and text) and stderr."""

    def __init__(self, code: int, out: bytes, stderr: str, exception: BaseException | None):
        self.code, self.stdout_bytes, self.stderr, self.exception = code, out, stderr, exception

    @property
    def stdout(self) -> str:
        return self.stdout_bytes.decode()

    def __repr__(self) -> str:
        return (
            f"Result(code={self.code}, stdout={self.stdout_bytes!r:.2000}, stderr={self.stderr!r})"
        )


@pytest.fixture
def relint() -> Relint:
    return Relint()
