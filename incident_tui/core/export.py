"""The incident summary that feeds the after-action review: Markdown to read, JSON to rebuild.

The Markdown follows the seed's incident summary in its order (title, date, severity, duration,
customer impact, summary, timeline, mitigation, action items, AAR date), then adds what an AAR
needs: key times from detection, role history, every update sent, and the decisions with their
reasons. User text is escaped so it can never break the document's structure.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta, tzinfo

import orjson

from incident_tui.core.errors import InvalidInputError
from incident_tui.core.models import EventKind, IncidentRecord, Role, Severity
from incident_tui.core.record_schema import check_record, record_from_json
from incident_tui.core.rules import struck_ids
from incident_tui.core.sanitize import inert, json_inert
from incident_tui.core.schema import SchemaError
from incident_tui.core.timeparse import format_duration, format_offset

_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~!])")
_BULLET_START = re.compile(r"^([-+=])")
_NUMBER_START = re.compile(r"^(\d+)([.)])")


def inline(text: str) -> str:
    """User text made safe for one Markdown line or table cell: one line, specials escaped."""
    # The core's sanitiser: an escape sequence in a title must not reach a terminal that
    # `cat`s the export, and a stray line break must not split a row. Searching first is
    # cheap, substituting is not, and most text needs no escaping.
    flat = inert(text)
    if _INLINE_SPECIAL.search(flat):
        return _INLINE_SPECIAL.sub(r"\\\1", flat)
    return flat


def block(text: str) -> list[str]:
    """Multi-line user text as Markdown lines: line breaks kept, nothing can open a block."""
    lines: list[str] = []
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    for raw_line in normalised.split("\n"):
        line = inline(raw_line)
        line = _BULLET_START.sub(r"\\\1", line)
        line = _NUMBER_START.sub(r"\1\\\2", line)
        if line or (lines and lines[-1]):
            lines.append(line)
    while lines and not lines[-1]:
        lines.pop()
    return lines


class _Times:
    """Local wall-clock stamps and offsets from detection, for one incident."""

    def __init__(self, detected_at: datetime, tz: tzinfo | None) -> None:
        self.detected_at = detected_at
        self.tz = tz
        self.day = self.local(detected_at).date()

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.tz)

    def stamp(self, moment: datetime) -> str:
        """``14:05``, or ``2026-11-29 00:10`` once the incident runs past its first day."""
        local = self.local(moment)
        clock = f"{local.hour:02d}:{local.minute:02d}"  # strftime, but a fifth of the cost
        if local.date() == self.day:
            return clock
        return f"{local.year}-{local.month:02d}-{local.day:02d} {clock}"

    def offset(self, moment: datetime) -> str:
        return format_offset(moment - self.detected_at)

    def at(self, moment: datetime) -> str:
        """``14:05 (T+10m)``."""
        return f"{self.stamp(moment)} ({self.offset(moment)})"

    def zone(self) -> str:
        return self.local(self.detected_at).strftime("%Z") or "local time"


def to_markdown(record: IncidentRecord, now: datetime, tz: tzinfo | None = None) -> str:
    """The incident summary as Markdown; ``tz`` defaults to the machine's local zone."""
    incident = record.incident
    times = _Times(incident.detected_at, tz)
    out: list[str] = [f"# Incident: {inline(incident.title)}", ""]
    out += [f"**Date:** {times.day.isoformat()}", ""]
    out += [f"**Severity:** {_severity_line(record, times)}", ""]
    out += [f"**Duration:** {_duration_line(record, times, now)}", ""]
    out += [f"**Customer impact:** {inline(incident.impact) or 'not recorded'}", ""]
    out += ["## Summary", ""]
    summary = (
        block(incident.summary)
        if incident.summary.strip()
        else _generated_summary(record, times, now)
    )
    out += [*summary, ""]
    out += ["## Timeline", "", *_timeline(record, times), ""]
    out += ["## Mitigation", "", *_mitigation(record, times), ""]
    out += ["## Action items", "", *_action_items(record, times), ""]
    aar = incident.aar_date.isoformat() if incident.aar_date else "not scheduled"
    out += ["## AAR scheduled for", "", aar, ""]
    out += ["## Key times", "", *_key_times(record, times, now), ""]
    out += ["## Role history", "", *_role_history(record, times), ""]
    out += ["## Updates sent", "", *_updates(record, times), ""]
    out += ["## Decisions", "", *_decisions(record, times), ""]
    out += [
        "---",
        "",
        f"_{incident.id}, status {incident.status.value}; exported "
        f"{times.local(now).strftime('%Y-%m-%d %H:%M %Z').strip()} by incident-tui._",
    ]
    return "\n".join(out) + "\n"


def _sev_label(value: object) -> str:
    """``SEV-2`` for a stored level; an imported record's odd value is shown, not fatal."""
    try:
        return Severity(int(str(value))).label
    except ValueError:
        return inline(str(value))


