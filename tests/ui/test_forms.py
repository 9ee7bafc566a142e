"""Forms that forgive a tired hand: Enter saves from any field (not inside an open list), Esc
with typed text asks first, the update editor selects all and resets, and keys typed in the
same burst as ``t`` reach the dialog."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, Select, Static, TextArea

from incident_tui.core.clock import FrozenClock
from incident_tui.core.models import EventKind, IncidentRecord, Role, Severity, Status
from incident_tui.ui.app import IncidentApp
from incident_tui.ui.modals.base import FormModal
from incident_tui.ui.modals.compose import ComposeModal
from incident_tui.ui.modals.event import EventModal

SIZE = (120, 36)
Read = Callable[[], IncidentRecord]


async def _focus_select(pilot: Pilot[None], app: IncidentApp) -> Select[object]:
    """Tab round the dialog until a (closed) dropdown has focus."""
    for _ in range(8):
        if isinstance(app.screen.focused, Select):
            return app.screen.focused
        await pilot.press("tab")
    raise AssertionError("no dropdown in this dialog")


async def test_the_issue_sequence_saves_instead_of_reopening_the_dropdown(
    demo_app: IncidentApp, on_disk: Read
) -> None:
    """``t``, text, Tab, Enter: saved (it used to reopen the kind dropdown)."""
    async with demo_app.run_test(size=SIZE) as pilot:
        await pilot.press("t", *"flag off", "tab")
        assert isinstance(demo_app.screen.focused, Select)
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(demo_app.screen, EventModal)
    assert on_disk().events[-1].text == "flag off"


async def test_enter_inside_an_open_dropdown_picks_and_the_next_enter_saves(
    demo_app: IncidentApp, on_disk: Read
) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await pilot.press("t", *"flag off", "tab", "space", "down", "down", "enter")
        await pilot.pause()
        assert isinstance(demo_app.screen, EventModal)  # the enter chose from the list
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(demo_app.screen, EventModal)
    event = on_disk().events[-1]
    assert (event.text, event.kind) == ("flag off", EventKind.MITIGATION)


# (keys that open and fill the form, what must be on disk afterwards)
FORMS_WITH_A_DROPDOWN: list[tuple[str, list[str], Callable[[IncidentRecord], bool]]] = [
    ("event", ["t", *"db failover done"], lambda r: r.events[-1].text == "db failover done"),
    ("role", ["r", *"Noor"], lambda r: "Noor" in r.current_roles()[Role.IC]),
    (
        "severity",
        ["s", "space", "down", "enter", "tab", *"contained"],
        lambda r: r.incident.severity is Severity.SEV2,
    ),
    ("status", ["p", "tab", *"fix deployed"], lambda r: r.incident.status is Status.MONITORING),
    ("snooze", ["z"], lambda r: "snoozed" in r.events[-1].text),
]


@pytest.mark.parametrize(
    ("keys", "stored"),
    [pytest.param(keys, stored, id=name) for name, keys, stored in FORMS_WITH_A_DROPDOWN],
)
async def test_enter_on_a_closed_dropdown_saves_every_form(
    demo_app: IncidentApp,
    on_disk: Read,
    keys: list[str],
    stored: Callable[[IncidentRecord], bool],
) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await pilot.press(*keys)
        await _focus_select(pilot, demo_app)
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(demo_app.screen, FormModal)
    assert stored(on_disk())


@pytest.mark.parametrize(
    ("keys", "stored"),
    [
        pytest.param(
            ["d", *"keep the flag off", "tab"],
            lambda r: r.decisions[-1].what == "keep the flag off",
            id="decision-from-why",
        ),
        pytest.param(
            ["a", *"add a canary", "tab"],
            lambda r: r.action_items[-1].text == "add a canary",
            id="action-item-from-owner",
        ),
        pytest.param(
            ["v", *"test purchase ok"],
            lambda r: r.incident.verified_at is not None,
            id="verify",
        ),
        pytest.param(
            ["m", "enter", *"back to 2.13.2"],
            lambda r: "back to 2.13.2" in r.events[-1].text,
            id="mitigation-from-detail",
        ),
    ],
)
async def test_enter_saves_from_a_middle_field(
    demo_app: IncidentApp,
    on_disk: Read,
    keys: list[str],
    stored: Callable[[IncidentRecord], bool],
) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await pilot.press(*keys, "enter")
        await pilot.pause()
        assert not isinstance(demo_app.screen, FormModal)
    assert stored(on_disk())


async def test_escape_with_typed_text_asks_first(demo_app: IncidentApp, on_disk: Read) -> None:
    before = len(on_disk().events)
    async with demo_app.run_test(size=SIZE) as pilot:
        await pilot.press("t", *"half a thought", "escape")
        assert isinstance(demo_app.screen, EventModal)  # still open, text kept
        error = str(demo_app.screen.query_one("#form-error", Static).render())
        assert "Esc again throws away" in error
        assert demo_app.screen.query_one("#text", Input).value == "half a thought"
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(demo_app.screen, EventModal)
        await pilot.press("t", "escape")  # nothing typed: one Esc closes
        await pilot.pause()
        assert not isinstance(demo_app.screen, EventModal)
    assert len(on_disk().events) == before


async def test_keys_typed_in_the_same_burst_as_t_reach_the_dialog(
    demo_app: IncidentApp, on_disk: Read
) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        # As a terminal delivers a paste or a fast typist: all queued before any is handled.
        for char in "tcache purged":
            key = "space" if char == " " else char
            demo_app.post_message(events.Key(key, char))
        demo_app.post_message(events.Key("enter", "\r"))
        await pilot.pause(0.5)
        assert not isinstance(demo_app.screen, EventModal)
    assert on_disk().events[-1].text == "cache purged"


async def test_update_editor_selects_all_and_resets_to_the_template(
    demo_app: IncidentApp,
) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        modal = demo_app.screen
        assert isinstance(modal, ComposeModal)
        editor = modal.query_one("#update-text", TextArea)
        template = editor.text
        await pilot.press("tab", "ctrl+a")
        assert editor.selected_text == template
        await pilot.press(*"all new")
        assert editor.text == "all new"
        await pilot.press("escape")  # edited: asks first
        assert isinstance(demo_app.screen, ComposeModal)
        await pilot.press("ctrl+r")
        assert editor.text == template
        await pilot.press("escape")  # the second Esc closes
        await pilot.pause()
        assert not isinstance(demo_app.screen, ComposeModal)


async def _type_when(pilot: Pilot[None], app: IncidentApp, text: str) -> None:
    field = app.screen.query_one("#when-field", Input)
    field.focus()
    await pilot.pause()
    field.value = ""
    await pilot.press(*text)


async def test_every_writing_dialog_has_a_when_field_holding_the_keypress(
    demo_app: IncidentApp,
) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        for key in ("t", "d", "a", "r", "s", "p", "e", "m"):
            await pilot.press(key)
            await pilot.pause()
            modal = demo_app.screen
            assert isinstance(modal, FormModal), key
            assert modal.query_one("#when-field", Input).value == "14:00:00", key
            await pilot.press("escape")
            await pilot.pause()
            if isinstance(demo_app.screen, FormModal):
                await pilot.press("escape")  # a dialog that opens holding text asks first
                await pilot.pause()


async def test_the_when_field_backdates_and_untouched_keeps_the_keypress(
    demo_app: IncidentApp, on_disk: Read, clock: FrozenClock
) -> None:
    pressed = clock.now()
    async with demo_app.run_test(size=SIZE) as pilot:
        await pilot.press("t", *"pool exhausted")
        await pilot.pause()
        await _type_when(pilot, demo_app, "-5m")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("d", *"roll back")
        await pilot.pause()
        clock.advance(timedelta(minutes=2))  # Enter comes two minutes after d
        await pilot.press("enter")
        await pilot.pause()
    events = {e.text: e for e in on_disk().events}
    assert events["pool exhausted"].occurred_at == pressed - timedelta(minutes=5)
    assert on_disk().decisions[-1].decided_at == pressed  # the keypress, not the Enter


async def test_a_when_that_cannot_be_read_keeps_the_dialog_and_writes_nothing(
    demo_app: IncidentApp, on_disk: Read
) -> None:
    before = len(on_disk().events)
    async with demo_app.run_test(size=SIZE) as pilot:
        await pilot.press("t", *"pool exhausted")
        await pilot.pause()
        await _type_when(pilot, demo_app, "25:99")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(demo_app.screen, EventModal)
        error = str(demo_app.screen.query_one("#form-error", Static).render())
        assert error.startswith("When: ") and "25:99" in error
    assert len(on_disk().events) == before


async def test_a_clock_time_typed_while_the_screen_shows_utc_is_utc(
    demo_app: IncidentApp, on_disk: Read, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", "America/New_York")  # local time five hours behind UTC
    time.tzset()
    try:
        async with demo_app.run_test(size=SIZE) as pilot:
            await pilot.press("u", "t", *"pool exhausted")
            await pilot.pause()
            assert demo_app.screen.query_one("#when-field", Input).value == "14:00:00 UTC"
            await _type_when(pilot, demo_app, "13:50")
            await pilot.press("enter")
            await pilot.pause()
    finally:
        monkeypatch.undo()
        time.tzset()
    event = next(e for e in on_disk().events if e.text == "pool exhausted")
    assert event.occurred_at == clock.now() - timedelta(minutes=10)  # 13:50 UTC
