"""The messages ``pybabel extract`` finds in relint's source (see babel.cfg): those
marked ``_()``, ``N_()`` and ``ngettext()``, as its Python extractor finds them, and the
help people read: each command's docstring, and each ``help`` of an option or argument
(a ``help=`` keyword, the third field of a ``relint.cli.spec.Option``, the second of a
``format_option``), and the message of a ``relint.cli.spec.Check``). Only the
catalog's tools import this module.
"""

from __future__ import annotations

import ast
from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any


def extract(
    fileobj: IO[bytes], keywords: Mapping[str, Any], comment_tags: Collection[str],
    options: dict[str, Any],
) -> Iterator[tuple[int, str | None, str, list[str]]]:  # fmt: skip
    """Babel's extraction method for relint's Python files."""
    from babel.messages.extract import extract_python

    source = fileobj.read()
    fileobj.seek(0)
    yield from extract_python(fileobj, keywords, comment_tags, options)  # type: ignore[arg-type,misc]
    for line, text in helps(ast.parse(source)):
        yield line, None, text, []


def helps(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """The help texts in ``tree``, with their lines."""
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and any(_command(d) for d in node.decorator_list):
            doc = ast.get_docstring(node)
            if doc:
                yield node.lineno, doc
        if isinstance(node, ast.Call):
            # A message marked inside an f-string's braces, which gettext's Python
            # extractor does not look into.
            if _name(node.func) in ("_", "N_") and node.args and _text(node.args[0]):
                yield node.args[0].lineno, node.args[0].value  # type: ignore[attr-defined]
            for keyword in node.keywords:
                if keyword.arg == "help" and _text(keyword.value):
                    yield keyword.value.lineno, keyword.value.value  # type: ignore[attr-defined]
            at = {"Option": 2, "format_option": 1, "_switch": 2, "Check": 1}.get(
                _name(node.func) or ""
            )
            if at is not None and len(node.args) > at and _text(node.args[at]):
                yield node.args[at].lineno, node.args[at].value  # type: ignore[attr-defined]


def _command(decorator: ast.expr) -> bool:
    """Whether ``decorator`` makes a command: ``@commands.command(...)``, ``@app.callback()``."""
    return isinstance(decorator, ast.Call) and _name(decorator.func) in ("command", "callback")


def _name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    return node.attr if isinstance(node, ast.Attribute) else None


def _text(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and bool(node.value)
