"""The command line: parse options, call the core and the store, choose a renderer.

Each module adds its commands to ``app``; the order of the imports below is the
order of the commands in ``relint --help``.
"""

from relint.cli import care, changes, files, listing  # noqa: F401
from relint.cli.base import app, run

__all__ = ["app", "run"]
