"""``s``: change the severity, with a reason."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.widgets import Input, Select

from incident_tui.core.models import Severity
from incident_tui.core.rubric import RUBRIC
from incident_tui.ui.modals.base import FormModal, labelled


@dataclass(frozen=True)
class SeverityDraft:
    """The new level and why."""

    severity: Severity
    reason: str = ""


class SeverityModal(FormModal[SeverityDraft]):
    """Pick the new level (rubric names shown) and give the reason."""

    TITLE_TEXT = "Change severity"

    def __init__(self, draft: SeverityDraft, current: Severity, error: str = "") -> None:
        super().__init__(error)
        self.draft = draft
        self.current = current

    def compose_fields(self) -> ComposeResult:
        yield labelled(f"Severity (now {self.current.label})")
        yield Select(
            [(f"{level.label}: ack {level.ack_target}", sev) for sev, level in RUBRIC.items()],
            value=self.draft.severity,
            allow_blank=False,
            id="severity",
        )
        yield labelled("Reason")
        yield Input(self.draft.reason, placeholder="what changed", id="reason")

    def on_mount(self) -> None:
        self.query_one("#severity", Select).focus()

    def collect(self) -> SeverityDraft | None:
        chosen = self.query_one("#severity", Select).value
        severity = chosen if isinstance(chosen, Severity) else self.current
        if severity == self.current:
            self.complain(f"It is already {severity.label}; pick another level (or Esc).")
            return None
        return SeverityDraft(severity=severity, reason=self.value("reason"))
