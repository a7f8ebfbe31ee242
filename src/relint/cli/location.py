"""Where the registry is, and opening it: ``--db``, else ``RELINT_DB``, else the sample
registry shipped with relint, which no command changes."""

from __future__ import annotations

import os
from pathlib import Path

from relint.cli.messages import note
from relint.errors import RelintError
from relint.i18n import _
from relint.store import Registry, open_registry


def _shipped_registry() -> Path:
    """The sample registry shipped with relint: ``data/registry.db`` of the source
    checkout relint runs from, else the copy built into the installed package."""
    checkout = Path(__file__).resolve().parents[3] / "data" / "registry.db"
    if checkout.is_file():
        return checkout
    from importlib.resources import files

    return Path(str(files("relint").joinpath("data", "registry.db")))


SHIPPED_REGISTRY = _shipped_registry()


def registry_path(db: Path | None) -> Path | None:
    """The registry a command works on: ``db`` (from --db), else RELINT_DB, else the
    shipped samples; None when RELINT_DB is set but empty (most likely a script's
    variable left unset, not a wish for the samples), an error to report."""
    if db is not None:
        return db
    if "RELINT_DB" not in os.environ:
        return SHIPPED_REGISTRY
    return Path(os.environ["RELINT_DB"]) if os.environ["RELINT_DB"] else None


def refuse_samples(action: str) -> RelintError:
    """The error for a command that would change the shipped samples, which the next
    update of relint replaces: the office's own registry is a file of its own."""
    return RelintError(
        _(
            "relint {action} would change the sample registry shipped with relint "
            "({SHIPPED_REGISTRY}), which the next update replaces: make the office's own with "
            "relint --db PATH init (or a copy of the samples: relint backup PATH), then give it "
            "with --db PATH or RELINT_DB=PATH"
        ).format(action=action, SHIPPED_REGISTRY=SHIPPED_REGISTRY)
    )


def opened(path: Path, *, check: bool = True, quiet: bool = False) -> Registry:
    """The registry at ``path``, saying so when opening it upgraded its schema (unless
    ``quiet``: only errors on stderr)."""
    registry = open_registry(path, check=check)
    if registry.upgraded_from is not None and not quiet:
        note(
            _("Upgraded the registry's schema; the file as it was is {upgraded_from}").format(
                upgraded_from=registry.upgraded_from
            )
        )
    return registry
