"""Update countdowns per audience, on a frozen clock."""

from __future__ import annotations

from datetime import timedelta

import pytest

from incident_tui.core import operations as ops
from incident_tui.core.cadence import (
    comms_history,
    countdown,
    countdowns,
    describe_cadence,
)
from incident_tui.core.clock import FrozenClock
from incident_tui.core.config import Config
from incident_tui.core.errors import InvalidInputError
from incident_tui.core.models import Audience, Severity, Status
from incident_tui.core.store import IncidentFile, IncidentStore

CONFIG = Config()


def _post(handle: IncidentFile, audience: str) -> None:
    ops.record_update(handle, audience, f"{audience} update")


@pytest.fixture
def sev1(store: IncidentStore) -> IncidentFile:
    return ops.declare(store, "Checkout failing", severity=Severity.SEV1, impact="EU checkout")


def test_sev1_customers_are_due_30_minutes_after_declaration(
    sev1: IncidentFile, clock: FrozenClock
) -> None:
    clock.advance(timedelta(seconds=1))
    ext = countdown(sev1.record(), "external", clock.now(), CONFIG)
    assert ext.due_at == sev1.incident.declared_at + timedelta(minutes=30)
    assert not ext.overdue
    clock.advance(timedelta(minutes=30))
    ext = countdown(sev1.record(), "external", clock.now(), CONFIG)
    assert ext.overdue and ext.short() == "ext LATE 1s"


def test_sev1_internal_and_stakeholders_count_from_declaration(
    sev1: IncidentFile, clock: FrozenClock
) -> None:
    clock.advance(timedelta(minutes=5))
    internal, stakeholders, _ = countdowns(sev1.record(), clock.now(), CONFIG)
    assert internal.remaining == timedelta(minutes=10)
    # Never told at SEV-1: executives within 15 minutes of declaration (the rubric).
    assert stakeholders.remaining == timedelta(minutes=10)
    assert internal.short() == "int 10:00"
    assert not internal.overdue


def test_posting_restarts_the_countdown(sev1: IncidentFile, clock: FrozenClock) -> None:
    clock.advance(timedelta(minutes=20))
    assert countdown(sev1.record(), "internal", clock.now(), CONFIG).overdue
    _post(sev1, "internal")
    after = countdown(sev1.record(), "internal", clock.now(), CONFIG)
    assert not after.overdue
    assert after.remaining == timedelta(minutes=15)
    # Other audiences are untouched by an internal post.
    assert countdown(sev1.record(), "stakeholders", clock.now(), CONFIG).overdue


def test_overdue_starts_exactly_at_the_due_time(sev1: IncidentFile, clock: FrozenClock) -> None:
    _post(sev1, "external")
    clock.advance(timedelta(minutes=29, seconds=59))
    assert not countdown(sev1.record(), "external", clock.now(), CONFIG).overdue
    clock.advance(timedelta(seconds=1))
    ext = countdown(sev1.record(), "external", clock.now(), CONFIG)
    assert ext.overdue
    assert ext.overdue_key is not None
    # The same overdue period keeps its key (one reminder), a new period gets a new one.
    clock.advance(timedelta(minutes=3))
    assert countdown(sev1.record(), "external", clock.now(), CONFIG).overdue_key == ext.overdue_key
    _post(sev1, "external")
    clock.advance(timedelta(minutes=30))
    later = countdown(sev1.record(), "external", clock.now(), CONFIG)
    assert later.overdue_key not in (None, ext.overdue_key)


