"""Cadence and attention on a frozen clock: overdue updates are nudges, clocks start at the right
moment, final updates after resolution, IC fatigue and the IC doing hands-on work."""

from __future__ import annotations

import json
from datetime import timedelta

from click.testing import CliRunner

from incident_tui.cli import main
from incident_tui.core import operations as ops
from incident_tui.core.attention_rules import active, attention_json, attention_lines
from incident_tui.core.cadence import countdowns, suggested_audience, updates_due
from incident_tui.core.clock import FrozenClock, to_iso
from incident_tui.core.config import Config
from incident_tui.core.models import EventKind, Role, Severity, Status
from incident_tui.core.nudges import Urgency
from incident_tui.core.store import IncidentFile, IncidentStore

CONFIG = Config()


def post(inc: IncidentFile, audience: str) -> None:
    ops.record_update(inc, audience, f"update to {audience}")


def staffed(store: IncidentStore, severity: Severity = Severity.SEV2) -> IncidentFile:
    inc = ops.declare(store, "Checkout failing", severity=severity, responder="ana")
    ops.assign_role(inc, Role.COMMS, "ben")
    ops.assign_role(inc, Role.OPS, "cy")
    ops.assign_role(inc, Role.SCRIBE, "dee")
    return inc


def shown(inc: IncidentFile, clock: FrozenClock, config: Config = CONFIG) -> dict[str, object]:
    return {n.key: n for n in active(inc.record(), clock.now(), config)}


def test_an_overdue_update_is_a_nudge_whose_urgency_rises_with_lateness(
    store: IncidentStore, clock: FrozenClock
) -> None:
    inc = staffed(store)
    for audience in ("internal", "stakeholders", "external"):
        post(inc, audience)
    clock.advance(timedelta(minutes=30))  # SEV-2 internal: every 30 minutes, due now
    late = shown(inc, clock)["update-overdue:internal"]
    assert late.urgency is Urgency.SOON  # type: ignore[attr-defined]
    clock.advance(timedelta(minutes=1))
    late = shown(inc, clock)["update-overdue:internal"]
    assert late.urgency is Urgency.SOON  # type: ignore[attr-defined]
    assert late.message == "Internal team update overdue by 1m (due 14:30)"  # type: ignore[attr-defined]
    clock.advance(timedelta(minutes=59))  # an hour late
    found = shown(inc, clock)
    late = found["update-overdue:internal"]
    assert late.urgency is Urgency.NOW  # type: ignore[attr-defined]
    assert "overdue by 1h 00m" in late.message  # type: ignore[attr-defined]
    assert str(late.act) == "comms:internal"  # type: ignore[attr-defined]
    # Customers (30m) and stakeholders (60m) are late too; the strip leads with the urgent ones.
    ordered = [n.key for n in active(inc.record(), clock.now(), CONFIG)]
    assert ordered.index("update-overdue:internal") < ordered.index("update-overdue:stakeholders")
    lines = attention_lines(inc.record(), clock.now(), CONFIG)
    assert "attention: [now] Internal team update overdue by 1h 00m (due 14:30)" in "\n".join(lines)


def test_sixteen_hours_late_everywhere_is_never_nothing_needs_attention(
    store: IncidentStore, clock: FrozenClock
) -> None:
    inc = staffed(store, Severity.SEV1)
    for audience in ("internal", "stakeholders", "external"):
        post(inc, audience)
    clock.advance(timedelta(hours=16))
    keys = set(shown(inc, clock))
    assert {f"update-overdue:{a}" for a in ("internal", "stakeholders", "external")} <= keys


def test_a_raise_at_t_plus_3h_restarts_the_clock(store: IncidentStore, clock: FrozenClock) -> None:
    inc = staffed(store, Severity.SEV3)  # SEV-3: no cadence, nothing due
    clock.advance(timedelta(hours=3))
    assert not any(k.startswith("update-overdue") for k in shown(inc, clock))
    ops.set_severity(inc, Severity.SEV1, "spreading to all regions")
    # Due one cadence (or the SEV-1 first-update target) after the raise, not hours ago.
    due = {item["audience"]: item for item in updates_due(inc.record(), clock.now(), CONFIG)}
    raise_at = clock.now()
    assert due["internal"]["due_at"] == to_iso(raise_at + timedelta(minutes=15))
    assert due["stakeholders"]["due_at"] == to_iso(raise_at + timedelta(minutes=15))
    assert due["external"]["due_at"] == to_iso(raise_at + timedelta(minutes=30))
    assert not any(item["overdue"] for item in due.values())
    clock.advance(timedelta(minutes=16))
    keys = set(shown(inc, clock))
    assert {"update-overdue:internal", "update-overdue:stakeholders"} <= keys
    assert "update-overdue:external" not in keys
    # The composer opens on the most overdue audience.
    assert suggested_audience(inc.record(), clock.now(), CONFIG) == "internal"


