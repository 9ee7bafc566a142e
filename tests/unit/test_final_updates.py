"""The "final updates posted" criterion is read from the timeline, not ticked by hand."""

from __future__ import annotations

from incident_tui.core.models import EventKind
from incident_tui.core.playbook import checklist_state, final_updates_posted
from incident_tui.core.store import IncidentStore


def test_final_updates_need_resolved_internal_and_external_updates(store: IncidentStore) -> None:
    incident = store.declare("Checkout errors", impact="checkout fails")
    incident.tick("root-cause")
    assert not final_updates_posted(incident.record())
    incident.log("x", kind=EventKind.COMMS, data={"audience": "internal", "template": "resolved"})
    incident.log("y", kind=EventKind.COMMS, data={"audience": "external", "template": "monitoring"})
    assert not final_updates_posted(incident.record())
    incident.log("z", kind=EventKind.COMMS, data={"audience": "external", "template": "resolved"})
    state = checklist_state(incident.record())
    assert state["final-updates"] is True
    assert state["root-cause"] is True
    assert state["systems-normal"] is False
