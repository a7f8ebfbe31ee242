"""The view of one agreement piped, drawn without Rich's console, is Rich's own."""

from __future__ import annotations

import io
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relint import i18n, render
from relint.agreement import Agreement, new_agreement, renew
from relint.dates import PartialDate
from relint.durations import Duration
from relint.kinds import Kind

# Text as records hold it: wide and combining characters, spaces at either end, quotes.
texts = st.text(
    st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from(["城", "é", "\u0301", " "]),
    max_size=30,
)


@st.composite
def agreements(draw: st.DrawFn) -> Agreement:
    signed = draw(st.dates(date(1950, 1, 1), date(2040, 12, 31)))
    agreement = new_agreement(
        draw(st.sampled_from(list(Kind))),
        draw(texts.filter(lambda text: any(char.isalnum() for char in text))),
        id=draw(st.integers(1, 10**6)),
        title=draw(texts) or None,
        country=draw(texts) or None,
        party=draw(texts) or None,
        signed=PartialDate(signed.year, signed.month, signed.day),
        sectors=tuple(draw(st.lists(texts.filter(str.strip), max_size=3))),
        notes=draw(texts) or None,
        auto_renew=draw(st.booleans()),
    )
    if draw(st.booleans()) and agreement.end is not None and agreement.end.full is not None:
        agreement = renew(agreement, duration=Duration(draw(st.integers(1, 60))))
    return agreement


def drawn(agreement: Agreement, day: date, *, rich: bool, monkeypatch: pytest.MonkeyPatch) -> str:
    """``show``'s view of ``agreement`` into a pipe: by Rich, or without it."""
    out = io.StringIO()
    with monkeypatch.context() as patched:
        patched.setattr(render, "terminal", lambda out: rich)  # Rich's console: not a terminal
        render.draw_agreement(agreement, day, out)
    return out.getvalue()


@settings(max_examples=150, deadline=None)
@given(
    agreement=agreements(),
    day=st.dates(date(1950, 1, 1), date(2060, 12, 31)),
    lang=st.sampled_from(["en", "it"]),
)
def test_the_piped_view_is_richs(agreement: Agreement, day: date, lang: str) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        i18n.use(lang)
        try:
            plain = drawn(agreement, day, rich=False, monkeypatch=monkeypatch)
            assert plain == drawn(agreement, day, rich=True, monkeypatch=monkeypatch)
        finally:
            i18n.use("en")
