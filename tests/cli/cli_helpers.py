"""Helpers to run the real ``incident-tui`` console script in a subprocess, on a frozen clock."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

FROZEN = "2026-11-28T14:00:00+00:00"
"""The CLI's clock in these tests (via the INCIDENT_TUI_FROZEN_AT hook)."""


def console_script() -> list[str]:
    """The installed ``incident-tui`` next to this interpreter; fail loudly if missing."""
    found = shutil.which("incident-tui", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.fail("the incident-tui console script is not installed next to this Python")
    return [found]


@dataclass
class Result:
    """What a user sees: exit status, stdout, stderr."""

    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return self.out.splitlines()


def run_cli(
    args: list[str],
    data_dir: Path,
    at: str = FROZEN,
    extra_env: dict[str, str] | None = None,
    stdin: str | None = None,
) -> Result:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("INCIDENT_TUI_") and key != "TZ"
    }
    env.update(
        INCIDENT_TUI_DATA_DIR=str(data_dir),
        INCIDENT_TUI_FROZEN_AT=at,
        INCIDENT_TUI_AUTHOR="scribe",
        TZ="UTC",
        NO_COLOR="1",
    )
    env.update(extra_env or {})
    done = subprocess.run(
        [*console_script(), *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return Result(done.returncode, done.stdout, done.stderr)


class Cli:
    """``cli("new", "Title")`` runs ``incident-tui new Title`` against one data dir."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir

    def __call__(self, *args: str, at: str = FROZEN, env: dict[str, str] | None = None) -> Result:
        return run_cli(list(args), self.data_dir, at=at, extra_env=env)

    def file_of(self, incident_id: str) -> Path:
        """The incident's data file."""
        return self.data_dir / "incidents" / f"{incident_id}.db"


def assert_one_line_error(result: Result, *fragments: str) -> None:
    """Exit 1, nothing on stdout, exactly one ``error: ...`` line on stderr, no traceback."""
    assert result.code == 1, (result.code, result.out, result.err)
    assert result.out == ""
    lines = result.err.splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith("error: "), result.err
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
