"""Reading one incident's file as models, cheaply enough to redraw on every change."""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar

import msgspec

from incident_tui.core import schema
from incident_tui.core.errors import StoreError
from incident_tui.core.facts import EventFacts
from incident_tui.core.models import (
    Incident,
    IncidentRecord,
    TimelineEvent,
    timeline_key,
)
from incident_tui.core.store.checkpoint import Damaged
from incident_tui.core.store.journal_format import line_of
from incident_tui.core.store.journal_state import paused_gc
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


def _event_lines(chunk: bytes) -> Iterable[tuple[str, Any]]:
    """A checkpoint chunk of events decoded straight to checked documents; a chunk that does
    not fit is :class:`Damaged` to the journal, and the reader then reads the table one
    document at a time, which names the line at fault."""
    try:
        return schema.event_lines(chunk)
    except (msgspec.DecodeError, msgspec.ValidationError):
        raise Damaged("events that do not fit the schema") from None


class EventDigest:
    """An incident's event facts (:class:`EventFacts`), kept with each checkpoint so that
    ``show`` reads them and the newest rows instead of every event."""

    table = T_EVENTS

    def fold(self, previous: bytes | None, documents: Iterable[tuple[str, Any]]) -> bytes:
        """The facts ``previous`` with ``documents`` (stored events) folded in; ValueError
        if a document is not an event, or the facts cannot be kept exact without reading
        every event."""
        facts = EventFacts() if previous is None else EventFacts.from_bytes(previous)
        try:
            for _key, raw in documents:
                facts.add(schema.read_event(raw))
        except schema.SchemaError as exc:
            raise ValueError(str(exc)) from None
        return facts.to_bytes()


EVENT_DIGEST = EventDigest()


