"""The playbook data a user relies on: the patterns, the rubrics, the criteria, the AAR window."""

from __future__ import annotations

from datetime import date

import pytest

from incident_tui.core import operations as ops
from incident_tui.core import playbook
from incident_tui.core.errors import InvalidInputError
from incident_tui.core.models import Status
from incident_tui.core.store import IncidentStore

TODAY = date(2026, 11, 28)


def test_mitigation_patterns_gentlest_first_then_maintenance_then_other() -> None:
    keys = [p.key for p in playbook.MITIGATIONS]
    assert keys == [
        "rollback",
        "flag-off",
        "failover",
        "restore",
        "scale-up",
        "throttle",
        "degrade",
        "maintenance",
        "other",
    ]
    assert "last resort" in playbook.mitigation("maintenance").when.lower()


def test_restore_and_other_read_as_the_ic_wrote_them() -> None:
    restore = playbook.mitigation("restore")
    assert restore.name == "Restore from backup"
    assert (
        playbook.mitigation_text(restore, "pg_basebackup from 06:00")
        == "Restore from backup: pg_basebackup from 06:00"
    )
    other = playbook.mitigation("other")
    assert (
        playbook.mitigation_text(other, "  moved DNS to the\nold LB ") == "moved DNS to the old LB"
    )
    with pytest.raises(InvalidInputError, match="other needs a description"):
        playbook.mitigation_text(other, "  ")


def test_milestone_labels_are_not_repeated() -> None:
    assert (
        playbook.mitigation_what("Mitigation applied: Roll back: api 2.13") == "Roll back: api 2.13"
    )
    assert playbook.mitigation_what("Mitigation verified: checkout works") == "checkout works"
    assert playbook.mitigation_what("Scaled the pool") == "Scaled the pool"


def test_every_first_try_points_at_a_real_pattern_or_none() -> None:
    symptoms = {t.key: t for t in playbook.FIRST_TRIES}
    assert len(symptoms) == 7
    for first in playbook.FIRST_TRIES:
        if first.pattern is not None:
            playbook.mitigation(first.pattern)  # raises if the key is wrong
    assert symptoms["errors-after-deploy"].pattern == "rollback"
    assert symptoms["one-feature"].pattern == "flag-off"
    assert "rotate credentials" in symptoms["security"].first_try


def test_unknown_mitigation_gets_a_one_line_error_listing_choices() -> None:
    with pytest.raises(InvalidInputError, match="rollback, flag-off") as err:
        playbook.mitigation("reboot")
    assert "\n" not in str(err.value)


def test_mitigation_text_keeps_the_ics_detail() -> None:
    rollback = playbook.mitigation("rollback")
    assert playbook.mitigation_text(rollback) == "Roll back"
    assert playbook.mitigation_text(rollback, " to 2.13.2 ") == "Roll back: to 2.13.2"


def test_the_four_rubrics_and_what_unsure_means() -> None:
    assert list(playbook.RUBRICS) == [
        "rollback",
        "declare-sev1",
        "communicate-publicly",
        "escalate",
    ]
    rollback = playbook.rubric("rollback")
    assert rollback.answer_text("y") == "Roll back? Yes"
    assert rollback.answer_text("no") == "Roll back? No"
    assert rollback.answer_text("?").startswith("Roll back? Unsure, so yes")
    assert "de-escalating" in playbook.rubric("declare-sev1").when_unsure


def test_bad_rubric_input_is_rejected() -> None:
    with pytest.raises(InvalidInputError, match="yes, no or unsure"):
        playbook.parse_answer("perhaps")
    with pytest.raises(InvalidInputError, match="unknown rubric"):
        playbook.rubric("panic")


def test_criteria_keys_are_stable_and_unticked_follows_the_checklist(
    store: IncidentStore,
) -> None:
    assert playbook.CRITERION_KEYS == (
        "mitigation-verified",
        "root-cause",
        "systems-normal",
        "customers-restored",
        "final-updates",
        "channel-closable",
    )
    inc = ops.declare(store, "Checkout failing")
    assert len(playbook.unticked(inc.incident)) == 6
    ops.tick_criterion(inc, "root-cause")
    ops.tick_criterion(inc, "systems-normal")
    ops.tick_criterion(inc, "systems-normal", False)
    left = [c.key for c in playbook.unticked(inc.incident)]
    assert "root-cause" not in left
    assert "systems-normal" in left
    assert inc.incident.status is Status.INVESTIGATING


def test_aar_date_defaults_to_a_week_and_stays_within_two_weeks() -> None:
    assert playbook.default_aar_date(TODAY) == date(2026, 12, 5)
    assert playbook.parse_aar_date("", TODAY) == date(2026, 12, 5)
    assert playbook.parse_aar_date("+10", TODAY) == date(2026, 12, 8)
    assert playbook.parse_aar_date("2026-12-12", TODAY) == date(2026, 12, 12)
    with pytest.raises(InvalidInputError, match="AAR date must be between"):
        playbook.parse_aar_date("2026-12-13", TODAY)
    with pytest.raises(InvalidInputError, match="AAR date must be between"):
        playbook.parse_aar_date("2026-11-28", TODAY)
    with pytest.raises(InvalidInputError, match="YYYY-MM-DD"):
        playbook.parse_aar_date("next tuesday", TODAY)
