"""The incident store: the only module that knows TinyDB. Everything else speaks in models.

Layout under the data dir::

    incidents/INC-20261128-1.db   one journal-backed TinyDB file per incident
    index.db                      a cache of each incident's header, keyed by file size+mtime
    .lock                         held while a new incident id is chosen

Past incidents are never loaded or rewritten when a new one is written; ``list`` stats every
incident file and re-reads only those whose size or mtime changed since they were indexed.
"""

from __future__ import annotations

import contextlib
import fcntl
import getpass
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from tinydb import Query
from ulid import ULID

from incident_tui.core.clock import Clock, SystemClock, to_iso
from incident_tui.core.errors import InvalidInputError, StoreError, UnknownIncidentError
from incident_tui.core.models import (
    ActionItem,
    Decision,
    DetectionSource,
    EventKind,
    Incident,
    IncidentRecord,
    Role,
    RoleAssignment,
    Severity,
    Status,
    TimelineEvent,
    sort_events,
)
from incident_tui.core.storage import JournalDB, open_db

ENV_DATA_DIR = "INCIDENT_TUI_DATA_DIR"
ENV_AUTHOR = "INCIDENT_TUI_AUTHOR"
INCIDENT_ID = re.compile(r"^INC-(\d{8})-(\d+)$")
_HEADER_DOC = 1

# Table names inside one incident file.
T_INCIDENT = "incident"
T_EVENTS = "events"
T_ROLES = "roles"
T_DECISIONS = "decisions"
T_ACTIONS = "action_items"


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


def new_id() -> str:
    """A fresh sortable unique id (ULID) for events, roles, decisions and action items."""
    return str(ULID())


def _require_text(value: str, what: str) -> str:
    cleaned = value.strip()
    if not cleaned:
        raise InvalidInputError(f"{what} must not be empty")
    return cleaned


@dataclass(frozen=True)
class IncidentSummary:
    """An incident's header as the index knows it: enough to list and pick one."""

    id: str
    title: str
    severity: Severity
    status: Status
    declared_at: datetime
    detected_at: datetime


