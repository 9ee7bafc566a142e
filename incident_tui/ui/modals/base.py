"""What every form modal shares: Enter saves from any field, Esc cancels and saves nothing.

Enter saves wherever the cursor is, except inside an open list (a dropdown being chosen
from, or a list of choices such as the mitigation patterns), where it picks the item. Esc
with typed text asks first: the second Esc discards. Keys typed before the dialog had
focus (a paste, a fast typist right after ``t``) go into its first field, in order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from rich.text import Text
from textual import events
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static, TextArea

from incident_tui.core.errors import InvalidInputError
from incident_tui.ui.palette import palette_of

DraftT = TypeVar("DraftT")


@dataclass
class When:
    """The dialog's "When" field: the moment its key was pressed, which the scribe may change
    (``HH:MM``, ``-5m``, ISO-8601) before saving; Enter with it untouched keeps the keypress."""

    pressed: datetime
    """The moment the dialog's key was pressed."""
    shown: str
    """The field's text at first (the keypress as a local or UTC clock time)."""
    parse: Callable[[str], datetime]
    """Reads a typed time (raises InvalidInputError on nonsense or a future time)."""
    typed: str | None = None
    """What the field held when the form was saved (kept when a failed save reopens it)."""
    chosen: datetime | None = None
    """The moment saved with: the keypress, or the time typed."""


class FormModal(ModalScreen[DraftT | None], Generic[DraftT]):
    """A small dialog that returns a draft with ``dismiss`` and never touches the store.

    Subclasses build their fields in ``compose_fields`` and turn them into a draft in
    ``collect`` (returning None, after calling ``complain``, when a field is missing).
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
        Binding("ctrl+s", "save", "Save", id="form.save"),
        # Before the focused widget sees it: a closed dropdown would open again on Enter.
        Binding("enter", "submit", "Save", show=False, priority=True, id="form.submit"),
    ]

    TITLE_TEXT = ""
    """The dialog's title."""

    def __init__(self, error: str = "") -> None:
        super().__init__()
        self._error = error
        self.when: When | None = None
        """Set by the screen before the form opens when its save takes a time."""
        self._typed_at_open: tuple[str, ...] | None = None
        self._warned = False
        self._early_keys: list[events.Key] = []
        """Keys that came before any field had focus, to be typed into the first one."""
        self.on_save: Callable[[DraftT], object] | None = None
        """Set by the part that opened the form: writes the draft as the dialog closes, before
        the screen behind it is drawn again, so the frame that uncovers that screen already
        shows what was saved (one frame after Enter, not a frame without it and then another)."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="form"):
            yield Static(Text(self.TITLE_TEXT, style="bold"), classes="form-title")
            yield from self.compose_fields()
            if self.when is not None:
                yield labelled("When (HH:MM, -5m or ISO; as is: when the key was pressed)")
                shown = self.when.shown if self.when.typed is None else self.when.typed
                yield Input(shown, id="when-field")
            yield Static(
                Text(self._error, style=palette_of(self.app).bad),
                classes="form-error",
                id="form-error",
            )
            yield Label(
                Text.assemble(
                    ("Enter", "bold"),
                    " saves from any field · ",
                    ("Space", "bold"),
                    " opens a list · ",
                    ("Esc", "bold"),
                    " cancels",
                ),
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
        self.query_one("#form-error", Static).update(Text(message, style=palette_of(self.app).bad))

    def _typed(self) -> tuple[str, ...]:
        return tuple(field.value for field in self.query(Input))

    def on_mount(self) -> None:
        self._typed_at_open = self._typed()

    def action_cancel(self) -> None:
        """Esc: close without saving; with text typed, only the second Esc discards it."""
        typed = self._typed()
        # A form reopened after a failed save holds what was typed before: that counts too.
        changed = typed != self._typed_at_open or (bool(self._error) and any(typed))
        if not self._warned and changed:
            self._warned = True
            self.complain("Esc again throws away what you typed; Enter saves it.")
            return
        self.dismiss(None)

    def action_save(self) -> None:
        draft = self.collect()
        if draft is None or not self._chose_time():
            return
        if self.on_save is not None:
            self.on_save(draft)
        self.dismiss(draft)

    def _chose_time(self) -> bool:
        """Read the "When" field (if any) into ``when.chosen``; False, with the reason shown,
        when it cannot be read."""
        when = self.when
        if when is None:
            return True
        typed = self.value("when-field").strip()
        when.typed = typed
        if typed == when.shown:
            when.chosen = when.pressed  # untouched: the keypress, to the microsecond
            return True
        try:
            when.chosen = when.parse(typed)
        except InvalidInputError as exc:
            self.complain(f"When: {exc}")
            self.query_one("#when-field", Input).focus()
            return False
        return True

    def action_submit(self) -> None:
        """Enter on a field that would not save by itself (a closed dropdown): save.

        A text field saves on its own Enter (``on_input_submitted``), after the keys typed
        before it; an open list picks its item; with no focus yet the Enter waits behind the
        keys typed before it (``on_key``). Those all pass the key on.
        """
        focused = self.focused
        if focused is None or isinstance(focused, Input | OptionList | TextArea):
            raise SkipAction()
        self.action_save()

    def on_key(self, event: events.Key) -> None:
        """Keys that arrived before the first field had focus: type them into it, in order."""
        if not (event.key == "enter" or event.is_printable):
            return
        # A field with focus takes its own keys: one that reaches the dialog itself came
        # before the field had focus (posted here by the screen behind, or queued early).
        focused = self.focused
        if focused is None:
            event.stop()
            self._early_keys.append(event)
        elif isinstance(focused, Input):
            event.stop()
            self._early_keys.append(event)
            self._type_early_keys()

    def on_descendant_focus(self, _event: events.DescendantFocus) -> None:
        self._type_early_keys()

    def _type_early_keys(self) -> None:
        focused = self.focused
        if not isinstance(focused, Input):
            return
        keys, self._early_keys = self._early_keys, []
        for key in keys:
            if key.key == "enter":
                self.action_save()
                return
            if key.is_printable and key.character:
                focused.insert_text_at_cursor(key.character)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def value(self, field_id: str) -> str:
        """The text typed into one input."""
        return self.query_one(f"#{field_id}", Input).value


def labelled(label: str) -> Label:
    """A field label."""
    return Label(label, classes="field-label")
