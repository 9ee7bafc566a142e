"""The "final updates posted" criterion is read from the timeline, not ticked by hand."""

from __future__ import annotations

from incident_tui.core import operations as ops
from incident_tui.core.playbook import checklist_state, final_updates_posted
from incident_tui.core.store import IncidentStore


def test_final_updates_need_resolved_internal_and_external_updates(store: IncidentStore) -> None:
    incident = ops.declare(store, "Checkout errors", impact="checkout fails")
    ops.tick_criterion(incident, "root-cause")
    assert not final_updates_posted(incident.record())
    ops.record_update(incident, "internal", "fixed", details={"template": "resolved"})
    ops.record_update(incident, "external", "watching", details={"template": "monitoring"})
    assert not final_updates_posted(incident.record())
    last = ops.record_update(incident, "external", "fixed", details={"template": "resolved"})
    state = checklist_state(incident.record())
    assert state["final-updates"] is True
    assert state["root-cause"] is True
    assert state["systems-normal"] is False
    ops.strike(incident, last.id, "sent to the wrong channel")
    assert not final_updates_posted(incident.record())
