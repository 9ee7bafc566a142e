"""Opening a large incident: the header comes first, the timeline follows, keys wait for it."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest

from incident_tui.core import operations as ops
from incident_tui.core.clock import FrozenClock
from incident_tui.core.errors import StoreError
from incident_tui.core.models import IncidentRecord, Status
from incident_tui.core.store import IncidentStore
from incident_tui.core.store.incident_file import IncidentFile
from incident_tui.ui.app import IncidentApp
from incident_tui.ui.controller import IncidentController
from incident_tui.ui.modals.event import EventModal
from incident_tui.ui.widgets.footer import KeyFooter
from incident_tui.ui.widgets.header import IncidentHeader
from incident_tui.ui.widgets.roles import RoleBoard
from incident_tui.ui.widgets.timeline import TimelineView

SIZE = (120, 36)
TITLE = "Checkout errors after checkout-api 2.14.0 deploy"

Read = Callable[[], IncidentRecord]


@pytest.fixture
def held_load(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """The background read waits until the returned event is set (so tests see the gap)."""
    gate = threading.Event()
    read = IncidentController.finish_open

    def held(self: IncidentController) -> tuple[IncidentFile, IncidentRecord]:
        assert gate.wait(10), "the test never let the incident load"
        return read(self)

    monkeypatch.setattr(IncidentController, "finish_open", held)
    yield gate
    gate.set()  # never leave a worker thread blocked


async def test_large_incident_shows_its_header_before_the_timeline(
    demo_store: IncidentStore, clock: FrozenClock, on_disk: Read, held_load: threading.Event
) -> None:
    app = IncidentApp(demo_store, clock=clock, background_from=0)
    async with app.run_test(size=SIZE) as pilot:
        timeline = app.screen.query_one(TimelineView)
        assert TITLE in app.screen.query_one(IncidentHeader).shown
        assert "SEV-1" in app.screen.query_one(IncidentHeader).shown
        assert timeline.events == []
        assert str(timeline.border_title).startswith("Timeline · reading")
        held_load.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        count = len(on_disk().events)
        assert [e.id for e in timeline.events] == [e.id for e in on_disk().events]
        assert str(timeline.border_title).startswith(f"Timeline · {count} events")
        assert "Priya Raman" in app.screen.query_one(RoleBoard).shown


async def test_header_read_from_the_file_when_an_id_is_given(
    demo_store: IncidentStore, clock: FrozenClock, held_load: threading.Event
) -> None:
    incident_id = demo_store.resolve_id(None)
    app = IncidentApp(demo_store, incident_id, clock=clock, background_from=0)
    async with app.run_test(size=SIZE):
        assert TITLE in app.screen.query_one(IncidentHeader).shown
        assert app.screen.query_one(TimelineView).events == []
        held_load.set()  # let the reader finish before the app shuts down


async def test_resolved_incident_header_comes_from_the_file_with_its_resolve_time(
    demo_store: IncidentStore, clock: FrozenClock, held_load: threading.Event
) -> None:
    # The index has no resolved_at, so a resolved incident's header is read from the file.
    incident = demo_store.open(demo_store.resolve_id(None))
    clock.advance(timedelta(minutes=20))
    ops.set_status(incident, Status.RESOLVED, "error rate at baseline for 15 min")
    clock.advance(timedelta(minutes=30))
    app = IncidentApp(demo_store, clock=clock, background_from=0)
    async with app.run_test(size=SIZE):
        shown = app.screen.query_one(IncidentHeader).shown
        assert app.screen.query_one(TimelineView).events == []  # still reading
        held_load.set()
    assert "RESOLVED" in shown
    assert "1:00:00 to resolve" in shown  # detected 13:20, resolved 14:20; not still ticking


async def test_key_pressed_while_loading_runs_once_loaded_with_its_keypress_time(
    demo_store: IncidentStore, clock: FrozenClock, on_disk: Read, held_load: threading.Event
) -> None:
    app = IncidentApp(demo_store, clock=clock, background_from=0)
    async with app.run_test(size=SIZE) as pilot:
        pressed_at = clock.now()
        await pilot.press("t")
        await pilot.pause()
        assert not isinstance(app.screen, EventModal)  # no dialog on half an incident
        clock.advance(timedelta(seconds=30))
        held_load.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, EventModal)
        await pilot.press(*"typed while it loaded", "enter")
        await pilot.pause()
    event = on_disk().events[-1]
    assert event.text == "typed while it loaded"
    assert event.occurred_at == pressed_at


async def test_a_failed_background_read_ends_the_app_with_the_error(
    demo_store: IncidentStore, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: IncidentController) -> tuple[IncidentFile, IncidentRecord]:
        raise StoreError("INC-1.db: a record has the wrong shape (test)")

    monkeypatch.setattr(IncidentController, "finish_open", broken)
    app = IncidentApp(demo_store, clock=clock, background_from=0)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(200):  # the app ends itself as soon as the read has failed
            if app.load_error is not None:
                break
            await pilot.pause(0.01)
    assert app.return_code == 1
    assert isinstance(app.load_error, StoreError)
    assert "wrong shape" in str(app.load_error)


async def test_small_incident_opens_complete(demo_app: IncidentApp, on_disk: Read) -> None:
    async with demo_app.run_test(size=SIZE):
        timeline = demo_app.screen.query_one(TimelineView)
        assert len(timeline.events) == len(on_disk().events)


async def test_footer_shows_the_keys_and_a_click_presses_one(demo_app: IncidentApp) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        footer = demo_app.screen.query_one(KeyFooter)
        shown = footer.shown
        assert shown.startswith("? Help t Event c Update")
        assert shown.rstrip().endswith("^p Commands")
        assert len(shown) == SIZE[0]  # cut to the width, the palette key kept
        start = shown.index("t Event")
        await pilot.click(KeyFooter, offset=(start, 0))
        await pilot.pause()
        assert isinstance(demo_app.screen, EventModal)


async def test_text_and_enter_typed_after_t_while_loading_reach_the_form_and_save(
    demo_store: IncidentStore, clock: FrozenClock, on_disk: Read, held_load: threading.Event
) -> None:
    # A scribe who types t, the text and Enter at once, before a large incident is read:
    # nothing typed is lost, and no typed letter runs as a key of the screen (p, d, e...).
    app = IncidentApp(demo_store, clock=clock, background_from=0)
    before = on_disk()
    async with app.run_test(size=SIZE) as pilot:
        pressed_at = clock.now()
        await pilot.press("t", *"dep pool ok", "enter")
        await pilot.pause(1.5)  # longer than a burst lasts when nothing is loading
        assert not isinstance(app.screen, EventModal)
        held_load.set()
        await app.workers.wait_for_complete()
        for _ in range(40):
            await pilot.pause(0.05)
            if on_disk().events[-1].text == "dep pool ok":
                break
        assert not isinstance(app.screen, EventModal)  # saved by the Enter typed early
    after = on_disk()
    assert after.events[-1].text == "dep pool ok"
    assert after.events[-1].occurred_at == pressed_at
    assert len(after.events) == len(before.events) + 1  # only that: no p, d or e ran
    assert after.decisions == before.decisions
