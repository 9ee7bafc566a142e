"""The attention strip: the most pressing nudge, one line under the header."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from incident_tui.core.models import IncidentRecord
from incident_tui.ui.palette import Palette, default_palette
from incident_tui.ui.read_only import viewing

if TYPE_CHECKING:  # the rules load with the first record, off the first frame's path
    from incident_tui.core.config import Config
    from incident_tui.core.nudges import Nudge


class AttentionStrip(Static):
    """Shows the top active nudge, its suggested action and how many more wait behind it.

    The screen binds the record and the clock's time, so the (time-based) rules are
    re-evaluated with every new record and every second.
    """

    DEFAULT_CSS = """
    AttentionStrip { height: 1; padding: 0 1; }
    """

    record: reactive[IncidentRecord | None] = reactive(
        None, always_update=True, layout=False, repaint=False
    )
    """The incident judged (bound from the screen)."""
    now: reactive[datetime | None] = reactive(None, layout=False, repaint=False)
    """The clock's time: the rules are re-evaluated every tick (deadlines pass)."""

    palette: reactive[Palette] = reactive(default_palette, layout=False)
    """Colours from the theme (bound from the screen)."""
    config: reactive[Config | None] = reactive(None, layout=False)
    """The user's config: the cadence the overdue-update nudges follow (bound)."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.nudges: list[Nudge] = []
        """The active nudges shown, most urgent first."""
        self._drawn = False

    def watch_record(self, record: IncidentRecord | None) -> None:
        if record is None:
            self.nudges, self._drawn = [], False
            self.update("", layout=False)  # no incident: nothing to judge, and no false all-clear
            return
        self._judge()

    def watch_now(self) -> None:
        self._judge()

    def watch_config(self) -> None:
        self._judge()

    def watch_palette(self) -> None:
        if self._drawn:
            self._draw()

    def _draw(self) -> None:
        # One line of fixed height: a new nudge needs this line repainted, not a layout of
        # the whole screen (which also redraws every pane).
        line = self.strip_text(self.nudges, self.palette, keys=not viewing(self))
        self.update(line, layout=False)

    def _judge(self) -> None:
        if self.record is not None and self.now is not None:
            from incident_tui.core.attention_rules import active

            # The overdue-update rules follow the user's cadence settings (bound config).
            self.show_nudges(active(self.record, self.now, self.config))

    def show_nudges(self, nudges: list[Nudge]) -> None:
        """Redraw from the active nudges (already sorted, most urgent first)."""
        if self._drawn and nudges == self.nudges:
            return  # called every tick; skip redraws when nothing changed
        self.nudges = list(nudges)
        self._drawn = True
        self._draw()

    @staticmethod
    def strip_text(
        nudges: list[Nudge], palette: Palette | None = None, *, keys: bool = True
    ) -> Text:
        """One line: badge, message, suggestion, and the count of the rest."""
        palette = palette or default_palette()
        line = Text(no_wrap=True, overflow="ellipsis")
        if not nudges:
            line.append("✓ Nothing needs your attention", style=palette.muted)
            return line
        top = nudges[0]
        line.append(f" {top.urgency.label.upper()} ", style=urgency_style(top.urgency, palette))
        line.append(" ")
        line.append(top.message, style="bold")
        line.append(f"  → {top.suggestion}")
        more = len(nudges) - 1
        if keys:
            tail = f"  (+{more} more · n: act or dismiss)" if more else "  (n: act or dismiss)"
        else:  # the viewer's app: n does nothing there
            tail = f"  (+{more} more)" if more else ""
        line.append(tail, style=palette.muted)
        return line


def urgency_style(urgency: int, palette: Palette) -> str:
    """Badge per ``Urgency`` (an IntEnum: now, soon, advice)."""
    return {1: palette.late, 2: palette.soon}.get(int(urgency), palette.advice)
