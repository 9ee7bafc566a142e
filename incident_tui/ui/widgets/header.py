"""The header strip: id, title, severity badge, status word and time since detection."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from incident_tui.core.models import Incident, IncidentRecord
from incident_tui.ui.text import STATUS_STYLES, clock_time, elapsed, plain, severity_badge


class IncidentHeader(Static):
    """Two lines at the top of the screen; ``extra`` is free room for countdowns.

    The comms pane sets ``extra`` (e.g. next-update countdowns per audience); it is drawn at
    the end of the second line and redrawn on every tick.
    """

    DEFAULT_CSS = """
    IncidentHeader { height: 2; padding: 0 1; }
    """

    extra: reactive[Text | str] = reactive[Text | str]("")
    """Text appended after the stopwatch (countdowns); user text must be passed as ``Text``."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._incident: Incident | None = None
        self._now: datetime | None = None
        self._utc = False
        self._drawn: Text | None = None
        """The text last drawn (what is on screen)."""

    def show_record(self, record: IncidentRecord | None, now: datetime, utc: bool) -> None:
        """Redraw from the incident's current state."""
        self.show_incident(record.incident if record else None, now, utc)

    def show_incident(self, incident: Incident | None, now: datetime, utc: bool) -> None:
        """Redraw from the incident's header alone (all the header strip shows)."""
        self._incident = incident
        self._now = now
        self._utc = utc
        self._redraw()

    def tick(self, now: datetime) -> None:
        """Move the stopwatch on."""
        self._now = now
        self._redraw()

    def watch_extra(self) -> None:
        if self._now is not None:
            self._redraw()

    @property
    def shown(self) -> str:
        """The header's plain text as last drawn."""
        return self._drawn.plain if self._drawn is not None else ""

    def _redraw(self) -> None:
        text = self._compose_text()
        if text != self._drawn:  # a frozen clock or an unchanged incident needs no redraw
            self._drawn = text
            self.update(text)

    def _compose_text(self) -> Text:
        incident, now = self._incident, self._now
        if incident is None or now is None:
            return Text.assemble(
                ("No incident open. ", "bold"), "Press ", ("i", "bold reverse"), " to declare one."
            )
        top = Text(no_wrap=True, overflow="ellipsis")
        top.append_text(severity_badge(incident.severity))
        top.append(" ")
        top.append(incident.id, style="bold")
        top.append("  ")
        top.append_text(plain(incident.title, style="bold"))
        bottom = Text(no_wrap=True, overflow="ellipsis")
        bottom.append(incident.status.value.upper(), style=STATUS_STYLES[incident.status])
        end = incident.resolved_at or now
        watch = elapsed((end - incident.detected_at).total_seconds())
        verb = "to resolve" if incident.resolved_at else "since detection"
        bottom.append(f"  {watch} {verb}", style="bold")
        bottom.append(f"  (detected {clock_time(incident.detected_at, self._utc)})", style="dim")
        if self.extra:
            bottom.append("  ")
            bottom.append_text(self.extra if isinstance(self.extra, Text) else Text(self.extra))
        return Text("\n").join([top, bottom])
