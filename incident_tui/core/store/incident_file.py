"""One incident's file: read it as models, change it with methods that also write the timeline.

Every change to severity, status, a role, a decision or an action item appends a timeline
event in the same journal transaction, so the timeline is the complete record and a crash
never leaves a change without its event (or an event without its change).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from tinydb import Query
from tinydb.table import Document

from incident_tui.core.clock import Clock, to_iso
from incident_tui.core.errors import InvalidInputError
from incident_tui.core.models import (
    UPDATE_FIELDS,
    ActionItem,
    Decision,
    EventKind,
    Incident,
    Role,
    RoleAssignment,
    Severity,
    Status,
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

__all__ = [
    "HEADER_DOC",
    "T_ACTIONS",
    "T_DECISIONS",
    "T_EVENTS",
    "T_INCIDENT",
    "T_ROLES",
    "IncidentFile",
    "new_id",
]

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


def _require_text(value: str, what: str) -> str:
    cleaned = value.strip()
    if not cleaned:
        raise InvalidInputError(f"{what} must not be empty")
    return cleaned


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
            id=self._make_id(),
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
            Document(incident.to_dict(), HEADER_DOC),
        )

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
                id=self._make_id(), role=role, name=name, assigned_at=now, previous=previous
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
                id=self._make_id(),
                role=role,
                name=name,
                assigned_at=self.clock.now(),
                released=True,
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
                id=self._make_id(),
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

    def add_action_item(
        self, text: str, owner: str = "", due: datetime | None = None
    ) -> ActionItem:
        """Add a follow-up action item."""
        item = ActionItem(
            id=self._make_id(),
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
            return self._append_event(kind, body, occurred_at=moment, data={"milestone": milestone})

    def update_header(self, **changes: Any) -> Incident:
        """Change descriptive fields (title, impact, summary, aar_date, checklist)."""
        allowed = {"title", "impact", "summary", "aar_date", "checklist", "source", *UPDATE_FIELDS}
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


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return to_iso(value)
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "value"):
        return value.value
    return value
