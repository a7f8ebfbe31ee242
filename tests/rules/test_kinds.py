"""Kinds of agreement by their English and Italian names."""

import pytest

from relint.durations import PERMANENT, Duration
from relint.errors import RelintError
from relint.kinds import DEFAULTS, Kind, parse_kind


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("twinning", Kind.TWINNING),
        ("gemellaggio", Kind.TWINNING),
        ("Gemellaggio", Kind.TWINNING),
        ("collaboration", Kind.COLLABORATION),
        ("accordo di collaborazione", Kind.COLLABORATION),
        ("Accordo  di Collaborazione", Kind.COLLABORATION),
        ("protocol", Kind.PROTOCOL),
        ("protocollo d'intesa", Kind.PROTOCOL),
        ("protocollo d\N{RIGHT SINGLE QUOTATION MARK}intesa", Kind.PROTOCOL),
        ("protocollo di intesa", Kind.PROTOCOL),
        ("memorandum", Kind.MEMORANDUM),
        ("memorandum d'intesa", Kind.MEMORANDUM),
        ("pact", Kind.PACT),
        ("patto di collaborazione", Kind.PACT),
        ("declaration", Kind.DECLARATION),
        ("dichiarazione", Kind.DECLARATION),
        ("other", Kind.OTHER),
        ("altro", Kind.OTHER),
    ],
)
def test_kinds_by_english_and_italian_names(text: str, kind: Kind) -> None:
    assert parse_kind(text) is kind


@pytest.mark.parametrize("text", ["", "treaty", "gemellaggi", "twin"])
def test_unknown_kinds_are_refused_with_the_accepted_names(text: str) -> None:
    with pytest.raises(RelintError, match="gemellaggio"):
        parse_kind(text)


def test_the_office_defaults() -> None:
    assert DEFAULTS[Kind.TWINNING].duration == PERMANENT
    assert DEFAULTS[Kind.COLLABORATION].duration == Duration(24)
    assert DEFAULTS[Kind.COLLABORATION].renewable
    assert DEFAULTS[Kind.MEMORANDUM].duration is None
