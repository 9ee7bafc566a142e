"""Each nudge rule, on a real store with a frozen clock: it fires, it does not fire, it clears."""

from __future__ import annotations

from datetime import timedelta

from incident_tui.core import attention_rules as nudges
from incident_tui.core import operations as ops
from incident_tui.core.clock import FrozenClock
from incident_tui.core.models import Role, Severity, Status
from incident_tui.core.playbook import CRITERION_KEYS
from incident_tui.core.store import IncidentFile, IncidentStore


def keys(inc: IncidentFile, clock: FrozenClock) -> list[str]:
    """Keys of the nudges shown right now."""
    return [n.key for n in nudges.active(inc.record(), clock.now())]


def staffed(store: IncidentStore, severity: Severity = Severity.SEV2) -> IncidentFile:
    """An acknowledged incident with IC, comms, ops and scribe in place."""
    inc = ops.declare(store, "Checkout failing", severity=severity, responder="ana")
    ops.assign_role(inc, Role.COMMS, "ben")
    ops.assign_role(inc, Role.OPS, "cy")
    ops.assign_role(inc, Role.SCRIBE, "dee")
    return inc


def comms(inc: IncidentFile, audience: str) -> None:
    ops.record_update(
        inc, audience, "...", summary=f"update to {audience}", details={"template": "investigating"}
    )


def test_a_fully_staffed_acknowledged_incident_has_no_nudges(store: IncidentStore, clock) -> None:
    inc = staffed(store)
    assert keys(inc, clock) == []


def test_no_ic_fires_and_clears_when_someone_takes_it(store: IncidentStore, clock) -> None:
    inc = ops.declare(store, "Slow search", severity=Severity.SEV3)
    assert "no-ic" in keys(inc, clock)
    ops.assign_role(inc, Role.IC, "ana")
    assert "no-ic" not in keys(inc, clock)
    ops.release_role(inc, Role.IC, "ana")
    assert "no-ic" in keys(inc, clock)


def test_no_scribe_fires_until_a_scribe_is_named(store: IncidentStore, clock) -> None:
    inc = ops.declare(store, "Slow search", severity=Severity.SEV3, responder="ana")
    assert "no-scribe" in keys(inc, clock)
    ops.assign_role(inc, Role.SCRIBE, "dee")
    assert "no-scribe" not in keys(inc, clock)


def test_core_roles_names_what_is_missing_at_sev2(store: IncidentStore, clock) -> None:
    inc = ops.declare(store, "Checkout failing", severity=Severity.SEV2, responder="ana")
    found = {n.key: n for n in nudges.active(inc.record(), clock.now())}
    assert "communications lead" in found["core-roles"].message
    assert "operations lead" in found["core-roles"].message
    assert str(found["core-roles"].act) == "role:comms"
    ops.assign_role(inc, Role.COMMS, "ben")
    found = {n.key: n for n in nudges.active(inc.record(), clock.now())}
    assert "communications lead" not in found["core-roles"].message
    ops.assign_role(inc, Role.OPS, "cy")
    assert "core-roles" not in keys(inc, clock)


def test_core_roles_does_not_apply_to_sev3(store: IncidentStore, clock) -> None:
    inc = ops.declare(store, "Slow search", severity=Severity.SEV3, responder="ana")
    assert "core-roles" not in keys(inc, clock)
    ops.set_severity(inc, Severity.SEV2, "more users affected")
    assert "core-roles" in keys(inc, clock)


def test_ic_late_fires_ten_minutes_after_detection_at_sev1(store: IncidentStore, clock) -> None:
    inc = ops.declare(store, "Checkout down", severity=Severity.SEV1)
    clock.advance(timedelta(minutes=9, seconds=59))
    assert "ic-late" not in keys(inc, clock)
    assert "no-ic" in keys(inc, clock)
    clock.advance(timedelta(seconds=1))
    shown = keys(inc, clock)
    assert "ic-late" in shown
    assert "no-ic" not in shown  # the sharper nudge replaces the general one
    ops.assign_role(inc, Role.IC, "ana")
    assert not {"ic-late", "no-ic"} & set(keys(inc, clock))


