"""Reading the times a scribe types: ISO-8601, or ``HH:MM`` meaning the latest such moment."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from incident_tui.core.errors import InvalidInputError

_CLOCK_TIME = re.compile(r"(?P<h>[0-9]{1,2}):(?P<m>[0-9]{2})(?::(?P<s>[0-9]{2}))?\Z")

YEARS = (2000, 2100)
"""A typed time must fall in these years (inclusive): a stray ``0001`` or ``9999`` would make
every later offset and time-zone conversion overflow."""
MAX_DURATION = timedelta(days=30)


def parse_time(text: str, now: datetime) -> datetime:
    """Parse a user's time into aware UTC.

    ``HH:MM`` and ``HH:MM:SS`` are local wall-clock times meaning the most recent such moment
    at or before ``now`` (``23:50`` typed at 00:10 means yesterday). ISO-8601 without an offset
    is local time too.
    """
    raw = text.strip()
    if not raw:
        raise InvalidInputError("empty time; use HH:MM, HH:MM:SS or ISO-8601")
    local_now = now.astimezone()
    match = _CLOCK_TIME.match(raw)
    if match:
        hour, minute = int(match["h"]), int(match["m"])
        second = int(match["s"] or 0)
        if hour > 23 or minute > 59 or second > 59:
            raise InvalidInputError(f"not a time of day: {text!r}")
        candidate = local_now.replace(hour=hour, minute=minute, second=second, microsecond=0)
        if candidate > local_now:
            candidate = _local_day_before(candidate)
        return candidate.astimezone(UTC)
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
        moment = moment.astimezone()  # naive means local wall-clock time
    return moment.astimezone(UTC)


def parse_due(text: str, now: datetime) -> datetime:
    """A due time: like :func:`parse_time`, except that a bare ``HH:MM`` means the *next*
    such moment, and ``+2h`` (any duration after ``+``) means that long from now."""
    raw = text.strip()
    if raw.startswith("+"):
        return now + parse_duration(raw[1:])
    moment = parse_time(raw, now)
    if ":" in raw and "-" not in raw and moment <= now:
        moment += timedelta(days=1)
    return moment


def _local_day_before(moment: datetime) -> datetime:
    """The same wall-clock time one calendar day earlier, in the right UTC offset."""
    naive = moment.replace(tzinfo=None) - timedelta(days=1)
    return naive.astimezone()


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
    """An offset from detection as people write it in an AAR: ``T+12m``, ``T+1h05m``, ``T-3m``."""
    total = int(delta.total_seconds())
    sign = "+" if total >= 0 else "-"
    total = abs(total)
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"T{sign}{hours}h{minutes:02d}m"
    if minutes:
        return f"T{sign}{minutes}m"
    return f"T{sign}{seconds}s"


def format_duration(delta: timedelta) -> str:
    """A human duration: ``42m``, ``2h 05m``, ``1d 3h``, ``35s``."""
    total = max(0, int(delta.total_seconds()))
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    if days:
        return f"{days}d {hours}h"
    if hours:
        return f"{hours}h {minutes:02d}m"
    if minutes:
        return f"{minutes}m"
    return f"{seconds}s"
