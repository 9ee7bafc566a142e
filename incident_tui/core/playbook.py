"""The playbook's judgement as data: mitigation patterns, first tries by symptom, the IC's
decision rubrics, and the resolution criteria.

Headless: the modals show these, the nudge rules and the close flow read them. Keys are
stable (they are stored in incident files), so rename the text freely but never a key.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from incident_tui.core.errors import InvalidInputError
from incident_tui.core.models import EventKind, Incident, IncidentRecord
from incident_tui.core.rules import AarWindow


@dataclass(frozen=True)
class MitigationPattern:
    """One way to stop user impact before the cause is understood."""

    key: str
    name: str
    how: str
    """What doing it means, in a line."""
    when: str
    """When it is the right reach."""


MITIGATIONS: tuple[MitigationPattern, ...] = (
    MitigationPattern(
        "rollback",
        "Roll back",
        "Redeploy the last known-good version",
        "A recent deploy or change lines up with the start of impact",
    ),
    MitigationPattern(
        "flag-off",
        "Feature flag off",
        "Switch off the flag guarding the new or broken path",
        "One feature is broken and sits behind a flag",
    ),
    MitigationPattern(
        "failover",
        "Fail over",
        "Move traffic to a healthy replica, region or provider",
        "One instance, zone or dependency is unhealthy and a standby exists",
    ),
    MitigationPattern(
        "restore",
        "Restore from backup",
        "Restore the data from the last good backup or snapshot",
        "Data is lost or corrupted and a known-good copy exists (check it first)",
    ),
    MitigationPattern(
        "scale-up",
        "Scale up",
        "Add instances, capacity or connections",
        "Saturation: CPU, memory, pool or queue limits are being hit",
    ),
    MitigationPattern(
        "throttle",
        "Throttle",
        "Rate-limit or shed the traffic that is hurting everyone else",
        "A load spike, a noisy client or a retry storm",
    ),
    MitigationPattern(
        "degrade",
        "Graceful degradation",
        "Turn off non-essential work so the core flow keeps serving",
        "Core paths are starved by optional features or slow extras",
    ),
    MitigationPattern(
        "maintenance",
        "Maintenance mode",
        "Take the service offline behind a clear notice",
        "Last resort: continuing to serve would do more harm (data, security)",
    ),
    MitigationPattern(
        "other",
        "Other",
        "Something else: describe it in your own words",
        "None of the patterns above fits",
    ),
)
"""The mitigation patterns, gentlest first; maintenance mode is the last resort, then "other"
for what the IC describes in their own words."""

OTHER = "other"
"""The key of the free-text pattern."""


@dataclass(frozen=True)
class FirstTry:
    """What to try first for a symptom, and which pattern (if any) that usually means."""

    key: str
    symptom: str
    first_try: str
    pattern: str | None
    """Key of the mitigation pattern this usually comes to, or None when it is an inquiry."""


FIRST_TRIES: tuple[FirstTry, ...] = (
    FirstTry(
        "errors-after-deploy", "Errors right after a deploy", "Roll the deploy back", "rollback"
    ),
    FirstTry(
        "errors-no-deploy",
        "Errors with no deploy",
        "Look at third-party status and recent config changes",
        None,
    ),
    FirstTry(
        "database-errors",
        "Database errors",
        "Check the connection pool, recent queries, then capacity",
        "scale-up",
    ),
    FirstTry(
        "latency-spike",
        "Latency spike",
        "Check load, capacity and slow downstream calls",
        "throttle",
    ),
    FirstTry("one-feature", "One feature broken", "Switch its feature flag off", "flag-off"),
    FirstTry(
        "security",
        "Security incident",
        "Isolate the affected systems, rotate credentials, preserve logs",
        None,
    ),
    FirstTry(
        "data-integrity",
        "Data integrity at risk",
        "Stop writes, take a snapshot, investigate before carrying on",
        "maintenance",
    ),
)
"""Symptom to first try, in the order an IC scans them."""


def mitigation(key: str) -> MitigationPattern:
    """The pattern with ``key``; a one-line error for an unknown key."""
    for pattern in MITIGATIONS:
        if pattern.key == key:
            return pattern
    choices = ", ".join(p.key for p in MITIGATIONS)
    raise InvalidInputError(f"unknown mitigation {key!r}; choose one of: {choices}")


def mitigation_text(pattern: MitigationPattern, detail: str = "") -> str:
    """The timeline text for applying ``pattern``, with the IC's own detail if given.

    "Other" is the IC's own words alone, so it needs them.
    """
    detail = " ".join(detail.split())
    if pattern.key == OTHER:
        if not detail:
            raise InvalidInputError("say what the mitigation was (other needs a description)")
        return detail
    return f"{pattern.name}: {detail}" if detail else pattern.name


MILESTONE_LABELS = ("Mitigation applied: ", "Mitigation verified: ")
"""The labels the milestone rows start with (see ``IncidentFile.mark``)."""


def mitigation_what(text: str) -> str:
    """What was done, from a mitigation row, without its milestone label: "Roll back: api 2.13"
    from "Mitigation applied: Roll back: api 2.13", so nothing reads "Applied: Mitigation
    applied: ..."."""
    for label in MILESTONE_LABELS:
        if text.startswith(label):
            return text[len(label) :].strip()
    return text.strip()


