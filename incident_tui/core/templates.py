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

from incident_tui.core.cadence import counted_events, is_update, next_update_at
from incident_tui.core.config import STATES, Config, UpdateTemplate
from incident_tui.core.errors import InvalidInputError
from incident_tui.core.models import Audience, EventKind, IncidentRecord, Role, Status
from incident_tui.core.playbook import mitigation_what
from incident_tui.core.rules import corrections, effective_text
from incident_tui.core.sanitize import inert, inert_lines
from incident_tui.core.timeparse import format_duration
from incident_tui.core.wording import LIST_PLACEHOLDERS, fill, placeholder_names


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


def _phrase(text: str) -> str:
    """A noun phrase for the middle of a sentence: one line, no closing full stop."""
    return _lead(_one_line(text).rstrip(" .;,"))


def mitigation_state(record: IncidentRecord) -> str:
    """The mitigation as it stands: what was applied, when, and whether it is verified."""
    applied = verified = None
    for event in counted_events(record):
        milestone = event.data.get("milestone")
        if milestone == "mitigated":
            applied = event
        elif milestone == "verified":
            verified = event
    if applied is None and verified is None:
        return "none applied yet"
    if applied is None:
        assert verified is not None
        return f"{mitigation_what(verified.text)} (verified {_clock(verified.occurred_at)})"
    text = f"{mitigation_what(applied.text)} (applied {_clock(applied.occurred_at)}"
    if verified is not None and verified.occurred_at >= applied.occurred_at:
        return text + f", verified {_clock(verified.occurred_at)})"
    return text + "; not verified yet)"


_NEWS = (
    EventKind.NOTE,
    EventKind.ACTION,
    EventKind.DECISION,
    EventKind.MITIGATION,
    EventKind.SEVERITY,
    EventKind.STATUS,
    EventKind.ROLE,
)
"""Timeline rows that are news for an update; comms, snoozes and housekeeping are not."""


def changes_since_last_update(record: IncidentRecord, audience: str) -> list[str]:
    """New facts, decisions and mitigation steps since the last update to ``audience``."""
    events = counted_events(record)
    fixes = corrections(record)  # amended rows read as corrected
    last = max(
        (e.occurred_at for e in events if is_update(e) and e.data.get("audience") == audience),
        default=None,
    )
    return [
        f"{e.occurred_at.astimezone().strftime('%H:%M')} {_one_line(effective_text(e, fixes))}"
        for e in events
        if e.kind in _NEWS and (last is None or e.occurred_at > last)
    ]


