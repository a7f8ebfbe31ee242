"""Click's own words in the language chosen.

The Click that Typer carries writes "Usage: ", "Error: " and its usage errors ("No such
option", "Missing option", "Invalid value for ...") as fixed English text, not through
gettext. ``install`` has its usage line and its error lines say them through relint's
catalog: each English sentence is read back by its pattern and said again in the
language chosen; English is said as Click says it.
"""

from __future__ import annotations

import re
from typing import IO, Any

from typer._click import core, exceptions, formatting
from typer._click.utils import echo

from relint.i18n import N_, _, language

# Click's sentences, as patterns of their English, and each as a message to translate.
SENTENCES = tuple(
    (re.compile(pattern, re.DOTALL), message)
    for pattern, message in (
        (r"Invalid value for (?P<hint>.+?): (?P<message>.*)",
         N_("Invalid value for {hint}: {message}")),
        (r"Invalid value: (?P<message>.*)", N_("Invalid value: {message}")),
        (r"Missing option (?P<name>.+?)\.(?P<rest>.*)", N_("Missing option {name}.{rest}")),
        (r"Missing argument (?P<name>.+?)\.(?P<rest>.*)", N_("Missing argument {name}.{rest}")),
        (r"Missing parameter: (?P<name>.+)", N_("Missing parameter: {name}")),
        (r"No such option: (?P<name>\S+) Did you mean (?P<word>\S+)\?",
         N_("No such option: {name}. Did you mean {word}?")),
        (r"No such option: (?P<name>\S+) \(Possible options: (?P<words>.+)\)",
         N_("No such option: {name} (possible options: {words})")),
        (r"No such option: (?P<name>\S+)", N_("No such option: {name}")),
        (r"Option (?P<name>\S+) requires an argument\.", N_("Option {name} requires an argument.")),
        (r"Option (?P<name>\S+) does not take a value\.",
         N_("Option {name} does not take a value.")),
        (r"(?P<value>\S+) is not in the range (?P<range>.+)\.",
         N_("{value} is not in the range {range}.")),
        (r"Option (?P<name>\S+) requires (?P<count>\d+) arguments\.",
         N_("Option {name} requires {count} arguments.")),
        (r"Got unexpected extra argument(?:s|\(s\))? \((?P<words>.*)\)",
         N_("Got unexpected extra arguments ({words})")),
        (r"Could not open file (?P<name>.+?): (?P<message>.*)",
         N_("Could not open file {name}: {message}")),
        (r"(?P<value>'.*') is not one of (?P<choices>.+)\.",
         N_("{value} is not one of {choices}.")),
        (r"(?P<value>'.*') is not a valid int range\.", N_("{value} is not a whole number.")),
        (r"(?P<value>'.*') is not a valid integer\.", N_("{value} is not a whole number.")),
    )
)  # fmt: skip


HELP = N_("Show this message and exit.")  # the help of --help
# The help of Typer's --install-completion and --show-completion, which relint's help
# says in the language chosen (see spoken).
COMPLETION = (
    N_("Install completion for the current shell."),
    N_("Show completion for the current shell, to copy it or customize the installation."),
)
OPTIONS = N_("[OPTIONS]")  # in a usage line
# What an option or argument takes, in a usage line and the help (its metavar).
METAVARS = (
    N_("ADDR"), N_("DATE"), N_("DAYS"), N_("DUR"), N_("FIELD"), N_("FILE"), N_("KIND"),
    N_("SPAN"), N_("STATUS"), N_("STEPS"), N_("TEXT"), N_("YYYY-MM"), N_("ID"), N_("[ID]"),
    N_("DEST"), N_("QUERY"), N_("PATH"), N_("NAME"), N_("HOST[:PORT]"), N_("URL"),
)  # fmt: skip
SUBCOMMAND = N_("COMMAND [ARGS]...")


def spoken(command: Any) -> Any:
    """``command`` with its help, its options' and its arguments' in the language chosen."""
    if language() == "en":
        return command
    if command.help:
        command.help = _(command.help)
    command.options_metavar = _(OPTIONS)
    if getattr(command, "subcommand_metavar", None):
        command.subcommand_metavar = _(SUBCOMMAND)
    for param in command.params:
        if getattr(param, "help", None):
            param.help = _(param.help)
        if getattr(param, "metavar", None):
            param.metavar = _(param.metavar)
    return command


def said(sentence: str) -> str:
    """Click's ``sentence`` in the language chosen (as it is, in English)."""
    if language() == "en":
        return sentence
    for pattern, message in SENTENCES:
        if found := pattern.fullmatch(sentence):
            parts = {key: said(value) for key, value in found.groupdict().items()}
            return _(message).format(**parts)
    return sentence


def install() -> None:
    """Have Click's usage line and error lines speak the language chosen."""
    write_usage = formatting.HelpFormatter.write_usage

    def usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        write_usage(self, prog, args, _("Usage: ") if prefix is None else prefix)

    formatting.HelpFormatter.write_usage = usage  # type: ignore[method-assign]
    help_option = core.Command.get_help_option

    def translated_help(self: Any, ctx: Any) -> Any:
        option = help_option(self, ctx)
        if option is not None and option.help == HELP:
            option.help = _(HELP)
        return option

    core.Command.get_help_option = translated_help  # type: ignore[method-assign]
    exceptions.ClickException.show = _show  # type: ignore[method-assign]
    exceptions.UsageError.show = _show_usage  # type: ignore[method-assign]


def _show(self: exceptions.ClickException, file: IO[Any] | None = None) -> None:
    echo(_("Error: {message}").format(message=said(self.format_message())), err=file is None,
         file=file)  # fmt: skip


def _show_usage(self: exceptions.UsageError, file: IO[Any] | None = None) -> None:
    color = None
    if self.ctx is not None:
        hint = ""
        if self.ctx.command.get_help_option(self.ctx) is not None:
            hint = (
                _("Try '{command} {option}' for help.").format(
                    command=self.ctx.command_path, option=self.ctx.help_option_names[0]
                )
                + "\n"
            )
        color = self.ctx.color
        echo(f"{self.ctx.get_usage()}\n{hint}", err=file is None, file=file, color=color)
    echo(_("Error: {message}").format(message=said(self.format_message())), err=file is None,
         file=file, color=color)  # fmt: skip
