"""What can go wrong, and the exit codes that say so (the README's table); the errors
become messages and codes in one place, ``relint.failures.told``."""

DONE = 0
BAD_INPUT = 1  # bad input or an unusable registry: nothing was changed
FOUND = 1  # expiring --exit-code listed something; doctor found a problem
USAGE = 2  # a missing or unknown option, a value of the wrong type (Click's own code)
COMMITTED = 3  # the change was made and committed, but what followed it failed
INTERNAL_ERROR = 70  # EX_SOFTWARE: a fault in relint, not in what the user gave it
INTERRUPTED = 130  # Ctrl-C, as shells report it: a change in progress is rolled back
TERMINATED = 143  # SIGTERM, as shells report it: a change in progress is rolled back


class RelintError(Exception):
    """Bad input or an unusable registry: shown as one line on stderr (then one line
    for each of its ``details``, such as the wrong rows of a file), exit code 1."""

    def __init__(self, message: str, details: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.details = details


class PartlyDone(RelintError):
    """A command that committed part of its work, then failed: ``kept`` says what stays
    (in place of "the change was made"), and the exit code is 3."""

    def __init__(self, message: str, kept: str) -> None:
        super().__init__(message)
        self.kept = kept


class RegistryError(RelintError):
    """The registry cannot be used as it is; the store raises one of the kinds below
    for what SQLite reports, so that no caller reads SQLite's wording."""


class Busy(RegistryError):
    """Another process kept the registry locked past the busy timeout."""


class ReadOnly(RegistryError):
    """The registry, or its folder or side files, cannot be written."""


class Damaged(RegistryError):
    """The file is damaged: a page, an index or a stored value. ``cause`` says what
    SQLite found, in a few words."""

    def __init__(self, message: str, cause: str) -> None:
        super().__init__(message)
        self.cause = cause


class NotARegistry(RegistryError):
    """The file is not a relint registry (not SQLite, or another program's database)."""


class NewerSchema(RegistryError):
    """The registry was written by a newer relint."""


class DiskFull(RegistryError):
    """The disk that holds the registry is full."""


class Terminated(BaseException):
    """The process was asked to stop (SIGTERM): raised where it runs, so that a change
    in progress is rolled back and a file half written is removed, as on Ctrl-C."""
