"""The command line's frame: the Typer app, the registry a command opens, the day it
runs.

An error in a command ends in ``RegistryGroup.invoke``, told as ``relint.failures.told``
says; usage errors exit 2, as Typer does.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Annotated, Any, NoReturn, TypeVar

import typer
from typer.core import TyperGroup
from typer.main import get_command_from_info
from typer.models import CommandInfo

from relint import __version__, clock, i18n
from relint.agreement import Agreement
from relint.cli import clickwords, spec
from relint.cli.location import registry_path
from relint.cli.options import taking
from relint.cli.session import Session, ended
from relint.i18n import _
from relint.render import console as render_console
from relint.store import Registry

# Every command, in the order help lists them.
COMMANDS = (
    "list", "search", "expiring", "remind", "show", "add", "edit", "renew", "give-notice",
    "suspend", "resume", "terminate", "remove", "restore", "report", "export", "import",
    "history", "doctor", "backup", "init", "kinds", "serve",
)  # fmt: skip
# The module of relint.cli that declares each command not built from spec.COMMANDS. A
# command's module is imported, and its options built, only when it runs: a command
# starts without the cost of the others.
MODULES = {
    "add": "edits", "edit": "edits", "renew": "edits", "give-notice": "edits",
    "suspend": "edits", "resume": "edits", "terminate": "edits", "remove": "edits",
    "restore": "edits", "init": "edits", "import": "files", "doctor": "upkeep",
    "backup": "upkeep", "serve": "serving",
}  # fmt: skip


class RegistryGroup(TyperGroup):
    """Ends a command that fails as ``relint.failures.told`` says: one line on stderr,
    and the exit code (3 once a change was committed)."""

    def list_commands(self, ctx: Any) -> list[str]:
        """The commands in the order of ``COMMANDS``, as help shows them."""
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        """The command named ``cmd_name``, built on first use from ``spec.COMMANDS`` or its
        module."""
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            if cmd_name in spec.COMMANDS:
                info = declared(cmd_name, spec.COMMANDS[cmd_name])
            else:
                typed = importlib.import_module(f"relint.cli.{MODULES[cmd_name]}").commands
                (info,) = (i for i in typed.registered_commands if i.name == cmd_name)
            self.commands[cmd_name] = clickwords.spoken(
                get_command_from_info(info, pretty_exceptions_short=True, rich_markup_mode=None)
            )
        return self.commands.get(cmd_name)

    def get_help(self, ctx: Any) -> str:
        """relint's help, in the language chosen."""
        clickwords.spoken(self)
        return str(super().get_help(ctx))

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        """The command ``args`` name; for a name not known, the nearest known one, said."""
        name = args[0] if args else ""
        known = name in COMMANDS or name.startswith("-") or ctx.resilient_parsing  # completing
        if name and not known:
            from relint.text import suggested

            hint = suggested(name, COMMANDS).removeprefix("; ")
            if hint:
                said = i18n._("No such command {name!r}.").format(name=name)
                ctx.fail(f"{said} {hint[0].upper()}{hint[1:]}")
        return super().resolve_command(ctx, args)

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        clickwords.spoken(self)  # its usage line, said in an error before any help
        ctx.meta[COMMAND_LINE] = ["relint", *args]  # for the audit trail
        return super().parse_args(ctx, args)

    def invoke(self, ctx: Any) -> Any:
        try:
            result = super().invoke(ctx)
            sys.stdout.flush()  # a full disk is reported here, not as Python exits
            return result
        except typer.Exit as done:
            if done.exit_code == 0 or not _committed(ctx):
                raise
            end(ctx, None)
        except (typer.TyperException, typer.Abort):
            if _committed(ctx):
                end(ctx, None)
            raise  # a usage error, or a confirmation refused: Typer reports it
        except BaseException as error:
            end(ctx, error)


def declared(name: str, command: spec.Command) -> CommandInfo:
    """The Typer command ``name`` that runs the body of ``command`` with the options it
    declares (``relint.cli.options.taking``); the body's docstring is its help."""
    body = command.function()

    def run(ctx: typer.Context, **values: Any) -> None:
        code = body(session(ctx), **values)
        if code:
            raise typer.Exit(code)

    run.__doc__ = body.__doc__
    settings = {"ignore_unknown_options": True} if command.loose else None
    typed = typer.Typer()
    typed.command(name, context_settings=settings)(taking(command.declared)(run))
    (info,) = typed.registered_commands
    return info