class IncidentFile:
    """One incident's file, open for reading and writing by this process."""

    def __init__(self, incident_id: str, db: JournalDB, clock: Clock, author: str) -> None:
        self.id = incident_id
        self._db = db
        self.clock = clock
        self.author = author
        self._event_cache: dict[str, tuple[dict[str, Any], TimelineEvent]] = {}
        self._record: IncidentRecord | None = None
        self._record_at: tuple[int | None, int] = (None, -1)

    @property
    def path(self) -> Path:
        return self._db.journal.path

    # -- reading -------------------------------------------------------------------------

    def changed(self) -> bool:
        """True when the file changed since :meth:`record` last read it (one ``stat``)."""
        return self._db.journal.changed_on_disk() or self._record is None

    def record(self) -> IncidentRecord:
        """The whole incident as models, rebuilt only when the file changed."""
        tables = self._db.journal.read()
        version = (self._db.journal._inode, self._db.journal._offset)
        if self._record is not None and version == self._record_at:
            return self._record
        header = tables.get(T_INCIDENT, {}).get(str(_HEADER_DOC))
        if header is None:
            raise StoreError(f"{self.path}: has no incident header (wrong shape)")
        try:
            record = IncidentRecord(
                incident=Incident.from_dict(header),
                events=tuple(sort_events(self._events(tables.get(T_EVENTS, {})))),
                roles=tuple(
                    sorted(
                        (RoleAssignment.from_dict(d) for d in tables.get(T_ROLES, {}).values()),
                        key=lambda r: (r.assigned_at, r.id),
                    )
                ),
                decisions=tuple(
                    sorted(
                        (Decision.from_dict(d) for d in tables.get(T_DECISIONS, {}).values()),
                        key=lambda d: (d.decided_at, d.id),
                    )
                ),
                action_items=tuple(
                    sorted(
                        (ActionItem.from_dict(d) for d in tables.get(T_ACTIONS, {}).values()),
                        key=lambda a: (a.created_at, a.id),
                    )
                ),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise StoreError(f"{self.path}: a record has the wrong shape ({exc})") from None
        self._record = record
        self._record_at = version
        return record

    def _events(self, raw_events: dict[str, Any]) -> Iterator[TimelineEvent]:
        cache = self._event_cache
        for key, raw in raw_events.items():
            hit = cache.get(key)
            if hit is not None and hit[0] is raw:
                yield hit[1]
                continue
            event = TimelineEvent.from_dict(raw)
            cache[key] = (raw, event)
            yield event

    @property
    def incident(self) -> Incident:
        return self.record().incident

    # -- writing -------------------------------------------------------------------------

    def _append_event(
        self,
        kind: EventKind,
        text: str,
        occurred_at: datetime | None = None,
        data: dict[str, Any] | None = None,
        author: str | None = None,
    ) -> TimelineEvent:
        now = self.clock.now()
        event = TimelineEvent(
            id=new_id(),
            kind=kind,
            text=text,
            occurred_at=occurred_at or now,
            recorded_at=now,
            author=self.author if author is None else author,
            data=data or {},
        )
        self._db.table(T_EVENTS).insert(event.to_dict())
        return event

    def _put_header(self, incident: Incident) -> None:
        self._db.table(T_INCIDENT).upsert(
            _with_doc_id(incident.to_dict(), _HEADER_DOC),
        )

    def _fresh_header(self) -> Incident:
        """The header as it is on disk now (call inside a transaction)."""
        raw = self._db.journal.read().get(T_INCIDENT, {}).get(str(_HEADER_DOC))
        if raw is None:
            raise StoreError(f"{self.path}: has no incident header (wrong shape)")
        return Incident.from_dict(raw)

    def log(
        self,
        text: str,
        kind: EventKind = EventKind.NOTE,
        occurred_at: datetime | None = None,
        data: dict[str, Any] | None = None,
        author: str | None = None,
    ) -> TimelineEvent:
        """Append a timeline event. ``occurred_at`` defaults to now (the keypress)."""
        text = _require_text(text, "event text")
        now = self.clock.now()
        if occurred_at is not None and occurred_at > now:
            raise InvalidInputError("an event cannot have happened in the future")
        with self._db.transaction():
            self._fresh_header()
            return self._append_event(kind, text, occurred_at, data, author)

    def set_severity(self, severity: Severity, reason: str = "") -> TimelineEvent:
        """Change severity; the change and its reason go on the timeline."""
        with self._db.transaction():
            incident = self._fresh_header()
            previous = incident.severity
            if previous == severity:
                raise InvalidInputError(f"severity is already {severity.label}")
            self._put_header(incident.with_changes(severity=severity))
            verb = "raised" if severity < previous else "lowered"
            text = f"Severity {verb} from {previous.label} to {severity.label}"
            if reason.strip():
                text += f": {reason.strip()}"
            return self._append_event(
                EventKind.SEVERITY,
                text,
                data={"from": int(previous), "to": int(severity), "reason": reason.strip()},
            )

    def set_status(self, status: Status, note: str = "") -> TimelineEvent:
        """Move the incident to a new status; resolved and closed stamp their milestones."""
        with self._db.transaction():
            incident = self._fresh_header()
            previous = incident.status
            if previous == status:
                raise InvalidInputError(f"status is already {status.value}")
            if previous is Status.CLOSED:
                raise InvalidInputError("the incident is closed; reopen it by declaring a new one")
            now = self.clock.now()
            changes: dict[str, Any] = {"status": status}
            if status is Status.RESOLVED and incident.resolved_at is None:
                changes["resolved_at"] = now
            if status is Status.CLOSED:
                changes["closed_at"] = now
                if incident.resolved_at is None:
                    changes["resolved_at"] = now
            if status in (Status.INVESTIGATING, Status.IDENTIFIED, Status.MONITORING):
                changes["resolved_at"] = None  # reopened after a premature all-clear
            self._put_header(incident.with_changes(**changes))
            text = f"Status {previous.value} → {status.value}"
            if note.strip():
                text += f": {note.strip()}"
            return self._append_event(
                EventKind.STATUS,
                text,
                data={"from": previous.value, "to": status.value, "note": note.strip()},
            )

    def assign_role(self, role: Role, name: str) -> TimelineEvent:
        """Give a role to someone; for a single-holder role this is a handoff from the holder."""
        name = _require_text(name, "name")
        with self._db.transaction():
            self._fresh_header()
            current = self.record().current_roles()[role]
            previous = None if role is Role.SME else (current[0] if current else None)
            if name in current:
                raise InvalidInputError(f"{name} already holds {role.label}")
            now = self.clock.now()
            entry = RoleAssignment(
                id=new_id(), role=role, name=name, assigned_at=now, previous=previous
            )
            self._db.table(T_ROLES).insert(entry.to_dict())
            if previous:
                text = f"{role.label} handed off from {previous} to {name}"
            elif role is Role.SME:
                text = f"{name} pulled in as {role.label}"
            else:
                text = f"{name} is {role.label}"
            return self._append_event(
                EventKind.ROLE,
                text,
                data={"role": role.value, "name": name, "previous": previous},
            )

    def release_role(self, role: Role, name: str) -> TimelineEvent:
        """Someone gives up a role (an SME released, or a role left empty)."""
        with self._db.transaction():
            self._fresh_header()
            if name not in self.record().current_roles()[role]:
                raise InvalidInputError(f"{name} does not hold {role.label}")
            entry = RoleAssignment(
                id=new_id(), role=role, name=name, assigned_at=self.clock.now(), released=True
            )
            self._db.table(T_ROLES).insert(entry.to_dict())
            return self._append_event(
                EventKind.ROLE,
                f"{name} released from {role.label}",
                data={"role": role.value, "name": name, "released": True},
            )

    def decide(
        self,
        what: str,
        why: str = "",
        decided_by: str = "",
        alternatives: str = "",
        reversible: bool | None = None,
        rubric: str | None = None,
        answer: str | None = None,
    ) -> Decision:
        """Record a decision (and a timeline row for it)."""
        what = _require_text(what, "decision")
        with self._db.transaction():
            self._fresh_header()
            decided_by = decided_by.strip() or self.record().holder(Role.IC) or self.author
            decision = Decision(
                id=new_id(),
                what=what,
                why=why.strip(),
                decided_by=decided_by,
                decided_at=self.clock.now(),
                alternatives=alternatives.strip(),
                reversible=reversible,
                rubric=rubric,
                answer=answer,
            )
            self._db.table(T_DECISIONS).insert(decision.to_dict())
            text = f"Decided: {what}" + (f" (why: {why.strip()})" if why.strip() else "")
            self._append_event(
                EventKind.DECISION,
                text,
                data={"decision_id": decision.id, "by": decided_by},
                author=decided_by,
            )
            return decision

    def add_action_item(self, text: str, owner: str = "", due: datetime | None = None) -> ActionItem:
        """Add a follow-up action item."""
        item = ActionItem(
            id=new_id(),
            text=_require_text(text, "action item"),
            created_at=self.clock.now(),
            owner=owner.strip(),
            due=due,
        )
        with self._db.transaction():
            self._fresh_header()
            self._db.table(T_ACTIONS).insert(item.to_dict())
            self._append_event(
                EventKind.SYSTEM,
                f"Action item: {item.text}" + (f" (owner: {item.owner})" if item.owner else ""),
                data={"action_item_id": item.id},
            )
        return item

    def complete_action_item(self, item_id: str, done: bool = True) -> ActionItem:
        """Tick (or untick) an action item."""
        with self._db.transaction():
            items = {a.id: a for a in self.record().action_items}
            matches = [a for key, a in items.items() if key == item_id or key.endswith(item_id)]
            if len(matches) != 1:
                raise InvalidInputError(f"no single action item matches {item_id!r}")
            item = matches[0]
            updated = ActionItem(
                id=item.id,
                text=item.text,
                created_at=item.created_at,
                owner=item.owner,
                due=item.due,
                done=done,
                done_at=self.clock.now() if done else None,
            )
            self._db.table(T_ACTIONS).update(updated.to_dict(), Query().id == item.id)
        return updated

    def mark(self, milestone: str, text: str = "", at: datetime | None = None) -> TimelineEvent:
        """Stamp a milestone (acknowledged, mitigated, verified) and log it."""
        labels = {
            "acknowledged": (EventKind.SYSTEM, "Acknowledged"),
            "mitigated": (EventKind.MITIGATION, "Mitigation applied"),
            "verified": (EventKind.MITIGATION, "Mitigation verified"),
        }
        if milestone not in labels:
            raise InvalidInputError(
                f"unknown milestone {milestone!r}; choose one of: {', '.join(labels)}"
            )
        now = self.clock.now()
        moment = at or now
        if moment > now:
            raise InvalidInputError("a milestone cannot be in the future")
        kind, label = labels[milestone]
        with self._db.transaction():
            incident = self._fresh_header()
            changes: dict[str, Any] = {f"{milestone}_at": moment}
            if milestone in ("mitigated", "verified") and incident.acknowledged_at is None:
                changes["acknowledged_at"] = moment
            if milestone == "verified" and incident.mitigated_at is None:
                changes["mitigated_at"] = moment
            self._put_header(incident.with_changes(**changes))
            body = f"{label}: {text.strip()}" if text.strip() else label
            return self._append_event(
                kind, body, occurred_at=moment, data={"milestone": milestone}
            )

    def update_header(self, **changes: Any) -> Incident:
        """Change descriptive fields (title, impact, summary, aar_date, checklist)."""
        allowed = {"title", "impact", "summary", "aar_date", "checklist", "source"}
        unknown = set(changes) - allowed
        if unknown:
            raise InvalidInputError(f"cannot change {', '.join(sorted(unknown))} this way")
        if "title" in changes:
            changes["title"] = _require_text(changes["title"], "title")
        with self._db.transaction():
            incident = self._fresh_header().with_changes(**changes)
            self._put_header(incident)
            described = ", ".join(sorted(k for k in changes if k != "checklist"))
            if described:
                self._append_event(
                    EventKind.SYSTEM,
                    f"Updated {described}",
                    data={k: _jsonable(v) for k, v in changes.items()},
                )
        return incident

    def tick(self, criterion: str, done: bool = True) -> Incident:
        """Tick (or untick) one resolution criterion."""
        with self._db.transaction():
            incident = self._fresh_header()
            checklist = dict(incident.checklist)
            checklist[criterion] = done
            updated = incident.with_changes(checklist=checklist)
            self._put_header(updated)
            self._append_event(
                EventKind.SYSTEM,
                f"Resolution criterion {'ticked' if done else 'unticked'}: {criterion}",
                data={"criterion": criterion, "done": done},
            )
        return updated

    def compact(self) -> None:
        """Rewrite the journal as one snapshot (safe while others read or write)."""
        self._db.journal.compact()


def _with_doc_id(doc: dict[str, Any], doc_id: int) -> Any:
    from tinydb.table import Document

    return Document(doc, doc_id)


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return to_iso(value)
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "value"):
        return value.value
    return value


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
        try:
            self.incidents_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:
            raise StoreError(f"{self.incidents_dir}: cannot create ({exc.strerror})") from None

    @property
    def incidents_dir(self) -> Path:
        return self.data_dir / "incidents"

    def path_for(self, incident_id: str) -> Path:
        return self.incidents_dir / f"{incident_id}.db"

    @contextlib.contextmanager
    def _dir_lock(self) -> Iterator[None]:
        fd = os.open(self.data_dir / ".lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    # -- opening -------------------------------------------------------------------------

    def open(self, incident_id: str) -> IncidentFile:
        """Open an existing incident by id (case-insensitive; a unique suffix like ``-3`` works)."""
        resolved = self.resolve_id(incident_id)
        cached = self._open.get(resolved)
        if cached is not None:
            return cached
        path = self.path_for(resolved)
        db = open_db(path, create=False, fsync=self._fsync)
        handle = IncidentFile(resolved, db, self.clock, self.author)
        handle.record()  # validate the shape now, with a clear error
        self._open[resolved] = handle
        return handle

    def resolve_id(self, incident_id: str | None) -> str:
        """Turn a user's id (or None: the latest open incident) into an existing id."""
        if incident_id is None:
            latest = self.latest_open()
            if latest is None:
                raise UnknownIncidentError("no open incident; declare one with: incident-tui new TITLE")
            return latest
        wanted = incident_id.strip().upper()
        if self.path_for(wanted).exists():
            return wanted
        candidates = [p.stem for p in self._incident_files() if p.stem.endswith(wanted)]
        if len(candidates) == 1:
            return candidates[0]
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
            raise InvalidInputError("detected-at is in the future; the incident cannot be detected yet")
        incident_id, db = self._create_file(now)
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
        handle = IncidentFile(incident_id, db, self.clock, self.author)
        with db.transaction():
            handle._put_header(incident)
            handle._append_event(
                EventKind.SYSTEM,
                f"Detected ({source.value})",
                occurred_at=detected,
                data={"milestone": "detected", "source": source.value},
            )
            handle._append_event(
                EventKind.SYSTEM,
                f"Declared {severity.label}: {title}",
                data={"milestone": "declared", "severity": int(severity)},
            )
        if responder.strip():
            # Whoever declares it with their name on it has acknowledged it.
            handle.assign_role(Role.IC, responder)
            handle.mark("acknowledged", f"by {responder.strip()}")
        self._open[incident_id] = handle
        return handle

    def _create_file(self, now: datetime) -> tuple[str, JournalDB]:
        day = now.astimezone().strftime("%Y%m%d")
        with self._dir_lock():
            taken = [
                int(m.group(2))
                for p in self.incidents_dir.glob(f"INC-{day}-*.db")
                if (m := INCIDENT_ID.match(p.stem))
            ]
            incident_id = f"INC-{day}-{max(taken, default=0) + 1}"
            db = open_db(self.path_for(incident_id), create=True, fsync=self._fsync)
        return incident_id, db

    def import_record(self, record: IncidentRecord) -> IncidentFile:
        """Recreate an exported incident exactly, under its own id."""
        incident_id = record.incident.id
        if not INCIDENT_ID.match(incident_id):
            raise InvalidInputError(f"bad incident id in record: {incident_id!r}")
        with self._dir_lock():
            if self.path_for(incident_id).exists():
                raise InvalidInputError(f"incident {incident_id} already exists in {self.data_dir}")
            db = open_db(self.path_for(incident_id), create=True, fsync=self._fsync)
        handle = IncidentFile(incident_id, db, self.clock, self.author)
        with db.transaction():
            handle._put_header(record.incident)
            db.table(T_EVENTS).insert_multiple(e.to_dict() for e in record.events)
            db.table(T_ROLES).insert_multiple(r.to_dict() for r in record.roles)
            db.table(T_DECISIONS).insert_multiple(d.to_dict() for d in record.decisions)
            db.table(T_ACTIONS).insert_multiple(a.to_dict() for a in record.action_items)
        self._open[incident_id] = handle
        return handle

    # -- listing -------------------------------------------------------------------------

    def list_incidents(self, include_closed: bool = False) -> list[IncidentSummary]:
        """Incidents newest first, from the index; re-reads only files that changed."""
        summaries = [s for s in self._summaries() if include_closed or s.status.is_open]
        return sorted(summaries, key=lambda s: (s.declared_at, s.id), reverse=True)

    def latest_open(self) -> str | None:
        """The most recently declared incident that is not closed."""
        open_ones = self.list_incidents()
        return open_ones[0].id if open_ones else None

    def _summaries(self) -> list[IncidentSummary]:
        index = open_db(self.data_dir / "index.db", create=True, fsync=self._fsync)
        table = index.table("incidents")
        known = {doc["id"]: doc for doc in table.all()}
        stale: list[dict[str, Any]] = []
        result: list[IncidentSummary] = []
        for path in self._incident_files():
            stat = path.stat()
            stamp = [stat.st_size, stat.st_mtime_ns]
            doc = known.get(path.stem)
            if doc is None or doc.get("stamp") != stamp:
                try:
                    handle = self._open.get(path.stem) or IncidentFile(
                        path.stem, open_db(path, create=False, fsync=self._fsync), self.clock, self.author
                    )
                    incident = handle._fresh_header()
                except StoreError:
                    continue  # an unreadable file is reported when opened, not in a list
                doc = {
                    "id": incident.id,
                    "title": incident.title,
                    "severity": int(incident.severity),
                    "status": incident.status.value,
                    "declared_at": to_iso(incident.declared_at),
                    "detected_at": to_iso(incident.detected_at),
                    "stamp": stamp,
                }
                stale.append(doc)
            result.append(
                IncidentSummary(
                    id=doc["id"],
                    title=doc["title"],
                    severity=Severity(doc["severity"]),
                    status=Status(doc["status"]),
                    declared_at=datetime.fromisoformat(doc["declared_at"]),
                    detected_at=datetime.fromisoformat(doc["detected_at"]),
                )
            )
        if stale:
            with index.transaction():
                for doc in stale:
                    table.upsert(doc, Query().id == doc["id"])
            if index.journal.journal_lines > 4 * max(len(known), 1) + 64:
                index.journal.compact()
        return result
