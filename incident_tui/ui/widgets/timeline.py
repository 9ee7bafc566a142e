"""The timeline pane: one line per event, drawn with the Line API so 10,000 rows stay smooth."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from incident_tui.core.models import IncidentRecord, TimelineEvent

if TYPE_CHECKING:
    from incident_tui.core.rules import Correction
from incident_tui.ui.palette import Palette, default_palette
from incident_tui.ui.text import printable, zone_label
from incident_tui.ui.widgets.timeline_line import event_line
from incident_tui.ui.widgets.timeline_rows import (
    Row,
    build_rows,
    date_label,
    inserts_for,
    rows_after,
    search_hits,
)


class TimelineView(ScrollView, can_focus=True):
    """Every event of the incident, oldest first, following the newest while at the bottom.

    Rows are kept in a plain list and only the visible lines are rendered, so the cost of
    drawing does not grow with the number of events. New events are inserted in place.
    """

    DEFAULT_CSS = """
    TimelineView { height: 1fr; }
    """

    BINDINGS = [
        Binding("up", "cursor(-1)", "Previous row", show=False, id="timeline.up"),
        Binding("down", "cursor(1)", "Next row", show=False, id="timeline.down"),
        Binding("pageup", "cursor(-10)", "Page up", show=False, id="timeline.pageup"),
        Binding("pagedown", "cursor(10)", "Page down", show=False, id="timeline.pagedown"),
        Binding("home", "cursor_to(0)", "First row", show=False, id="timeline.home"),
        Binding("end", "cursor_to(-1)", "Newest row", show=False, id="timeline.end"),
        Binding("enter", "choose", "Open row", show=False, id="timeline.open"),
    ]

    @dataclass
    class RowChosen(Message):
        """Enter or a click on an event row: the screen shows it in full."""

        event: TimelineEvent

    search: reactive[str] = reactive("", layout=False)
    """Rows matching this (text, author or kind) are the search's hits."""

    record: reactive[IncidentRecord | None] = reactive(
        None, always_update=True, layout=False, repaint=False
    )
    """The incident whose events are shown (bound from the screen)."""
    utc: reactive[bool] = reactive(False, layout=False)
    """Times are shown in UTC when set, in local time otherwise."""
    now: reactive[datetime | None] = reactive(None, layout=False, repaint=False)
    """The clock's time (only for naming the local zone in the title)."""
    reading: reactive[bool] = reactive(False, layout=False)
    palette: reactive[Palette] = reactive(default_palette, layout=False)
    """Colours from the theme (bound from the screen)."""
    """The incident's events are still being read (a large incident's first frames)."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.events: Sequence[TimelineEvent] = ()
        """The rows shown, in timeline order."""
        self._incident_id: str | None = None
        self._utc_drawn = False
        self._fixes: dict[str, Correction] = {}
        self._fixes_seen: int | None = None
        """How many corrections the record held when ``_fixes`` was worked out."""
        """Amendments and strikes by the id of the row they correct."""
        self._cache: LRUCache[int, Strip] = LRUCache(512)
        self._base: Style | None = None
        self.placeholder = ""
        """Drawn dim on the first line while there are no rows (e.g. while reading)."""
        self.rows: list[Row] = []
        """What is drawn, line by line: the events with a date row where the day changes."""
        self.cursor: int | None = None
        """The highlighted row (Enter opens it); None: none, following the newest."""
        self.hits: list[int] = []
        """The rows matching ``search``."""

    # -- state pushed down ------------------------------------------------------------------

    def watch_record(self, record: IncidentRecord | None) -> None:
        self._update_fixes(record)
        self.show_record(record, self.utc)
        self._retitle()

    def _update_fixes(self, record: IncidentRecord | None) -> None:
        """Amendments and strikes: worked out again only when the record holds a correction
        more (wherever it went in: a backdated one lands among the older rows)."""
        from incident_tui.core.facts import facts_of
        from incident_tui.core.rules import corrections

        count = len(facts_of(record).fixes) if record is not None else None
        same = record is not None and record.incident.id == self._incident_id
        if same and count == self._fixes_seen:
            return  # at 10,000 rows a full pass per write would cost ~10 ms
        fixes = corrections(record) if record is not None else {}
        self._fixes_seen = count
        if fixes != self._fixes:
            self._fixes = fixes
            self._cache.clear()
            self.refresh()

    def watch_utc(self, utc: bool) -> None:
        self.set_utc(utc)
        self._retitle()

    def watch_palette(self) -> None:
        self._cache.clear()
        self.refresh()

    def watch_search(self) -> None:
        self.hits = search_hits(self.rows, self.search, self._shown_texts())
        if self.hits:
            self.jump_to_hit(0, from_end=True)
        self._retitle()
        self._cache.clear()
        self.refresh()

    def watch_reading(self, reading: bool) -> None:
        self.placeholder = "Reading the timeline…" if reading else ""
        self._retitle()
        self.refresh()

    def watch_now(self) -> None:
        self._retitle()  # the zone's name can change (DST); the rows do not move

    def _retitle(self) -> None:
        if self.now is None:
            return  # not mounted yet: the screen binds the time before the record
        zone = zone_label(self.utc, self.now)
        if self.reading and self.record is None:
            title = f"Timeline · reading… · {zone}"
        else:
            count = len(self.record.events) if self.record else 0
            title = f"Timeline · {count} events · {zone}"
            if self.search:
                where = ""
                if self.cursor in self.hits:
                    where = f" ({self.hits.index(self.cursor) + 1}/{len(self.hits)})"
                title += f" · {len(self.hits)} match {printable(self.search)!r}{where}"
        if title != self.border_title:  # setting it repaints every row, even when unchanged
            self.border_title = title

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
        if record.incident.id != self._incident_id:
            return self._replace(record, utc)
        inserts = inserts_for(record.events, self.events)
        if inserts is None:
            return self._replace(record, utc)  # not the same objects: the store re-read
        self.set_utc(utc)
        if inserts:
            self._merge(inserts, record.events)
        return len(inserts)

    def show_preview(self, events: list[TimelineEvent]) -> None:
        """The newest rows of an incident still being read; its record replaces them."""
        self._incident_id = None
        self._reset(tuple(events))

    def _replace(self, record: IncidentRecord, utc: bool) -> int:
        self._incident_id = record.incident.id
        self._reset(record.events)  # the record's own tuple: no copy of 100,000 references
        self.set_utc(utc)
        return len(record.events)

    def set_utc(self, utc: bool) -> None:
        """Switch the rows' times between local time and UTC."""
        if utc != self._utc_drawn:
            self._utc_drawn = utc
            self._rebuild()
            self.refresh()

    def _shown_texts(self) -> dict[str, str]:
        return {key: fix.text for key, fix in self._fixes.items() if fix.amended}

    def _rebuild(self) -> None:
        """Rows from the events (dates depend on the clock shown); hits follow the rows."""
        chosen = self.rows[self.cursor] if self.cursor is not None else None
        self.rows = build_rows(self.events, self._utc_drawn)
        self.hits = search_hits(self.rows, self.search, self._shown_texts())
        if chosen is not None:
            self.cursor = self.rows.index(chosen) if chosen in self.rows else None
        self._cache.clear()
        self.virtual_size = Size(0, len(self.rows))

    def _append_rows(self, new: list[TimelineEvent]) -> bool:
        """Rows for events that went in after the last one, without redoing the others;
        False when every row must be rebuilt (see :func:`rows_after`)."""
        added = rows_after(self.rows, new, self._utc_drawn)
        if added is None:
            return False
        start = len(self.rows)
        self.rows.extend(added)
        if self.search.strip():
            hits = search_hits(added, self.search, self._shown_texts())
            self.hits.extend(start + i for i in hits)
        self._grow(len(self.rows))
        return True

    def _grow(self, height: int) -> None:
        """More rows, the pane's size unchanged: once the scrollbar shows, only the scrollbar
        moves. Setting ``virtual_size`` would lay out the whole screen (every pane measured
        and redrawn) for a new row at the end."""
        size = Size(0, height)
        if self.is_mounted and self.show_vertical_scrollbar and height > self.virtual_size.height:
            self.set_reactive(TimelineView.virtual_size, size)
            self._scroll_update(size)  # the scrollbar's length and position, and scroll_y
            self.refresh()
        else:
            self.virtual_size = size

    def _reset(self, events: Sequence[TimelineEvent]) -> None:
        self.placeholder = ""
        self.events = events
        self.cursor = None
        self._rebuild()
        if self.size.height:
            # Laid out already (a large incident's preview, then its record): the newest
            # rows go in the very frame that draws them, not a frame later, which the
            # reading thread can hold back by some 50 ms.
            self.scroll_end(animate=False, immediate=True, x_axis=False, force=True)
        self.call_after_refresh(
            self.scroll_end, animate=False, immediate=True, x_axis=False, force=True
        )
        self.refresh()

    def _merge(
        self, inserts: list[tuple[int, TimelineEvent]], events: Sequence[TimelineEvent]
    ) -> None:
        """Take ``events``: the ones shown plus ``inserts`` (positions in the old sequence,
        last first), the rows following."""
        following = self.is_vertical_scroll_end or self.max_scroll_y == 0
        appended = all(index == len(self.events) for index, _event in inserts)
        self.events = events
        if not (appended and self._append_rows([event for _index, event in reversed(inserts)])):
            self._rebuild()
        if following:
            self.scroll_end(animate=False, immediate=True, x_axis=False, force=True)
        self.refresh()

    # -- drawing ----------------------------------------------------------------------------

    def on_resize(self) -> None:
        self._cache.clear()
        self.virtual_size = Size(0, len(self.rows))

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
        if index >= len(self.rows):
            if index == 0 and self.placeholder:
                note = Text(self.placeholder, style=f"italic {self.palette.muted}", end="")
                note.stylize(base)
                line = Strip(list(note.render(self.app.console)), note.cell_len)
                return line.extend_cell_length(width, base).crop(0, width)
            return Strip.blank(width, base)
        strip = self._cache.get(index)
        if strip is None:
            strip = self._draw_row(index, width, base)
            self._cache[index] = strip
        return strip

    def row_text(self, event: TimelineEvent, width: int) -> Text:
        """One event as the line of text drawn for it (time, kind, author, text)."""
        return event_line(event, width, self._utc_drawn, self.palette, self._fixes.get(event.id))

    def line_text(self, index: int, width: int) -> Text:
        """Row ``index`` as drawn: an event, or a date; the cursor and search hits marked."""
        row = self.rows[index]
        if isinstance(row, TimelineEvent):
            text = self.row_text(row, width)
        else:
            text = Text(date_label(row), style="bold", no_wrap=True, end="")
            text.truncate(width, overflow="ellipsis")
        if index == self.cursor:
            text.stylize("reverse")
        elif index in self.hits:
            text.stylize("underline")
        return text

    def _draw_row(self, index: int, width: int, base: Style) -> Strip:
        text = self.line_text(index, width)
        text.stylize_before(base)
        segments = list(text.render(self.app.console))
        strip = Strip(segments, text.cell_len)
        return strip.extend_cell_length(width, base) if strip.cell_length < width else strip

    def visible_rows(self) -> list[str]:
        """The plain text of the rows on screen now (for tests and the help of screen readers)."""
        start = self.scroll_offset.y
        stop = min(len(self.rows), start + self.size.height)
        width = self.scrollable_content_region.width
        return [self.line_text(index, width).plain for index in range(start, stop)]

    # -- the cursor, clicks and search --------------------------------------------------------

    def _move_to(self, index: int) -> None:
        if not self.rows:
            return
        self.cursor = max(0, min(index, len(self.rows) - 1))
        self.scroll_to_region(
            Region(0, self.cursor, 1, 1), animate=False, immediate=True, force=True
        )
        self._cache.clear()
        self._retitle()
        self.refresh()

    def action_cursor(self, step: int) -> None:
        """Move the highlight ``step`` rows (from the newest when nothing is highlighted)."""
        start = self.cursor if self.cursor is not None else len(self.rows) - (step < 0)
        self._move_to(start + step)

    def action_cursor_to(self, index: int) -> None:
        """Highlight the first row, or with -1 the newest."""
        self._move_to(index if index >= 0 else len(self.rows) - 1)

    def action_choose(self) -> None:
        """Open the highlighted row (the newest event when nothing is highlighted)."""
        if self.cursor is None:
            self.cursor = len(self.rows) - 1
        self._choose(self.cursor)

    def _choose(self, index: int) -> None:
        if 0 <= index < len(self.rows):
            row = self.rows[index]
            if isinstance(row, TimelineEvent):
                self.post_message(self.RowChosen(row))

    def on_click(self, event: events.Click) -> None:
        """A click highlights its row and opens it."""
        offset = event.get_content_offset(self)
        if offset is None:
            return  # on the border
        index = self.scroll_offset.y + offset.y
        if 0 <= index < len(self.rows):
            self._move_to(index)
            self._choose(index)

    def jump_to_hit(self, step: int, from_end: bool = False) -> None:
        """Highlight the next (``step`` 1) or previous (-1) search hit, wrapping around."""
        if not self.hits:
            self.notify("No matches.", severity="warning")
            return
        if from_end or self.cursor is None:
            target = self.hits[-1]  # the newest hit first: the IC reads from the bottom
        else:
            later = [h for h in self.hits if (h - self.cursor) * step > 0]
            target = (
                (min(later) if step > 0 else max(later))
                if later
                else self.hits[0 if step > 0 else -1]
            )
        self._move_to(target)
