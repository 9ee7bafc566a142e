"""Regenerate ``screenshots/*.svg`` from the demo incident, on a frozen clock in UTC.

    python scripts/screenshots.py [--out screenshots]

Each shot runs the real app headless at a fixed size and saves what it drew, so the README's
pictures always match the code.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

os.environ["TZ"] = "UTC"  # times on screen are local: pin them so the pictures are stable
time.tzset()

from incident_tui.core.clock import FrozenClock  # noqa: E402
from incident_tui.core.demo import seed_demo  # noqa: E402
from incident_tui.core.store import IncidentStore  # noqa: E402
from incident_tui.ui.app import IncidentApp  # noqa: E402

FROZEN_AT = datetime(2026, 11, 28, 14, 0, 0, tzinfo=UTC)

DARK = "textual-dark"
LIGHT = "textual-light"

SHOTS: list[tuple[str, tuple[int, int], list[str], str]] = [
    ("main", (120, 36), [], DARK),
    ("main-light", (120, 36), [], LIGHT),
    ("main-80x24", (80, 24), [], DARK),
    ("main-60x20", (60, 20), [], DARK),
    ("main-40x15-light", (40, 15), [], LIGHT),
    ("row-detail", (120, 36), ["up", "up", "enter"], DARK),
    ("search", (120, 36), ["slash", *"pool", "enter"], DARK),
    ("action-items", (120, 36), ["A"], DARK),
    ("new-event", (120, 36), ["t", *"Error rate back to baseline in all regions"], DARK),
    ("decision", (120, 36), ["d", *"Keep the release train frozen overnight"], DARK),
    ("help", (120, 36), ["question_mark"], DARK),
    ("compose-update", (120, 36), ["c"], DARK),
    ("mitigation", (120, 36), ["m"], DARK),
    ("resolution-checklist", (120, 36), ["k"], DARK),
    ("handoff-brief", (120, 36), ["h"], DARK),
]
"""(file stem, terminal size, keys pressed before the picture, theme)."""


async def shoot(
    out: Path, stem: str, size: tuple[int, int], keys: list[str], theme: str = DARK
) -> Path:
    """Seed a fresh demo, press ``keys``, and save the screen as ``<out>/<stem>.svg``."""
    with tempfile.TemporaryDirectory() as tmp:
        clock = FrozenClock(FROZEN_AT)
        # The user's own config and remembered theme neither shape the pictures nor change.
        os.environ["INCIDENT_TUI_CONFIG_DIR"] = str(Path(tmp) / "config")
        os.environ["INCIDENT_TUI_STATE_DIR"] = str(Path(tmp) / "state")
        store = IncidentStore(Path(tmp) / "data", clock=clock, author="demo", fsync=False)
        seed_demo(store)
        app = IncidentApp(store, clock=clock)
        async with app.run_test(size=size, notifications=True) as pilot:
            app.theme = theme
            await pilot.pause()
            if keys:
                await pilot.press(*keys)
            await pilot.pause(0.2)
            app.save_screenshot(filename=f"{stem}.svg", path=str(out))
    return out / f"{stem}.svg"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).parent.parent / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for stem, size, keys, theme in SHOTS:
        path = asyncio.run(shoot(args.out, stem, size, keys, theme))
        print(f"{path}  {size[0]}x{size[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
