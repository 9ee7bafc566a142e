"""The IC's screen at any size and in any theme keeps its urgent facts (issue 10).

Snapshots at five sizes in a dark and a light theme live in ``__snapshots__/test_layout``;
they were reviewed by eye, and the committed SVGs are the review.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widgets._toast import Toast

from incident_tui.core import operations as ops
from incident_tui.core.clock import FrozenClock
from incident_tui.core.models import EventKind
from incident_tui.core.store import IncidentStore
from incident_tui.ui.app import IncidentApp
from incident_tui.ui.widgets.header import IncidentHeader
from incident_tui.ui.widgets.timeline import TimelineView

SIZES = [(40, 15), (60, 20), (80, 24), (120, 36), (200, 60)]
THEMES = ["textual-dark", "textual-light"]


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_main_screen_at_size(
    snap_compare: Any, demo_app: IncidentApp, size: tuple[int, int], theme: str
) -> None:
    async def use_theme(pilot: Pilot[None]) -> None:
        pilot.app.theme = theme
        await pilot.pause()

    assert snap_compare(demo_app, terminal_size=size, run_before=use_theme)


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
async def test_header_keeps_its_facts_at_every_size(
    demo_app: IncidentApp, size: tuple[int, int]
) -> None:
    async with demo_app.run_test(size=size) as pilot:
        await pilot.pause()
        header = demo_app.screen.query_one(IncidentHeader)
        top, bottom = header.shown.split("\n")
        assert len(top) <= size[0] and len(bottom) <= size[0]
        assert "SEV-1" in top
        assert "Checkout" in top  # the title is shortened, never dropped
        assert bottom.startswith("IDENTIFIED")
        assert "0:40:00" in bottom
        # Stakeholders: due 15 min after the raise to SEV-1 at 13:26 (rubric: executives
        # within 15 min), so 19 min late at 14:00.
        facts = ["stk LATE 19m", "int 7:00", "ext 10:00"]
        if size[0] >= 60:
            assert all(fact in bottom for fact in facts), bottom
        else:
            assert "stk LATE 19m" in bottom  # the late one comes first, so it is never cut


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
async def test_timeline_keeps_its_width(demo_app: IncidentApp, size: tuple[int, int]) -> None:
    async with demo_app.run_test(size=size) as pilot:
        await pilot.pause()
        timeline = demo_app.screen.query_one(TimelineView)
        assert timeline.scrollable_content_region.width >= min(37, size[0] - 3)
        newest = timeline.visible_rows()[-1]
        assert "212 pending" in newest  # the newest row is in view


async def test_author_column_stays_when_the_scrollbar_appears(
    store: IncidentStore, clock: FrozenClock
) -> None:
    incident = ops.declare(store, "Search is slow", impact="slow search")
    app = IncidentApp(store, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        timeline = app.screen.query_one(TimelineView)
        width_before = timeline.scrollable_content_region.width
        assert "tester" in timeline.visible_rows()[0]
        for n in range(40):  # far past one screen: the scrollbar is drawn now
            ops.log(incident, f"note {n}", kind=EventKind.NOTE)
        await pilot.pause(0.7)  # the poll picks the writes up
        assert timeline.max_scroll_y > 0
        assert timeline.scrollable_content_region.width == width_before
        assert all("tester" in row for row in timeline.visible_rows())


def _toasts(app: IncidentApp) -> list[Toast]:
    return list(app.screen.query(Toast))


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
async def test_toasts_never_cover_the_newest_rows(
    demo_app: IncidentApp, size: tuple[int, int]
) -> None:
    async with demo_app.run_test(size=size, notifications=True) as pilot:
        await pilot.pause(0.3)
        toasts = _toasts(demo_app)
        assert toasts, "the overdue reminder is shown"
        timeline = demo_app.screen.query_one(TimelineView)
        inner = timeline.region.shrink((1, 1, 1, 1))  # inside the border
        newest = Region(inner.x, inner.bottom - 3, inner.width, 3)
        for toast in toasts:
            assert not toast.region.overlaps(newest), (size, toast.region, newest)


async def test_overdue_reminder_goes_once_the_update_is_posted(
    demo_app: IncidentApp, demo_store: IncidentStore
) -> None:
    async with demo_app.run_test(size=(120, 36), notifications=True) as pilot:
        await pilot.pause(0.3)
        assert any("overdue" in str(t.render()) for t in _toasts(demo_app))
        incident = demo_store.open(demo_store.resolve_id(None))
        ops.record_update(incident, "stakeholders", "Stakeholders update posted (identified)")
        await pilot.pause(0.8)  # the poll reads the write, the countdown is no longer late
        assert "stk LATE" not in demo_app.screen.query_one(IncidentHeader).shown
        await pilot.pause(0.3)
        assert not any("overdue" in str(t.render()) for t in _toasts(demo_app))


async def test_theme_is_remembered_between_runs(
    demo_store: IncidentStore, clock: FrozenClock
) -> None:
    app = IncidentApp(demo_store, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        app.theme = "textual-light"
        await pilot.pause()
    saved = Path(os.environ["INCIDENT_TUI_STATE_DIR"]) / "ui.json"
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    again = IncidentApp(demo_store, clock=clock)
    assert again.theme == "textual-light"


async def test_a_broken_preferences_file_means_the_default_theme(
    demo_store: IncidentStore, clock: FrozenClock
) -> None:
    state = Path(os.environ["INCIDENT_TUI_STATE_DIR"])
    state.mkdir(parents=True, exist_ok=True)
    (state / "ui.json").write_text("{not json")
    assert IncidentApp(demo_store, clock=clock).theme == "textual-dark"
