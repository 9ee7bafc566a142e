"""Golden files for every update template: each audience at each state, for an incident whose
IC keeps the update fields current and for one where they are all empty.

The files under tests/golden/updates/ are read by eye: they are what an IC pastes. Regenerate
them only on purpose with ``UPDATE_GOLDEN=1 pytest tests/unit/test_templates_golden.py`` and
read the diff before committing.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from incident_tui.core import operations as ops
from incident_tui.core.clock import FrozenClock
from incident_tui.core.config import AUDIENCES, Config
from incident_tui.core.models import IncidentRecord, Role, Severity, Status
from incident_tui.core.store import IncidentStore
from incident_tui.core.templates import UpdateFormat, comms_event, fill_update

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "updates"
DETECTED = datetime(2026, 11, 28, 13, 52, tzinfo=UTC)

FIELDS = {
    "scope": "card payments for EU customers",
    "status_note": "The payment service's database primary failed; the replica is read-only",
    "workaround": "Customers can pay by bank transfer from the order page",
    "eta": "16:30 UTC",
    "data_at_risk": "payments started between 13:50 and 14:10 may need retrying",
}


def stages(
    store: IncidentStore, clock: FrozenClock, fields: bool
) -> list[tuple[IncidentRecord, datetime]]:
    """The incident at each of the four states, with updates sent along the way."""

    def at(minutes: int) -> None:
        clock.set(DETECTED + timedelta(minutes=minutes))

    def send(audience: str, state: str) -> None:
        text = fill_update(inc.record(), audience, state, UpdateFormat.PLAIN, clock.now(), Config())
        line, data = comms_event(audience, state, UpdateFormat.PLAIN, text, "tmux")
        ops.record_update(inc, audience, text, summary=line, details=data)

    at(3)
    inc = ops.declare(
        store,
        "Checkout fails after the 2.14 deploy",
        severity=Severity.SEV1,
        impact="" if not fields else "Most EU customers cannot complete a card payment",
        detected_at=DETECTED,
        responder="Priya",
    )
    ops.assign_role(inc, Role.COMMS, "Marcus")
    ops.assign_role(inc, Role.OPS, "Dana")
    if fields:
        ops.edit_header(inc, **FIELDS)
    at(6)
    ops.log(inc, "POST /checkout error rate 38% (baseline 0.4%)", author="Dana")
    records = [(inc.record(), clock.now())]
    at(10)
    for audience in AUDIENCES:
        send(audience, "investigating")
    at(18)
    ops.decide(
        inc, "Roll back checkout-api to 2.13.2", why="the 2.14 deploy lines up with the start"
    )
    ops.set_status(inc, Status.IDENTIFIED)
    records.append((inc.record(), clock.now()))
    at(25)
    send("internal", "identified")
    at(31)
    ops.mark(inc, "mitigated", "Roll back: checkout-api 2.13.2 on all EU nodes")
    ops.set_status(inc, Status.MONITORING)
    at(40)
    ops.mark(inc, "verified", "test payment succeeded end to end")
    records.append((inc.record(), clock.now()))
    at(44)
    send("internal", "monitoring")
    at(70)
    ops.set_status(inc, Status.RESOLVED, "error rate at baseline for 30 minutes")
    records.append((inc.record(), clock.now()))
    return records


def render_all(records: list[tuple[IncidentRecord, datetime]], fmt: UpdateFormat) -> str:
    out: list[str] = []
    states = ("investigating", "identified", "monitoring", "resolved")
    for (record, now), state in zip(records, states, strict=True):
        for audience in AUDIENCES:
            out.append(f"===== {audience} / {state} =====")
            out.append(fill_update(record, audience, state, fmt, now, Config()))
            out.append("")
    return "\n".join(out)


def _at(
    stage: tuple[IncidentRecord, datetime], audience: str, state: str, fmt: UpdateFormat
) -> tuple[IncidentRecord, str, str, UpdateFormat, datetime, Config]:
    record, now = stage
    return record, audience, state, fmt, now, Config()


def check_golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"{path} is missing; create it with UPDATE_GOLDEN=1 and review it"
    assert actual == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("fields", [True, False], ids=["with-fields", "without-fields"])
@pytest.mark.parametrize("fmt", [UpdateFormat.PLAIN, UpdateFormat.MARKDOWN])
def test_every_template_matches_its_reviewed_golden_file(
    store: IncidentStore, clock: FrozenClock, fields: bool, fmt: UpdateFormat
) -> None:
    records = stages(store, clock, fields)
    suffix = "md" if fmt is UpdateFormat.MARKDOWN else "txt"
    name = f"{'with' if fields else 'without'}_fields.{suffix}"
    check_golden(name, render_all(records, fmt))


def test_missing_fields_drop_out_of_the_sentence(store: IncidentStore, clock: FrozenClock) -> None:
    records = stages(store, clock, fields=False)
    ext = fill_update(*_at(records[1], "external", "identified", UpdateFormat.PLAIN))
    assert "We have identified the issue. Engineers are working on a fix." in ext
    assert "Workaround" not in ext
    internal = fill_update(*_at(records[0], "internal", "investigating", UpdateFormat.PLAIN))
    assert "ETA: no ETA yet" in internal and internal.count("Next update by") == 1
    for line in ("Scope:", "Status:", "Workaround:", "Data at risk:", "Impact:"):
        assert line not in internal


def test_fields_fill_whole_phrases_never_spliced_sentences(
    store: IncidentStore, clock: FrozenClock
) -> None:
    records = stages(store, clock, fields=True)
    ext = fill_update(*_at(records[1], "external", "identified", UpdateFormat.PLAIN))
    assert "We have identified the issue affecting card payments for EU customers." in ext
    # The impact sentence is never spliced into a status-page sentence.
    assert "Most EU customers cannot" not in ext
    assert "Workaround: Customers can pay by bank transfer from the order page" in ext
    internal = fill_update(*_at(records[2], "internal", "monitoring", UpdateFormat.PLAIN))
    assert "Status: The payment service's database primary failed" in internal
    assert "ETA: 16:30 UTC" in internal


def test_internal_update_says_what_changed_since_the_last_internal_update(
    store: IncidentStore, clock: FrozenClock
) -> None:
    records = stages(store, clock, fields=True)
    text = fill_update(*_at(records[2], "internal", "monitoring", UpdateFormat.PLAIN))
    since = text.split("Since the last update:\n", 1)[1].split("\nMitigation:", 1)[0]
    # After the 14:17 internal update: the mitigation and its verification, not the decision.
    assert "Mitigation applied: Roll back: checkout-api 2.13.2 on all EU nodes" in since
    assert "Mitigation verified: test payment succeeded end to end" in since
    assert "Decided" not in since
    assert (
        "Mitigation: Roll back: checkout-api 2.13.2 on all EU nodes "
        "(applied 14:23 UTC, verified 14:32 UTC)" in text
    )
    assert text.count("Next update by") == 1


def test_resolved_updates_have_no_next_update_and_no_stale_facts(
    store: IncidentStore, clock: FrozenClock
) -> None:
    records = stages(store, clock, fields=True)
    for audience in AUDIENCES:
        text = fill_update(*_at(records[3], audience, "resolved", UpdateFormat.PLAIN))
        assert "Next update by" not in text
        assert "What we know" not in text and "Status: The payment service" not in text
        assert "Workaround" not in text and "ETA" not in text
