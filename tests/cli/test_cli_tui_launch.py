"""The commands that open the full-screen app, run for real in a tmux terminal."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_helpers import FROZEN, Cli, console_script

pytestmark = pytest.mark.e2e


@pytest.fixture
def tmux() -> Iterator[str]:
    """A private tmux server socket name, killed afterwards."""
    if shutil.which("tmux") is None:
        pytest.fail("tmux is not installed; it is needed to drive the app in a real terminal")
    socket = f"incident-tui-cli-{uuid.uuid4().hex[:8]}"
    yield socket
    subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True, check=False)


def launch(socket: str, args: list[str], env: dict[str, str]) -> None:
    exports = " ".join(f"{key}={shlex.quote(value)}" for key, value in env.items())
    command = f"env {exports} {shlex.join([*console_script(), *args])}; echo EXIT=$?; sleep 60"
    subprocess.run(
        ["tmux", "-L", socket, "new-session", "-d", "-x", "120", "-y", "35", command],
        check=True,
    )


def screen(socket: str) -> str:
    done = subprocess.run(
        ["tmux", "-L", socket, "capture-pane", "-p"], capture_output=True, text=True, check=False
    )
    return done.stdout


def wait_for(socket: str, text: str, timeout: float = 20.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        shown = screen(socket)
        if text in shown:
            return shown
        time.sleep(0.2)
    pytest.fail(f"{text!r} never appeared; the screen was:\n{screen(socket)}")


def quit_app(socket: str) -> str:
    subprocess.run(["tmux", "-L", socket, "send-keys", "C-q"], check=True)
    return wait_for(socket, "EXIT=")


def test_demo_opens_the_app_on_a_seeded_incident_and_cleans_up(tmux: str, tmp_path: Path) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    launch(tmux, ["demo"], {"TMPDIR": str(scratch), "TERM": "xterm-256color", "TZ": "UTC"})
    shown = wait_for(tmux, "Checkout errors")
    assert "SEV-1" in shown
    assert list(scratch.glob("incident-tui-demo-*")), "the demo data dir should exist while open"
    assert "EXIT=0" in quit_app(tmux)
    assert not list(scratch.glob("incident-tui-demo-*")), "the demo data dir was left behind"


@pytest.mark.parametrize(
    ("args", "expected_id", "expected_title"),
    [
        ([], "INC-20261128-2", "Payments queue is backing up"),
        (["open", "inc-20261128-1"], "INC-20261128-1", "Older incident"),
    ],
)
def test_opening_the_app_on_an_incident(
    tmux: str, tmp_path: Path, args: list[str], expected_id: str, expected_title: str
) -> None:
    """No command: the latest open incident; ``open ID``: that one."""
    cli = Cli(tmp_path / "data")
    cli("new", "Older incident")
    cli("new", "Payments queue is backing up", "--sev", "1")
    env = {
        "INCIDENT_TUI_DATA_DIR": str(cli.data_dir),
        "INCIDENT_TUI_FROZEN_AT": FROZEN,
        "TERM": "xterm-256color",
        "TZ": "UTC",
    }
    launch(tmux, args, env)
    shown = wait_for(tmux, expected_title)
    assert expected_id in shown
    assert "EXIT=0" in quit_app(tmux)
