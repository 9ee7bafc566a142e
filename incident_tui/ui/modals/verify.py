"""``v``: mark the mitigation verified, saying how (the user flow, not only dashboards)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Input, Static

from incident_tui.ui.modals.base import FormModal, labelled
from incident_tui.ui.text import plain


class VerifyModal(FormModal[str]):
    """Returns how the mitigation was verified; the screen stamps the milestone."""

    TITLE_TEXT = "Mark the mitigation verified"

    def __init__(self, applied: str | None, text: str = "", error: str = "") -> None:
        super().__init__(error)
        self.applied = applied
        """The latest mitigation logged, shown so the IC knows what is being verified."""
        self.text = text

    def compose_fields(self) -> ComposeResult:
        if self.applied:
            yield Static(Text.assemble("Applied: ", plain(self.applied, style="bold")))
        else:
            yield Static(
                Text("No mitigation logged yet; verifying also marks it applied.", "italic")
            )
        yield Static(
            Text("Test the user flow end to end, not only the dashboards.", style="dim italic"),
            classes="form-note",
        )
        yield labelled("How was it verified?")
        yield Input(self.text, placeholder="e.g. test purchase succeeded in EU and US", id="how")

    def on_mount(self) -> None:
        self.query_one("#how", Input).focus()

    def collect(self) -> str | None:
        how = self.value("how").strip()
        if not how:
            self.complain("Say how it was verified (or Esc to cancel).")
            return None
        return how
