"""The timeline's rows as data: events, with a date row wherever the day changes; search hits.

Pure functions over the events, so the pane stays a drawing loop and these are tested alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date

from incident_tui.core.models import TimelineEvent

Row = TimelineEvent | date
"""One line of the timeline: an event, or the date that starts a new day."""


def day_of(event: TimelineEvent, utc: bool) -> date:
    """The event's date on the clock the screen shows (local or UTC)."""
    moment = event.occurred_at.astimezone(UTC) if utc else event.occurred_at.astimezone()
    return moment.date()


def build_rows(events: Sequence[TimelineEvent], utc: bool) -> list[Row]:
    """The events in order, with a date row before each day's first event.

    An incident that stays within one day gets no date rows at all (the header says when it
    started); one that crosses midnight gets one before every day, the first included.
    """
    if not events or day_of(events[0], utc) == day_of(events[-1], utc):
        return list(events)
    rows: list[Row] = []
    current: date | None = None
    for event in events:
        day = day_of(event, utc)
        if day != current:
            rows.append(day)
            current = day
        rows.append(event)
    return rows


def inserts_for(
    events: Sequence[TimelineEvent], mine: Sequence[TimelineEvent]
) -> list[tuple[int, TimelineEvent]] | None:
    """Where the events of a new record go in among those already shown: (position in
    ``mine``, event) pairs, last first; None when ``events`` is not ``mine`` plus new ones.

    The store hands over the same event objects from one record to the next and only adds
    new ones, nearly always at the end: walking both lists back from the end finds them in
    as many steps as there are new rows (plus any that arrived out of order).
    """
    if len(events) < len(mine):
        return None
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
        return None
    return inserts


def rows_after(rows: list[Row], new: list[TimelineEvent], utc: bool) -> list[Row] | None:
    """The rows to add after ``rows`` for events that go in after the last one (date rows
    included), so a new event costs the same at 100 events or 100,000; None when that cannot
    be done in place (the first date row is due, so every row moves)."""
    dated = bool(rows) and not isinstance(rows[0], TimelineEvent)
    last = next((row for row in reversed(rows) if isinstance(row, TimelineEvent)), None)
    if last is None:
        return None
    day = day_of(last, utc)
    added: list[Row] = []
    for event in new:
        event_day = day_of(event, utc)
        if event_day != day:
            if not dated:
                return None
            added.append(event_day)
            day = event_day
        added.append(event)
    return added


def date_label(day: date) -> str:
    """``── Sat 28 Nov 2026 ──``."""
    return f"── {day.strftime('%a %d %b %Y')} ──"


def matches(event: TimelineEvent, query: str, text: str | None = None) -> bool:
    """True when the event's text (``text``: as shown, amended), author or kind has ``query``."""
    needle = query.casefold()
    fields = (event.text if text is None else text, event.author, event.kind.value)
    return any(needle in field.casefold() for field in fields)


def search_hits(rows: list[Row], query: str, shown: dict[str, str] | None = None) -> list[int]:
    """The indices of the event rows matching ``query`` (none for an empty query).

    ``shown`` maps event ids to the text drawn for them where it differs (an amendment).
    """
    if not query.strip():
        return []
    shown = shown or {}
    return [
        i
        for i, row in enumerate(rows)
        if isinstance(row, TimelineEvent) and matches(row, query, shown.get(row.id))
    ]
