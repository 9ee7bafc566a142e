"""The timeline pane: one line per event, drawn with the Line API so 10,000 rows stay smooth."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.cache import LRUCache
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from incident_tui.core.models import IncidentRecord, TimelineEvent
from incident_tui.ui.text import KIND_STYLES, clock_time, printable

_TIME_WIDTH = 8
_KIND_WIDTH = 10
_AUTHOR_WIDTH = 14
_AUTHOR_MIN_PANE = 72
"""Below this width the author column is dropped to leave room for the text."""


class TimelineView(ScrollView, can_focus=True):
    """Every event of the incident, oldest first, following the newest while at the bottom.

    Rows are kept in a plain list and only the visible lines are rendered, so the cost of
    drawing does not grow with the number of events. New events are inserted in place.
    """

    DEFAULT_CSS = """
    TimelineView { height: 1fr; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.events: list[TimelineEvent] = []
        """The rows shown, in timeline order."""
        self._incident_id: str | None = None
        self.utc = False
        """Times are shown in UTC when set, in local time otherwise."""
        self._cache: LRUCache[int, Strip] = LRUCache(512)
        self._base: Style | None = None
        self.placeholder = ""
        """Drawn dim on the first line while there are no rows (e.g. while reading)."""

    # -- state pushed down ------------------------------------------------------------------

    def show_record(self, record: IncidentRecord | None, utc: bool) -> int:
        """Bring the rows up to date with ``record``; returns how many rows were added.

        The store hands over the same event objects from one record to the next and only
        adds new ones, nearly always at the end: walking both lists back from the end finds
        the new rows and where they go in as many steps as there are new rows (plus any
        that arrived out of order), so a new event costs the same at 100 events or 100,000.
        Anything else (another incident, a file rewritten, an edit) redraws all rows.
        """
        if record is None:
            self._reset([])
            return 0
        events, mine = record.events, self.events
        if record.incident.id != self._incident_id or len(events) < len(mine):
            return self._replace(record, utc)
        missing = len(events) - len(mine)
        inserts: list[tuple[int, TimelineEvent]] = []
        i, j = len(events) - 1, len(mine) - 1
        while missing and i >= 0:
            if j >= 0 and events[i] is mine[j]:
                i, j = i - 1, j - 1
                continue
            inserts.append((j + 1, events[i]))
            missing -= 1
            i -= 1
        if j >= 0 and (i < 0 or events[i] is not mine[j]):
            return self._replace(record, utc)  # not the same objects: the store re-read
        self.set_utc(utc)
        if inserts:
            self._merge(inserts)
        return len(inserts)

    def show_preview(self, events: list[TimelineEvent]) -> None:
        """The newest rows of an incident still being read; its record replaces them."""
        self._incident_id = None
        self._reset(list(events))

    def _replace(self, record: IncidentRecord, utc: bool) -> int:
        self._incident_id = record.incident.id
        self._reset(list(record.events))
        self.set_utc(utc)
        return len(record.events)

    def set_utc(self, utc: bool) -> None:
        """Switch the rows' times between local time and UTC."""
        if utc != self.utc:
            self.utc = utc
            self._cache.clear()
            self.refresh()

    def _reset(self, events: list[TimelineEvent]) -> None:
        self.placeholder = ""
        self.events = events
        self._cache.clear()
        self.virtual_size = Size(0, len(self.events))
        self.call_after_refresh(
            self.scroll_end, animate=False, immediate=True, x_axis=False, force=True
        )
        self.refresh()

    def _merge(self, inserts: list[tuple[int, TimelineEvent]]) -> None:
        """Insert rows at the given positions (positions in the old list, last first)."""
        following = self.is_vertical_scroll_end or self.max_scroll_y == 0
        for index, event in inserts:
            self.events.insert(index, event)
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
                note = Text(self.placeholder, style="dim italic", end="")
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
        line.append(clock_time(event.occurred_at, self.utc), style="bold")
        line.append(" ")
        kind_style = KIND_STYLES.get(event.kind, "")
        line.append(event.kind.value.upper()[:_KIND_WIDTH].ljust(_KIND_WIDTH), style=kind_style)
        line.append(" ")
        if width >= _AUTHOR_MIN_PANE:
            author = printable(event.author)
            if len(author) > _AUTHOR_WIDTH - 1:
                author = author[: _AUTHOR_WIDTH - 2] + "…"
            line.append(author.ljust(_AUTHOR_WIDTH), style="dim")
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
