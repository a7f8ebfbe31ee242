"""The formula guard of every CSV relint writes: what it adds, it takes back exactly;
it guards what a spreadsheet could run, and leaves a name after a dash as it is."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relint.writers import guard, unguard

# What can make a cell that starts a formula do something: a digit (a cell, A1), a
# parenthesis (a function), another program (|), another sheet (!), an operator.
RUNS = re.compile(r"[\d()|!\[\]:$&\"=+*/^%<>#@\t\r\n]")


@given(st.text())
def test_unguard_gives_back_what_guard_was_given(cell: str) -> None:
    assert unguard(guard(cell)) == cell


@given(st.text(alphabet=st.sampled_from("=+-@\t\r'aZè1(|! .;,")))
def test_nothing_left_unguarded_could_run(cell: str) -> None:
    out = guard(cell)
    if out != cell:
        assert out == "'" + cell
        return
    if cell[:1] in ("=", "+", "@", "\t", "\r", "-"):
        plain_number = re.fullmatch(r"[+-]?\d+(\.\d*)?", cell) is not None
        assert plain_number or (cell[0] == "-" and not RUNS.search(cell[1:]))


@pytest.mark.parametrize(
    "cell",
    [
        "-Assessore",
        "-Assessore alla cultura",
        "-Assessore alla cultura; Sindaco",
        "-Dott. Rossi",
        "-D'Amico",
        "-Città",
        "-São Paulo",
        "-Veronica",
        "-5",
        "+39",
        "plain",
    ],
)
def test_names_after_a_dash_and_numbers_are_left_alone(cell: str) -> None:
    assert guard(cell) == cell


@pytest.mark.parametrize(
    "cell",
    [
        "=1+1",
        "+Europa",
        "@SUM(1)",
        "-A1",
        "-SUM(1)",
        "-cmd|' /C calc'!A0",
        "-Assessore (delegato)",
        "-TRUE",
        "-falso",
        "- Assessore",
        "-",
        "\tx",
        "'=1",
        "'-Assessore",
    ],
)
def test_what_could_run_gets_an_apostrophe(cell: str) -> None:
    assert guard(cell) == "'" + cell


def test_an_older_guard_on_a_name_is_taken_back() -> None:
    assert unguard("'-Assessore") == "-Assessore"
