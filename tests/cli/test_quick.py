"""The quick start reads command lines exactly as the Typer app does, and answers the same."""

from __future__ import annotations

import os
import subprocess
import sys
from enum import Enum
from pathlib import Path
from typing import Any

import pytest
import typer
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from relint.cli import app, quick, spec
from relint.cli.location import SHIPPED_REGISTRY, registry_path
from relint.errors import RelintError

from ..conftest import Relint

ROOT_COMMAND = typer.main.get_command(app)


def typer_reading(argv: list[str]) -> tuple[Path | None, str, dict[str, Any]]:
    """The registry option, the command and its parameters as the Typer app passes them
    (a repeatable option not given: None, not Click's empty tuple)."""
    with ROOT_COMMAND.make_context("relint", list(argv)) as ctx:
        rest = [*ctx._protected_args, *ctx.args]  # the command and what follows it
        name, command, args = ROOT_COMMAND.resolve_command(ctx, rest)
        assert name is not None
        assert command is not None
        with command.make_context(name, args, parent=ctx) as sub:
            params = {key: None if value == () else value for key, value in sub.params.items()}
            return ctx.params["db"], name, params


def plain(params: dict[str, Any]) -> dict[str, Any]:
    """Parameters compared as values: an enum as its value, no values as None."""
    out = {}
    for key, value in params.items():
        if isinstance(value, Enum):
            value = value.value
        if isinstance(value, (tuple, list)):
            value = list(value) or None
        out[key] = value
    return out


@pytest.mark.parametrize("name", sorted(quick.OPTIONS))
def test_the_options_mirror_the_typer_declarations(name: str) -> None:
    with ROOT_COMMAND.make_context("relint", [name]) as ctx:
        command = ROOT_COMMAND.get_command(ctx, name)
    assert command is not None
    declared = {}
    defaults = {}
    arguments = [
        (param.name, param.required)
        for param in command.params
        if param.param_type_name == "argument"
    ]
    assert arguments == [
        (argument.param, argument.required)
        for argument in spec.arguments_of(quick.COMMANDS[name].declared)
    ]
    for param in command.params:
        if param.name == "help" or param.param_type_name != "option":
            continue
        for option in param.opts:
            declared[option] = (param.name, param.is_flag, param.multiple)
        default = param.default
        defaults[param.name] = default.value if isinstance(default, Enum) else default
    read = {
        flag: (option.param, option.switch, option.many)
        for flag, option in quick.OPTIONS[name].items()
    }
    assert declared == read
    # A format told by --output's name has no default of Typer's: relint resolves it.
    assert defaults == {
        option.param: None if option.by_name else option.default
        for option in quick.OPTIONS[name].values()
    }


def with_defaults(name: str, given: dict[str, Any]) -> dict[str, Any]:
    """The parameters of command ``name`` as Typer passes them: every one, with its
    default when not given."""
    arguments = spec.arguments_of(quick.COMMANDS[name].declared)
    return (
        {
            option.param: None if option.by_name else option.default
            for option in quick.OPTIONS[name].values()
        }
        | dict.fromkeys(argument.param for argument in arguments)
        | given
    )


def typed(name: str, given: dict[str, Any]) -> object:
    """What the command body is given, or the error that refuses the command line."""
    try:
        return spec.parsed(quick.COMMANDS[name].declared, given)
    except RelintError as error:
        return str(error)


words = st.sampled_from(["2017-09-01", "30d", "pact", "expired", "Città", "a=b", "", " "])
ids = st.sampled_from(["1", "12", "0", "007", "-1", "+3", " 4", "x", "9" * 19, "٣", "1.0"])
odd_values = st.sampled_from(["CSV", "-x", "--kind", "=", "--", "-"]) | st.text(max_size=6)
formats = st.sampled_from(["csv", "json", "table", "jsonl"])
odd_options = st.sampled_from(["--help", "--", "-fcsv", "-f=csv", "--exit-code=1", "--db", "-x"])


@st.composite
def command_lines(draw: st.DrawFn) -> list[str]:
    """Mostly what a user would type to list and expiring, sometimes something odd."""
    db = draw(st.sampled_from([[], [], ["--db", "x.db"], ["--db=y.db"], ["--db"], ["--db", "-f"]]))
    command = draw(st.sampled_from([*quick.OPTIONS, *quick.OPTIONS, "add", "lst"]))
    known = sorted(quick.OPTIONS.get(command, quick.OPTIONS["list"]).items())
    argv = [*db, command]
    for _ in range(draw(st.integers(0, 6))):
        if draw(st.integers(0, 9)) == 0:
            argv.append(draw(odd_options))
            continue
        if draw(st.integers(0, 4)) == 0:  # an argument: an id, a word
            argv.append(draw(ids | words))
            continue
        flag, option = draw(st.sampled_from(known))
        if option.switch:
            argv.append(flag)
            continue
        usual = formats if option.param == "fmt" else words
        value = draw(odd_values if draw(st.integers(0, 9)) == 0 else usual)
        if flag.startswith("--") and draw(st.booleans()):
            argv.append(f"{flag}={value}")
        else:
            argv += [flag, value]
    return argv


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(argv=command_lines())
@example(argv=["expiring", "--exit-code=1"])
@example(argv=["list", "--kind", "pact", "--kind", "twinning"])
@example(argv=["list", "--format", "CSV"])
@example(argv=["list", "--party", "-x"])
@example(argv=["list", "-fcsv"])
@example(argv=["--db", "list"])
def test_every_command_line_taken_on_is_read_as_typer_reads_it(argv: list[str]) -> None:
    read = quick.parse(argv)
    if read is None:
        return  # left to the Typer app
    expected_db, expected_name, expected = typer_reading(argv)  # must not be a usage error
    assert registry_path(read[0]) == (Path(expected_db) if expected_db else SHIPPED_REGISTRY)
    assert read[1] == expected_name
    assert plain(with_defaults(expected_name, read[2])) == plain(expected)
    assert typed(expected_name, read[2]) == typed(expected_name, expected)


