"""What a command runs with, free of any framework: the registry it works on, the
moment it runs, and how it ends. The Typer app and the quick start give every command
body one ``Session``; the body opens the registry through it, so that the audit
trail, the shipped samples and the exit code after a commit are handled in one place.
"""

from __future__ import annotations

import os
import shlex
import signal
from datetime import date, datetime
from pathlib import Path

from relint import clock
from relint.cli.location import opened, refuse_samples
from relint.cli.messages import say
from relint.errors import RelintError
from relint.failures import debugging, expected, told
from relint.i18n import _
from relint.store import Actor, Registry


class Session:
    """One run of a command: the registry at ``path`` (``samples``: the shipped samples,
    given by default), the moment it runs (UTC, read once) and its ``command_line``,
    for the audit trail."""

    def __init__(
        self, path: Path, *, samples: bool, now: datetime, command_line: list[str]
    ) -> None:
        self.path = path
        self.samples = samples
        self.now = now
        self.command_line = command_line
        self.opened: list[Registry] = []
        self.made = False  # set when the command made a change outside a transaction

    @property
    def today(self) -> date:
        """The day the command runs, where relint runs."""
        return clock.local_date(self.now)

    def registry(
        self, action: str | None = None, *, check: bool = True, quiet: bool = False
    ) -> Registry:
        """The registry the command works on, closed when the session is. A command that
        writes names its ``action``, and what it writes is recorded in the audit trail.
        Only relint doctor opens a damaged file (``check`` off), to say what is wrong;
        ``quiet``: nothing on stderr but errors. The shipped samples are never changed."""
        if action is not None and self.samples:
            raise refuse_samples(action)
        registry = opened(self.path, check=check, quiet=quiet)
        self.opened.append(registry)
        if action is not None:
            changing()
            if registry.read_only:
                raise RelintError(
                    _("{path} is read-only: relint {action} cannot change it").format(
                        path=registry.path, action=action
                    )
                )
            registry.actor = Actor(
                at=self.now.isoformat(timespec="seconds"),
                user=user(),
                command=shlex.join(self.command_line),
                action=action,
            )
        return registry

    @property
    def committed(self) -> bool:
        """Whether the command committed a change."""
        return self.made or any(r.committed for r in self.opened)

    def close(self) -> None:
        for registry in self.opened:
            registry.close()


def ended(error: BaseException | None, *, committed: bool) -> int:
    """Say on stderr how a command failed with ``error`` (None: it stopped with an error
    code after its change was ``committed``), as ``relint.failures.told`` says, and
    return the exit code. RELINT_DEBUG raises a fault instead, unless a change was
    committed: then the exit code that says so comes first."""
    if isinstance(error, Exception) and not (expected(error) or committed) and debugging():
        raise error
    message, code = told(error, committed=committed)
    say(message)
    return code


def changing() -> None:
    """Ready the process for a command that changes something: a reader gone once the
    change is made is an error to report with the exit code that says the change was
    made (see ``ended``), not a silent death by SIGPIPE."""
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_IGN)


def user() -> str:
    """The operating-system user running relint: the account of the process, not the
    USER or LOGNAME variables, which anyone can set."""
    import getpass
    import pwd

    try:
        return pwd.getpwuid(os.getuid()).pw_name
    except (KeyError, OSError):
        return getpass.getuser()