class IncidentReader:
    """One incident's file, read as an :class:`IncidentRecord` that is rebuilt only on change."""

    def __init__(self, incident_id: str, db: JournalDB) -> None:
        self.id = incident_id
        self._db = db
        self._timeline: list[TimelineEvent] = []
        self._facts = EventFacts()
        """What the rules need from the timeline, folded in as events are read."""
        """The events in timeline order, kept up to date by insertion as events arrive."""
        self._timeline_last = 0
        """The highest event doc id read into the timeline."""
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
        with self._db.journal.thread_lock, paused_gc():
            return self._build_record()

    def _build_record(self) -> IncidentRecord:
        journal = self._db.journal
        tables = journal.read()
        version = journal.version
        if self._record is not None and version == self._record_at:
            return self._record
        record = self._assemble(tables, self._events(), self._facts)
        self._record = record
        self._record_at = journal.version  # reading the events may have counted changes
        return record

    def _assemble(
        self,
        tables: Mapping[str, dict[str, Any]],
        events: tuple[TimelineEvent, ...],
        facts: EventFacts,
        partial: bool = False,
    ) -> IncidentRecord:
        """A record of the header and small tables in ``tables``, with these events."""
        header = tables.get(T_INCIDENT, {}).get(str(HEADER_DOC))
        if header is None:
            raise StoreError(f"{self.path}: has no incident header (wrong shape)")
        return IncidentRecord(
            incident=self._checked(schema.read_incident, T_INCIDENT, str(HEADER_DOC), header),
            events=events,
            facts=facts,
            partial=partial,
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

    def glance(self) -> IncidentRecord:
        """The incident with only its newest rows (:data:`facts.TAIL`) as events, and the
        facts of the whole timeline: all that ``show`` prints, read from the checkpoint's
        saved facts and the events added since, never the whole timeline. A record marked
        ``partial``; when that is not cheap (a small incident, no saved facts), the whole
        record, not marked."""
        journal = self._db.journal
        with journal.thread_lock, paused_gc():
            # One catch-up: the small tables, the saved facts and the rows since are all of
            # the same moment.
            tables = journal.read_tables((T_INCIDENT, T_ROLES, T_DECISIONS, T_ACTIONS))
            saved = journal.digest(T_EVENTS)
            if saved is None:
                return self._build_record()
            blob, upto = saved
            try:
                facts = EventFacts.from_bytes(blob)
            except ValueError:
                return self._build_record()
            for number, raw in journal.appended_since(T_EVENTS, upto):
                facts.add(self._checked(schema.read_event, T_EVENTS, str(number), raw))
            if facts.inexact:  # a strike since the facts were saved thinned
                return self._build_record()
            return self._assemble(tables, tuple(facts.tail), facts, partial=True)

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

    def _all(
        self, read: Callable[[Any], M], table: str, tables: Mapping[str, dict[str, Any]]
    ) -> list[M]:
        return [self._checked(read, table, k, d) for k, d in tables.get(table, {}).items()]

    def _events(self) -> tuple[TimelineEvent, ...]:
        """The timeline; when events were only added, just the new ones are read and placed.

        A 100,000-event incident is read and sorted once (and again only after a compaction
        or a rewrite), not after each keypress. Once read, the journal lets go of the raw
        documents: the models are all the app needs, and keeping both doubled its memory.
        """
        journal = self._db.journal
        epoch = journal.table_epoch(T_EVENTS)
        if epoch != self._timeline_epoch:
            try:
                events, last = self._read_events(journal.stream_table(T_EVENTS, _event_lines))
            except Damaged:  # the checkpoint's copy: read the table the certain way
                events, last = self._read_events(iter(journal.read_table(T_EVENTS).items()))
            keys = [timeline_key(event) for event in events]
            if any(a > b for a, b in itertools.pairwise(keys)):  # not yet in timeline order
                order = sorted(range(len(keys)), key=keys.__getitem__)  # stable, as sort_events
                events = [events[i] for i in order]
            del keys  # a tuple per event is worth keeping only while sorting
            self._timeline = events
            self._facts = EventFacts.of_sorted(events)
            self._timeline_last = last
            epoch = journal.table_epoch(T_EVENTS)
            journal.release(T_EVENTS)
        else:
            # Only appended since: the documents with ids above the last one seen are new.
            # The facts are copied first: the record handed out before keeps its own.
            fresh = journal.appended_since(T_EVENTS, self._timeline_last)
            if fresh:
                self._facts = self._facts.copy()
            for number, raw in fresh:
                event = self._checked(schema.read_event, T_EVENTS, str(number), raw)
                at = bisect.bisect_right(self._timeline, timeline_key(event), key=timeline_key)
                self._timeline.insert(at, event)
                self._facts.add(event)
                self._timeline_last = max(self._timeline_last, number)
        self._timeline_epoch = epoch
        return tuple(self._timeline)

    def _read_events(self, documents: Iterator[tuple[str, Any]]) -> tuple[list[TimelineEvent], int]:
        events, last = [], 0
        event_of, checked = schema.event_of, schema.EventDoc
        for key, raw in documents:
            if type(raw) is checked:  # decoded and checked with its chunk
                events.append(event_of(raw))
            else:
                events.append(self._checked(schema.read_event, T_EVENTS, key, raw))
            last = max(last, int(key))
        return events, last

    def recent_events(self, count: int) -> list[TimelineEvent]:
        """The last ``count`` events written, in timeline order, read without the others: a
        first look at a large incident while the rest is read. Empty if that is not cheap
        or the documents do not read as events (the full read then says why)."""
        with self._db.journal.thread_lock:
            try:
                documents = self._db.journal.recent_documents(T_EVENTS, count)
                events = [schema.read_event(raw) for _key, raw in documents]
            except (KeyError, TypeError, ValueError, StoreError, schema.SchemaError):
                return []
        return sorted(events, key=timeline_key)

    def header(self) -> Incident:
        """The incident's header as it is on disk now, reading none of the rest."""
        with self._db.journal.thread_lock:
            try:
                return self._fresh_header()
            except (KeyError, TypeError, ValueError) as exc:
                raise StoreError(f"{self.path}: the header has the wrong shape ({exc})") from None

    @property
    def incident(self) -> Incident:
        """The incident's header, as of the last change."""
        return self.record().incident

    # -- writing -------------------------------------------------------------------------

    def _fresh_header(self) -> Incident:
        """The header as it is on disk now (call inside a transaction)."""
        raw = self._db.journal.read_table(T_INCIDENT).get(str(HEADER_DOC))
        if raw is None:
            raise StoreError(f"{self.path}: has no incident header (wrong shape)")
        return self._checked(schema.read_incident, T_INCIDENT, str(HEADER_DOC), raw)
