"""``incident-tui show`` prints one ``attention:`` line per active nudge."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from incident_tui.cli import main
from incident_tui.core import operations as ops
from incident_tui.core.attention_rules import active
from incident_tui.core.clock import FrozenClock
from incident_tui.core.models import Role, Severity
from incident_tui.core.store import IncidentStore


def show(data_dir: Path, at: str, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setenv("INCIDENT_TUI_FROZEN_AT", at)
    result = CliRunner().invoke(main, ["--data-dir", str(data_dir), "show"])
    assert result.exit_code == 0, result.output
    return [line for line in result.output.splitlines() if line.startswith("attention:")]


def test_show_lists_each_active_nudge(
    store: IncidentStore, clock: FrozenClock, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ops.declare(store, "Checkout down", severity=Severity.SEV1)
    lines = show(data_dir, "2026-11-28T14:11:00+00:00", monkeypatch)
    assert lines[0] == (
        "attention: [now] SEV-1 without an IC 10 min after detection -> Assign an IC now"
    )
    assert any("Not acknowledged; the SEV-1 target is 5 min" in line for line in lines)
    assert any("No scribe" in line for line in lines)
    # At 14:04 the IC and ack deadlines have not passed yet.
    early = show(data_dir, "2026-11-28T14:04:00+00:00", monkeypatch)
    assert not any("without an IC" in line or "acknowledged" in line for line in early)


def test_show_has_no_attention_lines_when_all_is_in_hand(
    store: IncidentStore, clock: FrozenClock, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inc = ops.declare(store, "Search slow", severity=Severity.SEV3, responder="ana")
    ops.assign_role(inc, Role.SCRIBE, "dee")
    assert show(data_dir, "2026-11-28T14:30:00+00:00", monkeypatch) == []


def test_a_dismissed_nudge_is_not_printed(
    store: IncidentStore, clock: FrozenClock, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inc = ops.declare(store, "Search slow", severity=Severity.SEV3, responder="ana")
    clock.advance(timedelta(minutes=1))
    (nudge,) = active(inc.record(), clock.now())
    ops.dismiss_nudge(inc, nudge.key)
    assert show(data_dir, "2026-11-28T14:30:00+00:00", monkeypatch) == []
