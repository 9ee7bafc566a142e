"""The handoff brief: the facts the next holder needs, from the stored record."""

from __future__ import annotations

from datetime import timedelta

from incident_tui.core import operations as ops
from incident_tui.core.clock import FrozenClock
from incident_tui.core.handoff import current_hypothesis, handoff_brief
from incident_tui.core.models import Role, Severity
from incident_tui.core.store import IncidentFile, IncidentStore


def busy(store: IncidentStore, clock: FrozenClock) -> IncidentFile:
    inc = ops.declare(
        store,
        "Checkout failing",
        severity=Severity.SEV1,
        responder="ana",
        impact="50% of payments fail",
    )
    ops.assign_role(inc, Role.COMMS, "ben")
    ops.assign_role(inc, Role.OPS, "cy")
    ops.assign_role(inc, Role.SME, "wei")
    clock.advance(timedelta(minutes=4))
    ops.record_update(inc, "internal", "update one", summary="update one")
    clock.advance(timedelta(minutes=6))
    ops.record_update(
        inc, "stakeholders", "Checkout down for half of customers", summary="Exec summary sent"
    )
    ops.add_action_item(inc, "Add pool saturation alert", owner="cy")
    done = ops.add_action_item(inc, "Page the DB team")
    ops.complete_action_item(inc, done.id)
    clock.advance(timedelta(minutes=2))
    return inc


def test_brief_has_status_severity_updates_actions_and_roles(store: IncidentStore, clock) -> None:
    inc = busy(store, clock)
    brief = handoff_brief(inc.record(), clock.now())
    lines = brief.splitlines()
    assert lines[0] == f"HANDOFF BRIEF {inc.id}: Checkout failing"
    assert "As of 14:12, 12 min after detection" in lines
    assert "Status: investigating" in lines
    assert "Severity: SEV-1 Critical" in lines
    assert "  internal: 14:04, 8 min ago:" in lines
    assert "    update one" in lines
    assert "  stakeholders: 14:10, 2 min ago:" in lines
    assert "    Checkout down for half of customers" in lines
    assert "  external: none sent yet" in lines
    assert "Open actions (1):" in lines
    assert "  - Add pool saturation alert (cy)" in lines
    assert "Page the DB team" not in brief  # done items are not open
    assert "  Incident commander: ana" in lines
    assert "  Subject matter expert: wei" in lines
    assert "  Scribe: (vacant)" in lines


def test_brief_shows_the_handoff_itself_and_the_new_holder(store: IncidentStore, clock) -> None:
    inc = busy(store, clock)
    brief = handoff_brief(inc.record(), clock.now(), Role.IC, "ana", "bob")
    assert "Handoff: Incident commander from ana to bob at 14:12" in brief
    assert "  Incident commander: bob" in brief.splitlines()
    ops.assign_role(inc, Role.IC, "bob")  # once stored, the brief reads the same from the record
    after = handoff_brief(inc.record(), clock.now(), Role.IC, "ana", "bob")
    assert "  Incident commander: bob" in after.splitlines()
    last = inc.record().events[-1]
    assert last.data == {"role": "ic", "name": "bob", "previous": "ana"}


def test_hypothesis_is_the_status_note_never_a_decision(store: IncidentStore, clock) -> None:
    inc = ops.declare(store, "Checkout failing")
    assert current_hypothesis(inc.record()) is None
    assert "Current hypothesis: none recorded yet" in handoff_brief(inc.record(), clock.now())
    ops.log(inc, "error rate flat at 30%")
    ops.decide(inc, "Roll back checkout-api", why="deploy lines up with the start")
    assert current_hypothesis(inc.record()) is None  # a note or a decision is not a theory
    ops.log(inc, "Hypothesis: pool exhausted by the new retry loop")
    ops.log(inc, "cpu is fine")
    text = current_hypothesis(inc.record())[0]  # type: ignore[index]
    assert text == "Hypothesis: pool exhausted by the new retry loop"
    clock.advance(timedelta(minutes=3))
    note = (
        "The 2.14 retry loop opens a connection per attempt and exhausts the pool under load; "
        "rolling back should stop it, and the pool settings stay as they are for now"
    )
    ops.edit_header(inc, status_note=note)
    ops.decide(inc, "Keep the pool size as it is")
    assert current_hypothesis(inc.record()) == (note, clock.now())
    brief = handoff_brief(inc.record(), clock.now())
    # Whole, never cut with an ellipsis, however long.
    assert f"Current hypothesis: {note} (as of 14:03)" in brief.splitlines()
    assert "…" not in brief


def test_brief_lists_what_needs_attention(store: IncidentStore, clock) -> None:
    inc = ops.declare(store, "Checkout failing", severity=Severity.SEV1)
    clock.advance(timedelta(minutes=11))
    brief = handoff_brief(inc.record(), clock.now())
    assert "Needs attention:" in brief
    assert "SEV-1 without an IC 10 min after detection" in brief


def test_user_text_is_kept_verbatim_not_interpreted(store: IncidentStore, clock) -> None:
    inc = ops.declare(store, "[bold]Checkout[/bold] failing")
    ops.log(inc, "Theory: [red]pool[/red]")
    brief = handoff_brief(inc.record(), clock.now())
    assert "[bold]Checkout[/bold] failing" in brief
    assert "Theory: [red]pool[/red]" in brief
