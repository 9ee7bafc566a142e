"""The decision log: each call the IC made, when, by whom and why."""

from __future__ import annotations

from rich.text import Text
from textual.containers import ScrollableContainer
from textual.reactive import reactive
from textual.widgets import Static

from incident_tui.core.models import IncidentRecord
from incident_tui.ui.palette import Palette, default_palette
from incident_tui.ui.read_only import viewing
from incident_tui.ui.text import plain, short_time


class DecisionLog(Static):
    """Decisions newest first: the latest call is always in view, however small the pane."""

    record: reactive[IncidentRecord | None] = reactive(None, always_update=True, repaint=False)
    """The incident whose decisions are shown (bound from the screen)."""
    utc: reactive[bool] = reactive(False)
    reading: reactive[bool] = reactive(False)
    palette: reactive[Palette] = reactive(default_palette)
    """Colours from the theme (bound from the screen)."""
    """The incident is still being read."""

    _key: object = ()

    def watch_reading(self, reading: bool) -> None:
        if reading and self.record is None:
            self.update(Text("reading…", style=self.palette.muted))

    def watch_record(self) -> None:
        self._redraw()

    def watch_utc(self) -> None:
        self._redraw()

    def watch_palette(self) -> None:
        self._redraw()

    def _redraw(self) -> None:
        record = self.record
        if record is None and self.reading:
            return
        key = (record.incident.id, record.decisions, self.utc, self.palette) if record else None
        if key == self._key:
            return
        self._key = key
        self.update(self.log_text(record, self.utc, self.palette, keys=not viewing(self)))
        if record is not None:
            # The newest decision is on top: bring the pane back to it after a new one.
            self.call_after_refresh(self._follow)

    def _follow(self) -> None:
        pane = self.parent
        if isinstance(pane, ScrollableContainer):
            pane.scroll_home(animate=False, immediate=True)

    @staticmethod
    def log_text(
        record: IncidentRecord | None,
        utc: bool,
        palette: Palette | None = None,
        *,
        keys: bool = True,
    ) -> Text:
        """The log as text (also used by tests)."""
        palette = palette or default_palette()
        muted = palette.muted
        if record is None or not record.decisions:
            hint = " Press d to record one." if keys else ""
            return Text(f"No decisions yet.{hint}", style=f"italic {muted}")
        entries: list[Text] = []
        for decision in reversed(record.decisions):
            entry = Text()
            entry.append(short_time(decision.decided_at, utc), style="bold")
            entry.append(" ")
            entry.append_text(plain(decision.decided_by or "?", style=palette.person))
            entry.append(": ")
            entry.append_text(plain(decision.what, style="bold"))
            if decision.why:
                entry.append("\n  why: ", style=muted)
                entry.append_text(plain(decision.why))
            if decision.alternatives:
                entry.append("\n  instead of: ", style=muted)
                entry.append_text(plain(decision.alternatives, style=muted))
            entries.append(entry)
        return Text("\n").join(entries)
