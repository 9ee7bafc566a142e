"""The composer's Post key, and the viewer's read-only app, driven with Pilot."""

from __future__ import annotations

import io
import json
import os
import time
from pathlib import Path

import pytest
from receivers import receiver
from rich.console import Console
from textual.widgets import Label, Select, Static

from incident_tui.core import operations as ops
from incident_tui.core.clock import FrozenClock
from incident_tui.core.models import EventKind, Severity
from incident_tui.core.store import IncidentFile, IncidentStore
from incident_tui.ui.app import IncidentApp
from incident_tui.ui.modals.compose import ComposeModal
from incident_tui.ui.modals.handoff import HandoffModal
from incident_tui.ui.modals.help import HelpModal
from incident_tui.ui.modals.row_detail import RowDetailModal
from incident_tui.ui.read_only import FOOTER_LABEL
from incident_tui.ui.widgets.footer import KeyFooter
from incident_tui.ui.widgets.timeline import TimelineView

SIZE = (120, 40)
SECRET = "chatT0kenXY"


@pytest.fixture
def sev1(store: IncidentStore) -> IncidentFile:
    return ops.declare(store, "Checkout failing", severity=Severity.SEV1, responder="Alice")


@pytest.fixture
def config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "TMUX"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("INCIDENT_TUI_STATE_DIR", str(tmp_path / "state"))
    path = tmp_path / "config"
    path.mkdir()
    monkeypatch.setenv("INCIDENT_TUI_CONFIG_DIR", str(path))
    return path


def write_destination(config_dir: Path, url: str) -> None:
    target = config_dir / "destinations.toml"
    target.write_text(
        f'[destinations.exec-channel]\nurl = "{url}"\naudiences = ["external"]\n',
        encoding="utf-8",
    )
    os.chmod(target, 0o600)


def text_of(content: object) -> str:
    """What a pane shows, as plain text (a Group of lines included)."""
    console = Console(width=100, record=True, file=io.StringIO())
    console.print(content)
    return console.export_text()


async def wait_for(pilot: object, check: object, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return
        await pilot.pause(0.05)  # type: ignore[attr-defined]
    raise AssertionError("condition not reached")


async def choose_external(pilot: object, app: IncidentApp) -> None:
    """The destination takes external updates; the composer opens on the audience due first
    (internal, 15 minutes after a SEV-1 declaration), so choose external."""
    app.screen.query_one("#audience", Select).value = "external"
    await pilot.pause()  # type: ignore[attr-defined]


async def test_post_key_posts_copies_and_logs_the_outcome(
    store: IncidentStore, sev1: IncidentFile, clock: FrozenClock, config_dir: Path
) -> None:
    with receiver() as hook:
        write_destination(config_dir, f"json://{hook.host}/in?token={SECRET}")
        app = IncidentApp(store, clock=clock)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("c")
            assert isinstance(app.screen, ComposeModal)
            footer = app.screen.query_one(KeyFooter)
            assert "Post" in footer.shown  # its own key, in the footer
            await choose_external(pilot, app)
            await pilot.press("ctrl+o")
            await wait_for(pilot, lambda: sev1.record().events_of(EventKind.COMMS))
            event = sev1.record().events_of(EventKind.COMMS)[-1]
    assert len(hook.received) == 1
    message = json.loads(hook.received[0][1])["message"]
    assert message == event.data["text"]  # the same text was copied and posted
    assert event.data["posted"] == [
        {"destination": "exec-channel", "where": "json://127.0.0.1", "ok": True, "detail": "posted"}
    ]
    assert "posted to exec-channel" in event.text
    assert event.data["method"]  # copied too
    assert SECRET not in json.dumps(event.data) + event.text


async def test_a_hung_webhook_never_freezes_the_screen_and_fails_loudly(
    store: IncidentStore,
    sev1: IncidentFile,
    clock: FrozenClock,
    config_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from incident_tui.core import posting

    monkeypatch.setattr(posting, "POST_TIMEOUT", 2.0)
    with receiver("hang") as hook:
        write_destination(config_dir, f"json://{hook.host}/in?token={SECRET}")
        app = IncidentApp(store, clock=clock)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("c")
            await choose_external(pilot, app)
            await pilot.press("ctrl+o")
            # While the post hangs, the screen still takes keys: the help opens and closes.
            # (No wall-clock limit, which a loaded machine can miss: the help must open while
            # the post still hangs, that is before its outcome is on the timeline.)
            await wait_for(pilot, lambda: hook.received)
            await pilot.press("question_mark")
            await wait_for(pilot, lambda: isinstance(app.screen, HelpModal))
            assert not sev1.record().events_of(EventKind.COMMS), "the screen waited for the post"
            await pilot.press("escape")
            await wait_for(pilot, lambda: sev1.record().events_of(EventKind.COMMS), 8.0)
            errors = [n for n in app._notifications if n.severity == "error"]
            assert errors and "exec-channel" in errors[-1].message
            assert "within 2 s" in errors[-1].message
    event = sev1.record().events_of(EventKind.COMMS)[-1]
    assert event.data["posted"][0]["ok"] is False  # type: ignore[index]
    assert "NOT posted to exec-channel" in event.text
    assert len(hook.received) == 1  # never retried


async def test_read_only_app_disables_every_write_key(
    store: IncidentStore, sev1: IncidentFile, clock: FrozenClock, config_dir: Path
) -> None:
    before = sev1.record()
    app = IncidentApp(store, clock=clock, read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(KeyFooter)
        assert footer.shown.startswith(f" {FOOTER_LABEL}")
        for word in ("Event", "Decision", "Role", "Severity", "Status", "Update"):
            assert f" {word} " not in footer.shown
        # The panes name no key that writes either.
        for pane in ("#roles", "#action-items", "#decisions", "#attention-strip"):
            shown = text_of(app.screen.query_one(pane, Static).content)
            for hint in ("press r", "Press a", "Press d", "n: act"):
                assert hint not in shown, (pane, shown)
        screen = app.screen
        for key in "tcdaAerspmvknzi":
            await pilot.press(key)
            await pilot.pause()
            assert app.screen is screen, f"{key} opened {app.screen}"
        # What only looks stays: the handoff brief, and a row in full without amend or strike.
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HandoffModal)
        await pilot.press("escape")
        await pilot.pause()
        app.screen.query_one(TimelineView).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RowDetailModal)
        assert "amend" not in str(app.screen.query_one(".form-hint", Label).render())
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, RowDetailModal)  # no correction form
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        # The command palette offers no write either.
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Event")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.3)
        await pilot.press("escape")
        assert sev1.record() == before