def made(ctx: Any) -> None:
    """Record that the command made its change outside a registry's transaction (it
    created the registry): what fails after this exits 3, as after a commit."""
    session(ctx).made = True


def _committed(ctx: Any) -> bool:
    """Whether the command committed a change."""
    root = ctx.find_root().obj
    return isinstance(root, Session) and root.committed


def end(ctx: Any, error: BaseException | None) -> NoReturn:
    """End a command that failed with ``error`` (None: it exited with an error code
    after its change was committed), as ``relint.cli.session.ended`` says."""
    raise typer.Exit(ended(error, committed=_committed(ctx)))


def stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


clickwords.install()  # Click's usage line and errors, in the language chosen

app = typer.Typer(
    cls=RegistryGroup,
    name="relint",
    help="A register of international agreements, with expiry and renewal alerts.",
    no_args_is_help=True,
    add_completion=True,  # relint --install-completion: Tab completes commands and options
    # -h beside --help, for every command (inherited by their contexts).
    context_settings={"help_option_names": ["--help", "-h"]},
    pretty_exceptions_show_locals=False,
    # Plain Click errors and help: a usage error ends in one "Error: ..." line,
    # like relint's own, and help needs no Rich at start-up.
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"relint {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    db: Annotated[
        Path | None,
        typer.Option(
            "--db",
            envvar="RELINT_DB",
            metavar="PATH",
            help="Registry file (default: RELINT_DB, else the shipped samples, read-only).",
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            metavar="it|en",
            help="The language to speak (default: RELINT_LANG, the settings' lang, the locale).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """A register of international agreements, with expiry and renewal alerts."""
    try:  # in use already when relint started from its console script; chosen again for
        # a command run in the same process (tests), which must not inherit the last one's
        i18n.use(i18n.chosen(["--lang", lang] if lang is not None else []))
    except i18n.UnknownLanguage as error:
        raise typer.BadParameter(str(error).partition(": ")[2], param_hint="--lang") from None
    path = registry_path(db)
    if path is None:
        raise typer.BadParameter(_("RELINT_DB is set but empty"), param_hint="RELINT_DB")
    ctx.obj = Session(
        path, samples=db is None, now=clock.now(), command_line=ctx.meta.get(COMMAND_LINE, [])
    )
    ctx.call_on_close(ctx.obj.close)


COMMAND_LINE = "relint.command_line"


def session(ctx: typer.Context) -> Session:
    """The run of the command ``ctx`` belongs to."""
    root: Session = ctx.find_root().obj
    return root


def today(ctx: typer.Context) -> date:
    """The day the command runs, where relint runs."""
    return session(ctx).today


def registry(ctx: typer.Context, action: str | None = None, *, check: bool = True) -> Registry:
    """The registry the command works on (see ``Session.registry``)."""
    return session(ctx).registry(action, check=check, quiet=bool(ctx.params.get("quiet")))


def described(agreement: Agreement, day: date) -> str:
    """The agreement in a few words, as it stands on ``day``."""
    agreement = agreement.in_force(day)
    status = agreement.status(day)
    ends = _("ends {end}").format(end=agreement.end) if agreement.end else _("no end date")
    return _("{kind} with {counterpart} ({ends}, {status})").format(
        kind=i18n.shown("kind", agreement.kind.value), counterpart=agreement.counterpart,
        ends=ends, status=i18n.shown("status", status.value),
    )  # fmt: skip


T = TypeVar("T")


def progress(items: Iterable[T], description: str, *, size: int | None) -> Iterable[T]:
    """``items``, with a progress bar on stderr when it is a terminal and they come from
    a long file (of ``size`` bytes, or from stdin when None)."""
    if not sys.stderr.isatty() or (size is not None and size < PROGRESS_FROM):
        return items
    from rich.progress import track

    return track(items, description=description, console=render_console(sys.stderr), transient=True)


PROGRESS_FROM = 16 * 1024  # bytes: a hundred rows or so


def run() -> None:
    """Run the command line; what fails outside a command is for the caller to tell
    (``relint.entry``)."""
    try:
        app(standalone_mode=True)
    finally:
        sys.stdout.flush()  # help and usage errors, written outside any command
