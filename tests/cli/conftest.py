"""Fixtures of the command-line tests."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from ..conftest import Relint
from .helpers import SAMPLE, add


@pytest.fixture
def sample(relint: Relint, db: Path) -> Path:
    """Five agreements, one of each status as of 2026-11-22."""
    for line in SAMPLE:
        add(relint, *shlex.split(line))
    return db
