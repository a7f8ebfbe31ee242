"""The command line: parse options, call the core and the store, choose a renderer.

``spec`` declares the options as data, and the commands people and cron run most with
their bodies (``answers``, ``reminding``), free of any framework; ``session`` is a
command's run: its registry, its moment, how it ends. ``typer_app`` holds the Typer app
and its frame; ``options`` builds Typer options from ``spec``; ``edits``, ``files``,
``upkeep`` and ``serving`` declare the other commands, each loaded only when one of its
commands runs (see ``typer_app.MODULES``); ``quick`` runs the commands of ``spec``
without loading Typer at all; ``location`` finds the registry and ``messages`` writes to
people. ``app`` and ``run`` are loaded on first use, for the same reason.
"""

from typing import Any

__all__ = ["app", "run"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from relint.cli import typer_app

        return getattr(typer_app, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
