"""The incident's rules as pure functions over the record: no disk, no clock, no I/O.

Operations (the sibling modules) call these, then write what they return; tests call them
directly. A rule either returns the header changes it implies or raises one clear
:class:`InvalidInputError`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from incident_tui.core.errors import InvalidInputError
from incident_tui.core.models import (
    UPDATE_FIELDS,
    Audience,
    EventKind,
    Incident,
    IncidentRecord,
    Status,
    TimelineEvent,
    timeline_key,
)

EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
"""No incident time before this is believed (a typo such as ``0206-...``)."""
DUE_HORIZON = timedelta(days=366)
"""An action item may fall due at most a year out."""

MILESTONE_EVENTS = {"acknowledged", "mitigated", "verified"}
"""Milestones stamped by a timeline event (and so un-stamped when it is struck)."""
FIXED_MILESTONES = {"detected", "declared"}
"""Milestone events that define the incident: never struck."""

EDITABLE = ("title", "impact", *UPDATE_FIELDS, "summary", "source", "aar_date")
"""Header fields a person edits directly (with old -> new on the timeline)."""
_EDIT_LABELS = {
    "title": "Title",
    "impact": "Impact",
    "scope": "Scope",
    "status_note": "Status note",
    "workaround": "Workaround",
    "eta": "ETA",
    "data_at_risk": "Data at risk",
    "summary": "Summary",
    "source": "Source",
    "aar_date": "AAR date",
}


# -- input ----------------------------------------------------------------------------------


def require_text(value: str, what: str) -> str:
    """The text stripped; empty text is refused."""
    cleaned = value.strip()
    if not cleaned:
        raise InvalidInputError(f"{what} must not be empty")
    return cleaned


def occurred_at(at: datetime | None, now: datetime) -> datetime:
    """When something happened: ``at`` (checked) or now.

    Refused: a time in the future (it has not happened yet) or before 2000 (a typo).
    """
    if at is None:
        return now
    if at.tzinfo is None:
        raise InvalidInputError("a time needs a time zone")
    if at > now:
        raise InvalidInputError("a time cannot be in the future: it has not happened yet")
    if at < EARLIEST:
        raise InvalidInputError(f"that time is before {EARLIEST.year}; check the date")
    return at


def due_at(due: datetime | None, now: datetime) -> datetime | None:
    """An action item's due time: within a year from now, and not before 2000."""
    if due is None:
        return None
    if due.tzinfo is None:
        raise InvalidInputError("a due time needs a time zone")
    if due < EARLIEST or due > now + DUE_HORIZON:
        raise InvalidInputError("a due time must be within a year from now")
    return due


# -- status ---------------------------------------------------------------------------------


def status_changes(incident: Incident, status: Status, at: datetime) -> dict[str, Any]:
    """The header changes a status change implies; refuses what a status change may not do."""
    previous = incident.status
    if status is Status.CLOSED:
        raise InvalidInputError(
            "closing needs an AAR date: use close (incident-tui close --aar DATE, or k then c)"
        )
    if previous is Status.CLOSED:
        raise InvalidInputError("the incident is closed; reopen it first (incident-tui reopen)")
    if previous == status:
        raise InvalidInputError(f"status is already {status.value}")
    changes: dict[str, Any] = {"status": status}
    if status is Status.RESOLVED and incident.resolved_at is None:
        changes["resolved_at"] = at
    if status.is_active:
        changes["resolved_at"] = None  # reopened after a premature all-clear
    return changes


def status_text(previous: Status, status: Status, note: str) -> str:
    """The timeline line of a status change."""
    text = f"Status {previous.value} → {status.value}"
    return f"{text}: {note}" if note else text


# -- milestones -----------------------------------------------------------------------------


def milestone_changes(incident: Incident, milestone: str, at: datetime) -> dict[str, Any]:
    """Stamp a milestone; the ones it implies (verified implies mitigated implies
    acknowledged) are stamped too when missing."""
    if milestone not in MILESTONE_EVENTS:
        raise InvalidInputError(
            f"unknown milestone {milestone!r}; choose one of: acknowledged, mitigated, verified"
        )
    if not incident.status.is_open:
        raise InvalidInputError("the incident is closed; reopen it first")
    changes: dict[str, Any] = {f"{milestone}_at": at}
    if milestone in ("mitigated", "verified") and incident.acknowledged_at is None:
        changes["acknowledged_at"] = at
    if milestone == "verified" and incident.mitigated_at is None:
        changes["mitigated_at"] = at
    return changes


