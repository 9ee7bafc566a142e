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
        fsync: bool = True,
    ) -> None:
        self.path = data_dir / "index.db"
        self._dir_lock = dir_lock
        self._replay_header = replay_header
        """Reads a header the slow, certain way; raises StoreError if the file is unreadable."""
        self._fsync = fsync
        self._db: JournalDB | None = None

    def _open(self) -> JournalDB:
        """The index, rebuilt from scratch if it cannot be read: it is only a cache."""
        if self._db is not None:
            return self._db
        path = self.path
        try:
            index = open_db(path, create=True, fsync=self._fsync)
            index.table(_INDEX_TABLE).all()
        except StoreError:
            with self._dir_lock():
                with contextlib.suppress(OSError):
                    os.replace(path, path.with_name("index.db.damaged"))
                index = open_db(path, create=True, fsync=self._fsync)
        self._db = index
        return index

    def summaries(self, files: list[Path]) -> list[IncidentSummary]:
        """A summary of each readable incident file, refreshing the entries that changed."""
        try:
            index = self._open()
            table = index.table(_INDEX_TABLE)
            known: dict[str, Document] = {str(doc.get("id")): doc for doc in table.all()}
        except StoreError:  # damaged after we opened it: start over next time
            self._db = None
            index = self._open()
            table = index.table(_INDEX_TABLE)
            known = {}
        fresh: list[tuple[dict[str, Any], int | None]] = []
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
                fresh.append((summary.to_index(stamp), doc.doc_id if doc is not None else None))
            result.append(summary)
        present = {p.stem for p in files}
        gone = [doc.doc_id for key, doc in known.items() if key not in present]
        if fresh or gone:
            with index.transaction():
                for new_doc, doc_id in fresh:
                    if doc_id is None:
                        table.insert(new_doc)
                    else:
                        table.upsert(Document(new_doc, doc_id))
                if gone:
                    table.remove(doc_ids=gone)
            if index.journal.journal_lines > 4 * max(len(files), 1) + 64:
                index.journal.compact()
        return result

    def _read_summary(self, path: Path) -> IncidentSummary | None:
        # A past incident: read its header from the end, not by replaying every event.
        raw = last_document(path, T_INCIDENT, str(HEADER_DOC))
        if raw is not None:
            with contextlib.suppress(KeyError, TypeError, ValueError):
                return IncidentSummary.of(Incident.from_dict(raw))
        try:
            return IncidentSummary.of(self._replay_header(path))
        except StoreError:
            return None


def _summary_from(doc: dict[str, Any]) -> IncidentSummary | None:
    try:
        return IncidentSummary.from_index(doc)
    except (KeyError, TypeError, ValueError):
        return None  # a damaged cache entry: read the incident file instead