def test_ic_late_counts_from_detection_not_declaration(store: IncidentStore, clock) -> None:
    inc = ops.declare(
        store,
        "Checkout down",
        severity=Severity.SEV1,
        detected_at=clock.now() - timedelta(minutes=12),
    )
    assert "ic-late" in keys(inc, clock)


def test_ic_late_is_sev1_only(store: IncidentStore, clock) -> None:
    inc = ops.declare(store, "Checkout slow", severity=Severity.SEV2)
    clock.advance(timedelta(minutes=20))
    assert "ic-late" not in keys(inc, clock)


def test_executives_first_update_is_due_15_minutes_after_declaration_at_sev1(
    store: IncidentStore, clock
) -> None:
    inc = staffed(store, Severity.SEV1)
    clock.advance(timedelta(minutes=14))
    comms(inc, "internal")
    assert "update-overdue:stakeholders" not in keys(inc, clock)
    clock.advance(timedelta(minutes=1))
    found = {n.key: n for n in nudges.active(inc.record(), clock.now())}
    # An internal update is not the executives.
    assert "not told yet" in found["update-overdue:stakeholders"].message
    comms(inc, "stakeholders")
    assert "update-overdue:stakeholders" not in keys(inc, clock)


def test_customers_first_update_is_due_30_minutes_after_declaration_at_sev1(
    store: IncidentStore, clock
) -> None:
    inc = staffed(store, Severity.SEV1)
    comms(inc, "stakeholders")
    clock.advance(timedelta(minutes=29))
    comms(inc, "internal")
    assert "update-overdue:external" not in keys(inc, clock)
    clock.advance(timedelta(minutes=1))
    found = {n.key: n for n in nudges.active(inc.record(), clock.now())}
    assert str(found["update-overdue:external"].act) == "comms:external"
    comms(inc, "external")
    assert "update-overdue:external" not in keys(inc, clock)


def test_ack_late_uses_each_severity_target(store: IncidentStore, clock) -> None:
    targets = {
        Severity.SEV1: timedelta(minutes=5),
        Severity.SEV2: timedelta(minutes=15),
        Severity.SEV3: timedelta(hours=1),
        Severity.SEV4: timedelta(hours=24),
    }
    for severity, target in targets.items():
        start = clock.now()
        inc = ops.declare(store, f"unacked {severity.label}", severity=severity)
        clock.set(start + target - timedelta(seconds=1))
        assert "ack-late" not in keys(inc, clock), severity
        clock.set(start + target)
        assert "ack-late" in keys(inc, clock), severity
        ops.mark(inc, "acknowledged", "by ana")
        assert "ack-late" not in keys(inc, clock), severity


def test_declaring_with_a_responder_counts_as_acknowledged(store: IncidentStore, clock) -> None:
    inc = ops.declare(store, "Checkout down", severity=Severity.SEV1, responder="ana")
    clock.advance(timedelta(minutes=6))
    assert "ack-late" not in keys(inc, clock)


def test_premature_all_clear_fires_when_resolved_unverified(store: IncidentStore, clock) -> None:
    inc = staffed(store)
    ops.mark(inc, "mitigated", "rolled back")
    ops.set_status(inc, Status.RESOLVED)
    found = {n.key: n for n in nudges.active(inc.record(), clock.now())}
    assert "mitigation not verified" in found["premature-all-clear"].message
    assert str(found["premature-all-clear"].act) == "verify"


def test_premature_all_clear_fires_when_criteria_are_unticked(store: IncidentStore, clock) -> None:
    inc = staffed(store)
    ops.mark(inc, "verified", "checkout flow tested")
    for key in CRITERION_KEYS[:-1]:
        ops.tick_criterion(inc, key)
    ops.set_status(inc, Status.RESOLVED)
    found = {n.key: n for n in nudges.active(inc.record(), clock.now())}
    assert "1 resolution criteria unticked" in found["premature-all-clear"].message
    ops.tick_criterion(inc, CRITERION_KEYS[-1])
    assert "premature-all-clear" not in keys(inc, clock)


def test_premature_all_clear_does_not_fire_before_resolution(store: IncidentStore, clock) -> None:
    inc = staffed(store)
    ops.set_status(inc, Status.MONITORING)
    assert "premature-all-clear" not in keys(inc, clock)


