"""``p``: set the status (investigating, identified, monitoring, resolved)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.widgets import Input, Select

from incident_tui.core.models import Status
from incident_tui.ui.modals.base import FormModal, labelled

SETTABLE = (Status.INVESTIGATING, Status.IDENTIFIED, Status.MONITORING, Status.RESOLVED)
"""Closing goes through the resolution checklist, not this dialog."""


@dataclass(frozen=True)
class StatusDraft:
    """The new status and a note."""

    status: Status
    note: str = ""


class StatusModal(FormModal[StatusDraft]):
    """Pick the status and add an optional note."""

    TITLE_TEXT = "Set status"

    def __init__(self, draft: StatusDraft, current: Status, error: str = "") -> None:
        super().__init__(error)
        self.draft = draft
        self.current = current

    def compose_fields(self) -> ComposeResult:
        yield labelled(f"Status (now {self.current.value})")
        yield Select(
            [(status.value, status) for status in SETTABLE],
            value=self.draft.status,
            allow_blank=False,
            id="status",
        )
        yield labelled("Note")
        yield Input(self.draft.note, placeholder="optional: what we know now", id="note")

    def on_mount(self) -> None:
        self.query_one("#status", Select).focus()

    def collect(self) -> StatusDraft | None:
        chosen = self.query_one("#status", Select).value
        status = chosen if isinstance(chosen, Status) else self.current
        if status == self.current:
            self.complain(f"It is already {status.value}; pick another status (or Esc).")
            return None
        return StatusDraft(status=status, note=self.value("note"))
