"""``c``: the update composer. Pick audience, state and format; edit; copy. Returns the text.

The modal only fills and lints text (pure core functions); it never touches the store or the
clipboard. The screen copies the returned :class:`ComposedUpdate` and logs the comms event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Select, Static, TextArea

from incident_tui.core.cadence import AUDIENCE_LABELS
from incident_tui.core.commslint import lint_line, lint_update
from incident_tui.core.config import AUDIENCES, STATES, Config
from incident_tui.core.models import IncidentRecord
from incident_tui.core.templates import UpdateFormat, fill_update, state_for
from incident_tui.serve.browser import in_browser
from incident_tui.ui.widgets.footer import KeyFooter


@dataclass(frozen=True)
class ComposedUpdate:
    """What the IC chose to copy: who it is for, which template, which format, the final text."""

    audience: str
    state: str
    fmt: UpdateFormat
    text: str
    post: bool = False
    """Post it to the audience's destinations as well as copying it."""
    edited: bool = False
    """The text differs from the template's (then it is posted as typed)."""


class CopyButton(Button):
    """The copy button; Tab from here goes straight into the text, to edit it."""

    BINDINGS = [Binding("tab", "edit_text", "Edit text", show=False)]

    def action_edit_text(self) -> None:
        self.screen.query_one("#update-text", TextArea).focus()


class UpdateEditor(TextArea):
    """The update's text: ctrl+a selects it all (to retype or paste over it)."""

    BINDINGS = [
        Binding("ctrl+a", "select_all", "Select all", show=False, id="editor.select_all"),
    ]


