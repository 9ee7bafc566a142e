"""``t``: a new timeline event; its time was captured when the key was pressed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from textual.app import ComposeResult
from textual.widgets import Input, Select

from incident_tui.core.models import EventKind
from incident_tui.ui.modals.base import FormModal, labelled

# The kinds a person types by hand; the others are written by the app itself.
TYPED_KINDS = (
    EventKind.NOTE,
    EventKind.ACTION,
    EventKind.MITIGATION,
    EventKind.COMMS,
    EventKind.DECISION,
)


@dataclass(frozen=True)
class EventDraft:
    """What the scribe typed for one event, and the moment ``t`` was pressed."""

    occurred_at: datetime
    text: str = ""
    kind: EventKind = EventKind.NOTE


class EventModal(FormModal[EventDraft]):
    """Text and kind for one event."""

    TITLE_TEXT = "New timeline event"

    def __init__(self, draft: EventDraft, error: str = "") -> None:
        super().__init__(error)
        self.draft = draft

    def compose_fields(self) -> ComposeResult:
        yield labelled("What happened")
        yield Input(self.draft.text, placeholder="e.g. error rate back to baseline", id="text")
        yield labelled("Kind")
        yield Select(
            [(kind.value, kind) for kind in TYPED_KINDS],
            value=self.draft.kind,
            allow_blank=False,
            id="kind",
        )

    def collect(self) -> EventDraft | None:
        text = self.value("text")
        if not text.strip():
            self.complain("Type what happened first (or Esc to cancel).")
            return None
        kind = self.query_one("#kind", Select).value
        return EventDraft(
            occurred_at=self.draft.occurred_at,
            text=text,
            kind=kind if isinstance(kind, EventKind) else EventKind.NOTE,
        )
