"""Shared fixtures: a frozen clock, a store in a temp dir, and a fixed local timezone."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from incident_tui.core.clock import FrozenClock
from incident_tui.core.store import IncidentStore

# Times on screen and in exports are local; pin the zone so results do not depend on the host.
os.environ["TZ"] = "UTC"
time.tzset()
os.environ.pop("NO_COLOR", None)

FROZEN_AT = datetime(2026, 11, 28, 14, 0, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _isolated_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Never read or write the real user's data, config or state, even by accident."""
    home = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("INCIDENT_TUI_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("INCIDENT_TUI_CONFIG_DIR", str(home / "config"))
    monkeypatch.setenv("INCIDENT_TUI_STATE_DIR", str(home / "state"))


@pytest.fixture
def clock() -> FrozenClock:
    """A clock frozen at 2026-11-28 14:00:00 UTC."""
    return FrozenClock(FROZEN_AT)


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty data dir, also exported as INCIDENT_TUI_DATA_DIR."""
    path = tmp_path / "data"
    monkeypatch.setenv("INCIDENT_TUI_DATA_DIR", str(path))
    monkeypatch.setenv("INCIDENT_TUI_AUTHOR", "tester")
    yield path


@pytest.fixture
def store(data_dir: Path, clock: FrozenClock) -> IncidentStore:
    """A store over the empty data dir, on the frozen clock."""
    return IncidentStore(data_dir, clock=clock, author="tester")


@pytest.fixture
def tmux_server() -> Iterator[str]:
    """A private tmux server; yields the value ``$TMUX`` has inside it (socket,pid,session)."""
    if shutil.which("tmux") is None:
        pytest.skip("needs tmux (apt install tmux)")
    sock = f"itui-test-{uuid.uuid4().hex[:10]}"  # unique: a killed server may linger briefly
    subprocess.run(["tmux", "-L", sock, "-f", "/dev/null", "new-session", "-d"], check=True)
    try:
        shown = subprocess.run(
            ["tmux", "-L", sock, "display-message", "-p", "#{socket_path},#{pid},0"],
            capture_output=True,
            text=True,
            check=True,
        )
        yield shown.stdout.strip()
    finally:
        subprocess.run(["tmux", "-L", sock, "kill-server"], check=False)
