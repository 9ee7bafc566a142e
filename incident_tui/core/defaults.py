"""The built-in update cadence and wording: DOMAIN.md's rubric and the status-page messages.

Kept apart from :mod:`incident_tui.core.config`, which reads the user's overrides of these.
"""

from __future__ import annotations

from dataclasses import dataclass

from incident_tui.core.models import Severity

STATES = ("investigating", "identified", "monitoring", "resolved")
"""The four status-page messages; every template set has one per state."""


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


# Minutes between updates by severity, internal / stakeholders / external. None: no countdown
# (SEV-3 updates "as progress dictates", SEV-4 needs none). From the rubric in DOMAIN.md.
DEFAULT_CADENCE: dict[Severity, dict[str, int | None]] = {
    Severity.SEV1: {"internal": 15, "stakeholders": 30, "external": 30},
    Severity.SEV2: {"internal": 30, "stakeholders": 60, "external": 30},
    Severity.SEV3: {"internal": None, "stakeholders": None, "external": None},
    Severity.SEV4: {"internal": None, "stakeholders": None, "external": None},
}

_L = TemplateLine

# External wording is the seed's four status-page messages (the user's own specification),
# placeholders filled. "Updates to follow" gains a time so the first post has a commitment too.
DEFAULT_TEMPLATES: dict[str, dict[str, UpdateTemplate]] = {
    "external": {
        "investigating": UpdateTemplate(
            "Investigating",
            (
                _L(
                    "We are investigating reports of {issue}. Updates to follow. "
                    "Next update by {next_update}."
                ),
            ),
        ),
        "identified": UpdateTemplate(
            "Identified",
            (
                _L(
                    "We have identified the issue affecting {scope}. Engineers are working on "
                    "a fix. Next update by {next_update}."
                ),
            ),
        ),
        "monitoring": UpdateTemplate(
            "Monitoring",
            (
                _L(
                    "A fix has been applied. We are monitoring to confirm resolution. "
                    "Next update by {next_update}."
                ),
            ),
        ),
        "resolved": UpdateTemplate(
            "Resolved",
            (
                _L(
                    "This incident has been resolved. Service has been restored. A full "
                    "incident report will be posted within {report_timeframe}."
                ),
            ),
        ),
    },
    "internal": {
        state: UpdateTemplate(
            "{severity} {title}: " + state + " ({now})",
            (
                _L("{known}", "What we know"),
                _L("{doing}", "What we are doing"),
                _L("{eta}", "ETA"),
                _L("{roles}", "Roles"),
                _L("{next_update}", "Next update by"),
            ),
        )
        for state in STATES
    },
    "stakeholders": {
        "investigating": UpdateTemplate(
            "{severity} incident: {title}",
            (
                _L("{business_impact}", "Business impact"),
                _L("The team is investigating; {ic} is leading the response.", "Status"),
                _L("{next_update}", "Next update by"),
            ),
        ),
        "identified": UpdateTemplate(
            "{severity} incident: {title}",
            (
                _L("{business_impact}", "Business impact"),
                _L("The cause is identified and a fix is in progress.", "Status"),
                _L("{next_update}", "Next update by"),
            ),
        ),
        "monitoring": UpdateTemplate(
            "{severity} incident: {title}",
            (
                _L("{business_impact}", "Business impact"),
                _L("A fix is in place and we are confirming that it holds.", "Status"),
                _L("{next_update}", "Next update by"),
            ),
        ),
        "resolved": UpdateTemplate(
            "Resolved: {title}",
            (
                _L("Customers can use the service normally again.", "Status"),
                _L("Lasted {duration}; {impact}.", "Impact"),
                _L("A full incident report within {report_timeframe}.", "Next"),
            ),
        ),
    },
}