def test_after_resolution_one_final_update_per_told_audience_then_countdowns_stop(
    store: IncidentStore, clock: FrozenClock
) -> None:
    inc = staffed(store, Severity.SEV2)
    post(inc, "internal")
    post(inc, "external")  # stakeholders never told: no final update owed to them
    clock.advance(timedelta(minutes=20))
    ops.set_status(inc, Status.RESOLVED, "fixed")
    items = {c.audience: c for c in countdowns(inc.record(), clock.now(), CONFIG)}
    assert items["internal"].final and items["internal"].active
    assert items["external"].active and not items["stakeholders"].active
    clock.advance(timedelta(minutes=31))  # SEV-2 external cadence is 30 minutes
    found = shown(inc, clock)
    assert found["update-overdue:external"].message.startswith(  # type: ignore[attr-defined]
        "Final customers update after resolution overdue by 1m"
    )
    assert "update-overdue:internal" in found
    assert suggested_audience(inc.record(), clock.now(), CONFIG) == "internal"
    post(inc, "external")
    post(inc, "internal")
    assert not any(c.active for c in countdowns(inc.record(), clock.now(), CONFIG))
    clock.advance(timedelta(hours=5))
    assert not any(k.startswith("update-overdue") for k in shown(inc, clock))


def test_ic_fatigue_after_three_hours_suggests_a_handoff(
    store: IncidentStore, clock: FrozenClock
) -> None:
    inc = staffed(store, Severity.SEV3)
    clock.advance(timedelta(hours=2, minutes=59))
    assert "ic-fatigue" not in shown(inc, clock)
    clock.advance(timedelta(minutes=1))
    fatigue = shown(inc, clock)["ic-fatigue"]
    assert fatigue.message == "ana has been incident commander for 3h 00m"  # type: ignore[attr-defined]
    assert "handoff" in fatigue.suggestion and str(fatigue.act) == "role:ic"  # type: ignore[attr-defined]
    # A configurable span; and a handoff clears it (a fresh IC).
    assert "ic-fatigue" not in shown(inc, clock, Config(ic_fatigue_hours=4))
    ops.assign_role(inc, Role.IC, "eve")
    assert "ic-fatigue" not in shown(inc, clock)


def test_ic_also_holding_ops_or_sme_is_nudged(store: IncidentStore, clock: FrozenClock) -> None:
    inc = ops.declare(store, "Slow search", severity=Severity.SEV3, responder="ana")
    assert "ic-hands-on" not in shown(inc, clock)
    ops.assign_role(inc, Role.OPS, "ana")
    nudge = shown(inc, clock)["ic-hands-on"]
    assert "operations lead" in nudge.message and str(nudge.act) == "role:ops"  # type: ignore[attr-defined]
    ops.assign_role(inc, Role.OPS, "cy")
    assert "ic-hands-on" not in shown(inc, clock)
    ops.assign_role(inc, Role.SME, "ana")
    assert "subject matter expert" in shown(inc, clock)["ic-hands-on"].message  # type: ignore[attr-defined]


def test_struck_updates_do_not_count(store: IncidentStore, clock: FrozenClock) -> None:
    inc = staffed(store)
    post(inc, "internal")
    update = inc.record().events_of(EventKind.COMMS)[-1]
    clock.advance(timedelta(minutes=20))
    ops.strike(inc, update.id, "posted to the wrong channel")
    # Without the struck update, internal has been due since declaration + 30 minutes.
    clock.advance(timedelta(minutes=11))
    assert "update-overdue:internal" in shown(inc, clock)


def test_attention_json_names_rule_urgency_text_and_action(
    store: IncidentStore, clock: FrozenClock
) -> None:
    inc = staffed(store)
    clock.advance(timedelta(minutes=45))
    items = {item["rule"]: item for item in attention_json(inc.record(), clock.now(), CONFIG)}
    assert items["update-overdue:internal"] == {
        "rule": "update-overdue:internal",
        "urgency": "now",
        "text": "Internal team not told yet, overdue by 15m (due 14:30)",
        "action": "Send the internal team update",
        "act": "comms:internal",
        "since": to_iso(clock.now() - timedelta(minutes=15)),
    }


def test_show_json_and_nudges_cli_carry_the_computed_state(
    store: IncidentStore, clock: FrozenClock, monkeypatch
) -> None:
    inc = staffed(store)
    post(inc, "internal")
    monkeypatch.setenv("INCIDENT_TUI_FROZEN_AT", to_iso(clock.now() + timedelta(hours=1)))
    runner = CliRunner()
    result = runner.invoke(main, ["show", "--json"])
    assert result.exit_code == 0, result.output
    raw = json.loads(result.output)
    due = {item["audience"]: item for item in raw["updates_due"]}
    assert due["internal"] == {
        "audience": "internal",
        "due_at": to_iso(clock.now() + timedelta(minutes=30)),
        "overdue": True,
        "final": False,
    }
    rules = [item["rule"] for item in raw["attention"]]
    assert "update-overdue:internal" in rules
    # The record part still imports.
    assert raw["incident"]["id"] == inc.id
    listed = runner.invoke(main, ["nudges"])
    assert "update-overdue:internal" in listed.output
    shown_text = runner.invoke(main, ["show"]).output
    assert "attention: [now] Internal team update overdue by 30m" in shown_text


def test_show_prints_the_update_fields_and_when_each_update_is_due(
    store: IncidentStore, clock: FrozenClock, monkeypatch
) -> None:
    inc = staffed(store)
    ops.edit_header(inc, scope="card payments for EU customers", eta="16:30 UTC")
    post(inc, "internal")
    monkeypatch.setenv("INCIDENT_TUI_FROZEN_AT", to_iso(clock.now() + timedelta(minutes=35)))
    lines = CliRunner().invoke(main, ["show"]).output.splitlines()
    assert "Scope: card payments for EU customers" in lines
    assert "ETA: 16:30 UTC" in lines
    assert (
        "Updates due: internal 14:30 (LATE 5m) · stakeholders 15:00 · external 14:30 (LATE 5m)"
        in (lines)
    )
