"""Text helpers shared by matching and display."""

import unicodedata
from collections.abc import Iterable

from relint.errors import RelintError
from relint.i18n import _


def fold(text: str) -> str:
    """``text`` without case or accents, for matching what staff type: "Città" -> "citta"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def storable(value: str) -> str:
    """``value`` as given, if the registry can hold it: text that is valid UTF-8."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        try:  # bytes the command line could not decode: show them as they were
            shown = repr(value.encode("utf-8", "surrogateescape"))
        except UnicodeEncodeError:
            shown = value.encode("ascii", "backslashreplace").decode("ascii")
        raise RelintError(_("not valid UTF-8 text: {shown}").format(shown=shown)) from None
    return value


def printable(text: str) -> str:
    """``text`` safe to print on a terminal: control and format characters shown escaped.

    An escape sequence stored in a record cannot recolour or clear the screen,
    and a right-to-left override cannot reorder the line around it.
    """
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else _escaped(c) for c in text)


_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escaped(char: str) -> str:
    if char in _SHORT:
        return _SHORT[char]
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def suggested(given: str, known: Iterable[str]) -> str:
    """ ", did you mean X?" for the known word nearest to ``given``, if one is near."""
    import difflib  # only for a word not known

    near = difflib.get_close_matches(given, list(known), n=1, cutoff=0.6)
    from relint.i18n import _

    return _("; did you mean {word}?").format(word=near[0]) if near else ""
