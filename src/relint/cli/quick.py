"""A quick start for the commands staff run most, ``list`` and ``expiring``.

Importing Typer and building a command costs more than the rest of such a command
together. When a command line is one of these two commands, written with their
options in the plainest way, it is read here, by the same declarations the Typer
commands are built from (``relint.cli.spec``), and run with the same bodies
(``relint.cli.answers``); anything else, or anything odd (help, a value that looks
like an option, an unknown option or format, a value the options refuse, an empty
RELINT_DB), goes to the Typer app, which says what is wrong.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from relint.cli import spec
from relint.errors import DONE, FOUND, RelintError

COMMANDS: dict[str, spec.Declared] = {"list": spec.LIST, "expiring": spec.EXPIRING}
# command -> flag -> the option it gives
OPTIONS = {
    name: {flag: option for option in spec.options_of(declared) for flag in option.flags}
    for name, declared in COMMANDS.items()
}


def parse(argv: list[str]) -> tuple[Path | None, str, dict[str, Any]] | None:
    """The registry option (None: not given), the command and the texts of its options,
    as the Typer app would read ``argv``; None when this reader does not take it on."""
    args = list(argv)
    db: Path | None = None
    while args and args[0].startswith("--"):  # the options before the command
        name, equals, value = args[0].partition("=")
        if name not in ("--db", "--lang"):
            return None
        if equals:
            del args[0]
        elif len(args) < 2:
            return None
        else:
            value = args[1]
            del args[:2]
        if not value or value.startswith("-"):
            return None
        if name == "--db":
            db = Path(value)  # --lang: already in use (see relint.entry)
    if not args or args[0] not in OPTIONS:
        return None
    command, args = args[0], args[1:]
    known = OPTIONS[command]
    given: dict[str, Any] = {}
    while args:
        token = args.pop(0)
        name, equals, value = token.partition("=") if token.startswith("--") else (token, "", "")
        option = known.get(name)
        if option is None:
            return None
        if option.switch:
            if equals:
                return None
            given[option.param] = True
            continue
        if not equals:
            if not args:
                return None
            value = args.pop(0)
        if value.startswith("-") or (option.choices and value not in option.choices):
            return None
        if option.many:
            given.setdefault(option.param, []).append(value)
        else:
            given[option.param] = value
    return db, command, given


def run(argv: list[str]) -> int | None:
    """Run ``argv`` if it is a command line this module takes on; return its exit code,
    or None for the Typer app to run it. What fails is for the caller to tell."""
    read = parse(argv)
    if read is None:
        return None
    db, command, given = read
    from relint.cli.location import registry_path

    path = registry_path(db)
    if path is None:
        return None
    if spec.broken(COMMANDS[command], given) is not None:
        return None  # the Typer app says what is wrong, in its words
    try:
        values = spec.parsed(COMMANDS[command], given)
    except RelintError:
        return None  # the Typer app says what is wrong, in its words
    from relint import clock
    from relint.cli import answers
    from relint.cli.location import opened

    today = clock.today()
    registry = opened(path, quiet=bool(values.get("quiet")))
    try:
        if command == "list":
            answers.listing(
                registry, registry.agreements(), **values, today=today, empty=answers.NO_MATCH
            )
            code = DONE
        else:
            exit_code = values.pop("exit_code")
            count = answers.expiring(registry, **values, today=today)
            code = FOUND if count and exit_code else DONE
    finally:
        registry.close()
    sys.stdout.flush()  # a full disk is reported here, not as Python exits
    return code
