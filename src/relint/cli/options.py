"""The Typer side of the options declared in ``relint.cli.spec``: ``taking`` gives a
command the options it declares, and passes its body their typed values."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from enum import StrEnum
from typing import Annotated, Any, TypeVar

import typer

from relint.cli import spec
from relint.i18n import _

F = TypeVar("F", bound=Callable[..., Any])


def argument(declared: spec.Argument) -> Any:
    """The annotation of the Typer argument that reads ``declared``: an identifier as a
    whole number from 1, as Click checks it; other arguments as text."""
    kind: Any = int if declared.identifier else str
    low, high = (1, spec.LARGEST_ID) if declared.identifier else (None, None)
    return Annotated[
        kind if declared.required else kind | None,
        typer.Argument(help=declared.help, metavar=declared.metavar, min=low, max=high),
    ]


IdArgument = Annotated[
    int,
    typer.Argument(help=spec.ID.help, metavar=spec.ID.metavar, min=1, max=spec.LARGEST_ID),
]  # argument(spec.ID), spelled for type checkers


def parameter(option: spec.Option) -> inspect.Parameter:
    """The Typer parameter that reads ``option`` as text, for ``spec.parsed``."""
    settings: dict[str, Any] = {"help": option.help, "metavar": option.metavar}
    if option.switch:
        annotation: Any = bool if option.default is not None else bool | None
        settings["show_default"] = False
    elif option.many:
        annotation = list[str] | None
    else:
        annotation = str | None if option.default is None else str
    if option.choices:  # an Enum of them: Typer offers choices through Enums
        choices = StrEnum(option.param, {choice: choice for choice in option.choices})  # type: ignore[misc]
        annotation = (
            choices if option.default is not None and not option.by_name else choices | None
        )
        settings.pop("metavar")
    # A format told by the output's name is known only once every option is read.
    default = ... if option.required else None if option.by_name else option.default
    return inspect.Parameter(
        option.param,
        inspect.Parameter.KEYWORD_ONLY,
        default=default,
        annotation=Annotated[annotation, typer.Option(*option.flags, **settings)],
    )


def taking(declared: spec.Declared) -> Callable[[F], F]:
    """A command that takes the arguments and options ``declared``, after its own
    parameters: its body is called with their values parsed (``spec.parsed``), a
    group's as one value."""
    options = spec.options_of(declared)
    arguments = [
        inspect.Parameter(
            item.param,
            inspect.Parameter.POSITIONAL_OR_KEYWORD,
            default=inspect.Parameter.empty if item.required else None,
            annotation=argument(item),
        )
        for item in spec.arguments_of(declared)
    ]
    taken = {item.param for item in declared if not isinstance(item, spec.Check)}

    def decorate(body: F) -> F:
        own = [
            p
            for p in inspect.signature(body, eval_str=True).parameters.values()
            if p.name not in taken and p.kind is not inspect.Parameter.VAR_KEYWORD
        ]
        names = {p.name for p in own}

        def command(**given: Any) -> Any:
            rule = spec.broken(declared, given)
            if rule is not None:
                raise typer.BadParameter(_(rule.message), param_hint=rule.hint)
            mine = {name: value for name, value in given.items() if name in names}
            return body(**mine, **spec.parsed(declared, given))

        command.__name__, command.__doc__ = body.__name__, body.__doc__
        command.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
            [*own, *arguments, *(parameter(option) for option in options)]
        )
        return command  # type: ignore[return-value]

    return decorate
