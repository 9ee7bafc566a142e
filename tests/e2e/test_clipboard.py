"""The clipboard chain against real tools: xclip under Xvfb, a tmux buffer, dead displays."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from incident_tui.core.clipboard import copy_text

pytestmark = pytest.mark.e2e

TEXT = "Identified\n\nWe have identified the issue affecting EU checkout. ✓ <b>*x*</b>"


def _free_display() -> int:
    for number in range(140, 400):
        lock = Path(f"/tmp/.X{number}-lock")
        sock = Path(f"/tmp/.X11-unix/X{number}")
        if not lock.exists() and not sock.exists():
            return number
    raise RuntimeError("no free X display number")


@pytest.fixture(scope="module")
def xvfb() -> Iterator[str]:
    if shutil.which("Xvfb") is None or shutil.which("xclip") is None:
        pytest.skip("needs Xvfb and xclip (apt install xvfb xauth xclip)")
    number = _free_display()
    proc = subprocess.Popen(
        ["Xvfb", f":{number}", "-nolisten", "tcp", "-screen", "0", "640x480x24"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    sock = Path(f"/tmp/.X11-unix/X{number}")
    deadline = time.monotonic() + 10
    while not sock.exists() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    if not sock.exists():
        proc.kill()
        pytest.fail(f"Xvfb :{number} did not start")
    try:
        yield f":{number}"
    finally:
        proc.terminate()
        proc.wait(5)


def _env(**changes: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "TMUX")}
    env.update(changes)
    return env


def _assert_private_file(path: Path | None, text: str) -> None:
    assert path is not None and path.read_text(encoding="utf-8") == text
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_xclip_round_trip_under_xvfb(xvfb: str, tmp_path: Path) -> None:
    env = _env(DISPLAY=xvfb)
    result = copy_text(TEXT, env=env, state_dir=tmp_path)
    assert result.confirmed == "xclip", result.summary()
    pasted = subprocess.run(
        ["xclip", "-selection", "clipboard", "-out"], env=env, capture_output=True, timeout=5
    )
    assert pasted.stdout.decode() == TEXT
    _assert_private_file(result.file_path, TEXT)
    assert result.summary().startswith("Copied via xclip")


@pytest.fixture
def tmux_env(tmux_server: str) -> dict[str, str]:
    return _env(TMUX=tmux_server)


def test_tmux_buffer_round_trip(tmux_env: dict[str, str], tmp_path: Path) -> None:
    result = copy_text(TEXT, env=tmux_env, state_dir=tmp_path)
    assert result.confirmed == "tmux buffer", result.summary()
    shown = subprocess.run(["tmux", "show-buffer"], env=tmux_env, capture_output=True, timeout=5)
    assert shown.stdout.decode() == TEXT
    _assert_private_file(result.file_path, TEXT)


def test_stale_display_falls_through_to_tmux_quickly(
    tmux_env: dict[str, str], tmp_path: Path
) -> None:
    if shutil.which("xclip") is None:
        pytest.skip("needs xclip")
    env = dict(tmux_env, DISPLAY=":99")  # no X server there
    if Path("/tmp/.X11-unix/X99").exists():
        pytest.skip("something is listening on :99")
    started = time.monotonic()
    result = copy_text(TEXT, env=env, state_dir=tmp_path)
    elapsed = time.monotonic() - started
    assert elapsed < 3
    assert result.attempts[0].method == "xclip" and not result.attempts[0].ok
    assert result.confirmed == "tmux buffer"


def _fake_hung_tools(tmp_path: Path) -> str:
    """A PATH whose xclip and xsel never answer, like a wedged X server."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name in ("xclip", "xsel"):
        script = bin_dir / name
        script.write_text("#!/bin/sh\nsleep 600\n")
        script.chmod(0o755)
    return f"{bin_dir}:{os.environ.get('PATH', '/usr/bin:/bin')}"


def test_hung_display_falls_through_within_3s(tmux_env: dict[str, str], tmp_path: Path) -> None:
    env = dict(tmux_env, DISPLAY=":0", PATH=_fake_hung_tools(tmp_path))
    started = time.monotonic()
    result = copy_text(TEXT, env=env, state_dir=tmp_path / "state")
    elapsed = time.monotonic() - started
    assert elapsed < 3, result.attempts
    assert result.attempts[0].method == "xclip" and "no answer" in result.attempts[0].detail
    assert [a.method for a in result.attempts] == ["xclip", "tmux buffer"]  # xsel not waited on
    assert result.confirmed == "tmux buffer"
    # The hung tool was killed, not left sleeping.
    leftover = subprocess.run(["pgrep", "-f", str(tmp_path / "bin")], capture_output=True)
    assert leftover.stdout == b""


def test_nothing_confirmed_still_writes_the_file(tmp_path: Path) -> None:
    env = _env(PATH=_fake_hung_tools(tmp_path), DISPLAY=":0")
    state = tmp_path / "state"
    state.mkdir(mode=0o755)
    (state / "last-update.txt").write_text("old")
    (state / "last-update.txt").chmod(0o644)
    started = time.monotonic()
    result = copy_text(TEXT, env=env, state_dir=state, timeout=0.5)
    assert time.monotonic() - started < 3
    assert result.confirmed is None and result.wants_osc52
    assert result.method == "file"
    _assert_private_file(result.file_path, TEXT)
    assert (
        "Clipboard not confirmed" in result.summary() and str(result.file_path) in result.summary()
    )


def test_state_dir_follows_the_data_dir(tmp_path: Path) -> None:
    env = _env(INCIDENT_TUI_DATA_DIR=str(tmp_path / "data"))
    env.pop("INCIDENT_TUI_STATE_DIR", None)  # conftest isolates it; this test is about its absence
    result = copy_text("x", env=env)
    assert result.file_path == tmp_path / "data" / "state" / "last-update.txt"
