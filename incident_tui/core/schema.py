"""The record's schema: one definition of what an incident holds, checked at every boundary.

msgspec structs describe each document (incident header, timeline event, role entry,
decision, action item) and the whole exported record. The same structs check

- an import (``incident-tui import``), decoded straight from bytes, strictly: times within
  :data:`IMPORT_YEARS`, free-form data no deeper than :data:`MAX_DEPTH`;
- every document read back from an incident file (a hand-edited or damaged file names the
  file and the field instead of crashing a reader); a time outside what the clock arithmetic
  can handle is clamped so the incident still opens;
- every export (``to_json`` output is checked against the schema before it is handed out).

Nothing else in the code base checks the shape of stored data.
"""

from __future__ import annotations

import re
import sys
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal, TypeVar

import msgspec

from incident_tui.core.errors import InvalidInputError
from incident_tui.core.models import (
    ActionItem,
    Decision,
    DetectionSource,
    EventKind,
    Incident,
    Role,
    RoleAssignment,
    Severity,
    Status,
    TimelineEvent,
)

INCIDENT_ID = re.compile(r"INC-([0-9]{8})-([0-9]{1,9})\Z")
"""``INC-YYYYMMDD-N``, ASCII digits only, nothing after (``\\Z``: no trailing newline)."""

IMPORT_YEARS = (2000, 2100)
"""Times an import (and a typed ``--at``/``--due``) may hold, inclusive."""
READ_YEARS = (1900, 2200)
"""Times already on disk outside these are clamped when read, so arithmetic cannot overflow."""
MAX_DEPTH = 16
"""How deeply an event's free-form ``data`` may nest (JSON writers give up near 255)."""
MAX_IMPORT_BYTES = 96 * 1024 * 1024
"""A 100,000-event incident exports to about 30 MB; anything past this is not a record."""

Time = Annotated[datetime, msgspec.Meta(tz=True)]
IncidentId = Annotated[str, msgspec.Meta(pattern=r"^INC-[0-9]{8}-[0-9]{1,9}\Z")]


class IncidentDoc(msgspec.Struct):
    """The incident header as stored."""

    id: IncidentId
    title: str
    severity: Severity
    status: Status
    detected_at: Time
    declared_at: Time
    impact: str = ""
    source: DetectionSource = DetectionSource.ALERT
    acknowledged_at: Time | None = None
    mitigated_at: Time | None = None
    verified_at: Time | None = None
    resolved_at: Time | None = None
    closed_at: Time | None = None
    aar_date: date | None = None
    checklist: dict[str, bool] = {}
    summary: str = ""
    scope: str = ""
    status_note: str = ""
    workaround: str = ""
    eta: str = ""
    data_at_risk: str = ""


class EventDoc(msgspec.Struct):
    """One timeline row as stored."""

    id: str
    kind: EventKind
    text: str
    occurred_at: Time
    recorded_at: Time
    author: str = ""
    data: dict[str, Any] = {}


class RoleDoc(msgspec.Struct):
    """One role-history entry as stored."""

    id: str
    role: Role
    name: str
    assigned_at: Time
    previous: str | None = None
    released: bool = False


class DecisionDoc(msgspec.Struct):
    """One decision as stored."""

    id: str
    what: str
    decided_at: Time
    why: str = ""
    decided_by: str = ""
    alternatives: str = ""
    reversible: bool | None = None
    rubric: str | None = None
    answer: str | None = None


class ActionDoc(msgspec.Struct):
    """One action item as stored."""

    id: str
    text: str
    created_at: Time
    owner: str = ""
    due: Time | None = None
    done: bool = False
    done_at: Time | None = None


class RecordDoc(msgspec.Struct):
    """A whole exported record (``incident-tui export --format json``)."""

    format: Literal["incident-tui/record"]
    version: Literal[1]
    incident: IncidentDoc
    events: list[EventDoc]
    roles: list[RoleDoc]
    decisions: list[DecisionDoc]
    action_items: list[ActionDoc]


class SchemaError(InvalidInputError):
    """A document does not fit the schema; the message names the field."""


D = TypeVar("D", bound=msgspec.Struct)


def describe(exc: msgspec.ValidationError | msgspec.DecodeError) -> str:
    """msgspec's message as ``field: problem`` (``title: expected str, got int``)."""
    text = str(exc)
    problem, _, where = text.partition(" - at `")
    problem = problem.replace("`", "")
    if problem[1:2].islower():
        problem = problem[:1].lower() + problem[1:]
    field = where.rstrip("`").removeprefix("$").removeprefix(".")
    return f"{field}: {problem}" if field else problem


def convert(raw: Any, doc: type[D]) -> D:
    """``raw`` checked against a document struct; :class:`SchemaError` naming the field."""
    try:
        return msgspec.convert(raw, doc)
    except msgspec.ValidationError as exc:
        raise SchemaError(describe(exc)) from None


def _clamp(moment: datetime) -> datetime:
    low, high = READ_YEARS
    if moment.year < low:
        return datetime(low, 1, 1, tzinfo=UTC)
    if moment.year > high:
        return datetime(high, 1, 1, tzinfo=UTC)
    return moment if moment.tzinfo is UTC else moment.astimezone(UTC)


def _opt(moment: datetime | None) -> datetime | None:
    return None if moment is None else _clamp(moment)


