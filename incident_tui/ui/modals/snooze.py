"""``z``: snooze one audience's update reminder for a chosen time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from textual.app import ComposeResult
from textual.widgets import Input, Select

from incident_tui.core.cadence import AUDIENCE_LABELS
from incident_tui.core.config import AUDIENCES
from incident_tui.core.errors import InvalidInputError
from incident_tui.core.timeparse import parse_duration
from incident_tui.ui.modals.base import FormModal, labelled


@dataclass(frozen=True)
class SnoozeDraft:
    """Which audience, for how long."""

    audience: str
    duration: timedelta


class SnoozeModal(FormModal[SnoozeDraft]):
    """Pick the audience (the most pressing one is offered) and a duration like 10m."""

    TITLE_TEXT = "Snooze an update reminder"

    def __init__(self, audience: str, duration: str = "10m", error: str = "") -> None:
        super().__init__(error)
        self.audience = audience
        self.duration = duration

    def compose_fields(self) -> ComposeResult:
        yield labelled("Audience")
        yield Select(
            [(AUDIENCE_LABELS[a], a) for a in AUDIENCES],
            value=self.audience,
            allow_blank=False,
            id="snooze-audience",
        )
        yield labelled("For how long (e.g. 10m, 1h)")
        yield Input(self.duration, id="snooze-for")

    def on_mount(self) -> None:
        self.query_one("#snooze-for", Input).focus()

    def collect(self) -> SnoozeDraft | None:
        chosen = self.query_one("#snooze-audience", Select).value
        audience = chosen if isinstance(chosen, str) else self.audience
        try:
            duration = parse_duration(self.value("snooze-for"))
        except InvalidInputError as exc:
            self.complain(str(exc))
            return None
        if not timedelta(minutes=1) <= duration <= timedelta(hours=4):
            self.complain("snooze for 1 minute to 4 hours")
            return None
        return SnoozeDraft(audience, duration)
