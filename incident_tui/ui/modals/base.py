"""What every form modal shares: Esc cancels and saves nothing, Enter in a field saves."""

from __future__ import annotations

from typing import Generic, TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

DraftT = TypeVar("DraftT")


class FormModal(ModalScreen[DraftT | None], Generic[DraftT]):
    """A small dialog that returns a draft with ``dismiss`` and never touches the store.

    Subclasses build their fields in ``compose_fields`` and turn them into a draft in
    ``collect`` (returning None, after calling ``complain``, when a field is missing).
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
        Binding("ctrl+s", "save", "Save", id="form.save"),
    ]

    TITLE_TEXT = ""
    """The dialog's title."""

    def __init__(self, error: str = "") -> None:
        super().__init__()
        self._error = error

    def compose(self) -> ComposeResult:
        with Vertical(classes="form"):
            yield Static(Text(self.TITLE_TEXT, style="bold"), classes="form-title")
            yield from self.compose_fields()
            yield Static(Text(self._error), classes="form-error", id="form-error")
            yield Label(
                Text.assemble(("Enter", "bold"), " saves · ", ("Esc", "bold"), " cancels"),
                classes="form-hint",
            )

    def compose_fields(self) -> ComposeResult:
        """The dialog's fields."""
        yield from ()

    def collect(self) -> DraftT | None:
        """The draft from the fields, or None when something required is missing."""
        raise NotImplementedError

    def complain(self, message: str) -> None:
        """Show a one-line problem in the dialog and keep it open."""
        self.query_one("#form-error", Static).update(Text(message, style="bold red"))

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        draft = self.collect()
        if draft is not None:
            self.dismiss(draft)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def value(self, field_id: str) -> str:
        """The text typed into one input."""
        return self.query_one(f"#{field_id}", Input).value


def labelled(label: str) -> Label:
    """A field label."""
    return Label(label, classes="field-label")
