"""Every text the IC must read is WCAG AA (4.5:1) on the rendered screen, in two themes.

The ratios are computed from the app's own SVG screenshot: the colour of each run of text
against the cell background drawn behind it, as the terminal gets them in truecolour and as a
256-colour terminal shows them.
"""

from __future__ import annotations

import pytest

from incident_tui.core import operations as ops
from incident_tui.core.clock import FrozenClock
from incident_tui.core.models import Severity, Status
from incident_tui.core.store import IncidentStore
from incident_tui.ui.app import IncidentApp
from tests.ui.svg_contrast import TextRun, contrast, in_256, text_runs

AA = 4.5
URGENT = ["SEV-", "IDENTIFIED", "LATE", "NOW", "Roles", "Severity rubric", "Decisions"]
"""Texts that must be among those checked (so the test cannot pass on an empty screen)."""


def _readable(run: TextRun) -> bool:
    return any(ch.isalnum() for ch in run.text)  # borders and scrollbars are not text


async def _screen_runs(app: IncidentApp, theme: str, size: tuple[int, int]) -> list[TextRun]:
    async with app.run_test(size=size, notifications=True) as pilot:
        app.theme = theme
        await pilot.pause(0.3)
        return [run for run in text_runs(app.export_screenshot()) if _readable(run)]


def _failures(runs: list[TextRun], also_256: bool) -> list[str]:
    failures = []
    for run in runs:
        ratio = contrast(run.fg, run.bg)
        if also_256:
            ratio = min(ratio, contrast(in_256(run.fg), in_256(run.bg)))
        if ratio < AA:
            failures.append(f"{run.text.strip()!r} {run.fg} on {run.bg}: {ratio:.2f}:1")
    return failures


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
@pytest.mark.parametrize("size", [(120, 36), (60, 20)], ids=["120x36", "60x20"])
async def test_the_demo_incident_is_readable(
    demo_app: IncidentApp, theme: str, size: tuple[int, int]
) -> None:
    runs = await _screen_runs(demo_app, theme, size)
    shown = " ".join(run.text for run in runs)
    urgent = URGENT if size[0] >= 70 else URGENT[:4]  # the side panes fold away when narrow
    assert all(word in shown for word in urgent), shown
    assert _failures(runs, also_256=True) == []


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
@pytest.mark.parametrize(
    ("severity", "status"),
    [(Severity.SEV2, Status.MONITORING), (Severity.SEV3, Status.RESOLVED), (Severity.SEV4, None)],
)
async def test_every_severity_and_status_is_readable(
    store: IncidentStore,
    clock: FrozenClock,
    theme: str,
    severity: Severity,
    status: Status | None,
) -> None:
    """Other badges and status words, and the empty-role gaps (no IC, no scribe)."""
    incident = ops.declare(store, "Login latency in EU", severity=severity, impact="slow logins")
    if status is not None:
        ops.set_status(incident, status, "checking")
    runs = await _screen_runs(IncidentApp(store, clock=clock), theme, (120, 36))
    shown = " ".join(run.text for run in runs)
    assert severity.label in shown and "no IC" in shown
    assert _failures(runs, also_256=True) == []
