"""Build the sample registry from a reviewable TOML file:
``python -m relint.samples [SOURCE [TARGET]]`` (by default, ``data/agreements.toml``
into ``data/registry.db``).

Each ``[[agreement]]`` table takes the fields of the record (but its id), read as an
import reads them; ``[[agreement.renewal]]`` tables add later terms as ``relint
renew`` would. Ids follow the order of the file. The target is replaced only once
the whole build has succeeded.
"""

from __future__ import annotations

import os
import sys
import tomllib
from pathlib import Path
from typing import Any

from relint.agreement import RECORD, Agreement, new_agreement, renew
from relint.cli.messages import say
from relint.errors import DONE, RelintError
from relint.failures import debugging, expected, told
from relint.i18n import _
from relint.imports import parse_values
from relint.store import create, open_registry
from relint.values import DATE, DURATION

DATA = Path(__file__).resolve().parents[2] / "data"
# The fields ``relint add`` takes, and the later terms.
KNOWN = {f.name for f in RECORD if f.spec.option is not None} | {"renewal"}
RENEWAL = {"start": DATE, "duration": DURATION, "end": DATE, "signed": DATE}


def agreement_from(entry: dict[str, Any], number: int) -> Agreement:
    """The agreement an ``[[agreement]]`` table describes, with id ``number``."""
    unknown = set(entry) - KNOWN
    if unknown:
        raise RelintError(
            _("unknown field(s): {unknown}").format(unknown=", ".join(sorted(unknown)))
        )
    fields = parse_values({key: value for key, value in entry.items() if key != "renewal"})
    agreement = new_agreement(fields.pop("kind"), fields.pop("counterpart"), id=number, **fields)
    for renewal in entry.get("renewal", []):
        unknown = set(renewal) - set(RENEWAL)
        if unknown:
            raise RelintError(
                _("unknown renewal field(s): {unknown}").format(unknown=", ".join(sorted(unknown)))
            )
        agreement = renew(
            agreement, **{key: RENEWAL[key].read(value) for key, value in renewal.items()}
        )
    return agreement


def build(source: Path, target: Path) -> int:
    """Write the registry ``source`` describes to ``target``; return how many agreements."""
    try:
        text = source.read_text(encoding="utf-8")
    except OSError as error:
        raise RelintError(
            _("cannot read {source}: {strerror}").format(source=source, strerror=error.strerror)
        ) from None
    except UnicodeDecodeError:
        raise RelintError(_("{source} is not UTF-8 text").format(source=source)) from None
    try:
        entries = tomllib.loads(text).get("agreement", [])
    except tomllib.TOMLDecodeError as error:
        raise RelintError(f"{source}: {error}") from None
    agreements = []
    for number, entry in enumerate(entries, start=1):
        try:
            agreements.append(agreement_from(entry, number))
        except (RelintError, KeyError) as error:
            raise RelintError(
                _("{source}: agreement {number}: {error}").format(
                    source=source, number=number, error=error
                )
            ) from None
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        create(partial)
        registry = open_registry(partial)
        with registry.transaction():
            for agreement in agreements:
                registry.insert(agreement)
        registry.close()
        os.replace(partial, target)
    except OSError as error:
        raise RelintError(
            _("cannot write {target}: {strerror}").format(target=target, strerror=error.strerror)
        ) from None
    finally:
        partial.unlink(missing_ok=True)
    return len(agreements)


def main(argv: list[str]) -> int:
    source = Path(argv[0]) if argv else DATA / "agreements.toml"
    target = Path(argv[1]) if len(argv) > 1 else DATA / "registry.db"
    try:
        count = build(source, target)
    except Exception as error:
        if not expected(error) and debugging():
            raise
        message, code = told(error)
        say(message)
        return code
    say(f"Built {target} with {count} agreements from {source}.")
    return DONE


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
