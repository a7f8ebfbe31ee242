"""A quick start for the commands people and cron run most (``spec.COMMANDS``).

Importing Typer and building a command costs more than the rest of such a command
together. When a command line is one of these commands, written with its arguments
and options in the plainest way, it is read here, by the same declarations the Typer
commands are built from (``relint.cli.spec``), and run with the same body and
``Session``; anything else, or anything odd (help, a value that looks like an option,
an unknown option or format, a value the options refuse, an empty RELINT_DB), goes
to the Typer app, which says what is wrong.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from relint.cli import spec
from relint.errors import DONE, RelintError

COMMANDS = spec.COMMANDS
# command -> flag -> the option it gives
OPTIONS = {
    name: {flag: option for option in spec.options_of(c.declared) for flag in option.flags}
    for name, c in COMMANDS.items()
}


def parse(argv: list[str]) -> tuple[Path | None, str, dict[str, Any]] | None:
    """The registry option (None: not given), the command and the values of its
    arguments (typed) and options (texts), as the Typer app would read ``argv``; None
    when this reader does not take it on."""
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
    arguments = list(spec.arguments_of(COMMANDS[command].declared))
    given: dict[str, Any] = {}
    while args:
        token = args.pop(0)
        if not token.startswith("-"):  # an argument
            if not arguments:
                return None
            argument = arguments.pop(0)
            typed = spec.identifier(token) if argument.identifier else token
            if typed is None:
                return None
            given[argument.param] = typed
            continue
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
    if any(argument.required for argument in arguments):
        return None
    return db, command, given


def run(argv: list[str]) -> int | None:
    """Run ``argv`` if it is a command line this module takes on, and return its exit
    code (what failed said on stderr); None for the Typer app to run it."""
    read = parse(argv)
    if read is None:
        return None
    db, name, given = read
    from relint.cli.location import registry_path

    path = registry_path(db)
    if path is None:
        return None
    command = COMMANDS[name]
    if spec.broken(command.declared, given) is not None:
        return None  # the Typer app says what is wrong, in its words
    try:
        values = spec.parsed(command.declared, given)
    except RelintError:
        return None  # the Typer app says what is wrong, in its words
    from relint import clock
    from relint.cli.session import Session, ended

    samples = db is None and "RELINT_DB" not in os.environ
    session = Session(path, samples=samples, now=clock.now(), command_line=["relint", *argv])
    try:
        code = command.function()(session, **values)
        sys.stdout.flush()  # a full disk is reported here, not as Python exits
    except SystemExit:
        raise
    except BaseException as error:
        return ended(error, committed=session.committed)
    finally:
        session.close()
    if code and session.committed:
        return ended(None, committed=True)
    return code or DONE
