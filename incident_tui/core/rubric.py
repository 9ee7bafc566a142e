"""The severity rubric from the playbook, as data: what each level means and what it demands.

Headless on purpose: the UI shows it, the comms and nudge rules read cadences and targets.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from incident_tui.core.models import Severity


@dataclass(frozen=True)
class SeverityLevel:
    """One row of the rubric: how bad, who responds how, and how fast."""

    severity: Severity
    name: str
    """The level's one-word name (Critical, Major, Minor, Low)."""
    definition: str
    """What makes an incident this severe."""
    response: str
    """Who responds and how."""
    ack_target: str
    """How soon the first responder must acknowledge, as people say it."""
    ack_within: timedelta | None
    """The ack target as a duration; None when it is "next business day"."""
    cadence: str
    """How often updates go out, as people say it."""
    update_every: timedelta | None
    """The update cadence as a duration; None when there is no fixed cadence."""
    resolution_target: str
    """How soon it should be resolved."""

    @property
    def label(self) -> str:
        """``SEV-1 Critical`` and so on."""
        return f"{self.severity.label} {self.name}"


RUBRIC: dict[Severity, SeverityLevel] = {
    Severity.SEV1: SeverityLevel(
        severity=Severity.SEV1,
        name="Critical",
        definition=(
            "Major customer-facing functionality broken, data integrity at risk, "
            "a security breach, or significant ongoing revenue loss"
        ),
        response=(
            "All hands; IC within 10 min of detection; war room; public status page at once; "
            "executives told within 15 min, customers within 30 min"
        ),
        ack_target="5 min",
        ack_within=timedelta(minutes=5),
        cadence="every 15 min",
        update_every=timedelta(minutes=15),
        resolution_target="as fast as possible",
    ),
    Severity.SEV2: SeverityLevel(
        severity=Severity.SEV2,
        name="Major",
        definition=(
            "Significant degradation, some customers affected, an important feature "
            "unavailable, or revenue impact"
        ),
        response=(
            "IC within 30 min; active response; internal communication; public if customer-facing"
        ),
        ack_target="15 min",
        ack_within=timedelta(minutes=15),
        cadence="every 30 min",
        update_every=timedelta(minutes=30),
        resolution_target="within hours",
    ),
    Severity.SEV3: SeverityLevel(
        severity=Severity.SEV3,
        name="Minor",
        definition="Limited impact, a workaround exists, or only a small group of users",
        response=("Single owner on standard on-call; no status page unless customer-facing"),
        ack_target="1 hour",
        ack_within=timedelta(hours=1),
        cadence="as progress dictates",
        update_every=None,
        resolution_target="within a day",
    ),
    Severity.SEV4: SeverityLevel(
        severity=Severity.SEV4,
        name="Low",
        definition="Cosmetic, an edge case, or low frequency",
        response="Tracked as a bug in the normal queue",
        ack_target="next business day",
        ack_within=None,
        cadence="none",
        update_every=None,
        resolution_target="as prioritised",
    ),
}
"""Every level, keyed by severity, in order SEV-1 to SEV-4."""

UNSURE_ADVICE = "Unsure between SEV-1 and SEV-2? Start at SEV-1: de-escalating is easier."


def level(severity: Severity) -> SeverityLevel:
    """The rubric row for one severity."""
    return RUBRIC[severity]