def _initial_severity(record: IncidentRecord) -> str:
    for event in record.events:
        declared = event.kind is EventKind.SYSTEM and event.data.get("milestone") == "declared"
        if declared and "severity" in event.data:
            return _sev_label(event.data["severity"])
    changes = record.events_of(EventKind.SEVERITY)
    if changes and "from" in changes[0].data:
        return _sev_label(changes[0].data["from"])
    return record.incident.severity.label


def _severity_line(record: IncidentRecord, times: _Times) -> str:
    current = record.incident.severity.label
    changes = record.events_of(EventKind.SEVERITY)
    if not changes:
        return current
    history = [f"declared {_initial_severity(record)}"]
    for event in changes:
        before, after = event.data.get("from"), event.data.get("to")
        if after is None:
            history.append(f"{inline(event.text)} at {times.at(event.occurred_at)}")
            continue
        verb = "set"
        if isinstance(before, int) and isinstance(after, int) and after != before:
            verb = "raised" if after < before else "lowered"
        label = _sev_label(after)
        entry = f"{verb} to {label} at {times.at(event.occurred_at)}"
        reason = str(event.data.get("reason") or "")
        if reason:
            entry += f": {inline(reason)}"
        history.append(entry)
    return f"{current} ({'; '.join(history)})"


def _duration_line(record: IncidentRecord, times: _Times, now: datetime) -> str:
    incident = record.incident
    if incident.resolved_at is None:
        return f"ongoing ({format_duration(now - incident.detected_at)} so far)"
    length = format_duration(incident.resolved_at - incident.detected_at)
    return (
        f"{length} (detected {times.stamp(incident.detected_at)}, "
        f"resolved {times.stamp(incident.resolved_at)} {times.zone()})"
    )


def _generated_summary(record: IncidentRecord, times: _Times, now: datetime) -> list[str]:
    """Two short paragraphs built from the state, for when nobody wrote a summary."""
    incident = record.incident
    first = (
        f"{incident.severity.label} incident \u201c{inline(incident.title)}\u201d, detected "
        f"({incident.source.value}) at {times.stamp(incident.detected_at)} {times.zone()} on "
        f"{times.day.isoformat()} and declared at {times.offset(incident.declared_at)}."
    )
    if incident.impact.strip():
        first += f" Customer impact: {inline(incident.impact)}."
    reached = []
    for name, label in (
        ("acknowledged", "acknowledged"),
        ("mitigated", "mitigation applied"),
        ("verified", "mitigation verified"),
        ("resolved", "resolved"),
        ("closed", "closed"),
    ):
        moment = incident.milestone(name)
        if moment is not None:
            reached.append(f"{label} at {times.offset(moment)}")
    second = f"Progress: {', '.join(reached)}." if reached else "No milestone reached yet."
    if incident.resolved_at is None:
        second += (
            f" Still {incident.status.value} after {format_duration(now - incident.detected_at)}."
        )
    ic = record.holder(Role.IC)
    second += f" Incident commander: {inline(ic) if ic else 'not assigned'}."
    open_items = sum(1 for item in record.action_items if not item.done)
    second += (
        f" {len(record.decisions)} decision(s) recorded; {len(record.action_items)} action "
        f"item(s), {open_items} open."
    )
    return [first, "", second]


def _timeline(record: IncidentRecord, times: _Times) -> list[str]:
    if not record.events:
        return ["No events recorded."]
    rows = [
        f"Times are {times.zone()}; offsets are from detection.",
        "",
        "| Time | Offset | Kind | Event |",
        "| --- | --- | --- | --- |",
    ]
    for event in record.events:
        rows.append(
            f"| {times.stamp(event.occurred_at)} | {times.offset(event.occurred_at)} "
            f"| {event.kind.value} | {inline(event.text)} |"
        )
    return rows


def _mitigation(record: IncidentRecord, times: _Times) -> list[str]:
    incident = record.incident
    applied = times.at(incident.mitigated_at) if incident.mitigated_at else "not yet"
    verified = times.at(incident.verified_at) if incident.verified_at else "not yet"
    lines = [f"Applied: {applied}. Verified: {verified}.", ""]
    steps = record.events_of(EventKind.MITIGATION)
    if not steps:
        return [*lines, "No mitigation recorded."]
    return lines + [_item(times, event.occurred_at, inline(event.text)) for event in steps]


def _item(times: _Times, moment: datetime, text: str) -> str:
    return f"- {times.at(moment)}: {text}"


def _action_items(record: IncidentRecord, times: _Times) -> list[str]:
    if not record.action_items:
        return ["None recorded."]
    lines = []
    for item in record.action_items:
        owner = inline(item.owner) if item.owner else "unassigned"
        detail = f"owner: {owner}"
        if item.due is not None:
            detail += f"; due {_day_or_moment(times.local(item.due))}"
        if item.done_at is not None:
            detail += f"; done {times.local(item.done_at).strftime('%Y-%m-%d %H:%M')}"
        lines.append(f"- [{'x' if item.done else ' '}] {inline(item.text)} ({detail})")
    return lines