# -- closing and the AAR ---------------------------------------------------------------------


@dataclass(frozen=True)
class AarWindow:
    """When the after-action review may be scheduled, in days after today."""

    earliest: int = 1
    default: int = 7
    latest: int = 14

    def __post_init__(self) -> None:
        if not 0 <= self.earliest <= self.default <= self.latest:
            raise InvalidInputError("AAR window: need 0 <= earliest <= default <= latest days")

    def default_date(self, today: date) -> date:
        """The date offered when none is given."""
        return today + timedelta(days=self.default)

    def check(self, aar: date, today: date) -> date:
        """``aar`` if it is inside the window; a one-line error naming the window otherwise."""
        first = today + timedelta(days=self.earliest)
        last = today + timedelta(days=self.latest)
        if not first <= aar <= last:
            raise InvalidInputError(
                f"the AAR date must be between {first.isoformat()} and {last.isoformat()} "
                f"({self.earliest} to {self.latest} days from today)"
            )
        return aar

    def parse(self, text: str, today: date) -> date:
        """``YYYY-MM-DD``, ``+N`` (days from today) or empty (the default), checked."""
        raw = text.strip()
        if not raw:
            return self.default_date(today)
        if raw.startswith("+") and raw[1:].isdigit():
            return self.check(today + timedelta(days=int(raw[1:])), today)
        try:
            parsed = date.fromisoformat(raw)
        except ValueError:
            raise InvalidInputError(
                f"cannot read AAR date {text!r}; use YYYY-MM-DD or +N days"
            ) from None
        return self.check(parsed, today)


def close_changes(
    incident: Incident, aar: date, at: datetime, window: AarWindow, today: date
) -> dict[str, Any]:
    """Closing: status, closed_at and the AAR date together (resolved_at if it was missing)."""
    if incident.status is Status.CLOSED:
        raise InvalidInputError(f"{incident.id} is already closed")
    changes: dict[str, Any] = {
        "status": Status.CLOSED,
        "closed_at": at,
        "aar_date": window.check(aar, today),
    }
    if incident.resolved_at is None:
        changes["resolved_at"] = at
    return changes


def close_note(aar: date, open_items: int) -> str:
    """The note on the closing status event."""
    note = f"AAR on {aar.isoformat()}"
    return note + (f"; {open_items} action items open" if open_items else "")


def reopen_changes(incident: Incident, status: Status) -> dict[str, Any]:
    """Reopening a closed incident: back to ``status`` (resolved or an active one).

    It undoes the close: the AAR date goes too, and is set again when it closes again.
    """
    if incident.status is not Status.CLOSED:
        raise InvalidInputError(f"{incident.id} is not closed (it is {incident.status.value})")
    if status is Status.CLOSED:
        raise InvalidInputError("reopen to investigating, identified, monitoring or resolved")
    changes: dict[str, Any] = {"status": status, "closed_at": None, "aar_date": None}
    if status.is_active:
        changes["resolved_at"] = None
    return changes


# -- header edits ---------------------------------------------------------------------------


def header_edit(
    incident: Incident, changes: dict[str, Any], window: AarWindow, today: date
) -> tuple[dict[str, Any], list[str]]:
    """The changes that really change something, and one ``Field: old -> new`` line each."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise InvalidInputError(f"cannot change {', '.join(sorted(unknown))} this way")
    if "title" in changes:
        changes = {**changes, "title": require_text(str(changes["title"]), "title")}
    for key in ("impact", "summary", *UPDATE_FIELDS):
        if key in changes:
            changes = {**changes, key: str(changes[key]).strip()}
    if changes.get("aar_date") is not None:
        window.check(changes["aar_date"], today)
    # In the header's own order, whatever order the caller named them in.
    real = {k: changes[k] for k in EDITABLE if k in changes and getattr(incident, k) != changes[k]}
    lines = [
        f"{_EDIT_LABELS[k]}: {_shown(getattr(incident, k))} -> {_shown(v)}" for k, v in real.items()
    ]
    return real, lines


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "(none)"
    if isinstance(value, date):
        return value.isoformat()
    return str(getattr(value, "value", value))


# -- corrections: amend and strike ------------------------------------------------------------


@dataclass(frozen=True)
class Correction:
    """What later events say about one event: its current text, and whether it is struck."""

    text: str
    amended: bool = False
    struck: bool = False
    struck_by: str = ""
    why: str = ""


def corrections(record: IncidentRecord) -> dict[str, Correction]:
    """Every corrected event by id: amendments (latest wins) and strikes."""
    from incident_tui.core.facts import facts_of

    by_id: dict[str, Correction] = {}
    fixes = facts_of(record).fixes
    if not fixes:
        return by_id  # nothing amended or struck: no need to index every event's text
    texts = {event.id: event.text for event in record.events}
    for event in sorted(fixes, key=timeline_key):  # in timeline order
        target = event.data.get("amends") or event.data.get("strikes")
        if not isinstance(target, str) or target not in texts:
            continue
        current = by_id.get(target, Correction(texts[target]))
        if "amends" in event.data:
            text = str(event.data.get("text", current.text))
            by_id[target] = Correction(text, True, current.struck, current.struck_by, current.why)
        else:
            why = str(event.data.get("why", ""))
            by_id[target] = Correction(current.text, current.amended, True, event.author, why)
    return by_id


def effective_text(event: TimelineEvent, fixes: dict[str, Correction]) -> str:
    """The event's text after any amendment."""
    fix = fixes.get(event.id)
    return fix.text if fix else event.text


