"""Kinds of agreement, their Italian names, and each kind's defaults."""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache
from typing import NamedTuple

from relint.durations import PERMANENT, Duration
from relint.errors import RelintError
from relint.i18n import _
from relint.text import fold, suggested


class Kind(StrEnum):
    TWINNING = "twinning"
    COLLABORATION = "collaboration"
    PROTOCOL = "protocol"
    MEMORANDUM = "memorandum"
    PACT = "pact"
    DECLARATION = "declaration"
    OTHER = "other"


ITALIAN = {
    Kind.TWINNING: "gemellaggio",
    Kind.COLLABORATION: "accordo di collaborazione",
    Kind.PROTOCOL: "protocollo d'intesa",
    Kind.MEMORANDUM: "memorandum d'intesa",
    Kind.PACT: "patto di collaborazione",
    Kind.DECLARATION: "dichiarazione",
    Kind.OTHER: "altro",
}

# Other names staff use for the same kinds, matched after folding case and accents.
_SYNONYMS = {
    "accordo": Kind.COLLABORATION,
    "accordo di cooperazione": Kind.COLLABORATION,
    "collaborazione": Kind.COLLABORATION,
    "protocollo": Kind.PROTOCOL,
    "protocollo di intesa": Kind.PROTOCOL,
    "memorandum of understanding": Kind.MEMORANDUM,
    "mou": Kind.MEMORANDUM,
    "memorandum di intesa": Kind.MEMORANDUM,
    "patto": Kind.PACT,
    "dichiarazione di intenti": Kind.DECLARATION,
}


def _key(name: str) -> str:
    return " ".join(fold(name).replace("\u2019", "'").replace("d'", "di ").split())


_NAMES = {_key(name): kind for kind in Kind for name in (kind.value, ITALIAN[kind])} | {
    _key(name): kind for name, kind in _SYNONYMS.items()
}

ACCEPTED = ", ".join(f"{kind.value} ({ITALIAN[kind]})" for kind in Kind)


@lru_cache(maxsize=256)
def parse_kind(text: str) -> Kind:
    """Read a kind by its English or Italian name, in any case, with any apostrophe."""
    key = _key(text)
    if key in _NAMES:
        return _NAMES[key]
    raise RelintError(
        _("unknown kind {text!r}{NAMES}; use one of: {ACCEPTED}").format(
            text=text, NAMES=suggested(key, _NAMES), ACCEPTED=ACCEPTED
        )
    )


# A named tuple, not a dataclass: made ten times faster, as every command starts.
class KindDefaults(NamedTuple):
    """What an agreement of a kind is taken to be when its record does not say."""

    duration: Duration | None
    renewable: bool
    renewal: Duration | None = None  # each term after the first (None: as the first)


# The office's rules from its own pages: twinnings are permanent; collaboration
# agreements are biennial and renewable "where the common purpose persists".
DEFAULTS: dict[Kind, KindDefaults] = {
    kind: KindDefaults(duration=None, renewable=False) for kind in Kind
} | {
    Kind.TWINNING: KindDefaults(duration=PERMANENT, renewable=False),
    Kind.COLLABORATION: KindDefaults(duration=Duration(24), renewable=True, renewal=Duration(24)),
}
