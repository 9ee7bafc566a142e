"""Nudges: the playbook's failure patterns turned into pure rules over (record, now).

Each rule looks at an :class:`IncidentRecord` and the clock's ``now`` and returns the nudges
that apply. A nudge carries ``since``, the moment its current episode began. Dismissal is a
timeline event with data ``{"nudge": key, "dismissed": True}``; it hides the nudge only for
the episode it was made in: once the condition clears and later fires again (a new ``since``),
the nudge comes back. Dismissal events do not count as timeline activity, so dismissing the
"long silence" nudge does not itself break the silence.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from incident_tui.core.attention import Act as Act
from incident_tui.core.attention import Nudge as Nudge
from incident_tui.core.attention import NudgeAction as NudgeAction
from incident_tui.core.attention import Urgency as Urgency
from incident_tui.core.facts import facts_of
from incident_tui.core.models import (
    Audience,
    IncidentRecord,
    Role,
    Severity,
    Status,
)
from incident_tui.core.playbook import unticked
from incident_tui.core.rubric import level

SILENCE = timedelta(minutes=10)
SEV4_ACK = timedelta(hours=24)
"""SEV-4's "next business day" ack target, taken as a flat 24 hours."""
IC_WITHIN = {Severity.SEV1: timedelta(minutes=10)}
CORE_ROLES = (Role.IC, Role.COMMS, Role.OPS)

Rule = Callable[[IncidentRecord, datetime], list[Nudge]]


# -- helpers ---------------------------------------------------------------------------------


def dismissal(nudge: Nudge) -> tuple[str, dict[str, Any]]:
    """The timeline text and data that record dismissing ``nudge`` (log as SYSTEM)."""
    return f"Nudge dismissed: {nudge.message}", {"nudge": nudge.key, "dismissed": True}


def vacant_since(record: IncidentRecord, role: Role) -> datetime | None:
    """When a single-holder role last became empty, or None while someone holds it.

    A role never taken has been vacant since detection.
    """
    holder: str | None = None
    since = record.incident.detected_at
    for entry in record.roles:
        if entry.role is not role:
            continue
        if entry.released:
            if entry.name == holder:
                holder, since = None, entry.assigned_at
        else:
            holder = entry.name
    return None if holder else since


_AUDIENCE_VALUES = frozenset(audience.value for audience in Audience)


@dataclass(frozen=True)
class TimelineFacts:
    """What the rules need from the timeline, gathered in one pass over the events."""

    severity_since: datetime
    """When the current severity was set (declaration if never changed)."""
    told: frozenset[str]
    """Audiences that have had at least one update."""
    last_activity: datetime
    """When the timeline was last written to, ignoring nudge dismissals."""
    dismissed_at: dict[str, datetime]
    """The latest dismissal of each nudge key."""


_cached: tuple[IncidentRecord, TimelineFacts] | None = None


def timeline_facts(record: IncidentRecord) -> TimelineFacts:
    """The facts for ``record``; the last record's are kept, since the strip asks every second."""
    global _cached
    if _cached is not None and _cached[0] is record:
        return _cached[1]
    incident = record.incident
    folded = facts_of(record)
    severity_at = max(folded.severity_since(incident.declared_at), incident.declared_at)
    told = {audience for audience in folded.update_spans() if audience in _AUDIENCE_VALUES}
    last = max(incident.declared_at, folded.last_recorded or incident.declared_at)
    dismissed_at = dict(folded.dismissed_at)
    facts = TimelineFacts(severity_at, frozenset(told), last, dismissed_at)
    _cached = (record, facts)
    return facts


def severity_since(record: IncidentRecord) -> datetime:
    """When the incident's current severity was set (declaration if never changed)."""
    return timeline_facts(record).severity_since


def told(record: IncidentRecord, audience: str) -> bool:
    """True once any update went to ``audience`` (internal, stakeholders, external)."""
    return audience in timeline_facts(record).told


def last_activity(record: IncidentRecord) -> datetime:
    """When the timeline was last written to, ignoring nudge dismissals."""
    return timeline_facts(record).last_activity


def _past_deadline(record: IncidentRecord, within: timedelta, now: datetime) -> datetime | None:
    """The episode start if ``detected + within`` has passed, else None."""
    deadline = record.incident.detected_at + within
    if now < deadline:
        return None
    return max(deadline, severity_since(record))


# -- rules -----------------------------------------------------------------------------------


def no_ic(record: IncidentRecord, now: datetime) -> list[Nudge]:
    """Nobody is incident commander (superseded by :func:`ic_late` when that fires)."""
    since = vacant_since(record, Role.IC)
    if since is None or ic_late(record, now):
        return []
    return [
        Nudge(
            "no-ic",
            Urgency.SOON,
            "No incident commander: nobody owns the response",
            "Assign an IC",
            NudgeAction(Act.ROLE, role=Role.IC),
            since,
        )
    ]


