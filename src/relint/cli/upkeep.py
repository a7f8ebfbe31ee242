"""Commands that look after the registry: history, doctor, backup."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from relint.cli import spec
from relint.cli.messages import note
from relint.cli.options import taking
from relint.cli.typer_app import registry, today
from relint.errors import FOUND, Damaged, RelintError
from relint.i18n import _, ngettext
from relint.problems import data_problems
from relint.text import printable

commands = typer.Typer()  # the commands of this module; see relint.cli.typer_app.MODULES


@commands.command("doctor")
@taking(spec.DOCTOR)
def doctor(ctx: typer.Context, as_of: date | None, file_only: bool, quiet: bool) -> None:
    """Check the registry; exit 1 when anything is wrong.

    Runs SQLite's integrity check and the search index's, checks the schema
    version, and lists data problems: unknown ends, ends before starts, notices
    longer than the term, and agreements that may be entered twice. With --file,
    only the file is checked, so that cron can watch its health.
    """
    day = as_of or today(ctx)
    reg = registry(ctx, check=False)
    version, known = reg.schema()
    found = [_("the file: {problem}").format(problem=problem) for problem in reg.problems()]
    if file_only:
        if version != known:
            found.append(
                _("the file: schema version {version}, where this relint knows {known}").format(
                    version=version, known=known
                )
            )
        for line in found:
            typer.echo(printable(line))
        if not quiet:
            note(
                _("{path}: schema version {version}, {problems}.").format(
                    path=reg.path,
                    version=version,
                    problems=_problems(len(found)),
                )
            )
        if found:
            raise typer.Exit(FOUND)
        return
    readable = []
    try:
        ids = reg.ids()
    except Damaged as error:
        found.append(_("the agreements cannot be listed: {cause}").format(cause=error.cause))
        ids = []
    for agreement_id in ids:
        try:
            readable.append(reg.get(agreement_id))
        except Damaged as error:
            found.append(
                _("agreement {id} cannot be read: {cause}").format(
                    id=agreement_id, cause=error.cause
                )
            )
        except RelintError as error:
            found.append(str(error))
    found += data_problems(readable, day)
    for line in found:
        typer.echo(printable(line))
    state = "" if version == known else _(" (this relint knows {known})").format(known=known)
    if not quiet:
        note(
            _("{path}: schema version {version}{state}, {agreements}, {problems}.").format(
                path=reg.path, version=version, state=state,
                agreements=_agreements(len(readable)),
                problems=_problems(len(found)),
            )
        )  # fmt: skip
    if found:
        raise typer.Exit(FOUND)


def _agreements(count: int) -> str:
    if count == 0:
        return _("no agreements")
    return ngettext("{n} agreement", "{n} agreements", count).format(n=count)


def _problems(count: int) -> str:
    if count == 0:
        return _("no problems")
    return ngettext("{n} problem", "{n} problems", count).format(n=count)


@commands.command("backup")
def backup_(
    ctx: typer.Context,
    target: Annotated[Path, typer.Argument(help="The file to write the copy to.", metavar="DEST")],
    force: Annotated[bool, typer.Option("--force", help="Replace DEST if it exists.")] = False,
) -> None:
    """Copy the registry consistently, even while others write to it.

    Uses SQLite's online backup; the copy appears whole or not at all.
    """
    if target.is_dir():
        raise RelintError(
            _("{target} is a folder: give the name of the copy").format(target=target)
        )
    if not target.parent.is_dir():
        raise RelintError(
            _("cannot write {target}: the folder {parent} does not exist").format(
                target=target, parent=target.parent
            )
        )
    if target.exists() and not force:
        raise RelintError(_("{target} exists: give --force to replace it").format(target=target))
    reg = registry(ctx)
    reg.backup(target, replace=force)
    note(_("Copied {path} to {target}.").format(path=reg.path, target=target))
