"""The ``c`` composer and ``z`` snooze on the IC's screen, driven with Pilot on a frozen clock."""

from __future__ import annotations

import os
import stat
import subprocess
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from textual.app import App
from textual.widgets import Select, TextArea

from incident_tui.core import operations as ops
from incident_tui.core.clipboard import CopyResult, copy_text
from incident_tui.core.clock import FrozenClock
from incident_tui.core.config import Config
from incident_tui.core.models import EventKind, IncidentRecord, Role, Severity, Status
from incident_tui.core.store import IncidentFile, IncidentStore
from incident_tui.ui import app as ui_app
from incident_tui.ui.app import IncidentApp
from incident_tui.ui.comms import CommsPart
from incident_tui.ui.modals.compose import ComposeModal, ManualCopyModal
from incident_tui.ui.modals.snooze import SnoozeModal
from incident_tui.ui.widgets.header import IncidentHeader

SIZE = (120, 40)


@pytest.fixture(autouse=True)
def no_clipboard(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No display, no tmux, a private state dir and config dir: nothing leaks to the host."""
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "TMUX"):
        monkeypatch.delenv(name, raising=False)
    state = tmp_path / "state"
    monkeypatch.setenv("INCIDENT_TUI_STATE_DIR", str(state))
    monkeypatch.setenv("INCIDENT_TUI_CONFIG_DIR", str(tmp_path / "config"))
    return state


@pytest.fixture
def sev1(store: IncidentStore) -> IncidentFile:
    handle = ops.declare(
        store,
        "Checkout failing",
        severity=Severity.SEV1,
        impact="Checkout fails for EU customers",
        responder="Alice",
    )
    return handle


@pytest.fixture
def tmux_env(tmux_server: str) -> dict[str, str]:
    """An environment that points the clipboard chain at a private tmux server."""
    return dict(os.environ, TMUX=tmux_server)


def _header_text(app: IncidentApp) -> str:
    return str(app.screen.query_one(IncidentHeader).extra)


async def _wait_for(pilot: object, check: object, tries: int = 60) -> None:
    for _ in range(tries):
        if check():  # type: ignore[operator]
            return
        await pilot.pause(0.05)  # type: ignore[attr-defined]
    raise AssertionError("condition not reached")


async def test_c_enter_copies_logs_the_event_and_restarts_the_countdown(
    store: IncidentStore,
    sev1: IncidentFile,
    clock: FrozenClock,
    tmux_env: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    no_clipboard: Path,
) -> None:
    def copier(text: str, timeout: float) -> CopyResult:
        return copy_text(text, env=tmux_env, timeout=timeout, state_dir=no_clipboard)

    monkeypatch.setattr(CommsPart, "copier", staticmethod(copier))
    ops.record_update(sev1, "internal", "Internal update")
    ops.record_update(sev1, "stakeholders", "Exec update")
    clock.advance(timedelta(minutes=32))
    app = IncidentApp(store, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        # SEV-1: customers are due 30 minutes after declaration; internal 15 after its update.
        assert "ext LATE 2m" in _header_text(app)
        assert "int LATE 17m" in _header_text(app)
        await pilot.press("c")
        assert isinstance(app.screen, ComposeModal)
        # The most overdue audience is preselected, the state from the incident's status.
        assert app.screen.query_one("#audience", Select).value == "internal"
        app.screen.query_one("#audience", Select).value = "external"
        await pilot.pause()
        assert app.screen.query_one("#state", Select).value == "investigating"
        assert app.focused is not None and app.focused.id == "copy"
        expected = app.screen.query_one("#update-text", TextArea).text
        await pilot.press("enter")
        await _wait_for(pilot, lambda: sev1.record().events_of(EventKind.COMMS))
        await pilot.pause()
        event = sev1.record().events_of(EventKind.COMMS)[-1]
        assert event.data["audience"] == "external"
        assert event.data["template"] == "investigating"
        assert event.data["format"] == "plain"
        assert event.data["method"] == "tmux buffer" and event.data["confirmed"] is True
        assert event.data["text"] == expected
        assert "We are investigating reports of problems. Updates to follow." in expected
        pasted = subprocess.run(["tmux", "show-buffer"], env=tmux_env, capture_output=True)
        assert pasted.stdout.decode() == expected
        assert "ext 30:00" in _header_text(app) and "ext LATE" not in _header_text(app)
        assert any("Copied via tmux buffer" in n.message for n in app._notifications)
        assert not isinstance(app.screen, ManualCopyModal)


async def test_unconfirmed_copy_uses_osc52_shows_the_text_and_keeps_the_file(
    store: IncidentStore, sev1: IncidentFile, clock: FrozenClock, no_clipboard: Path
) -> None:
    app = IncidentApp(store, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        text = app.screen.query_one("#update-text", TextArea).text
        await pilot.press("enter")
        await _wait_for(pilot, lambda: isinstance(app.screen, ManualCopyModal))
        assert app.clipboard == text  # handed to the terminal with OSC 52
        manual = app.screen.query_one("#manual-text", TextArea)
        assert manual.text == text and manual.selected_text == text
        event = sev1.record().events_of(EventKind.COMMS)[-1]
        assert event.data["method"] == "OSC 52" and event.data["confirmed"] is False
        saved = no_clipboard / "last-update.txt"
        assert saved.read_text() == text and stat.S_IMODE(saved.stat().st_mode) == 0o600
        await pilot.press("escape")
        assert not isinstance(app.screen, (ManualCopyModal, ComposeModal))


async def test_tab_edits_and_ctrl_s_copies_the_edited_text(
    store: IncidentStore, sev1: IncidentFile, clock: FrozenClock
) -> None:
    app = IncidentApp(store, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", "tab")
        area = app.screen.query_one("#update-text", TextArea)
        assert app.focused is area
        area.move_cursor(area.document.end)
        await pilot.press(*" Should be resolved soon.")
        await pilot.pause()
        lint = str(app.screen.query_one("#lint").render())
        assert "promises a fix nobody has verified" in lint
        await pilot.press("ctrl+s")  # a warning never blocks the copy
        await _wait_for(pilot, lambda: sev1.record().events_of(EventKind.COMMS))
        assert (
            sev1.record()
            .events_of(EventKind.COMMS)[-1]
            .data["text"]
            .endswith("Should be resolved soon.")
        )


async def test_changing_choices_refills_and_esc_logs_nothing(
    store: IncidentStore, sev1: IncidentFile, clock: FrozenClock
) -> None:
    app = IncidentApp(store, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        modal = app.screen
        assert isinstance(modal, ComposeModal)
        modal.query_one("#audience", Select).value = "internal"
        modal.query_one("#format", Select).value = modal.query_one("#format", Select)._options[1][1]
        await pilot.pause()
        text = modal.query_one("#update-text", TextArea).text
        assert text.startswith("**SEV-1 Checkout failing: investigating")
        assert "- **Roles:** IC Alice" in text
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ComposeModal)
        assert sev1.record().events_of(EventKind.COMMS) == []


async def test_overdue_reminds_once_per_period(
    store: IncidentStore, sev1: IncidentFile, clock: FrozenClock
) -> None:
    ops.record_update(sev1, "external", "posted")
    ops.record_update(sev1, "stakeholders", "posted")
    ops.record_update(sev1, "internal", "posted")
    app = IncidentApp(store, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()

        def reminders() -> list[str]:
            return [n.message for n in app._notifications if n.title == "Update overdue"]

        assert reminders() == []
        clock.advance(timedelta(minutes=16))  # internal (15m) is now late
        await pilot.pause(1.2)
        assert reminders() == ["Internal team update is overdue; press c to post it (z snoozes)"]
        assert "int LATE 1m" in _header_text(app)
        clock.advance(timedelta(seconds=5))
        await pilot.pause(1.2)
        assert len(reminders()) == 1  # the same overdue period: no second reminder


async def test_severity_change_recomputes_and_says_so(
    store: IncidentStore, sev1: IncidentFile, clock: FrozenClock, data_dir: Path
) -> None:
    app = IncidentApp(store, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "stk 15:00" in _header_text(app)  # SEV-1: executives within 15 minutes
        # Lowered from another terminal (the CLI): the screen's file poll picks it up.
        other = IncidentStore(data_dir, clock=clock, author="bob").open(sev1.id)
        ops.set_severity(other, Severity.SEV2, "contained to one region")
        await pilot.pause(0.8)
        assert "stk 1h 00m" in _header_text(app)  # the change restarts the clock
        messages = [n.message for n in app._notifications if n.title == "Update cadence changed"]
        assert messages == [
            "SEV-2 cadence: internal team every 30m, stakeholders every 1h 00m, "
            "customers every 30m; countdowns recomputed"
        ]


async def test_z_snoozes_the_late_audience_and_logs_it(
    store: IncidentStore, sev1: IncidentFile, clock: FrozenClock
) -> None:
    clock.advance(timedelta(minutes=20))
    ops.record_update(sev1, "internal", "Internal update")
    ops.record_update(sev1, "stakeholders", "Exec update")
    clock.advance(timedelta(minutes=11))  # customers were due at 14:30
    app = IncidentApp(store, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("z")
        assert app.screen.query_one("#snooze-audience", Select).value == "external"
        await pilot.press("ctrl+a", "ctrl+k", *"15m", "enter")
        await pilot.pause()
        snoozes = [e for e in sev1.record().events if e.data.get("cadence") == "snooze"]
        assert len(snoozes) == 1 and snoozes[0].data["audience"] == "external"
        assert snoozes[0].text == "Customers update snoozed 15m (until 14:46)"
        assert "ext 15:00 (snoozed)" in _header_text(app)


async def test_bad_snooze_duration_is_refused_in_the_form(
    store: IncidentStore, sev1: IncidentFile, clock: FrozenClock
) -> None:
    app = IncidentApp(store, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("z", "ctrl+a", "ctrl+k", *"soon", "enter")
        await pilot.pause()
        assert "cannot read duration 'soon'" in str(app.screen.query_one("#form-error").render())
        assert not [e for e in sev1.record().events if e.data.get("cadence") == "snooze"]


async def test_keys_have_ids_for_footer_help_and_palette(
    store: IncidentStore, sev1: IncidentFile, clock: FrozenClock
) -> None:
    app = IncidentApp(store, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ids = {b.binding.id for b in app.screen.active_bindings.values()}
        assert {"incident.compose_update", "incident.snooze_update"} <= ids


async def test_broken_config_is_reported_and_defaults_still_work(
    store: IncidentStore, sev1: IncidentFile, clock: FrozenClock, tmp_path: Path
) -> None:
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "config.toml").write_text("[cadence]\nsev1 = { internal = \n")
    app = IncidentApp(store, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        errors = [n.message for n in app._notifications if n.title == "Config not used"]
        assert len(errors) == 1 and "line 2" in errors[0]
        assert "int 15:00" in _header_text(app)


class ComposerHost(App[None]):
    """Just the composer (with the app's stylesheet) over an empty screen."""

    CSS_PATH = str(Path(ui_app.__file__).with_name("app.tcss"))

    def __init__(self, record: IncidentRecord, now: datetime) -> None:
        super().__init__()
        self.record = record
        self.now = now

    def on_mount(self) -> None:
        self.push_screen(ComposeModal(self.record, self.now, Config(), audience="internal"))


def test_composer_snapshot(
    store: IncidentStore, sev1: IncidentFile, clock: FrozenClock, snap_compare: object
) -> None:
    ops.assign_role(sev1, Role.COMMS, "Bob")
    clock.advance(timedelta(minutes=12))
    ops.mark(sev1, "mitigated", "rolled back checkout-api to 2.13.2")
    app = ComposerHost(sev1.record(), clock.now())
    assert snap_compare(app, terminal_size=(100, 30))  # type: ignore[operator]


async def test_countdowns_leave_the_header_once_resolved(
    store: IncidentStore, sev1: IncidentFile, clock: FrozenClock, data_dir: Path
) -> None:
    app = IncidentApp(store, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "int 15:00" in _header_text(app)
        other = IncidentStore(data_dir, clock=clock, author="bob").open(sev1.id)
        ops.set_status(other, Status.RESOLVED, "verified by test orders")
        await pilot.pause(0.8)
        assert _header_text(app) == ""


async def test_after_resolution_the_header_counts_down_to_the_final_update_only(
    store: IncidentStore, sev1: IncidentFile, clock: FrozenClock, data_dir: Path
) -> None:
    ops.record_update(sev1, "internal", "Investigating checkout failures")
    other = IncidentStore(data_dir, clock=clock, author="bob").open(sev1.id)
    app = IncidentApp(store, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        clock.advance(timedelta(minutes=5))
        ops.set_status(other, Status.RESOLVED, "verified by test orders")
        # Only the internal team was told, so only it is owed a final update (the header
        # follows the clock's once-a-second tick).
        await _wait_for(pilot, lambda: _header_text(app) == "int final 15:00")
        ops.record_update(other, "internal", "Resolved: checkout works again")
        await _wait_for(pilot, lambda: _header_text(app) == "")


async def test_z_without_a_countdown_says_so(store: IncidentStore, clock: FrozenClock) -> None:
    ops.declare(store, "Typo on the pricing page", severity=Severity.SEV4)
    app = IncidentApp(store, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert _header_text(app) == "updates as needed"
        await pilot.press("z")
        await pilot.pause()
        assert not isinstance(app.screen, SnoozeModal)
        assert any("nothing to snooze" in n.message for n in app._notifications)
