"""A full disk (a small tmpfs) and a read-only data dir (run as a non-root user): reads keep
working and say once that the index is stale; a refused write is one line and changes nothing.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hostile_helpers import FROZEN, assert_inert

ID = "INC-20261128-1"
NOBODY = 65534


def _cli(data: Path, *args: str, user: int | None = None) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": os.defpath,
        "INCIDENT_TUI_DATA_DIR": str(data),
        "INCIDENT_TUI_FROZEN_AT": FROZEN,
        "INCIDENT_TUI_AUTHOR": "scribe",
        "INCIDENT_TUI_STATE_DIR": str(data / "state"),
        "INCIDENT_TUI_CONFIG_DIR": str(data / "config"),
        "HOME": str(data),
        "TZ": "UTC",
    }
    command = [sys.executable, "-m", "incident_tui", *args]
    if user is not None:
        setpriv = shutil.which("setpriv")
        assert setpriv is not None
        command = [setpriv, f"--reuid={user}", f"--regid={user}", "--clear-groups", "--", *command]
    return subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=60, check=False, cwd="/"
    )


def _seed(data: Path) -> None:
    for args in (["new", "Checkout errors", "--responder", "ana"], ["log", "first note"]):
        assert _cli(data, *args).returncode == 0


@contextlib.contextmanager
def _tmpfs(size: str) -> Iterator[Path]:
    mount_point = Path(tempfile.mkdtemp(prefix="incident-tui-full-"))
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount_point)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        mount_point.rmdir()
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.decode().strip()}); needs root")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)
        mount_point.rmdir()


def _fill(directory: Path) -> None:
    with open(directory / "filler", "wb") as handle, contextlib.suppress(OSError):
        while True:
            handle.write(b"\0" * 65536)
            handle.flush()
            os.fsync(handle.fileno())


@pytest.mark.skipif(not shutil.which("mount"), reason="no mount(8) on this machine")
def test_a_full_disk_keeps_reads_working_and_refuses_writes_cleanly() -> None:
    with _tmpfs("2m") as root:
        data = root / "data"
        _seed(data)
        (data / "index.db").unlink(missing_ok=True)  # the next list must write the index
        _fill(root)
        incident = data / "incidents" / f"{ID}.db"
        before = incident.read_bytes()
        for args in (["list"], ["show"], ["export"], ["brief"], ["show", ID, "--json"]):
            done = _cli(data, *args)
            assert done.returncode == 0, (args, done.stderr)
            assert_inert(done.stdout + done.stderr)
            assert done.stderr.count("\n") <= 1, done.stderr
        assert "index" in _cli(data, "list").stderr  # said, once per command
        big = "no room " * 4000  # more than the slack in the file's last page
        for args in (["log", big], ["log", big, "--incident", ID], ["decide", big]):
            done = _cli(data, *args)
            assert done.returncode == 1, (args, done)
            errors = [line for line in done.stderr.splitlines() if line.startswith("error: ")]
            assert len(errors) == 1, done.stderr
            assert "No space" in errors[0] or "disk full" in errors[0], done.stderr
            assert "Traceback" not in done.stderr
            assert incident.read_bytes() == before
        (root / "filler").unlink()
        assert _cli(data, "log", "room again", "--incident", ID).returncode == 0
        assert "room again" in _cli(data, "show", ID).stdout


def _nobody_can_run() -> str | None:
    if os.geteuid() != 0:
        return None  # not root: the permission bits already bind this user
    if shutil.which("setpriv") is None:
        return "running as root without setpriv(1) to drop to a non-root user"
    probe = subprocess.run(
        [
            "setpriv",
            f"--reuid={NOBODY}",
            f"--regid={NOBODY}",
            "--clear-groups",
            "--",
            sys.executable,
            "-c",
            "import incident_tui",
        ],
        capture_output=True,
        check=False,
        cwd="/",
    )
    if probe.returncode != 0:
        return f"user {NOBODY} cannot import this checkout: {probe.stderr.decode()[-200:]}"
    return None


def test_a_read_only_data_dir_as_a_non_root_user() -> None:
    reason = _nobody_can_run()
    if reason:
        pytest.skip(reason)
    user = NOBODY if os.geteuid() == 0 else None
    top = Path(tempfile.mkdtemp(prefix="incident-tui-ro-"))
    try:
        top.chmod(0o755)
        data = top / "data"
        _seed(data)
        (data / "index.db").unlink(missing_ok=True)
        if user is not None:
            for path in [data, *data.rglob("*")]:
                os.chown(path, user, user, follow_symlinks=False)
        data.chmod(0o555)  # the data dir is read-only; the incidents stay writable
        if user is None or os.geteuid() == 0:
            probe = _cli(data, "list", user=user)
            assert probe.returncode == 0, probe.stderr
        for args in (["list"], ["show"], ["export"], ["brief"]):
            done = _cli(data, *args, user=user)
            assert done.returncode == 0, (args, done.stderr)
            assert done.stderr.count("warning:") <= 1, done.stderr
        assert "index" in _cli(data, "show", user=user).stderr
        done = _cli(data, "log", "still works", "--incident", ID, user=user)
        assert done.returncode == 0, done.stderr
        done = _cli(data, "log", "latest works too", user=user)
        assert done.returncode == 0, done.stderr
        shown = _cli(data, "show", ID, user=user).stdout
        assert "still works" in shown and "latest works too" in shown
        assert not (data / "index.db").exists()
    finally:
        (top / "data").chmod(0o755)
        shutil.rmtree(top, ignore_errors=True)
