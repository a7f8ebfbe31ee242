"""One way out: what to tell the user of any error, and the exit code that says it.

Every entry path (the console script, the quick start, the Typer app, the sample
builder) ends a failure with ``told``; the exit codes are those of ``relint.errors``.
"""

from __future__ import annotations

import os
from pathlib import Path

from relint.errors import (
    BAD_INPUT,
    COMMITTED,
    INTERNAL_ERROR,
    INTERRUPTED,
    TERMINATED,
    PartlyDone,
    RelintError,
    Terminated,
)
from relint.i18n import _
from relint.text import printable


def told(
    error: BaseException | None, *, committed: bool = False, starting: bool = False
) -> tuple[str, int]:
    """The lines to write on stderr for ``error`` (None: a command that ``committed``
    stopped with an error code of its own), and the exit code; ``starting``: the
    error came before any command ran, while relint loaded its code.

    An error the user can act on is one line (its text escaped: a path or a value may
    hold a line break), then a line for each of its details; an error that is relint's
    own fault is one line with no values, which could show agreement data. After a
    change was ``committed``, the code says that the change stays.
    """
    if committed:
        if error is None or _stopped(error):
            what = _("interrupted")
        else:  # the first clause of a fault's line: what failed, not what to do
            what = _said(error) if expected(error) else _said(error).split(";")[0]
        if isinstance(error, PartlyDone):
            return _("Error: {what}; {kept}").format(what=what, kept=error.kept), COMMITTED
        said = _("Error: {what}; but the change was made, and is in the registry")
        return said.format(what=what), COMMITTED
    assert error is not None, "only a committed command stops with an error of its own"
    if isinstance(error, KeyboardInterrupt):
        return _("Interrupted."), INTERRUPTED
    if isinstance(error, Terminated):
        return _("Terminated."), TERMINATED
    if starting and isinstance(error, ImportError | SyntaxError):  # a broken install
        said = _("Error: relint could not start ({name}); RELINT_DEBUG=1 shows the traceback.")
        return said.format(name=type(error).__name__), INTERNAL_ERROR
    said = _("Error: {message}").format(message=_said(error))
    return said, BAD_INPUT if expected(error) else INTERNAL_ERROR


def expected(error: BaseException) -> bool:
    """Whether ``error`` is one the user can act on, rather than relint's own fault."""
    return isinstance(error, RelintError | OSError | UnicodeEncodeError)


def debugging() -> bool:
    """Whether RELINT_DEBUG asks for the traceback of relint's own faults."""
    return bool(os.environ.get("RELINT_DEBUG"))


def _stopped(error: BaseException) -> bool:
    return isinstance(error, KeyboardInterrupt | Terminated)


def _said(error: BaseException) -> str:
    if isinstance(error, RelintError):
        return "".join([printable(str(error)), *("\n" + printable(d) for d in error.details)])
    if isinstance(error, OSError):
        return printable(_("cannot write the output: {error}").format(error=error))
    if isinstance(error, UnicodeEncodeError):
        return _("cannot write the output in {encoding}: {reason}").format(
            encoding=error.encoding, reason=error.reason
        )
    said = _(
        "relint failed unexpectedly ({name}{place}); nothing more is shown, to keep agreement"
        " data private. RELINT_DEBUG=1 shows the traceback."
    )
    return said.format(name=type(error).__name__, place=_place(error))


def _place(error: BaseException) -> str:
    where = error.__traceback__
    while where is not None and where.tb_next is not None:
        where = where.tb_next
    if where is None:
        return ""
    return _(" at {file}:{line}").format(
        file=Path(where.tb_frame.f_code.co_filename).name, line=where.tb_lineno
    )
