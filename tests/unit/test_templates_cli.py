"""``incident-tui template`` and ``incident-tui config`` from a shell."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from incident_tui.cli import main
from incident_tui.core import operations as ops
from incident_tui.core.cadence import countdown
from incident_tui.core.config import Config
from incident_tui.core.models import EventKind, Severity
from incident_tui.core.store import IncidentStore

FROZEN = "2026-11-28T14:00:00+00:00"


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data_dir: Path) -> None:
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "TMUX"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("INCIDENT_TUI_FROZEN_AT", FROZEN)
    monkeypatch.setenv("INCIDENT_TUI_CONFIG_DIR", str(tmp_path / "cfg"))
    monkeypatch.setenv("INCIDENT_TUI_STATE_DIR", str(tmp_path / "state"))


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def incident(store: IncidentStore) -> str:
    handle = ops.declare(
        store, "Checkout failing", severity=Severity.SEV1, impact="Checkout fails for EU customers"
    )
    return handle.id


def test_template_prints_the_filled_update(incident: str) -> None:
    result = run("template", "identified")
    assert result.exit_code == 0
    assert result.stdout == (
        "Identified\n\nWe have identified the issue affecting checkout fails for EU customers. "
        "Engineers are working on a fix. Next update by 14:30 UTC.\n"
    )
    assert result.stderr == ""  # nothing to warn about


def test_template_formats_and_audiences(incident: str) -> None:
    result = run("template", "monitoring", "--audience", "team", "--format", "slack")
    assert result.exit_code == 0
    assert result.stdout.startswith("*SEV-1 Checkout failing: monitoring (14:00 UTC)*")
    assert "• *Next update by:* 14:15 UTC" in result.stdout


def test_lint_warnings_go_to_stderr_and_do_not_fail(incident: str) -> None:
    result = run("template", "resolved")
    assert result.exit_code == 0
    assert "This incident has been resolved" in result.stdout
    assert "premature all-clear" in result.stderr


def test_bad_arguments_give_one_line_errors(incident: str) -> None:
    for args, message in (
        (("template", "fixed"), "error: unknown state 'fixed'"),
        (("template", "identified", "--audience", "press"), "error: unknown audience 'press'"),
        (("template", "identified", "--format", "html"), "error: unknown format 'html'"),
    ):
        result = CliRunner().invoke(main, list(args))
        assert result.exit_code == 1
        assert result.stderr.startswith(message) and result.stderr.count("\n") == 1


def test_no_incident_is_a_clear_error() -> None:
    result = CliRunner().invoke(main, ["template", "identified"])
    assert result.exit_code == 1
    assert "no open incident" in result.stderr


def test_copy_logs_the_update_and_restarts_the_countdown(
    incident: str, data_dir: Path, tmp_path: Path, store: IncidentStore
) -> None:
    before = countdown(store.open(incident).record(), "external", store.clock.now(), Config())
    assert before.overdue
    result = run("template", "investigating", "--copy", "--incident", incident)
    assert result.exit_code == 0
    assert "saved to" in result.stderr and "not confirmed" in result.stderr
    saved = tmp_path / "state" / "last-update.txt"
    assert saved.read_text() + "\n" == result.stdout
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    record = IncidentStore(data_dir, clock=store.clock).open(incident).record()
    event = record.events_of(EventKind.COMMS)[-1]
    assert event.data["audience"] == "external" and event.data["template"] == "investigating"
    assert event.data["method"] == "file" and event.data["confirmed"] is False
    assert event.data["text"] + "\n" == result.stdout
    after = countdown(record, "external", store.clock.now(), Config())
    assert not after.overdue


@pytest.fixture
def tmux_socket(tmux_server: str) -> str:
    return tmux_server


def test_copy_inside_tmux_names_the_confirmed_method(
    incident: str, tmux_socket: str, monkeypatch: pytest.MonkeyPatch, data_dir: Path
) -> None:
    monkeypatch.setenv("TMUX", tmux_socket)
    result = run("template", "identified", "--audience", "stakeholders", "--copy")
    assert result.exit_code == 0
    assert result.stderr.startswith("Copied via tmux buffer")
    buffer = subprocess.run(["tmux", "show-buffer"], capture_output=True, env=dict(os.environ))
    assert buffer.stdout.decode() + "\n" == result.stdout


def test_broken_config_warns_and_uses_defaults(incident: str, tmp_path: Path) -> None:
    (tmp_path / "cfg").mkdir()
    (tmp_path / "cfg" / "config.toml").write_text("[wording]\nreport_timeframe = 5\n")
    result = run("template", "resolved")
    assert result.exit_code == 0
    assert "within 5 business days" in result.stdout
    assert "line 2: wording.report_timeframe" in result.stderr


def test_config_path_init_and_check(tmp_path: Path) -> None:
    path = tmp_path / "cfg" / "config.toml"
    assert run("config", "--path").stdout == f"{path}\n"
    assert run("config", "--check").stdout == f"{path}: absent (built-in defaults apply)\n"
    assert run("config", "--init").stdout == f"wrote {path}\n"
    assert run("config", "--check").stdout == f"{path}: valid\n"
    again = CliRunner().invoke(main, ["config", "--init"])
    assert again.exit_code == 1 and "already exists" in again.stderr
    path.write_text("[cadence]\nsev1 = { internal = 15 }\nsev2 = { internal = -1 }\n")
    bad = CliRunner().invoke(main, ["config", "--check"])
    assert bad.exit_code == 1
    reason = "cadence.sev2.internal: must be whole minutes from 0 to 10080 (0 means no countdown)"
    assert bad.stderr == f"error: {path}: line 3: {reason}\n"
