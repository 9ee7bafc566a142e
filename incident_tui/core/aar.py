"""The incident summary as Markdown that an after-action review can start from.

The seed's incident summary comes first (title, date, severity, duration, customer impact,
summary, timeline, mitigation, action items, AAR date); then what the AAR needs: impact in
numbers, key times, decisions, every update quoted whole, root cause and contributing factors,
what went well and what went wrong, lessons, follow-ups with owners and due dates. Where the
record has nothing yet, a prompt in italics says what to write. Housekeeping (checklist ticks,
snoozes, dismissed nudges, how each update was copied) is folded into an appendix. User text is
escaped only where Markdown would misread it, and the file passes markdownlint (MD013 aside).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, tzinfo

from incident_tui.core.aar_sections import (
    Rows,
    appendix,
    decisions,
    follow_ups,
    impact_in_numbers,
    key_times,
    mitigation,
    prompt,
    role_history,
    timeline,
    updates,
)
from incident_tui.core.aar_times import AarTimes
from incident_tui.core.markdown import block, inline
from incident_tui.core.models import EventKind, IncidentRecord, Role, Severity
from incident_tui.core.timeparse import format_duration


def to_markdown(record: IncidentRecord, now: datetime, tz: tzinfo | None = None) -> str:
    """The incident summary as Markdown; ``tz`` defaults to the machine's local zone."""
    incident = record.incident
    times = AarTimes(record, now, tz)
    rows = Rows.of(record)
    title = inline(incident.title).rstrip(".,;:!") or "untitled"
    if title.endswith("#"):
        title = title[:-1] + "\\#"  # a trailing # would close the heading
    out: list[str] = [f"# Incident: {title}", ""]
    out += [*_facts(record, times, now), ""]
    out += _section("Summary", _summary(record, times, now))
    out += _section("Impact in numbers", impact_in_numbers(record, times, now, rows))
    out += _section("Key times", key_times(record, times, now))
    out += _section("Timeline", timeline(record, times, rows))
    out += _section("Mitigation", mitigation(record, times))
    out += _section("Decisions", decisions(record, times))
    out += _section("Updates sent", updates(times, rows))
    out += _section("Root cause and contributing factors", _root_cause(record))
    out += _section(
        "What went well",
        [prompt("what helped: detection, tools, people, runbooks. Keep it blameless.")],
    )
    out += _section(
        "What went wrong",
        [prompt("what slowed the response or made impact worse. Describe systems, not people.")],
    )
    out += _section(
        "Lessons", [prompt("what the team now knows that it did not know before the incident.")]
    )
    out += _section("Follow-ups", follow_ups(record, times))
    out += _section("Role history", role_history(record, times))
    out += _section("Appendix: housekeeping", appendix(times, rows))
    stamp = times.local(now).strftime("%Y-%m-%d %H:%M")
    out += [f"Exported {stamp} ({times.zone()}) by incident-tui from {inline(incident.id)}."]
    # An empty name or value must not leave trailing spaces (markdownlint MD009).
    # The closing "" ends the text with a newline without copying the whole text once more.
    return "\n".join([*map(str.rstrip, out), ""])


def _section(heading: str, lines: Iterable[str]) -> list[str]:
    return [f"## {heading}", "", *lines, ""]


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


def _severity_line(record: IncidentRecord, times: AarTimes) -> str:
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
        entry = f"{verb} to {_sev_label(after)} at {times.at(event.occurred_at)}"
        reason = str(event.data.get("reason") or "")
        if reason:
            entry += f": {inline(reason)}"
        history.append(entry)
    return f"{current} ({'; '.join(history)})"


def _duration_line(record: IncidentRecord, times: AarTimes, now: datetime) -> str:
    incident = record.incident
    if incident.resolved_at is None:
        return f"ongoing ({format_duration(now - incident.detected_at)} so far)"
    length = format_duration(incident.resolved_at - incident.detected_at)
    return (
        f"{length} (detected {times.full(incident.detected_at)}, "
        f"resolved {times.full(incident.resolved_at)})"
    )


def _ic_line(record: IncidentRecord) -> str:
    names: list[str] = []
    for entry in record.roles:
        if entry.role is Role.IC and not entry.released and entry.name not in names[-1:]:
            names.append(entry.name)
    return ", then ".join(inline(n) for n in names) if names else "not assigned"


def _facts(record: IncidentRecord, times: AarTimes, now: datetime) -> list[str]:
    incident = record.incident
    missing = "_not recorded_"
    aar = incident.aar_date.isoformat() if incident.aar_date else "_not scheduled_"
    rows = [
        ("Date", times.dates()),
        ("Severity", _severity_line(record, times)),
        ("Status", incident.status.value),
        ("Duration", _duration_line(record, times, now)),
        ("Times", times.zone()),
        ("Customer impact", inline(incident.impact) or missing),
        ("Scope", inline(incident.scope) or missing),
        ("Data at risk", inline(incident.data_at_risk) or missing),
        ("Detected by", incident.source.value),
        ("Incident commander", _ic_line(record)),
        ("AAR", aar),
    ]
    return [f"- **{label}:** {value}" for label, value in rows]


def _summary(record: IncidentRecord, times: AarTimes, now: datetime) -> list[str]:
    """The written summary, or two short paragraphs built from the state."""
    incident = record.incident
    written = block(incident.summary)
    if written:
        return written
    first = (
        f"{incident.severity.label} incident \u201c{inline(incident.title)}\u201d, detected "
        f"({incident.source.value}) at {times.full(incident.detected_at)} and declared at "
        f"{times.offset(incident.declared_at)}."
    )
    if incident.impact.strip():
        first += f" Customer impact: {inline(incident.impact).rstrip('.')}."
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
    return [
        first,
        "",
        second,
        "",
        prompt("a one- or two-paragraph summary in your own words, to replace this one."),
    ]


def _root_cause(record: IncidentRecord) -> list[str]:
    lines: list[str] = []
    note = record.incident.status_note.strip()
    if note:
        lines += [f"Working hypothesis at export: {inline(note)}", ""]
    deferred = record.incident.checklist.get("root-cause")
    if deferred:
        lines += ["The resolution checklist marks the root cause found or deferred to the AAR.", ""]
    lines.append(
        prompt(
            "the root cause, and the factors that contributed (detection, tooling, process, "
            "dependencies), with links to the evidence."
        )
    )
    return lines
