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
            what = "interrupted"
        else:  # the first clause of a fault's line: what failed, not what to do
            what = _said(error) if expected(error) else _said(error).split(";")[0]
        if isinstance(error, PartlyDone):
            return f"Error: {what}; {error.kept}", COMMITTED
        return f"Error: {what}; but the change was made, and is in the registry", COMMITTED
    assert error is not None, "only a committed command stops with an error of its own"
    if isinstance(error, KeyboardInterrupt):
        return "Interrupted.", INTERRUPTED
    if isinstance(error, Terminated):
        return "Terminated.", TERMINATED
    if starting and isinstance(error, ImportError | SyntaxError):  # a broken install
        return (
            f"Error: relint could not start ({type(error).__name__}); "
            "RELINT_DEBUG=1 shows the traceback.",
            INTERNAL_ERROR,
        )
    return "Error: " + _said(error), BAD_INPUT if expected(error) else INTERNAL_ERROR


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
        return printable(f"cannot write the output: {error}")
    if isinstance(error, UnicodeEncodeError):
        return f"cannot write the output in {error.encoding}: {error.reason}"
    return (
        f"relint failed unexpectedly ({type(error).__name__}{_place(error)}); nothing more is "
        "shown, to keep agreement data private. RELINT_DEBUG=1 shows the traceback."
    )


def _place(error: BaseException) -> str:
    where = error.__traceback__
    while where is not None and where.tb_next is not None:
        where = where.tb_next
    if where is None:
        return ""
    return f" at {Path(where.tb_frame.f_code.co_filename).name}:{where.tb_lineno}"
