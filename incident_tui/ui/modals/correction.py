"""Amend or strike a timeline row (started from the row's detail view): one line of text."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Input

from incident_tui.ui.modals.base import FormModal, labelled


class CorrectionModal(FormModal[str]):
    """The corrected text (amend) or the reason (strike); the original row always stays."""

    def __init__(self, striking: bool, text: str = "", error: str = "") -> None:
        super().__init__(error)
        self.striking = striking
        self.text = text
        self.TITLE_TEXT = "Strike this row" if striking else "Amend this row"

    def compose_fields(self) -> ComposeResult:
        if self.striking:
            yield labelled("Why it is struck (it stays on the timeline, marked struck)")
            yield Input(self.text, placeholder="e.g. logged on the wrong incident", id="text")
        else:
            yield labelled("The corrected text (the original stays, marked amended)")
            yield Input(self.text, id="text")

    def collect(self) -> str | None:
        text = self.value("text")
        if not text.strip():
            self.complain("Type the " + ("reason" if self.striking else "corrected text") + ".")
            return None
        return text
