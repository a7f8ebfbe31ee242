"""Whole-process benchmarks of relint beside the tools a user would otherwise reach for.

    .venv/bin/python bench/run.py [--runs N] [--largest N] [--output FILE]

Generates deterministic registries and CSV files of 1,000, 100,000 and 1,000,000
agreements (bench/generate.py) into bench/data/, once; then times each relint
command and its nearest peer on the same file: the sqlite-utils command line,
which uses the same stack, and the sqlite3 shell as the floor. Every timing is
the median of N whole-process runs (default 7) after one warm-up, the commands
compared interleaved so that a busy moment of the machine falls on all of them;
peak memory is the process's maximum resident set. Writes the results, with the
machine and the date, to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from generate import RENEWALS, TACIT_SHARE  # beside this file

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "data"
BIN = Path(sys.executable).parent
RELINT = str(BIN / "relint")
SQLITE_UTILS = str(BIN / "sqlite-utils")
SQLITE3 = shutil.which("sqlite3")
SHIPPED = ROOT / "data" / "registry.db"
TODAY = date.today().isoformat()
WORD = "Chengdu"  # in the shipped registry once, and in about 1 of 30,000 generated ones

# As on a user's machine: bytecode cached after the first run, no colour, no terminal.
ENV = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "RELINT_DB")}
ENV["NO_COLOR"] = "1"

# The rows `relint expiring --within 30d` considers, as a peer's query.
ENDING_SQL = (
    "SELECT * FROM agreements WHERE \"end\" BETWEEN date('now') AND date('now', '+30 days')"
    ' ORDER BY "end"'
)
ENDING_90_SQL = ENDING_SQL.replace("+30 days", "+90 days")
SEARCH_SQL = (
    "SELECT agreements.* FROM agreements_fts JOIN agreements ON agreements.id ="
    f" agreements_fts.rowid WHERE agreements_fts MATCH '{WORD}' ORDER BY rank"
)
COUNTS_SQL = (
    "SELECT party, kind, CASE WHEN \"end\" < date('now') THEN 'expired' ELSE 'other' END"
    " AS status, count(*) FROM agreements GROUP BY party, kind, status"
)


@dataclass
class Run:
    seconds: list[float] = field(default_factory=list)
    peak_kib: int = 0

    @property
    def median_ms(self) -> float:
        return statistics.median(self.seconds) * 1000


@dataclass
class Command:
    label: str
    argv: list[str]
    prepare: Callable[[], None] | None = None  # run, untimed, before each timing


# A process started by this one inherits its peak resident set as its own (Linux keeps the
# high-water mark across fork and exec), so that a child of a harness grown large would
# seem as large: GNU time, small, starts each command and reads its peak.
GNU_TIME = shutil.which("time", path="/usr/bin:/bin")


def timed(command: Command) -> tuple[float, int]:
    """Seconds and peak resident memory (KiB) of one run of ``command``."""
    if command.prepare:
        command.prepare()
    with tempfile.TemporaryFile() as errors, tempfile.NamedTemporaryFile("r") as peak:
        argv = command.argv if GNU_TIME is None else [GNU_TIME, "-f", "%M", "-o", peak.name,
                                                      *command.argv]  # fmt: skip
        start = time.perf_counter()
        process = subprocess.Popen(argv, env=ENV, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1):  # expiring and doctor may say 1 on purpose
            errors.seek(0)
            said = errors.read().decode(errors="replace").strip()
            raise SystemExit(f"{command.label} failed ({code}): {said}")
        measured = peak.read().split()
    return elapsed, int(measured[-1]) if GNU_TIME and measured else usage.ru_maxrss


def compare(commands: list[Command], runs: int) -> list[Run]:
    """Time ``commands`` interleaved: one warm-up each, then ``runs`` rounds."""
    results = [Run() for _ in commands]
    for command in commands:
        timed(command)
    for _ in range(runs):
        for command, result in zip(commands, results, strict=True):
            seconds, peak = timed(command)
            result.seconds.append(seconds)
            result.peak_kib = max(result.peak_kib, peak)
    return results


# Data


def sheet(count: int) -> Path:
    """The generated CSV of ``count`` agreements, made once."""
    path = DATA / f"agreements-{count}.csv"
    if not path.exists() or path.stat().st_mtime < (HERE / "generate.py").stat().st_mtime:
        DATA.mkdir(exist_ok=True)
        print(f"generating {path.name} ...", file=sys.stderr)
        partial = path.with_suffix(".partial")
        subprocess.run(
            [sys.executable, str(HERE / "generate.py"), str(count), str(partial)], check=True
        )
        partial.replace(path)
    return path


NARROW = ("counterpart", "kind", "start", "duration", "country")  # a staff spreadsheet's


def narrow_sheet(count: int) -> Path:
    """The generated CSV of ``count`` agreements with the columns of ``NARROW`` alone."""
    source = sheet(count)
    path = DATA / f"narrow-{count}.csv"
    if not path.exists() or path.stat().st_mtime < source.stat().st_mtime:
        with (
            source.open(newline="", encoding="utf-8") as rows,
            path.open("w", newline="", encoding="utf-8") as out,
        ):
            writer = csv.writer(out)
            writer.writerow(NARROW)
            writer.writerows([row[c] for c in NARROW] for row in csv.DictReader(rows))
    return path


def registry(count: int) -> Path:
    """A registry holding the generated agreements, made once with relint import."""
    source = sheet(count)
    path = DATA / f"registry-{count}.db"
    if not path.exists() or path.stat().st_mtime < source.stat().st_mtime:
        print(f"importing {source.name} into {path.name} ...", file=sys.stderr)
        partial = DATA / f"registry-{count}.partial.db"
        fresh(partial)
        run_relint("--db", str(partial), "import", str(source))
        partial.replace(path)
    return path


def fresh(path: Path) -> None:
    """An empty registry at ``path``, whatever was there."""
    for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        stale.unlink(missing_ok=True)
    run_relint("--db", str(path), "init")


def run_relint(*args: str) -> None:
    subprocess.run([RELINT, *args], env=ENV, check=True, capture_output=True)


def empty(path: Path) -> Callable[[], None]:
    def remove() -> None:
        for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            stale.unlink(missing_ok=True)

    return remove


# The measures


@dataclass
class Row:
    measure: str
    relint: Run
    relint_label: str
    peer: Run | None
    peer_label: str
    floor: Run | None
    target: str
    met: bool | None
    note: str = ""


def sqlite3_shell(db: Path, sql: str) -> Command | None:
    """The sqlite3 shell running ``sql`` on ``db``: the floor of a query's cost."""
    if SQLITE3 is None:
        return None
    return Command("sqlite3", [SQLITE3, "-csv", "-header", str(db), sql])


