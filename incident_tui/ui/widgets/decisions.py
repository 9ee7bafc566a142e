"""The decision log: each call the IC made, when, by whom and why."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from incident_tui.core.models import IncidentRecord
from incident_tui.ui.text import plain, short_time


class DecisionLog(Static):
    """Decisions oldest first; the newest is at the bottom like the timeline."""

    def show_record(self, record: IncidentRecord | None, utc: bool) -> None:
        """Redraw from the incident's decisions."""
        self.update(self.log_text(record, utc))

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
