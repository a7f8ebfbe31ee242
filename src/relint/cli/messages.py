"""Messages for people, on stderr, where they never mix with data."""

from __future__ import annotations

import codecs
import io
import sys

from relint.text import printable


def note(message: str) -> None:
    """Write ``message`` on stderr, its text escaped (a record may hold control codes)."""
    sys.stderr.write(printable(message) + "\n")
    sys.stderr.flush()


def say(line: str) -> None:
    """Write ``line`` on stderr if it can be written: an error about an error that
    nobody can read must not hide the first one, nor its exit code."""
    try:
        sys.stderr.write(line + "\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


def echo(text: str) -> None:
    """Write ``text`` and a line end on stdout, and flush it, as Click's ``echo`` does: in
    UTF-8 when the locale says ASCII (a locale unset, as under cron), so that an accent
    is written rather than refused."""
    out = sys.stdout
    if isinstance(out, io.TextIOWrapper) and codecs.lookup(out.encoding).name == "ascii":
        out.reconfigure(encoding="utf-8")
    out.write(text + "\n")
    out.flush()
