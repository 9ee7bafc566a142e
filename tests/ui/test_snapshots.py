"""Snapshots of the IC's screen, each of its dialogs and the help, on the frozen demo incident.

Baselines live in ``__snapshots__/test_snapshots``; review the SVGs before accepting new ones.
"""

from __future__ import annotations

from typing import Any

import pytest

from incident_tui.core import operations as ops
from incident_tui.core.clock import FrozenClock
from incident_tui.core.models import Severity
from incident_tui.core.store import IncidentStore
from incident_tui.ui.app import IncidentApp

WIDE = (120, 36)
SMALL = (80, 24)


def test_main_screen(snap_compare: Any, demo_app: IncidentApp) -> None:
    assert snap_compare(demo_app, terminal_size=WIDE)


def test_main_screen_80x24(snap_compare: Any, demo_app: IncidentApp) -> None:
    assert snap_compare(demo_app, terminal_size=SMALL)


def test_main_screen_utc_with_gaps(
    snap_compare: Any, store: IncidentStore, clock: FrozenClock
) -> None:
    """No IC and no scribe: both shown as gaps; times in UTC."""
    ops.declare(store, "Login latency over 2 s in EU", severity=Severity.SEV3, impact="slow logins")
    assert snap_compare(IncidentApp(store, clock=clock), terminal_size=WIDE, press=["u"])


@pytest.mark.parametrize(
    "keys",
    [
        pytest.param(["t", *"Error rate back to baseline"], id="event"),
        pytest.param(["d", *"Keep the flag off overnight"], id="decision"),
        pytest.param(["a", *"Add a canary for pool size"], id="action_item"),
        pytest.param(["r"], id="role"),
        pytest.param(["s"], id="severity"),
        pytest.param(["p"], id="status"),
        pytest.param(["i"], id="switch"),
        pytest.param(["question_mark"], id="help"),
        pytest.param(["t", "enter"], id="event_missing_text"),
        pytest.param(["e"], id="edit_header"),
    ],
)
def test_dialog(snap_compare: Any, demo_app: IncidentApp, keys: list[str]) -> None:
    assert snap_compare(demo_app, terminal_size=WIDE, press=keys)


def test_edit_header_dialog_80x24(snap_compare: Any, demo_app: IncidentApp) -> None:
    """Nine fields on a small terminal: the dialog scrolls, the title field is in view."""
    assert snap_compare(demo_app, terminal_size=SMALL, press=["e"])


def test_declare_form(snap_compare: Any, store: IncidentStore, clock: FrozenClock) -> None:
    assert snap_compare(IncidentApp(store, clock=clock), terminal_size=WIDE)
