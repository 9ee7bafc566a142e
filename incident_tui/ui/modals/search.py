"""``/``: what to look for in the timeline (text, author or kind)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Input

from incident_tui.ui.modals.base import FormModal, labelled


class SearchModal(FormModal[str]):
    """One field; Enter searches (an empty field ends the search), Esc leaves it as it was."""

    TITLE_TEXT = "Search the timeline"

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self.query_text = query

    def compose_fields(self) -> ComposeResult:
        yield labelled("Text, author or kind (] next match, [ previous)")
        yield Input(self.query_text, placeholder="e.g. pool, Dana, decision", id="query")

    def collect(self) -> str | None:
        return self.value("query").strip()
