"""What the rules read from a timeline, gathered one event at a time.

Countdowns, nudges and the struck rows need a handful of facts from the whole timeline: who
got updates and when, the severity changes, the snoozes, the dismissed nudges, the struck
rows. Each is kept here as a set, a maximum or a short per-key list, so none depends on the
order the events arrive in: the store folds each event in as it reads it (a backdated one
too), and a new row costs the same at 100 events as at 100,000. Strikes are applied when a
fact is asked for, so striking an old update needs no second pass either.

A record that did not come from the store (an import, a test) gets its facts in one pass the
first time they are asked for.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from incident_tui.core.models import EventKind, IncidentRecord, TimelineEvent

SNOOZE_MARK = "snooze"
"""``data["cadence"]`` of the system events that snooze an audience's countdown."""


def is_snooze(event: TimelineEvent) -> bool:
    """True for the system events that record a snooze."""
    return event.kind is EventKind.SYSTEM and event.data.get("cadence") == SNOOZE_MARK


def is_dismissal(data: dict[str, Any]) -> bool:
    """True for the data of an event that dismissed a nudge."""
    return bool(data.get("nudge")) and data.get("dismissed") is True


def update_audience_name(event: TimelineEvent) -> str | None:
    """The audience (its value) ``event`` is an update to, struck or not; None if none."""
    if event.kind is not EventKind.COMMS:
        return None
    raw = event.data.get("audience")
    return raw if isinstance(raw, str) and raw else None


class EventFacts:
    """The facts of a set of events; :meth:`add` folds one more in (any order)."""

    __slots__ = (
        "count",
        "dismissed_at",
        "last_recorded",
        "severities",
        "snoozes",
        "struck",
        "updates",
    )

    def __init__(self) -> None:
        self.count = 0
        """How many events were folded in."""
        self.struck: set[str] = set()
        """Ids of the events some later event struck."""
        self.updates: dict[str, list[TimelineEvent]] = {}
        """Update rows by audience value (struck ones included: filter with ``struck``)."""
        self.severities: list[TimelineEvent] = []
        """The severity changes."""
        self.snoozes: dict[str, list[TimelineEvent]] = {}
        """Snooze rows by audience value."""
        self.dismissed_at: dict[str, datetime] = {}
        """The latest dismissal of each nudge key."""
        self.last_recorded: datetime | None = None
        """When the timeline was last written to, nudge dismissals aside."""

    @classmethod
    def of(cls, events: Iterable[TimelineEvent]) -> EventFacts:
        """The facts of ``events``, in one pass."""
        facts = cls()
        for event in events:
            facts.add(event)
        return facts

    def add(self, event: TimelineEvent) -> None:
        """Fold one event in."""
        self.count += 1
        data = event.data
        if data and is_dismissal(data):
            key = str(data["nudge"])
            previous = self.dismissed_at.get(key)
            if previous is None or event.occurred_at > previous:
                self.dismissed_at[key] = event.occurred_at
            return
        if self.last_recorded is None or event.recorded_at > self.last_recorded:
            self.last_recorded = event.recorded_at
        if data:
            target = data.get("strikes")
            if isinstance(target, str):
                self.struck.add(target)
        kind = event.kind
        if kind is EventKind.COMMS:
            audience = update_audience_name(event)
            if audience is not None:
                self.updates.setdefault(audience, []).append(event)
        elif kind is EventKind.SEVERITY:
            self.severities.append(event)
        elif is_snooze(event):
            audience = data.get("audience")
            if isinstance(audience, str):
                self.snoozes.setdefault(audience, []).append(event)

    def copy(self) -> EventFacts:
        """A copy that later :meth:`add` calls leave the original untouched by (a record
        keeps the facts it was made with)."""
        twin = EventFacts()
        twin.count = self.count
        twin.struck = set(self.struck)
        twin.updates = {key: list(rows) for key, rows in self.updates.items()}
        twin.severities = list(self.severities)
        twin.snoozes = {key: list(rows) for key, rows in self.snoozes.items()}
        twin.dismissed_at = dict(self.dismissed_at)
        twin.last_recorded = self.last_recorded
        return twin

    def counted(self, rows: Iterable[TimelineEvent]) -> list[TimelineEvent]:
        """``rows`` less the struck ones."""
        return [row for row in rows if row.id not in self.struck]

    def severity_since(self, declared_at: datetime) -> datetime:
        """When the current severity was set: the latest change that counts, else the
        declaration."""
        return max((row.occurred_at for row in self.counted(self.severities)), default=declared_at)

    def counted_updates(self, audiences: Iterable[str]) -> dict[str, list[TimelineEvent]]:
        """The update rows that count, by audience, for the audiences named (others are not
        audiences this version knows); audiences never told are absent."""
        known = set(audiences)
        found = {name: self.counted(rows) for name, rows in self.updates.items() if name in known}
        return {name: rows for name, rows in found.items() if rows}


_last: tuple[IncidentRecord, EventFacts] | None = None


def facts_of(record: IncidentRecord) -> EventFacts:
    """The facts of ``record``'s events: the ones the store folded as it read them, else
    worked out once (the last record's are kept: the screen asks every second)."""
    global _last
    facts = record.facts
    if isinstance(facts, EventFacts) and facts.count == len(record.events):
        return facts
    if _last is not None and _last[0] is record:
        return _last[1]
    facts = EventFacts.of(record.events)
    _last = (record, facts)
    return facts
