"""Whole-process timings of everyday commands, beside a peer tool on the same file.

    .venv/bin/python benchmarks/startup.py [RUNS]

Each command runs RUNS times (default 21) after one warm-up; the median and the
spread (fastest, slowest) are printed in milliseconds. The peer is the
sqlite-utils command line, which relint installs, reading the same registry.
Timings depend on the machine and its load: compare rows of one run, not runs.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
REGISTRY = ROOT / "data" / "registry.db"

COMMANDS = {
    "relint --version": [str(BIN / "relint"), "--version"],
    "relint list (table)": [str(BIN / "relint"), "list"],
    "relint list --format json": [str(BIN / "relint"), "list", "--format", "json"],
    "relint expiring": [str(BIN / "relint"), "expiring", "--as-of", "2017-09-01"],
    "relint search citta": [str(BIN / "relint"), "search", "citta", "--format", "csv"],
    "peer: sqlite-utils rows --csv": [str(BIN / "sqlite-utils"), "rows", str(REGISTRY), "agreements", "--csv"],
    "peer: sqlite-utils search": [
        str(BIN / "sqlite-utils"), "search", str(REGISTRY), "agreements", "citta", "--csv",
    ],
    "baseline: python -c pass": [sys.executable, "-c", "pass"],
}  # fmt: skip


def timed(command: list[str], runs: int) -> list[float]:
    # As on a user's machine: bytecode cached after the first run.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["RELINT_DB"] = str(REGISTRY)
    subprocess.run(command, capture_output=True, env=env, check=True)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, env=env, check=True)
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 21
    print(f"{'command':34} {'median':>8} {'fastest':>8} {'slowest':>8}   ({runs} runs, ms)")
    for name, command in COMMANDS.items():
        times = timed(command, runs)
        print(f"{name:34} {statistics.median(times):8.1f} {min(times):8.1f} {max(times):8.1f}")


if __name__ == "__main__":
    main()
