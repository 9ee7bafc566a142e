"""Copy-ready status updates: a template for each audience and state, filled from the incident.

Every placeholder is filled from the record (title, impact and scope, severity, roles, latest
mitigation, "next update by" from the cadence), so the text can be pasted as it stands. The
same update renders as plain text, Markdown or Slack mrkdwn; values from the incident are
escaped for the format, so a title like ``*prod* <db>`` cannot turn into markup.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from enum import StrEnum
from typing import Any

from incident_tui.core.cadence import next_update_at
from incident_tui.core.config import STATES, Config, UpdateTemplate
from incident_tui.core.errors import InvalidInputError
from incident_tui.core.models import Audience, EventKind, IncidentRecord, Role, Status
from incident_tui.core.sanitize import inert, inert_lines
from incident_tui.core.timeparse import format_duration


class UpdateFormat(StrEnum):
    """How the update is marked up for the place it is pasted."""

    PLAIN = "plain"
    MARKDOWN = "markdown"
    SLACK = "slack"


def parse_state(text: str) -> str:
    """Accept a template state name (investigating, identified, monitoring, resolved)."""
    raw = text.strip().lower()
    if raw not in STATES:
        raise InvalidInputError(f"unknown state {text!r}; choose one of: {', '.join(STATES)}")
    return raw


def parse_format(text: str) -> UpdateFormat:
    """Accept ``plain``, ``markdown`` (or ``md``) or ``slack``."""
    raw = text.strip().lower()
    raw = {"md": "markdown", "text": "plain", "mrkdwn": "slack"}.get(raw, raw)
    try:
        return UpdateFormat(raw)
    except ValueError:
        choices = ", ".join(f.value for f in UpdateFormat)
        raise InvalidInputError(f"unknown format {text!r}; choose one of: {choices}") from None


def state_for(status: Status) -> str:
    """The template state that matches an incident status (closed reads as resolved)."""
    return Status.RESOLVED.value if status is Status.CLOSED else status.value


def _clock(moment: datetime) -> str:
    return moment.astimezone().strftime("%H:%M %Z").strip()


def _lead(text: str) -> str:
    """Lower-case a leading word so it reads mid-sentence ("reports of checkout errors")."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


_MILESTONE_PREFIXES = {"Mitigation applied: ": "applied", "Mitigation verified: ": "verified"}


def _latest_mitigation(record: IncidentRecord) -> str | None:
    """The newest mitigation row as "what (applied HH:MM)", without the milestone label."""
    events = record.events_of(EventKind.MITIGATION)
    if not events:
        return None
    latest = events[-1]
    for prefix, verb in _MILESTONE_PREFIXES.items():
        if latest.text.startswith(prefix):
            return f"{latest.text[len(prefix) :]} ({verb} {_clock(latest.occurred_at)})"
    return f"{latest.text} ({_clock(latest.occurred_at)})"


def fill_values(
    record: IncidentRecord, audience: str, state: str, now: datetime, config: Config
) -> dict[str, str]:
    """The value of every placeholder for this incident, audience and state, unescaped."""
    incident = record.incident
    roles = record.current_roles()
    ic = record.holder(Role.IC)
    comms = record.holder(Role.COMMS)
    ops = record.holder(Role.OPS)
    named = [f"{who} {name}" for who, name in (("IC", ic), ("comms", comms), ("ops", ops)) if name]
    if roles[Role.SME]:
        named.append("SMEs " + ", ".join(roles[Role.SME]))
    end = incident.resolved_at or now
    duration = format_duration(end - incident.detected_at)
    impact = incident.impact.strip()
    subject = impact or incident.title
    next_at = next_update_at(record, audience, now, config)
    mitigation = _latest_mitigation(record)
    mitigation_text = mitigation or "none yet"
    doing = {
        "investigating": "Investigating the cause; checking recent deploys, config changes, "
        "third-party dependencies and load",
        "identified": "Cause identified; working on a fix",
        "monitoring": "Fix applied; monitoring to confirm it holds",
        "resolved": "Resolved; confirming all systems are normal and closing out",
    }[state]
    if mitigation and state != "resolved":
        doing += f". Latest mitigation: {mitigation_text}"
    if state == "resolved" and incident.resolved_at:
        eta = f"resolved at {_clock(incident.resolved_at)}"
    elif incident.verified_at:
        eta = f"mitigation verified at {_clock(incident.verified_at)}; confirming full recovery"
    elif incident.mitigated_at:
        eta = f"mitigation applied at {_clock(incident.mitigated_at)}; verifying it works"
    else:
        eta = f"no ETA yet; next update by {_clock(next_at)}"
    return {
        "incident_id": incident.id,
        "title": incident.title,
        "issue": _lead(subject),
        "scope": _lead(subject),
        "impact": impact or "impact still being assessed",
        "business_impact": impact or "Customer impact is still being assessed",
        "severity": incident.severity.label,
        "status": incident.status.value,
        "now": _clock(now),
        "declared": _clock(incident.declared_at),
        "duration": duration,
        "next_update": _clock(next_at),
        "report_timeframe": config.report_timeframe,
        "ic": ic or "the incident commander",
        "comms": comms or "unassigned",
        "ops": ops or "unassigned",
        "roles": ", ".join(named) if named else "no roles assigned yet",
        "mitigation": mitigation_text,
        "known": f"{subject}. Detected {_clock(incident.detected_at)} ({duration} ago); "
        f"{incident.severity.label}",
        "doing": doing,
        "eta": eta,
    }


