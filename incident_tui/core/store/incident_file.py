"""One incident's file, open for writing: the transaction primitive, with no business rules.

An operation (see :mod:`incident_tui.core.operations`) opens :meth:`IncidentFile.write`, reads
the header and record as they are on disk *now*, decides, and puts documents through the
:class:`IncidentWriter` it was handed. Everything put in one ``write`` block lands as one
journal line, or not at all: a crash never leaves a change without its timeline event.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from tinydb import Query
from tinydb.table import Document

from incident_tui.core.clock import Clock
from incident_tui.core.models import (
    ActionItem,
    Decision,
    EventKind,
    Incident,
    IncidentRecord,
    RoleAssignment,
    TimelineEvent,
)
from incident_tui.core.store.incident_reader import (
    HEADER_DOC,
    T_ACTIONS,
    T_DECISIONS,
    T_EVENTS,
    T_INCIDENT,
    T_ROLES,
    IncidentReader,
)
from incident_tui.core.store.storage import JournalDB

__all__ = ["IncidentFile", "IncidentWriter", "new_id"]

_id_lock = threading.Lock()
_last_id = 0


def new_id() -> str:
    """A fresh unique id (ULID) for events, roles, decisions and action items.

    Strictly increasing within a process, so events stamped at the same instant (a frozen
    clock, or two within one clock tick) keep the order they were written in.
    """
    # Imported here, not at the top: python-ulid reads its own package metadata on import
    # (about 15 ms), and reading an incident, which the IC's screen does first, needs no ids.
    from ulid import ULID

    global _last_id
    with _id_lock:
        value = max(int(ULID()), _last_id + 1)
        _last_id = value
    return str(ULID.from_int(value))


class IncidentWriter:
    """What one write may do: read the incident as on disk, and put documents."""

    def __init__(
        self,
        reader: IncidentReader,
        db: JournalDB,
        now: datetime,
        author: str,
        make_id: Callable[[], str],
    ) -> None:
        self._reader = reader
        self._db = db
        self.now = now
        """The recording time of everything in this write."""
        self.author = author
        """Who is writing (the default author of events)."""
        self.new_id = make_id

    def header(self) -> Incident:
        """The incident's header as it is on disk now."""
        return self._reader._fresh_header()

    def record(self) -> IncidentRecord:
        """The whole incident as it is on disk now (including this write so far)."""
        return self._reader._build_record()

    def put_header(self, incident: Incident) -> None:
        """Replace the header."""
        self._db.table(T_INCIDENT).upsert(Document(incident.to_dict(), HEADER_DOC))

    def add_event(
        self,
        kind: EventKind,
        text: str,
        occurred_at: datetime | None = None,
        data: dict[str, Any] | None = None,
        author: str | None = None,
    ) -> TimelineEvent:
        """Append a timeline event recorded now (occurred ``occurred_at``, default now)."""
        event = TimelineEvent(
            id=self.new_id(),
            kind=kind,
            text=text,
            occurred_at=occurred_at or self.now,
            recorded_at=self.now,
            author=self.author if author is None else author,
            data=data or {},
        )
        self._db.table(T_EVENTS).insert(event.to_dict())
        return event

    def add_role(self, entry: RoleAssignment) -> None:
        """Append an entry to the role history."""
        self._db.table(T_ROLES).insert(entry.to_dict())

    def add_decision(self, decision: Decision) -> None:
        """Store a new decision."""
        self._db.table(T_DECISIONS).insert(decision.to_dict())

    def add_action_item(self, item: ActionItem) -> None:
        """Store a new action item."""
        self._db.table(T_ACTIONS).insert(item.to_dict())

    def put_action_item(self, item: ActionItem) -> None:
        """Replace an existing action item (same id)."""
        self._db.table(T_ACTIONS).update(item.to_dict(), Query().id == item.id)

    def put_record(self, record: IncidentRecord) -> None:
        """Write a whole record into an empty file (import)."""
        self.put_header(record.incident)
        self._db.table(T_EVENTS).insert_multiple(e.to_dict() for e in record.events)
        self._db.table(T_ROLES).insert_multiple(r.to_dict() for r in record.roles)
        self._db.table(T_DECISIONS).insert_multiple(d.to_dict() for d in record.decisions)
        self._db.table(T_ACTIONS).insert_multiple(a.to_dict() for a in record.action_items)


class IncidentFile(IncidentReader):
    """One incident's file, open for reading and writing by this process."""

    def __init__(
        self,
        incident_id: str,
        db: JournalDB,
        clock: Clock,
        author: str,
        make_id: Callable[[], str] = new_id,
    ) -> None:
        super().__init__(incident_id, db)
        self.clock = clock
        self.author = author
        self._make_id = make_id
        """Where new event/role/decision/action ids come from (tests pin them)."""

    @contextlib.contextmanager
    def write(self) -> Iterator[IncidentWriter]:
        """One transaction: lock, catch up, hand out a writer, commit as one journal line.

        If the block raises, nothing is written.
        """
        with self._db.journal.thread_lock, self._db.transaction():
            self._fresh_header()  # a file without a header is refused before any write
            yield IncidentWriter(self, self._db, self.clock.now(), self.author, self._make_id)

    def compact(self) -> None:
        """Rewrite the journal as one snapshot (safe while others read or write)."""
        self._db.journal.compact()
