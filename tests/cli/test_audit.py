"""The audit trail: every change recorded with who, when, how, before and after."""

from __future__ import annotations

import getpass
import json
from datetime import datetime
from pathlib import Path

import pytest

from ..conftest import Relint


def trail(relint: Relint, *args: str) -> list[dict[str, object]]:
    result = relint("history", *args, "--format", "json")
    assert result.code == 0, result
    entries: list[dict[str, object]] = json.loads(result.stdout)
    return entries


def test_every_change_is_recorded_with_before_and_after(
    relint: Relint, db: Path, tmp_path: Path
) -> None:
    commands = [
        ["add", "--counterpart", "Chengdu", "--kind", "collaboration", "--signed", "2015-09-30"],
        ["edit", "1", "--duration", "3y", "--notes", "rinnovabile"],
        ["renew", "1"],
        ["terminate", "1", "--on", "2019-01-01", "--reason", "Recesso"],
        ["add", "--counterpart", "Osaka", "--kind", "gemellaggio"],
        ["remove", "2", "--yes"],
        ["restore", "2"],
    ]
    for command in commands:
        assert relint(*command).code == 0, command
    sheet = tmp_path / "a.csv"
    sheet.write_text("id,notes\n2,importato\n")
    assert relint("import", str(sheet), "--update").code == 0
    entries = trail(relint)
    assert [(e["action"], e["agreement_id"]) for e in entries] == [
        ("add", 1), ("edit", 1), ("renew", 1), ("terminate", 1), ("add", 2), ("remove", 2),
        ("restore", 2), ("import", 2),
    ]  # fmt: skip
    user = getpass.getuser()
    for entry, command in zip(entries, [*commands, ["import"]], strict=True):
        assert entry["user"] == user
        assert str(entry["command"]).startswith("relint " + command[0])
        assert datetime.fromisoformat(str(entry["at"])).utcoffset() is not None
    add, edit, renew, terminate = entries[:4]
    assert add["before"] is None
    assert add["after"]["counterpart"] == "Chengdu"  # type: ignore[index]
    assert (edit["before"]["duration"], edit["after"]["duration"]) == ("2y", "3y")  # type: ignore[index]
    assert renew["after"]["history"] == [  # type: ignore[index]
        {"signed": "2015-09-30", "start": "2015-09-30", "duration": "3y", "end": "2018-09-30"}
    ]
    assert terminate["after"]["termination_reason"] == "Recesso"  # type: ignore[index]
    remove = entries[5]
    assert remove["after"] is None
    assert remove["before"]["counterpart"] == "Osaka"  # type: ignore[index]


def test_a_removed_agreement_comes_back_whole(
    relint: Relint, shipped: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RELINT_TEST_TODAY", "2026-11-22")  # the same status and days left
    before = relint("show", "24", "-f", "json").stdout
    assert relint("remove", "24", "--yes").code == 0
    assert relint("show", "24").code == 1
    assert relint("restore", "24").code == 0
    assert relint("show", "24", "-f", "json").stdout == before
    assert relint("restore", "24").code == 1  # it is back: nothing to restore
    assert relint("restore", "7").code == 1  # never removed


def test_history_of_one_agreement_and_of_none(relint: Relint, db: Path) -> None:
    assert relint("add", "--counterpart", "A", "--kind", "pact").code == 0
    assert relint("add", "--counterpart", "B", "--kind", "pact").code == 0
    assert [e["agreement_id"] for e in trail(relint, "2")] == [2]
    empty = relint("history", "3")
    assert empty.code == 0
    assert "No changes recorded" in empty.stderr
    table = relint("history").stdout
    assert "relint add --counterpart A --kind pact" in table


def test_failed_commands_and_reads_record_nothing(relint: Relint, db: Path) -> None:
    assert relint("add", "--counterpart", "A", "--kind", "pact").code == 0
    for command in (["edit", "1", "--signed", "2020-02-30"], ["list"], ["show", "1"],
                    ["add", "--counterpart", "B", "--kind", "treaty"]):  # fmt: skip
        relint(*command)
    assert len(trail(relint)) == 1


@pytest.mark.parametrize("fmt", ["jsonl"])
def test_history_as_json_lines(relint: Relint, db: Path, fmt: str) -> None:
    assert relint("add", "--counterpart", "A", "--kind", "pact").code == 0
    lines = relint("history", "--format", fmt).stdout.splitlines()
    assert [json.loads(line)["action"] for line in lines] == ["add"]
