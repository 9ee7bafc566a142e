"""Action items on the screen: a pane with owner, due time (overdue in words) and done state."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from textual.widgets import OptionList, Static

from incident_tui.core import operations as ops
from incident_tui.core.clock import FrozenClock
from incident_tui.core.models import IncidentRecord
from incident_tui.core.store import IncidentStore
from incident_tui.ui.app import IncidentApp
from incident_tui.ui.modals.action_items import ActionItemsModal
from incident_tui.ui.widgets.action_items import ActionItemsPane

SIZE = (120, 36)
Read = Callable[[], IncidentRecord]


def pane_text(app: IncidentApp) -> str:
    return str(app.screen.query_one(ActionItemsPane).render())


async def test_a_takes_a_due_time(demo_app: IncidentApp, on_disk: Read) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await pilot.press("a", *"Rotate the DB password", "tab", *"Dana", "tab", *"15:30")
        await pilot.press("enter")
        await pilot.pause()
        assert "[ ] Rotate the DB password · Dana · due 15:30" in pane_text(demo_app)
    item = on_disk().action_items[-1]
    assert (item.text, item.owner) == ("Rotate the DB password", "Dana")
    assert item.due == datetime(2026, 11, 28, 15, 30, tzinfo=UTC)  # the next 15:30


async def test_a_bad_due_time_keeps_the_form_and_says_why(
    demo_app: IncidentApp, on_disk: Read
) -> None:
    before = len(on_disk().action_items)
    async with demo_app.run_test(size=SIZE) as pilot:
        await pilot.press("a", *"Rotate keys", "tab", "tab", *"soonish", "enter")
        await pilot.pause()
        assert "cannot read time 'soonish'" in str(
            demo_app.screen.query_one("#form-error").render()
        )
    assert len(on_disk().action_items) == before


async def test_overdue_is_said_in_words(store: IncidentStore, clock: FrozenClock) -> None:
    incident = ops.declare(store, "Checkout errors", impact="checkout fails")
    ops.add_action_item(
        incident, "Page the DBA", owner="Ana", due=clock.now() + timedelta(minutes=5)
    )
    app = IncidentApp(store, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "due 14:05" in pane_text(app) and "OVERDUE" not in pane_text(app)
        clock.advance(timedelta(minutes=6))
        await pilot.pause(1.2)  # the next tick
        assert "OVERDUE 14:05" in pane_text(app)
        assert "1 overdue" in str(app.screen.query_one("#action-pane").border_title)


async def test_shift_a_marks_an_item_done_at_once(demo_app: IncidentApp, on_disk: Read) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await pilot.press("A")
        modal = demo_app.screen
        assert isinstance(modal, ActionItemsModal)
        first = modal.items[0]
        await pilot.press("space")
        await pilot.pause()
        stored = {item.id: item for item in on_disk().action_items}
        assert stored[first.id].done  # saved while the list is still open
        await pilot.press("escape")
        await pilot.pause()
        assert "[x]" in pane_text(demo_app) and "done" in pane_text(demo_app)
        await pilot.press("A", "end", "space")  # the done one is listed last: open it again
        await pilot.pause()
    assert not {item.id: item for item in on_disk().action_items}[first.id].done


async def test_no_action_items_says_how_to_add_one(
    store: IncidentStore, clock: FrozenClock
) -> None:
    ops.declare(store, "Checkout errors", impact="checkout fails")
    app = IncidentApp(store, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Press a to add one" in pane_text(app)
        await pilot.press("A")
        assert isinstance(app.screen, ActionItemsModal)
        assert app.screen.query(Static)


async def test_e_in_the_list_edits_an_item_and_saves_only_what_changed(
    demo_app: IncidentApp, on_disk: Read
) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await pilot.press("A")
        modal = demo_app.screen
        assert isinstance(modal, ActionItemsModal)
        first = modal.items[0]
        await pilot.press("e")
        await pilot.pause()
        form = demo_app.screen
        assert form.query_one("#text").value == first.text  # type: ignore[attr-defined]
        await pilot.press("tab", "ctrl+u", *"Priya", "enter")
        await pilot.pause()
        assert demo_app.screen is modal  # back in the list, which shows the new owner
        prompt = modal.query_one("#items", OptionList).get_option_at_index(0).prompt
        assert "Priya" in str(prompt) and modal.items[0].owner == "Priya"
    stored = {item.id: item for item in on_disk().action_items}[first.id]
    assert (stored.text, stored.owner, stored.due) == (first.text, "Priya", first.due)
    assert on_disk().events[-1].text.endswith(f"Owner: {first.owner or '(none)'} -> Priya")


async def test_an_edit_with_a_bad_due_time_reopens_with_the_reason(
    demo_app: IncidentApp, on_disk: Read
) -> None:
    before = on_disk().action_items
    async with demo_app.run_test(size=SIZE) as pilot:
        await pilot.press("A", "e", "tab", "tab", "ctrl+u", *"soonish", "enter")
        await pilot.pause()
        assert "cannot read time 'soonish'" in str(
            demo_app.screen.query_one("#form-error").render()
        )
    assert on_disk().action_items == before