def fill_values(
    record: IncidentRecord, audience: str, state: str, now: datetime, config: Config
) -> dict[str, str]:
    """The value of every placeholder for this incident, audience and state, unescaped.

    An empty value means the fact is not known: optional parts that use it are left out.
    """
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
    impact = _one_line(incident.impact)
    scope = _phrase(incident.scope)
    resolved = state == "resolved"
    changes = changes_since_last_update(record, audience)
    told_before = any(
        is_update(e) and e.data.get("audience") == audience for e in counted_events(record)
    )
    # After an earlier update, what changed since; in the first one, what happened so far.
    so_far = [] if told_before else changes
    changes = (changes or ["nothing new"]) if told_before else []
    doing = {
        "investigating": "Investigating the cause; checking recent deploys, config changes, "
        "third-party dependencies and load",
        "identified": "Cause identified; working on a fix",
        "monitoring": "Fix applied; monitoring to confirm it holds",
        "resolved": "Resolved; confirming all systems are normal and closing out",
    }[state]
    return {
        "incident_id": incident.id,
        "title": _one_line(incident.title),
        "issue": scope,
        "scope": scope,
        "impact": impact,
        "business_impact": impact or "still being assessed",
        "severity": incident.severity.label,
        "status": incident.status.value,
        "state": state,
        "now": _clock(now),
        "declared": _clock(incident.declared_at),
        "detected": _clock(incident.detected_at),
        "resolved": _clock(incident.resolved_at) if incident.resolved_at else _clock(now),
        "duration": duration,
        "next_update": "" if resolved else _clock(next_update_at(record, audience, now, config)),
        "report_timeframe": config.report_timeframe,
        "ic": ic or "the incident commander",
        "comms": comms or "unassigned",
        "ops": ops or "unassigned",
        "roles": ", ".join(named) if named else "no roles assigned yet",
        "mitigation": mitigation_state(record),
        "status_note": "" if resolved else _one_line(incident.status_note),
        "known": "" if resolved else _one_line(incident.status_note),
        "doing": doing,
        "eta": "" if resolved else (_one_line(incident.eta).rstrip(".") or "no ETA yet"),
        "workaround": "" if resolved else _one_line(incident.workaround),
        "data_at_risk": _one_line(incident.data_at_risk),
        "changes": "\n".join(changes),
        "so_far": "\n".join(so_far),
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


_MD_ALWAYS = re.compile(r"([\\`*\[\]<>#|~])")
_MD_EDGE_UNDERSCORE = re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")


def markdown_literal(value: str) -> str:
    """User text for a Markdown update: shown as typed, never emphasis, code, a link or
    struck; an underscore inside a word (``pg_basebackup``) is left alone, since CommonMark
    never reads it as emphasis."""
    value = _MD_ALWAYS.sub(r"\\\1", value)
    return _MD_EDGE_UNDERSCORE.sub(r"\\_", value)


def _escape(value: str, fmt: UpdateFormat) -> str:
    if fmt is UpdateFormat.MARKDOWN:
        return neutralise_mentions(markdown_literal(value))
    if fmt is UpdateFormat.SLACK:
        return slack_literal(value)
    return value


_BULLETS = {UpdateFormat.PLAIN: "  - ", UpdateFormat.MARKDOWN: "  - ", UpdateFormat.SLACK: "    - "}


def _list_value(text: str, values: dict[str, str]) -> list[str] | None:
    """The items of a line that is exactly one list placeholder (``{changes}``)."""
    names = placeholder_names(text)
    if len(names) != 1 or names[0] not in LIST_PLACEHOLDERS or text.strip() != f"{{{names[0]}}}":
        return None
    value = values.get(names[0], "")
    return value.split("\n") if value else None


def render(
    template: UpdateTemplate,
    values: dict[str, str],
    fmt: UpdateFormat,
    escape: Callable[[str], str] | None = None,
) -> str:
    """Fill a template's placeholders and mark it up for ``fmt``.

    Optional parts with a missing value, empty lines and labelled lines with nothing to say
    are left out; a line that is one list value (``{changes}``) becomes a nested list.
    ``escape`` replaces the format's own escaping of values (posting uses it where the
    sending library escapes some characters itself).
    """
    escaper = escape or (lambda value: _escape(value, fmt))
    safe = {key: escaper(_one_line(value)) for key, value in values.items()}
    heading = fill(template.heading, safe, drop=False)
    out: list[str] = []
    if fmt is UpdateFormat.PLAIN:
        out.append(heading)
    elif fmt is UpdateFormat.MARKDOWN:
        out.append(f"**{heading}**")
    else:
        out.append(f"*{heading}*")
    out.append("")
    for line in template.lines:
        items = _list_value(line.text, values)
        text = fill(line.text, safe).strip()
        if not text:
            continue
        if items is not None:
            text = ""
        if not line.label:
            out.append(text)
        elif fmt is UpdateFormat.PLAIN:
            out.append(f"{line.label}: {text}".rstrip())
        elif fmt is UpdateFormat.MARKDOWN:
            out.append(f"- **{line.label}:** {text}".rstrip())
        else:
            out.append(f"• *{line.label}:* {text}".rstrip())
        if items is not None:
            out.extend(_BULLETS[fmt] + escaper(_one_line(item)) for item in items)
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

    The line names the audience, state and the update's heading, whole; ``data`` carries the
    full text (for the export and the brief) and how it was copied (housekeeping detail).
    """
    first = next((line.strip("*• ") for line in text.splitlines() if line.strip()), "")
    summary = f"{Audience.parse(audience).label} update ({state}): {first}"
    data = {
        "audience": audience,
        "template": state,
        "format": fmt.value,
        "text": text,
        "method": method,
    }
    return summary, data
