"""The action-items pane: each follow-up with its owner, due time and whether it is done."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static

from incident_tui.core.models import ActionItem, IncidentRecord
from incident_tui.ui.palette import Palette, default_palette
from incident_tui.ui.read_only import viewing
from incident_tui.ui.text import plain, short_time


def is_overdue(item: ActionItem, now: datetime) -> bool:
    """Open and past its due time."""
    return not item.done and item.due is not None and item.due <= now


def item_line(item: ActionItem, now: datetime, utc: bool, palette: Palette) -> Text:
    """``[ ] Add a canary · Dana · OVERDUE 15:00`` (overdue in words, not only colour)."""
    line = Text(no_wrap=True, overflow="ellipsis")
    line.append("[x] " if item.done else "[ ] ", style="bold")
    line.append_text(plain(item.text, style=palette.muted if item.done else "bold"))
    line.append(" · ")
    line.append_text(plain(item.owner or "no owner", style="" if item.owner else "italic"))
    if item.done:
        line.append(" · done", style=palette.done)
    elif item.due is not None:
        if is_overdue(item, now):
            line.append(" ")
            line.append(f" OVERDUE {short_time(item.due, utc)} ", style=palette.late)
        else:
            line.append(f" · due {short_time(item.due, utc)}")
    return line


def ordered(items: list[ActionItem], now: datetime) -> list[ActionItem]:
    """Overdue first, then open ones by due time (no due time last), then done ones."""
    far = datetime.max.replace(tzinfo=now.tzinfo)
    return sorted(
        items,
        key=lambda item: (item.done, not is_overdue(item, now), item.due or far, item.created_at),
    )


class ActionItemsPane(Static):
    """The incident's action items; ``A`` opens them to mark one done."""

    record: reactive[IncidentRecord | None] = reactive(None, always_update=True, repaint=False)
    now: reactive[datetime | None] = reactive(None, repaint=False)
    utc: reactive[bool] = reactive(False)
    palette: reactive[Palette] = reactive(default_palette)

    _drawn: object = None

    def watch_record(self) -> None:
        self._redraw()

    def watch_now(self) -> None:
        self._redraw()

    def watch_utc(self) -> None:
        self._redraw()

    def watch_palette(self) -> None:
        self._redraw()

    def _redraw(self) -> None:
        record, now = self.record, self.now
        if now is None:
            return
        items = list(record.action_items) if record else []
        overdue = sum(is_overdue(item, now) for item in items)
        key = (tuple(items), overdue, self.utc, self.palette)
        if key == self._drawn:
            return
        self._drawn = key
        open_count = sum(not item.done for item in items)
        if isinstance(self.parent, Widget):  # the pane around it carries the title
            late = f", {overdue} overdue" if overdue else ""
            self.parent.border_title = f"Action items ({open_count} open{late})"
        if not items:
            hint = "" if viewing(self) else " Press a to add one."
            self.update(Text(f"None yet.{hint}", style=f"italic {self.palette.muted}"))
            return
        lines = [item_line(item, now, self.utc, self.palette) for item in ordered(items, now)]
        shown = Text("\n").join(lines)
        shown.no_wrap, shown.overflow = True, "ellipsis"  # one line per item
        self.update(shown)
