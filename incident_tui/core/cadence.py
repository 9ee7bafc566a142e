"""When each audience's next update is due: pure functions over (record, now, config).

The last update per audience is the latest ``comms`` event whose ``data["audience"]`` names
it. A snooze is a ``system`` event with ``data["cadence"] == "snooze"``; it moves that
audience's due time to its ``until`` and lasts until the next update. Countdowns run while the
incident is open and not yet resolved; the interval always follows the *current* severity, so
a severity change recomputes every countdown at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from incident_tui.core import rules
from incident_tui.core.clock import from_iso, to_iso
from incident_tui.core.config import AUDIENCES, Config
from incident_tui.core.models import Audience, EventKind, IncidentRecord, Severity, TimelineEvent
from incident_tui.core.timeparse import format_duration

AUDIENCE_LABELS: dict[str, str] = {audience: audience.label for audience in Audience}
"""How each audience is named on screen (see :attr:`Audience.label`)."""

SNOOZE_MARK = "snooze"


@dataclass(frozen=True)
class Countdown:
    """One audience's update clock at a moment."""

    audience: str
    interval: timedelta | None
    """None: this severity has no cadence for the audience (no countdown)."""
    last_update: datetime | None
    due_at: datetime | None
    snoozed_until: datetime | None
    now: datetime

    @property
    def active(self) -> bool:
        """True when there is a countdown to show."""
        return self.due_at is not None

    @property
    def remaining(self) -> timedelta | None:
        """Time left before the update is due (negative when overdue)."""
        return None if self.due_at is None else self.due_at - self.now

    @property
    def overdue(self) -> bool:
        """The update is late: the due time has passed."""
        return self.due_at is not None and self.now >= self.due_at

    @property
    def label(self) -> str:
        """The audience's name on screen."""
        return AUDIENCE_LABELS[self.audience]

    def short(self) -> str:
        """A compact countdown for the header: ``ext 12m``, ``int -3m LATE``, ``stk --``."""
        tag = Audience(self.audience).tag
        remaining = self.remaining
        if remaining is None:
            return f"{tag} --"
        if remaining.total_seconds() <= 0:
            return f"{tag} LATE {format_duration(-remaining)}"
        text = f"{tag} {_countdown_text(remaining)}"
        return text + " (snoozed)" if self.snoozed_until else text

    @property
    def overdue_key(self) -> str | None:
        """Identifies one overdue period, so a reminder is raised once per period."""
        if not self.overdue or self.due_at is None:
            return None
        return f"{self.audience}@{to_iso(self.due_at)}"


def _countdown_text(remaining: timedelta) -> str:
    total = int(remaining.total_seconds())
    minutes, seconds = divmod(total, 60)
    if minutes >= 60:
        return format_duration(remaining)
    return f"{minutes}:{seconds:02d}"


def last_update_times(record: IncidentRecord) -> dict[str, datetime]:
    """When each audience last got an update (see :func:`rules.last_updates`)."""
    return {audience: event.occurred_at for audience, event in rules.last_updates(record).items()}


def snoozes(record: IncidentRecord) -> dict[str, tuple[datetime, datetime]]:
    """The latest snooze per audience: (when it was set, until when)."""
    found: dict[str, tuple[datetime, datetime]] = {}
    struck = rules.struck_ids(record)
    for event in record.events_of(EventKind.SYSTEM):
        if event.data.get("cadence") != SNOOZE_MARK or event.id in struck:
            continue
        audience = event.data.get("audience")
        try:
            until = from_iso(str(event.data["until"]))
        except (KeyError, ValueError):
            continue  # a damaged snooze row is ignored, never fatal
        if audience in AUDIENCES:
            found[audience] = (event.occurred_at, until)
    return found


def countdown(
    record: IncidentRecord,
    audience: str,
    now: datetime,
    config: Config,
    _history: tuple[dict[str, datetime], dict[str, tuple[datetime, datetime]]] | None = None,
) -> Countdown:
    """One audience's countdown at ``now``."""
    incident = record.incident
    interval = config.interval(incident.severity, audience)
    updates, snoozed = _history or (last_update_times(record), snoozes(record))
    last = updates.get(audience)
    if not incident.status.is_active or interval is None:
        return Countdown(audience, interval, last, None, None, now)
    if last is not None:
        due = last + interval
    elif audience == "external" and incident.severity <= Severity.SEV2:
        due = incident.declared_at  # SEV-1/2: the status page says something at once
    else:
        due = incident.declared_at + interval
    snoozed_until = None
    snooze = snoozed.get(audience)
    if snooze is not None:
        set_at, until = snooze
        if (last is None or set_at >= last) and until > due:
            due, snoozed_until = until, until
    return Countdown(audience, interval, last, due, snoozed_until, now)


def countdowns(record: IncidentRecord, now: datetime, config: Config) -> list[Countdown]:
    """Every audience's countdown, internal first; the timeline is scanned once for all."""
    history = (last_update_times(record), snoozes(record))
    return [countdown(record, audience, now, config, history) for audience in AUDIENCES]


def next_update_at(
    record: IncidentRecord, audience: str, now: datetime, config: Config
) -> datetime:
    """The "next update by" to promise in an update posted now."""
    interval = config.interval(record.incident.severity, audience)
    return now + (interval or timedelta(minutes=config.as_needed_minutes))


def snooze_data(audience: str, until: datetime, minutes: int) -> dict[str, Any]:
    """The ``data`` of the system event that records a snooze."""
    return {
        "cadence": SNOOZE_MARK,
        "audience": audience,
        "until": to_iso(until),
        "minutes": minutes,
    }


def snooze_text(audience: str, minutes: int, until: datetime) -> str:
    """The timeline line for a snooze."""
    local = until.astimezone().strftime("%H:%M")
    return f"{Audience(audience).label} update snoozed {minutes}m (until {local})"


def describe_cadence(severity: Severity, config: Config) -> str:
    """One line naming the cadence of a severity, for the notice after a severity change."""
    parts = []
    for audience in AUDIENCES:
        interval = config.interval(severity, audience)
        every = f"every {format_duration(interval)}" if interval else "as needed"
        parts.append(f"{AUDIENCE_LABELS[audience].lower()} {every}")
    return f"{severity.label} cadence: " + ", ".join(parts)


def is_active(record: IncidentRecord) -> bool:
    """True while updates are owed: the incident is open and not yet resolved."""
    return record.incident.status.is_active


def is_snooze(event: TimelineEvent) -> bool:
    """True for the system events that record a snooze."""
    return event.kind is EventKind.SYSTEM and event.data.get("cadence") == SNOOZE_MARK
