"""Snapshots of the aids' dialogs and the attention strip, at a fixed size, on a frozen clock."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.screen import Screen

import incident_tui.ui
from incident_tui.core import operations as ops
from incident_tui.core.attention_rules import active
from incident_tui.core.clock import FrozenClock
from incident_tui.core.demo import seed_demo
from incident_tui.core.handoff import handoff_brief
from incident_tui.core.models import Role, Severity
from incident_tui.core.playbook import default_aar_date, unticked
from incident_tui.core.store import IncidentStore
from incident_tui.ui.modals.checklist import ChecklistModal
from incident_tui.ui.modals.close import CloseDraft, CloseModal
from incident_tui.ui.modals.decision import DecisionDraft, DecisionModal
from incident_tui.ui.modals.handoff import HandoffModal
from incident_tui.ui.modals.mitigation import MitigationModal
from incident_tui.ui.modals.nudge import NudgeModal
from incident_tui.ui.modals.verify import VerifyModal
from incident_tui.ui.widgets.attention import AttentionStrip

APP_TCSS = Path(incident_tui.ui.__file__).parent / "app.tcss"
SIZE = (100, 34)


class Host(App[None]):
    """The app's own stylesheet and one dialog on top of an empty screen."""

    CSS_PATH = str(APP_TCSS)

    def __init__(self, modal: Screen[Any]) -> None:
        super().__init__()
        self.modal = modal

    def on_mount(self) -> None:
        self.push_screen(self.modal)


def test_mitigation_dialog(snap_compare: Any) -> None:
    assert snap_compare(Host(MitigationModal()), terminal_size=SIZE)


def test_verify_dialog(snap_compare: Any) -> None:
    assert snap_compare(Host(VerifyModal("Roll back: checkout-api to 2.13.2")), terminal_size=SIZE)


def test_checklist_dialog(snap_compare: Any) -> None:
    ticked = {"root-cause": True, "systems-normal": True}
    assert snap_compare(Host(ChecklistModal(ticked, verified=False)), terminal_size=SIZE)


def test_close_dialog(snap_compare: Any, store: IncidentStore) -> None:
    record = seed_demo(store).record()
    open_items = [item for item in record.action_items if not item.done]
    today = date(2026, 11, 28)
    draft = CloseDraft(aar_date=default_aar_date(today))
    modal = CloseModal(draft, today, open_items, unticked(record.incident))
    assert snap_compare(Host(modal), terminal_size=SIZE)


def test_handoff_dialog(snap_compare: Any, store: IncidentStore, clock: FrozenClock) -> None:
    record = seed_demo(store).record()
    brief = handoff_brief(record, clock.now(), Role.IC, "Priya Raman", "Bob Stone")
    modal = HandoffModal(brief, "Handoff brief for Bob Stone (Incident commander)")
    assert snap_compare(Host(modal), terminal_size=(100, 40))


def test_nudge_dialog(snap_compare: Any, store: IncidentStore, clock: FrozenClock) -> None:
    inc = ops.declare(store, "Checkout down", severity=Severity.SEV1)
    clock.advance(timedelta(minutes=16))
    top, *rest = active(inc.record(), clock.now())
    assert snap_compare(Host(NudgeModal(top, rest)), terminal_size=SIZE)


def test_decision_dialog_with_a_rubric(snap_compare: Any) -> None:
    draft = DecisionDraft(decided_by="Priya Raman", rubric="rollback", answer="unsure")
    assert snap_compare(Host(DecisionModal(draft)), terminal_size=SIZE)


class StripHost(App[None]):
    """Four strips: the three urgencies (with and without more behind) and the all-clear."""

    def __init__(self, store: IncidentStore, clock: FrozenClock) -> None:
        super().__init__()
        self.store = store
        self.clock = clock

    def compose(self) -> ComposeResult:
        with Vertical():
            for index in range(4):
                yield AttentionStrip(id=f"strip-{index}")

    def on_mount(self) -> None:
        sev1 = ops.declare(self.store, "Checkout down", severity=Severity.SEV1)
        sev3 = ops.declare(self.store, "Search slow", severity=Severity.SEV3, responder="ana")
        self.clock.advance(timedelta(minutes=11))
        now = self.clock.now()
        many = active(sev1.record(), now)
        one = active(sev3.record(), now)
        core = [n for n in many if n.key == "core-roles"]
        for index, shown in enumerate((many, core, one, [])):
            self.query_one(f"#strip-{index}", AttentionStrip).show_nudges(shown)


def test_attention_strip(snap_compare: Any, store: IncidentStore, clock: FrozenClock) -> None:
    assert snap_compare(StripHost(store, clock), terminal_size=(110, 4))