def with_floor(commands: list[Command | None]) -> list[Command]:
    return [c for c in commands if c is not None]


# The commands people type, and cron runs, as the start-up measures them: on the shipped
# registry, their output to a pipe.
STARTING = [
    ["list"], ["expiring"], ["expiring", "--format", "csv"], ["search", "milano"],
    ["show", "1"], ["history"], ["kinds"], ["remind", "--dry-run"], ["report"], ["export"],
]  # fmt: skip
HELPED = [["--help"], *([name, "--help"] for name in ("list", "expiring", "search", "show",
          "history", "kinds", "remind", "report", "export", "import", "add", "edit"))]  # fmt: skip
# The floor of a command's start-up: the interpreter and one SQLite query.
FLOOR_SCRIPT = "import sqlite3, sys; sqlite3.connect(sys.argv[1]).execute('SELECT 1').fetchall()"


def startup(runs: int) -> list[Row]:
    """Every command line of ``STARTING`` and ``HELPED`` against `sqlite-utils query` on
    the shipped registry, and the floor, all in one interleaved run."""
    peer = Command("sqlite-utils", [SQLITE_UTILS, "query", str(SHIPPED), ENDING_90_SQL, "--csv"])
    floor = Command("floor", [sys.executable, "-c", FLOOR_SCRIPT, str(SHIPPED)])
    lines = [*STARTING, *HELPED]
    commands = [Command(" ".join(a), [RELINT, "--db", str(SHIPPED), *a]) for a in lines]
    results = compare([peer, floor, *commands], runs)
    peer_run, floor_run = results[:2]
    rows = []
    for argv, run in zip(lines, results[2:], strict=True):
        helping = "--help" in argv
        limit = 1.0 if helping else 0.5
        ratio = run.median_ms / peer_run.median_ms
        rows.append(
            Row(
                f"Start-up: `relint {' '.join(argv)}`, shipped registry",
                run,
                f"`relint {' '.join(argv)}`",
                peer_run,
                "`sqlite-utils query`",
                floor_run,
                f"≤ {limit:g}x peer",
                ratio <= limit,
                f"{run.median_ms - floor_run.median_ms:.0f} ms above the floor",
            )
        )
    return rows


