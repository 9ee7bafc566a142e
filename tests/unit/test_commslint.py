"""Each lint rule fires on the pattern DOMAIN.md says to avoid, and stays quiet on good text."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from incident_tui.core import operations as ops
from incident_tui.core.commslint import RULES, lint_line, lint_update
from incident_tui.core.config import AUDIENCES, STATES, Config
from incident_tui.core.models import Incident, Severity, Status
from incident_tui.core.store import IncidentStore
from incident_tui.core.templates import UpdateFormat, fill_update

T0 = datetime(2026, 11, 28, 14, 0, tzinfo=UTC)
OPEN = Incident(
    id="INC-20261128-1",
    title="Checkout failing",
    severity=Severity.SEV1,
    status=Status.IDENTIFIED,
    detected_at=T0,
    declared_at=T0,
    impact="Checkout fails for EU customers",
)
VERIFIED = OPEN.with_changes(mitigated_at=T0, verified_at=T0)
GOOD = (
    "Checkout fails for all EU customers. Engineers are working on a fix. Next update by 14:30 UTC."
)

# rule, audience, state, incident, text that fires, text that does not
CASES = [
    ("vague", "external", "identified", OPEN,
     "We are experiencing some issues with checkout for EU customers. Next update by 14:30.",
     GOOD),
    ("no-scope", "external", "identified", OPEN.with_changes(impact=""),
     "Login is down. Next update by 14:30.",
     "Login is down for users in the EU region. Next update by 14:30."),
    ("no-time", "external", "identified", OPEN,
     "Checkout fails for EU customers. Engineers are working on a fix.",
     GOOD),
    ("resolved-soon", "internal", "identified", OPEN,
     "Checkout for EU customers should be resolved soon. Next update by 14:30.",
     GOOD),
    ("premature-all-clear", "external", "monitoring", OPEN,
     "Checkout is back up for all customers. Next update by 14:30.",
     "A fix is applied for all customers; we are monitoring. Next update by 14:30."),
    ("speculation", "external", "identified", OPEN,
     "Checkout fails for EU customers, likely caused by a bad deploy. Next update by 14:30.",
     GOOD),
    ("hollow-apology", "external", "identified", OPEN,
     GOOD + " We are sorry for any inconvenience.",
     GOOD + " Customers can retry failed orders once checkout recovers."),
    ("blame", "internal", "identified", OPEN,
     GOOD + " This was human error.",
     GOOD + " The release check missed the pool change."),
    ("jargon", "stakeholders", "identified", OPEN,
     "Checkout returns 5xx for EU customers; pods are restarting. Next update by 14:30.",
     GOOD),
]  # fmt: skip


def _rules(text: str, audience: str, state: str, incident: Incident) -> set[str]:
    return {w.rule for w in lint_update(text, audience, state, incident)}


@pytest.mark.parametrize(("rule", "audience", "state", "incident", "bad", "good"), CASES)
def test_rule_fires_on_bad_text_and_not_on_good(
    rule: str, audience: str, state: str, incident: Incident, bad: str, good: str
) -> None:
    assert rule in _rules(bad, audience, state, incident)
    assert rule not in _rules(good, audience, state, incident)


def test_every_rule_has_a_case() -> None:
    assert {case[0] for case in CASES} == set(RULES)


def test_all_clear_is_fine_once_verified() -> None:
    text = "This incident has been resolved. Service has been restored."
    assert "premature-all-clear" in _rules(text, "external", "resolved", OPEN)
    assert "premature-all-clear" not in _rules(text, "external", "resolved", VERIFIED)
    soon = "Should be resolved soon for all customers. Next update by 14:30."
    assert "resolved-soon" not in _rules(soon, "internal", "monitoring", VERIFIED)


def test_speculation_is_only_an_external_problem() -> None:
    text = "Checkout fails for EU customers, probably because of the pool. Next update by 14:30."
    assert "speculation" in _rules(text, "external", "identified", OPEN)
    assert "speculation" not in _rules(text, "internal", "identified", OPEN)


def test_default_templates_are_clean_once_verified(store: IncidentStore) -> None:
    handle = ops.declare(
        store, "Checkout failing", severity=Severity.SEV1, impact="Checkout fails for EU customers"
    )
    ops.mark(handle, "verified", "test orders go through")
    ops.edit_header(handle, scope="checkout for EU customers")
    record = handle.record()
    for audience in AUDIENCES:
        for state in STATES:
            text = fill_update(record, audience, state, UpdateFormat.PLAIN, T0, Config())
            assert lint_update(text, audience, state, record.incident) == [], (audience, state)


def test_lint_line_joins_messages_on_one_line() -> None:
    warnings = lint_update(
        "Some issues. Sorry for any inconvenience.", "external", "identified", OPEN
    )
    line = lint_line(warnings)
    assert "\n" not in line and line.startswith("⚠ ") and "vague wording" in line
    assert lint_line([]) == "No problems found"


def test_words_from_the_incident_title_are_never_flagged() -> None:
    titled = replace(OPEN, title="Primary database down after the 14:00 deploy")
    text = (
        "Identified: primary database down after the 14:00 deploy. Checkout fails for all EU "
        "customers. Next update by 15:00."
    )
    assert lint_update(text, "external", "identified", titled) == []
    # The same words are still flagged when the title does not contain them.
    assert "jargon" in _rules(text, "external", "identified", OPEN)
    # A word merely inside a title word is not the title's word: "db" is not "database".
    assert "jargon" in _rules(
        "The db is slow for all users. Next update by 15:00.", "stakeholders", "identified", titled
    )
