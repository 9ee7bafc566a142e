"""Reading and finding on the timeline: row detail, search, date rows across midnight."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from textual.widgets import Input, Static

from incident_tui.core import operations as ops
from incident_tui.core.clock import FrozenClock
from incident_tui.core.models import EventKind
from incident_tui.core.store import IncidentStore
from incident_tui.ui.app import IncidentApp
from incident_tui.ui.modals.row_detail import RowDetailModal
from incident_tui.ui.modals.search import SearchModal
from incident_tui.ui.widgets.timeline import TimelineView
from incident_tui.ui.widgets.timeline_rows import build_rows, search_hits

SIZE = (120, 36)
LONG = "Pool size " + "very long explanation " * 12 + "END-OF-TEXT"


async def test_enter_opens_the_whole_row(store: IncidentStore, clock: FrozenClock) -> None:
    incident = ops.declare(store, "Checkout errors", impact="checkout fails")
    clock.advance(timedelta(minutes=3))
    ops.log(incident, LONG, kind=EventKind.ACTION, at=clock.now() - timedelta(minutes=1))
    app = IncidentApp(store, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        timeline = app.screen.query_one(TimelineView)
        assert timeline.visible_rows()[-1].endswith("…")  # cut on the screen
        await pilot.press("enter")  # nothing highlighted: the newest row
        modal = app.screen
        assert isinstance(modal, RowDetailModal)
        assert "END-OF-TEXT" in str(modal.query_one("#full-text", Static).render())
        assert dict(modal.facts) == {
            "Kind": "action",
            "Author": "tester",
            "Occurred": "2026-11-28 14:02:00",
            "Recorded": "2026-11-28 14:03:00",
        }
        await pilot.press("escape")
        await pilot.press("up", "enter")  # the row above: the declaration
        assert isinstance(app.screen, RowDetailModal)
        assert app.screen.event.kind is EventKind.SYSTEM


async def test_a_click_opens_the_row_clicked(demo_app: IncidentApp) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        timeline = demo_app.screen.query_one(TimelineView)
        first_shown = timeline.rows[timeline.scroll_offset.y]
        await pilot.click(TimelineView, offset=(5, 1))  # the first row inside the border
        assert isinstance(demo_app.screen, RowDetailModal)
        assert demo_app.screen.event == first_shown


async def test_slash_searches_counts_and_jumps_between_matches(demo_app: IncidentApp) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("slash")
        assert isinstance(demo_app.screen, SearchModal)
        await pilot.press(*"pool", "enter")
        await pilot.pause()
        timeline = demo_app.screen.query_one(TimelineView)
        hits = timeline.hits
        assert len(hits) >= 3
        texts = [timeline.rows[h].text.lower() for h in hits]  # type: ignore[union-attr]
        assert all("pool" in text for text in texts)
        title = str(timeline.border_title)
        assert f"{len(hits)} match 'pool' ({len(hits)}/{len(hits)})" in title  # newest first
        await pilot.press("left_square_bracket")
        assert timeline.cursor == hits[-2]
        assert f"({len(hits) - 1}/{len(hits)})" in str(timeline.border_title)
        await pilot.press("right_square_bracket", "right_square_bracket")  # wraps around
        assert timeline.cursor == hits[0]
        await pilot.press("slash")
        assert demo_app.screen.query_one("#query", Input).value == "pool"
        await pilot.press("ctrl+u", "enter")  # an empty search ends it
        await pilot.pause()
        assert timeline.hits == [] and "match" not in str(timeline.border_title)


async def test_search_finds_authors_and_kinds(demo_app: IncidentApp) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"decision", "enter")
        await pilot.pause()
        timeline = demo_app.screen.query_one(TimelineView)
        kinds = {timeline.rows[h].kind for h in timeline.hits}  # type: ignore[union-attr]
        assert EventKind.DECISION in kinds
        await pilot.press("slash", "ctrl+u", *"wei chen", "enter")
        await pilot.pause()
        assert timeline.hits
        found = [timeline.rows[h] for h in timeline.hits]
        assert any(row.author == "Wei Chen" for row in found)  # type: ignore[union-attr]
        assert all("wei chen" in f"{r.author} {r.text}".lower() for r in found)  # type: ignore[union-attr]


async def test_a_date_row_marks_midnight(store: IncidentStore) -> None:
    clock = FrozenClock(datetime(2026, 11, 28, 23, 50, tzinfo=UTC))
    store.clock = clock
    incident = ops.declare(store, "Overnight queue backlog", impact="slow jobs")
    clock.advance(timedelta(minutes=20))
    ops.log(incident, "still draining after midnight")
    app = IncidentApp(store, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        rows = app.screen.query_one(TimelineView).visible_rows()
        assert rows[0] == "── Sat 28 Nov 2026 ──"
        assert "── Sun 29 Nov 2026 ──" in rows
        sunday = rows.index("── Sun 29 Nov 2026 ──")
        assert rows[sunday + 1].startswith("00:10:00")


async def test_no_date_row_within_one_day(demo_app: IncidentApp) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert not any(
            r.startswith("──") for r in demo_app.screen.query_one(TimelineView).visible_rows()
        )


async def test_amend_and_strike_start_from_the_row_detail(
    store: IncidentStore, clock: FrozenClock
) -> None:
    incident = ops.declare(store, "Checkout errors", impact="checkout fails")
    typo = ops.log(incident, "Eror rate 38%")
    wrong = ops.log(incident, "Rolled back search (wrong incident)")
    app = IncidentApp(store, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("up", "enter")  # the typo, one above the newest
        assert isinstance(app.screen, RowDetailModal)
        assert app.screen.event.id == typo.id
        await pilot.press("e", "ctrl+u", *"Error rate 38%", "enter")
        await pilot.pause()
        await pilot.press("end", "up", "enter")  # the newest row now is the amendment
        assert isinstance(app.screen, RowDetailModal) and app.screen.event.id == wrong.id
        await pilot.press("s", *"logged on the wrong incident", "enter")
        await pilot.pause(0.3)
        rows = app.screen.query_one(TimelineView).visible_rows()
        assert any(r.endswith("Error rate 38% (amended)") for r in rows)
        assert any("STRUCK Rolled back search" in r for r in rows)
        await pilot.press("slash", *"Error rate", "enter")  # the amended row and its amendment
        await pilot.press("left_square_bracket", "enter")  # the older hit: the row itself
        await pilot.pause()
        detail = app.screen
        assert isinstance(detail, RowDetailModal) and detail.event.id == typo.id
        assert "Error rate 38%" in str(detail.query_one("#full-text", Static).render())
        assert "Eror rate 38%" in str(detail.query_one("#original-text", Static).render())
        assert len(detail.amendments) == 1
    record = incident.record()
    assert [e.text for e in record.events if e.id in (typo.id, wrong.id)] == [
        "Eror rate 38%",
        "Rolled back search (wrong incident)",
    ]  # append-only: the originals stay


async def test_rows_written_while_open_match_a_full_rebuild_across_midnight(
    store: IncidentStore,
) -> None:
    # New rows go in at the end without redoing the others: they must come out exactly as
    # a fresh build would, date rows (the first one moves every row) and search hits included.
    clock = FrozenClock(datetime(2026, 11, 28, 23, 40, tzinfo=UTC))
    store.clock = clock
    incident = ops.declare(store, "Overnight queue backlog", impact="slow jobs")
    app = IncidentApp(store, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        timeline = app.screen.query_one(TimelineView)
        timeline.search = "drain"
        for minutes, text in [(5, "draining"), (10, "drain slower"), (15, "past midnight")]:
            clock.advance(timedelta(minutes=minutes))
            ops.log(incident, text)
            await pilot.pause(0.6)
            assert timeline.rows == build_rows(timeline.events, utc=timeline._utc_drawn)
            assert timeline.hits == search_hits(timeline.rows, "drain")
        ops.log(incident, "drain done, next day")
        await pilot.pause(0.6)
        assert timeline.rows == build_rows(timeline.events, utc=timeline._utc_drawn)
        assert timeline.hits == search_hits(timeline.rows, "drain")
        assert (
            len(timeline.hits) == 3
            and sum(not isinstance(r, type(timeline.events[0])) for r in timeline.rows) == 2
        )


async def test_a_backdated_amendment_shows_on_its_row(
    store: IncidentStore, clock: FrozenClock
) -> None:
    # The amendment goes in among the older rows (its When was set back), not at the end:
    # the row it amends must still show the new text.
    incident = ops.declare(store, "Checkout errors", impact="checkout fails")
    clock.advance(timedelta(minutes=2))
    typo = ops.log(incident, "Eror rate 38%")
    clock.advance(timedelta(minutes=10))
    ops.log(incident, "Scaling the pool")
    app = IncidentApp(store, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ops.amend(incident, typo.id, "Error rate 38%", at=clock.now() - timedelta(minutes=5))
        timeline = app.screen.query_one(TimelineView)
        for _ in range(40):
            await pilot.pause(0.05)
            if any(r.endswith("Error rate 38% (amended)") for r in timeline.visible_rows()):
                break
        assert any(r.endswith("Error rate 38% (amended)") for r in timeline.visible_rows())
