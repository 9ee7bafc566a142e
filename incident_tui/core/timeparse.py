"""Reading the times a scribe types: ISO-8601, or ``HH:MM`` meaning the latest such moment.

Local time is the zone database's idea of it (``$TZ``, else ``/etc/localtime``), so a wall-clock
time typed on the day of a DST change lands on the right instant: a time that happens twice
(the hour repeated in autumn) means the later one that has already happened, and a time that
never happens (the hour skipped in spring) is read with the offset in force before the change,
as a clock that was not moved forward would show it.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from incident_tui.core.errors import InvalidInputError

_CLOCK_TIME = re.compile(r"(?P<h>[0-9]{1,2}):(?P<m>[0-9]{2})(?::(?P<s>[0-9]{2}))?\Z")

YEARS = (2000, 2100)
"""A typed time must fall in these years (inclusive): a stray ``0001`` or ``9999`` would make
every later offset and time-zone conversion overflow."""
MAX_DURATION = timedelta(days=30)


def local_zone() -> tzinfo:
    """The machine's local zone as a zone-database zone, with its DST rules.

    ``$TZ`` (a zone name or a path to a zone file) wins, then ``/etc/localtime``; when neither
    can be read, the fixed offset in force now is the best that is left.
    """
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError  # here: only typed times need it

    name = os.environ.get("TZ", "").lstrip(":")
    try:
        if name and os.path.isabs(name):
            with open(name, "rb") as handle:
                return ZoneInfo.from_file(handle, key=name)
        if name:
            return ZoneInfo(name)
        with open("/etc/localtime", "rb") as handle:
            return ZoneInfo.from_file(handle, key="localtime")
    except (OSError, ValueError, ZoneInfoNotFoundError):
        fallback = datetime.now().astimezone().tzinfo
        return fallback if fallback is not None else UTC


def wall_clock_moments(day: date, clock: time, zone: tzinfo) -> list[datetime]:
    """Every instant (aware, UTC) at which ``zone``'s clocks show ``clock`` on ``day``, latest
    first: two in a repeated hour, one otherwise (a skipped time reads with the old offset)."""
    naive = datetime.combine(day, clock)
    found: set[datetime] = set()
    for fold in (0, 1):
        candidate = naive.replace(tzinfo=zone, fold=fold)
        instant = candidate.astimezone(UTC)
        if instant.astimezone(zone).replace(tzinfo=None) == naive:
            found.add(instant)
    if not found:  # in the gap: the offset before the change (fold=0, PEP 495)
        found.add(naive.replace(tzinfo=zone, fold=0).astimezone(UTC))
    return sorted(found, reverse=True)


def parse_time(text: str, now: datetime, zone: tzinfo | None = None) -> datetime:
    """Parse a user's time into aware UTC: ``HH:MM[:SS]``, ``-5m`` (ago), ``now`` or ISO-8601.

    ``HH:MM`` and ``HH:MM:SS`` are wall-clock times in ``zone`` (default: local time) meaning
    the most recent such moment at or before ``now`` (``23:50`` typed at 00:10 means
    yesterday). ISO-8601 without an offset is in ``zone`` too.
    """
    raw = text.strip()
    if not raw:
        raise InvalidInputError("empty time; use HH:MM, HH:MM:SS or ISO-8601")
    if raw.lower() == "now":
        return now.astimezone(UTC)
    if raw.startswith("-") and raw[1:2].isdigit():
        return (now - parse_duration(raw[1:])).astimezone(UTC)  # "-5m": five minutes ago
    zone = zone or local_zone()
    match = _CLOCK_TIME.match(raw)
    if match:
        hour, minute = int(match["h"]), int(match["m"])
        second = int(match["s"] or 0)
        if hour > 23 or minute > 59 or second > 59:
            raise InvalidInputError(f"not a time of day: {text!r}")
        return most_recent(time(hour, minute, second), now, zone)
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00") if raw.endswith("Z") else raw)
    except ValueError:
        raise InvalidInputError(
            f"cannot read time {text!r}; use HH:MM, HH:MM:SS or ISO-8601 (2026-11-28T14:05)"
        ) from None
    low, high = YEARS
    if not low <= moment.year <= high:
        raise InvalidInputError(f"time {text!r} is out of range (before {low} or after {high})")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)  # naive means local wall-clock time
    return moment.astimezone(UTC)


def parse_due(text: str, now: datetime) -> datetime:
    """A due time: like :func:`parse_time`, except that a bare ``HH:MM`` means the *next*
    such moment (DST included), and ``+2h`` (any duration after ``+``) means that long from
    now."""
    raw = text.strip()
    if raw.startswith("+"):
        return now + parse_duration(raw[1:])
    match = _CLOCK_TIME.match(raw)
    if match:
        moment = parse_time(raw, now)  # validates the clock time
        if moment > now:
            return moment
        return next_after(moment.astimezone(local_zone()).timetz().replace(tzinfo=None), now)
    return parse_time(raw, now)


def most_recent(clock: time, now: datetime, zone: tzinfo) -> datetime:
    """The latest instant at or before ``now`` when ``zone``'s clocks showed ``clock``."""
    today = now.astimezone(zone).date()
    for back in range(3):  # today, yesterday; a third day only if a zone skipped a whole day
        for instant in wall_clock_moments(today - timedelta(days=back), clock, zone):
            if instant <= now:
                return instant
    raise InvalidInputError(f"no recent {clock.isoformat()} in the local zone")