def scale(runs: int, largest: int) -> list[Row]:
    big = registry(largest)
    rows = []
    for measure, args, peer_argv, peer_label, sql in (
        (
            "expiring --within 30d",
            ["expiring", "--within", "30d", "--format", "csv"],
            [SQLITE_UTILS, "query", str(big), ENDING_SQL, "--csv"],
            "`sqlite-utils query`",
            ENDING_SQL,
        ),
        (
            f"search {WORD}",
            ["search", WORD, "--format", "csv"],
            [SQLITE_UTILS, "search", str(big), "agreements", WORD, "--csv"],
            "`sqlite-utils search`",
            SEARCH_SQL,
        ),
    ):
        small = Command("shipped", [RELINT, "--db", str(SHIPPED), *args])
        large = Command("large", [RELINT, "--db", str(big), *args])
        peer = Command("peer", peer_argv)
        floor = sqlite3_shell(big, sql)
        results = compare(with_floor([small, large, peer, floor]), runs)
        ratio = results[1].median_ms / results[0].median_ms
        answer = f"{answers(large):,} rows, against {answers(small):,}"
        rows.append(
            Row(
                f"Scale: `{measure}`, {largest:,} agreements",
                results[1],
                f"{ratio:.2f}x its {results[0].median_ms:.0f} ms on the shipped registry"
                f" ({answer})",
                results[2],
                f"{peer_label} (same file)",
                results[3] if floor else None,
                "≤ 2x shipped",
                ratio <= 2,
            )
        )
    return rows


def answers(command: Command) -> int:
    """How many rows a command's CSV output holds."""
    output = subprocess.run(command.argv, env=ENV, capture_output=True, text=True).stdout
    return max(len(output.splitlines()) - 1, 0)