class ComposeModal(ModalScreen[ComposedUpdate | None]):
    """The composer: Enter copies, Tab edits, ctrl+s copies and ctrl+o posts from anywhere."""

    DEFAULT_CSS = """
    ComposeModal .compose-box {
        width: 96; max-width: 100%; height: auto; max-height: 100%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    ComposeModal #choices { height: auto; }
    ComposeModal #choices Select { width: 1fr; }
    ComposeModal #update-text { height: 12; min-height: 4; }
    ComposeModal #lint { height: auto; max-height: 3; color: $warning; }
    ComposeModal #lint.-clean { color: $success; }
    ComposeModal #buttons { height: auto; margin-top: 1; }
    ComposeModal #copy, ComposeModal #post { margin-right: 2; }
    ComposeModal #buttons .form-hint { width: 1fr; }
    """

    BINDINGS = [
        Binding("escape", "cancel", "Close", id="compose.cancel"),
        Binding("ctrl+s", "copy", "Copy", id="compose.copy", priority=True),
        Binding("ctrl+o", "post", "Post", id="compose.post", priority=True),
        Binding("ctrl+r", "reset", "Reset to template", id="compose.reset", priority=True),
    ]

    def __init__(
        self,
        record: IncidentRecord,
        now: datetime,
        config: Config,
        audience: str = "internal",
        state: str | None = None,
        fmt: UpdateFormat = UpdateFormat.PLAIN,
    ) -> None:
        super().__init__()
        self.record = record
        self.now = now
        self.config = config
        self.audience = audience
        self.state = state or state_for(record.incident.status)
        self.fmt = fmt

    def compose(self) -> ComposeResult:
        incident = self.record.incident
        with Vertical(classes="compose-box"):
            yield Static(
                Text.assemble(("Post an update · ", "bold"), (incident.id, "bold")),
                classes="form-title",
            )
            with Horizontal(id="choices"):
                yield Select(
                    [(AUDIENCE_LABELS[a], a) for a in AUDIENCES],
                    value=self.audience,
                    allow_blank=False,
                    id="audience",
                )
                yield Select(
                    [(s.capitalize(), s) for s in STATES],
                    value=self.state,
                    allow_blank=False,
                    id="state",
                )
                yield Select(
                    [(f.value, f) for f in UpdateFormat],
                    value=self.fmt,
                    allow_blank=False,
                    id="format",
                )
            yield UpdateEditor(
                self._filled(), id="update-text", soft_wrap=True, tab_behavior="focus"
            )
            yield Static(id="lint")
            with Horizontal(id="buttons"):
                yield CopyButton("Copy", variant="primary", id="copy")
                yield Button("Post", id="post")
                yield Label(
                    Text.assemble(
                        ("Enter", "bold"),
                        " copies · ",
                        ("Tab", "bold"),
                        " edits · ",
                        ("ctrl+a", "bold"),
                        " selects all",
                    ),
                    classes="form-hint",
                )
        yield KeyFooter()

    def on_mount(self) -> None:
        self._lint()
        self.query_one("#copy", Button).focus()

    def _filled(self) -> str:
        return fill_update(self.record, self.audience, self.state, self.fmt, self.now, self.config)

    @property
    def text(self) -> str:
        """The text as it stands in the editor."""
        return self.query_one("#update-text", TextArea).text

    def _lint(self) -> None:
        warnings = lint_update(self.text, self.audience, self.state, self.record.incident)
        lint = self.query_one("#lint", Static)
        lint.update(Text(lint_line(warnings)))
        lint.set_class(not warnings, "-clean")

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        value = event.value
        if event.select.id == "audience" and isinstance(value, str):
            self.audience = value
        elif event.select.id == "state" and isinstance(value, str):
            self.state = value
        elif event.select.id == "format" and isinstance(value, UpdateFormat):
            self.fmt = value
        else:
            return
        # A new choice means new wording: the template is filled again from the incident.
        self.query_one("#update-text", TextArea).load_text(self._filled())
        self._lint()

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self._lint()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "copy":
            self.action_copy()
        elif event.button.id == "post":
            self.action_post()

    def action_copy(self, post: bool = False) -> None:
        """Return the update to copy; lint warnings never block it."""
        text = self.text.strip("\n")
        if not text.strip():
            self.query_one("#lint", Static).update(Text("Nothing to copy: the text is empty"))
            return
        edited = text != self._filled().strip("\n")
        self.dismiss(ComposedUpdate(self.audience, self.state, self.fmt, text, post, edited))

    def action_post(self) -> None:
        """Return the update to post to the audience's destinations (it is copied too)."""
        self.action_copy(post=True)

    def action_reset(self) -> None:
        """``ctrl+r``: back to the template's text for the current choices."""
        self.query_one("#update-text", TextArea).load_text(self._filled())
        self._lint()

    _warned = False

    def action_cancel(self) -> None:
        """Esc: close; with the text edited, only the second Esc throws the edit away."""
        if not self._warned and self.text != self._filled():
            self._warned = True
            lint = self.query_one("#lint", Static)
            lint.update(Text("Esc again throws away your edits; ctrl+s copies them."))
            return
        self.dismiss(None)


class ManualCopyModal(ModalScreen[None]):
    """No clipboard could be confirmed: the text, ready to select by hand, and where it is saved."""

    DEFAULT_CSS = """
    ManualCopyModal .compose-box {
        width: 96; max-width: 100%; height: auto; max-height: 100%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    ManualCopyModal #manual-text { height: 12; }
    """

    BINDINGS = [Binding("escape", "close", "Close", id="manual_copy.close")]

    def __init__(self, text: str, summary: str) -> None:
        super().__init__()
        self.update_text = text
        self.summary = summary

    def compose(self) -> ComposeResult:
        with Vertical(classes="compose-box"):
            yield Static(Text("Copy this update by hand", style="bold"), classes="form-title")
            yield Static(Text(self.summary, style="dim"), classes="form-note")
            yield TextArea(self.update_text, id="manual-text", read_only=True, soft_wrap=True)
            yield Label(
                Text.assemble(
                    "Select with the mouse"
                    + ("" if in_browser() else " (shift+drag in most terminals)")
                    + " · ",
                    ("Esc", "bold"),
                    " closes",
                ),
                classes="form-hint",
            )

    def on_mount(self) -> None:
        area = self.query_one("#manual-text", TextArea)
        area.focus()
        area.select_all()

    def action_close(self) -> None:
        self.dismiss(None)
