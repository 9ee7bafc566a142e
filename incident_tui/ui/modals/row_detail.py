"""Enter on a timeline row: the whole event, with when it happened and when it was written."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from incident_tui.core.models import TimelineEvent
from incident_tui.ui.text import clock_time, plain


def _when(event: TimelineEvent, utc: bool, which: str) -> str:
    moment = event.occurred_at if which == "occurred" else event.recorded_at
    shown = moment.astimezone() if not utc else moment
    return f"{shown.date().isoformat()} {clock_time(moment, utc)}" + (" UTC" if utc else "")


class RowDetailModal(ModalScreen[str | None]):
    """Kind, author, occurred and recorded times, the full text and any amendments."""

    BINDINGS = [
        Binding("escape,enter,q", "close", "Close", id="detail.close"),
        Binding("e", "correct('amend')", "Amend", id="detail.amend"),
        Binding("s", "correct('strike')", "Strike", id="detail.strike"),
    ]

    def __init__(
        self,
        event: TimelineEvent,
        amendments: list[TimelineEvent],
        utc: bool = False,
        current_text: str | None = None,
        *,
        can_correct: bool = True,
    ) -> None:
        super().__init__()
        self.can_correct = can_correct
        """False in the viewer's app: no amend, no strike."""
        self.event = event
        self.current_text = event.text if current_text is None else current_text
        """The text as amended (the original is ``event.text``)."""
        self.amendments = amendments
        self.utc = utc
        self.facts = [
            ("Kind", event.kind.value),
            ("Author", event.author or "?"),
            ("Occurred", _when(event, utc, "occurred")),
            ("Recorded", _when(event, utc, "recorded")),
        ]
        """The event's facts as shown, name and value."""

    def compose(self) -> ComposeResult:
        facts = Table.grid(padding=(0, 1))
        facts.add_column(style="bold", no_wrap=True)
        facts.add_column()
        for name, value in self.facts:
            facts.add_row(name, plain(value))
        with VerticalScroll(classes="form detail"):
            yield Static(Text("Timeline event", style="bold"), classes="form-title")
            yield Static(facts, id="facts")
            yield Label("Text", classes="field-label")
            yield Static(plain(self.current_text), id="full-text")
            if self.current_text != self.event.text:
                yield Label("Originally", classes="field-label")
                yield Static(plain(self.event.text), id="original-text")
            yield Label("Amendments", classes="field-label")
            yield Static(self._amendments_text(), id="amendments")
            corrections = (("e", "bold"), " amend · ", ("s", "bold"), " strike · ")
            yield Label(
                Text.assemble(
                    *(corrections if self.can_correct else ()),
                    ("Esc", "bold"),
                    " or ",
                    ("Enter", "bold"),
                    " closes",
                ),
                classes="form-hint",
            )

    def _amendments_text(self) -> Text:
        if not self.amendments:
            return Text("none", style="italic")
        lines = Text()
        for index, amendment in enumerate(self.amendments):
            if index:
                lines.append("\n")
            lines.append(clock_time(amendment.recorded_at, self.utc), style="bold")
            lines.append(" ")
            lines.append_text(plain(amendment.author or "?"))
            lines.append(": ")
            lines.append_text(plain(amendment.text))
        return lines

    def action_close(self) -> None:
        self.dismiss(None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Amend and strike are not offered in the viewer's app."""
        return self.can_correct or action != "correct"

    def action_correct(self, how: str) -> None:
        """``e`` or ``s``: go on to amend or strike this row (the screen asks for the text)."""
        self.dismiss(how)
