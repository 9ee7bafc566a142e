"""What the rules read from a timeline, gathered one event at a time.

Countdowns, nudges and the struck rows need a handful of facts from the whole timeline: who
got updates and when, the severity changes, the snoozes, the dismissed nudges, the struck
rows. Each is kept here as a set, a maximum or a short per-key list, so none depends on the
order the events arrive in: the store folds each event in as it reads it (a backdated one
too), and a new row costs the same at 100 events as at 100,000. Strikes are applied when a
fact is asked for, so striking an old update needs no second pass either.

A record that did not come from the store (an import, a test) gets its facts in one pass the
first time they are asked for.

The facts also keep the newest rows (:data:`TAIL`) and every correction, and can be saved as
bytes (:meth:`EventFacts.to_bytes`): the store keeps them with each checkpoint, so a command
that prints the state and the last rows (``show``) reads them instead of every event.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import orjson

from incident_tui.core.clock import from_iso, to_iso
from incident_tui.core.models import EventKind, IncidentRecord, TimelineEvent, timeline_key

TAIL = 50
"""How many of the newest rows (in timeline order) the facts keep."""

KEPT_UPDATES = 16
"""Saved facts keep each audience's last this many updates that count: the countdowns and
nudges ask only whether and when an audience was last told (whether it was told before the
resolution matters only when nobody was told after it, and then the last update answers
that too). See :meth:`EventFacts.to_bytes`."""

FORMAT = 1
"""The version of :meth:`EventFacts.to_bytes`; other versions are not read."""

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
        "fixes",
        "inexact",
        "last_recorded",
        "severities",
        "snoozes",
        "spans",
        "struck",
        "tail",
        "thinned",
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
        self.tail: list[TimelineEvent] = []
        """The newest :data:`TAIL` rows in timeline order (oldest first)."""
        self.fixes: list[TimelineEvent] = []
        """The rows that amend or strike another."""
        self.spans: dict[str, tuple[datetime, datetime]] | None = {}
        """Each audience's first and last update that counts (when they happened), kept as
        updates arrive; None after a strike, until :meth:`update_spans` works them out."""
        self.thinned = False
        """Read from saved facts that left out all but each audience's last few updates (see
        :meth:`to_bytes`)."""
        self.inexact = False
        """Thinned, then a row was struck: if it was one of the updates kept, one that was
        left out may be the last now, so the facts no longer answer for sure."""

    @classmethod
    def of(cls, events: Iterable[TimelineEvent]) -> EventFacts:
        """The facts of ``events`` (any order), in one pass."""
        facts = cls()
        for event in events:
            facts.add(event)
        return facts

    @classmethod
    def of_sorted(cls, events: Sequence[TimelineEvent]) -> EventFacts:
        """The facts of ``events`` already in timeline order: the newest rows are the last
        ones, so no row's place needs working out."""
        facts = cls()
        for event in events:
            facts._fold(event)
        facts.tail = list(events[-TAIL:])
        return facts

    def add(self, event: TimelineEvent) -> None:
        """Fold one event in."""
        tail = self.tail
        if len(tail) < TAIL or timeline_key(event) > timeline_key(tail[0]):
            bisect.insort_right(tail, event, key=timeline_key)
            if len(tail) > TAIL:
                del tail[0]
        self._fold(event)

    def _fold(self, event: TimelineEvent) -> None:
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
                self.inexact = self.thinned
                self.spans = None  # the struck row may be an audience's first or last
            if "amends" in data or "strikes" in data:
                self.fixes.append(event)
        kind = event.kind
        if kind is EventKind.COMMS:
            audience = update_audience_name(event)
            if audience is not None:
                self.updates.setdefault(audience, []).append(event)
                if self.spans is not None and event.id not in self.struck:
                    at = event.occurred_at
                    first, last = self.spans.get(audience, (at, at))
                    self.spans[audience] = (min(first, at), max(last, at))
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
        twin.tail = list(self.tail)
        twin.fixes = list(self.fixes)
        twin.thinned, twin.inexact = self.thinned, self.inexact
        twin.spans = None if self.spans is None else dict(self.spans)
        return twin

    # -- saved with a checkpoint ------------------------------------------------------------

    def to_bytes(self) -> bytes:
        """The facts as one JSON object (see :meth:`from_bytes`).

        Updates that were struck are left out, and of each audience's others all but the
        last :data:`KEPT_UPDATES`: an incident with an update every minute for days would
        otherwise save (and read back) thousands of rows to learn one time. Facts read back
        are then :attr:`thinned`, and become :attr:`inexact` if a row is struck later.
        """
        thinned = self.thinned

        def rows(events: Iterable[TimelineEvent]) -> list[dict[str, Any]]:
            return [event.to_dict() for event in events]

        def latest(found: list[TimelineEvent]) -> list[TimelineEvent]:
            nonlocal thinned
            counted = sorted(self.counted(found), key=timeline_key)
            if len(counted) <= KEPT_UPDATES:
                return counted
            thinned = True
            return counted[-KEPT_UPDATES:]

        if self.inexact:
            raise ValueError("facts read thinned and struck since: make them from the rows")
        # str(): an audience may be held as its enum, which orjson takes for no key.
        updates = {str(key): rows(latest(found)) for key, found in self.updates.items()}

        return orjson.dumps(
            {
                "facts": FORMAT,
                "count": self.count,
                "struck": sorted(self.struck),
                "updates": updates,
                "thinned": thinned,
                "severities": rows(self.severities),
                "snoozes": {str(key): rows(found) for key, found in self.snoozes.items()},
                "dismissed_at": {str(key): to_iso(at) for key, at in self.dismissed_at.items()},
                "last_recorded": to_iso(self.last_recorded) if self.last_recorded else None,
                "tail": rows(self.tail),
                "fixes": rows(self.fixes),
            }
        )

    @classmethod
    def from_bytes(cls, blob: bytes) -> EventFacts:
        """Facts saved by :meth:`to_bytes`; ValueError if ``blob`` is not that (every row
        is checked by the record schema, as a row read from the journal is)."""
        from incident_tui.core import schema  # msgspec: loaded only when facts are read

        try:
            raw = orjson.loads(blob)
            if not isinstance(raw, dict) or raw.get("facts") != FORMAT:
                raise ValueError("not saved facts of this version")

            def rows(found: Any) -> list[TimelineEvent]:
                return [schema.read_event(item) for item in found]

            facts = cls()
            facts.count = int(raw["count"])
            facts.struck = {str(key) for key in raw["struck"]}
            facts.updates = {str(k): rows(v) for k, v in dict(raw["updates"]).items()}
            facts.severities = rows(raw["severities"])
            facts.snoozes = {str(k): rows(v) for k, v in dict(raw["snoozes"]).items()}
            facts.dismissed_at = {
                str(k): from_iso(str(v)) for k, v in dict(raw["dismissed_at"]).items()
            }
            last = raw["last_recorded"]
            facts.last_recorded = None if last is None else from_iso(str(last))
            facts.tail = rows(raw["tail"])
            facts.fixes = rows(raw["fixes"])
            facts.thinned = bool(raw["thinned"])
            facts.spans = None  # worked out from the rows kept when first asked for
        except (KeyError, TypeError, AttributeError, schema.SchemaError) as exc:
            raise ValueError(f"saved facts of the wrong shape ({exc})") from None
        return facts

    def counted(self, rows: Iterable[TimelineEvent]) -> list[TimelineEvent]:
        """``rows`` less the struck ones."""
        return [row for row in rows if row.id not in self.struck]

    def severity_since(self, declared_at: datetime) -> datetime:
        """When the current severity was set: the latest change that counts, else the
        declaration."""
        return max((row.occurred_at for row in self.counted(self.severities)), default=declared_at)

    def update_spans(self) -> dict[str, tuple[datetime, datetime]]:
        """Each audience's first and last update that counts, by when they happened;
        audiences never told are absent. Kept up to date as updates arrive: a pass over the
        updates only after a strike."""
        if self.spans is None:
            spans = {}
            for audience, rows in self.updates.items():
                times = [row.occurred_at for row in self.counted(rows)]
                if times:
                    spans[audience] = (min(times), max(times))
            self.spans = spans
        return self.spans

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
    if isinstance(facts, EventFacts) and (record.partial or facts.count == len(record.events)):
        return facts
    if _last is not None and _last[0] is record:
        return _last[1]
    facts = EventFacts.of(record.events)
    _last = (record, facts)
    return facts