def _one_line(value: str) -> str:
    """User text for one line of an update: control characters and line breaks become spaces.

    A newline in a title would otherwise split the heading, and an escape sequence pasted into
    Slack or a status page helps nobody.
    """
    return inert(value)


_MENTION = re.compile(r"@(?=(?:channel|here|everyone|all)\b)", re.IGNORECASE)
_ZWSP = "\u200b"
"""Zero-width space: breaks a mention or a mrkdwn marker without changing what people read."""


def neutralise_mentions(value: str) -> str:
    """``@channel``, ``@here``, ``@everyone``, ``@all`` in user text notify nobody."""
    return _MENTION.sub("@" + _ZWSP, value)


def slack_literal(value: str) -> str:
    """User text for Slack mrkdwn: shown as typed, never bold, struck, code or a mention.

    mrkdwn has no backslash escape: ``&``, ``<`` and ``>`` become entities (Slack's own rule)
    and a zero-width space before ``*``, ``_``, ``~`` and backticks stops them pairing up.
    """
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    value = "".join(_ZWSP + ch if ch in "*_~`" else ch for ch in value)
    return neutralise_mentions(value)


def _escape(value: str, fmt: UpdateFormat) -> str:
    if fmt is UpdateFormat.MARKDOWN:
        escaped = "".join("\\" + ch if ch in "\\`*_[]<>#|~" else ch for ch in value)
        return neutralise_mentions(escaped)
    if fmt is UpdateFormat.SLACK:
        return slack_literal(value)
    return value


def render(
    template: UpdateTemplate,
    values: dict[str, str],
    fmt: UpdateFormat,
    escape: Callable[[str], str] | None = None,
) -> str:
    """Fill a template's placeholders and mark it up for ``fmt``.

    ``escape`` replaces the format's own escaping of values (posting uses it where the
    sending library escapes some characters itself).
    """
    escaper = escape or (lambda value: _escape(value, fmt))
    safe = {key: escaper(_one_line(value)) for key, value in values.items()}
    heading = template.heading.format_map(safe)
    out: list[str] = []
    if fmt is UpdateFormat.PLAIN:
        out.append(heading)
    elif fmt is UpdateFormat.MARKDOWN:
        out.append(f"**{heading}**")
    else:
        out.append(f"*{heading}*")
    out.append("")
    for line in template.lines:
        text = line.text.format_map(safe)
        if not line.label:
            out.append(text)
        elif fmt is UpdateFormat.PLAIN:
            out.append(f"{line.label}: {text}")
        elif fmt is UpdateFormat.MARKDOWN:
            out.append(f"- **{line.label}:** {text}")
        else:
            out.append(f"• *{line.label}:* {text}")
    # The wording comes from the config file: it is user text too.
    return inert_lines("\n".join(out))


def fill_update(
    record: IncidentRecord,
    audience: str,
    state: str,
    fmt: UpdateFormat,
    now: datetime,
    config: Config,
    escape: Callable[[str], str] | None = None,
) -> str:
    """The copy-ready update for one audience and state, every placeholder filled."""
    audience = Audience.parse(audience)
    state = parse_state(state)
    template = config.template(audience, state)
    return render(template, fill_values(record, audience, state, now, config), fmt, escape)


def comms_event(
    audience: str, state: str, fmt: UpdateFormat, text: str, method: str
) -> tuple[str, dict[str, Any]]:
    """The timeline line and ``data`` for a ``comms`` event recording a copied update.

    ``data`` carries the full text so the export and the nudges can use it.
    """
    first = next((line.strip("*• ") for line in text.splitlines() if line.strip()), "")
    if len(first) > 80:
        first = first[:79] + "…"
    summary = f"{Audience.parse(audience).label} update ({state}) copied via {method}: {first}"
    data = {
        "audience": audience,
        "template": state,
        "format": fmt.value,
        "text": text,
        "method": method,
    }
    return summary, data
