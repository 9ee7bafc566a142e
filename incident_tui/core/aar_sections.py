"""The AAR export's longer sections: timeline, key times, mitigation, decisions, updates,
follow-ups, role history and the housekeeping appendix. Each returns Markdown lines."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from incident_tui.core import rules
from incident_tui.core.aar_times import AarTimes, day_or_moment, span
from incident_tui.core.cadence import AUDIENCE_LABELS
from incident_tui.core.facts import is_dismissal, is_snooze
from incident_tui.core.markdown import inline
from incident_tui.core.models import EventKind, IncidentRecord, TimelineEvent
from incident_tui.core.playbook import mitigation_what
from incident_tui.core.rubric import level
from incident_tui.core.sanitize import inert_lines
from incident_tui.core.timeparse import format_duration

_KIND_TEXT = {kind: kind.value for kind in EventKind}
"""Each kind's value, looked up without the enum's property (a large timeline asks per row)."""


def prompt(text: str) -> str:
    """A line that asks the AAR's author for what the record cannot know."""
    return f"_To fill in: {text}_"


def is_housekeeping(event: TimelineEvent) -> bool:
    """Checklist ticks, snoozes and dismissed nudges: kept, but not in the main timeline."""
    data = event.data
    return (
        is_snooze(event)
        or is_dismissal(data)
        or (event.kind is EventKind.SYSTEM and "criterion" in data)
    )


@dataclass(frozen=True)
class Rows:
    """The events each section lists, sorted out in one pass (a large export's sections would
    otherwise ask every event the same questions several times)."""

    timeline: list[TimelineEvent]
    """Neither housekeeping nor a correction."""
    sent: list[TimelineEvent]
    """Updates, struck ones left out."""
    appendix: list[TimelineEvent]
    """Housekeeping, corrections, and the updates whose copying was recorded."""

    @classmethod
    def of(cls, record: IncidentRecord) -> Rows:
        struck = rules.struck_ids(record)
        main: list[TimelineEvent] = []
        sent: list[TimelineEvent] = []
        aside: list[TimelineEvent] = []
        for event in record.events:
            if not event.data:  # housekeeping, corrections and updates all carry data
                main.append(event)
                continue
            if is_housekeeping(event) or rules.is_correction(event):
                aside.append(event)
            else:
                main.append(event)
                if event.data.get("method") and _is_update(event):
                    aside.append(event)
            if _is_update(event, struck):
                sent.append(event)
        return cls(main, sent, aside)


def _audience(event: TimelineEvent) -> str:
    audience = str(event.data.get("audience") or "")
    return AUDIENCE_LABELS.get(audience, inline(audience) or "an unnamed audience")


def event_text(event: TimelineEvent, fixes: dict[str, rules.Correction] | None = None) -> str:
    """The timeline cell for one event: an update reads as what was sent, not how it was
    copied; an amended event shows its corrected text, a struck one is struck through with
    who struck it and why."""
    fix = (fixes or {}).get(event.id)
    if event.kind is EventKind.COMMS and event.data.get("audience"):
        state = str(event.data.get("template") or "")
        text = f"Update to {_audience(event)}" + (f" ({inline(state)})" if state else "")
    else:
        text = inline(fix.text if fix else event.text)
    if fix and fix.amended:
        text += f" (amended; first written: {inline(event.text)})"
    if fix and fix.struck:
        who = inline(fix.struck_by) or "someone"
        text = f"~~{text}~~ (struck by {who}: {inline(fix.why) or 'no reason given'})"
    return text


def timeline(record: IncidentRecord, times: AarTimes, rows: Rows) -> list[str]:
    fixes = rules.corrections(record)
    events = rows.timeline
    if not events:
        return ["No events recorded."]
    lines = [
        f"Times are {times.zone()}; T+ is from detection.",
        "",
        "| Time | T+ | Kind | Event |",
        "| --- | --- | --- | --- |",
    ]
    stamp, offset, comms = times.stamp, times.offset, EventKind.COMMS
    for event in events:
        if event.kind is not comms and event.id not in fixes:
            text = inline(event.text)  # what event_text gives a row neither update nor fixed
        else:
            text = event_text(event, fixes)
        moment = event.occurred_at
        lines.append(f"| {stamp(moment)} | {offset(moment)} | {_KIND_TEXT[event.kind]} | {text} |")
    return lines


def key_times(record: IncidentRecord, times: AarTimes, now: datetime) -> list[str]:
    incident = record.incident
    rows = ["| Milestone | Time | T+ |", "| --- | --- | --- |"]
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
    return rows


def impact_in_numbers(
    record: IncidentRecord, times: AarTimes, now: datetime, rows: Rows
) -> list[str]:
    incident = record.incident
    impact_end = incident.mitigated_at or incident.resolved_at
    lines = [
        f"- Time to acknowledge: {span(incident.detected_at, incident.acknowledged_at, now)}"
        f" (target {level(incident.severity).ack_target})",
        f"- Time to mitigate: {span(incident.detected_at, incident.mitigated_at, now)}",
        f"- Time to resolve: {span(incident.detected_at, incident.resolved_at, now)}",
    ]
    if impact_end is not None:
        lines.append(
            "- Customer impact from detection to mitigation: "
            f"{format_duration(impact_end - incident.detected_at)}"
        )
    lines.append(f"- Updates sent: {len(rows.sent)}")
    lines += [
        "",
        prompt(
            "how many customers, requests or orders were affected, error rates at the worst "
            "point, revenue at risk, support tickets."
        ),
    ]
    return lines


