"""``m``: the mitigation patterns and the symptom-to-first-try table; pick one to log it."""

from __future__ import annotations

from dataclasses import dataclass

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from incident_tui.core.playbook import FIRST_TRIES, MITIGATIONS, mitigation
from incident_tui.ui.modals.base import FormModal, labelled


@dataclass(frozen=True)
class MitigationDraft:
    """The pattern chosen and the IC's detail (what exactly was rolled back, flagged off...)."""

    pattern: str
    """A key from ``core.playbook.MITIGATIONS``."""
    detail: str = ""


def first_try_table() -> Table:
    """Symptom to first try, as a compact two-column table."""
    table = Table(box=None, show_header=True, header_style="bold", pad_edge=False, expand=True)
    table.add_column("Symptom", no_wrap=True)
    table.add_column("First try")
    for row in FIRST_TRIES:
        table.add_row(row.symptom, row.first_try)
    return table


class MitigationModal(FormModal[MitigationDraft]):
    """Stop the impact first: choose a pattern (arrows), add detail, Enter logs it as applied."""

    TITLE_TEXT = "Apply a mitigation: stop user impact first, find the cause later"

    DEFAULT_CSS = """
    MitigationModal #patterns { height: auto; max-height: 9; }
    MitigationModal #first-tries { height: auto; margin-top: 1; }
    """

    def __init__(self, draft: MitigationDraft | None = None, error: str = "") -> None:
        super().__init__(error)
        self.draft = draft or MitigationDraft(pattern=MITIGATIONS[0].key)

    def compose_fields(self) -> ComposeResult:
        yield labelled("Pattern")
        options = []
        for pattern in MITIGATIONS:
            prompt = Text.assemble((f"{pattern.name:<21}", "bold"), (pattern.how, ""))
            options.append(Option(prompt, id=pattern.key))
        yield OptionList(*options, id="patterns")
        yield Static(classes="form-note", id="when")
        yield labelled("Detail")
        yield Input(self.draft.detail, placeholder="e.g. checkout-api back to 2.13.2", id="detail")
        yield Static(first_try_table(), id="first-tries")

    def on_mount(self) -> None:
        # Wider than a form: each pattern and each first try fits on one line.
        self.query_one(".form").styles.width = 100
        patterns = self.query_one("#patterns", OptionList)
        patterns.highlighted = patterns.get_option_index(self.draft.pattern)
        patterns.focus()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id:
            when = mitigation(event.option.id).when
            self.query_one("#when", Static).update(Text(f"When: {when}", style="italic"))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.query_one("#detail", Input).focus()

    def collect(self) -> MitigationDraft | None:
        patterns = self.query_one("#patterns", OptionList)
        index = patterns.highlighted
        if index is None:
            self.complain("Pick a pattern with the arrow keys (or Esc to cancel).")
            return None
        key = patterns.get_option_at_index(index).id or MITIGATIONS[0].key
        return MitigationDraft(pattern=key, detail=self.value("detail"))
