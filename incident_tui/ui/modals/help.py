"""``?``: every key on the IC's screen and what it does, built from the live bindings."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from incident_tui.ui.palette import palette_of


class HelpModal(ModalScreen[None]):
    """A table of key, action and what it is for; any of Esc, ? or q closes it."""

    BINDINGS = [
        Binding("escape,question_mark,q", "close", "Close", id="help.close"),
    ]

    def __init__(self, keys: list[tuple[str, str, str]]) -> None:
        super().__init__()
        self.keys = keys
        """(key as shown, short description, longer explanation) rows."""

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=True, header_style="bold", expand=True, padding=(0, 1))
        table.add_column("key", style=palette_of(self.app).key, no_wrap=True)
        table.add_column("action", style="bold", no_wrap=True)
        table.add_column("what it does")
        for key, description, explanation in self.keys:
            table.add_row(Text(key), Text(description), Text(explanation))
        with VerticalScroll(classes="form help"):
            yield Static(
                Text("Keys (when no text field has focus)", style="bold"), classes="form-title"
            )
            yield Static(table)
            yield Static(
                Text(
                    "Everything is saved the moment you press Enter; there is no save step. "
                    "ctrl+p opens the command palette with every action.",
                    style="dim",
                )
            )

    def action_close(self) -> None:
        self.dismiss(None)
