"""Build a registry from a reviewable TOML file: ``python -m relint.build [SOURCE [TARGET]]``.

Each ``[[agreement]]`` table takes the fields ``relint add`` takes, as text, and
is read by the same parsers and rules; ``[[agreement.renewal]]`` tables add
later terms as ``relint renew`` would. Ids follow the order of the file. The
target is replaced only once the whole build has succeeded.
"""

from __future__ import annotations

import os
import sys
import tomllib
from pathlib import Path
from typing import Any

from relint.agreement import Agreement, new_agreement, renew
from relint.dates import parse_date
from relint.durations import parse_duration
from relint.errors import RelintError
from relint.kinds import parse_kind
from relint.store import create, open_registry

DATA = Path(__file__).resolve().parents[2] / "data"
TEXTS = ("title", "party", "country", "source", "notes")
DATES = ("signed", "start", "end")
LISTS = ("sectors", "signatories")
FLAGS = ("renewable", "auto_renew")
KNOWN = {
    "kind",
    "counterpart",
    "duration",
    "notice_days",
    "renewal",
    *TEXTS,
    *DATES,
    *LISTS,
    *FLAGS,
}
RENEWAL_KNOWN = {"start", "duration", "end", "signed"}


def agreement_from(entry: dict[str, Any], number: int) -> Agreement:
    """The agreement an ``[[agreement]]`` table describes, with id ``number``."""
    unknown = set(entry) - KNOWN
    if unknown:
        raise RelintError(f"unknown field(s): {', '.join(sorted(unknown))}")
    fields: dict[str, Any] = {key: entry[key] for key in (*TEXTS, *FLAGS) if key in entry}
    fields |= {key: parse_date(entry[key]) for key in DATES if key in entry}
    fields |= {key: tuple(entry[key]) for key in LISTS if key in entry}
    if "duration" in entry:
        fields["duration"] = parse_duration(entry["duration"])
    if "notice_days" in entry:
        fields["notice_days"] = int(entry["notice_days"])
    agreement = new_agreement(parse_kind(entry["kind"]), entry["counterpart"], id=number, **fields)
    for renewal in entry.get("renewal", []):
        unknown = set(renewal) - RENEWAL_KNOWN
        if unknown:
            raise RelintError(f"unknown renewal field(s): {', '.join(sorted(unknown))}")
        agreement = renew(
            agreement,
            start=parse_date(renewal["start"]) if "start" in renewal else None,
            duration=parse_duration(renewal["duration"]) if "duration" in renewal else None,
            end=parse_date(renewal["end"]) if "end" in renewal else None,
            signed=parse_date(renewal["signed"]) if "signed" in renewal else None,
        )
    return agreement


def build(source: Path, target: Path) -> int:
    """Write the registry ``source`` describes to ``target``; return how many agreements."""
    entries = tomllib.loads(source.read_text(encoding="utf-8")).get("agreement", [])
    agreements = []
    for number, entry in enumerate(entries, start=1):
        try:
            agreements.append(agreement_from(entry, number))
        except (RelintError, KeyError) as error:
            raise RelintError(f"{source}: agreement {number}: {error}") from None
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
    finally:
        partial.unlink(missing_ok=True)
    return len(agreements)


def main(argv: list[str]) -> int:
    source = Path(argv[0]) if argv else DATA / "agreements.toml"
    target = Path(argv[1]) if len(argv) > 1 else DATA / "registry.db"
    try:
        count = build(source, target)
    except (RelintError, OSError, tomllib.TOMLDecodeError) as error:
        print(f"Error: {error}", file=sys.stderr)
        return 1
    print(f"Built {target} with {count} agreements from {source}.", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
