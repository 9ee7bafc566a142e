"""pyperclip as the clipboard on Windows and WSL: only behind a deadline and a read-back."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pyperclip
import pytest

from incident_tui.core.clipboard import PYPERCLIP, copy_text

TEXT = "Identified: checkout errors in EU. Next update by 14:30 UTC."
NO_DISPLAY = {"PATH": "/nonexistent"}  # no xclip/xsel/wl-copy can be found or apply


class FakeClipboard:
    """Stands in for pyperclip's backend: it can work, lie, fail or hang."""

    def __init__(self, mode: str) -> None:
        self.mode = mode
        self.held = ""
        self.release = threading.Event()

    def copy(self, text: str) -> None:
        if self.mode == "raises":
            raise pyperclip.PyperclipException("could not open the clipboard")
        if self.mode == "hangs":
            self.release.wait(30)
        if self.mode != "lies":
            self.held = text.replace("\n", "\r\n")  # Windows hands back CRLF

    def paste(self) -> str:
        return self.held


@pytest.fixture
def fake(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[FakeClipboard]:
    board = FakeClipboard(request.param)
    monkeypatch.setattr(pyperclip, "copy", board.copy)
    monkeypatch.setattr(pyperclip, "paste", board.paste)
    yield board
    board.release.set()


@pytest.mark.parametrize("fake", ["works"], indirect=True)
def test_windows_copy_is_confirmed_by_read_back(fake: FakeClipboard, tmp_path: Path) -> None:
    result = copy_text(TEXT + "\nsecond line", env=NO_DISPLAY, state_dir=tmp_path, platform="win32")
    assert result.confirmed == PYPERCLIP
    assert fake.held.startswith(TEXT)
    assert (tmp_path / "last-update.txt").read_text() == TEXT + "\nsecond line"


@pytest.mark.parametrize("fake", ["lies"], indirect=True)
def test_a_copy_that_does_not_land_is_not_confirmed(fake: FakeClipboard, tmp_path: Path) -> None:
    result = copy_text(TEXT, env=NO_DISPLAY, state_dir=tmp_path, platform="win32")
    assert result.confirmed is None
    assert [(a.method, a.ok, a.detail) for a in result.attempts] == [
        (PYPERCLIP, False, "read-back differs")
    ]
    assert result.wants_osc52 and result.file_path is not None


@pytest.mark.parametrize("fake", ["raises"], indirect=True)
def test_a_pyperclip_error_is_reported_not_raised(fake: FakeClipboard, tmp_path: Path) -> None:
    result = copy_text(TEXT, env=NO_DISPLAY, state_dir=tmp_path, platform="win32")
    assert result.confirmed is None
    assert "could not open the clipboard" in result.attempts[0].detail


@pytest.mark.parametrize("fake", ["hangs"], indirect=True)
def test_a_hung_clipboard_falls_through_within_the_timeout(
    fake: FakeClipboard, tmp_path: Path
) -> None:
    started = time.monotonic()
    result = copy_text(TEXT, env=NO_DISPLAY, timeout=0.5, state_dir=tmp_path, platform="win32")
    assert time.monotonic() - started < 3
    assert result.confirmed is None
    assert result.attempts[0].detail == "no answer within 0.5s"
    assert (tmp_path / "last-update.txt").read_text() == TEXT


@pytest.mark.parametrize("fake", ["works"], indirect=True)
def test_linux_never_reaches_for_pyperclip(fake: FakeClipboard, tmp_path: Path) -> None:
    result = copy_text(TEXT, env=NO_DISPLAY, state_dir=tmp_path, platform="linux")
    assert result.confirmed is None
    assert fake.held == ""
    assert all(a.method != PYPERCLIP for a in result.attempts)


@pytest.mark.parametrize("fake", ["works"], indirect=True)
def test_wsl_uses_pyperclip(fake: FakeClipboard, tmp_path: Path) -> None:
    env = dict(NO_DISPLAY, WSL_DISTRO_NAME="Ubuntu")
    result = copy_text(TEXT, env=env, state_dir=tmp_path, platform="linux")
    assert result.confirmed == PYPERCLIP
