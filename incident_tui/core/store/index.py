"""The incident index: a cache of each incident's header, so listing opens no file.

Each entry is stamped with its file's size, mtime and inode; an entry whose file changed is
refreshed by reading the header from the end of the file (falling back to a full replay).
The index is only a cache: deleted, stale or damaged, it rebuilds itself.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from tinydb.table import Document

from incident_tui.core.clock import to_iso
from incident_tui.core.errors import StoreError
from incident_tui.core.models import Incident, Severity, Status
from incident_tui.core.schema import READ_YEARS, SchemaError, read_incident
from incident_tui.core.store.incident_reader import HEADER_DOC, T_INCIDENT
from incident_tui.core.store.journal import last_document
from incident_tui.core.store.storage import JournalDB, open_db

_INDEX_TABLE = "incidents"


@dataclass(frozen=True)
class IncidentSummary:
    """An incident's header as the index knows it: enough to list and pick one."""

    id: str
    title: str
    severity: Severity
    status: Status
    declared_at: datetime
    detected_at: datetime

    def to_index(self, stamp: list[int]) -> dict[str, Any]:
        """The index document for this summary and the file identity it was read from."""
        return {
            "id": self.id,
            "title": self.title,
            "severity": int(self.severity),
            "status": self.status.value,
            "declared_at": to_iso(self.declared_at),
            "detected_at": to_iso(self.detected_at),
            "stamp": stamp,
        }

    @classmethod
    def from_index(cls, doc: dict[str, Any]) -> IncidentSummary:
        """Read an index document back (raises KeyError/ValueError on the wrong shape)."""
        return cls(
            id=doc["id"],
            title=doc["title"],
            severity=Severity(doc["severity"]),
            status=Status(doc["status"]),
            declared_at=datetime.fromisoformat(doc["declared_at"]),
            detected_at=datetime.fromisoformat(doc["detected_at"]),
        )

    @classmethod
    def of(cls, incident: Incident) -> IncidentSummary:
        """The summary of an incident header."""
        return cls(
            id=incident.id,
            title=incident.title,
            severity=incident.severity,
            status=incident.status,
            declared_at=incident.declared_at,
            detected_at=incident.detected_at,
        )


class IncidentIndex:
    """``index.db`` under the data dir."""

    def __init__(
        self,
        data_dir: Path,
        dir_lock: Callable[[], AbstractContextManager[None]],
        replay_header: Callable[[Path], Incident],
    ) -> None:
        self.path = data_dir / "index.db"
        self._dir_lock = dir_lock
        self._replay_header = replay_header
        """Reads a header the slow, certain way; raises StoreError if the file is unreadable."""
        self._db: JournalDB | None = None
        self.unreadable: dict[str, str] = {}
        """Incident files that could not be read, by id: the one-line reason for each."""
        self.stale: str | None = None
        """Why the index could not be used or updated (None while it works)."""

    def _open(self) -> JournalDB:
        """The index, rebuilt from scratch if it cannot be read: it is only a cache."""
        if self._db is not None:
            return self._db
        path = self.path
        # No fsync: the index is a cache of the incident files, checked against each file's
        # size, mtime and inode; a write a crash loses is redone by the next listing.
        try:
            index = open_db(path, create=True, fsync=False)
            index.table(_INDEX_TABLE).all()
        except StoreError:
            with self._dir_lock():
                with contextlib.suppress(OSError):
                    os.replace(path, path.with_name("index.db.damaged"))
                index = open_db(path, create=True, fsync=False)
        self._db = index
        return index

    def summaries(self, files: list[Path]) -> list[IncidentSummary]:
        """A summary of each readable incident file, refreshing the entries that changed.

        The index is a cache: when it cannot be read or written (a full disk, a read-only
        dir) every file is read instead and :attr:`stale` says why, once.
        """
        try:
            index = self._open()
            table = index.table(_INDEX_TABLE)
            known: dict[str, Document] = {str(doc.get("id")): doc for doc in table.all()}
        except StoreError as exc:  # damaged after we opened it, or cannot be made at all
            self._db = None
            self._went_stale(exc)
            return self._uncached(files)
        fresh: list[dict[str, Any]] = []
        result: list[IncidentSummary] = []
        for path in files:
            try:
                stat = path.stat()
            except FileNotFoundError:
                continue
            stamp = [stat.st_size, stat.st_mtime_ns, stat.st_ino]
            doc = known.get(path.stem)
            summary = _summary_from(doc) if doc is not None and doc.get("stamp") == stamp else None
            if summary is None:
                summary = self._read_summary(path)
                if summary is None:
                    continue  # an unreadable file is reported when opened, not in a list
                fresh.append(summary.to_index(stamp))
            result.append(summary)
        present = {p.stem for p in files}
        if fresh or any(key not in present for key in known) or len(known) < len(table):
            try:
                self._store(index, fresh, present)
            except StoreError as exc:
                self._went_stale(exc)
        return result

    def _store(self, index: JournalDB, fresh: list[dict[str, Any]], present: set[str]) -> None:
        """Write the refreshed entries, keyed by incident id as the table is *now*: a
        concurrent ``list`` that got there first is updated, never duplicated."""
        table = index.table(_INDEX_TABLE)
        with index.transaction():
            by_id: dict[str, list[int]] = {}
            for doc in table.all():
                by_id.setdefault(str(doc.get("id")), []).append(doc.doc_id)
            drop = [doc_id for ids in by_id.values() for doc_id in ids[1:]]
            drop += [ids[0] for key, ids in by_id.items() if key not in present]
            for new_doc in fresh:
                ids = by_id.get(new_doc["id"])
                if ids:
                    table.upsert(Document(new_doc, ids[0]))
                else:
                    table.insert(new_doc)
            if drop:
                table.remove(doc_ids=drop)
        if index.journal.journal_lines > 4 * max(len(present), 1) + 64:
            index.journal.compact()

    def _went_stale(self, exc: StoreError) -> None:
        if self.stale is None:
            self.stale = f"the incident index cannot be updated ({exc}); every file was read"

    def _uncached(self, files: list[Path]) -> list[IncidentSummary]:
        found = (self._read_summary(path) for path in files)
        return [summary for summary in found if summary is not None]

    def _read_summary(self, path: Path) -> IncidentSummary | None:
        # A past incident: read its header from the end, not by replaying every event.
        raw = last_document(path, T_INCIDENT, str(HEADER_DOC))
        if raw is not None:
            with contextlib.suppress(SchemaError):
                return IncidentSummary.of(read_incident(raw))
        try:
            return IncidentSummary.of(self._replay_header(path))
        except StoreError as exc:
            self.unreadable[path.stem] = str(exc)
            return None


def _summary_from(doc: dict[str, Any]) -> IncidentSummary | None:
    try:
        summary = IncidentSummary.from_index(doc)
    except (KeyError, TypeError, ValueError, OverflowError):
        return None  # a damaged cache entry: read the incident file instead
    low, high = READ_YEARS
    if not isinstance(summary.title, str) or not isinstance(summary.id, str):
        return None
    if not all(low <= t.year <= high for t in (summary.declared_at, summary.detected_at)):
        return None
    if summary.declared_at.tzinfo is None or summary.detected_at.tzinfo is None:
        return None
    return summary
