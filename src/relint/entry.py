"""The ``relint`` console script: small, so that it can set up signals before the rest
of relint is imported."""

import signal
import sys


def main() -> None:
    # Die quietly when a reader such as `head` stops reading, as other tools do.
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    try:
        from relint.cli import fast

        code = fast.run(sys.argv[1:])
        if code is not None:
            sys.exit(code)
        from relint.cli.base import run

        run()
    except KeyboardInterrupt:
        # Ctrl-C while relint starts: nothing was written yet, and a traceback helps no one.
        print("Interrupted.", file=sys.stderr)
        sys.exit(130)  # as shells report a command stopped by Ctrl-C
