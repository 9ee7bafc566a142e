"""The decision log: each call the IC made, when, by whom and why."""

from __future__ import annotations

from rich.text import Text
from textual.containers import ScrollableContainer
from textual.reactive import reactive
from textual.widgets import Static

from incident_tui.core.models import IncidentRecord
from incident_tui.ui.text import plain, short_time


class DecisionLog(Static):
    """Decisions oldest first; the newest is at the bottom like the timeline."""

    record: reactive[IncidentRecord | None] = reactive(None, always_update=True)
    """The incident whose decisions are shown (bound from the screen)."""
    utc: reactive[bool] = reactive(False)
    reading: reactive[bool] = reactive(False)
    """The incident is still being read."""

    _key: object = ()

    def watch_reading(self, reading: bool) -> None:
        if reading and self.record is None:
            self.update(Text("reading…", style="dim"))

    def watch_record(self) -> None:
        self._redraw()

    def watch_utc(self) -> None:
        self._redraw()

    def _redraw(self) -> None:
        record = self.record
        if record is None and self.reading:
            return
        key = (record.incident.id, record.decisions, self.utc) if record else None
        if key == self._key:
            return
        self._key = key
        self.update(self.log_text(record, self.utc))
        if record is not None:
            # Follow the newest decision: scroll the pane once the new height is laid out.
            self.call_after_refresh(self._follow)

    def _follow(self) -> None:
        pane = self.parent
        if isinstance(pane, ScrollableContainer):
            pane.scroll_end(animate=False, immediate=True)

    @staticmethod
    def log_text(record: IncidentRecord | None, utc: bool) -> Text:
        """The log as text (also used by tests)."""
        if record is None or not record.decisions:
            return Text("No decisions yet. Press d to record one.", style="dim italic")
        entries: list[Text] = []
        for decision in record.decisions:
            entry = Text()
            entry.append(short_time(decision.decided_at, utc), style="bold")
            entry.append(" ")
            entry.append_text(plain(decision.decided_by or "?", style="#af7ac5"))
            entry.append(": ")
            entry.append_text(plain(decision.what, style="bold"))
            if decision.why:
                entry.append("\n  why: ", style="dim")
                entry.append_text(plain(decision.why))
            if decision.alternatives:
                entry.append("\n  instead of: ", style="dim")
                entry.append_text(plain(decision.alternatives, style="dim"))
            entries.append(entry)
        return Text("\n").join(entries)
