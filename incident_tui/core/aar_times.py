"""Times in the AAR export: one zone, named; dates on every row once the incident crosses
midnight; one ``T+`` format; durations to the minute."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo

from incident_tui.core.models import IncidentRecord
from incident_tui.core.timeparse import format_duration, format_offset, local_zone


def zone_name(tz: tzinfo, sample: datetime) -> str:
    """``UTC``, or ``America/New_York (EST, UTC-05:00)``: the zone a reader must know."""
    if tz is UTC:
        return "UTC"
    local = sample.astimezone(tz)
    key = getattr(tz, "key", None)
    abbrev = local.strftime("%Z")
    offset = local.strftime("%z")
    offset_text = f"UTC{offset[:3]}:{offset[3:]}" if offset else ""
    parts = [p for p in (abbrev if abbrev and abbrev != key else "", offset_text) if p]
    name = key if key and key != "localtime" else (abbrev or "local time")
    return f"{name} ({', '.join(parts)})" if parts and name != abbrev else name


class AarTimes:
    """Stamps and offsets from detection, in one zone, for one incident."""

    def __init__(self, record: IncidentRecord, now: datetime, tz: tzinfo | None) -> None:
        self.detected_at = record.incident.detected_at
        self.tz = tz or local_zone()
        self.day = self.local(self.detected_at).date()
        moments = [e.occurred_at for e in record.events]
        moments += [m for m in (record.incident.resolved_at, record.incident.closed_at) if m]
        if record.incident.resolved_at is None:
            moments.append(now)
        self.last_day = self.day
        if moments:
            # The last local day, converting only the moments within two days of the latest:
            # any UTC offset is under 24 hours either way, so an earlier moment's local time
            # is more than a day before the latest's and cannot fall on a later date.
            cutoff = max(moments) - timedelta(days=2)
            self.last_day = max(self.local(m).date() for m in moments if m >= cutoff)
        self.multi_day = self.last_day != self.day
        """True when the incident crosses midnight: every stamp then carries its date."""
        self._stamps: dict[tuple[int, int, int, int, int], str] = {}
        self._offsets: dict[int, str] = {}

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.tz)

    def stamp(self, moment: datetime) -> str:
        """``14:05``, or ``2026-11-29 00:10`` on every row of an incident crossing midnight."""
        local = moment.astimezone(self.tz)
        # The stamp shows only the local date, hour and minute: one per local minute, made
        # once (a large export has many rows a minute).
        key = (local.year, local.month, local.day, local.hour, local.minute)
        text = self._stamps.get(key)
        if text is None:
            text = f"{local.hour:02d}:{local.minute:02d}"  # strftime, but a fifth of the cost
            if self.multi_day:
                text = f"{local.year}-{local.month:02d}-{local.day:02d} {text}"
            self._stamps[key] = text
        return text

    def full(self, moment: datetime) -> str:
        """Always with the date: ``2026-11-28 14:05``."""
        return self.local(moment).strftime("%Y-%m-%d %H:%M")

    def offset(self, moment: datetime) -> str:
        delta = moment - self.detected_at
        total = int(delta.total_seconds())  # as format_offset truncates it
        # format_offset reads only the sign and the whole minutes of ``total``: one text per
        # minute on each side of detection (``~`` keeps the minutes before it apart).
        key = total // 60 if total >= 0 else ~(-total // 60)
        text = self._offsets.get(key)
        if text is None:
            text = self._offsets[key] = format_offset(delta)
        return text

    def at(self, moment: datetime) -> str:
        """``14:05 (T+10m)``."""
        return f"{self.stamp(moment)} ({self.offset(moment)})"

    def dates(self) -> str:
        """``2026-11-28``, or ``2026-11-28 to 2026-11-29``."""
        if self.multi_day:
            return f"{self.day.isoformat()} to {self.last_day.isoformat()}"
        return self.day.isoformat()

    def zone(self) -> str:
        return zone_name(self.tz, self.detected_at)


def span(start: datetime, end: datetime | None, now: datetime) -> str:
    """A duration to the minute, or how long it has been when not reached yet."""
    if end is None:
        return f"not reached ({format_duration(now - start)} since detection)"
    return format_duration(max(end - start, timedelta(0)))


def day_or_moment(local: datetime) -> str:
    """A due date typed as a bare day shows as one, not as ``00:00`` on it."""
    if (local.hour, local.minute, local.second) == (0, 0, 0):
        return local.strftime("%Y-%m-%d")
    return local.strftime("%Y-%m-%d %H:%M")
