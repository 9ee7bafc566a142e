"""Getting an update onto the clipboard wherever the IC is, and knowing whether it got there.

The chain, first confirmed method wins:

1. a local clipboard tool (wl-copy, xclip, xsel, pbcopy) run directly with a timeout and
   confirmed by reading the clipboard back. pyperclip is kept for the platforms those tools
   do not cover (Windows' clipboard API, WSL's clip.exe), and only behind the same guards:
   with a stale ``DISPLAY`` it reports success without copying, and on a hung display it can
   block forever, so it runs in a thread with a deadline and must read the text back;
2. inside tmux (``$TMUX`` set), ``tmux load-buffer -w -``, confirmed with ``tmux show-buffer``.
   Outside tmux the UI falls back to OSC 52 (``App.copy_to_clipboard``), which nobody can
   confirm, so it never counts as confirmed;
3. always: the text is written to ``last-update.txt`` (mode 0600) in the state dir, so the
   update survives whatever the terminal does with it.

The state dir is ``$INCIDENT_TUI_STATE_DIR``; else ``$INCIDENT_TUI_DATA_DIR/state`` when a data
dir is set (a test or portable setup stays self-contained); else platformdirs' user state dir.

Everything here blocks for at most a few seconds: call it from a worker thread, never from the
UI thread.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from incident_tui.core.files import make_private_dir, replace_file
from incident_tui.core.sanitize import inert_lines

ENV_STATE_DIR = "INCIDENT_TUI_STATE_DIR"
FALLBACK_NAME = "last-update.txt"
DEFAULT_TIMEOUT = 1.5
READBACK_WINDOW = 0.5
"""Seconds to keep re-reading a clipboard that has not caught up with the copy yet."""

OSC52 = "OSC 52"
FILE_METHOD = "file"


@dataclass(frozen=True)
class ClipboardTool:
    """A command-line clipboard: how to write it, how to read it back, when it can work."""

    name: str
    copy: tuple[str, ...]
    paste: tuple[str, ...]
    needs: str
    """``wayland`` (needs $WAYLAND_DISPLAY), ``x11`` (needs $DISPLAY) or ``darwin``."""


LOCAL_TOOLS: tuple[ClipboardTool, ...] = (
    ClipboardTool("wl-copy", ("wl-copy",), ("wl-paste", "--no-newline"), "wayland"),
    ClipboardTool(
        "xclip",
        ("xclip", "-selection", "clipboard", "-in"),
        ("xclip", "-selection", "clipboard", "-out"),
        "x11",
    ),
    ClipboardTool(
        "xsel", ("xsel", "--clipboard", "--input"), ("xsel", "--clipboard", "--output"), "x11"
    ),
    ClipboardTool("pbcopy", ("pbcopy",), ("pbpaste",), "darwin"),
)


@dataclass(frozen=True)
class Attempt:
    """One method tried: whether it confirmed the copy, why not, and how long it took."""

    method: str
    ok: bool
    detail: str
    seconds: float


@dataclass(frozen=True)
class CopyResult:
    """What happened to one copy: the confirmed method (if any), every attempt, the file."""

    confirmed: str | None
    attempts: tuple[Attempt, ...]
    file_path: Path | None
    file_error: str | None = None
    in_tmux: bool = False

    @property
    def method(self) -> str:
        """The method to name to the user: the confirmed one, else the file."""
        return self.confirmed or FILE_METHOD

    @property
    def wants_osc52(self) -> bool:
        """No method confirmed: the UI should also try OSC 52 (it cannot be confirmed)."""
        return self.confirmed is None

    def summary(self) -> str:
        """One line for a toast or the CLI."""
        where = f" and saved to {self.file_path}" if self.file_path else ""
        if self.confirmed:
            return f"Copied via {self.confirmed}{where}"
        tried = ", ".join(f"{a.method}: {a.detail}" for a in self.attempts) or "no clipboard tool"
        if self.file_path:
            return f"Clipboard not confirmed ({tried}); saved to {self.file_path}"
        return f"Clipboard not confirmed ({tried}); file not written: {self.file_error}"


def default_state_dir(env: Mapping[str, str] | None = None) -> Path:
    """Where the last copied update is kept (see the module docstring for the order)."""
    env = os.environ if env is None else env
    if env.get(ENV_STATE_DIR):
        return Path(env[ENV_STATE_DIR]).expanduser()
    if env.get("INCIDENT_TUI_DATA_DIR"):
        return Path(env["INCIDENT_TUI_DATA_DIR"]).expanduser() / "state"
    import platformdirs

    return platformdirs.user_state_path("incident-tui", appauthor=False)


@dataclass(frozen=True)
class _Run:
    code: int | None
    """None when the command was killed for taking too long."""
    out: bytes
    err: str


def _run(argv: Sequence[str], data: bytes | None, timeout: float, env: Mapping[str, str]) -> _Run:
    """Run a command with a hard timeout that also kills anything it forked.

    Output goes to temp files, not pipes: xclip leaves a child serving the selection, and a
    pipe it inherited would make us wait for that child forever.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        try:
            proc = subprocess.Popen(
                list(argv),
                stdin=subprocess.PIPE if data is not None else subprocess.DEVNULL,
                stdout=out,
                stderr=err,
                env=dict(env),
                start_new_session=True,  # its own process group, so a timeout kills it all
            )
        except OSError as exc:
            return _Run(127, b"", exc.strerror or str(exc))
        try:
            proc.communicate(input=data, timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            return _Run(None, b"", f"no answer within {timeout:g}s")
        out.seek(0)
        err.seek(0)
        message = err.read().decode("utf-8", "replace").strip().splitlines()
        return _Run(proc.returncode, out.read(), message[0] if message else "")


def _same(expected: str, got: bytes) -> bool:
    text = got.decode("utf-8", "replace")
    return text == expected or text.rstrip("\n") == expected.rstrip("\n")


def _usable(tool: ClipboardTool, env: Mapping[str, str], platform: str) -> str | None:
    """Why a tool cannot work here, or None when it is worth trying."""
    if tool.needs == "wayland" and not env.get("WAYLAND_DISPLAY"):
        return "no WAYLAND_DISPLAY"
    if tool.needs == "x11" and not env.get("DISPLAY"):
        return "no DISPLAY"
    if tool.needs == "darwin" and platform != "darwin":
        return "not macOS"
    if shutil.which(tool.copy[0], path=env.get("PATH")) is None:
        return "not installed"
    return None


def _try_tool(
    tool: ClipboardTool, text: str, data: bytes, timeout: float, env: Mapping[str, str]
) -> tuple[bool, str, bool]:
    """Copy with one tool and read it back: (confirmed, detail, the display hung)."""
    wrote = _run(tool.copy, data, timeout, env)
    if wrote.code is None:
        return False, wrote.err, True
    if wrote.code != 0:
        return False, wrote.err or f"exit status {wrote.code}", False
    # xclip serves the selection from a child it forks; reading back at once can race that
    # child taking ownership ("target STRING not available"), so a few quick retries.
    deadline = time.monotonic() + min(READBACK_WINDOW, timeout)
    while True:
        read = _run(tool.paste, None, timeout, env)
        if read.code is None:
            return False, "read-back " + read.err, True
        if read.code == 0 and _same(text, read.out):
            return True, "confirmed by read-back", False
        if time.monotonic() >= deadline:
            break
        time.sleep(0.02)
    if read.code != 0:
        return False, "read-back failed: " + (read.err or f"exit status {read.code}"), False
    return False, "read-back differs (clipboard not set)", False


PYPERCLIP = "pyperclip"
PYPERCLIP_PLATFORMS = ("win32", "cygwin")


def _pyperclip_applies(env: Mapping[str, str], platform: str) -> bool:
    """Windows and WSL, where none of the command-line tools above exist."""
    return platform in PYPERCLIP_PLATFORMS or bool(env.get("WSL_DISTRO_NAME"))


def _try_pyperclip(text: str, timeout: float) -> tuple[bool, str]:
    """Copy with pyperclip's own backend in a daemon thread; confirmed only by reading back."""
    outcome: list[tuple[bool, str]] = []

    def attempt() -> None:
        try:
            import pyperclip

            pyperclip.copy(text)
            got = pyperclip.paste()
        except (RuntimeError, OSError, ImportError) as exc:  # PyperclipException is a RuntimeError
            outcome.append((False, f"{type(exc).__name__}: {exc}".splitlines()[0]))
            return
        same = _same(text, str(got).replace("\r\n", "\n").encode("utf-8"))
        outcome.append((same, "confirmed by read-back" if same else "read-back differs"))

    worker = threading.Thread(target=attempt, name="pyperclip", daemon=True)
    worker.start()
    worker.join(timeout)
    if not outcome:
        return False, f"no answer within {timeout:g}s"
    return outcome[0]


def _try_tmux(text: str, data: bytes, timeout: float, env: Mapping[str, str]) -> tuple[bool, str]:
    if shutil.which("tmux", path=env.get("PATH")) is None:
        return False, "tmux not installed"
    wrote = _run(("tmux", "load-buffer", "-w", "-"), data, timeout, env)
    if wrote.code not in (0, None):
        # tmux before 3.2 has no -w; the buffer alone still lets the IC paste with prefix-].
        wrote = _run(("tmux", "load-buffer", "-"), data, timeout, env)
    if wrote.code != 0:
        return False, wrote.err or f"exit status {wrote.code}"
    read = _run(("tmux", "show-buffer"), None, timeout, env)
    if read.code != 0 or not _same(text, read.out):
        return False, "show-buffer differs (buffer not set)"
    return True, "confirmed by show-buffer"


def write_fallback(text: str, state_dir: Path) -> Path:
    """Write the text to ``last-update.txt`` (0600) atomically; returns its path."""
    make_private_dir(state_dir)
    target = state_dir / FALLBACK_NAME
    # An unguessable temp name opened O_EXCL|O_NOFOLLOW: a planted symlink cannot catch it.
    replace_file(target, inert_lines(text).encode("utf-8"))
    return target


def copy_text(
    text: str,
    env: Mapping[str, str] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    state_dir: Path | None = None,
    platform: str = sys.platform,
    tools: Sequence[ClipboardTool] = LOCAL_TOOLS,
) -> CopyResult:
    """Run the clipboard chain for ``text``; blocks for at most a few seconds."""
    env = dict(os.environ if env is None else env)
    text = inert_lines(text)  # the one sanitiser: no escape sequence reaches a clipboard
    data = text.encode("utf-8")
    attempts: list[Attempt] = []
    confirmed: str | None = None
    hung: set[str] = set()
    for tool in tools:
        reason = _usable(tool, env, platform)
        if reason is None and tool.needs in hung:
            reason = "skipped: the display did not answer"
        if reason is not None:
            continue  # tools that cannot apply here are not worth a line in the report
        started = time.monotonic()
        ok, detail, display_hung = _try_tool(tool, text, data, timeout, env)
        attempts.append(Attempt(tool.name, ok, detail, time.monotonic() - started))
        if display_hung:
            hung.add(tool.needs)  # the next tool on the same display would hang too
        if ok:
            confirmed = tool.name
            break
    if confirmed is None and _pyperclip_applies(env, platform):
        started = time.monotonic()
        ok, detail = _try_pyperclip(text, timeout)
        attempts.append(Attempt(PYPERCLIP, ok, detail, time.monotonic() - started))
        if ok:
            confirmed = PYPERCLIP
    in_tmux = bool(env.get("TMUX"))
    if confirmed is None and in_tmux:
        started = time.monotonic()
        ok, detail = _try_tmux(text, data, timeout, env)
        attempts.append(Attempt("tmux buffer", ok, detail, time.monotonic() - started))
        if ok:
            confirmed = "tmux buffer"
    path: Path | None = None
    error: str | None = None
    try:
        path = write_fallback(text, state_dir or default_state_dir(env))
    except OSError as exc:
        error = exc.strerror or str(exc)
    return CopyResult(confirmed, tuple(attempts), path, error, in_tmux)