def depth(value: Any, limit: int = MAX_DEPTH) -> int:
    """How deeply ``value`` nests (lists and mappings), counted without recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        level += 1
        deepest = max(deepest, level)
        if deepest > limit:
            return deepest
        stack.extend((child, level) for child in children)
    return deepest


def too_deep(raw: dict[str, Any]) -> bool:
    """True when an event's ``data`` nests past :data:`MAX_DEPTH` (flat data is the norm and
    is answered without walking it)."""
    for value in raw.values():
        if isinstance(value, dict | list):
            return depth(raw) > MAX_DEPTH
    return False


_NO_DATA: dict[str, Any] = {}
"""The data of every event read without any: most events have none, and an empty dict each
is 6 MiB at 100,000 events. Models are never changed in place, so one can be shared."""


def _data(raw: dict[str, Any]) -> dict[str, Any]:
    if not raw:
        return _NO_DATA
    if too_deep(raw):
        raise SchemaError(f"data: nested more than {MAX_DEPTH} levels deep")
    return raw


# -- documents to models (the journal's read path) -------------------------------------------


def incident_of(doc: IncidentDoc) -> Incident:
    """The model of a checked header."""
    return Incident(
        id=doc.id,
        title=doc.title,
        severity=doc.severity,
        status=doc.status,
        detected_at=_clamp(doc.detected_at),
        declared_at=_clamp(doc.declared_at),
        impact=doc.impact,
        source=doc.source,
        acknowledged_at=_opt(doc.acknowledged_at),
        mitigated_at=_opt(doc.mitigated_at),
        verified_at=_opt(doc.verified_at),
        resolved_at=_opt(doc.resolved_at),
        closed_at=_opt(doc.closed_at),
        aar_date=doc.aar_date,
        checklist=dict(doc.checklist),
        summary=doc.summary,
        scope=doc.scope,
        status_note=doc.status_note,
        workaround=doc.workaround,
        eta=doc.eta,
        data_at_risk=doc.data_at_risk,
    )


def event_of(doc: EventDoc) -> TimelineEvent:
    """The model of a checked timeline row."""
    occurred, recorded = _clamp(doc.occurred_at), _clamp(doc.recorded_at)
    return TimelineEvent(
        id=doc.id,
        kind=doc.kind,
        text=doc.text,
        occurred_at=occurred,
        # Most events are written as they happen: one time object serves both (100,000
        # events hold 200,000 datetimes otherwise); authors repeat, so one string each.
        recorded_at=occurred if recorded == occurred else recorded,
        author=sys.intern(doc.author),
        data=_data(doc.data),
    )


def role_of(doc: RoleDoc) -> RoleAssignment:
    """The model of a checked role entry."""
    return RoleAssignment(
        id=doc.id,
        role=doc.role,
        name=doc.name,
        assigned_at=_clamp(doc.assigned_at),
        previous=doc.previous,
        released=doc.released,
    )


def decision_of(doc: DecisionDoc) -> Decision:
    """The model of a checked decision."""
    return Decision(
        id=doc.id,
        what=doc.what,
        why=doc.why,
        decided_by=doc.decided_by,
        decided_at=_clamp(doc.decided_at),
        alternatives=doc.alternatives,
        reversible=doc.reversible,
        rubric=doc.rubric,
        answer=doc.answer,
    )


def action_of(doc: ActionDoc) -> ActionItem:
    """The model of a checked action item."""
    return ActionItem(
        id=doc.id,
        text=doc.text,
        created_at=_clamp(doc.created_at),
        owner=doc.owner,
        due=_opt(doc.due),
        done=doc.done,
        done_at=_opt(doc.done_at),
    )


def read_incident(raw: Any) -> Incident:
    """A stored header as a model; :class:`SchemaError` naming the field if it is wrong."""
    return incident_of(convert(raw, IncidentDoc))


def read_event(raw: Any) -> TimelineEvent:
    """A stored timeline row as a model."""
    return event_of(convert(raw, EventDoc))


_EVENT_LINES = msgspec.json.Decoder(list[tuple[str, EventDoc]])


def event_lines(chunk: bytes) -> list[tuple[str, EventDoc]]:
    """A JSON array of ``["doc id", {event}]`` pairs, decoded and checked in one pass (no
    plain dicts on the way: reading a 100,000-event table this way takes about half the
    time); raises msgspec's DecodeError or ValidationError, naming no line: a caller that
    gets one reads the documents one at a time with :func:`read_event` to say where."""
    return _EVENT_LINES.decode(chunk)


def read_role(raw: Any) -> RoleAssignment:
    """A stored role entry as a model."""
    return role_of(convert(raw, RoleDoc))


def read_decision(raw: Any) -> Decision:
    """A stored decision as a model."""
    return decision_of(convert(raw, DecisionDoc))


def read_action(raw: Any) -> ActionItem:
    """A stored action item as a model."""
    return action_of(convert(raw, ActionDoc))


def check_time(moment: datetime, what: str = "time") -> datetime:
    """A typed time within :data:`IMPORT_YEARS`, or a one-line error."""
    low, high = IMPORT_YEARS
    if not low <= moment.year <= high:
        raise InvalidInputError(f"{what} must be between the years {low} and {high}")
    return moment
