"""``k``: the resolution criteria as a checklist, with the way to close the incident.

Each tick is saved the moment it is made (through the ``save_tick`` callback the screen's
part hands in: the dialog never touches the store). Ticked and unticked rows differ in shape,
``[x]`` and ``[ ]``, not only in colour. "Final updates posted" is read from the timeline.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from incident_tui.core.playbook import FINAL_UPDATES, RESOLUTION_CRITERIA
from incident_tui.ui.palette import palette_of

SaveTick = Callable[[str, bool], str | None]
"""Save one tick; returns None when saved, or the one-line reason it was not."""


@dataclass(frozen=True)
class ChecklistResult:
    """How the dialog was left: whether the IC asked to go on and close the incident."""

    close: bool = False


def _row(text: str, ticked: bool, derived: bool) -> Text:
    row = Text()
    row.append("[x] " if ticked else "[ ] ", style="bold")
    row.append(text, style="" if ticked else "bold")
    if derived:
        note = " (from the timeline)" if ticked else " (post the resolved updates with c)"
        row.append(note, style="italic")
    return row


class ChecklistModal(ModalScreen[ChecklistResult | None]):
    """Space or Enter ticks (saved at once); Esc is done; ``c`` goes on to close the incident."""

    BINDINGS = [
        Binding("escape", "done", "Done", id="checklist.done"),
        Binding("space", "tick", "Tick", id="checklist.tick"),
        Binding("c", "close_incident", "Close incident…", id="checklist.close"),
    ]

    DEFAULT_CSS = """
    ChecklistModal #criteria { height: auto; border: none; }
    """

    def __init__(
        self,
        checklist: dict[str, bool],
        verified: bool,
        save_tick: SaveTick | None = None,
    ) -> None:
        super().__init__()
        self.checklist = {c.key: bool(checklist.get(c.key, False)) for c in RESOLUTION_CRITERIA}
        """Every criterion's state as shown (and, with ``save_tick``, as stored)."""
        self.verified = verified
        self.save_tick = save_tick

    def compose(self) -> ComposeResult:
        with Vertical(classes="form"):
            yield Static(Text("Resolution criteria", style="bold"), classes="form-title")
            yield OptionList(*self._options(), id="criteria")
            if not self.verified:
                yield Static(
                    Text("The mitigation is not marked verified yet (v).", style="bold"),
                    classes="form-note",
                )
            yield Static(Text(""), classes="form-error", id="form-error")
            yield Label(
                Text.assemble(
                    ("Space", "bold"),
                    " ticks (saved at once) · ",
                    ("Esc", "bold"),
                    " done · ",
                    ("c", "bold"),
                    " close the incident…",
                ),
                classes="form-hint",
            )

    def _options(self) -> list[Option]:
        return [
            Option(_row(c.text, self.checklist[c.key], c.key == FINAL_UPDATES), id=c.key)
            for c in RESOLUTION_CRITERIA
        ]

    def on_mount(self) -> None:
        self.query_one("#criteria", OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_tick()

    def action_tick(self) -> None:
        """Tick or untick the highlighted criterion and save it."""
        options = self.query_one("#criteria", OptionList)
        index = options.highlighted
        if index is None:
            return
        key = RESOLUTION_CRITERIA[index].key
        error = self.query_one("#form-error", Static)
        if key == FINAL_UPDATES:
            error.update(
                Text("Ticked by the timeline: post the resolved updates (c on the screen).")
            )
            return
        ticked = not self.checklist[key]
        problem = self.save_tick(key, ticked) if self.save_tick else None
        if problem:
            error.update(Text(problem, style=palette_of(self.app).bad))
            return
        error.update(Text(""))
        self.checklist[key] = ticked
        criterion = RESOLUTION_CRITERIA[index]
        options.replace_option_prompt_at_index(index, _row(criterion.text, ticked, False))

    def action_done(self) -> None:
        self.dismiss(ChecklistResult(close=False))

    def action_close_incident(self) -> None:
        self.dismiss(ChecklistResult(close=True))
