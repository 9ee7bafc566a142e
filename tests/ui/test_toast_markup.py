"""Toasts are plain text: user names and titles in them are never parsed as markup."""

from __future__ import annotations

from incident_tui.ui.app import IncidentApp


async def test_toast_with_markup_in_user_text_is_shown_literally(demo_app: IncidentApp) -> None:
    async with demo_app.run_test(size=(120, 36)) as pilot:
        demo_app.screen.notify("Declared by [/]ana [bold]x", title="[red]Not saved")
        await pilot.pause()
        shown = list(demo_app._notifications)
        assert shown, "the toast was not shown"
        latest = shown[-1]
        assert latest.markup is False
        assert latest.message == "Declared by [/]ana [bold]x"
        assert latest.title == "[red]Not saved"


async def test_a_widgets_toast_asking_for_markup_is_plain_too(demo_app: IncidentApp) -> None:
    from incident_tui.ui.widgets.timeline import TimelineView

    async with demo_app.run_test(size=(120, 36)) as pilot:
        demo_app.screen.query_one(TimelineView).notify("[bold]ana[/] \x1b[2J", markup=True)
        await pilot.pause()
        latest = list(demo_app._notifications)[-1]
        assert latest.markup is False
        assert latest.message.startswith("[bold]ana[/] ")
        assert "\x1b" not in latest.message
