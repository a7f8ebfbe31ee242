"""A quick start for the commands staff run most, ``list`` and ``expiring``.

Importing Typer and building a command costs more than the rest of such a command
together. When a command line is one of these two commands, written with their
options in the plainest way, it is read here and run with the same bodies
(``relint.cli.plain``); anything else, or anything odd (help, a value that looks
like an option, an unknown option, a wrong format, an empty RELINT_DB), goes to the
Typer app, which declares the interface and says what is wrong. ``OPTIONS`` mirrors
the declarations in ``relint.cli.listing``; tests/test_fast.py checks that the two
agree and that both read every command line the same way.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from relint.errors import INTERNAL_ERROR, INTERRUPTED

ONE, MANY, FLAG = "one", "many", "flag"

_FILTERS = {
    "--kind": ("kind", MANY), "--status": ("status", MANY), "--party": ("party", ONE),
    "--country": ("country", ONE), "--sector": ("sector", ONE),
}  # fmt: skip
_FORMAT = {"--format": ("fmt", ONE), "-f": ("fmt", ONE), "--as-of": ("as_of", ONE)}

# command -> option -> (parameter, how many values)
OPTIONS: dict[str, dict[str, tuple[str, str]]] = {
    "list": {**_FILTERS, **_FORMAT, "--sort": ("sort", ONE)},
    "expiring": {**_FORMAT, "--within": ("within", ONE), "--exit-code": ("exit_code", FLAG)},
}
DEFAULTS: dict[str, dict[str, Any]] = {
    "list": {
        "kind": None, "status": None, "party": None, "country": None, "sector": None,
        "as_of": None, "sort": None, "fmt": "table",
    },
    "expiring": {"within": "90d", "as_of": None, "fmt": "table", "exit_code": False},
}  # fmt: skip
FORMATS = ("table", "csv", "json", "jsonl")


def parse(argv: list[str]) -> tuple[Path | None, str, dict[str, Any]] | None:
    """The registry (None: the default), the command and its parameters, as the Typer
    app would read ``argv``; None when this reader does not take it on."""
    args = list(argv)
    db: Path | None = None
    if args and (args[0] == "--db" or args[0].startswith("--db=")):
        if args[0] == "--db":
            if len(args) < 2:
                return None
            value = args[1]
            del args[:2]
        else:
            value = args.pop(0).removeprefix("--db=")
        if not value or value.startswith("-"):
            return None
        db = Path(value)
    if not args or args[0] not in OPTIONS:
        return None
    command, args = args[0], args[1:]
    known = OPTIONS[command]
    params = dict(DEFAULTS[command])
    many: dict[str, list[str]] = {}
    while args:
        token = args.pop(0)
        name, equals, value = token.partition("=") if token.startswith("--") else (token, "", "")
        if name not in known:
            return None
        param, arity = known[name]
        if arity == FLAG:
            if equals:
                return None
            params[param] = True
            continue
        if not equals:
            if not args:
                return None
            value = args.pop(0)
        if value.startswith("-"):
            return None
        if arity == MANY:
            many.setdefault(param, []).append(value)
        else:
            params[param] = value
    params.update(many)
    if params["fmt"] not in FORMATS:
        return None
    return db, command, params


def registry_path(db: Path | None) -> Path | None:
    """The registry to open, as ``relint.cli.base.main_options`` finds it; None when
    RELINT_DB is set but empty, an error the Typer app reports."""
    if db is not None:
        return db
    if "RELINT_DB" not in os.environ:
        from relint.cli.plain import SHIPPED_REGISTRY

        return SHIPPED_REGISTRY
    return Path(os.environ["RELINT_DB"]) if os.environ["RELINT_DB"] else None


def run(argv: list[str]) -> int | None:
    """Run ``argv`` if it is a command line this module takes on; return its exit code,
    or None for the Typer app to run it."""
    parsed = parse(argv)
    if parsed is None:
        return None
    db, command, params = parsed
    path = registry_path(db)
    if path is None:
        return None
    from relint.cli import plain
    from relint.render import Format

    fmt = Format(params.pop("fmt"))
    try:
        registry = plain.opened(path)
        try:
            if command == "list":
                plain.listing(
                    registry.agreements(), **params, fmt=fmt, empty="No agreements match."
                )
                code = 0
            else:
                count = plain.expiring(registry, params["within"], params["as_of"], fmt)
                code = 1 if count and params["exit_code"] else 0
        finally:
            registry.close()
        sys.stdout.flush()  # a full disk is reported here, not as Python exits
        return code
    except KeyboardInterrupt:
        return INTERRUPTED  # as the Typer app ends
    except Exception as error:
        told = plain.explained(error)
        if told is None:
            if plain.debugging():
                raise
            plain.say(plain.unexpected(error))
            return INTERNAL_ERROR
        message, code = told
        plain.say(plain.error_line(message))
        return code
