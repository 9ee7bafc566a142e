"""Operations that add to the timeline: log, amend, strike, record an update, snooze, dismiss."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from incident_tui.core import rules
from incident_tui.core.errors import InvalidInputError
from incident_tui.core.models import Audience, EventKind, TimelineEvent
from incident_tui.core.store import IncidentFile

if TYPE_CHECKING:
    from incident_tui.core.config import Config

_RESERVED = ("amends", "strikes", "milestone", "cadence", "nudge")
"""Data keys that carry meaning; only their own operation writes them."""


def log(
    incident: IncidentFile,
    text: str,
    kind: EventKind = EventKind.NOTE,
    at: datetime | None = None,
    author: str | None = None,
    data: dict[str, Any] | None = None,
) -> TimelineEvent:
    """Append a note (or another kind of row) to the timeline."""
    text = rules.require_text(text, "event text")
    extra = dict(data or {})
    reserved = [key for key in _RESERVED if key in extra]
    if reserved:
        raise InvalidInputError(f"{reserved[0]!r} is written by its own operation, not by log")
    if kind is EventKind.COMMS and "audience" in extra:
        raise InvalidInputError("an update to an audience is recorded with record_update")
    if author is not None and not author.strip():
        raise InvalidInputError("author must not be empty")
    with incident.write() as w:
        moment = rules.occurred_at(at, w.now)
        return w.add_event(kind, text, moment, extra, author.strip() if author else None)


def amend(
    incident: IncidentFile, event_ref: str, text: str, at: datetime | None = None
) -> TimelineEvent:
    """Correct an event's text: a new event that points at it; the original stays."""
    text = rules.require_text(text, "amended text")
    with incident.write() as w:
        moment = rules.occurred_at(at, w.now)
        record = w.record()
        original = rules.find_event(record, event_ref)
        rules.check_amendable(original, record)
        if text == rules.effective_text(original, rules.corrections(record)):
            raise InvalidInputError("the amended text is the same as the current text")
        return w.add_event(
            EventKind.SYSTEM,
            f"Amended: {text}",
            moment,
            {"amends": original.id, "text": text, "was": original.text},
        )


def strike(
    incident: IncidentFile, event_ref: str, why: str, at: datetime | None = None
) -> TimelineEvent:
    """Strike an event written in error: it stays, marked struck, and counts for nothing."""
    why = rules.require_text(why, "the reason for striking it")
    with incident.write() as w:
        moment = rules.occurred_at(at, w.now)
        record = w.record()
        original = rules.find_event(record, event_ref)
        rules.check_strikable(original, record)
        changes = rules.milestones_after_strike(record, original)
        if changes:
            w.put_header(w.header().with_changes(**changes))
        return w.add_event(
            EventKind.SYSTEM,
            f"Struck: {original.text} (why: {why})",
            moment,
            {"strikes": original.id, "why": why},
        )


def record_update(
    incident: IncidentFile,
    audience: Audience | str,
    text: str,
    at: datetime | None = None,
    summary: str | None = None,
    details: dict[str, Any] | None = None,
    author: str | None = None,
) -> TimelineEvent:
    """Record an update sent to an audience; it restarts that audience's countdown.

    ``text`` is the update as sent; ``summary`` the timeline line (default: the text);
    ``details`` extra facts (template, format, clipboard method).
    """
    which = Audience.parse(audience)
    text = rules.require_text(text, "update text")
    data: dict[str, Any] = {"audience": which.value, **(details or {}), "text": text}
    line = (summary or "").strip() or f"{which.label} update: {text}"
    with incident.write() as w:
        moment = rules.occurred_at(at, w.now)
        return w.add_event(EventKind.COMMS, line, moment, data, author)


def snooze(
    incident: IncidentFile, audience: Audience | str, minutes: int, at: datetime | None = None
) -> TimelineEvent:
    """Push one audience's update reminder back by ``minutes`` (logged)."""
    from incident_tui.core.cadence import snooze_data, snooze_text

    which = Audience.parse(audience)
    if isinstance(minutes, bool) or not 1 <= minutes <= 24 * 60:
        raise InvalidInputError("snooze for 1 minute to 24 hours")
    with incident.write() as w:
        moment = rules.occurred_at(at, w.now)
        until = moment + timedelta(minutes=minutes)
        return w.add_event(
            EventKind.SYSTEM,
            snooze_text(which, minutes, until),
            moment,
            snooze_data(which, until, minutes),
        )


def dismiss_nudge(
    incident: IncidentFile, key: str, at: datetime | None = None, config: Config | None = None
) -> TimelineEvent:
    """Dismiss an active nudge for its current episode (logged); ``config`` gives the cadence
    the overdue-update nudges are judged by."""
    from incident_tui.core.attention_rules import active
    from incident_tui.core.nudges import dismissal

    with incident.write() as w:
        moment = rules.occurred_at(at, w.now)
        shown = active(w.record(), w.now, config)
        match = next((n for n in shown if n.key == key.strip()), None)
        if match is None:
            keys = ", ".join(n.key for n in shown) or "none"
            raise InvalidInputError(f"no active nudge {key!r}; active: {keys}")
        text, data = dismissal(match)
        return w.add_event(EventKind.SYSTEM, text, moment, data)
