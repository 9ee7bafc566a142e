"""``d``: record a decision (what, why, who)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.widgets import Input

from incident_tui.ui.modals.base import FormModal, labelled


@dataclass(frozen=True)
class DecisionDraft:
    """A decision as typed."""

    what: str = ""
    why: str = ""
    decided_by: str = ""


class DecisionModal(FormModal[DecisionDraft]):
    """What was decided, why, and who decided it."""

    TITLE_TEXT = "Record a decision"

    def __init__(self, draft: DecisionDraft, error: str = "") -> None:
        super().__init__(error)
        self.draft = draft

    def compose_fields(self) -> ComposeResult:
        yield labelled("Decision")
        yield Input(self.draft.what, placeholder="e.g. roll back to 2.13.2", id="what")
        yield labelled("Why")
        yield Input(self.draft.why, placeholder="the reason, for the AAR", id="why")
        yield labelled("Decided by")
        yield Input(self.draft.decided_by, placeholder="defaults to the IC", id="decided_by")

    def collect(self) -> DecisionDraft | None:
        what = self.value("what")
        if not what.strip():
            self.complain("Type the decision first (or Esc to cancel).")
            return None
        return DecisionDraft(what=what, why=self.value("why"), decided_by=self.value("decided_by"))
