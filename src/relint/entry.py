"""The ``relint`` console script: small, so that it can set up signals before the rest
of relint is imported."""

import contextlib
import os
import signal
import sys
from types import FrameType

from relint import signals
from relint.errors import INTERNAL_ERROR, INTERRUPTED, TERMINATED, Terminated


def main() -> None:
    # Die quietly when a reader such as `head` stops reading, as other tools do. (A
    # command that writes ignores it once it runs: see relint.cli.base.registry.)
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, _terminate)
    try:
        from relint.cli import fast

        code = fast.run(sys.argv[1:])
        if code is not None:
            sys.exit(code)
        from relint.cli.base import run

        run()
    except KeyboardInterrupt:
        # Ctrl-C while relint starts: nothing was written yet, and a traceback helps no one.
        _say("Interrupted.")
        sys.exit(INTERRUPTED)
    except Terminated:
        _say("Terminated.")
        sys.exit(TERMINATED)
    except Exception as error:  # relint could not start: an import cut short, a broken install
        if os.environ.get("RELINT_DEBUG"):
            raise
        _say(
            f"Error: relint could not start ({type(error).__name__}); "
            "RELINT_DEBUG=1 shows the traceback."
        )
        sys.exit(INTERNAL_ERROR)
    finally:
        # The outcome is decided, and its exit code says it: a signal from now on would
        # only hide it (Python gives signals their default action as it exits).
        signal.pthread_sigmask(signal.SIG_BLOCK, signals.STOPS)


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise Terminated


def _say(line: str) -> None:
    with contextlib.suppress(OSError):
        print(line, file=sys.stderr)
