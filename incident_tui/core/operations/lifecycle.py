"""Operations on the incident's course: declare, milestones, the checklist, close, reopen, edit."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from incident_tui.core import rules
from incident_tui.core.errors import InvalidInputError
from incident_tui.core.models import (
    DetectionSource,
    EventKind,
    Incident,
    Role,
    RoleAssignment,
    Severity,
    Status,
    TimelineEvent,
    parse_enum,
)
from incident_tui.core.rules import AarWindow
from incident_tui.core.store import IncidentFile, IncidentStore, IncidentWriter

_MILESTONE_ROWS = {
    "acknowledged": (EventKind.SYSTEM, "Acknowledged"),
    "mitigated": (EventKind.MITIGATION, "Mitigation applied"),
    "verified": (EventKind.MITIGATION, "Mitigation verified"),
}
VERIFIED_CRITERION = "mitigation-verified"
"""The resolution criterion that verifying the mitigation ticks."""


def declare(
    store: IncidentStore,
    title: str,
    severity: Severity = Severity.SEV1,
    impact: str = "",
    source: DetectionSource = DetectionSource.ALERT,
    detected_at: datetime | None = None,
    responder: str = "",
) -> IncidentFile:
    """Declare a new incident; the first responder (if named) becomes IC and acknowledges.

    Everything lands in the new file's first write: no reader ever sees the incident
    without its IC.
    """
    title = rules.require_text(title, "title")
    responder = responder.strip()
    now = store.clock.now()
    if detected_at is not None and detected_at > now:
        raise InvalidInputError("detected-at is in the future; the incident cannot be detected yet")
    detected = rules.occurred_at(detected_at, now)

    def fill(w: IncidentWriter, incident_id: str) -> None:
        header = Incident(
            id=incident_id,
            title=title,
            severity=severity,
            status=Status.INVESTIGATING,
            impact=impact.strip(),
            source=source,
            detected_at=detected,
            declared_at=w.now,
        )
        w.put_header(header)
        w.add_event(
            EventKind.SYSTEM,
            f"Detected ({source.value})",
            detected,
            {"milestone": "detected", "source": source.value},
        )
        w.add_event(
            EventKind.SYSTEM,
            f"Declared {severity.label}: {title}",
            data={"milestone": "declared", "severity": int(severity)},
        )
        if responder:
            w.add_role(RoleAssignment(w.new_id(), Role.IC, responder, w.now))
            w.add_event(
                EventKind.ROLE,
                f"{responder} is {Role.IC.label}",
                data={"role": Role.IC.value, "name": responder, "previous": None},
            )
            _stamp(w, "acknowledged", f"by {responder}", w.now)

    return store.create(fill)


def _stamp(w: IncidentWriter, milestone: str, note: str, at: datetime) -> TimelineEvent:
    header = w.header()
    w.put_header(header.with_changes(**rules.milestone_changes(header, milestone, at)))
    kind, label = _MILESTONE_ROWS[milestone]
    return w.add_event(kind, f"{label}: {note}" if note else label, at, {"milestone": milestone})


def mark(
    incident: IncidentFile, milestone: str, note: str = "", at: datetime | None = None
) -> TimelineEvent:
    """Stamp a milestone: acknowledged, mitigated (applied) or verified (see below)."""
    if milestone == "verified":
        return verify_mitigation(incident, note, at)
    if milestone not in _MILESTONE_ROWS:
        raise InvalidInputError(
            f"unknown milestone {milestone!r}; choose one of: {', '.join(_MILESTONE_ROWS)}"
        )
    with incident.write() as w:
        return _stamp(w, milestone, note.strip(), rules.occurred_at(at, w.now))


def acknowledge(incident: IncidentFile, by: str = "", at: datetime | None = None) -> TimelineEvent:
    """Someone (default: whoever is writing) has picked the incident up."""
    return mark(incident, "acknowledged", f"by {by.strip() or incident.author}", at)


def apply_mitigation(
    incident: IncidentFile, what: str, at: datetime | None = None
) -> TimelineEvent:
    """A mitigation was applied (say which)."""
    return mark(incident, "mitigated", what, at)


def verify_mitigation(
    incident: IncidentFile, how: str = "", at: datetime | None = None
) -> TimelineEvent:
    """The mitigation was verified: the milestone and its resolution criterion, in one write."""
    with incident.write() as w:
        moment = rules.occurred_at(at, w.now)
        event = _stamp(w, "verified", how.strip(), moment)
        header = w.header()
        if not header.checklist.get(VERIFIED_CRITERION):
            _tick(w, VERIFIED_CRITERION, True, moment)
        return event


def _tick(w: IncidentWriter, key: str, done: bool, at: datetime) -> Incident:
    header = w.header()
    updated = header.with_changes(checklist={**header.checklist, key: done})
    w.put_header(updated)
    w.add_event(
        EventKind.SYSTEM,
        f"Resolution criterion {'ticked' if done else 'unticked'}: {key}",
        at,
        {"criterion": key, "done": done},
    )
    return updated


def tick_criterion(
    incident: IncidentFile, key: str, done: bool = True, at: datetime | None = None
) -> Incident:
    """Tick (or untick) one resolution criterion; a criterion already so is left alone."""
    from incident_tui.core.playbook import criterion  # here: the playbook is not needed to `log`

    criterion(key)
    with incident.write() as w:
        moment = rules.occurred_at(at, w.now)
        header = w.header()
        if not header.status.is_open:
            raise InvalidInputError("the incident is closed; reopen it first")
        if header.checklist.get(key, False) == done:
            return header
        return _tick(w, key, done, moment)


def close(
    incident: IncidentFile,
    aar_date: date | None = None,
    at: datetime | None = None,
    window: AarWindow | None = None,
) -> TimelineEvent:
    """Close the incident: status, closed time and AAR date in one write.

    The AAR date must fall inside the window (default: 1 to 14 days out, 7 if not given).
    """
    window = window or AarWindow()
    with incident.write() as w:
        moment = rules.occurred_at(at, w.now)
        today = w.now.astimezone().date()
        aar = aar_date or window.default_date(today)
        record = w.record()
        header = record.incident
        changes = rules.close_changes(header, aar, moment, window, today)
        w.put_header(header.with_changes(**changes))
        open_items = sum(1 for item in record.action_items if not item.done)
        note = rules.close_note(aar, open_items)
        return w.add_event(
            EventKind.STATUS,
            rules.status_text(header.status, Status.CLOSED, note),
            moment,
            {
                "from": header.status.value,
                "to": Status.CLOSED.value,
                "note": note,
                "aar_date": aar.isoformat(),
            },
        )


def reopen(
    incident: IncidentFile,
    status: Status = Status.INVESTIGATING,
    note: str = "",
    at: datetime | None = None,
) -> TimelineEvent:
    """Reopen a closed incident (default: investigating again)."""
    note = note.strip()
    with incident.write() as w:
        moment = rules.occurred_at(at, w.now)
        header = w.header()
        w.put_header(header.with_changes(**rules.reopen_changes(header, status)))
        return w.add_event(
            EventKind.STATUS,
            rules.status_text(header.status, status, note or "reopened"),
            moment,
            {"from": header.status.value, "to": status.value, "note": note, "reopened": True},
        )


def edit_header(
    incident: IncidentFile,
    at: datetime | None = None,
    window: AarWindow | None = None,
    **changes: Any,
) -> TimelineEvent:
    """Change title, impact, summary, source or AAR date; the timeline says old -> new."""
    if "source" in changes and not isinstance(changes["source"], DetectionSource):
        changes["source"] = parse_enum(DetectionSource, str(changes["source"]), "source")
    window = window or AarWindow()
    with incident.write() as w:
        moment = rules.occurred_at(at, w.now)
        header = w.header()
        real, lines = rules.header_edit(header, changes, window, w.now.astimezone().date())
        if not real:
            raise InvalidInputError("nothing changed")
        w.put_header(header.with_changes(**real))
        return w.add_event(
            EventKind.SYSTEM,
            "; ".join(lines),
            moment,
            {"edited": {key: _plain(value) for key, value in real.items()}},
        )


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return getattr(value, "value", value)
