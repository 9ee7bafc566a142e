"""The aids from a shell: ``brief``, ``criteria``, ``close`` and ``nudges``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from incident_tui.cli import main
from incident_tui.core import operations as ops
from incident_tui.core.models import EventKind, Role, Severity, Status
from incident_tui.core.store import IncidentStore

AT = "2026-11-28T14:20:00+00:00"

Run = Callable[..., Result]


@pytest.fixture
def run(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Run:
    """Invoke the CLI on the test data dir with its clock frozen at 14:20."""
    monkeypatch.setenv("INCIDENT_TUI_FROZEN_AT", AT)

    def invoke(*args: str) -> Result:
        return CliRunner().invoke(main, ["--data-dir", str(data_dir), *args])

    return invoke


def test_brief_prints_the_handoff_brief(store: IncidentStore, run: Run) -> None:
    inc = ops.declare(store, "Checkout down", severity=Severity.SEV1, responder="ana")
    ops.log(inc, "Hypothesis: pool exhausted")
    result = run("brief")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"HANDOFF BRIEF {inc.id}: Checkout down"
    assert "Current hypothesis: Hypothesis: pool exhausted (as of 14:00)" in lines
    assert "  Incident commander: ana" in lines


def test_criteria_ticks_by_key_and_rejects_unknown_keys_writing_nothing(
    store: IncidentStore,
    data_dir: Path,
    run: Run,
) -> None:
    inc = ops.declare(store, "Checkout down")
    result = run("criteria", "root-cause", "systems-normal")
    assert result.exit_code == 0, result.output
    assert "[x] root-cause" in result.output
    assert "[ ] final-updates" in result.output
    bad = run("criteria", "final-updates", "bogus")
    assert bad.exit_code == 1
    assert "unknown resolution criterion 'bogus'" in bad.output
    fresh = IncidentStore(data_dir, author="reader").open(inc.id).incident
    assert fresh.checklist == {"root-cause": True, "systems-normal": True}
    run("criteria", "--untick", "root-cause")
    fresh = IncidentStore(data_dir, author="reader").open(inc.id).incident
    assert fresh.checklist["root-cause"] is False


def test_close_sets_the_aar_date_and_warns_about_loose_ends(
    store: IncidentStore,
    data_dir: Path,
    run: Run,
) -> None:
    inc = ops.declare(store, "Checkout down")
    ops.add_action_item(inc, "Add pool alert", owner="cy")
    too_late = run("close", "--aar", "+15")
    assert too_late.exit_code == 1
    assert "AAR date must be between" in too_late.output
    assert IncidentStore(data_dir).open(inc.id).incident.status is Status.INVESTIGATING
    result = run("close")
    assert result.exit_code == 0, result.output
    assert f"closed {inc.id}; AAR on 2026-12-05" in result.output
    assert "open action: Add pool alert (cy)" in result.output
    assert "warning: not ticked: mitigation-verified" in result.output
    closed = IncidentStore(data_dir).open(inc.id).incident
    assert (closed.status, closed.aar_date) == (Status.CLOSED, date(2026, 12, 5))
    again = run("close", "--incident", inc.id)
    assert again.exit_code == 1
    assert "already closed" in again.output


def test_nudges_lists_and_dismisses(
    store: IncidentStore,
    data_dir: Path,
    run: Run,
) -> None:
    inc = ops.declare(store, "Search slow", severity=Severity.SEV3, responder="ana")
    listed = run("nudges")
    assert listed.output.startswith("no-scribe")
    wrong = run("nudges", "no-ic")
    assert wrong.exit_code == 1
    assert "no active nudge 'no-ic'; active: no-scribe" in wrong.output
    assert run("nudges", "no-scribe").output == "dismissed no-scribe\n"
    assert run("nudges").output == ""
    last = IncidentStore(data_dir).open(inc.id).record().events[-1]
    assert (last.kind, last.data) == (EventKind.SYSTEM, {"nudge": "no-scribe", "dismissed": True})
    ops.assign_role(inc, Role.SCRIBE, "dee")
    assert run("nudges").output == ""