def test_premature_all_clear_clears_when_reopened(store: IncidentStore, clock) -> None:
    inc = staffed(store)
    ops.set_status(inc, Status.RESOLVED)
    assert "premature-all-clear" in keys(inc, clock)
    ops.set_status(inc, Status.MONITORING, "errors came back")
    assert "premature-all-clear" not in keys(inc, clock)


def test_silence_fires_after_ten_quiet_minutes_on_sev1_and_sev2(
    store: IncidentStore, clock
) -> None:
    inc = staffed(store, Severity.SEV2)
    clock.advance(timedelta(minutes=9))
    assert "silence" not in keys(inc, clock)
    clock.advance(timedelta(minutes=1))
    assert "silence" in keys(inc, clock)
    ops.log(inc, "still looking at the pool")
    assert "silence" not in keys(inc, clock)


def test_silence_does_not_apply_to_sev3_or_resolved(store: IncidentStore, clock) -> None:
    minor = staffed(store, Severity.SEV3)
    clock.advance(timedelta(minutes=30))
    assert "silence" not in keys(minor, clock)
    major = staffed(store, Severity.SEV2)
    for key in CRITERION_KEYS:
        ops.tick_criterion(major, key)
    ops.mark(major, "verified")
    ops.set_status(major, Status.RESOLVED)
    clock.advance(timedelta(minutes=30))
    assert keys(major, clock) == []


def test_closed_incidents_have_no_nudges(store: IncidentStore, clock) -> None:
    inc = ops.declare(store, "Old", severity=Severity.SEV1)
    ops.close(inc)
    clock.advance(timedelta(hours=2))
    assert keys(inc, clock) == []


def test_dismissal_hides_a_nudge_and_is_on_the_timeline(store: IncidentStore, clock) -> None:
    inc = ops.declare(store, "Slow search", severity=Severity.SEV3, responder="ana")
    (nudge,) = [n for n in nudges.active(inc.record(), clock.now()) if n.key == "no-scribe"]
    ops.dismiss_nudge(inc, nudge.key)
    assert "no-scribe" not in keys(inc, clock)
    logged = inc.record().events[-1]
    assert logged.data == {"nudge": "no-scribe", "dismissed": True}
    assert "No scribe" in logged.text


def test_a_dismissed_nudge_returns_when_its_condition_fires_again(
    store: IncidentStore, clock
) -> None:
    inc = ops.declare(store, "Slow search", severity=Severity.SEV3, responder="ana")
    nudge = next(n for n in nudges.active(inc.record(), clock.now()) if n.key == "no-scribe")
    ops.dismiss_nudge(inc, nudge.key)
    clock.advance(timedelta(minutes=1))
    ops.assign_role(inc, Role.SCRIBE, "dee")
    clock.advance(timedelta(minutes=1))
    ops.release_role(inc, Role.SCRIBE, "dee")
    assert "no-scribe" in keys(inc, clock)


def test_dismissing_silence_does_not_count_as_activity(store: IncidentStore, clock) -> None:
    inc = staffed(store, Severity.SEV1)
    comms(inc, "stakeholders")
    comms(inc, "external")
    clock.advance(timedelta(minutes=12))
    silence = next(n for n in nudges.active(inc.record(), clock.now()) if n.key == "silence")
    ops.dismiss_nudge(inc, silence.key)
    clock.advance(timedelta(minutes=5))
    assert "silence" not in keys(inc, clock)
    assert "silence" in [n.key for n in nudges.evaluate(inc.record(), clock.now())]
    ops.log(inc, "pool resized")
    clock.advance(timedelta(minutes=10))
    assert "silence" in keys(inc, clock)  # a new silent stretch is a new episode


def test_urgent_nudges_come_first_and_attention_lines_match(store: IncidentStore, clock) -> None:
    inc = ops.declare(store, "Checkout down", severity=Severity.SEV1)
    clock.advance(timedelta(minutes=11))
    shown = nudges.active(inc.record(), clock.now())
    assert [n.urgency for n in shown] == sorted(n.urgency for n in shown)
    assert shown[0].urgency is nudges.Urgency.NOW
    lines = nudges.attention_lines(inc.record(), clock.now())
    assert len(lines) == len(shown)
    assert lines[0].startswith("attention: [now] SEV-1 without an IC 10 min after detection")
