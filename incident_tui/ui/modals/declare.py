"""The declare form: what the app shows when no incident is open, and behind ``i``."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.widgets import Input, Select

from incident_tui.core.models import DetectionSource, Severity
from incident_tui.core.rubric import RUBRIC
from incident_tui.ui.modals.base import FormModal, labelled


@dataclass(frozen=True)
class DeclareDraft:
    """A new incident as typed; ``detected_at`` is raw text (blank means now)."""

    title: str = ""
    severity: Severity = Severity.SEV1
    impact: str = ""
    source: DetectionSource = DetectionSource.ALERT
    detected_at: str = ""
    responder: str = ""


class DeclareModal(FormModal[DeclareDraft]):
    """Title, severity, impact, source, detected-at and the first responder."""

    TITLE_TEXT = "Declare an incident"
    DEFAULT_CLASSES = "declare"

    def __init__(self, draft: DeclareDraft, error: str = "") -> None:
        super().__init__(error)
        self.draft = draft

    def compose_fields(self) -> ComposeResult:
        yield labelled("Title")
        yield Input(self.draft.title, placeholder="e.g. checkout errors after deploy", id="title")
        yield labelled("Severity (unsure between 1 and 2? start at SEV-1)")
        yield Select(
            [(f"{level.label}: ack {level.ack_target}", sev) for sev, level in RUBRIC.items()],
            value=self.draft.severity,
            allow_blank=False,
            id="severity",
        )
        yield labelled("Impact")
        yield Input(self.draft.impact, placeholder="who is affected and how", id="impact")
        yield labelled("Detected by")
        yield Select(
            [(source.value, source) for source in DetectionSource],
            value=self.draft.source,
            allow_blank=False,
            id="source",
        )
        yield labelled("Detected at (blank = now; HH:MM or ISO-8601)")
        yield Input(self.draft.detected_at, placeholder="now", id="detected_at")
        yield labelled("First responder (becomes IC and acknowledges)")
        yield Input(self.draft.responder, placeholder="your name", id="responder")

    def collect(self) -> DeclareDraft | None:
        title = self.value("title")
        if not title.strip():
            self.complain("Give the incident a title (or Esc to cancel).")
            return None
        severity = self.query_one("#severity", Select).value
        source = self.query_one("#source", Select).value
        return DeclareDraft(
            title=title,
            severity=severity if isinstance(severity, Severity) else Severity.SEV1,
            impact=self.value("impact"),
            source=source if isinstance(source, DetectionSource) else DetectionSource.ALERT,
            detected_at=self.value("detected_at"),
            responder=self.value("responder"),
        )
