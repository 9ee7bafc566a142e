"""``h``: the handoff brief, ready to copy."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from incident_tui.ui.text import plain


class HandoffModal(ModalScreen[str | None]):
    """Shows the brief; ``y`` (or ``c``) returns it for the screen to copy, Esc closes."""

    BINDINGS = [
        Binding("escape", "dismiss_brief", "Close", id="handoff.close"),
        Binding("y,c", "copy_brief", "Copy", id="handoff.copy"),
    ]

    DEFAULT_CSS = """
    HandoffModal #brief-scroll { height: auto; max-height: 30; }
    """

    def __init__(self, brief: str, title: str = "Handoff brief") -> None:
        super().__init__()
        self.brief = brief
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical(classes="form"):
            yield Static(Text(self.title_text, style="bold"), classes="form-title")
            with VerticalScroll(id="brief-scroll"):
                lines = [plain(line) for line in self.brief.rstrip("\n").split("\n")]
                yield Static(Text("\n").join(lines), id="brief")
            yield Label(
                Text.assemble(("y", "bold"), " copies · ", ("Esc", "bold"), " closes"),
                classes="form-hint",
            )

    def on_mount(self) -> None:
        # Wider than a form: brief lines are up to about 90 columns and read badly wrapped.
        self.query_one(".form").styles.width = 100

    def action_copy_brief(self) -> None:
        self.dismiss(self.brief)

    def action_dismiss_brief(self) -> None:
        self.dismiss(None)
