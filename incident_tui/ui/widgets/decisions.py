"""The decision log: each call the IC made, when, by whom and why."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from incident_tui.core.models import IncidentRecord
from incident_tui.ui.text import plain, short_time


class DecisionLog(Static):
    """Decisions oldest first; the newest is at the bottom like the timeline."""

    _key: object = ()

    def show_record(self, record: IncidentRecord | None, utc: bool) -> bool:
        """Redraw from the incident's decisions; returns False when nothing changed."""
        key = (record.incident.id, record.decisions, utc) if record else None
        if key == self._key:
            return False
        self._key = key
        self.update(self.log_text(record, utc))
        return True

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
