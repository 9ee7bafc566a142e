"""What needs the IC's attention: every nudge, including those that need the user's settings.

:mod:`incident_tui.core.nudges` holds the rules that need only the record and the clock, and
:mod:`incident_tui.core.attention` what a nudge is. The rules here also read the config: an
overdue update to any audience (from the cadence, with urgency rising as it gets later), the
IC on duty too long (plan a handoff), and the IC doing hands-on work (also holding the
operations lead or an SME role). The attention strip, ``incident-tui nudges``, ``show``'s
``attention:`` lines and ``show --json`` all read :func:`active` here, so they always agree.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from incident_tui.core.attention import Act, Nudge, NudgeAction, Urgency
from incident_tui.core.cadence import AUDIENCE_LABELS, countdowns
from incident_tui.core.clock import to_iso
from incident_tui.core.config import Config
from incident_tui.core.models import Audience, IncidentRecord, Role, Status
from incident_tui.core.nudges import dismissal, dismissed, evaluate

__all__ = ["Nudge", "Urgency", "active", "attention_json", "attention_lines", "dismissal"]
from incident_tui.core.timeparse import format_duration

VERY_LATE = timedelta(minutes=10)
"""An update this late is urgent ("now"); less late, it is "soon"."""

ConfigRule = Callable[[IncidentRecord, datetime, Config], list[Nudge]]


def _clock(moment: datetime) -> str:
    return moment.astimezone().strftime("%H:%M")


def overdue_updates(record: IncidentRecord, now: datetime, config: Config) -> list[Nudge]:
    """One nudge per audience whose update is late, the later the more urgent."""
    found = []
    for item in countdowns(record, now, config):
        if not item.overdue or item.due_at is None:
            continue
        late = item.lateness
        label = AUDIENCE_LABELS[item.audience]
        if item.final:
            message = f"Final {label.lower()} update after resolution"
        elif item.last_update is None:
            message = f"{label} not told yet,"
        else:
            message = f"{label} update"
        message += f" overdue by {format_duration(late)} (due {_clock(item.due_at)})"
        found.append(
            Nudge(
                f"update-overdue:{item.audience}",
                Urgency.NOW if late >= VERY_LATE else Urgency.SOON,
                message,
                f"Send the {label.lower()} update",
                NudgeAction(Act.COMMS, audience=Audience(item.audience)),
                item.due_at,
            )
        )
    return found


def _took_role(record: IncidentRecord, role: Role, name: str) -> datetime | None:
    """When ``name`` last took ``role`` (None if they do not hold it)."""
    moment = None
    for entry in record.roles:
        if entry.role is role and entry.name == name:
            moment = None if entry.released else entry.assigned_at
    return moment


def ic_fatigue(record: IncidentRecord, now: datetime, config: Config) -> list[Nudge]:
    """The same incident commander for longer than the configured span: plan a handoff."""
    ic = record.holder(Role.IC)
    if ic is None or not record.incident.status.is_active:
        return []
    since = _took_role(record, Role.IC, ic)
    span = timedelta(hours=config.ic_fatigue_hours)
    if since is None or now - since < span:
        return []
    return [
        Nudge(
            "ic-fatigue",
            Urgency.SOON,
            f"{ic} has been incident commander for {format_duration(now - since)}",
            "Plan an IC handoff: brief the next IC and hand over",
            NudgeAction(Act.ROLE, role=Role.IC),
            since + span,
        )
    ]


def ic_hands_on(record: IncidentRecord, now: datetime, config: Config) -> list[Nudge]:
    """The IC also holds the operations lead or an SME role: debugging is not the IC's job."""
    ic = record.holder(Role.IC)
    if ic is None or not record.incident.status.is_active:
        return []
    holders = record.current_roles()
    also = [role for role in (Role.OPS, Role.SME) if ic in holders[role]]
    if not also:
        return []
    taken = [_took_role(record, role, ic) for role in (Role.IC, *also)]
    since = max(moment for moment in taken if moment is not None)
    names = " and ".join(role.label.lower() for role in also)
    return [
        Nudge(
            "ic-hands-on",
            Urgency.ADVICE,
            f"{ic} is incident commander and also {names}: the IC should lead, not debug",
            f"Give the {also[0].label.lower()} role to someone else",
            NudgeAction(Act.ROLE, role=also[0]),
            since,
        )
    ]


CONFIG_RULES: tuple[ConfigRule, ...] = (overdue_updates, ic_fatigue, ic_hands_on)
"""The rules that read the config, in the order ties are shown."""


def evaluate_all(record: IncidentRecord, now: datetime, config: Config) -> list[Nudge]:
    """Every nudge that applies now, dismissed or not, most urgent first."""
    if record.incident.status is Status.CLOSED:
        return []
    found = [*evaluate(record, now)]
    for rule in CONFIG_RULES:
        found.extend(rule(record, now, config))
    return sorted(found, key=lambda n: n.urgency)  # stable: rule order breaks ties


def active(record: IncidentRecord, now: datetime, config: Config | None = None) -> list[Nudge]:
    """The nudges to show: those that apply and were not dismissed this episode."""
    chosen = config or Config()
    return [n for n in evaluate_all(record, now, chosen) if not dismissed(record, n)]


def attention_lines(
    record: IncidentRecord, now: datetime, config: Config | None = None
) -> list[str]:
    """``attention: ...`` lines for ``incident-tui show``, one per active nudge."""
    return [
        f"attention: [{n.urgency.label}] {n.message} -> {n.suggestion}"
        for n in active(record, now, config)
    ]


def attention_json(
    record: IncidentRecord, now: datetime, config: Config | None = None
) -> list[dict[str, Any]]:
    """The active nudges for scripts: rule id, urgency, text, suggested action, since."""
    return [
        {
            "rule": n.key,
            "urgency": n.urgency.label,
            "text": n.message,
            "action": n.suggestion,
            "act": str(n.act),
            "since": to_iso(n.since),
        }
        for n in active(record, now, config)
    ]
