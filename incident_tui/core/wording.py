"""The default wording of every status update, and the small template language it is written in.

A template is a heading and lines. A line is a sentence, or a labelled field (``ETA: 14:30``).
``{name}`` is a placeholder filled from the incident. ``[[ ... ]]`` marks an optional part: it
is left out when any placeholder inside it has no value, so a missing field drops out of the
sentence instead of being filled with something wrong. A line with an empty placeholder outside
any optional part is dropped whole, and so is a line left empty.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

STATES = ("investigating", "identified", "monitoring", "resolved")
"""The four status-page messages; every template set has one per state."""

PLACEHOLDERS = frozenset(
    {
        "incident_id",
        "title",
        "scope",
        "issue",
        "impact",
        "business_impact",
        "severity",
        "status",
        "state",
        "now",
        "declared",
        "detected",
        "resolved",
        "duration",
        "next_update",
        "report_timeframe",
        "ic",
        "comms",
        "ops",
        "roles",
        "mitigation",
        "status_note",
        "known",
        "doing",
        "eta",
        "workaround",
        "data_at_risk",
        "changes",
        "so_far",
    }
)
"""The names a template may use in ``{braces}``; each is filled from the incident."""

LIST_PLACEHOLDERS = frozenset({"changes", "so_far"})
"""Placeholders holding a list: on a line of their own they render as a nested list."""

OPTIONAL = re.compile(r"\[\[(.*?)\]\]", re.DOTALL)
"""An optional part of a template line: ``[[ affecting {scope}]]``."""


class TemplateSyntaxError(ValueError):
    """A template's braces or optional brackets do not pair up."""


@dataclass(frozen=True)
class TemplateLine:
    """One line of an update: a sentence, or a labelled field such as ``ETA: 14:30``."""

    text: str
    label: str = ""


@dataclass(frozen=True)
class UpdateTemplate:
    """The wording for one audience in one state: a heading and its lines."""

    heading: str
    lines: tuple[TemplateLine, ...]


def placeholder_names(text: str) -> list[str]:
    """The ``{names}`` used in ``text``; raises :class:`TemplateSyntaxError` on bad pairing."""
    plain = OPTIONAL.sub(lambda m: m.group(1), text)
    if "[[" in plain or "]]" in plain:
        raise TemplateSyntaxError("an optional part opened with [[ is not closed with ]]")
    try:
        return [name for _, name, _, _ in string.Formatter().parse(plain) if name is not None]
    except ValueError as exc:
        raise TemplateSyntaxError(f"{exc} (write {{{{ and }}}} for literal braces)") from None


def fill(text: str, values: dict[str, str], drop: bool = True) -> str:
    """Fill ``text``: optional parts whose placeholders are all set, then the rest.

    When a placeholder outside the optional parts has no value, the whole text is left out
    (the empty string): half a sentence is worse than none.
    """

    def optional(match: re.Match[str]) -> str:
        part = match.group(1)
        names = [n for _, n, _, _ in string.Formatter().parse(part) if n is not None]
        if any(not values.get(name) for name in names):
            return ""
        return part

    kept = OPTIONAL.sub(optional, text)
    required = [n for _, n, _, _ in string.Formatter().parse(kept) if n is not None]
    if drop and any(not values.get(name) for name in required):
        return ""
    return kept.format_map(values)


_L = TemplateLine

_NEXT = _L("{next_update}", "Next update by")

# External wording is the seed's four status-page messages (the user's own specification),
# with scope filled where it is known and a time added so the first post has a commitment too.
# Cause is never mentioned in public, so the status note is not used here.
_EXTERNAL = {
    "investigating": UpdateTemplate(
        "Investigating",
        (
            _L(
                "We are investigating reports of problems[[ with {scope}]]. Updates to follow. "
                "Next update by {next_update}."
            ),
            _L("{workaround}", "Workaround"),
        ),
    ),
    "identified": UpdateTemplate(
        "Identified",
        (
            _L(
                "We have identified the issue[[ affecting {scope}]]. Engineers are working on "
                "a fix. Next update by {next_update}."
            ),
            _L("{workaround}", "Workaround"),
        ),
    ),
    "monitoring": UpdateTemplate(
        "Monitoring",
        (
            _L(
                "A fix has been applied[[ for the issue affecting {scope}]]. We are monitoring "
                "to confirm resolution. Next update by {next_update}."
            ),
            _L("{workaround}", "Workaround"),
        ),
    ),
    "resolved": UpdateTemplate(
        "Resolved",
        (
            _L(
                "This incident has been resolved. Service has been restored[[ for {scope}]]. "
                "A full incident report will be posted within {report_timeframe}."
            ),
        ),
    ),
}

_INTERNAL_OPEN = (
    _L("{scope}", "Scope"),
    _L("{impact}", "Impact"),
    _L("{status_note}", "Status"),
    _L("{changes}", "Since the last update"),
    _L("{so_far}", "So far"),
    _L("{mitigation}", "Mitigation"),
    _L("{workaround}", "Workaround"),
    _L("{data_at_risk}", "Data at risk"),
    _L("{eta}", "ETA"),
    _L("{roles}", "Roles"),
    _NEXT,
)

_INTERNAL = {
    **{
        state: UpdateTemplate("{severity} {title}: " + state + " ({now})", _INTERNAL_OPEN)
        for state in STATES[:3]
    },
    "resolved": UpdateTemplate(
        "{severity} {title}: resolved ({now})",
        (
            _L("Resolved at {resolved} after {duration}.", "Status"),
            _L("{changes}", "Since the last update"),
            _L("{so_far}", "So far"),
            _L("{mitigation}", "Mitigation"),
            _L("{data_at_risk}", "Data at risk"),
            _L("Incident report within {report_timeframe}; the AAR follows.", "Next"),
        ),
    ),
}

_STAKEHOLDER_STATUS = {
    "investigating": "The team is investigating; {ic} is leading the response.",
    "identified": "The cause is identified and a fix is in progress; {ic} is leading.",
    "monitoring": "A fix is in place and we are confirming that it holds.",
}

_STAKEHOLDERS = {
    **{
        state: UpdateTemplate(
            "{severity} incident: {title}",
            (
                _L("{scope}", "Affected"),
                _L("{business_impact}", "Business impact"),
                _L(status, "Status"),
                _L("{workaround}", "Workaround"),
                _L("{data_at_risk}", "Data at risk"),
                _L("{eta}", "ETA"),
                _NEXT,
            ),
        )
        for state, status in _STAKEHOLDER_STATUS.items()
    },
    "resolved": UpdateTemplate(
        "Resolved: {title}",
        (
            _L("Customers can use the service normally again.", "Status"),
            _L("{scope}", "Affected"),
            _L("{impact}", "Impact"),
            _L("{duration} (detected {detected}, resolved {resolved})", "Duration"),
            _L("{data_at_risk}", "Data at risk"),
            _L("A full incident report within {report_timeframe}.", "Next"),
        ),
    ),
}

DEFAULT_TEMPLATES: dict[str, dict[str, UpdateTemplate]] = {
    "external": _EXTERNAL,
    "internal": _INTERNAL,
    "stakeholders": _STAKEHOLDERS,
}
"""The built-in wording, by audience then state."""
