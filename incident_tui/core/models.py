"""The incident's own vocabulary as plain dataclasses (the timeline row a frozen struct), with
lossless dict round-trips."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

import msgspec

from incident_tui.core.clock import from_iso, to_iso
from incident_tui.core.errors import InvalidInputError
from incident_tui.core.vocabulary import AUDIENCE_ALIASES as AUDIENCE_ALIASES
from incident_tui.core.vocabulary import ROLE_TITLES as ROLE_TITLES
from incident_tui.core.vocabulary import Audience as Audience
from incident_tui.core.vocabulary import DetectionSource as DetectionSource
from incident_tui.core.vocabulary import EventKind as EventKind
from incident_tui.core.vocabulary import Role as Role
from incident_tui.core.vocabulary import Severity as Severity
from incident_tui.core.vocabulary import Status as Status
from incident_tui.core.vocabulary import parse_enum as parse_enum


def _opt_time(value: str | None) -> datetime | None:
    return from_iso(value) if value else None


def _opt_iso(value: datetime | None) -> str | None:
    return to_iso(value) if value else None


class TimelineEvent(msgspec.Struct, frozen=True, gc=False):
    """One row of the timeline: something that happened, when, and who wrote it down.

    A frozen msgspec struct rather than a dataclass: an incident holds one per row (100,000
    of them in a long one), and a struct is built in C (a tenth of the time of a frozen
    dataclass's ``__init__``), is 16 bytes smaller and stays out of the cyclic collector's
    sight (it holds no cycles: its fields are strings, times, an enum and a plain dict).
    """

    id: str
    kind: EventKind
    text: str
    occurred_at: datetime
    """When it happened: captured at the keypress or given with ``--at``."""
    recorded_at: datetime
    """When it was written to disk."""
    author: str = ""
    data: dict[str, Any] = msgspec.field(default_factory=dict)
    """Structured detail (severity from/to, comms audience, role holder...)."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind.value,
            "text": self.text,
            "occurred_at": to_iso(self.occurred_at),
            "recorded_at": to_iso(self.recorded_at),
            "author": self.author,
            "data": self.data,
        }

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> TimelineEvent:
        return cls(
            id=raw["id"],
            kind=EventKind(raw["kind"]),
            text=raw["text"],
            occurred_at=from_iso(raw["occurred_at"]),
            recorded_at=from_iso(raw["recorded_at"]),
            author=raw.get("author", ""),
            data=dict(raw.get("data") or {}),
        )


@dataclass(frozen=True)
class RoleAssignment:
    """Somebody took a role at a moment; the previous holder (if any) handed it over."""

    id: str
    role: Role
    name: str
    assigned_at: datetime
    previous: str | None = None
    released: bool = False
    """True when this entry records the role (or one SME) being given up, not taken."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "role": self.role.value,
            "name": self.name,
            "assigned_at": to_iso(self.assigned_at),
            "previous": self.previous,
            "released": self.released,
        }

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> RoleAssignment:
        return cls(
            id=raw["id"],
            role=Role(raw["role"]),
            name=raw["name"],
            assigned_at=from_iso(raw["assigned_at"]),
            previous=raw.get("previous"),
            released=bool(raw.get("released", False)),
        )


@dataclass(frozen=True)
class Decision:
    """A call the IC made: what, why, who, and what else was on the table."""

    id: str
    what: str
    why: str
    decided_by: str
    decided_at: datetime
    alternatives: str = ""
    reversible: bool | None = None
    rubric: str | None = None
    """Which decision rubric framed it (rollback, declare-sev1, ...), if any."""
    answer: str | None = None
    """The rubric's answer chosen (yes / no / unsure)."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "what": self.what,
            "why": self.why,
            "decided_by": self.decided_by,
            "decided_at": to_iso(self.decided_at),
            "alternatives": self.alternatives,
            "reversible": self.reversible,
            "rubric": self.rubric,
            "answer": self.answer,
        }

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Decision:
        return cls(
            id=raw["id"],
            what=raw["what"],
            why=raw.get("why", ""),
            decided_by=raw.get("decided_by", ""),
            decided_at=from_iso(raw["decided_at"]),
            alternatives=raw.get("alternatives", ""),
            reversible=raw.get("reversible"),
            rubric=raw.get("rubric"),
            answer=raw.get("answer"),
        )