def next_after(clock: time, now: datetime, zone: tzinfo | None = None) -> datetime:
    """The earliest instant after ``now`` when the local clocks will show ``clock``."""
    zone = zone or local_zone()
    today = now.astimezone(zone).date()
    for ahead in range(3):
        for instant in sorted(wall_clock_moments(today + timedelta(days=ahead), clock, zone)):
            if instant > now:
                return instant
    raise InvalidInputError(f"no coming {clock.isoformat()} in the local zone")


def parse_duration(text: str) -> timedelta:
    """``90s``, ``15m``, ``2h``, ``1h30m`` or a bare number of minutes."""
    raw = text.strip().lower().replace(" ", "")
    if re.fullmatch(r"[0-9]{1,6}", raw):
        duration = timedelta(minutes=int(raw))
    else:
        match = re.fullmatch(r"(?:([0-9]{1,6})h)?(?:([0-9]{1,6})m)?(?:([0-9]{1,7})s)?", raw)
        if not raw or not match or not any(match.groups()):
            raise InvalidInputError(f"cannot read duration {text!r}; use e.g. 15m, 1h, 1h30m")
        hours, minutes, seconds = (int(g or 0) for g in match.groups())
        duration = timedelta(hours=hours, minutes=minutes, seconds=seconds)
    if duration > MAX_DURATION:
        raise InvalidInputError(f"duration {text!r} is too long; at most {MAX_DURATION.days} days")
    return duration


def format_offset(delta: timedelta) -> str:
    """An offset from detection as people write it in an AAR, to the minute: ``T+0m``,
    ``T+12m``, ``T+1h05m``, ``T+24h12m``, ``T-3m``. One format everywhere."""
    total = int(delta.total_seconds())
    sign = "+" if total >= 0 else "-"
    hours, minutes = divmod(abs(total) // 60, 60)
    if hours:
        return f"T{sign}{hours}h{minutes:02d}m"
    return f"T{sign}{minutes}m"


def format_duration(delta: timedelta) -> str:
    """A human duration to the minute: ``42m``, ``2h 05m``, ``24h 12m``; ``35s`` under a minute.

    Hours are never folded into days: an AAR compares "24h 12m" with "26h 40m" at a glance.
    """
    total = max(0, int(delta.total_seconds()))
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours}h {minutes:02d}m"
    if minutes:
        return f"{minutes}m"
    return f"{seconds}s"
