"""The one error type for what the user did wrong."""


class RelintError(Exception):
    """Bad input or an unusable registry: shown as one line on stderr, exit code 1."""

    exit_code = 1
