"""The ``cli`` fixture: the real console script against a fresh data dir."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_helpers import Cli


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    """The console script, run against an empty data dir on a frozen clock."""
    return Cli(tmp_path / "data")
