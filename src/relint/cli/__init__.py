"""The command line: parse options, call the core and the store, choose a renderer.

``base`` holds the Typer app and its frame; ``listing``, ``changes``, ``files`` and
``care`` declare the commands, each loaded only when one of its commands runs (see
``base.COMMANDS``); ``plain`` holds what needs no framework, and ``fast`` runs the
everyday listings without loading Typer at all. ``app`` and ``run`` are loaded on
first use, for the same reason.
"""

from typing import Any

__all__ = ["app", "run"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from relint.cli import base

        return getattr(base, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
