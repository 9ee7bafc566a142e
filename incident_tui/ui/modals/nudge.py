"""``n``: act on or dismiss the most pressing nudge."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from incident_tui.core.nudges import Nudge
from incident_tui.ui.palette import palette_of
from incident_tui.ui.widgets.attention import urgency_style

ACT = "act"
DISMISS = "dismiss"


class NudgeModal(ModalScreen[str | None]):
    """Returns ``"act"``, ``"dismiss"`` or None; the screen does the rest."""

    BINDINGS = [
        Binding("enter", "choose('act')", "Do it", id="nudge.act"),
        Binding("x", "choose('dismiss')", "Dismiss", id="nudge.dismiss"),
        Binding("escape", "choose('')", "Cancel", id="nudge.cancel"),
    ]

    def __init__(self, nudge: Nudge, others: list[Nudge]) -> None:
        super().__init__()
        self.nudge = nudge
        self.others = others

    def compose(self) -> ComposeResult:
        nudge = self.nudge
        with Vertical(classes="form"):
            head = Text.assemble(
                (
                    f" {nudge.urgency.label.upper()} ",
                    urgency_style(nudge.urgency, palette_of(self.app)),
                ),
                " ",
                (nudge.message, "bold"),
            )
            yield Static(head, classes="form-title")
            yield Static(Text(f"Suggested: {nudge.suggestion}"))
            if self.others:
                rest = Text("Also waiting:", style="dim")
                for other in self.others:
                    rest.append(f"\n  • {other.message}", style="dim")
                yield Static(rest, classes="form-note")
            yield Label(
                Text.assemble(
                    ("Enter", "bold"),
                    " do it · ",
                    ("x", "bold"),
                    " dismiss (logged) · ",
                    ("Esc", "bold"),
                    " back",
                ),
                classes="form-hint",
            )

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice or None)