def test_most_drawn_command_lines_were_taken_on() -> None:
    """The test above is worth something only if it compares many command lines: of
    500 drawn the same way (and the same every run), at least 50 are taken on, some
    with an argument."""
    taken = []

    @settings(max_examples=500, derandomize=True, database=None, deadline=None)
    @given(argv=command_lines())
    def draw(argv: list[str]) -> None:
        taken.append(quick.parse(argv) is not None)

    draw()
    assert len(taken) == 500
    assert sum(taken) >= 50
    assert quick.parse(["show", "12"]) == (None, "show", {"agreement_id": 12})


@pytest.mark.parametrize(
    "argv",
    [
        ["list"],
        ["list", "--kind", "pact", "--kind", "twinning", "-f", "csv"],
        ["list", "--party=metropolitana", "--sort", "end", "--format", "json"],
        ["list", "--status", "expired", "--as-of", "2017-09-01", "-f", "jsonl"],
        ["list", "--sector", "cultura", "--country", "stati"],
        ["expiring"],
        ["expiring", "--as-of", "2017-09-01", "--within", "1y"],
        ["expiring", "--as-of", "2017-09-01", "--within", "1y", "--exit-code", "-f", "csv"],
        ["expiring", "--exit-code"],
        ["expiring", "--within", "tomorrow"],
        ["list", "--as-of", "2017-02-30"],
        ["list", "--kind", "treaty"],
        ["search", "milano", "--as-of", "2017-09-01", "--format", "csv"],
        ["search", "città", "--kind", "pact"],
        ["search", "nowhere"],
        ["show", "1"],
        ["show", "3", "--explain", "--as-of", "2017-09-01"],
        ["show", "2", "-f", "json", "--explain"],
        ["show", "9999"],
        ["history"],
        ["history", "1", "-f", "jsonl"],
        ["kinds"],
        ["kinds", "-f", "csv"],
        ["remind", "--dry-run", "--as-of", "2017-09-01"],
        ["remind", "--dry-run", "--as-of", "2017-09-01", "-f", "json", "--steps", "1y"],
        ["remind", "--sent"],
        ["remind", "--dry-run", "--as-of", "2017-09-01", "--to", "a@example.org"],
        ["report", "--month", "2017-09"],
        ["report", "--as-of", "2017-09-01", "-f", "csv"],
        ["report", "--month", "2017-13"],
        ["export", "--as-of", "2017-09-01"],
        ["export", "-f", "jsonl", "--kind", "pact", "--as-of", "2017-09-01"],
        ["export", "-f", "tsv", "--excel", "--as-of", "2017-09-01"],
    ],
)
def test_the_quick_start_says_what_the_typer_app_says(
    relint: Relint, shipped: Path, monkeypatch: pytest.MonkeyPatch, argv: list[str]
) -> None:
    monkeypatch.setenv("RELINT_TEST_TODAY", "2026-11-22")  # the same day in both processes
    assert quick.parse(argv) is not None  # taken on
    started = subprocess.run(
        [sys.executable, "-m", "relint", *argv], capture_output=True, check=False,
        env=os.environ | {"RELINT_DB": str(shipped)},
    )  # fmt: skip
    full = relint(*argv)
    assert (started.returncode, started.stdout) == (full.code, full.stdout_bytes)
    assert started.stderr.decode() == full.stderr


@pytest.mark.parametrize(
    "argv",
    [["expiring", "--format", "csv"], ["list"], ["show", "1"], ["history"], ["kinds"],
     ["search", "milano"], ["remind", "--dry-run"], ["report"], ["export"]],
)  # fmt: skip
def test_the_quick_start_loads_no_framework(shipped: Path, argv: list[str]) -> None:
    """Nor Rich's console for a table piped, nor Babel."""
    heavy = ("typer", "click", "rich.console", "sqlite_utils", "babel")
    script = (
        "import sys\n"
        f"sys.argv = ['relint', *{argv!r}]\n"
        "from relint.entry import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"print(sorted(m for m in {heavy!r} if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True,
        env=os.environ | {"RELINT_DB": str(shipped)},
    )  # fmt: skip
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_an_empty_relint_db_is_left_to_the_app_to_refuse(shipped: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "relint", "list"], capture_output=True, text=True, check=False,
        env=os.environ | {"RELINT_DB": ""},
    )  # fmt: skip
    assert result.returncode == 2
    assert "RELINT_DB is set but empty" in result.stderr


def test_ctrl_c_during_a_listing_ends_as_in_the_typer_app(
    relint: Relint, shipped: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("relint.cli.answers.listing", interrupted)
    code = quick.run(["list", "-f", "csv"])
    said = capsys.readouterr().err
    full = relint("list", "-f", "csv")
    assert (full.code, full.stderr) == (code, said) == (130, "Interrupted.\n")
