"""Reading one incident's file as models, cheaply enough to redraw on every change."""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from incident_tui.core import schema
from incident_tui.core.errors import StoreError
from incident_tui.core.models import (
    Incident,
    IncidentRecord,
    TimelineEvent,
    sort_events,
)
from incident_tui.core.store.journal_format import line_of
from incident_tui.core.store.storage import JournalDB

M = TypeVar("M")

HEADER_DOC = 1
"""The incident header is always document 1 of its table."""

# Table names inside one incident file.
T_INCIDENT = "incident"
T_EVENTS = "events"
T_ROLES = "roles"
T_DECISIONS = "decisions"
T_ACTIONS = "action_items"


class IncidentReader:
    """One incident's file, read as an :class:`IncidentRecord` that is rebuilt only on change."""

    def __init__(self, incident_id: str, db: JournalDB) -> None:
        self.id = incident_id
        self._db = db
        self._timeline: list[TimelineEvent] = []
        """The events in timeline order, kept up to date by insertion as events arrive."""
        self._timeline_keys: list[tuple[datetime, datetime, str]] = []
        self._timeline_seen = 0
        self._timeline_epoch: tuple[int, int] | None = None
        self._record: IncidentRecord | None = None
        self._record_at: tuple[int | None, int, int] = (None, -1, -1)

    @property
    def path(self) -> Path:
        """The incident's journal file."""
        return self._db.journal.path

    # -- reading -------------------------------------------------------------------------

    def changed(self) -> bool:
        """True when the file changed since :meth:`record` last read it (one ``stat``)."""
        journal = self._db.journal
        return (
            self._record is None
            or journal.version != self._record_at  # written through this very handle
            or journal.changed_on_disk()  # written by another handle or process
        )

    def record(self) -> IncidentRecord:
        """The whole incident as models, rebuilt only when the file changed.

        Safe to call from a worker thread while another thread writes through this handle.
        """
        with self._db.journal.thread_lock:
            return self._build_record()

    def _build_record(self) -> IncidentRecord:
        tables = self._db.journal.read()
        version = self._db.journal.version
        if self._record is not None and version == self._record_at:
            return self._record
        header = tables.get(T_INCIDENT, {}).get(str(HEADER_DOC))
        if header is None:
            raise StoreError(f"{self.path}: has no incident header (wrong shape)")
        record = IncidentRecord(
            incident=self._checked(schema.read_incident, T_INCIDENT, str(HEADER_DOC), header),
            events=self._events(tables.get(T_EVENTS, {})),
            roles=tuple(
                sorted(
                    self._all(schema.read_role, T_ROLES, tables),
                    key=lambda r: (r.assigned_at, r.id),
                )
            ),
            decisions=tuple(
                sorted(
                    self._all(schema.read_decision, T_DECISIONS, tables),
                    key=lambda d: (d.decided_at, d.id),
                )
            ),
            action_items=tuple(
                sorted(
                    self._all(schema.read_action, T_ACTIONS, tables),
                    key=lambda a: (a.created_at, a.id),
                )
            ),
        )
        self._record = record
        self._record_at = version
        return record

    def _checked(self, read: Callable[[Any], M], table: str, key: str, raw: Any) -> M:
        """One stored document as a model, checked by the schema; a misfit names the file,
        the line that wrote it and the field."""
        try:
            return read(raw)
        except schema.SchemaError as exc:
            line = line_of(self.path, table, key)
            where = f"line {line}: " if line else ""
            raise StoreError(
                f"{self.path}: {where}{table} document {key} has the wrong shape ({exc})"
            ) from None

    def _all(self, read: Callable[[Any], M], table: str, tables: dict[str, Any]) -> list[M]:
        return [self._checked(read, table, k, d) for k, d in tables.get(table, {}).items()]

    def _events(self, raw_events: dict[str, Any]) -> tuple[TimelineEvent, ...]:
        """The timeline; when events were only added, just the new ones are read and placed.

        A 10,000-event incident is re-sorted only after a compaction or a rewrite, not after
        each keypress.
        """
        epoch = self._db.journal.table_epoch(T_EVENTS)
        if epoch != self._timeline_epoch or len(raw_events) < self._timeline_seen:
            self._timeline = sort_events(
                self._checked(schema.read_event, T_EVENTS, key, raw)
                for key, raw in raw_events.items()
            )
            self._timeline_keys = [_timeline_key(event) for event in self._timeline]
        else:
            # Dicts keep insertion order and the journal only appended: new events are last.
            for doc_key, raw in itertools.islice(raw_events.items(), self._timeline_seen, None):
                event = self._checked(schema.read_event, T_EVENTS, doc_key, raw)
                key = _timeline_key(event)
                at = bisect.bisect_right(self._timeline_keys, key)
                self._timeline_keys.insert(at, key)
                self._timeline.insert(at, event)
        self._timeline_seen = len(raw_events)
        self._timeline_epoch = epoch
        return tuple(self._timeline)

    @property
    def incident(self) -> Incident:
        """The incident's header, as of the last change."""
        return self.record().incident

    # -- writing -------------------------------------------------------------------------

    def _fresh_header(self) -> Incident:
        """The header as it is on disk now (call inside a transaction)."""
        raw = self._db.journal.read().get(T_INCIDENT, {}).get(str(HEADER_DOC))
        if raw is None:
            raise StoreError(f"{self.path}: has no incident header (wrong shape)")
        return self._checked(schema.read_incident, T_INCIDENT, str(HEADER_DOC), raw)


def _timeline_key(event: TimelineEvent) -> tuple[datetime, datetime, str]:
    # The same order as models.sort_events; the replay property test holds them together.
    return (event.occurred_at, event.recorded_at, event.id)
