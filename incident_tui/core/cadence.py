"""When each audience's next update is due: pure functions over (record, now, config).

While the incident is active, an audience's next update is due one cadence after the latest
of: its last update, the declaration, and the last severity change (a raise restarts the
clock rather than making every audience hours late at once). An audience that has never been
told at SEV-1 is held to the rubric's first-update targets (executives within 15 minutes,
customers within 30) when those are sooner than the cadence.

Once resolved, each audience that got updates during the incident is owed one final update;
after that, and for every audience once closed, the countdowns stop.

A snooze is a ``system`` event with ``data["cadence"] == "snooze"``; it moves that audience's
due time to its ``until`` and lasts until the next update. Struck events count for nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from incident_tui.core import rules
from incident_tui.core.clock import from_iso, to_iso
from incident_tui.core.config import AUDIENCES, Config
from incident_tui.core.facts import SNOOZE_MARK, facts_of
from incident_tui.core.models import (
    Audience,
    IncidentRecord,
    Severity,
    Status,
    TimelineEvent,
    timeline_key,
)
from incident_tui.core.timeparse import format_duration

AUDIENCE_LABELS: dict[str, str] = {audience: audience.label for audience in Audience}
"""How each audience is named on screen (see :attr:`Audience.label`)."""


FIRST_UPDATE_WITHIN: dict[Severity, dict[str, timedelta]] = {
    Severity.SEV1: {"stakeholders": timedelta(minutes=15), "external": timedelta(minutes=30)},
}
"""The rubric's first-update targets: at SEV-1 executives within 15 min, customers within 30."""


def counted_events(record: IncidentRecord) -> list[TimelineEvent]:
    """The events that count for milestones and nudges: struck ones and the corrections
    themselves (amend and strike rows) are left out."""
    struck = rules.struck_ids(record)
    return [e for e in record.events if e.id not in struck and not rules.is_correction(e)]


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
    final: bool = False
    """True when the update owed is the final one after resolution."""

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
    def lateness(self) -> timedelta:
        """How late the update is (zero when it is not due yet)."""
        if self.due_at is None or self.now < self.due_at:
            return timedelta(0)
        return self.now - self.due_at

    @property
    def label(self) -> str:
        """The audience's name on screen."""
        return AUDIENCE_LABELS[self.audience]

    def short(self) -> str:
        """A compact countdown for the header: ``ext 12m``, ``int LATE 3m``, ``stk --``."""
        tag = Audience(self.audience).tag
        if self.final:
            tag += " final"
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


def is_update(event: TimelineEvent) -> bool:
    """True for a timeline row that records an update to one of the audiences (the one
    definition is :func:`rules.update_audience`; struck rows are filtered before this)."""
    return rules.update_audience(event) is not None


@dataclass(frozen=True)
class CommsHistory:
    """What the countdowns need from the timeline, gathered in one pass."""

    updates: dict[str, list[datetime]]
    """When each audience got its first and its last update that counts (one moment if
    they are the same): the ends are all the countdowns ask."""
    snoozes: dict[str, tuple[datetime, datetime]]
    """The latest snooze per audience: (when it was set, until when)."""
    severity_since: datetime
    """When the current severity was set (the declaration if it never changed)."""

    def last(self, audience: str) -> datetime | None:
        """The latest update to ``audience``, or None."""
        times = self.updates.get(audience)
        return times[-1] if times else None  # oldest first: the tick asks, no scan


_cached: tuple[IncidentRecord, CommsHistory] | None = None


def comms_history(record: IncidentRecord) -> CommsHistory:
    """Updates, snoozes and the last severity change, from the events that count.

    The last record's history is kept: the header and the attention strip ask every second,
    and a record is immutable, so the same object always has the same history.
    """
    global _cached
    if _cached is not None and _cached[0] is record:
        return _cached[1]
    history = _scan(record)
    _cached = (record, history)
    return history


