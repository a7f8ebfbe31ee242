"""Whole-process timings of everyday commands, beside a peer tool on the same file.

    .venv/bin/python benchmarks/run.py [RUNS]

Each command runs RUNS times (default 11) after one warm-up, on the shipped
registry and on a generated one of 10,000 agreements; the median and the spread
(fastest, slowest) are printed in milliseconds. The peer is the sqlite-utils
command line, which relint installs, reading the same file. Timings depend on
the machine and its load: compare rows of one run, not runs.
"""

from __future__ import annotations

import csv
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
RELINT = str(BIN / "relint")
PEER = str(BIN / "sqlite-utils")


def commands(registry: Path) -> dict[str, list[str]]:
    db = str(registry)
    return {
        "relint --version": [RELINT, "--version"],
        "relint list (table, piped)": [RELINT, "--db", db, "list"],
        "relint list --format csv": [RELINT, "--db", db, "list", "--format", "csv"],
        "relint expiring --within 1y": [RELINT, "--db", db, "expiring", "--as-of", "2017-09-01",
                                        "--within", "1y"],
        "relint search citta": [RELINT, "--db", db, "search", "citta", "--format", "csv"],
        "relint export (csv)": [RELINT, "--db", db, "export"],
        "relint report (html)": [RELINT, "--db", db, "report", "--month", "2023-05", "-f", "html"],
        "peer: sqlite-utils rows --csv": [PEER, "rows", db, "agreements", "--csv"],
        "peer: sqlite-utils search --csv": [PEER, "search", db, "agreements", "citta", "--csv"],
        "baseline: python -c pass": [sys.executable, "-c", "pass"],
    }  # fmt: skip


def timed(command: list[str], runs: int) -> list[float]:
    # As on a user's machine: bytecode cached after the first run.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(command, capture_output=True, env=env, check=True)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, env=env, check=True)
        times.append((time.perf_counter() - start) * 1000)
    return times


def generated(folder: Path, count: int) -> Path:
    """A registry of ``count`` collaboration agreements, made with relint import."""
    sheet = folder / "agreements.csv"
    with sheet.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["counterpart", "kind", "signed", "party", "country", "sectors", "notes"])
        for n in range(count):
            signed = f"{2000 + n % 25}-{1 + n % 12:02d}-{1 + n % 28:02d}"
            writer.writerow([f"Città {n}", "collaboration", signed, "Comune di Milano", "Italia",
                             "cultura; turismo", "nota " * 20])  # fmt: skip
    registry = folder / "registry.db"
    subprocess.run([RELINT, "--db", str(registry), "init"], check=True, capture_output=True)
    subprocess.run([RELINT, "--db", str(registry), "import", str(sheet)], check=True,
                   capture_output=True)  # fmt: skip
    return registry


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 11
    with tempfile.TemporaryDirectory() as folder:
        for label, registry in (
            ("shipped registry (35 agreements)", ROOT / "data" / "registry.db"),
            ("generated registry (10,000 agreements)", generated(Path(folder), 10_000)),
        ):
            print(f"\n{label}")
            print(f"{'command':34} {'median':>8} {'fastest':>8} {'slowest':>8}   ({runs} runs, ms)")
            for name, command in commands(registry).items():
                times = timed(command, runs)
                print(
                    f"{name:34} {statistics.median(times):8.1f} {min(times):8.1f} {max(times):8.1f}"
                )


if __name__ == "__main__":
    main()
