"""The header strip: id, title, severity badge, status word and time since detection."""

from __future__ import annotations

from datetime import datetime

from rich.style import Style
from rich.text import Text
from textual.reactive import reactive
from textual.strip import Strip
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

    incident: reactive[Incident | None] = reactive(
        None, always_update=True, layout=False, repaint=False
    )
    """The incident's header (all this strip shows)."""
    now: reactive[datetime | None] = reactive(None, layout=False, repaint=False)
    """The clock's time at the last tick (moves the stopwatch)."""
    utc: reactive[bool] = reactive(False, layout=False)
    palette: reactive[Palette] = reactive(default_palette, layout=False)
    """Colours from the theme (bound from the screen)."""
    extra: reactive[Text | str] = reactive[Text | str](
        "", layout=False, always_update=True, repaint=False
    )
    """Text appended after the stopwatch (countdowns); user text must be passed as ``Text``."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._drawn: Text | None = None
        """The text last drawn (what is on screen)."""
        self._strips: list[Strip] | None = None
        """``_drawn`` as drawn, line by line, at the current width and style."""

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
            self._strips = None
            # Two lines of fixed height: the stopwatch moving every second needs a repaint
            # of this strip, not a layout of the whole screen (20 ms a tick at 160x48).
            if self._ticking:
                self.refresh()  # drawn by render_line
            else:
                self.update(text, layout=False)  # a line of help, drawn as a Static

    def on_resize(self) -> None:
        self._strips = None
        self._redraw()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips = None

    @property
    def _ticking(self) -> bool:
        """An incident is shown: the stopwatch and countdowns change every second."""
        return self.incident is not None and self.now is not None

    def render_line(self, y: int) -> Strip:
        """Line API: the text's lines as Rich segments straight to strips. Through
        ``Static.update`` the text was converted to Textual content and wrapped again on
        every second's tick, though it is already cut to width."""
        if not self._ticking:
            return super().render_line(y)
        strips = self._strips
        if strips is None:
            strips = self._strips = self._lines()
        if y < len(strips):
            return strips[y]
        return Strip.blank(
            self.content_size.width, Style.from_color(bgcolor=self.rich_style.bgcolor)
        )

    def _lines(self) -> list[Strip]:
        width, base = self.content_size.width, self.rich_style
        fill = Style.from_color(bgcolor=base.bgcolor)  # as a Static pads: background only
        text = self._drawn if self._drawn is not None else Text()
        strips = []
        for line in text.split("\n", allow_blank=True):
            line.end = ""
            line.stylize_before(base)
            strip = Strip(list(line.render(self.app.console)), line.cell_len)
            strips.append(strip.extend_cell_length(width, fill).crop(0, width))
        return strips

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
