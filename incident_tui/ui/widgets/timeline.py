"""The timeline pane: one line per event, drawn with the Line API so 10,000 rows stay smooth."""

from __future__ import annotations

from bisect import bisect_right
from datetime import datetime

from rich.style import Style
from rich.text import Text
from textual.cache import LRUCache
from textual.geometry import Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from incident_tui.core.models import IncidentRecord, TimelineEvent
from incident_tui.ui.palette import Palette, default_palette
from incident_tui.ui.text import clock_time, printable, zone_label

_TIME_WIDTH = 8
_KIND_WIDTH = 10
_AUTHOR_WIDTH = 14
_AUTHOR_MIN_PANE = 64
"""Below this width the author column is dropped to leave room for the text."""
_COMPACT_PANE = 40
"""Below this width times lose their seconds and kinds are cut to four letters."""

SortKey = tuple[datetime, datetime, str]


def _sort_key(event: TimelineEvent) -> SortKey:
    return (event.occurred_at, event.recorded_at, event.id)


class TimelineView(ScrollView, can_focus=True):
    """Every event of the incident, oldest first, following the newest while at the bottom.

    Rows are kept in a plain list and only the visible lines are rendered, so the cost of
    drawing does not grow with the number of events. New events are merged in place.
    """

    DEFAULT_CSS = """
    TimelineView { height: 1fr; }
    """

    record: reactive[IncidentRecord | None] = reactive(None, always_update=True, layout=False)
    """The incident whose events are shown (bound from the screen)."""
    utc: reactive[bool] = reactive(False, layout=False)
    """Times are shown in UTC when set, in local time otherwise."""
    now: reactive[datetime | None] = reactive(None, layout=False)
    """The clock's time (only for naming the local zone in the title)."""
    reading: reactive[bool] = reactive(False, layout=False)
    palette: reactive[Palette] = reactive(default_palette, layout=False)
    """Colours from the theme (bound from the screen)."""
    """The incident's events are still being read (a large incident's first frames)."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.events: list[TimelineEvent] = []
        """The rows shown, in timeline order."""
        self._keys: list[SortKey] = []
        self._ids: set[str] = set()
        self._incident_id: str | None = None
        self._utc_drawn = False
        self._cache: LRUCache[int, Strip] = LRUCache(512)
        self._base: Style | None = None
        self.placeholder = ""
        """Drawn dim on the first line while there are no rows (e.g. while reading)."""

    # -- state pushed down ------------------------------------------------------------------

    def watch_record(self, record: IncidentRecord | None) -> None:
        self.show_record(record, self.utc)
        self._retitle()

    def watch_utc(self, utc: bool) -> None:
        self.set_utc(utc)
        self._retitle()

    def watch_palette(self) -> None:
        self._cache.clear()
        self.refresh()

    def watch_reading(self, reading: bool) -> None:
        self.placeholder = "Reading the timeline…" if reading else ""
        self._retitle()
        self.refresh()

    def _retitle(self) -> None:
        if self.now is None:
            return  # not mounted yet: the screen binds the time before the record
        zone = zone_label(self.utc, self.now)
        if self.reading and self.record is None:
            self.border_title = f"Timeline · reading… · {zone}"
        else:
            count = len(self.record.events) if self.record else 0
            self.border_title = f"Timeline · {count} events · {zone}"

    def show_record(self, record: IncidentRecord | None, utc: bool) -> int:
        """Bring the rows up to date with ``record``; returns how many rows were added."""
        if record is None:
            self._reset([])
            return 0
        if record.incident.id != self._incident_id or len(record.events) < len(self.events):
            self._incident_id = record.incident.id
            self._reset(list(record.events))
            self.set_utc(utc)
            return len(record.events)
        # Events are only ever added, so the count says how many are new; they are nearly
        # always the newest, so scan from the end and stop once all are found.
        missing = len(record.events) - len(self.events)
        fresh: list[TimelineEvent] = []
        for event in reversed(record.events):
            if len(fresh) == missing:
                break
            if event.id not in self._ids:
                fresh.append(event)
        fresh.reverse()
        self.set_utc(utc)
        if fresh:
            self._merge(fresh)
        return len(fresh)

    def set_utc(self, utc: bool) -> None:
        """Switch the rows' times between local time and UTC."""
        if utc != self._utc_drawn:
            self._utc_drawn = utc
            self._cache.clear()
            self.refresh()

    def _reset(self, events: list[TimelineEvent]) -> None:
        self.placeholder = ""
        self.events = events
        self._keys = [_sort_key(event) for event in events]
        self._ids = {event.id for event in events}
        self._cache.clear()
        self.virtual_size = Size(0, len(self.events))
        self.call_after_refresh(
            self.scroll_end, animate=False, immediate=True, x_axis=False, force=True
        )
        self.refresh()

    def _merge(self, fresh: list[TimelineEvent]) -> None:
        following = self.is_vertical_scroll_end or self.max_scroll_y == 0
        for event in fresh:
            key = _sort_key(event)
            index = bisect_right(self._keys, key)
            self._keys.insert(index, key)
            self.events.insert(index, event)
            self._ids.add(event.id)
        self._cache.clear()
        self.virtual_size = Size(0, len(self.events))
        if following:
            self.scroll_end(animate=False, immediate=True, x_axis=False, force=True)
        self.refresh()

    # -- drawing ----------------------------------------------------------------------------

    def on_resize(self) -> None:
        self._cache.clear()
        self.virtual_size = Size(0, len(self.events))

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()
        self._base = None

    def render_line(self, y: int) -> Strip:
        """Draw the row at screen line ``y`` (Line API)."""
        index = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        base = self._base
        if base is None:  # worked out from the DOM, so once per style change, not per line
            base = self._base = self.rich_style
        if index >= len(self.events):
            if index == 0 and self.placeholder:
                note = Text(self.placeholder, style=f"italic {self.palette.muted}", end="")
                note.stylize(base)
                line = Strip(list(note.render(self.app.console)), note.cell_len)
                return line.extend_cell_length(width, base).crop(0, width)
            return Strip.blank(width, base)
        strip = self._cache.get(index)
        if strip is None:
            strip = self._draw_row(self.events[index], width, base)
            self._cache[index] = strip
        return strip

    def row_text(self, event: TimelineEvent, width: int) -> Text:
        """One event as the line of text drawn for it (time, kind, author, text)."""
        line = Text(no_wrap=True, overflow="ellipsis", end="")
        compact = width < _COMPACT_PANE  # a narrow terminal: HH:MM and a four-letter kind
        moment = clock_time(event.occurred_at, self._utc_drawn)
        line.append(moment[:5] if compact else moment, style="bold")
        line.append(" ")
        kind_style = self.palette.kind.get(event.kind, "")
        kind_width = 4 if compact else _KIND_WIDTH
        line.append(event.kind.value.upper()[:kind_width].ljust(kind_width), style=kind_style)
        line.append(" ")
        if width >= _AUTHOR_MIN_PANE:
            author = printable(event.author)
            if len(author) > _AUTHOR_WIDTH - 1:
                author = author[: _AUTHOR_WIDTH - 2] + "…"
            line.append(author.ljust(_AUTHOR_WIDTH), style=self.palette.muted)
        line.append(printable(event.text))
        line.truncate(width, overflow="ellipsis")
        return line

    def _draw_row(self, event: TimelineEvent, width: int, base: Style) -> Strip:
        text = self.row_text(event, width)
        text.stylize(base)
        segments = list(text.render(self.app.console))
        strip = Strip(segments, text.cell_len)
        return strip.extend_cell_length(width, base) if strip.cell_length < width else strip

    def visible_rows(self) -> list[str]:
        """The plain text of the rows on screen now (for tests and the help of screen readers)."""
        start = self.scroll_offset.y
        shown = self.events[start : start + self.size.height]
        width = self.scrollable_content_region.width
        return [self.row_text(event, width).plain for event in shown]
