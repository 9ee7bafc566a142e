"""``k``: the resolution criteria as a checklist, with the way to close the incident."""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, SelectionList, Static

from incident_tui.core.playbook import RESOLUTION_CRITERIA


@dataclass(frozen=True)
class ChecklistResult:
    """The criteria as left in the dialog, and whether the IC asked to close the incident."""

    ticked: dict[str, bool] = field(default_factory=dict)
    """Every criterion key with its ticked state."""
    close: bool = False


class ChecklistModal(ModalScreen[ChecklistResult | None]):
    """Space ticks; Esc keeps the ticks; ``c`` keeps them and goes on to close the incident.

    Ticks are kept on Esc (unlike typed forms): a tick is quick to undo, and losing a
    column of ticks to a reflexive Esc would be worse.
    """

    BINDINGS = [
        Binding("escape", "done", "Done", id="checklist.done"),
        Binding("c", "close_incident", "Close incident…", id="checklist.close"),
        Binding("ctrl+q", "discard", "Discard changes", show=False, id="checklist.discard"),
    ]

    DEFAULT_CSS = """
    ChecklistModal #criteria { height: auto; border: none; }
    """

    def __init__(self, checklist: dict[str, bool], verified: bool) -> None:
        super().__init__()
        self.checklist = dict(checklist)
        self.verified = verified

    def compose(self) -> ComposeResult:
        with Vertical(classes="form"):
            yield Static(Text("Resolution criteria", style="bold"), classes="form-title")
            yield SelectionList[str](
                *[(c.text, c.key, self.checklist.get(c.key, False)) for c in RESOLUTION_CRITERIA],
                id="criteria",
            )
            if not self.verified:
                yield Static(
                    Text("The mitigation is not marked verified yet (v).", style="bold #e67e22"),
                    classes="form-note",
                )
            yield Label(
                Text.assemble(
                    ("Space", "bold"),
                    " ticks · ",
                    ("Esc", "bold"),
                    " done · ",
                    ("c", "bold"),
                    " close the incident…",
                ),
                classes="form-hint",
            )

    def on_mount(self) -> None:
        self.query_one("#criteria", SelectionList).focus()

    def _result(self, close: bool) -> ChecklistResult:
        chosen = set(self.query_one("#criteria", SelectionList).selected)
        return ChecklistResult({c.key: c.key in chosen for c in RESOLUTION_CRITERIA}, close)

    def action_done(self) -> None:
        self.dismiss(self._result(close=False))

    def action_close_incident(self) -> None:
        self.dismiss(self._result(close=True))

    def action_discard(self) -> None:
        self.dismiss(None)
