"""The role board: who holds each role now; an empty IC or scribe is a gap to fill."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from incident_tui.core.models import IncidentRecord, Role
from incident_tui.ui.palette import Palette, default_palette
from incident_tui.ui.read_only import viewing
from incident_tui.ui.text import plain

_SHORT = {
    Role.IC: "IC",
    Role.COMMS: "Comms",
    Role.OPS: "Ops",
    Role.SCRIBE: "Scribe",
    Role.SME: "SMEs",
}
_MUST_FILL = (Role.IC, Role.SCRIBE)
"""Without an IC nobody decides; without a scribe the timeline is lost."""


class RoleBoard(Static):
    """IC, comms lead, ops lead, scribe and SMEs, one line each."""

    record: reactive[IncidentRecord | None] = reactive(None, always_update=True, repaint=False)
    """The incident whose roles are shown (bound from the screen)."""
    reading: reactive[bool] = reactive(False)
    palette: reactive[Palette] = reactive(default_palette)
    """Colours from the theme (bound from the screen)."""
    """The incident is still being read: one placeholder line per role keeps the height."""

    shown = ""
    """The board's plain text as last drawn (what a reader of the screen sees)."""
    _key: object = None

    def watch_reading(self, reading: bool) -> None:
        if reading and self.record is None:
            self.update(Text("reading…" + "\n" * (len(Role) - 1), style="dim"))

    def watch_palette(self) -> None:
        if self.shown:
            self._key = None
            self.shown = ""
            self.show_record(self.record)

    def watch_record(self, record: IncidentRecord | None) -> None:
        if record is not None or not self.reading:
            self.show_record(record)

    def show_record(self, record: IncidentRecord | None) -> None:
        """Redraw from the incident's role history."""
        key = (record.incident.id, record.roles) if record else None
        if self.shown and key == self._key:
            return  # unchanged: a redraw would cost a layout pass for nothing
        self._key = key
        board = self.board_text(record, self.palette, keys=not viewing(self))
        if isinstance(board, Group):
            self.shown = "\n".join(str(line) for line in board.renderables)
        else:
            self.shown = board.plain
        self.update(board)

    @staticmethod
    def board_text(
        record: IncidentRecord | None, palette: Palette | None = None, *, keys: bool = True
    ) -> Group | Text:
        """The board as text (also used by tests)."""
        palette = palette or default_palette()
        if record is None:
            return Text("—", style=palette.muted)
        holders = record.current_roles()
        lines: list[Text] = []
        for role in Role:
            line = Text(no_wrap=True, overflow="ellipsis")
            line.append(f"{_SHORT[role]:<7}", style="bold")
            names = holders[role]
            if names:
                line.append_text(plain(", ".join(names)))
            elif role in _MUST_FILL:
                hint = "— press r " if keys else ""
                line.append(f" ⚠ no {_SHORT[role]} {hint}", style=palette.late)
            else:
                line.append("unassigned", style=f"italic {palette.muted}")
            lines.append(line)
        return Group(*lines)
