"""The real app in a real tmux terminal: ``c`` then Enter lands the update in the tmux buffer,
and a hung clipboard tool never freezes the screen."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from incident_tui.core import operations as ops
from incident_tui.core.clock import FrozenClock
from incident_tui.core.models import EventKind, Severity, TimelineEvent
from incident_tui.core.store import IncidentStore

pytestmark = pytest.mark.e2e

FROZEN = "2026-11-28T14:00:00+00:00"


@pytest.fixture
def tmux() -> Iterator[str]:
    if shutil.which("tmux") is None:
        pytest.skip("needs tmux to drive the app in a real terminal")
    socket = f"itui-clip-{uuid.uuid4().hex[:8]}"
    yield socket
    subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True, check=False)


def _script() -> str:
    found = shutil.which("incident-tui", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.fail("the incident-tui console script is not installed next to this Python")
    return found


def _tmux(socket: str, *args: str) -> str:
    done = subprocess.run(["tmux", "-L", socket, *args], capture_output=True, text=True)
    return done.stdout


def _wait(what: str, check: object, timeout: float = 20.0, socket: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return
        time.sleep(0.05)
    shown = _tmux(socket, "capture-pane", "-p") if socket else ""
    pytest.fail(f"{what} never happened; the screen was:\n{shown}")


@pytest.fixture
def launched(tmux: str, tmp_path: Path) -> Iterator[tuple[IncidentStore, str, Path]]:
    data = tmp_path / "data"
    store = IncidentStore(data, clock=FrozenClock(datetime.fromisoformat(FROZEN)))
    incident = ops.declare(
        store, "Checkout failing", severity=Severity.SEV1, impact="Checkout fails for EU customers"
    ).id
    yield store, incident, data


def _launch(tmux: str, data: Path, tmp_path: Path, extra_path: str = "") -> None:
    env = {
        "INCIDENT_TUI_DATA_DIR": str(data),
        "INCIDENT_TUI_FROZEN_AT": FROZEN,
        "INCIDENT_TUI_STATE_DIR": str(tmp_path / "state"),
        "INCIDENT_TUI_CONFIG_DIR": str(tmp_path / "cfg"),
        "TERM": "xterm-256color",
        "TZ": "UTC",
        "PATH": f"{extra_path}{os.environ.get('PATH', '/usr/bin:/bin')}",
    }
    if extra_path:
        env["DISPLAY"] = ":0"  # the fake tools below hang like a wedged X server
    exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
    command = f"env -u DISPLAY -u WAYLAND_DISPLAY {exports} {shlex.quote(_script())}; sleep 60"
    subprocess.run(
        ["tmux", "-L", tmux, "-f", "/dev/null", "new-session", "-d", "-x", "120", "-y", "36",
         command],
        check=True,
    )  # fmt: skip
    _until_shown(tmux, "Checkout failing")


def _until_shown(socket: str, text: str, timeout: float = 20.0, gone: bool = False) -> None:
    def check() -> bool:
        return (text in _tmux(socket, "capture-pane", "-p")) != gone

    _wait(f"{text!r} {'leaving' if gone else 'appearing'}", check, timeout, socket)


def _comms(data: Path, incident: str) -> list[TimelineEvent]:
    fresh = IncidentStore(data, clock=FrozenClock(datetime.fromisoformat(FROZEN)))
    return fresh.open(incident).record().events_of(EventKind.COMMS)


def test_c_enter_puts_the_update_in_the_tmux_buffer(
    tmux: str, tmp_path: Path, launched: tuple[IncidentStore, str, Path]
) -> None:
    _, incident, data = launched
    _launch(tmux, data, tmp_path)
    _tmux(tmux, "send-keys", "c")
    _until_shown(tmux, "Post an update")
    _tmux(tmux, "send-keys", "Enter")
    _wait("the comms event", lambda: _comms(data, incident))
    event = _comms(data, incident)[-1]
    assert event.data["method"] == "tmux buffer" and event.data["confirmed"] is True
    assert _tmux(tmux, "show-buffer") == event.data["text"]
    # Nothing is overdue yet: the composer opens on the update due first, the internal one.
    assert event.data["audience"] == "internal"
    assert "Checkout failing: investigating" in event.data["text"].splitlines()[0]
    _until_shown(tmux, "Copied via tmux")


def test_a_hung_clipboard_tool_never_freezes_the_screen(
    tmux: str, tmp_path: Path, launched: tuple[IncidentStore, str, Path]
) -> None:
    _, incident, data = launched
    fake = tmp_path / "bin"
    fake.mkdir()
    for name in ("xclip", "xsel"):
        (fake / name).write_text("#!/bin/sh\nsleep 600\n")
        (fake / name).chmod(0o755)
    _launch(tmux, data, tmp_path, extra_path=f"{fake}:")
    _tmux(tmux, "send-keys", "c")
    _until_shown(tmux, "Post an update")
    _tmux(tmux, "send-keys", "Enter")
    pressed = time.monotonic()
    _until_shown(tmux, "Post an update", gone=True)
    _tmux(tmux, "send-keys", "?")  # while xclip hangs, the screen must still answer
    _until_shown(tmux, "Keys (when no text field", timeout=5)
    answered = time.monotonic() - pressed
    assert answered < 1.2, f"the screen took {answered:.2f}s to answer during a hung copy"
    assert _comms(data, incident) == []  # the copy is still waiting on the hung tool
    _wait("the comms event", lambda: _comms(data, incident), timeout=5)
    elapsed = time.monotonic() - pressed
    event = _comms(data, incident)[-1]
    assert event.data["method"] == "tmux buffer"
    assert elapsed < 3.5
    assert _tmux(tmux, "show-buffer") == event.data["text"]
