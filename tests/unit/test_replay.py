"""A replay of a night-long database incident, from detection to close, as a scribe logs it.

Modelled on the replay that found issue 9: a SEV-2 that runs past midnight, a raise at T+3h,
an IC handoff, a wrong note struck from the record, a restore from backup, final updates, and
an export whose key times and sections an AAR can start from.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from mdlint_helper import markdownlint

from incident_tui.core import operations as ops
from incident_tui.core.attention_rules import active
from incident_tui.core.cadence import countdowns, suggested_audience
from incident_tui.core.clock import FrozenClock
from incident_tui.core.config import AUDIENCES, Config
from incident_tui.core.export import from_json, to_json, to_markdown
from incident_tui.core.handoff import handoff_brief
from incident_tui.core.models import (
    DetectionSource,
    IncidentRecord,
    Role,
    Severity,
    Status,
)
from incident_tui.core.playbook import mitigation, mitigation_text
from incident_tui.core.store import IncidentFile, IncidentStore
from incident_tui.core.templates import UpdateFormat, comms_event, fill_update, state_for

DETECTED = datetime(2026, 11, 28, 21, 40, tzinfo=UTC)
CONFIG = Config()


def at(clock: FrozenClock, hours: int, minutes: int) -> None:
    clock.set(DETECTED + timedelta(hours=hours, minutes=minutes))


def send(inc: IncidentFile, clock: FrozenClock, audience: str) -> str:
    record = inc.record()
    state = state_for(record.incident.status)
    text = fill_update(record, audience, state, UpdateFormat.PLAIN, clock.now(), CONFIG)
    line, data = comms_event(audience, state, UpdateFormat.PLAIN, text, "tmux")
    ops.record_update(inc, audience, text, summary=line, details=data, author="Marcus")
    return text


def keys(inc: IncidentFile, clock: FrozenClock) -> set[str]:
    return {n.key for n in active(inc.record(), clock.now(), CONFIG)}


@pytest.fixture
def replay(store: IncidentStore, clock: FrozenClock) -> IncidentRecord:
    at(clock, 0, 5)
    inc = ops.declare(
        store,
        "Orders database primary lost; writes failing",
        severity=Severity.SEV2,
        impact="Checkout and order history fail for most customers",
        source=DetectionSource.ALERT,
        detected_at=DETECTED,
        responder="Priya",
    )
    at(clock, 0, 7)
    ops.assign_role(inc, Role.COMMS, "Marcus")
    ops.assign_role(inc, Role.OPS, "Dana")
    ops.assign_role(inc, Role.SCRIBE, "Sam")
    ops.edit_header(inc, scope="checkout and order history", eta="")
    at(clock, 0, 10)
    first_note = ops.log(
        inc, "Primary orders-db-1 unreachable; replica orders-db-2 is read-only", author="Dana"
    )
    for audience in AUDIENCES:
        send(inc, clock, audience)
    at(clock, 0, 50)
    ops.decide(inc, "Promote the replica", why="the primary's disk is gone", alternatives="wait")
    ops.set_status(inc, Status.IDENTIFIED)
    ops.edit_header(inc, status_note="Replica promotion under way; pg_basebackup to rebuild")
    send(inc, clock, "internal")
    # 23:20: stakeholders and customers are overdue (SEV-2: 60 and 30 minutes after 21:50).
    at(clock, 1, 40)
    late = keys(inc, clock)
    assert {"update-overdue:stakeholders", "update-overdue:external"} <= late
    assert suggested_audience(inc.record(), clock.now(), CONFIG) == "external"
    send(inc, clock, "external")
    send(inc, clock, "stakeholders")
    # 00:45, T+3h05m: the same IC for three hours; the replica lags, data at risk: raise.
    at(clock, 3, 5)
    assert "ic-fatigue" in keys(inc, clock)
    ops.set_severity(inc, Severity.SEV1, "replica 40 minutes behind; recent orders at risk")
    ops.edit_header(inc, data_at_risk="orders written between 21:00 and 21:40")
    raised = {c.audience: c for c in countdowns(inc.record(), clock.now(), CONFIG)}
    assert not any(c.overdue for c in raised.values())  # the raise restarts the clocks
    assert raised["internal"].remaining == timedelta(minutes=15)
    # 00:50: handoff to Alex, with the brief.
    at(clock, 3, 10)
    brief = handoff_brief(inc.record(), clock.now(), Role.IC, "Priya", "Alex", CONFIG)
    assert "Current hypothesis: Replica promotion under way; pg_basebackup to rebuild" in brief
    ops.assign_role(inc, Role.IC, "Alex")
    assert "ic-fatigue" not in keys(inc, clock)
    # 01:00: a wrong note, struck from the record with a reason.
    at(clock, 3, 20)
    wrong = ops.log(inc, "Backups are corrupt", author="Sam")
    ops.strike(inc, wrong.id, "that was the staging bucket")
    ops.amend(
        inc, first_note.id, "Primary orders-db-1 lost its disk; replica orders-db-2 read-only"
    )
    for audience in AUDIENCES:
        send(inc, clock, audience)
    # 01:30: restore from backup; 02:10: verified.
    at(clock, 3, 50)
    restore = mitigation_text(mitigation("restore"), "`pg_basebackup` from the 21:00 snapshot")
    ops.mark(inc, "mitigated", restore)
    ops.set_status(inc, Status.MONITORING)
    at(clock, 4, 30)
    ops.mark(inc, "verified", "test order placed and read back")
    for audience in AUDIENCES:
        send(inc, clock, audience)
    # Next evening, 21:52 (T+24h12m): resolved; one final update per audience.
    at(clock, 24, 12)
    ops.set_status(inc, Status.RESOLVED, "writes normal for 12 hours")
    finals = {c.audience for c in countdowns(inc.record(), clock.now(), CONFIG) if c.active}
    assert finals == set(AUDIENCES)
    at(clock, 24, 20)
    for audience in AUDIENCES:
        final = send(inc, clock, audience)
        assert "Next update" not in final
    assert not any(c.active for c in countdowns(inc.record(), clock.now(), CONFIG))
    ops.add_action_item(
        inc, "Alert on replica lag", owner="Dana", due=datetime(2026, 12, 4, tzinfo=UTC)
    )
    ops.add_action_item(inc, "Test restores monthly")
    at(clock, 24, 30)
    ops.close(inc, aar_date=date(2026, 12, 7))
    return inc.record()


def test_the_replayed_export_has_the_key_times_and_sections(
    replay: IncidentRecord, clock: FrozenClock
) -> None:
    text = to_markdown(replay, clock.now(), tz=UTC)
    assert markdownlint(text) == []
    assert "- **Date:** 2026-11-28 to 2026-11-29" in text
    assert "- **Duration:** 24h 12m (detected 2026-11-28 21:40, resolved 2026-11-29 21:52)" in text
    assert "- **Times:** UTC" in text
    assert (
        "- **Severity:** SEV-1 (declared SEV-2; raised to SEV-1 at 2026-11-29 00:45 (T+3h05m): "
        "replica 40 minutes behind; recent orders at risk)" in text
    )
    assert "- **Incident commander:** Priya, then Alex" in text
    assert "- Time to mitigate: 3h 50m" in text
    assert "- Time to resolve: 24h 12m" in text
    assert "| Mitigation verified | 2026-11-29 02:10 | T+4h30m |" in text
    assert "| Resolved | 2026-11-29 21:52 | T+24h12m |" in text
    # Every timeline row carries its date, because the incident crosses midnight.
    rows = text.split("## Timeline")[1].split("## Mitigation")[0]
    table = [r for r in rows.splitlines() if r.startswith("| 2026")]
    body = [r for r in rows.splitlines() if r.startswith("| ") and "---" not in r][1:]
    assert table == body and len(table) > 20
    # Corrections: the struck note is marked struck with who and why; the amended one reads
    # as corrected and keeps what was first written.
    assert "| note | ~~Backups are corrupt~~ (struck by tester: that was the staging bucket) |" in (
        text
    )
    assert (
        "orders-db-1 lost its disk; replica orders-db-2 read-only (amended; first written: "
        "Primary orders-db-1 unreachable; replica orders-db-2 is read-only)" in text
    )
    # pg_basebackup as written, in its code span.
    assert "applied: Restore from backup: `pg_basebackup` from the 21:00 snapshot" in text
    for section in (
        "## Impact in numbers",
        "## Root cause and contributing factors",
        "## What went well",
        "## What went wrong",
        "## Lessons",
        "## Follow-ups",
        "## Appendix: housekeeping",
    ):
        assert section in text
    assert "| Alert on replica lag | Dana | 2026-12-04 | open |" in text
    assert "| Test restores monthly | **no owner** | **no due date** | open |" in text
    # Updates are quoted whole; how they were copied is housekeeping.
    assert "  ```text\n  Resolved\n\n  This incident has been resolved." in text
    assert "    - 21:45 Priya is Incident commander" in text
    assert "copied via tmux" not in text.split("## Appendix")[0]
    assert "update to Customers copied via tmux as plain" in text.split("## Appendix")[1]


def test_the_replay_exports_in_new_york_with_the_zone_named(
    replay: IncidentRecord, clock: FrozenClock
) -> None:
    text = to_markdown(replay, clock.now(), tz=ZoneInfo("America/New_York"))
    assert "- **Times:** America/New_York (EST, UTC-05:00)" in text
    assert "- **Duration:** 24h 12m (detected 2026-11-28 16:40, resolved 2026-11-29 16:52)" in (
        text
    )
    assert markdownlint(text) == []


def test_the_replay_survives_json_round_trip(replay: IncidentRecord, clock: FrozenClock) -> None:
    again = from_json(to_json(replay))
    assert again == replay
    assert to_markdown(again, clock.now(), tz=UTC) == to_markdown(replay, clock.now(), tz=UTC)