def test_sev2_cadence_and_severity_change_recomputes(
    store: IncidentStore, clock: FrozenClock
) -> None:
    handle = ops.declare(store, "Slow search", severity=Severity.SEV2)
    _post(handle, "stakeholders")
    clock.advance(timedelta(minutes=40))
    assert not countdown(handle.record(), "stakeholders", clock.now(), CONFIG).overdue  # 60m
    ops.set_severity(handle, Severity.SEV1, "spreading")
    raised = countdown(handle.record(), "stakeholders", clock.now(), CONFIG)
    # A raise restarts the clock at the SEV-1 cadence; it does not make the update late at once.
    assert not raised.overdue
    assert raised.remaining == timedelta(minutes=30)
    # Customers were never told: the SEV-1 target counts from the raise, 30 minutes.
    ext = countdown(handle.record(), "external", clock.now(), CONFIG)
    assert ext.remaining == timedelta(minutes=30)


def test_sev3_and_sev4_have_no_countdown(store: IncidentStore, clock: FrozenClock) -> None:
    for severity in (Severity.SEV3, Severity.SEV4):
        handle = ops.declare(store, f"minor {severity.label}", severity=severity)
        clock.advance(timedelta(hours=5))
        for item in countdowns(handle.record(), clock.now(), CONFIG):
            assert not item.active and not item.overdue
            assert item.short().endswith("--")


def test_countdowns_stop_once_resolved_if_nobody_was_told(
    sev1: IncidentFile, clock: FrozenClock
) -> None:
    ops.set_status(sev1, Status.RESOLVED)
    clock.advance(timedelta(hours=2))
    assert not any(item.active for item in countdowns(sev1.record(), clock.now(), CONFIG))


def test_snooze_moves_the_due_time_until_the_next_post(
    sev1: IncidentFile, clock: FrozenClock
) -> None:
    clock.advance(timedelta(minutes=25))
    until = clock.now() + timedelta(minutes=15)
    ops.snooze(sev1, "external", 15)
    snoozed = countdown(sev1.record(), "external", clock.now(), CONFIG)
    assert not snoozed.overdue
    assert snoozed.snoozed_until == until
    assert snoozed.short() == "ext 15:00 (snoozed)"
    clock.advance(timedelta(minutes=15))
    assert countdown(sev1.record(), "external", clock.now(), CONFIG).overdue
    _post(sev1, "external")  # a post supersedes the snooze
    after = countdown(sev1.record(), "external", clock.now(), CONFIG)
    assert after.snoozed_until is None and after.remaining == timedelta(minutes=30)


def test_configured_cadence_is_used(store: IncidentStore, clock: FrozenClock) -> None:
    config = Config(
        cadence={Severity.SEV3: {"internal": 45, "stakeholders": None, "external": None}}
    )
    handle = ops.declare(store, "Cosmetic", severity=Severity.SEV3)
    assert countdown(handle.record(), "internal", clock.now(), config).remaining == timedelta(
        minutes=45
    )
    assert describe_cadence(Severity.SEV3, config) == (
        "SEV-3 cadence: internal team every 45m, stakeholders as needed, customers as needed"
    )


def test_audience_names_and_aliases() -> None:
    assert Audience.parse("Customers") == "external"
    assert Audience.parse("team") == "internal"
    with pytest.raises(InvalidInputError, match="unknown audience 'press'"):
        Audience.parse("press")


class _NoScan(list):  # type: ignore[type-arg]
    """A list of update times that refuses to be walked: a tick must read its ends only."""

    def __iter__(self):  # type: ignore[no-untyped-def]
        raise AssertionError("the countdowns walked every update time")


@pytest.mark.parametrize("resolved", [False, True])
def test_a_tick_reads_no_update_times_but_the_ends(
    sev1: IncidentFile, clock: FrozenClock, resolved: bool
) -> None:
    for _ in range(5):
        clock.advance(timedelta(minutes=3))
        _post(sev1, "internal")
    if resolved:
        ops.set_status(sev1, Status.RESOLVED)
    record = sev1.record()
    expected = [c.short() for c in countdowns(record, clock.now(), CONFIG)]
    history = comms_history(record)  # kept for this record: the tick's next call reuses it
    history.updates["internal"] = _NoScan(history.updates["internal"])
    ticked = [c.short() for c in countdowns(record, clock.now(), CONFIG)]  # the next tick
    assert ticked == expected
