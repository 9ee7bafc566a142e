"""The timeline and the screen at scale: another process's write shows up when it lands (not
at the next poll), and a new event is put in place without touching every row."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest

from incident_tui.core import operations as ops
from incident_tui.core.clock import FrozenClock
from incident_tui.core.models import IncidentRecord
from incident_tui.core.store import IncidentFile, IncidentStore
from incident_tui.ui.app import IncidentApp
from incident_tui.ui.screens import main as main_screen
from incident_tui.ui.widgets.timeline import TimelineView

SIZE = (120, 36)


async def test_another_process_write_shows_without_waiting_for_the_poll(
    demo_app: IncidentApp,
    demo_store: IncidentStore,
    data_dir: Path,
    clock: FrozenClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(main_screen, "POLL_SECONDS", 60.0)  # only the notification can do it
    incident_id = demo_store.resolve_id(None)
    other = IncidentStore(data_dir, clock=clock, author="other-shell")
    async with demo_app.run_test(size=SIZE) as pilot:
        timeline = demo_app.screen.query_one(TimelineView)
        await pilot.pause(0.3)  # the watcher starts after the first frame
        ops.log(other.open(incident_id), "written by another process")
        wrote = time.monotonic()
        while timeline.events[-1].text != "written by another process":
            assert time.monotonic() - wrote < 2.0, "not shown within 2 s without a poll"
            await pilot.pause(0.02)


async def test_new_events_go_in_place_and_keep_the_rows_already_there(
    demo_app: IncidentApp,
    demo_store: IncidentStore,
    data_dir: Path,
    clock: FrozenClock,
) -> None:
    incident_id = demo_store.resolve_id(None)
    other = IncidentStore(data_dir, clock=clock, author="other-shell").open(incident_id)
    async with demo_app.run_test(size=SIZE) as pilot:
        timeline = demo_app.screen.query_one(TimelineView)
        await pilot.pause()
        before = list(timeline.events)
        clock.advance(timedelta(minutes=1))
        ops.log(other, "backdated", at=before[2].occurred_at + timedelta(seconds=1))
        ops.log(other, "newest one")
        ops.log(other, "newest two")
        demo_app.screen._poll()  # type: ignore[attr-defined]
        await pilot.pause()
        after = timeline.events
        record = demo_app.screen.record  # type: ignore[attr-defined]
        assert [e.id for e in after] == [e.id for e in record.events]
        assert [e.text for e in after[-2:]] == ["newest one", "newest two"]
        texts = [e.text for e in after]
        assert texts.index("backdated") < len(before)  # went in among the old rows, in order
        kept = [e for e in after if e.text not in ("backdated", "newest one", "newest two")]
        assert all(a is b for a, b in zip(kept, before, strict=True))  # not rebuilt


async def test_a_large_incident_shows_its_newest_rows_before_the_rest_is_read(
    demo_store: IncidentStore,
    data_dir: Path,
    clock: FrozenClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from incident_tui.core.store import checkpoint
    from incident_tui.ui import loading
    from incident_tui.ui.controller import IncidentController

    monkeypatch.setattr(checkpoint, "EAGER_BYTES", 100)  # the demo's events count as large
    monkeypatch.setattr(loading, "PREVIEW", 3)
    incident_id = demo_store.resolve_id(None)
    IncidentStore(data_dir, clock=clock).open(incident_id).compact()  # writes the checkpoint
    everything = IncidentStore(data_dir, clock=clock).open(incident_id).record().events
    gate = threading.Event()
    read = IncidentController.finish_open

    def held(self: IncidentController) -> tuple[IncidentFile, IncidentRecord]:
        assert gate.wait(10), "the test never let the incident load"
        return read(self)

    monkeypatch.setattr(IncidentController, "finish_open", held)
    app = IncidentApp(demo_store, clock=clock, background_from=0)
    try:
        async with app.run_test(size=SIZE) as pilot:
            timeline = app.screen.query_one(TimelineView)
            started = time.monotonic()
            while not timeline.events:
                assert time.monotonic() - started < 5, "no rows before the full read"
                await pilot.pause(0.02)
            assert [e.id for e in timeline.events] == [e.id for e in everything[-3:]]
            assert str(timeline.border_title).startswith("Timeline · reading")
            assert app.screen.record_loading  # type: ignore[attr-defined]
            gate.set()
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert [e.id for e in timeline.events] == [e.id for e in everything]
    finally:
        gate.set()


async def test_the_clock_ticking_redraws_no_timeline_row(
    demo_app: IncidentApp, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An idle screen at 100,000 events spent its CPU repainting every row once a second;
    # a tick must move the stopwatch and countdowns only (count work, not time).
    drawn: list[int] = []
    render_line = TimelineView.render_line

    def counting(self: TimelineView, y: int):  # type: ignore[no-untyped-def]
        drawn.append(y)
        return render_line(self, y)

    async with demo_app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.5)
        header = demo_app.screen.query_one("#header")
        before = header.shown  # type: ignore[attr-defined]
        monkeypatch.setattr(TimelineView, "render_line", counting)
        for _ in range(3):
            clock.advance(timedelta(seconds=61))
            await pilot.pause(1.1)  # one tick
        assert header.shown != before  # type: ignore[attr-defined]  # the stopwatch moved
        assert drawn == []


async def test_a_typed_event_is_in_the_frame_that_closes_its_dialog_with_no_layout(
    demo_app: IncidentApp, demo_store: IncidentStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Enter in the event dialog used to close it first and write after: the frame that
    # uncovered the screen lacked the new row, which came in a second frame after a layout
    # of the whole screen (about 50 ms in bench_render). Count the work, not the time: the
    # row is in the timeline when the dialog closes, and it asks for no layout pass.
    from textual.widget import Widget

    from incident_tui.ui.widgets.attention import AttentionStrip

    incident = demo_store.open(demo_store.resolve_id(None))
    for n in range(60):  # more rows than the pane holds: the scrollbar shows
        ops.log(incident, f"filler {n}")
    at_close: list[str] = []
    layouts: list[str] = []
    refresh = Widget.refresh

    def counting(self: Widget, *regions, **kwargs):  # type: ignore[no-untyped-def]
        if kwargs.get("layout") and isinstance(self, TimelineView | AttentionStrip):
            layouts.append(type(self).__name__)
        return refresh(self, *regions, **kwargs)

    async with demo_app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.3)
        timeline = demo_app.screen.query_one(TimelineView)
        assert timeline.max_scroll_y > 0
        pop_screen = demo_app.pop_screen

        def closing():  # type: ignore[no-untyped-def]
            at_close.append(timeline.events[-1].text)
            return pop_screen()

        monkeypatch.setattr(demo_app, "pop_screen", closing)
        await pilot.press("t")
        await pilot.pause()
        await pilot.press(*"typed row zq")
        monkeypatch.setattr(Widget, "refresh", counting)
        await pilot.press("enter")
        await pilot.pause()
        assert at_close == ["typed row zq"]
        assert timeline.events[-1].text == "typed row zq"
        assert timeline.is_vertical_scroll_end  # still following the newest row
        assert layouts == []


async def test_a_new_event_repaints_no_pane_it_did_not_change(
    demo_app: IncidentApp, demo_store: IncidentStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every pane bound to the record repainted on every write, changed or not: the roles,
    # rubric, decisions and action items were drawn again for a plain note (about 3 ms of
    # the frame that shows it). Count the repaints asked for, not the time.
    from textual.widget import Widget

    from incident_tui.ui.screens.main import IncidentScreen
    from incident_tui.ui.widgets.action_items import ActionItemsPane
    from incident_tui.ui.widgets.decisions import DecisionLog
    from incident_tui.ui.widgets.roles import RoleBoard
    from incident_tui.ui.widgets.rubric import SeverityRubric

    unchanged = (RoleBoard, SeverityRubric, DecisionLog, ActionItemsPane, IncidentScreen)
    repainted: list[str] = []
    refresh = Widget.refresh

    def counting(self: Widget, *regions, **kwargs):  # type: ignore[no-untyped-def]
        if isinstance(self, unchanged):
            repainted.append(type(self).__name__)
        return refresh(self, *regions, **kwargs)

    incident = demo_store.open(demo_store.resolve_id(None))
    async with demo_app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.3)
        timeline = demo_app.screen.query_one(TimelineView)
        monkeypatch.setattr(Widget, "refresh", counting)
        ops.log(incident, "a plain note")
        demo_app.screen.reload()  # type: ignore[attr-defined]
        await pilot.pause()
        assert timeline.events[-1].text == "a plain note"
        assert repainted == []
