"""``i``: switch to another open incident, or declare a new one."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from incident_tui.core.store import IncidentSummary
from incident_tui.ui.palette import palette_of
from incident_tui.ui.text import plain, severity_badge

DECLARE_NEW = "+new"
"""The result meaning "declare a new incident"."""


class SwitchIncidentModal(ModalScreen[str | None]):
    """A list of open incidents plus "declare a new one"; returns an id, DECLARE_NEW or None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="switch.cancel")]

    def __init__(self, incidents: list[IncidentSummary], current: str | None) -> None:
        super().__init__()
        self.incidents = incidents
        self.current = current

    def compose(self) -> ComposeResult:
        options: list[Option] = [
            Option(Text("+ Declare a new incident", style="bold"), id=DECLARE_NEW)
        ]
        for summary in self.incidents:
            label = Text.assemble(
                severity_badge(summary.severity, palette_of(self.app)),
                " ",
                (summary.id, "bold"),
                " ",
                plain(summary.title),
                (f"  {summary.status.value}", "dim"),
                (" (open here)" if summary.id == self.current else "", "italic"),
            )
            options.append(Option(label, id=summary.id))
        with Vertical(classes="form"):
            yield Static(Text("Switch incident", style="bold"), classes="form-title")
            yield OptionList(*options, id="incidents")
            yield Static(
                Text.assemble(("Enter", "bold"), " opens · ", ("Esc", "bold"), " cancels"),
                classes="form-hint",
            )

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = 1 if len(self.incidents) > 1 else 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
