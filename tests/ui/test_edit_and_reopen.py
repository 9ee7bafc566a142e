"""``e`` edits the header and ``p`` reopens a closed incident, through the controller."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from textual.widgets import Static

from incident_tui.core import operations as ops
from incident_tui.core.clock import FrozenClock
from incident_tui.core.models import IncidentRecord, Status
from incident_tui.core.store import IncidentStore
from incident_tui.ui.app import IncidentApp
from incident_tui.ui.modals.edit_header import EditHeaderModal
from incident_tui.ui.widgets.header import IncidentHeader

SIZE = (120, 36)
Read = Callable[[], IncidentRecord]


async def test_e_edits_only_what_changed(demo_app: IncidentApp, on_disk: Read) -> None:
    before = on_disk().incident
    async with demo_app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        assert isinstance(demo_app.screen, EditHeaderModal)
        await pilot.press("ctrl+u", *"Checkout down after 2.14.0", "enter")
        await pilot.pause()
        assert "Checkout down after 2.14.0" in demo_app.screen.query_one(IncidentHeader).shown
    record = on_disk()
    assert record.incident.title == "Checkout down after 2.14.0"
    assert record.incident.impact == before.impact
    assert record.events[-1].data["edited"] == {"title": "Checkout down after 2.14.0"}


async def test_e_refuses_an_aar_date_outside_the_window(
    demo_app: IncidentApp, on_disk: Read
) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await pilot.press("e", "tab", "tab", "tab", *"2027-06-01", "enter")
        await pilot.pause()
        assert isinstance(demo_app.screen, EditHeaderModal)  # kept open, with the reason
        assert "AAR" in str(demo_app.screen.query_one("#form-error", Static).render())
    assert on_disk().incident.aar_date is None


async def test_p_on_a_closed_incident_reopens_it(
    demo_store: IncidentStore, clock: FrozenClock, on_disk: Read
) -> None:
    incident = demo_store.open(demo_store.resolve_id(None))
    ops.close(incident, date(2026, 12, 3))
    app = IncidentApp(demo_store, incident.id, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p", "tab", *"regressed in EU", "enter")
        await pilot.pause()
    record = on_disk()
    assert record.incident.status is Status.INVESTIGATING
    assert record.events[-1].data.get("reopened") is True
