"""A browser user's name, asked once when a served writer tab opens; it signs their events."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input

from incident_tui.serve.browser import NAME_LIMIT, clean_name
from incident_tui.ui.modals.base import FormModal, labelled


class NameModal(FormModal[str]):
    """Returns the cleaned name; Esc is not offered: events need an author."""

    TITLE_TEXT = "Who are you? Your name goes on every event you add."
    BINDINGS = [
        Binding("escape", "nothing", "", show=False, id="name.no_cancel"),
        Binding("ctrl+s", "save", "Save", id="name.save"),
    ]

    def compose_fields(self) -> ComposeResult:
        yield labelled("Name (as the call knows you)")
        yield Input(placeholder="e.g. Priya (scribe)", max_length=NAME_LIMIT, id="name")

    def on_mount(self) -> None:
        self.query_one("#name", Input).focus()

    def collect(self) -> str | None:
        name = clean_name(self.value("name"))
        if name is None:
            self.complain("Type a name: it signs the events you add.")
        return name

    def action_nothing(self) -> None:
        """Esc: the question stays until answered."""
