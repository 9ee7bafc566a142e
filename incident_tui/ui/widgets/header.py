"""The header strip: id, title, severity badge, status word and time since detection."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from incident_tui.core.models import Incident
from incident_tui.ui.palette import Palette, default_palette
from incident_tui.ui.read_only import viewing
from incident_tui.ui.text import clock_time, elapsed, plain, severity_badge


class IncidentHeader(Static):
    """Two lines at the top of the screen, fed by reactives the screen binds.

    ``extra`` is the countdowns (from the comms part), drawn at the end of the second line.
    """

    DEFAULT_CSS = """
    IncidentHeader { height: 2; padding: 0 1; }
    """

    incident: reactive[Incident | None] = reactive(None, always_update=True, layout=False)
    """The incident's header (all this strip shows)."""
    now: reactive[datetime | None] = reactive(None, layout=False, repaint=False)
    """The clock's time at the last tick (moves the stopwatch)."""
    utc: reactive[bool] = reactive(False, layout=False)
    palette: reactive[Palette] = reactive(default_palette, layout=False)
    """Colours from the theme (bound from the screen)."""
    extra: reactive[Text | str] = reactive[Text | str]("", layout=False, always_update=True)
    """Text appended after the stopwatch (countdowns); user text must be passed as ``Text``."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._drawn: Text | None = None
        """The text last drawn (what is on screen)."""

    def watch_incident(self) -> None:
        self._redraw()

    def watch_now(self) -> None:
        self._redraw()

    def watch_utc(self) -> None:
        self._redraw()

    def watch_palette(self) -> None:
        self._redraw()

    def watch_extra(self) -> None:
        self._redraw()

    @property
    def shown(self) -> str:
        """The header's plain text as last drawn."""
        return self._drawn.plain if self._drawn is not None else ""

    def _redraw(self) -> None:
        text = self._compose_text()
        if text != self._drawn:  # a frozen clock or an unchanged incident needs no redraw
            self._drawn = text
            # Two lines of fixed height: the stopwatch moving every second needs a repaint
            # of this strip, not a layout of the whole screen (20 ms a tick at 160x48).
            self.update(text, layout=False)

    def on_resize(self) -> None:
        self._redraw()

    def _compose_text(self) -> Text:
        incident, now = self.incident, self.now
        if incident is None or now is None:
            if viewing(self):
                return Text("No incident open.", style="bold")
            return Text.assemble(
                ("No incident open. ", "bold"), "Press ", ("i", "bold reverse"), " to declare one."
            )
        palette = self.palette
        width = self.content_size.width or 1 << 16
        top = Text(no_wrap=True, overflow="ellipsis")
        top.append_text(severity_badge(incident.severity, palette))
        top.append(" ")
        if width >= 60:  # below that the title is worth more than the id
            top.append(incident.id, style="bold")
            top.append("  ")
        top.append_text(plain(incident.title, style="bold"))
        top.truncate(width, overflow="ellipsis")
        end = incident.resolved_at or now
        watch = elapsed((end - incident.detected_at).total_seconds())
        verb = "to resolve" if incident.resolved_at else "since detection"
        detected = f"(detected {clock_time(incident.detected_at, self.utc)})"
        extra = self.extra if isinstance(self.extra, Text) else Text(self.extra)
        # The facts first: status, elapsed, every countdown. Words go before facts do.
        for wordy, detail, gap in ((True, True, "  "), (True, False, "  "), (False, False, " ")):
            bottom = Text(no_wrap=True, overflow="ellipsis")
            bottom.append(incident.status.value.upper(), style=palette.status[incident.status])
            bottom.append(f"{gap}{watch}" + (f" {verb}" if wordy else ""), style="bold")
            if detail:
                bottom.append(f"  {detected}", style=palette.muted)
            if extra:
                bottom.append(gap)
                bottom.append_text(extra if gap == "  " else Text(" ").join(extra.split("  ")))
            if bottom.cell_len <= width:
                break
        bottom.truncate(width, overflow="ellipsis")
        return Text("\n").join([top, bottom])