def struck_ids(record: IncidentRecord) -> frozenset[str]:
    """Ids of the events that have been struck (from the record's running facts)."""
    from incident_tui.core.facts import facts_of

    return frozenset(facts_of(record).struck)


def is_correction(event: TimelineEvent) -> bool:
    """True for the events that amend or strike another."""
    return "amends" in event.data or "strikes" in event.data


def find_event(record: IncidentRecord, ref: str) -> TimelineEvent:
    """The event with id ``ref`` (or a unique id suffix, as ``show`` prints it)."""
    wanted = ref.strip().upper()
    if not wanted:
        raise InvalidInputError("name the event by its id (incident-tui show --json lists them)")
    matches = [e for e in record.events if e.id.upper() == wanted]
    if not matches:
        matches = [e for e in record.events if e.id.upper().endswith(wanted)]
    if len(matches) != 1:
        raise InvalidInputError(f"no single timeline event matches {ref!r}")
    return matches[0]


def check_amendable(event: TimelineEvent, record: IncidentRecord) -> None:
    """An event may be amended unless it is a correction itself or already struck."""
    if is_correction(event):
        raise InvalidInputError("that event is a correction; amend the original event instead")
    if event.id in struck_ids(record):
        raise InvalidInputError("that event is struck; it cannot be amended")


def check_strikable(event: TimelineEvent, record: IncidentRecord) -> None:
    """Strike what was written in error; a change of state is undone by a new change."""
    check_amendable(event, record)
    if event.data.get("milestone") in FIXED_MILESTONES:
        raise InvalidInputError("detection and declaration cannot be struck; edit the header")
    if event.kind in (EventKind.SEVERITY, EventKind.STATUS, EventKind.ROLE):
        raise InvalidInputError(
            f"a {event.kind.value} change is undone by a new {event.kind.value} change, not struck"
        )


def milestones_after_strike(record: IncidentRecord, struck: TimelineEvent) -> dict[str, Any]:
    """Header changes when a milestone event is struck: the milestone falls back to the
    latest remaining event that stamped it, or is cleared."""
    milestone = struck.data.get("milestone")
    if milestone not in MILESTONE_EVENTS:
        return {}
    gone = struck_ids(record) | {struck.id}
    remaining = [
        e.occurred_at
        for e in record.events
        if e.data.get("milestone") == milestone and e.id not in gone
    ]
    return {f"{milestone}_at": max(remaining) if remaining else None}


# -- updates to audiences ---------------------------------------------------------------------


def update_audience(event: TimelineEvent, struck: frozenset[str] = frozenset()) -> Audience | None:
    """The audience ``event`` counts as an update to, or None.

    An update is a ``comms`` event naming a known audience in ``data["audience"]`` and not
    struck. This is the one definition: cadence, nudges, the handoff brief and the export
    all ask here.
    """
    if event.kind is not EventKind.COMMS or event.id in struck:
        return None
    raw = event.data.get("audience")
    if not isinstance(raw, str):
        return None
    try:
        return Audience(raw)
    except ValueError:
        return None


def last_updates(record: IncidentRecord) -> dict[Audience, TimelineEvent]:
    """The latest update each audience got (by when it happened); audiences never told are
    absent."""
    from incident_tui.core.facts import facts_of

    sent = facts_of(record).counted_updates(audience.value for audience in Audience)
    return {  # the latest in timeline order, audiences in their usual order
        audience: max(sent[audience.value], key=timeline_key)
        for audience in Audience
        if audience.value in sent
    }