# -- decision rubrics ------------------------------------------------------------------------

ANSWERS = ("yes", "no", "unsure")
"""The answers a rubric can record."""


@dataclass(frozen=True)
class DecisionRubric:
    """A question the IC often faces, with the signs that point each way."""

    key: str
    question: str
    yes_if: tuple[str, ...]
    no_if: tuple[str, ...]
    when_unsure: str
    """What the playbook says to do when the signs are mixed."""
    unsure_means: str
    """``yes`` or ``no``: the answer "unsure" leans to, so the log says what was done."""

    def answer_text(self, answer: str) -> str:
        """The decision as the log should read it, for one of :data:`ANSWERS`."""
        answer = parse_answer(answer)
        if answer == "unsure":
            return f"{self.question} Unsure, so {self.unsure_means} ({self.when_unsure})"
        return f"{self.question} {answer.capitalize()}"


RUBRICS: dict[str, DecisionRubric] = {
    rubric.key: rubric
    for rubric in (
        DecisionRubric(
            key="rollback",
            question="Roll back?",
            yes_if=(
                "a recent deploy lines up with when impact began",
                "rolling back is safe",
                "staying broken is the bigger risk",
            ),
            no_if=(
                "the trouble started before the deploy",
                "rolling back would lose data",
                "a targeted fix is quicker",
            ),
            when_unsure="when in doubt, roll back",
            unsure_means="yes",
        ),
        DecisionRubric(
            key="declare-sev1",
            question="Declare SEV-1?",
            yes_if=(
                "most users cannot use the core product",
                "revenue is being lost quickly",
                "data integrity or security is at stake",
                "leadership has to know",
            ),
            no_if=("none of those hold: impact is partial or has a workaround",),
            when_unsure="start at SEV-1; de-escalating is easier than scaling up",
            unsure_means="yes",
        ),
        DecisionRubric(
            key="communicate-publicly",
            question="Communicate publicly?",
            yes_if=(
                "customers notice",
                "support is getting questions",
                "it can be seen from outside",
                "regulators may need to be told",
            ),
            no_if=("it is internal only and invisible to customers",),
            when_unsure="when in doubt, communicate",
            unsure_means="yes",
        ),
        DecisionRubric(
            key="escalate",
            question="Escalate to leadership?",
            yes_if=(
                "it is a SEV-1",
                "a SEV-2 is running long",
                "the call is beyond the IC's authority",
                "the reputational risk is material",
            ),
            no_if=("the response is on track and within the IC's authority",),
            when_unsure="when in doubt, tell them early; a short heads-up costs little",
            unsure_means="yes",
        ),
    )
}
"""The four decision rubrics, by stable key."""


