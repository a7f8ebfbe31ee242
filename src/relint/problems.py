"""What relint doctor finds wrong in the data: the rules, free of the registry."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from relint.agreement import Agreement, Status
from relint.i18n import _, shown
from relint.text import fold


def data_problems(agreements: Iterable[Agreement], as_of: date) -> list[str]:
    """One line for each problem in the records, by agreement id."""
    found: list[tuple[int, str]] = []
    alike: dict[tuple[str, str, str], list[Agreement]] = defaultdict(list)
    for a in agreements:
        name = _("agreement {id} ({kind} with {counterpart})").format(
            id=a.id, kind=shown("kind", a.kind.value), counterpart=a.counterpart
        )
        if a.status(as_of) is Status.UNKNOWN:
            found.append(
                (a.id or 0, _("{name}: its end is not known to the day").format(name=name))
            )
        if a.start and a.end and a.end.latest() < a.start.earliest():
            said = _("{name}: its end {end} is before its start {start}")
            found.append((a.id or 0, said.format(name=name, end=a.end, start=a.start)))
        start, end = a.start.full if a.start else None, a.end.full if a.end else None
        if start and end and a.notice_days is not None and a.notice_days > (end - start).days:
            said = _("{name}: its notice of {days} days is longer than its term")
            found.append((a.id or 0, said.format(name=name, days=a.notice_days)))
        if a.terminated_on is None:
            alike[(fold(a.counterpart).strip(), a.kind.value, fold(a.party or ""))].append(a)
    for group in alike.values():
        if len(group) > 1:
            ids = ", ".join(str(a.id) for a in group)
            first = group[0]
            found.append(
                (
                    first.id or 0,
                    _("agreements {ids} may be the same {kind} with {counterpart}").format(
                        ids=ids,
                        kind=shown("kind", first.kind.value),
                        counterpart=first.counterpart,
                    ),
                )
            )
    return [line for _, line in sorted(found, key=lambda item: item[0])]
