"""What matters on a call: the declare form, hostile text, failed writes, other writers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from textual.command import CommandList

from incident_tui.core import files
from incident_tui.core import operations as ops
from incident_tui.core.clock import FrozenClock
from incident_tui.core.errors import StoreError
from incident_tui.core.models import DetectionSource, IncidentRecord, Role, Severity
from incident_tui.core.store import IncidentFile, IncidentStore
from incident_tui.ui.app import IncidentApp
from incident_tui.ui.modals.decision import DecisionModal
from incident_tui.ui.modals.declare import DeclareModal
from incident_tui.ui.modals.event import EventModal
from incident_tui.ui.widgets.decisions import DecisionLog
from incident_tui.ui.widgets.header import IncidentHeader
from incident_tui.ui.widgets.timeline import TimelineView

SIZE = (120, 36)
Read = Callable[[], IncidentRecord]


def drawn_lines(timeline: TimelineView) -> list[str]:
    """The characters the timeline actually hands to the terminal, line by line."""
    return [timeline.render_line(y).text for y in range(timeline.size.height)]


async def test_no_incident_starts_on_declare_form(
    store: IncidentStore, clock: FrozenClock, data_dir: Path
) -> None:
    app = IncidentApp(store, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, DeclareModal)
        await pilot.press(*"Payments down in EU")
        await pilot.press("tab", "tab")  # past the severity list (SEV-1 preselected)
        await pilot.press(*"EU card payments fail")
        await pilot.press("tab", "space", "down", "enter")  # source: customer
        await pilot.press("tab", *"13:45", "tab", *"Ana")
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, DeclareModal)
        assert app.screen.query_one(TimelineView).events[-1].text == "Acknowledged: by Ana"
    fresh = IncidentStore(data_dir, clock=clock)
    record = fresh.open(fresh.resolve_id(None)).record()
    incident = record.incident
    assert incident.title == "Payments down in EU"
    assert incident.severity is Severity.SEV1
    assert incident.impact == "EU card payments fail"
    assert incident.source is DetectionSource.CUSTOMER
    assert incident.detected_at == clock.now() - timedelta(minutes=15)
    assert record.holder(Role.IC) == "Ana"


async def test_declare_with_bad_time_keeps_the_form(
    store: IncidentStore, clock: FrozenClock
) -> None:
    app = IncidentApp(store, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(*"Search down", "tab", "tab", "tab", "tab", *"yesterday", "enter")
        await pilot.pause()
        assert isinstance(app.screen, DeclareModal)  # reopened, nothing lost
        assert app.screen.value("title") == "Search down"
        assert "cannot read time 'yesterday'" in str(app.screen.query_one("#form-error").render())
    assert store.list_incidents() == []


async def test_escape_on_declare_form_leaves_an_empty_screen(
    store: IncidentStore, clock: FrozenClock
) -> None:
    app = IncidentApp(store, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("escape", "t")
        await pilot.pause()
        assert not isinstance(app.screen, EventModal)  # nothing to log to yet
        assert "No incident open: press i to declare one." in [
            n.message for n in app._notifications
        ]
    assert store.list_incidents() == []


async def test_markup_and_escape_sequences_are_shown_literally(
    demo_app: IncidentApp, demo_store: IncidentStore, data_dir: Path, clock: FrozenClock
) -> None:
    other = IncidentStore(data_dir, clock=clock, author="other-shell")
    incident_id = demo_store.resolve_id(None)
    async with demo_app.run_test(size=SIZE) as pilot:
        await pilot.press("t", *"[bold red]x[/]", "enter")
        ops.log(other.open(incident_id), "boom\x1b[2J\x1b]0;pwned\x07 done")
        for _ in range(100):  # the other shell's row arrives by notification or by the poll
            await pilot.pause(0.05)
            lines = drawn_lines(demo_app.screen.query_one(TimelineView))
            if any("pwned" in line for line in lines):
                break
        await pilot.press("d", *"[link=http://x]go[/link]", "enter")
        await pilot.pause()
        log = demo_app.screen.query_one(DecisionLog)
        decisions = log.log_text(demo_app.screen.record, utc=False).plain  # type: ignore[attr-defined]
    assert any(line.rstrip().endswith("[bold red]x[/]") for line in lines)
    assert any("boom␛[2J␛]0;pwned␇ done" in line for line in lines)
    assert not any("\x1b" in line for line in lines)
    assert "[link=http://x]go[/link]" in decisions
    stored = IncidentStore(data_dir, clock=clock).open(incident_id).record().events
    texts = [event.text for event in stored]
    assert "[bold red]x[/]" in texts
    assert "boom\x1b[2J\x1b]0;pwned\x07 done" in texts  # stored exactly as written


async def test_failed_write_keeps_typed_text(
    demo_app: IncidentApp, on_disk: Read, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(*args: object, **kwargs: object) -> None:
        raise StoreError("incidents/INC-20261128-1.db: cannot write (No space left on device)")

    before = on_disk()
    async with demo_app.run_test(size=SIZE) as pilot:
        with monkeypatch.context() as patch:
            patch.setattr(IncidentFile, "write", disk_full)
            await pilot.press("t", *"rollback verified", "enter")
            await pilot.pause()
            assert isinstance(demo_app.screen, EventModal)
            assert demo_app.screen.value("text") == "rollback verified"
            messages = [n.message for n in demo_app._notifications]
            assert any("No space left on device" in m for m in messages)
        assert on_disk() == before
        await pilot.press("enter")  # the disk has room again: the same text is saved
        await pilot.pause()
        assert not isinstance(demo_app.screen, EventModal)
    after = on_disk().events[-1]
    assert after.text == "rollback verified"
    assert after.occurred_at == before.incident.detected_at + timedelta(minutes=40)


async def test_read_only_data_dir_keeps_typed_decision(
    demo_app: IncidentApp, on_disk: Read, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The file refuses the append as a read-only one would (EACCES). Root ignores a chmod,
    # so the refusal is made at the one place the journal opens its file for appending;
    # tests/hostile runs a truly read-only data dir as a non-root user.
    before = on_disk()

    def refused(path: Path, create: bool = False) -> int:
        raise PermissionError(13, "Permission denied", str(path))

    async with demo_app.run_test(size=SIZE) as pilot:
        monkeypatch.setattr(files, "open_append", refused)
        await pilot.press("d", *"fail over", "enter")
        await pilot.pause()
        assert isinstance(demo_app.screen, DecisionModal)
        assert demo_app.screen.value("what") == "fail over"
        assert "Permission denied" in str(demo_app.screen.query_one("#form-error").render())
        monkeypatch.undo()
    assert on_disk() == before


async def test_another_process_writing_shows_up_within_a_second(
    demo_app: IncidentApp, demo_store: IncidentStore, data_dir: Path, clock: FrozenClock
) -> None:
    incident_id = demo_store.resolve_id(None)
    second = IncidentStore(data_dir, clock=clock, author="second-shell")
    async with demo_app.run_test(size=SIZE) as pilot:
        timeline = demo_app.screen.query_one(TimelineView)
        await pilot.pause()
        ops.log(second.open(incident_id), "logged from another shell")
        ops.assign_role(second.open(incident_id), Role.SME, "Noor")
        await pilot.pause(1.0)
        rows = timeline.visible_rows()
        assert rows[-2].endswith("logged from another shell")
        assert "second-shell  Noor pulled in as Subject matter" in rows[-1]  # author kept
        assert "Noor" in demo_app.screen.query_one("#roles").shown  # type: ignore[attr-defined]


async def test_command_palette_runs_screen_actions(demo_app: IncidentApp, on_disk: Read) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"decision")
        for _ in range(100):  # the palette searches in a worker: wait for its hits
            await pilot.pause(0.05)
            hits = demo_app.screen.query(CommandList)
            if hits and hits.first().option_count:
                break
        await pilot.press("enter")
        for _ in range(100):
            await pilot.pause(0.05)
            if isinstance(demo_app.screen, DecisionModal):
                break
        assert isinstance(demo_app.screen, DecisionModal)
        await pilot.press(*"page the DBA", "enter")
        await pilot.pause()
    assert on_disk().decisions[-1].what == "page the DBA"


async def test_time_since_detection_ticks_from_the_clock(
    demo_app: IncidentApp, clock: FrozenClock
) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        header = demo_app.screen.query_one(IncidentHeader)
        assert "IDENTIFIED  0:40:00 since detection" in header.shown
        clock.advance(timedelta(minutes=1, seconds=5))
        await pilot.pause(1.2)  # one tick of the one-second timer
        assert "IDENTIFIED  0:41:05 since detection" in header.shown
