"""``e`` edits the header and ``p`` reopens a closed incident, through the controller."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from textual.widgets import Input, Static

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


async def test_e_edits_the_update_fields_and_logs_each_change_old_to_new(
    demo_app: IncidentApp, on_disk: Read
) -> None:
    before = on_disk().incident
    async with demo_app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        modal = demo_app.screen
        assert isinstance(modal, EditHeaderModal)
        for field in ("scope", "status_note", "workaround", "eta", "data_at_risk"):
            assert modal.query_one(f"#{field}", Input).value == getattr(before, field)
        typed = {
            "impact": "EU and US card payments fail",
            "scope": "card payments for EU and US customers",
            "status_note": "connection pool starved by the 2.14.0 config",
            "workaround": "pay by PayPal",
            "eta": "16:30 UTC",
            "data_at_risk": "orders stuck in pending",
        }
        for field, value in typed.items():
            modal.query_one(f"#{field}", Input).value = value
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(demo_app.screen, EditHeaderModal)
    record = on_disk()
    for field, value in typed.items():
        assert getattr(record.incident, field) == value
    assert record.incident.title == before.title  # untouched fields are not logged
    event = record.events[-1]
    assert set(event.data["edited"]) == set(typed)
    assert event.text == "; ".join(
        [
            f"Impact: {before.impact} -> EU and US card payments fail",
            "Scope: (none) -> card payments for EU and US customers",
            "Status note: (none) -> connection pool starved by the 2.14.0 config",
            "Workaround: (none) -> pay by PayPal",
            "ETA: (none) -> 16:30 UTC",
            "Data at risk: (none) -> orders stuck in pending",
        ]
    )
    assert "Updated" not in event.text


async def test_e_clears_an_update_field_old_to_none(
    demo_store: IncidentStore, clock: FrozenClock, on_disk: Read
) -> None:
    incident = demo_store.open(demo_store.resolve_id(None))
    ops.edit_header(incident, eta="16:30 UTC")
    app = IncidentApp(demo_store, incident.id, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        app.screen.query_one("#eta", Input).value = ""
        await pilot.press("enter")
        await pilot.pause()
    record = on_disk()
    assert record.incident.eta == ""
    assert record.events[-1].text == "ETA: 16:30 UTC -> (none)"


async def test_e_refuses_an_aar_date_outside_the_window(
    demo_app: IncidentApp, on_disk: Read
) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await pilot.press("e", *["tab"] * 8, *"2027-06-01", "enter")
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
