"""The attention strip: the most pressing nudge, one line under the header."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

from incident_tui.core.models import IncidentRecord

if TYPE_CHECKING:  # the rules load with the first record, off the first frame's path
    from incident_tui.core.nudges import Nudge

URGENCY_STYLES: dict[int, str] = {
    1: "bold white on #c0392b",
    2: "bold black on #e67e22",
    3: "bold black on #5dade2",
}
"""Badge colours per ``Urgency`` (an IntEnum: now, soon, advice): red, orange, blue."""


class AttentionStrip(Static):
    """Shows the top active nudge, its suggested action and how many more wait behind it.

    On the IC's screen it carries the ``record-view`` and ``ticking`` classes, so it gets
    every new record and re-evaluates the (time-based) rules every second.
    """

    DEFAULT_CSS = """
    AttentionStrip { height: 1; padding: 0 1; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.nudges: list[Nudge] = []
        """The active nudges shown, most urgent first."""
        self._drawn = False
        self._record: IncidentRecord | None = None

    def show_record(self, record: IncidentRecord | None, now: datetime, utc: bool) -> None:
        """A new record arrived: re-evaluate the rules."""
        self._record = record
        if record is None:
            self.nudges, self._drawn = [], False
            self.update("")  # no incident: nothing to judge, and no false all-clear
            return
        self.tick(now)

    def tick(self, now: datetime) -> None:
        """Time passed: deadlines may have been crossed."""
        if self._record is not None:
            from incident_tui.core.attention_rules import active

            # The overdue-update rules follow the user's cadence settings, held by the screen.
            config = getattr(self.screen, "comms_config", None)
            self.show_nudges(active(self._record, now, config))

    def show_nudges(self, nudges: list[Nudge]) -> None:
        """Redraw from the active nudges (already sorted, most urgent first)."""
        if self._drawn and nudges == self.nudges:
            return  # called every tick; skip redraws when nothing changed
        self.nudges = list(nudges)
        self._drawn = True
        self.update(self.strip_text(self.nudges))

    @staticmethod
    def strip_text(nudges: list[Nudge]) -> Text:
        """One line: badge, message, suggestion, and the count of the rest."""
        line = Text(no_wrap=True, overflow="ellipsis")
        if not nudges:
            line.append("✓ Nothing needs your attention", style="dim")
            return line
        top = nudges[0]
        line.append(f" {top.urgency.label.upper()} ", style=URGENCY_STYLES[top.urgency])
        line.append(" ")
        line.append(top.message, style="bold")
        line.append(f"  → {top.suggestion}")
        more = len(nudges) - 1
        tail = f"  (+{more} more · n: act or dismiss)" if more else "  (n: act or dismiss)"
        line.append(tail, style="dim")
        return line