def per_alert(runs: int, largest: int) -> Row:
    """The cost of each alert `expiring` gives, at a tenth of the largest registry and at
    the largest: the same when the cost follows the answer, not the registry."""
    args = ["expiring", "--within", "30d", "--format", "csv"]
    small = Command("shipped", [RELINT, "--db", str(SHIPPED), *args])
    sizes = (largest // 10, largest)
    commands = [Command(f"{n}", [RELINT, "--db", str(registry(n)), *args]) for n in sizes]
    results = compare([small, *commands], runs)
    alerts = [answers(command) for command in commands]
    costs = [
        (run.median_ms - results[0].median_ms) * 1000 / max(count, 1)
        for run, count in zip(results[1:], alerts, strict=True)
    ]
    ratio = costs[1] / costs[0]
    return Row(
        f"Cost per alert: `expiring --within 30d`, {sizes[0]:,} and {sizes[1]:,} agreements",
        results[2],
        f"{costs[1]:.0f} µs an alert ({alerts[1]:,} alerts) at {sizes[1]:,}, {ratio:.2f}x the"
        f" {costs[0]:.0f} µs ({alerts[0]:,} alerts) at {sizes[0]:,}",
        None,
        "",
        None,
        "≤ 1.25x at a tenth of the size",
        ratio <= 1.25,
        "time beyond the shipped registry's, divided by the alerts",
    )


def reminding(runs: int, largest: int) -> Row:
    """`remind` against `expiring` over the same 90 days on the largest registry: the
    ledger is indexed, so that reminding costs what finding the alerts does."""
    big = registry(largest)
    remind = Command("remind", [RELINT, "--db", str(big), "remind", "--dry-run", "-f", "json"])
    expiring = Command(
        "expiring", [RELINT, "--db", str(big), "expiring", "--within", "90d", "-f", "csv"]
    )
    results = compare([remind, expiring], runs)
    ratio = results[0].median_ms / results[1].median_ms
    return Row(
        f"Reminders: `remind --dry-run`, {largest:,} agreements",
        results[0],
        f"{ratio:.2f}x `expiring --within 90d` ({answers(expiring):,} alerts)",
        results[1],
        "`relint expiring --within 90d` (same file)",
        None,
        "≤ 1.25x expiring",
        ratio <= 1.25,
    )


def importing(runs: int, count: int, *, narrow: bool) -> Row:
    source = narrow_sheet(count) if narrow else sheet(count)
    target = DATA / "import-target.db"
    peer_target = DATA / "import-peer.db"
    floor_target = DATA / "import-floor.db"
    relint = Command(
        "relint",
        [RELINT, "--db", str(target), "import", str(source)],
        prepare=lambda: fresh(target),
    )
    peer = Command(
        "sqlite-utils",
        [SQLITE_UTILS, "insert", str(peer_target), "agreements", str(source), "--csv"],
        prepare=empty(peer_target),
    )
    floor = None
    if SQLITE3:
        load = f".import --csv {source} agreements"
        floor = Command("sqlite3", [SQLITE3, str(floor_target), load], prepare=empty(floor_target))
    results = compare(with_floor([relint, peer, floor]), runs)
    for path in (target, peer_target, floor_target):
        empty(path)()
    return Row(
        f"Import: {count:,}-row CSV, {'5 columns' if narrow else 'every column'}, checked,"
        " in one transaction",
        results[0],
        "`relint import`",
        results[1],
        "`sqlite-utils insert --csv` (no checks)",
        results[2] if floor else None,
        "≤ peer",
        results[0].median_ms <= results[1].median_ms,
    )


def import_memory(count: int, baseline: int) -> Row:
    """One import of the largest file: its memory must not grow with the file. Against
    the import of a file ten times smaller, both past the start-up and the caches."""
    target = DATA / "import-target.db"
    runs = []
    for source in (sheet(baseline), sheet(count)):
        fresh(target)
        command = Command("relint", [RELINT, "--db", str(target), "import", str(source)])
        seconds, peak = timed(command)
        runs.append(Run([seconds], peak))
    empty(target)()
    grown = runs[1].peak_kib / runs[0].peak_kib
    return Row(
        f"Import: {count:,}-row CSV, one transaction",
        runs[1],
        "`relint import`",
        None,
        "",
        None,
        "memory flat",
        grown < 1.25,
        f"peak {runs[1].peak_kib / 1024:.0f} MiB, against "
        f"{runs[0].peak_kib / 1024:.0f} MiB for {baseline:,} rows",
    )


def exporting(largest: int, fmt: str) -> Row:
    big = registry(largest)
    relint = Command("relint", [RELINT, "--db", str(big), "export", "--format", fmt])
    flag = {"csv": "--csv", "jsonl": "--nl"}[fmt]
    peer = Command("sqlite-utils", [SQLITE_UTILS, "rows", str(big), "agreements", flag])
    floor = sqlite3_shell(big, "SELECT * FROM agreements") if fmt == "csv" else None
    results = compare(with_floor([relint, peer, floor]), 1)
    peak = results[0].peak_kib / 1024
    ratio = results[0].median_ms / results[1].median_ms
    return Row(
        f"Export: `export --format {fmt}`, {largest:,} agreements",
        results[0],
        "`relint export`",
        results[1],
        f"`sqlite-utils rows {flag}`",
        results[2] if floor else None,
        "≤ 1.5x peer, peak < 100 MiB",
        ratio <= 1.5 and peak < 100,
    )


def workbook(largest: int) -> Row:
    """One export of the largest registry as a workbook, against one of a registry ten
    times smaller: the writer streams, so memory must not grow with the agreements. The
    CSV export of the same file, run after it, is the peer."""
    out = DATA / "export.xlsx"
    runs = []
    for count in (largest // 10, largest):
        argv = [RELINT, "--db", str(registry(count)), "export", "-f", "xlsx", "-o", str(out)]
        seconds, peak = timed(Command("relint", argv))
        runs.append(Run([seconds], peak))
    size = out.stat().st_size
    out.unlink()
    peer = Command("csv", [RELINT, "--db", str(registry(largest)), "export", "-f", "csv"])
    seconds, peak = timed(peer)
    grown = runs[1].peak_kib / runs[0].peak_kib
    return Row(
        f"Export: `export --format xlsx`, {largest:,} agreements",
        runs[1],
        "`relint export --format xlsx`",
        Run([seconds], peak),
        "`relint export --format csv` (same file)",
        None,
        "memory flat",
        grown < 1.25,
        f"peak {runs[1].peak_kib / 1024:.0f} MiB, against {runs[0].peak_kib / 1024:.0f} MiB"
        f" for {largest // 10:,} agreements; a file of {size / 2**20:,.0f} MiB",
    )


def reporting(runs: int, largest: int) -> Row:
    big = registry(largest)
    relint = Command("relint", [RELINT, "--db", str(big), "report"])
    peer = Command("sqlite-utils", [SQLITE_UTILS, "query", str(big), COUNTS_SQL, "--csv"])
    floor = sqlite3_shell(big, COUNTS_SQL)
    results = compare(with_floor([relint, peer, floor]), runs)
    return Row(
        f"Report: `report` (Markdown), {largest:,} agreements",
        results[0],
        "`relint report`",
        results[1],
        "`sqlite-utils query` (its counts alone)",
        results[2] if floor else None,
        "< 3 s",
        results[0].median_ms < 3000,
    )


# The table


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}"
    )


