"""``A``: the action items as a list; Space marks one done (saved at once) or open again; ``e``
edits the highlighted one (text, owner, due time)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from incident_tui.core.models import ActionItem
from incident_tui.ui.modals.action_item import ActionItemDraft, ActionItemModal
from incident_tui.ui.palette import palette_of
from incident_tui.ui.widgets.action_items import item_line, ordered

SaveDone = Callable[[str, bool], ActionItem | str]
"""Save one item's done state; returns the item as stored, or the reason it was not saved."""

SaveEdit = Callable[[str, ActionItemDraft, ActionItemDraft], ActionItem | str]
"""Save an edit (item id, the form as opened, the form as saved); the item or the reason."""


def draft_of(item: ActionItem) -> ActionItemDraft:
    """The edit form's fields for ``item``: the due time written out in full (with its
    offset), so saving it unchanged means the same moment, not the next such time of day."""
    due = item.due.astimezone().isoformat(timespec="minutes") if item.due else ""
    return ActionItemDraft(text=item.text, owner=item.owner, due=due)


class ActionItemsModal(ModalScreen[None]):
    """Every action item, overdue first; Space or Enter toggles done; Esc closes."""

    BINDINGS = [
        Binding("escape", "close", "Close", id="action_items.close"),
        Binding("space", "toggle_done", "Done / open", id="action_items.toggle"),
        Binding("e", "edit", "Edit", id="action_items.edit"),
    ]

    DEFAULT_CSS = """
    ActionItemsModal #items { height: auto; max-height: 20; border: none; }
    """

    def __init__(
        self,
        items: list[ActionItem],
        now: datetime,
        utc: bool,
        save_done: SaveDone,
        save_edit: SaveEdit | None = None,
    ) -> None:
        super().__init__()
        self.items = ordered(items, now)
        """The items in the order shown."""
        self.now = now
        self.utc = utc
        self.save_done = save_done
        self.save_edit = save_edit

    def compose(self) -> ComposeResult:
        with Vertical(classes="form"):
            yield Static(Text("Action items", style="bold"), classes="form-title")
            if self.items:
                yield OptionList(*[self._option(item) for item in self.items], id="items")
            else:
                yield Static(Text("None yet: press a on the screen to add one.", style="italic"))
            yield Static(Text(""), classes="form-error", id="form-error")
            yield Label(
                Text.assemble(
                    ("Space", "bold"),
                    " done / open again (saved at once) · ",
                    ("e", "bold"),
                    " edit · ",
                    ("Esc", "bold"),
                    " closes",
                ),
                classes="form-hint",
            )

    def _option(self, item: ActionItem) -> Option:
        return Option(item_line(item, self.now, self.utc, palette_of(self.app)), id=item.id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_toggle_done()

    def action_toggle_done(self) -> None:
        """Mark the highlighted item done, or open again."""
        if not self.items:
            return
        options = self.query_one("#items", OptionList)
        index = options.highlighted
        if index is None:
            return
        item = self.items[index]
        saved = self.save_done(item.id, not item.done)
        if isinstance(saved, str):
            self.query_one("#form-error", Static).update(
                Text(saved, style=palette_of(self.app).bad)
            )
            return
        self.items[index] = saved
        options.replace_option_prompt_at_index(
            index, item_line(saved, self.now, self.utc, palette_of(self.app))
        )

    def _highlighted(self) -> int | None:
        if not self.items:
            return None
        return self.query_one("#items", OptionList).highlighted

    def action_edit(self) -> None:
        """Edit the highlighted item in the same form as ``a``; the list shows the result."""
        index = self._highlighted()
        if index is None or self.save_edit is None:
            return
        item = self.items[index]
        before = draft_of(item)
        self._edit(index, item.id, before, before, "")

    def _edit(
        self, index: int, item_id: str, before: ActionItemDraft, draft: ActionItemDraft, error: str
    ) -> None:
        def done(after: ActionItemDraft | None) -> None:
            if after is None or self.save_edit is None:
                return  # Esc: nothing changes
            saved = self.save_edit(item_id, before, after)
            if isinstance(saved, str):
                self._edit(index, item_id, before, after, saved)  # reopen with what was typed
                return
            self.items[index] = saved
            self.query_one("#items", OptionList).replace_option_prompt_at_index(
                index, item_line(saved, self.now, self.utc, palette_of(self.app))
            )

        self.app.push_screen(ActionItemModal(draft, error, editing=True), done)

    def action_close(self) -> None:
        self.dismiss(None)