def _day_or_moment(local: datetime) -> str:
    """A due date typed as a bare day shows as one, not as ``00:00`` on it."""
    if (local.hour, local.minute, local.second) == (0, 0, 0):
        return local.strftime("%Y-%m-%d")
    return local.strftime("%Y-%m-%d %H:%M")


def _key_times(record: IncidentRecord, times: _Times, now: datetime) -> list[str]:
    incident = record.incident
    rows = ["| Milestone | Time | From detection |", "| --- | --- | --- |"]
    named = (
        ("Detected", incident.detected_at),
        ("Declared", incident.declared_at),
        ("Acknowledged", incident.acknowledged_at),
        ("Mitigation applied", incident.mitigated_at),
        ("Mitigation verified", incident.verified_at),
        ("Resolved", incident.resolved_at),
        ("Closed", incident.closed_at),
    )
    for label, moment in named:
        if moment is None:
            rows.append(f"| {label} | not yet | |")
        else:
            rows.append(f"| {label} | {times.stamp(moment)} | {times.offset(moment)} |")
    rows.append("")
    for label, moment in (
        ("Time to acknowledge", incident.acknowledged_at),
        ("Time to mitigate", incident.mitigated_at),
        ("Time to resolve", incident.resolved_at),
    ):
        rows.append(f"- {label}: {_span(incident.detected_at, moment, now)}")
    return rows


def _span(start: datetime, end: datetime | None, now: datetime) -> str:
    if end is None:
        return f"not reached ({format_duration(now - start)} since detection)"
    return format_duration(max(end - start, timedelta(0)))


def _role_history(record: IncidentRecord, times: _Times) -> list[str]:
    if not record.roles:
        return ["No roles assigned."]
    lines = []
    for entry in record.roles:
        name = inline(entry.name)
        if entry.released:
            text = f"{entry.role.label}: {name} released"
        elif entry.previous:
            text = f"{entry.role.label}: handed off from {inline(entry.previous)} to {name}"
        else:
            text = f"{entry.role.label}: {name}"
        lines.append(_item(times, entry.assigned_at, text))
    lines += ["", "Holding at export:"]
    for role, names in record.current_roles().items():
        held = ", ".join(inline(n) for n in names) or "nobody"
        lines.append(f"- {role.label}: {held}")
    return lines


def _updates(record: IncidentRecord, times: _Times) -> list[str]:
    struck = struck_ids(record)  # an update struck as never sent is not listed
    sent = [event for event in record.events_of(EventKind.COMMS) if event.id not in struck]
    if not sent:
        return ["No updates recorded."]
    lines: list[str] = []
    for event in sent:
        head = [f"audience: {inline(str(event.data.get('audience') or 'unspecified'))}"]
        if event.data.get("template"):
            head.append(f"template: {inline(str(event.data['template']))}")
        if event.author:
            head.append(f"by {inline(event.author)}")
        lines.append(_item(times, event.occurred_at, "; ".join(head)))
        body = str(event.data.get("text") or event.text)
        lines += _quoted(block(body))
    return lines


def _quoted(lines: Iterable[str]) -> list[str]:
    """Lines as a blockquote nested in the list item above them."""
    return [f"  > {line}".rstrip() for line in lines]


def _decisions(record: IncidentRecord, times: _Times) -> list[str]:
    if not record.decisions:
        return ["No decisions recorded."]
    lines: list[str] = []
    for decision in record.decisions:
        by = inline(decision.decided_by) or "unknown"
        lines.append(_item(times, decision.decided_at, f"**{inline(decision.what)}** (by {by})"))
        lines.append(f"  - Why: {inline(decision.why) or 'not recorded'}")
        if decision.alternatives:
            lines.append(f"  - Alternatives: {inline(decision.alternatives)}")
        if decision.reversible is not None:
            lines.append(f"  - Reversible: {'yes' if decision.reversible else 'no'}")
        if decision.rubric:
            answer = f": {inline(decision.answer)}" if decision.answer else ""
            lines.append(f"  - Rubric: {inline(decision.rubric)}{answer}")
    return lines


def to_json(record: IncidentRecord) -> str:
    """The complete record as indented JSON, enough to rebuild the incident exactly.

    Checked against the schema an import applies, and with every character a terminal might
    obey written as a JSON escape, so printing it is as safe as printing the Markdown.
    """
    raw = record.to_dict()
    check_record(raw)
    return json_inert(orjson.dumps(raw, option=orjson.OPT_INDENT_2).decode()) + "\n"


def from_json(text: str | bytes, source: str = "input") -> IncidentRecord:
    """Rebuild a record from :func:`to_json` output; one-line error naming ``source`` if bad."""
    body = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    try:
        return record_from_json(body)
    except SchemaError as exc:
        raise InvalidInputError(f"{source}: {inert(str(exc))}") from None


def _one_line(text: str) -> str:
    return " ".join(text.split())


__all__ = ["block", "from_json", "inline", "to_json", "to_markdown"]
