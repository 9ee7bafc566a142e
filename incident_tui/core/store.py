"""The incident store: the only module that knows TinyDB. Everything else speaks in models.

Layout under the data dir::

    incidents/INC-20261128-1.db   one journal-backed TinyDB file per incident
    index.db                      a cache of each incident's header, keyed by file identity
    .lock                         held while a new incident id is chosen

Past incidents are never loaded or rewritten when a new one is written; ``list`` stats every
incident file and re-reads only those whose size, mtime or inode changed since they were
indexed. The index is only a cache: deleted, stale or damaged, it rebuilds itself.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import getpass
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from tinydb.table import Document

from incident_tui.core.clock import Clock, SystemClock, to_iso
from incident_tui.core.errors import InvalidInputError, StoreError, UnknownIncidentError
from incident_tui.core.incident_file import (
    HEADER_DOC,
    T_ACTIONS,
    T_DECISIONS,
    T_EVENTS,
    T_INCIDENT,
    T_ROLES,
    IncidentFile,
    _require_text,
    new_id,
)
from incident_tui.core.journal import last_document
from incident_tui.core.models import (
    DetectionSource,
    EventKind,
    Incident,
    IncidentRecord,
    Role,
    Severity,
    Status,
)
from incident_tui.core.storage import JournalDB, create_db, open_db

ENV_DATA_DIR = "INCIDENT_TUI_DATA_DIR"
ENV_AUTHOR = "INCIDENT_TUI_AUTHOR"
INCIDENT_ID = re.compile(r"^INC-(\d{8})-(\d+)$")
_ID_SUFFIX = re.compile(r"^[A-Z0-9-]+$")
_INDEX_TABLE = "incidents"

__all__ = [
    "ENV_AUTHOR",
    "ENV_DATA_DIR",
    "HEADER_DOC",
    "INCIDENT_ID",
    "T_ACTIONS",
    "T_DECISIONS",
    "T_EVENTS",
    "T_INCIDENT",
    "T_ROLES",
    "IncidentFile",
    "IncidentStore",
    "IncidentSummary",
    "default_author",
    "default_data_dir",
    "new_id",
]


def default_data_dir() -> Path:
    """``$INCIDENT_TUI_DATA_DIR`` if set, else the platform's user data dir."""
    override = os.environ.get(ENV_DATA_DIR)
    if override:
        return Path(override).expanduser()
    import platformdirs

    return platformdirs.user_data_path("incident-tui", appauthor=False)


def default_author() -> str:
    """Who is typing: ``$INCIDENT_TUI_AUTHOR``, else the login name."""
    override = os.environ.get(ENV_AUTHOR)
    if override:
        return override
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


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