@dataclass(frozen=True)
class ActionItem:
    """A follow-up with an owner; feeds the after-action review."""

    id: str
    text: str
    created_at: datetime
    owner: str = ""
    due: datetime | None = None
    done: bool = False
    done_at: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "created_at": to_iso(self.created_at),
            "owner": self.owner,
            "due": _opt_iso(self.due),
            "done": self.done,
            "done_at": _opt_iso(self.done_at),
        }

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> ActionItem:
        return cls(
            id=raw["id"],
            text=raw["text"],
            created_at=from_iso(raw["created_at"]),
            owner=raw.get("owner", ""),
            due=_opt_time(raw.get("due")),
            done=bool(raw.get("done", False)),
            done_at=_opt_time(raw.get("done_at")),
        )


UPDATE_FIELDS = ("scope", "status_note", "workaround", "eta", "data_at_risk")
"""The header fields the IC keeps current for updates; optional, empty when unknown."""

MILESTONES = ("acknowledged", "mitigated", "verified", "resolved", "closed")
"""Milestone names, in the order an incident normally reaches them."""


@dataclass(frozen=True)
class Incident:
    """The incident's header: what it is, how bad, where it stands, and its milestones."""

    id: str
    title: str
    severity: Severity
    status: Status
    detected_at: datetime
    declared_at: datetime
    impact: str = ""
    source: DetectionSource = DetectionSource.ALERT
    acknowledged_at: datetime | None = None
    mitigated_at: datetime | None = None
    verified_at: datetime | None = None
    """When the mitigation was verified (the user flow tested, not only dashboards)."""
    resolved_at: datetime | None = None
    closed_at: datetime | None = None
    aar_date: date | None = None
    checklist: dict[str, bool] = field(default_factory=dict)
    """Resolution criteria ticked so far, by criterion key."""
    summary: str = ""
    scope: str = ""
    """Customer-facing scope as a noun phrase: "card payments for EU customers"."""
    status_note: str = ""
    """The current status note or working hypothesis, kept current by the IC."""
    workaround: str = ""
    """What affected users can do meanwhile, if anything."""
    eta: str = ""
    """The expected fix time as people say it ("15:30 UTC"); empty means no ETA yet."""
    data_at_risk: str = ""
    """Which data may be lost or wrong, if any."""

    def milestone(self, name: str) -> datetime | None:
        """The time a named milestone was reached, or None."""
        if name not in MILESTONES:
            raise InvalidInputError(
                f"unknown milestone {name!r}; choose one of: {', '.join(MILESTONES)}"
            )
        value: datetime | None = getattr(self, f"{name}_at")
        return value

    def with_changes(self, **changes: Any) -> Incident:
        """A copy with some fields changed."""
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "severity": int(self.severity),
            "status": self.status.value,
            "impact": self.impact,
            "source": self.source.value,
            "detected_at": to_iso(self.detected_at),
            "declared_at": to_iso(self.declared_at),
            "acknowledged_at": _opt_iso(self.acknowledged_at),
            "mitigated_at": _opt_iso(self.mitigated_at),
            "verified_at": _opt_iso(self.verified_at),
            "resolved_at": _opt_iso(self.resolved_at),
            "closed_at": _opt_iso(self.closed_at),
            "aar_date": self.aar_date.isoformat() if self.aar_date else None,
            "checklist": dict(self.checklist),
            "summary": self.summary,
            **{name: getattr(self, name) for name in UPDATE_FIELDS},
        }

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Incident:
        return cls(
            id=raw["id"],
            title=raw["title"],
            severity=Severity(int(raw["severity"])),
            status=Status(raw["status"]),
            impact=raw.get("impact", ""),
            source=DetectionSource(raw.get("source", "alert")),
            detected_at=from_iso(raw["detected_at"]),
            declared_at=from_iso(raw["declared_at"]),
            acknowledged_at=_opt_time(raw.get("acknowledged_at")),
            mitigated_at=_opt_time(raw.get("mitigated_at")),
            verified_at=_opt_time(raw.get("verified_at")),
            resolved_at=_opt_time(raw.get("resolved_at")),
            closed_at=_opt_time(raw.get("closed_at")),
            aar_date=date.fromisoformat(raw["aar_date"]) if raw.get("aar_date") else None,
            checklist={str(k): bool(v) for k, v in (raw.get("checklist") or {}).items()},
            summary=raw.get("summary", ""),
            **{name: str(raw.get(name) or "") for name in UPDATE_FIELDS},
        )