def rubric(key: str) -> DecisionRubric:
    """The rubric with ``key``; a one-line error for an unknown key."""
    try:
        return RUBRICS[key]
    except KeyError:
        choices = ", ".join(RUBRICS)
        raise InvalidInputError(f"unknown rubric {key!r}; choose one of: {choices}") from None


def parse_answer(text: str) -> str:
    """Normalise a rubric answer (``y``/``yes``, ``n``/``no``, ``?``/``unsure``)."""
    raw = text.strip().lower()
    aliases = {"y": "yes", "n": "no", "?": "unsure", "u": "unsure", "maybe": "unsure"}
    raw = aliases.get(raw, raw)
    if raw not in ANSWERS:
        raise InvalidInputError(f"rubric answer must be yes, no or unsure, not {text!r}")
    return raw


# -- resolution and closure ------------------------------------------------------------------


@dataclass(frozen=True)
class Criterion:
    """One condition for calling the incident over."""

    key: str
    text: str


RESOLUTION_CRITERIA: tuple[Criterion, ...] = (
    Criterion("mitigation-verified", "Mitigation in place and verified by testing the user flow"),
    Criterion("root-cause", "Root cause found, or explicitly deferred to the AAR"),
    Criterion("systems-normal", "Every affected system back to normal"),
    Criterion("customers-restored", "Customers can use the product normally again"),
    Criterion("final-updates", "Final internal and external updates posted"),
    Criterion("channel-closable", "Incident channel can be closed"),
)
"""The resolution checklist; keys are stored in ``Incident.checklist``."""

CRITERION_KEYS = tuple(c.key for c in RESOLUTION_CRITERIA)


def unticked(incident: Incident) -> list[Criterion]:
    """Resolution criteria not ticked yet, in checklist order."""
    return [c for c in RESOLUTION_CRITERIA if not incident.checklist.get(c.key, False)]


FINAL_UPDATES = "final-updates"
"""The criterion read from the timeline rather than ticked by hand."""
FINAL_UPDATE_AUDIENCES = ("internal", "external")


def final_updates_posted(record: IncidentRecord) -> bool:
    """True once a "resolved" update to the internal team and to customers is on the timeline."""
    from incident_tui.core.rules import struck_ids

    struck = struck_ids(record)  # an update struck as never sent does not count
    posted = {
        event.data.get("audience")
        for event in record.events_of(EventKind.COMMS)
        if event.data.get("template") == "resolved" and event.id not in struck
    }
    return all(audience in posted for audience in FINAL_UPDATE_AUDIENCES)


def checklist_state(record: IncidentRecord) -> dict[str, bool]:
    """Every criterion's state: ticked by hand, except the final updates, read from the record."""
    stored = record.incident.checklist
    state = {c.key: bool(stored.get(c.key, False)) for c in RESOLUTION_CRITERIA}
    state[FINAL_UPDATES] = final_updates_posted(record)
    return state


def criterion(key: str) -> Criterion:
    """The criterion with ``key``; a one-line error for an unknown key."""
    for item in RESOLUTION_CRITERIA:
        if item.key == key:
            return item
    raise InvalidInputError(
        f"unknown resolution criterion {key!r}; choose one of: {', '.join(CRITERION_KEYS)}"
    )


AAR_WINDOW = AarWindow()
"""The playbook's AAR window (1 to 2 weeks out, one week by default); config may change it."""
AAR_DEFAULT = timedelta(days=AAR_WINDOW.default)
AAR_LATEST = timedelta(days=AAR_WINDOW.latest)


def default_aar_date(today: date) -> date:
    """One week out: inside the playbook's one-to-two-week window, while memories are fresh."""
    return AAR_WINDOW.default_date(today)


def check_aar_date(aar: date, today: date) -> date:
    """Accept an AAR date inside the default window (see :class:`AarWindow`)."""
    return AAR_WINDOW.check(aar, today)


def parse_aar_date(text: str, today: date) -> date:
    """Read ``YYYY-MM-DD`` or ``+N`` (days from today) and check it is in the window."""
    return AAR_WINDOW.parse(text, today)
