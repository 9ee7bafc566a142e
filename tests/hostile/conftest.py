"""The hostile-input suite: shared fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile_helpers import run


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A data dir holding one incident, INC-20261128-1."""
    path = tmp_path / "data"
    assert run(path, "new", "Checkout errors", "--responder", "ana").code == 0
    return path