def cell(run: Run | None, label: str = "") -> str:
    if run is None:
        return "—"
    text = f"{run.median_ms:,.0f} ms, {run.peak_kib / 1024:.0f} MiB"
    return f"{label}: {text}" if label else text


def markdown(rows: list[Row], runs: int) -> str:
    lines = [
        "# Benchmark results",
        "",
        f"Measured on {TODAY} by `bench/run.py` on {machine()}.",
        "",
        f"Whole processes; each time is the median of {runs} runs after a warm-up, the commands "
        "compared run interleaved (exports and the largest import: one run). Memory is the peak "
        "resident set. The machine is shared: compare figures of one run, not runs.",
        "",
        f"The generated registries (`bench/generate.py`): about a quarter of the agreements"
        f" ({TACIT_SHARE:.0%} of those that are not twinnings) renew themselves tacitly, for"
        f" {', '.join(RENEWALS)} at a time, and none has been given notice.",
        "",
        "The floor is what the machine cannot go below: for start-up, the interpreter and one"
        " SQLite query (`python -c`); for the others, the sqlite3 shell doing the same work.",
        "",
        "| Measure | relint | Peer | Ratio to peer | Floor | Target | Met |",
        "|---|---|---|---:|---|---|---|",
    ]
    for row in rows:
        ratio = f"{row.relint.median_ms / row.peer.median_ms:.2f}x" if row.peer is not None else "—"
        relint = f"{row.relint_label}: {cell(row.relint)}" + (f"; {row.note}" if row.note else "")
        met = "—" if row.met is None else ("yes" if row.met else "**no**")
        lines.append(
            f"| {row.measure} | {relint} | {cell(row.peer, row.peer_label)} | {ratio} "
            f"| {cell(row.floor)} | {row.target} | {met} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--largest", type=int, default=1_000_000)
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--output", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument(
        "--only",
        choices=["reminding", "workbook", "startup", "exporting", "import-memory", "reporting"],
        help="time these rows alone, and put them in place of theirs in the output",
    )
    options = parser.parse_args()
    if options.only is not None:
        measured = {
            "reminding": lambda: [reminding(options.runs, options.largest)],
            "workbook": lambda: [workbook(options.largest)],
            "startup": lambda: startup(options.runs),
            "exporting": lambda: [exporting(options.largest, f) for f in ("csv", "jsonl")],
            "import-memory": lambda: [
                import_memory(options.largest, max(1000, options.largest // 10))
            ],
            "reporting": lambda: [reporting(options.runs, options.largest)],
        }[options.only]()
        for row in markdown(measured, options.runs).splitlines()[-len(measured) :]:
            print(row)
            replace_row(options.output, row)
        return
    rows = startup(options.runs)
    rows += scale(options.runs, options.largest)
    rows.append(per_alert(options.runs, options.largest))
    rows.append(reminding(options.runs, options.largest))
    for narrow in (True, False):
        rows.append(importing(max(3, options.runs // 2), options.import_rows, narrow=narrow))
    rows.append(import_memory(options.largest, max(1000, options.largest // 10)))
    rows += [exporting(options.largest, fmt) for fmt in ("csv", "jsonl")]
    rows.append(workbook(options.largest))
    rows.append(reporting(options.runs, options.largest))
    table = markdown(rows, options.runs)
    options.output.write_text(table, encoding="utf-8")
    print(table)


def replace_row(path: Path, row: str) -> None:
    """``row`` in place of the row of the same measure in the table at ``path`` (after
    the last row, when it has none)."""
    measure = row.split(" | ")[0]
    lines = path.read_text(encoding="utf-8").splitlines()
    at = [n for n, line in enumerate(lines) if line.split(" | ")[0] == measure]
    if at:
        lines[at[0]] = row
    else:
        last = max(n for n, line in enumerate(lines) if line.startswith("| "))
        lines.insert(last + 1, row)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
