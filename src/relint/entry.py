"""The ``relint`` console script: small, so that it can set up signals before the rest
of relint is imported, and the one place where what fails outside a command ends."""

import contextlib
import os
import signal
import sys
from types import FrameType

from relint import signals
from relint.cli.messages import say
from relint.errors import USAGE, Terminated
from relint.failures import debugging, expected, told


def main() -> None:
    # Die quietly when a reader such as `head` stops reading, as other tools do. (A
    # command that writes ignores it once it runs: see relint.cli.session.changing.)
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, _terminate)
    try:
        from relint import i18n

        try:  # before Typer is imported: it reads its words as it loads
            i18n.use(i18n.chosen(sys.argv[1:]))
        except i18n.UnknownLanguage as error:
            say(f"Error: {error}")
            sys.exit(USAGE)
        from relint.cli import quick

        code = quick.run(sys.argv[1:])
        if code is None:
            from relint.cli.typer_app import run

            run()
        sys.exit(code)
    except SystemExit:
        raise
    except BaseException as error:  # the quick start's, or one while relint loads
        if isinstance(error, Exception) and not expected(error) and debugging():
            raise
        message, code = told(error, starting=True)
        say(message)
        sys.exit(code)
    finally:
        # The outcome is decided, and its exit code says it: a signal from now on would
        # only hide it (Python gives signals their default action as it exits).
        signal.pthread_sigmask(signal.SIG_BLOCK, signals.STOPS)
        _unwritten_dropped()


def _unwritten_dropped() -> None:
    """Output that could not be written, already told, is dropped: Python would try it
    again as it exits, and say so with a traceback and exit code 120."""
    try:
        sys.stdout.flush()
    except (OSError, ValueError):
        with contextlib.suppress(OSError, ValueError):  # (stdout closed: nothing to drop)
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise Terminated
