"""The formula guard of spreadsheet exports: what it adds, it takes back exactly."""

from hypothesis import given
from hypothesis import strategies as st

from relint.writers import guard, unguard


@given(st.text())
def test_unguard_gives_back_what_guard_was_given(cell: str) -> None:
    assert unguard(guard(cell)) == cell
    assert not guard(cell).startswith(("=", "+", "@", "\t", "\r")) or cell == guard(cell)