def ic_late(record: IncidentRecord, now: datetime) -> list[Nudge]:
    """SEV-1 with no IC ten minutes after detection."""
    within = IC_WITHIN.get(record.incident.severity)
    vacant = vacant_since(record, Role.IC)
    if within is None or vacant is None:
        return []
    since = _past_deadline(record, within, now)
    if since is None:
        return []
    minutes = int(within.total_seconds() // 60)
    return [
        Nudge(
            "ic-late",
            Urgency.NOW,
            f"{record.incident.severity.label} without an IC {minutes} min after detection",
            "Assign an IC now",
            NudgeAction(Act.ROLE, role=Role.IC),
            max(since, vacant),
        )
    ]


def no_scribe(record: IncidentRecord, now: datetime) -> list[Nudge]:
    """Nobody is scribe, so the timeline is at risk."""
    since = vacant_since(record, Role.SCRIBE)
    if since is None:
        return []
    return [
        Nudge(
            "no-scribe",
            Urgency.ADVICE,
            "No scribe: the timeline and decisions may go unrecorded",
            "Assign a scribe",
            NudgeAction(Act.ROLE, role=Role.SCRIBE),
            since,
        )
    ]


def core_roles(record: IncidentRecord, now: datetime) -> list[Nudge]:
    """SEV-1/SEV-2 without all of IC, comms lead and operations lead."""
    if record.incident.severity > Severity.SEV2:
        return []
    missing = [(role, vacant_since(record, role)) for role in CORE_ROLES]
    empty = [(role, since) for role, since in missing if since is not None]
    if not empty:
        return []
    names = ", ".join(role.label.lower() for role, _ in empty)
    since = max([severity_since(record), *(s for _, s in empty if s is not None)])
    first = empty[0][0]
    return [
        Nudge(
            "core-roles",
            Urgency.SOON,
            f"{record.incident.severity.label} needs IC, comms and ops; missing: {names}",
            f"Assign the {first.label.lower()}",
            NudgeAction(Act.ROLE, role=first),
            since,
        )
    ]


def ack_late(record: IncidentRecord, now: datetime) -> list[Nudge]:
    """Not acknowledged within the severity's ack target."""
    incident = record.incident
    if incident.acknowledged_at is not None:
        return []
    target = level(incident.severity).ack_within or SEV4_ACK
    since = _past_deadline(record, target, now)
    if since is None:
        return []
    return [
        Nudge(
            "ack-late",
            Urgency.NOW if incident.severity <= Severity.SEV2 else Urgency.SOON,
            f"Not acknowledged; the {incident.severity.label} target is "
            f"{level(incident.severity).ack_target}",
            "Acknowledge the incident",
            NudgeAction(Act.ACK),
            since,
        )
    ]


def premature_all_clear(record: IncidentRecord, now: datetime) -> list[Nudge]:
    """Resolved without a verified mitigation, or with resolution criteria unticked."""
    incident = record.incident
    if incident.status is not Status.RESOLVED or incident.resolved_at is None:
        return []
    gaps: list[str] = []
    if incident.verified_at is None:
        gaps.append("mitigation not verified")
    open_criteria = unticked(incident)
    if open_criteria:
        gaps.append(f"{len(open_criteria)} resolution criteria unticked")
    if not gaps:
        return []
    return [
        Nudge(
            "premature-all-clear",
            Urgency.NOW,
            "Premature all-clear? Resolved with " + " and ".join(gaps),
            "Verify the mitigation" if incident.verified_at is None else "Tick the criteria",
            NudgeAction(Act.VERIFY if incident.verified_at is None else Act.CHECKLIST),
            incident.resolved_at,
        )
    ]


def long_silence(record: IncidentRecord, now: datetime) -> list[Nudge]:
    """An active SEV-1/SEV-2 with nothing written to the timeline for ten minutes."""
    incident = record.incident
    if incident.severity > Severity.SEV2 or not incident.status.is_active:
        return []
    last = last_activity(record)
    if now - last < SILENCE:
        return []
    minutes = int((now - last).total_seconds() // 60)
    return [
        Nudge(
            "silence",
            Urgency.SOON,
            f"Timeline silent for {minutes} min on an active {incident.severity.label}",
            "Log what is happening, even if nothing changed",
            NudgeAction(Act.NOTE),
            last + SILENCE,
        )
    ]


RULES: tuple[Rule, ...] = (
    ic_late,
    ack_late,
    premature_all_clear,
    no_ic,
    core_roles,
    long_silence,
    no_scribe,
)
"""Every rule, in the order ties are shown."""


def evaluate(record: IncidentRecord, now: datetime, rules: Iterable[Rule] = RULES) -> list[Nudge]:
    """Every nudge that applies now, dismissed or not.

    None once closed; once resolved, only the premature all-clear check still runs.
    """
    status = record.incident.status
    if status is Status.CLOSED:
        return []
    if not status.is_active:
        # Once resolved, only the all-clear itself is in question.
        rules = [rule for rule in rules if rule is premature_all_clear]
    found = [nudge for rule in rules for nudge in rule(record, now)]
    return sorted(found, key=lambda n: n.urgency)  # stable: rule order breaks ties


def dismissed(record: IncidentRecord, nudge: Nudge) -> bool:
    """True when ``nudge`` was dismissed during its current episode."""
    at = timeline_facts(record).dismissed_at.get(nudge.key)
    return at is not None and at >= nudge.since