@dataclass(frozen=True)
class IncidentRecord:
    """Everything known about one incident: the header and every list that hangs off it."""

    incident: Incident
    events: tuple[TimelineEvent, ...] = ()
    """Ordered by when they happened, then by when they were written."""
    roles: tuple[RoleAssignment, ...] = ()
    """Role history, oldest first."""
    decisions: tuple[Decision, ...] = ()
    action_items: tuple[ActionItem, ...] = ()
    facts: Any = field(default=None, compare=False, repr=False)
    """The store's running summary of the events (:class:`incident_tui.core.facts.
    EventFacts`), kept as it reads them; None when the record was made otherwise. Read it
    through :func:`incident_tui.core.facts.facts_of`, never directly."""
    partial: bool = field(default=False, compare=False, repr=False)
    """True for a glance (``IncidentReader.glance``): ``events`` holds only the newest rows,
    while ``facts`` still covers the whole timeline."""

    def current_roles(self) -> dict[Role, list[str]]:
        """Who holds each role now: one name for IC/comms/ops/scribe, any number of SMEs."""
        holders: dict[Role, list[str]] = {role: [] for role in Role}
        for entry in self.roles:
            names = holders[entry.role]
            if entry.released:
                if entry.name in names:
                    names.remove(entry.name)
            elif entry.role is Role.SME:
                if entry.name not in names:
                    names.append(entry.name)
            else:
                holders[entry.role] = [entry.name]
        return holders

    def holder(self, role: Role) -> str | None:
        """The one person holding a single-person role, or None."""
        names = self.current_roles()[role]
        return names[0] if names else None

    def events_of(self, kind: EventKind) -> list[TimelineEvent]:
        """Timeline rows of one kind, in timeline order."""
        return [event for event in self.events if event.kind is kind]

    def to_dict(self) -> dict[str, Any]:
        """The complete record, enough to rebuild the incident exactly."""
        return {
            "format": "incident-tui/record",
            "version": 1,
            "incident": self.incident.to_dict(),
            "events": [event.to_dict() for event in self.events],
            "roles": [entry.to_dict() for entry in self.roles],
            "decisions": [decision.to_dict() for decision in self.decisions],
            "action_items": [item.to_dict() for item in self.action_items],
        }

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> IncidentRecord:
        """Rebuild a record from :meth:`to_dict` output; raises on the wrong shape."""
        if raw.get("format") != "incident-tui/record" or raw.get("version") != 1:
            raise InvalidInputError(
                "not an incident-tui record (format/version missing or unknown)"
            )
        try:
            return cls(
                incident=Incident.from_dict(raw["incident"]),
                events=tuple(sort_events(TimelineEvent.from_dict(e) for e in raw["events"])),
                roles=tuple(RoleAssignment.from_dict(r) for r in raw["roles"]),
                decisions=tuple(Decision.from_dict(d) for d in raw["decisions"]),
                action_items=tuple(ActionItem.from_dict(a) for a in raw["action_items"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidInputError(f"incident record has the wrong shape: {exc}") from None


def timeline_key(event: TimelineEvent) -> tuple[datetime, datetime, str]:
    """Timeline order: by occurrence, ties broken by recording time then id."""
    return (event.occurred_at, event.recorded_at, event.id)


def sort_events(events: Any) -> list[TimelineEvent]:
    """The events in timeline order (see :func:`timeline_key`)."""
    return sorted(events, key=timeline_key)
