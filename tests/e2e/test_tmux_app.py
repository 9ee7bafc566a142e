"""The installed ``incident-tui`` in a real terminal (tmux): type an event, see another
process's event arrive, quit, and find both in the export."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

WIDTH, HEIGHT = 160, 48


@pytest.fixture
def socket() -> Iterator[str]:
    """A private tmux server, killed afterwards whatever happens."""
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed; it is needed to drive the app in a real terminal")
    name = f"itui-e2e-{uuid.uuid4().hex[:8]}"
    yield name
    subprocess.run(["tmux", "-L", name, "kill-server"], capture_output=True, check=False)


def console_script() -> str:
    """The installed entry point, next to the Python running the tests."""
    path = Path(sys.executable).parent / "incident-tui"
    if not path.exists():
        pytest.fail(f"incident-tui is not installed at {path}")
    return str(path)


def tmux(socket: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["tmux", "-L", socket, *args], capture_output=True, text=True)


def screen(socket: str) -> str:
    return tmux(socket, "capture-pane", "-p", "-t", "app").stdout


def wait_until(what: str, check: Callable[[], bool], socket: str, timeout: float = 20.0) -> None:
    """Poll ``check`` until it holds; fail with the screen as it was."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    pytest.fail(f"{what} did not happen within {timeout}s; the screen was:\n{screen(socket)}")


def test_type_an_event_see_another_process_quit_and_export(socket: str, tmp_path: Path) -> None:
    script = console_script()
    env = {
        **os.environ,
        "INCIDENT_TUI_DATA_DIR": str(tmp_path / "data"),
        "INCIDENT_TUI_AUTHOR": "e2e",
        "TERM": "xterm-256color",
    }
    declared = subprocess.run(
        [script, "new", "Checkout 500s in EU", "--sev", "1", "--responder", "Ana"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    incident_id = declared.stdout.strip().splitlines()[-1]

    command = " ".join(
        [
            "env",
            "-u",
            "COLUMNS",  # Textual would believe these over the real terminal size
            "-u",
            "LINES",
            f"INCIDENT_TUI_DATA_DIR={env['INCIDENT_TUI_DATA_DIR']}",
            "INCIDENT_TUI_AUTHOR=e2e",
            "TERM=xterm-256color",
            script,
        ]
    )
    started = tmux(
        socket, "new-session", "-d", "-s", "app", "-x", str(WIDTH), "-y", str(HEIGHT), command
    )
    assert started.returncode == 0, started.stderr
    wait_until(
        "the app drew the incident",
        lambda: "Timeline ·" in screen(socket) and incident_id in screen(socket),
        socket,
    )

    tmux(socket, "send-keys", "-t", "app", "t")
    wait_until("the event dialog opened", lambda: "New timeline event" in screen(socket), socket)
    tmux(socket, "send-keys", "-t", "app", "-l", "typed in tmux [b]literally[/b]")
    tmux(socket, "send-keys", "-t", "app", "Enter")
    wait_until(
        "the typed event appeared",
        lambda: (
            "typed in tmux [b]literally[/b]" in screen(socket)
            and "New timeline event" not in screen(socket)
        ),
        socket,
    )

    subprocess.run(
        [script, "log", "logged from a second shell", "--author", "other"],
        env=env,
        capture_output=True,
        check=True,
    )
    wait_until(
        "the other process's event appeared",
        lambda: "logged from a second shell" in screen(socket),
        socket,
        timeout=5.0,
    )

    tmux(socket, "send-keys", "-t", "app", "q")
    wait_until(
        "the app quit",
        lambda: tmux(socket, "has-session", "-t", "app").returncode != 0,
        socket,
    )

    exported = subprocess.run(
        [script, "export", incident_id], env=env, capture_output=True, text=True, check=True
    )
    assert "typed in tmux" in exported.stdout  # Markdown escapes the brackets
    assert "logged from a second shell" in exported.stdout


def test_keys_typed_while_a_large_incident_is_read_are_all_kept(
    socket: str, tmp_path: Path
) -> None:
    """t, the text and Enter typed while 100,000 events are still being read: the event is
    saved once the incident is in, with nothing typed lost and no letter run as a key."""
    sys.path.insert(0, str(Path(__file__).parents[1] / "bench"))
    from seeding import seed

    data = tmp_path / "data"
    incident_id = seed(data, 100_000)
    script = console_script()
    command = " ".join(
        [
            *("env", "-u", "COLUMNS", "-u", "LINES", f"INCIDENT_TUI_DATA_DIR={data}"),
            *("INCIDENT_TUI_AUTHOR=e2e", "TERM=xterm-256color", script),
        ]
    )
    started = tmux(
        socket, "new-session", "-d", "-s", "app", "-x", str(WIDTH), "-y", str(HEIGHT), command
    )
    assert started.returncode == 0, started.stderr
    wait_until("the first frame", lambda: "reading…" in screen(socket), socket, timeout=30.0)
    tmux(socket, "send-keys", "-t", "app", "t")
    tmux(socket, "send-keys", "-t", "app", "-l", "typed early: dep pool ok")
    tmux(socket, "send-keys", "-t", "app", "Enter")
    assert "reading…" in screen(socket)  # all of it went in before the incident was read
    wait_until(
        "the typed event appeared",
        lambda: (
            "typed early: dep pool ok" in screen(socket)
            and "New timeline event" not in screen(socket)
        ),
        socket,
        timeout=30.0,
    )
    tmux(socket, "send-keys", "-t", "app", "q")
    wait_until("the app quit", lambda: tmux(socket, "has-session").returncode != 0, socket)
    shown = subprocess.run(
        [script, "show", incident_id, "--json"],
        env={**os.environ, "INCIDENT_TUI_DATA_DIR": str(data)},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    record = json.loads(shown)
    typed = [e for e in record["events"] if e["text"] == "typed early: dep pool ok"]
    assert len(typed) == 1 and typed[0]["kind"] == "note"
    assert len(record["events"]) == 100_000 + 5  # the seed, the 4 rows of its declaration, ours
    assert record["decisions"] == [] and record["incident"]["status"] == "investigating"
