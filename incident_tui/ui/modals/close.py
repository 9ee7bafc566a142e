"""Closing the incident: the AAR date (one to two weeks out) and what is still open."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Input, Static

from incident_tui.core.errors import InvalidInputError
from incident_tui.core.models import ActionItem
from incident_tui.core.playbook import Criterion
from incident_tui.core.rules import AarWindow
from incident_tui.ui.modals.base import FormModal, labelled
from incident_tui.ui.text import plain


@dataclass(frozen=True)
class CloseDraft:
    """The AAR date chosen; closing stores it and sets the status to closed."""

    aar_date: date


class CloseModal(FormModal[CloseDraft]):
    """Asks for the AAR date and lists open action items and unticked criteria first."""

    TITLE_TEXT = "Close the incident"

    DEFAULT_CSS = """
    CloseModal .close-list { height: auto; max-height: 10; }
    """

    def __init__(
        self,
        draft: CloseDraft,
        today: date,
        open_items: list[ActionItem],
        unticked: list[Criterion],
        error: str = "",
        window: AarWindow | None = None,
    ) -> None:
        super().__init__(error)
        self.draft = draft
        self.today = today
        self.window = window or AarWindow()
        """The configured AAR window (``[aar]`` in the config), checked before saving."""
        self.open_items = open_items
        self.unticked = unticked

    def compose_fields(self) -> ComposeResult:
        if self.unticked:
            warning = Text("Not ticked yet: ", style="bold")
            warning.append(", ".join(c.key for c in self.unticked), style="bold")
            yield Static(warning, classes="form-note")
        yield labelled(f"Open action items ({len(self.open_items)})")
        yield Static(self._items_text(), classes="close-list")
        yield labelled("AAR date (YYYY-MM-DD or +N days; within two weeks)")
        yield Input(self.draft.aar_date.isoformat(), id="aar")

    def _items_text(self) -> Text:
        if not self.open_items:
            return Text("none: every follow-up is done", style="dim italic")
        lines = []
        for item in self.open_items:
            line = Text("• ")
            line.append_text(plain(item.text))
            line.append_text(plain(f"  ({item.owner or 'no owner'})", style="dim"))
            lines.append(line)
        return Text("\n").join(lines)

    def on_mount(self) -> None:
        self.query_one("#aar", Input).focus()

    def collect(self) -> CloseDraft | None:
        try:
            aar = self.window.parse(self.value("aar"), self.today)
        except InvalidInputError as exc:
            self.complain(str(exc))
            return None
        return CloseDraft(aar_date=aar)
