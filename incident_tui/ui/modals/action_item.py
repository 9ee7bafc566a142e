"""``a``: add a follow-up action item with an owner (``e`` in the ``A`` list edits one)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.widgets import Input

from incident_tui.ui.modals.base import FormModal, labelled


@dataclass(frozen=True)
class ActionItemDraft:
    """An action item as typed."""

    text: str = ""
    owner: str = ""
    due: str = ""
    """When it is due, as typed (``15:00`` for the next 15:00, ``+2h``, ISO); may be empty."""


class ActionItemModal(FormModal[ActionItemDraft]):
    """The follow-up and who owns it."""

    TITLE_TEXT = "Add an action item"

    def __init__(self, draft: ActionItemDraft, error: str = "", editing: bool = False) -> None:
        super().__init__(error)
        self.draft = draft
        if editing:
            self.TITLE_TEXT = "Edit the action item"

    def compose_fields(self) -> ComposeResult:
        yield labelled("Action item")
        yield Input(self.draft.text, placeholder="e.g. add a pool-size check to canary", id="text")
        yield labelled("Owner")
        yield Input(self.draft.owner, placeholder="who follows it up", id="owner")
        yield labelled("Due (optional; empty for none)")
        yield Input(self.draft.due, placeholder="e.g. 17:00 (next), +2h, 2026-12-03", id="due")

    def collect(self) -> ActionItemDraft | None:
        text = self.value("text")
        if not text.strip():
            self.complain("Type the action item first (or Esc to cancel).")
            return None
        return ActionItemDraft(text=text, owner=self.value("owner"), due=self.value("due"))
