"""What the IC's screen does before its first frame, counted (not timed): the dialogs and
the text editor they use (Textual's TextArea) stay out of start-up until after the load, and
a theme's palette checks each colour's contrast once (see issue 12, ``bench_render.py``)."""

from __future__ import annotations

from pathlib import Path

from module_probe import loaded_after

from incident_tui.ui import palette
from incident_tui.ui.loading import WARM_UP

DEFERRED = (
    "incident_tui.ui.modals.base",
    "textual.widgets._text_area",
    "textual._text_area_theme",
    "textual.document",
    *(name for name in WARM_UP if name.startswith("incident_tui.ui.modals")),
)
"""Modules no first frame draws from: imported by the warm-up after the load, or by a key."""


def test_importing_the_app_imports_no_dialog(tmp_path: Path) -> None:
    assert loaded_after("import incident_tui.ui.app", tmp_path / "data", DEFERRED) == []


def test_the_screen_draws_a_large_incidents_newest_row_without_any_dialog(
    tmp_path: Path,
) -> None:
    body = """
import asyncio
from datetime import timedelta
from incident_tui.core import operations as ops
from incident_tui.core.store import IncidentStore
from incident_tui.ui import loading
from incident_tui.ui.app import IncidentApp
from incident_tui.ui.widgets.timeline import TimelineView
store = IncidentStore()
incident = ops.declare(store, "Checkout errors")
for n in range(300):
    ops.log(incident, f"row {n}")
loading.BackgroundLoadScreen.warm_up = lambda self: None  # what comes after is not start-up
async def main():
    app = IncidentApp(store, background_from=0)
    async with app.run_test(size=(120, 36)) as pilot:
        timeline = app.screen.query_one(TimelineView)
        for _ in range(500):
            if timeline.events and timeline.events[-1].text == "row 299":
                break
            await pilot.pause(0.01)
        assert timeline.events[-1].text == "row 299"
        print("drawn", len(timeline.events))
asyncio.run(main())
"""
    assert loaded_after(body, tmp_path / "data", DEFERRED) == []


def test_the_probe_sees_each_deferred_module_once_it_is_imported(tmp_path: Path) -> None:
    body = "\n".join(f"import {name}" for name in DEFERRED)
    assert loaded_after(body, tmp_path / "data", DEFERRED) == sorted(DEFERRED)


def test_a_palette_checks_each_colour_once() -> None:
    """Some 200 contrast checks against the same three backgrounds: each colour is moved to
    a 256-colour terminal's and measured once, not once per check."""
    palette.in_256.cache_clear()
    palette.luminance.cache_clear()
    palette.palette_from({"background": "#102030", "surface": "#203040"}, dark=True)
    for measured in (palette.in_256.cache_info(), palette.luminance.cache_info()):
        assert measured.misses * 4 < measured.hits + measured.misses  # was every call