class IncidentStore:
    """All incidents under one data dir."""

    def __init__(
        self,
        data_dir: Path | None = None,
        clock: Clock | None = None,
        author: str | None = None,
        fsync: bool = True,
    ) -> None:
        self.data_dir = (data_dir or default_data_dir()).expanduser()
        self.clock: Clock = clock or SystemClock()
        self.author = author or default_author()
        self._fsync = fsync
        self._open: dict[str, IncidentFile] = {}
        self._index: JournalDB | None = None
        try:
            self.incidents_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:
            raise StoreError(f"{self.incidents_dir}: cannot create ({exc.strerror})") from None

    @property
    def incidents_dir(self) -> Path:
        """Where the incident files live."""
        return self.data_dir / "incidents"

    def path_for(self, incident_id: str) -> Path:
        """The file of one incident (which may not exist)."""
        return self.incidents_dir / f"{incident_id}.db"

    def _handle(self, incident_id: str, db: JournalDB) -> IncidentFile:
        # Look ``new_id`` up at call time so a test can pin ids by patching this module.
        return IncidentFile(incident_id, db, self.clock, self.author, lambda: new_id())

    @contextlib.contextmanager
    def _dir_lock(self) -> Iterator[None]:
        try:
            fd = os.open(self.data_dir / ".lock", os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise StoreError(f"{self.data_dir}: cannot lock ({exc.strerror})") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    # -- opening -------------------------------------------------------------------------

    def open(self, incident_id: str) -> IncidentFile:
        """Open an existing incident by id (case-insensitive; a unique suffix like ``3`` works)."""
        resolved = self.resolve_id(incident_id)
        cached = self._open.get(resolved)
        if cached is not None:
            return cached
        path = self.path_for(resolved)
        db = open_db(path, create=False, fsync=self._fsync)
        handle = self._handle(resolved, db)
        handle.record()  # validate the shape now, with a clear error
        self._open[resolved] = handle
        return handle

    def resolve_id(self, incident_id: str | None) -> str:
        """Turn a user's id (or None: the latest open incident) into an existing id.

        Accepts the full id in any case, or a suffix that starts after a ``-`` (``3``,
        ``20261128-3``); a suffix that fits several incidents is an error, not a guess.
        """
        if incident_id is None:
            latest = self.latest_open()
            if latest is None:
                raise UnknownIncidentError(
                    "no open incident; declare one with: incident-tui new TITLE"
                )
            return latest
        wanted = incident_id.strip().upper()
        if not wanted or not _ID_SUFFIX.match(wanted):
            raise UnknownIncidentError(f"no incident {incident_id!r} in {self.data_dir}")
        if INCIDENT_ID.match(wanted) and self.path_for(wanted).exists():
            return wanted
        tail = "-" + wanted.lstrip("-")
        candidates = [p.stem for p in self._incident_files() if p.stem.endswith(tail)]
        if len(candidates) == 1:
            return candidates[0]
        if candidates:
            raise UnknownIncidentError(
                f"incident id {incident_id!r} is ambiguous: {', '.join(candidates)}"
            )
        raise UnknownIncidentError(f"no incident {incident_id!r} in {self.data_dir}")

    def _incident_files(self) -> list[Path]:
        return sorted(p for p in self.incidents_dir.glob("INC-*.db") if INCIDENT_ID.match(p.stem))

    # -- declaring and importing ---------------------------------------------------------

    def declare(
        self,
        title: str,
        severity: Severity = Severity.SEV2,
        impact: str = "",
        source: DetectionSource = DetectionSource.ALERT,
        detected_at: datetime | None = None,
        responder: str = "",
    ) -> IncidentFile:
        """Declare a new incident; the first responder (if named) becomes IC and acknowledges."""
        title = _require_text(title, "title")
        now = self.clock.now()
        detected = detected_at or now
        if detected > now:
            raise InvalidInputError(
                "detected-at is in the future; the incident cannot be detected yet"
            )

        def fill(incident_id: str, db: JournalDB) -> None:
            incident = Incident(
                id=incident_id,
                title=title,
                severity=severity,
                status=Status.INVESTIGATING,
                impact=impact.strip(),
                source=source,
                detected_at=detected,
                declared_at=now,
            )
            draft = self._handle(incident_id, db)
            draft._put_header(incident)
            draft._append_event(
                EventKind.SYSTEM,
                f"Detected ({source.value})",
                occurred_at=detected,
                data={"milestone": "detected", "source": source.value},
            )
            draft._append_event(
                EventKind.SYSTEM,
                f"Declared {severity.label}: {title}",
                data={"milestone": "declared", "severity": int(severity)},
            )
            if responder.strip():
                # Whoever declares it with their name on it has acknowledged it; in the same
                # write, so no reader ever sees the incident without its IC.
                draft.assign_role(Role.IC, responder)
                draft.mark("acknowledged", f"by {responder.strip()}")

        return self._open_new(self._create_numbered(now, fill))

    def _create_numbered(self, now: datetime, fill: Callable[[str, JournalDB], None]) -> str:
        """Create the next ``INC-<local date>-<n>`` file, complete, and return its id."""
        day = now.astimezone().strftime("%Y%m%d")
        with self._dir_lock():
            taken = [
                int(m.group(2))
                for p in self.incidents_dir.glob(f"INC-{day}-*.db")
                if (m := INCIDENT_ID.match(p.stem))
            ]
            number = max(taken, default=0) + 1
            while True:  # a file made without the lock (by hand?) just moves us on
                incident_id = f"INC-{day}-{number}"
                path = self.path_for(incident_id)
                if create_db(path, functools.partial(fill, incident_id), fsync=self._fsync):
                    return incident_id
                number += 1

    def _open_new(self, incident_id: str) -> IncidentFile:
        db = open_db(self.path_for(incident_id), create=False, fsync=self._fsync)
        handle = self._handle(incident_id, db)
        self._open[incident_id] = handle
        return handle

    def import_record(self, record: IncidentRecord) -> IncidentFile:
        """Recreate an exported incident exactly, under its own id."""
        incident_id = record.incident.id
        if not INCIDENT_ID.match(incident_id):
            raise InvalidInputError(f"bad incident id in record: {incident_id!r}")

        def fill(db: JournalDB) -> None:
            self._handle(incident_id, db)._put_header(record.incident)
            db.table(T_EVENTS).insert_multiple(e.to_dict() for e in record.events)
            db.table(T_ROLES).insert_multiple(r.to_dict() for r in record.roles)
            db.table(T_DECISIONS).insert_multiple(d.to_dict() for d in record.decisions)
            db.table(T_ACTIONS).insert_multiple(a.to_dict() for a in record.action_items)

        if not create_db(self.path_for(incident_id), fill, fsync=self._fsync):
            raise InvalidInputError(f"incident {incident_id} already exists in {self.data_dir}")
        return self._open_new(incident_id)

    # -- listing -------------------------------------------------------------------------

    def list_incidents(self, include_closed: bool = False) -> list[IncidentSummary]:
        """Incidents newest first, from the index; re-reads only files that changed."""
        summaries = [s for s in self._summaries() if include_closed or s.status.is_open]
        return sorted(summaries, key=lambda s: (s.declared_at, s.id), reverse=True)

    def latest_open(self) -> str | None:
        """The most recently declared incident that is not closed."""
        open_ones = self.list_incidents()
        return open_ones[0].id if open_ones else None

    def _open_index(self) -> JournalDB:
        """The index, rebuilt from scratch if it cannot be read: it is only a cache."""
        if self._index is not None:
            return self._index
        path = self.data_dir / "index.db"
        try:
            index = open_db(path, create=True, fsync=self._fsync)
            index.table(_INDEX_TABLE).all()
        except StoreError:
            with self._dir_lock():
                with contextlib.suppress(OSError):
                    os.replace(path, path.with_name("index.db.damaged"))
                index = open_db(path, create=True, fsync=self._fsync)
        self._index = index
        return index

    def _summaries(self) -> list[IncidentSummary]:
        try:
            index = self._open_index()
            table = index.table(_INDEX_TABLE)
            known: dict[str, Document] = {str(doc.get("id")): doc for doc in table.all()}
        except StoreError:  # damaged after we opened it: start over next time
            self._index = None
            index = self._open_index()
            table = index.table(_INDEX_TABLE)
            known = {}
        files = self._incident_files()
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
        if path.stem not in self._open:
            # A past incident: read its header from the end, not by replaying every event.
            raw = last_document(path, T_INCIDENT, str(HEADER_DOC))
            if raw is not None:
                with contextlib.suppress(KeyError, TypeError, ValueError):
                    return IncidentSummary.of(Incident.from_dict(raw))
        try:
            handle = self._open.get(path.stem)
            if handle is None:
                db = open_db(path, create=False, fsync=self._fsync)
                handle = self._handle(path.stem, db)
            return IncidentSummary.of(handle._fresh_header())
        except StoreError:
            return None


def _summary_from(doc: dict[str, Any]) -> IncidentSummary | None:
    try:
        return IncidentSummary.from_index(doc)
    except (KeyError, TypeError, ValueError):
        return None  # a damaged cache entry: read the incident file instead
