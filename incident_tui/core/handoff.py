"""The handoff brief: what the next holder of a role needs to know, as plain text to paste.

Current hypothesis rule: the latest note whose text starts with ``Hypothesis:``, ``Theory:``
or ``Suspect:`` (or carries data ``{"hypothesis": true}``) wins; failing that, the latest
decision with its reason; failing that, the latest plain note. Decisions are preferred over
plain notes because they are what the team is acting on.
"""

from __future__ import annotations

from datetime import datetime

from incident_tui.core import rules
from incident_tui.core.models import Audience, EventKind, IncidentRecord, Role, TimelineEvent
from incident_tui.core.nudges import active
from incident_tui.core.rubric import level
from incident_tui.core.sanitize import inert, shorten

HYPOTHESIS_PREFIXES = ("hypothesis:", "theory:", "suspect:")


def clock_time(moment: datetime) -> str:
    """``14:05`` in local time; the brief is read on the same call, in the same zone."""
    return moment.astimezone().strftime("%H:%M")


def ago(moment: datetime, now: datetime) -> str:
    """``12 min ago``, ``2 h 5 min ago`` or ``just now``."""
    minutes = int((now - moment).total_seconds() // 60)
    if minutes <= 0:
        return "just now"
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours} h {minutes} min ago" if minutes else f"{hours} h ago"
    return f"{minutes} min ago"


def _is_hypothesis(event: TimelineEvent) -> bool:
    return event.kind is EventKind.NOTE and (
        event.data.get("hypothesis") is True
        or event.text.strip().lower().startswith(HYPOTHESIS_PREFIXES)
    )


def current_hypothesis(record: IncidentRecord) -> tuple[str, datetime] | None:
    """The team's working theory and when it was written (see the module docstring)."""
    marked = [e for e in record.events if _is_hypothesis(e)]
    if marked:
        return marked[-1].text.strip(), marked[-1].occurred_at
    if record.decisions:
        decision = record.decisions[-1]
        text = f"Decided: {decision.what}" + (f" (why: {decision.why})" if decision.why else "")
        return text, decision.decided_at
    notes = record.events_of(EventKind.NOTE)
    if notes:
        return notes[-1].text.strip(), notes[-1].occurred_at
    return None


def last_updates(record: IncidentRecord) -> dict[str, TimelineEvent | None]:
    """The latest update sent to each audience (see :func:`rules.last_updates`), or None."""
    sent = rules.last_updates(record)
    return {audience: sent.get(audience) for audience in Audience}


def _one_line(text: str, width: int = 90) -> str:
    # The core's sanitiser: a newline in user text cannot forge a line of the brief.
    return shorten(text, width)


def handoff_brief(
    record: IncidentRecord,
    now: datetime,
    role: Role | None = None,
    handed_from: str | None = None,
    handed_to: str | None = None,
) -> str:
    """The brief as plain text, ready to paste into the incident channel."""
    incident = record.incident
    lines = [f"HANDOFF BRIEF {inert(incident.id)}: {inert(incident.title)}"]
    since = ago(incident.detected_at, now).replace(" ago", "")
    lines.append(f"As of {clock_time(now)}, {since} after detection")
    if role is not None and handed_to:
        giver = inert(handed_from or "nobody")
        lines.append(
            f"Handoff: {role.label} from {giver} to {inert(handed_to)} at {clock_time(now)}"
        )
    lines.append(f"Status: {incident.status.value}")
    lines.append(f"Severity: {level(incident.severity).label}")
    if incident.impact:
        lines.append(f"Impact: {_one_line(incident.impact)}")
    milestones = []
    for name in ("acknowledged", "mitigated", "verified", "resolved"):
        moment = incident.milestone(name)
        milestones.append(f"{name} {clock_time(moment)}" if moment else f"not {name}")
    lines.append("Milestones: " + ", ".join(milestones))

    hypothesis = current_hypothesis(record)
    if hypothesis is None:
        lines.append("Current hypothesis: none recorded yet")
    else:
        text, when = hypothesis
        # Never cut short: the hypothesis is the one thing the next holder must read whole.
        lines.append(f"Current hypothesis: {_one_line(text, width=10_000)} ({clock_time(when)})")

    lines.append("Last update per audience:")
    for audience, event in last_updates(record).items():
        if event is None:
            lines.append(f"  {audience}: none sent yet")
        else:
            stamp = f"{clock_time(event.occurred_at)}, {ago(event.occurred_at, now)}"
            # The words sent beat the log line about sending them, when both are stored.
            sent = str(event.data.get("text") or "").strip() or event.text
            lines.append(f"  {audience}: {stamp}: {_one_line(sent, 60)}")

    open_items = [item for item in record.action_items if not item.done]
    lines.append(f"Open actions ({len(open_items)}):" if open_items else "Open actions: none")
    for item in open_items:
        owner = inert(item.owner) or "no owner"
        lines.append(f"  - {_one_line(item.text, 70)} ({owner})")

    lines.append("Engaged:")
    holders = record.current_roles()
    if role is not None and handed_to and handed_to not in holders[role]:
        # The brief is often built just before the handoff is stored; show it as done.
        holders[role] = [handed_to] if role is not Role.SME else [*holders[role], handed_to]
    for each in Role:
        names = holders[each]
        shown = ", ".join(inert(name) for name in names)
        lines.append(f"  {each.label}: {shown or '(vacant)'}")

    nudges = active(record, now)
    if nudges:
        lines.append("Needs attention:")
        lines.extend(f"  - {inert(n.message)}" for n in nudges)
    return "\n".join(lines) + "\n"
