"""Ctrl-C and SIGTERM held back while a step must not be cut in two."""

import signal
from collections.abc import Iterator
from contextlib import contextmanager

STOPS = {signal.SIGINT, signal.SIGTERM}


@contextmanager
def held() -> Iterator[None]:
    """Ctrl-C and SIGTERM held back inside the block, and delivered after it."""
    import threading  # here: a command that changes nothing never loads it

    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread receives them
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOPS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
