"""Plain-text views for the shell: the incident list and ``incident-tui show``.

Kept apart from the click commands so the text a scribe reads is easy to find and extend.
Everything here returns lines; nothing writes to the store.
"""

from __future__ import annotations

from datetime import datetime

from incident_tui.core.attention_rules import attention_lines
from incident_tui.core.cadence import countdowns
from incident_tui.core.config import Config
from incident_tui.core.facts import facts_of
from incident_tui.core.models import MILESTONES, IncidentRecord, Role
from incident_tui.core.rules import corrections, effective_text
from incident_tui.core.sanitize import inert
from incident_tui.core.store import IncidentSummary
from incident_tui.core.timeparse import format_duration, format_offset

RECENT_EVENTS = 10
"""How many timeline rows ``show`` prints: enough to catch up, short enough for one screen."""


def clean(text: str) -> str:
    """User text fit for one terminal line (the core's sanitiser: controls made visible)."""
    return inert(text)


def local_stamp(moment: datetime) -> str:
    """A local ``YYYY-MM-DD HH:MM`` for lists."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def list_lines(summaries: list[IncidentSummary]) -> list[str]:
    """One aligned line per incident: id, severity, status, declared, title."""
    if not summaries:
        return []
    width = max(len(s.id) for s in summaries)
    return [
        f"{s.id:<{width}}  {s.severity.label}  {s.status.value:<13}  "
        f"{local_stamp(s.declared_at)}  {clean(s.title)}"
        for s in summaries
    ]


def show_lines(record: IncidentRecord, now: datetime, config: Config | None = None) -> list[str]:
    """The readable view of one incident: header, what needs attention (one ``attention:``
    line per active nudge), roles, recent timeline, open action items."""
    return [
        *header_lines(record, now),
        *update_lines(record, now, config or Config()),
        *attention_lines(record, now, config),
        "",
        *role_lines(record),
        "",
        *timeline_lines(record),
        "",
        *action_item_lines(record),
    ]


def header_lines(record: IncidentRecord, now: datetime) -> list[str]:
    """Id and title, severity and status, times, impact and milestones."""
    incident = record.incident
    detected = incident.detected_at
    end = incident.resolved_at or now
    state = "lasted" if incident.resolved_at else "open for"
    lines = [
        f"{incident.id}  {clean(incident.title)}",
        f"{incident.severity.label} · {incident.status.value} · detected "
        f"{local_stamp(detected)} ({incident.source.value}) · declared "
        f"{format_offset(incident.declared_at - detected)} · {state} "
        f"{format_duration(end - detected)}",
    ]
    for label, value in (
        ("Impact", incident.impact),
        ("Scope", incident.scope),
        ("Status note", incident.status_note),
        ("Workaround", incident.workaround),
        ("ETA", incident.eta),
        ("Data at risk", incident.data_at_risk),
    ):
        if value.strip():
            lines.append(f"{label}: {clean(value)}")
    reached = []
    for name in MILESTONES:
        moment = incident.milestone(name)
        reached.append(f"{name} {format_offset(moment - detected) if moment else '-'}")
    lines.append("Milestones: " + " · ".join(reached))
    if incident.aar_date:
        lines.append(f"AAR: {incident.aar_date.isoformat()}")
    return lines


def update_lines(record: IncidentRecord, now: datetime, config: Config) -> list[str]:
    """One line with each audience's next update: ``Updates due: internal 14:30 (LATE 5m)``."""
    parts = []
    for item in countdowns(record, now, config):
        if item.due_at is None:
            continue
        when = item.due_at.astimezone().strftime("%H:%M")
        late = f" (LATE {format_duration(item.lateness)})" if item.overdue else ""
        final = "final " if item.final else ""
        parts.append(f"{final}{item.audience} {when}{late}")
    return ["Updates due: " + " · ".join(parts)] if parts else []


def role_lines(record: IncidentRecord) -> list[str]:
    """Who holds each role now."""
    holders = record.current_roles()
    width = max(len(role.label) for role in Role)
    lines = ["Roles"]
    for role in Role:
        names = ", ".join(clean(name) for name in holders[role]) or "-"
        lines.append(f"  {role.label:<{width}}  {names}")
    return lines


def timeline_lines(record: IncidentRecord, limit: int = RECENT_EVENTS) -> list[str]:
    """The last few timeline rows, each with its offset from detection."""
    events = record.events[-limit:]
    detected = record.incident.detected_at
    fixes = corrections(record)
    total = facts_of(record).count  # a glance holds only the newest rows
    lines = [f"Recent timeline (last {len(events)} of {total})"]
    for event in events:
        text = clean(effective_text(event, fixes))
        fix = fixes.get(event.id)
        if fix and fix.struck:
            text = f"[struck by {clean(fix.struck_by)}: {clean(fix.why)}] {text}"
        elif fix and fix.amended:
            text += " [amended]"
        lines.append(
            f"  {event.occurred_at.astimezone().strftime('%H:%M')}  "
            f"{format_offset(event.occurred_at - detected):>8}  {event.kind.value:<10}  {text}"
        )
    return lines


def action_item_lines(record: IncidentRecord) -> list[str]:
    """Open action items with the short id that ``incident-tui done`` accepts."""
    open_items = [item for item in record.action_items if not item.done]
    lines = [f"Open action items ({len(open_items)} of {len(record.action_items)})"]
    for item in open_items:
        detail = [f"owner: {clean(item.owner) or 'unassigned'}"]
        if item.due:
            detail.append(f"due {local_stamp(item.due)}")
        lines.append(f"  {short_id(item.id)}  {clean(item.text)} ({', '.join(detail)})")
    return lines


def short_id(full: str) -> str:
    """The tail of a ULID: unique within one incident in practice, and quick to type."""
    return full[-8:]
