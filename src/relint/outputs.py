"""The files relint writes besides the registry: reports, exports and copies.

Each appears whole or not at all, through a file of its own beside it (two writers at
once each write their own, and the last to finish wins whole); none is ever written
over the registry or the side files that hold part of it; and a copy of the registry
is never more readable than the registry.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from relint import signals
from relint.errors import RelintError
from relint.i18n import _

# The files SQLite keeps beside a registry: the write-ahead log and its shared memory
# hold committed changes not yet in the file; a rollback journal, a change half made.
LOG, SHARED_MEMORY, JOURNAL = "-wal", "-shm", "-journal"
SIDE_FILES = (LOG, SHARED_MEMORY, JOURNAL)


def side_file(path: Path, suffix: str) -> Path:
    """The side file SQLite names ``suffix`` beside the database at ``path``."""
    return path.with_name(path.name + suffix)


def registry_files(registry: Path) -> tuple[Path, ...]:
    """The registry and its side files, named as SQLite names them (beside the file a
    link leads to: relint opens the registry by its real path)."""
    real = registry.resolve()
    return (real, *(side_file(real, side) for side in SIDE_FILES))


def writes_registry(target: Path, registry: Path) -> bool:
    """Whether writing ``target`` would write over the registry at ``registry``: the
    file, one of its side files, or another name (a link) for either, or a side file
    of another name of the registry (a hard link's, which SQLite names after it)."""
    real = target.resolve()
    if any(_same(real, part) for part in registry_files(registry)):
        return True
    side = next((side for side in SIDE_FILES if real.name.endswith(side)), None)
    return side is not None and _same(real.with_name(real.name[: -len(side)]), registry)


def _same(path: Path, other: Path) -> bool:
    if path == other:
        return True
    try:
        return os.path.samefile(path, other)
    except OSError:  # not there: only its name could be it
        return False


def refuse_registry(target: Path, registry: Path) -> None:
    """Raise unless ``target`` can be written without touching the registry."""
    if writes_registry(target, registry):
        raise RelintError(
            _(
                "{target} is the registry {registry}, or one of its side files (-wal, -shm, "
                "-journal): writing there would destroy it; nothing was written"
            ).format(target=target, registry=registry)
        )


def umask() -> int:
    """The process's file-creation mask."""
    mask = os.umask(0o077)
    os.umask(mask)
    return mask


def new_file_mode() -> int:
    """The mode of a new file, as ``open`` would make it."""
    return 0o666 & ~umask()


@contextmanager
def beside(target: Path) -> Iterator[Path]:
    """A new empty file beside ``target``, with a name of its own and readable by its
    owner alone, removed when the block ends (unless renamed by then)."""
    partial = None
    try:
        # A signal between making the file and owning its removal would leave it behind.
        with signals.held():
            import tempfile  # only a command that writes a file: it loads shutil and random

            descriptor, name = tempfile.mkstemp(
                dir=target.parent, prefix=f".{target.name}.", suffix=".partial"
            )
            partial = Path(name)
            os.close(descriptor)
        yield partial
    finally:
        if partial is not None:
            partial.unlink(missing_ok=True)


@contextmanager
def replacing(target: Path, mode: int, *, replace: bool = True) -> Iterator[Path]:
    """A new file beside ``target`` that becomes ``target`` whole, with ``mode``, when
    the block ends; on any error or signal it is removed and ``target`` is left as it
    was. Unless ``replace``, a ``target`` that exists by then is not replaced: the
    block fails with ``FileExistsError``."""
    with beside(target) as partial:
        yield partial
        os.chmod(partial, mode)
        if replace:
            os.replace(partial, target)
        else:
            claim(partial, target)


def claim(made: Path, path: Path) -> None:
    """Give the file ``made`` the name ``path`` in one step that fails, with
    ``FileExistsError``, if something has that name."""
    try:
        os.link(made, path)
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links: claim the name, then fill it
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        os.replace(made, path)


def output_mode(target: Path) -> int:
    """The mode for an output written to ``target``: that of the file it replaces, or
    that of a new file."""
    try:
        return target.stat().st_mode & 0o7777
    except FileNotFoundError:
        return new_file_mode()


def copy_mode(target: Path, registry: Path) -> int:
    """The mode for a copy of ``registry`` at ``target``: no more open than the
    registry, nor than the file it replaces, nor than a new file."""
    mode = registry.stat().st_mode & 0o666 & new_file_mode()
    try:
        return mode & target.stat().st_mode
    except FileNotFoundError:
        return mode


@contextmanager
def destination(path: Path | None, registry: Path, *, bom: bool = False) -> Iterator[TextIO]:
    """stdout, or ``path`` written whole or not at all (through a file of its own beside
    it), never over the ``registry`` or its side files."""
    encoding = "utf-8-sig" if bom else "utf-8"
    if path is None:
        if isinstance(sys.stdout, io.TextIOWrapper):
            sys.stdout.reconfigure(encoding=encoding)
        yield sys.stdout
        return
    with written(path, registry) as made, open(made, "w", encoding=encoding, newline="") as out:
        yield out


@contextmanager
def written(path: Path | None, registry: Path) -> Iterator[Path]:
    """A file for a program to write a binary output to (a workbook) by its name: one of
    its own beside ``path``, which becomes ``path`` whole when the block ends, never the
    ``registry`` or its side files; or, for stdout (``path`` None), a temporary file,
    copied to stdout then. A workbook is not for a terminal: there, it asks for a file."""
    if path is None:
        if sys.stdout.isatty():
            raise RelintError(
                _("a workbook is a file, not text for the terminal: give --output FILE")
            )
        import shutil
        import tempfile

        with tempfile.TemporaryDirectory() as folder:
            made = Path(folder, "output")
            yield made
            sys.stdout.flush()
            with open(made, "rb") as done:
                shutil.copyfileobj(done, sys.stdout.buffer)
            sys.stdout.buffer.flush()
        return
    target = path.resolve()  # through a link, to the file it names
    if target.is_dir():
        raise RelintError(_("{path} is a folder").format(path=path))
    if not target.parent.is_dir():
        raise RelintError(
            _("cannot write {path}: the folder {parent} does not exist").format(
                path=path, parent=target.parent
            )
        )
    refuse_registry(path, registry)
    if target.exists() and not target.is_file():
        # A pipe or a device is written to as it is: there is nothing to replace.
        yield target
        return
    try:
        with replacing(target, output_mode(target)) as partial:
            yield partial
    except OSError as error:  # about the file, not the temporary one beside it
        raise RelintError(
            _("cannot write {path}: {strerror}").format(path=path, strerror=error.strerror)
        ) from None
