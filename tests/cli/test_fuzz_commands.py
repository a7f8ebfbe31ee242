"""Generated input for the command line: each command either succeeds with the right
result or fails with a clear error, never a traceback and never a changed registry."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relint.dates import parse_date
from relint.kinds import ITALIAN, Kind, parse_kind

from ..conftest import Relint
from .helpers import contents

days = st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31))


free_text = st.text(max_size=60)
kinds = st.sampled_from([k.value for k in Kind] + list(ITALIAN.values())) | free_text
dates = days.map(date.isoformat) | days.map(lambda d: d.strftime("%d/%m/%Y")) | free_text
durations = st.sampled_from(["2y", "18m", "1y6m", "biennale", "permanent", "triennial"]) | free_text


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(counterpart=free_text, kind=kinds, signed=dates, duration=durations, notes=free_text)
def test_add_succeeds_exactly_or_fails_cleanly(
    relint: Relint, db: Path, counterpart: str, kind: str, signed: str, duration: str, notes: str
) -> None:
    before = contents(db)
    result = relint("add", "--counterpart", counterpart, "--kind", kind, "--signed", signed,
                    "--duration", duration, "--notes", notes)  # fmt: skip
    assert result.exception is None or isinstance(result.exception, SystemExit), result
    if result.code != 0:
        assert result.code in (1, 2)
        assert result.stderr.strip()
        assert "Traceback" not in result.stderr
        assert contents(db) == before
        return
    new_id = result.stdout.splitlines()[-1]
    record = json.loads(relint("show", new_id, "--format", "json").stdout)
    assert record["counterpart"] == counterpart
    assert record["kind"] == parse_kind(kind).value
    assert record["signed"] == (str(parse_date(signed)) if signed.strip() else None)
    assert record["notes"] == (notes if notes.strip() else None)


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=st.text())
def test_any_search_query_succeeds(relint: Relint, shipped: Path, query: str) -> None:
    result = relint("search", "--format", "json", "--", query)
    assert result.code == 0, result
    assert isinstance(json.loads(result.stdout), list)
