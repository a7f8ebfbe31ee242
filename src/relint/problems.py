"""What relint doctor finds wrong in the data: the rules, free of the registry."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from relint.agreement import Agreement, Status
from relint.text import fold


def data_problems(agreements: Iterable[Agreement], as_of: date) -> list[str]:
    """One line for each problem in the records, by agreement id."""
    found: list[tuple[int, str]] = []
    alike: dict[tuple[str, str, str], list[Agreement]] = defaultdict(list)
    for a in agreements:
        name = f"agreement {a.id} ({a.kind.value} with {a.counterpart})"
        if a.status(as_of) is Status.UNKNOWN:
            found.append((a.id or 0, f"{name}: its end is not known to the day"))
        if a.start and a.end and a.end.latest() < a.start.earliest():
            found.append((a.id or 0, f"{name}: its end {a.end} is before its start {a.start}"))
        start, end = a.start.full if a.start else None, a.end.full if a.end else None
        if start and end and a.notice_days is not None and a.notice_days > (end - start).days:
            found.append(
                (a.id or 0, f"{name}: its notice of {a.notice_days} days is longer than its term")
            )
        if a.terminated_on is None:
            alike[(fold(a.counterpart).strip(), a.kind.value, fold(a.party or ""))].append(a)
    for group in alike.values():
        if len(group) > 1:
            ids = ", ".join(str(a.id) for a in group)
            first = group[0]
            found.append(
                (
                    first.id or 0,
                    f"agreements {ids} may be the same {first.kind.value} with {first.counterpart}",
                )
            )
    return [line for _, line in sorted(found, key=lambda item: item[0])]
