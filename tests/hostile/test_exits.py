"""Exits: a crashed app is exit 1 saying where the incident is; a data dir that is a file and
undecodable arguments are one ``error:`` line each."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hostile_helpers import FROZEN, assert_one_error_line, run

from incident_tui.core.errors import IncidentError
from incident_tui.core.store import IncidentStore
from incident_tui.ui import app as app_module


def test_a_crashed_app_exits_1_naming_the_incident_file(
    data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(self: app_module.IncidentApp) -> None:
        self._return_code = 1  # what Textual records after an unhandled exception

    monkeypatch.setattr(app_module.IncidentApp, "run", crash)
    store = IncidentStore(data)
    with pytest.raises(IncidentError) as caught:
        app_module.run_app(store, "INC-20261128-1")
    message = str(caught.value)
    assert str(store.path_for("INC-20261128-1")) in message
    assert "nothing saved was lost" in message
    assert "\n" not in message


def test_the_cli_exits_1_when_the_app_crashes(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        app_module.IncidentApp, "run", lambda self: setattr(self, "_return_code", 1)
    )
    outcome = run(data, "open", "INC-20261128-1")
    assert_one_error_line(outcome, "INC-20261128-1.db", "nothing saved was lost")


def test_a_data_dir_that_is_a_file(tmp_path: Path) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("not a dir")
    for args in (["list"], ["new", "x"], ["show"]):
        assert_one_error_line(run(blocker, *args), str(blocker))
    assert blocker.read_text() == "not a dir"


def test_undecodable_arguments_are_one_error_line(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "INCIDENT_TUI_DATA_DIR": str(tmp_path / "data"),
        "INCIDENT_TUI_FROZEN_AT": FROZEN,
    }
    done = subprocess.run(
        [sys.executable, "-m", "incident_tui", "new", os.fsdecode(b"bad \xff\xfe title")],
        env=env,
        capture_output=True,
        check=False,
    )
    assert done.returncode == 1
    lines = done.stderr.decode("utf-8").splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "UTF-8" in lines[0]
    assert not (tmp_path / "data" / "incidents").exists() or not list(
        (tmp_path / "data" / "incidents").glob("*.db")
    )
