"""The audit trail: every change recorded with who, when, how, before and after."""

from __future__ import annotations

import dataclasses
import getpass
import json
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relint import store
from relint.agreement import Agreement, new_agreement, terminate
from relint.dates import PartialDate
from relint.durations import PERMANENT, Duration
from relint.kinds import Kind
from relint.store import codec
from relint.store.records import Actor

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


# Text as records hold it: line breaks, quotes, backslashes, controls, accents, wide letters.
record_texts = st.text(
    st.characters(blacklist_categories=("Cs",)) | st.sampled_from(['"', "\\", "\n", "é", "城"]),
    max_size=20,
)


@st.composite
def new_agreements(draw: st.DrawFn) -> Agreement:
    start = draw(st.dates(date(1900, 1, 1), date(2100, 12, 31)))
    text = record_texts.map(lambda t: t.strip() or None)
    agreement = new_agreement(
        draw(st.sampled_from(list(Kind))),
        draw(record_texts.filter(lambda t: any(c.isalnum() for c in t))).strip(),
        title=draw(text), party=draw(text), country=draw(text), source=draw(text),
        notes=draw(text),
        start=PartialDate(start.year, *draw(st.sampled_from([(start.month, start.day),
                                                             (start.month, None), (None, None)]))),
        duration=draw(st.sampled_from([None, Duration(24), Duration(13), PERMANENT])),
        auto_renew=draw(st.booleans()),
        notice_days=draw(st.none() | st.integers(0, 90)),
        sectors=tuple(draw(st.lists(record_texts.filter(str.strip), max_size=3))),
        signatories=tuple(draw(st.lists(record_texts.filter(str.strip), max_size=2))),
    )  # fmt: skip
    if draw(st.booleans()):  # ended on the day it started
        agreement = terminate(agreement, agreement.start or PartialDate(2030), draw(text) or "x")
    return agreement


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(agreements=st.lists(new_agreements(), min_size=1, max_size=5))
def test_an_import_records_each_agreement_as_the_trail_does(
    tmp_path_factory: pytest.TempPathFactory, agreements: list[Agreement]
) -> None:
    """The snapshots SQLite makes of what an import adds are those relint makes."""
    path = tmp_path_factory.mktemp("audit") / "registry.db"
    store.create(path)
    registry = store.open_registry(path)
    registry.actor = Actor(at="2026-11-22T10:00:00+00:00", user="u", command="c", action="import")
    try:
        with registry.transaction(), registry.importing(ids_in_file=False):
            ids = [registry.insert(agreement) for agreement in agreements]
        made = registry.conn.execute("SELECT agreement_id, after FROM audit ORDER BY id").fetchall()
    finally:
        registry.close()
    assert [agreement_id for agreement_id, _ in made] == ids
    for (agreement_id, after), agreement in zip(made, agreements, strict=True):
        expected = codec.snapshot_text(dataclasses.replace(agreement, id=agreement_id))
        # The same document, to its types (1 is not true) and the order of its keys.
        assert json.dumps(json.loads(after)) == json.dumps(json.loads(expected or ""))
