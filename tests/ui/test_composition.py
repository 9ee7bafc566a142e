"""The IC's screen is composed from parts and one action registry (issue 8, the UI half)."""

from __future__ import annotations

import os
from pathlib import Path

from textual.screen import Screen

from incident_tui.ui.actions import ACTIONS
from incident_tui.ui.app import IncidentApp
from incident_tui.ui.commands import IncidentCommands
from incident_tui.ui.modals.help import HelpModal
from incident_tui.ui.screens.main import IncidentScreen
from incident_tui.ui.screens.part import ScreenPart
from incident_tui.ui.widgets.footer import KeyFooter
from incident_tui.ui.widgets.rubric import SeverityRubric

SIZE = (120, 36)


def test_the_screen_inherits_no_other_screen() -> None:
    screens = [c for c in IncidentScreen.__mro__[1:] if issubclass(c, Screen)]
    # Its own loading base, Screen itself and Textual's generic bases; no screen of ours.
    ours = [c for c in screens if c.__module__.startswith("incident_tui")]
    assert [c.__name__ for c in ours] == ["BackgroundLoadScreen"]


async def test_every_registry_action_is_bound_runs_and_is_listed(demo_app: IncidentApp) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        screen = demo_app.screen
        assert isinstance(screen, IncidentScreen)
        bound = {
            active.binding.id: active.binding.key
            for active in screen.active_bindings.values()
            if active.node is screen and active.binding.id  # not Textual's own (copy)
        }
        assert bound == {action.id: action.key for action in ACTIONS}
        parts = {type(part).__name__ for part in screen.query(ScreenPart)}
        assert len(parts) == 4
        # Every action resolves to a method of its part (a typo in the registry fails here).
        for action in ACTIONS:
            owner = (
                screen
                if action.part == "screen"
                else next(p for p in screen.query(ScreenPart) if action.part in type(p).__module__)
            )
            assert callable(getattr(owner, f"action_{action.name}")), action.id

        palette = IncidentCommands(screen)
        titles = [title for title, _help, _run in palette._commands()]
        for action in ACTIONS:
            assert f"{action.description} ({action.key_display or action.key})" in titles

        shown = screen.query_one(KeyFooter).shown
        assert shown.startswith("? Help t Event c Update z Snooze d Decision")

        await pilot.press("question_mark")
        help_modal = demo_app.screen
        assert isinstance(help_modal, HelpModal)
        listed = [row[1] for row in help_modal.keys]
        assert listed[: len(ACTIONS)] == [action.description for action in ACTIONS]


async def test_a_remapped_key_shows_in_help_with_its_new_key(demo_app: IncidentApp) -> None:
    demo_app.set_keymap({"incident.export": "f5"})
    async with demo_app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        help_modal = demo_app.screen
        assert isinstance(help_modal, HelpModal)
        row = next(row for row in help_modal.keys if row[1] == "Export")
        assert row[0] == "f5"


async def test_the_rubric_shows_the_configured_cadence(demo_app: IncidentApp) -> None:
    config_dir = Path(os.environ["INCIDENT_TUI_CONFIG_DIR"])
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "config.toml").write_text(
        "[cadence]\nsev1 = { internal = 10, stakeholders = 45, external = 20 }\n"
    )
    async with demo_app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        rubric = demo_app.screen.query_one(SeverityRubric)
        text = "\n".join(
            str(part) for part in rubric.rubric_text(rubric.current, rubric.config).renderables
        )
        assert "SEV-1 Critical  ack 5 min · every 10m" in text
        assert "Updates: int 10m · stk 45m · ext 20m" in text