def _scan(record: IncidentRecord) -> CommsHistory:
    """From the record's running facts: no pass over the events (see :mod:`core.facts`)."""
    facts = facts_of(record)
    updates = {  # kept by the facts as updates arrive: no pass over them per write
        audience: [first] if first == last else [first, last]
        for audience, (first, last) in facts.update_spans().items()
        if audience in AUDIENCES
    }
    declared = record.incident.declared_at
    severity_at = max(facts.severity_since(declared), declared)
    found: dict[str, tuple[datetime, datetime]] = {}
    for audience, rows in facts.snoozes.items():
        if audience not in AUDIENCES:
            continue
        for row in sorted(facts.counted(rows), key=timeline_key):  # the latest wins
            try:
                until = from_iso(str(row.data["until"]))
            except (KeyError, ValueError):
                continue  # a damaged snooze row is ignored, never fatal
            found[audience] = (row.occurred_at, until)
    return CommsHistory(updates, found, severity_at)


def last_update_times(record: IncidentRecord) -> dict[str, datetime]:
    """When each audience last got an update (struck updates do not count)."""
    history = comms_history(record)
    return {audience: times[-1] for audience, times in history.updates.items() if times}


def snoozes(record: IncidentRecord) -> dict[str, tuple[datetime, datetime]]:
    """The latest snooze per audience: (when it was set, until when)."""
    return comms_history(record).snoozes


def countdown(
    record: IncidentRecord,
    audience: str,
    now: datetime,
    config: Config,
    history: CommsHistory | None = None,
) -> Countdown:
    """One audience's countdown at ``now``."""
    incident = record.incident
    history = history or comms_history(record)
    interval = config.interval(incident.severity, audience)
    last = history.last(audience)
    if incident.status is Status.RESOLVED and incident.resolved_at is not None:
        return _final_countdown(record, audience, now, config, history)
    if not incident.status.is_active or interval is None:
        return Countdown(audience, interval, last, None, None, now)
    start = max(incident.declared_at, history.severity_since, last or incident.declared_at)
    step = interval
    first_within = FIRST_UPDATE_WITHIN.get(incident.severity, {}).get(audience)
    if last is None and first_within is not None:
        step = min(step, first_within)
    due = start + step
    snoozed_until = None
    snooze = history.snoozes.get(audience)
    if snooze is not None:
        set_at, until = snooze
        if (last is None or set_at >= last) and until > due:
            due, snoozed_until = until, until
    return Countdown(audience, interval, last, due, snoozed_until, now)


def _final_countdown(
    record: IncidentRecord, audience: str, now: datetime, config: Config, history: CommsHistory
) -> Countdown:
    """After resolution: one final update to each audience that was told anything."""
    resolved_at = record.incident.resolved_at
    assert resolved_at is not None
    interval = config.interval(record.incident.severity, audience)
    times = history.updates.get(audience, [])  # oldest first: the ends answer
    last = times[-1] if times else None
    told_before = bool(times) and times[0] < resolved_at
    told_after = bool(times) and times[-1] >= resolved_at
    if not told_before or told_after:
        return Countdown(audience, interval, last, None, None, now, final=True)
    due = resolved_at + (interval or timedelta(minutes=config.as_needed_minutes))
    return Countdown(audience, interval, last, due, None, now, final=True)


def countdowns(record: IncidentRecord, now: datetime, config: Config) -> list[Countdown]:
    """Every audience's countdown, internal first; the timeline is scanned once for all."""
    history = comms_history(record)
    return [countdown(record, audience, now, config, history) for audience in AUDIENCES]


def suggested_audience(record: IncidentRecord, now: datetime, config: Config) -> str:
    """The audience the composer should open on: the most overdue, else the one due first
    (internal when nothing has a countdown)."""
    running = [item for item in countdowns(record, now, config) if item.due_at is not None]
    if not running:
        return "internal"
    return min(running, key=lambda item: (item.due_at, AUDIENCES.index(item.audience))).audience


def updates_due(record: IncidentRecord, now: datetime, config: Config) -> list[dict[str, Any]]:
    """The computed update state for scripts: audience, due_at (ISO or None), overdue."""
    return [
        {
            "audience": item.audience,
            "due_at": to_iso(item.due_at) if item.due_at else None,
            "overdue": item.overdue,
            "final": item.final,
        }
        for item in countdowns(record, now, config)
    ]


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
    """True while updates are owed on the cadence: the incident is open and not resolved."""
    return record.incident.status.is_active
