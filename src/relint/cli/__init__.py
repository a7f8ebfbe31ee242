"""The command line: parse options, call the core and the store, choose a renderer.

``spec`` declares the options as data; ``typer_app`` holds the Typer app and its frame;
``options`` builds Typer options from ``spec``; ``views``, ``edits``, ``files`` and
``upkeep`` declare the commands, each loaded only when one of its commands runs (see
``typer_app.COMMANDS``); ``quick`` runs the everyday listings without loading Typer at all,
with the bodies of ``answers``; ``location`` finds the registry and ``messages``
writes to people. ``app`` and ``run`` are loaded on first use, for the same reason.
"""

from typing import Any

__all__ = ["app", "run"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from relint.cli import typer_app

        return getattr(typer_app, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
