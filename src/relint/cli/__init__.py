"""The command line: parse options, call the core and the store, choose a renderer.

``base`` holds the app and its frame; ``listing``, ``changes``, ``files`` and ``care``
define the commands, each loaded only when one of its commands runs (see
``base.COMMANDS``).
"""

from relint.cli.base import app, run

__all__ = ["app", "run"]