def _is_update(event: TimelineEvent, struck: frozenset[str] = frozenset()) -> bool:
    return rules.update_audience(event, struck) is not None


def mitigation(record: IncidentRecord, times: AarTimes) -> list[str]:
    incident = record.incident
    applied = times.at(incident.mitigated_at) if incident.mitigated_at else "not yet"
    verified = times.at(incident.verified_at) if incident.verified_at else "not yet"
    lines = [f"- Applied: {applied}", f"- Verified: {verified}", ""]
    struck = rules.struck_ids(record)
    steps = [e for e in record.events_of(EventKind.MITIGATION) if e.id not in struck]
    if not steps:
        return [*lines, "No mitigation steps recorded."]
    for event in steps:
        verb = {"mitigated": "applied", "verified": "verified"}.get(
            str(event.data.get("milestone") or ""), "step"
        )
        what = inline(mitigation_what(event.text))
        lines.append(f"- {times.at(event.occurred_at)}, {verb}: {what}")
    return lines


def decisions(record: IncidentRecord, times: AarTimes) -> list[str]:
    if not record.decisions:
        return ["No decisions recorded."]
    lines: list[str] = []
    for decision in record.decisions:
        by = inline(decision.decided_by) or "unknown"
        lines.append(f"- {times.at(decision.decided_at)}: **{inline(decision.what)}** (by {by})")
        lines.append(f"  - Why: {inline(decision.why) or 'not recorded'}")
        if decision.alternatives:
            lines.append(f"  - Alternatives: {inline(decision.alternatives)}")
        if decision.reversible is not None:
            lines.append(f"  - Reversible: {'yes' if decision.reversible else 'no'}")
        if decision.rubric:
            answer = f": {inline(decision.answer)}" if decision.answer else ""
            lines.append(f"  - Rubric: {inline(decision.rubric)}{answer}")
    return lines


def updates(times: AarTimes, rows: Rows) -> list[str]:
    sent = rows.sent  # an update struck as never sent is not listed
    if not sent:
        return ["No updates recorded."]
    lines: list[str] = []
    for event in sent:
        head = f"- {times.at(event.occurred_at)}: to {_audience(event)}"
        if event.data.get("template"):
            head += f", {inline(str(event.data['template']))}"
        if event.author:
            head += f", by {inline(event.author)}"
        body = str(event.data.get("text") or event.text)
        lines += [head, "", *quoted(body), ""]
    return lines[:-1]


def quoted(text: str) -> list[str]:
    """The update's words exactly as they were pasted, in a fenced block nested in the list
    item above; the fence is longer than any run of backticks in the text."""
    normalised = inert_lines(text).strip("\n")
    lines = [line.rstrip() for line in normalised.split("\n")]
    longest = max((len(run) for run in re.findall(r"`+", normalised)), default=0)
    fence = "`" * max(3, longest + 1)
    body = [f"  {line}" if line else "" for line in lines]
    return [f"  {fence}text", *body, f"  {fence}"]


def follow_ups(record: IncidentRecord, times: AarTimes) -> list[str]:
    lines: list[str] = []
    if record.action_items:
        lines += ["| Follow-up | Owner | Due | Status |", "| --- | --- | --- | --- |"]
        for item in record.action_items:
            owner = inline(item.owner) if item.owner else "**no owner**"
            due = day_or_moment(times.local(item.due)) if item.due else "**no due date**"
            status = "done" if item.done else "open"
            if item.done and item.done_at is not None:
                status += f" {times.full(item.done_at)}"
            lines.append(f"| {inline(item.text)} | {owner} | {due} | {status} |")
        lines.append("")
    lines.append(
        prompt(
            "every follow-up needs an owner and a due date; add more with "
            "`incident-tui action TEXT --owner NAME --due DATE`."
        )
    )
    return lines


def role_history(record: IncidentRecord, times: AarTimes) -> list[str]:
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
        lines.append(f"- {times.at(entry.assigned_at)}: {text}")
    lines += ["", "Holding at export:", ""]
    for role, names in record.current_roles().items():
        held = ", ".join(inline(n) for n in names) or "nobody"
        lines.append(f"- {role.label}: {held}")
    return lines


def appendix(times: AarTimes, rows: Rows) -> list[str]:
    lines = []
    for event in rows.appendix:
        if is_housekeeping(event) or rules.is_correction(event):
            lines.append(f"- {times.at(event.occurred_at)}: {inline(event.text)}")
        else:  # an update, and how it was copied
            how = f"copied via {inline(str(event.data['method']))}"
            if event.data.get("confirmed") is False:
                how += " (not confirmed)"
            fmt = event.data.get("format")
            if fmt:
                how += f" as {inline(str(fmt))}"
            lines.append(f"- {times.at(event.occurred_at)}: update to {_audience(event)} {how}")
    return lines or ["Nothing to report."]
