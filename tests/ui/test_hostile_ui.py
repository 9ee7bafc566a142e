"""User text in the app is data, never markup: titles, names and notes holding ``[/]``,
``[bold]``, escape sequences, C1 and bidi controls open every screen, the palette and the
toasts without crashing, and are shown literally."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import Input

from incident_tui.core import operations as ops
from incident_tui.core.clock import FrozenClock
from incident_tui.core.models import EventKind, Role
from incident_tui.core.store import IncidentStore
from incident_tui.ui.app import IncidentApp

SIZE = (120, 36)
NASTY = "[/]ana[bold] \x1b]52;c;aGk=\x07 \x1b[2J \x9b31m \u202eevil\u202c [link=x]y"
KEYS = ["question_mark", "t", "d", "a", "r", "s", "p", "x", "i", "u"]
AID_KEYS = ["m", "v", "k", "h", "n", "c", "z"]


def _hostile_store(store: IncidentStore, clock: FrozenClock) -> str:
    other = ops.declare(store, NASTY + " older", responder=NASTY)
    clock.advance(timedelta(minutes=1))
    handle = ops.declare(store, NASTY, impact=NASTY, responder=NASTY)
    for role in (Role.COMMS, Role.OPS, Role.SCRIBE, Role.SME):
        ops.assign_role(handle, role, NASTY)
    ops.log(handle, NASTY, kind=EventKind.NOTE, author=NASTY)
    ops.log(handle, f"Hypothesis: {NASTY}", kind=EventKind.NOTE)
    ops.record_update(handle, "internal", NASTY)
    ops.decide(handle, NASTY, why=NASTY, decided_by=NASTY, alternatives=NASTY)
    ops.add_action_item(handle, NASTY, owner=NASTY)
    ops.edit_header(handle, summary=NASTY)
    assert other.id != handle.id
    return handle.id


async def test_every_screen_palette_and_toast_survives_hostile_text(
    store: IncidentStore, clock: FrozenClock
) -> None:
    incident_id = _hostile_store(store, clock)
    app = IncidentApp(store, incident_id, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for key in [*KEYS, *AID_KEYS]:
            await pilot.press(key)
            await pilot.pause()
            focused = app.focused
            if isinstance(focused, Input):
                await pilot.press(*"[/]x[bold]")
                await pilot.pause()
            while app.screen is not app.screen_stack[0] and len(app.screen_stack) > 1:
                await pilot.press("escape")
                await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Open")
        await pilot.pause(0.3)
        await pilot.press(*"[/]")
        await pilot.pause(0.3)
        await pilot.press("escape")
        await pilot.pause()
        app.notify(NASTY, title=NASTY, severity="error")
        await pilot.pause()
        toasts = list(app._notifications)
        assert any("[/]ana[bold]" in toast.message for toast in toasts)
        for toast in toasts:
            assert "\x1b" not in toast.message + toast.title
            assert "\u202e" not in toast.message + toast.title
            assert toast.markup is False
        assert app.is_running
    assert app.return_code in (0, None)


async def test_typed_markup_is_stored_and_shown_literally(
    store: IncidentStore, clock: FrozenClock
) -> None:
    incident_id = _hostile_store(store, clock)
    app = IncidentApp(store, incident_id, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        await pilot.pause()
        await pilot.press(*"[/]typed[bold]", "enter")
        await pilot.pause()
    events = store.open(incident_id).record().events
    assert any(event.text == "[/]typed[bold]" for event in events)
