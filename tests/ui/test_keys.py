"""Every key of the IC's keyboard contract, checked against what ends up on disk."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input

from incident_tui.core import operations as ops
from incident_tui.core.clock import FrozenClock
from incident_tui.core.models import EventKind, IncidentRecord, Role, Severity, Status
from incident_tui.core.store import IncidentStore
from incident_tui.ui.app import IncidentApp
from incident_tui.ui.modals.event import EventModal
from incident_tui.ui.modals.help import HelpModal
from incident_tui.ui.widgets.roles import RoleBoard
from incident_tui.ui.widgets.rubric import SeverityRubric
from incident_tui.ui.widgets.timeline import TimelineView

SIZE = (120, 36)

Read = Callable[[], IncidentRecord]


async def type_text(pilot: Pilot[None], text: str) -> None:
    """Type like a person: one key per character."""
    await pilot.press(*text)


async def test_t_logs_event_at_the_keypress_time(
    demo_app: IncidentApp, clock: FrozenClock, on_disk: Read
) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        pressed_at = clock.now()
        await pilot.press("t")
        assert isinstance(demo_app.screen, EventModal)
        clock.advance(timedelta(seconds=45))  # the scribe takes a while to type
        await type_text(pilot, "DB failover done")
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(demo_app.screen, EventModal)
        rows = demo_app.screen.query_one(TimelineView).visible_rows()
    event = on_disk().events[-1]
    assert event.text == "DB failover done"
    assert event.kind is EventKind.NOTE
    assert event.occurred_at == pressed_at
    assert rows[-1].startswith("14:00:00 NOTE")
    assert rows[-1].endswith("DB failover done")


async def test_t_kind_can_be_chosen(demo_app: IncidentApp, on_disk: Read) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        await type_text(pilot, "flag off")
        await pilot.press("tab", "enter", "down", "down", "enter")  # note -> action -> mitigation
        await pilot.press("shift+tab", "enter")
        await pilot.pause()
    event = on_disk().events[-1]
    assert (event.text, event.kind) == ("flag off", EventKind.MITIGATION)


async def test_escape_saves_nothing(demo_app: IncidentApp, on_disk: Read) -> None:
    before = on_disk()
    async with demo_app.run_test(size=SIZE) as pilot:
        for key, text in (("t", "half typed"), ("d", "maybe roll back"), ("a", "todo")):
            await pilot.press(key)
            await type_text(pilot, text)
            await pilot.press("escape")
            await pilot.pause()
        for key in ("r", "s", "p"):
            await pilot.press(key, "escape")
        await pilot.pause()
        assert demo_app.screen.query_one(TimelineView).events[-1].text == before.events[-1].text
    assert on_disk() == before


async def test_empty_text_keeps_the_dialog_open(demo_app: IncidentApp, on_disk: Read) -> None:
    before = on_disk()
    async with demo_app.run_test(size=SIZE) as pilot:
        await pilot.press("t", "enter")
        await pilot.pause()
        assert isinstance(demo_app.screen, EventModal)
        await pilot.press("escape")
    assert on_disk() == before


async def test_d_records_decision_with_reason(demo_app: IncidentApp, on_disk: Read) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await pilot.press("d")
        await type_text(pilot, "Fail over to EU-west")
        await pilot.press("tab")
        await type_text(pilot, "US-east DB is degraded")
        await pilot.press("enter")
        await pilot.pause()
    decision = on_disk().decisions[-1]
    assert decision.what == "Fail over to EU-west"
    assert decision.why == "US-east DB is degraded"
    assert decision.decided_by == "Priya Raman"  # the IC, prefilled


async def test_a_adds_action_item_with_owner(demo_app: IncidentApp, on_disk: Read) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await type_text(pilot, "Write the AAR")
        await pilot.press("tab")
        await type_text(pilot, "Sam")
        await pilot.press("enter")
        await pilot.pause()
    item = on_disk().action_items[-1]
    assert (item.text, item.owner) == ("Write the AAR", "Sam")


async def test_r_hands_off_ic(demo_app: IncidentApp, on_disk: Read) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await type_text(pilot, "Alex Kim")
        await pilot.press("enter")
        await pilot.pause()
    record = on_disk()
    assert record.holder(Role.IC) == "Alex Kim"
    assert record.roles[-1].previous == "Priya Raman"


async def test_r_offers_the_missing_scribe_first(
    store: IncidentStore, clock: FrozenClock, data_dir: Path
) -> None:
    ops.declare(store, "Login slow", severity=Severity.SEV3, responder="Ana")
    app = IncidentApp(store, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        board = app.screen.query_one(RoleBoard)
        assert "Scribe  ⚠ no Scribe — press r" in board.shown
        await pilot.press("r")
        await type_text(pilot, "Bo")
        await pilot.press("enter")
        await pilot.pause()
        assert "Scribe Bo" in board.shown.splitlines()
    fresh = IncidentStore(data_dir, clock=clock)
    assert fresh.open(fresh.resolve_id(None)).record().holder(Role.SCRIBE) == "Bo"


async def test_s_changes_severity_with_reason(demo_app: IncidentApp, on_disk: Read) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await pilot.press("s", "enter", "down", "enter")  # SEV-1 -> SEV-2 in the list
        await pilot.press("tab")
        await type_text(pilot, "impact contained")
        await pilot.press("enter")
        await pilot.pause()
        assert demo_app.screen.query_one(SeverityRubric).current is Severity.SEV2
    record = on_disk()
    assert record.incident.severity is Severity.SEV2
    assert record.events[-1].data["reason"] == "impact contained"


async def test_p_sets_next_status(demo_app: IncidentApp, on_disk: Read) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await pilot.press("p", "tab")  # identified -> monitoring is preselected
        await type_text(pilot, "watching")
        await pilot.press("enter")
        await pilot.pause()
    record = on_disk()
    assert record.incident.status is Status.MONITORING
    assert record.events[-1].text.endswith(": watching")


async def test_x_exports_markdown_and_shows_path(
    demo_app: IncidentApp, data_dir: Path, on_disk: Read
) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await pilot.press("x")
        await pilot.pause()
        messages = [n.message for n in demo_app._notifications]
    path = data_dir / "exports" / f"{on_disk().incident.id}.md"
    assert str(path) in messages
    text = path.read_text()
    assert "Checkout errors after checkout-api 2.14.0 deploy" in text
    assert "Roll back checkout-api to 2.13.2" in text


async def test_u_toggles_utc(demo_store: IncidentStore, clock: FrozenClock, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import time

    monkeypatch.setenv("TZ", "Asia/Kolkata")  # UTC+05:30, no DST
    time.tzset()
    try:
        app = IncidentApp(demo_store, clock=clock)
        async with app.run_test(size=SIZE) as pilot:
            timeline = app.screen.query_one(TimelineView)
            assert timeline.visible_rows()[-1].startswith("19:28:00")
            await pilot.press("u")
            assert timeline.visible_rows()[-1].startswith("13:58:00")
            assert "UTC" in str(timeline.border_title)
            await pilot.press("u")
            assert timeline.visible_rows()[-1].startswith("19:28:00")
    finally:
        monkeypatch.setenv("TZ", "UTC")
        time.tzset()


async def test_question_mark_lists_every_key(demo_app: IncidentApp) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert isinstance(demo_app.screen, HelpModal)
        keys = {row[0] for row in demo_app.screen.keys}
        assert set("tdarspxiuq?") <= keys
        assert "Focus Next" not in {row[1] for row in demo_app.screen.keys}
        await pilot.press("escape")
        assert not isinstance(demo_app.screen, HelpModal)


async def test_q_quits(demo_app: IncidentApp) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await pilot.press("q")
        await pilot.pause()
        assert demo_app._exit and demo_app.return_code == 0


async def test_i_switches_incident_and_back(
    demo_store: IncidentStore, clock: FrozenClock, data_dir: Path
) -> None:
    other = ops.declare(demo_store, "Search latency", severity=Severity.SEV3)
    demo_id = next(s.id for s in demo_store.list_incidents() if s.id != other.id)
    app = IncidentApp(demo_store, incident_id=demo_id, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        await pilot.pause()
        # The list is "declare new", then incidents newest first; the other one is preselected.
        await pilot.press("enter")
        await pilot.pause()
        assert (
            app.screen.query_one(TimelineView).events[-1].text == "Declared SEV-3: Search latency"
        )
        await pilot.press("t")
        await type_text(pilot, "on the other one")
        await pilot.press("enter")
        await pilot.pause()
    assert IncidentStore(data_dir, clock=clock).open(other.id).record().events[-1].text == (
        "on the other one"
    )


async def test_input_focus_keeps_letters_out_of_bindings(
    demo_app: IncidentApp, on_disk: Read
) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        await type_text(pilot, "quit typing sdq")
        assert demo_app.screen.query_one("#text", Input).value == "quit typing sdq"
        await pilot.press("enter")
        await pilot.pause()
        assert demo_app.is_running
    assert on_disk().events[-1].text == "quit typing sdq"
