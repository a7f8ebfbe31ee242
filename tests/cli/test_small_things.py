"""Small things staff notice: -h beside --help, and dates that never break in the html report."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from ..conftest import Relint


@pytest.mark.parametrize("command", [[], ["list"], ["expiring"], ["search"], ["remind"]])
def test_h_is_help(relint: Relint, command: list[str]) -> None:
    short, long = relint(*command, "-h"), relint(*command, "--help")
    assert (short.code, short.stdout) == (long.code, long.stdout)
    assert short.stdout.startswith("Usage: relint")


def test_dates_in_the_html_report_never_break(relint: Relint, shipped: Path) -> None:
    page = relint(
        "--db", str(shipped), "report", "--format", "html", "--as-of", "2017-09-01"
    ).stdout
    dates = re.findall(r"<td[^>]*>\d{4}-\d{2}-\d{2}</td>", page)
    assert dates
    assert all(cell.startswith('<td class="d">') for cell in dates)
    assert "td.d { white-space: nowrap; }" in page


def test_a_command_in_the_same_process_does_not_keep_the_last_ones_language(
    relint: Relint, shipped: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANGUAGE", "en_GB")
    italian = relint("--lang", "it", "list", "--party", "nessuno")
    assert italian.stderr == "Nessun accordo corrisponde.\n"
    assert relint("list", "--party", "nessuno").stderr == "No agreements match.\n"
    assert os.environ["LANGUAGE"] == "en_GB"  # as it was before Italian was chosen
