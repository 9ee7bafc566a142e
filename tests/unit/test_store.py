"""Every IncidentFile change: its effect on the record and the timeline event it appends."""

from __future__ import annotations

import stat
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from incident_tui.core import operations as ops
from incident_tui.core.clock import FrozenClock
from incident_tui.core.errors import InvalidInputError, StoreError, UnknownIncidentError
from incident_tui.core.models import (
    DetectionSource,
    EventKind,
    IncidentRecord,
    Role,
    Severity,
    Status,
    TimelineEvent,
)
from incident_tui.core.store import IncidentFile, IncidentStore

MINUTE = timedelta(minutes=1)


@pytest.fixture
def inc(store: IncidentStore, clock: FrozenClock) -> IncidentFile:
    handle = ops.declare(store, "Checkout errors", severity=Severity.SEV2, impact="EU users")
    clock.advance(MINUTE)
    return handle


def last(handle: IncidentFile) -> TimelineEvent:
    """The most recently written event (timeline order may put back-dated ones earlier)."""
    return max(handle.record().events, key=lambda e: (e.recorded_at, e.id))


def unchanged_on_error(handle: IncidentFile) -> bytes:
    return handle.path.read_bytes()


def test_declare_writes_header_and_two_milestone_events(
    store: IncidentStore, clock: FrozenClock
) -> None:
    detected = clock.now() - 10 * MINUTE
    handle = ops.declare(
        store,
        "  Login down  ",
        severity=Severity.SEV1,
        impact="all users",
        source=DetectionSource.CUSTOMER,
        detected_at=detected,
    )
    record = handle.record()
    assert handle.id == "INC-20261128-1"
    assert record.incident.title == "Login down"
    assert record.incident.severity is Severity.SEV1
    assert record.incident.status is Status.INVESTIGATING
    assert record.incident.source is DetectionSource.CUSTOMER
    assert record.incident.detected_at == detected
    assert record.incident.declared_at == clock.now()
    assert record.incident.acknowledged_at is None
    assert [(e.text, e.occurred_at) for e in record.events] == [
        ("Detected (customer)", detected),
        ("Declared SEV-1: Login down", clock.now()),
    ]
    assert all(e.author == "tester" and e.kind is EventKind.SYSTEM for e in record.events)


def test_ids_count_up_per_local_day(store: IncidentStore, clock: FrozenClock) -> None:
    assert ops.declare(store, "a").id == "INC-20261128-1"
    assert ops.declare(store, "b").id == "INC-20261128-2"
    clock.advance(timedelta(hours=12))
    assert ops.declare(store, "c").id == "INC-20261129-1"


def test_declare_with_a_responder_makes_them_ic_and_acknowledges(
    store: IncidentStore, clock: FrozenClock
) -> None:
    record = ops.declare(store, "x", responder=" Ann ").record()
    assert record.holder(Role.IC) == "Ann"
    assert record.incident.acknowledged_at == clock.now()
    assert [e.text for e in record.events][-2:] == [
        "Ann is Incident commander",
        "Acknowledged: by Ann",
    ]


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"title": "   "}, "title must not be empty"),
        ({"title": "x", "detected_at": datetime(2026, 11, 28, 14, 1, tzinfo=UTC)}, "future"),
    ],
)
def test_declare_rejects_bad_input_and_creates_nothing(
    store: IncidentStore, kwargs: dict[str, object], words: str
) -> None:
    with pytest.raises(InvalidInputError, match=words):
        ops.declare(store, **kwargs)  # type: ignore[arg-type]
    assert list(store.incidents_dir.iterdir()) == []


def test_log_appends_a_note_now_or_back_dated(inc: IncidentFile, clock: FrozenClock) -> None:
    event = ops.log(inc, "  restarted pods  ")
    assert (event.kind, event.text, event.occurred_at) == (
        EventKind.NOTE,
        "restarted pods",
        clock.now(),
    )
    earlier = clock.now() - 5 * MINUTE
    back = ops.log(inc, "saw the alert", kind=EventKind.ACTION, at=earlier, author="bob")
    assert back.occurred_at == earlier and back.recorded_at == clock.now() and back.author == "bob"
    texts = [e.text for e in inc.record().events]
    assert texts.index("saw the alert") < texts.index("restarted pods")  # timeline order


def test_events_at_the_same_instant_keep_the_order_they_were_written(inc: IncidentFile) -> None:
    for n in range(30):
        ops.log(inc, f"note {n}")
    notes = [e.text for e in inc.record().events if e.kind is EventKind.NOTE]
    assert notes == [f"note {n}" for n in range(30)]


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda f, now: ops.log(f, "   "), "event text must not be empty"),
        (lambda f, now: ops.log(f, "x", at=now + MINUTE), "future"),
        (lambda f, now: ops.set_severity(f, Severity.SEV2), "already SEV-2"),
        (lambda f, now: ops.set_status(f, Status.INVESTIGATING), "already investigating"),
        (lambda f, now: ops.assign_role(f, Role.OPS, " "), "name must not be empty"),
        (lambda f, now: ops.release_role(f, Role.OPS, "nobody"), "does not hold"),
        (lambda f, now: ops.decide(f, ""), "decision must not be empty"),
        (lambda f, now: ops.add_action_item(f, " "), "action item must not be empty"),
        (lambda f, now: ops.complete_action_item(f, "NOPE"), "no single action item"),
        (lambda f, now: ops.mark(f, "fixed"), "unknown milestone"),
        (lambda f, now: ops.mark(f, "mitigated", at=now + MINUTE), "future"),
        (lambda f, now: ops.edit_header(f, severity=1), "cannot change severity"),
        (lambda f, now: ops.edit_header(f, title=""), "title must not be empty"),
    ],
)
def test_bad_input_is_a_one_line_error_and_writes_nothing(
    inc: IncidentFile, clock: FrozenClock, call: object, words: str
) -> None:
    before = inc.path.read_bytes()
    with pytest.raises(InvalidInputError, match=words) as caught:
        call(inc, clock.now())  # type: ignore[operator]
    assert "\n" not in str(caught.value)
    assert inc.path.read_bytes() == before


def test_set_severity_changes_header_and_logs_the_reason(inc: IncidentFile) -> None:
    event = ops.set_severity(inc, Severity.SEV1, " most users cannot pay ")
    assert inc.record().incident.severity is Severity.SEV1
    assert event.kind is EventKind.SEVERITY
    assert event.text == "Severity raised from SEV-2 to SEV-1: most users cannot pay"
    assert event.data == {"from": 2, "to": 1, "reason": "most users cannot pay"}
    assert ops.set_severity(inc, Severity.SEV3).text == "Severity lowered from SEV-1 to SEV-3"


def test_status_changes_stamp_and_clear_milestones(inc: IncidentFile, clock: FrozenClock) -> None:
    assert ops.set_status(inc, Status.IDENTIFIED, "bad deploy").text == (
        "Status investigating → identified: bad deploy"
    )
    ops.set_status(inc, Status.RESOLVED)
    assert inc.record().incident.resolved_at == clock.now()
    clock.advance(MINUTE)
    ops.set_status(inc, Status.MONITORING)  # a premature all-clear, reopened
    assert inc.record().incident.resolved_at is None
    with pytest.raises(InvalidInputError, match="use close"):
        ops.set_status(inc, Status.CLOSED)
    ops.close(inc)
    header = inc.record().incident
    assert header.closed_at == clock.now() and header.resolved_at == clock.now()
    assert header.aar_date == (clock.now().astimezone() + timedelta(days=7)).date()
    assert last(inc).kind is EventKind.STATUS
    with pytest.raises(InvalidInputError, match="reopen"):
        ops.set_status(inc, Status.INVESTIGATING)


def test_roles_assign_hand_off_pull_in_and_release(inc: IncidentFile) -> None:
    assert ops.assign_role(inc, Role.IC, "ann").text == "ann is Incident commander"
    handoff = ops.assign_role(inc, Role.IC, "bob")
    assert handoff.text == "Incident commander handed off from ann to bob"
    assert handoff.data == {"role": "ic", "name": "bob", "previous": "ann"}
    assert (
        ops.assign_role(inc, Role.SME, "db-cat").text == "db-cat pulled in as Subject matter expert"
    )
    ops.assign_role(inc, Role.SME, "net-dog")
    with pytest.raises(InvalidInputError, match="already holds"):
        ops.assign_role(inc, Role.SME, "db-cat")
    assert ops.release_role(inc, Role.SME, "db-cat").text == (
        "db-cat released from Subject matter expert"
    )
    record = inc.record()
    assert record.current_roles()[Role.IC] == ["bob"]
    assert record.current_roles()[Role.SME] == ["net-dog"]
    assert [(r.name, r.previous, r.released) for r in record.roles] == [
        ("ann", None, False),
        ("bob", "ann", False),
        ("db-cat", None, False),
        ("net-dog", None, False),
        ("db-cat", None, True),
    ]
    assert all(e.kind is EventKind.ROLE for e in record.events[2:])


def test_decide_records_the_decision_and_defaults_to_the_ic(inc: IncidentFile) -> None:
    plain = ops.decide(inc, "Wait for vendor")
    assert plain.decided_by == "tester"  # no IC yet: whoever typed it
    ops.assign_role(inc, Role.IC, "ann")
    decision = ops.decide(
        inc,
        "Roll back",
        why="deploy correlates",
        alternatives="hotfix",
        reversible=True,
        rubric="rollback",
        answer="yes",
    )
    assert decision.decided_by == "ann"
    assert inc.record().decisions[-1] == decision
    event = last(inc)
    assert (event.kind, event.text, event.author) == (
        EventKind.DECISION,
        "Decided: Roll back (why: deploy correlates)",
        "ann",
    )
    assert event.data["decision_id"] == decision.id


def test_action_items_are_added_and_completed_by_id_suffix(
    inc: IncidentFile, clock: FrozenClock
) -> None:
    due = clock.now() + timedelta(days=7)
    item = ops.add_action_item(inc, "Add a canary", owner="bob", due=due)
    assert last(inc).text == "Action item: Add a canary (owner: bob)"
    clock.advance(MINUTE)
    done = ops.complete_action_item(inc, item.id[-6:])
    assert done.done and done.done_at == clock.now() and done.due == due
    assert inc.record().action_items == (done,)
    undone = ops.complete_action_item(inc, item.id, done=False)
    assert not undone.done and undone.done_at is None
    assert inc.record().action_items == (undone,)


def test_an_action_item_is_edited_field_by_field_with_old_and_new_in_the_timeline(
    inc: IncidentFile, clock: FrozenClock
) -> None:
    due = clock.now() + timedelta(days=1)
    item = ops.add_action_item(inc, "Add a canary", owner="bob", due=due)
    edited = ops.edit_action_item(inc, item.id[-6:], owner="ana")
    assert (edited.text, edited.owner, edited.due) == ("Add a canary", "ana", due)
    assert last(inc).text == "Action item edited (Add a canary): Owner: bob -> ana"
    assert last(inc).data["action_item_id"] == item.id
    cleared = ops.edit_action_item(inc, item.id, text="Add two canaries", clear_due=True)
    assert (cleared.text, cleared.due) == ("Add two canaries", None)
    assert "Text: Add a canary -> Add two canaries" in last(inc).text
    assert "-> (none)" in last(inc).text
    assert inc.record().action_items == (cleared,)
    events = len(inc.record().events)
    with pytest.raises(InvalidInputError, match="nothing to change"):
        ops.edit_action_item(inc, item.id, owner="ana")
    with pytest.raises(InvalidInputError, match="within a year"):
        ops.edit_action_item(inc, item.id, due=clock.now() + timedelta(days=400))
    with pytest.raises(InvalidInputError, match="no single action item"):
        ops.edit_action_item(inc, "nope", owner="x")
    assert len(inc.record().events) == events  # a refused edit writes nothing


def test_marks_stamp_milestones_and_imply_the_earlier_ones(
    inc: IncidentFile, clock: FrozenClock
) -> None:
    at = clock.now() - 2 * MINUTE
    event = ops.mark(inc, "verified", "checkout works", at=at)
    header = inc.record().incident
    assert header.verified_at == header.mitigated_at == header.acknowledged_at == at
    assert (event.kind, event.text, event.occurred_at) == (
        EventKind.MITIGATION,
        "Mitigation verified: checkout works",
        at,
    )
    ops.mark(inc, "acknowledged")
    assert inc.record().incident.acknowledged_at == clock.now()
    assert last(inc).text == "Acknowledged"


def test_update_header_and_tick(inc: IncidentFile) -> None:
    before = inc.record().incident
    ops.edit_header(inc, title="Checkout 500s", impact="EU and US")
    assert inc.record().incident.title == "Checkout 500s"
    assert last(inc).text == (
        f"Title: {before.title} -> Checkout 500s; Impact: {before.impact or '(none)'} -> EU and US"
    )
    ticked = ops.tick_criterion(inc, "mitigation-verified")
    assert ticked.checklist == {"mitigation-verified": True}
    assert last(inc).text == "Resolution criterion ticked: mitigation-verified"
    assert ops.tick_criterion(inc, "mitigation-verified", done=False).checklist == {
        "mitigation-verified": False
    }


def test_every_change_survives_reopening_and_compaction(
    store: IncidentStore, inc: IncidentFile, clock: FrozenClock
) -> None:
    ops.log(inc, "a")
    ops.set_severity(inc, Severity.SEV1)
    ops.assign_role(inc, Role.OPS, "carl")
    ops.add_action_item(inc, "b")
    before = inc.record()
    fresh = IncidentStore(store.data_dir, clock=clock).open(inc.id)
    assert fresh.record() == before
    inc.compact()
    assert IncidentStore(store.data_dir, clock=clock).open(inc.id).record() == before
    assert fresh.record() == before


def test_another_process_writes_are_seen(store: IncidentStore, inc: IncidentFile) -> None:
    inc.record()
    assert not inc.changed()
    other = IncidentStore(store.data_dir, clock=store.clock, author="other").open(inc.id)
    ops.log(other, "from the CLI")
    assert inc.changed()
    assert last(inc).text == "from the CLI" and last(inc).author == "other"
    assert not inc.changed()
    ops.log(inc, "from this handle")
    assert inc.changed()  # record() has not shown it yet
    inc.record()
    assert not inc.changed()


def test_open_resolves_ids(store: IncidentStore, clock: FrozenClock) -> None:
    first = ops.declare(store, "a")
    for _ in range(12):
        ops.declare(store, "filler")
    assert store.open("inc-20261128-1").id == first.id
    assert store.resolve_id("1") == first.id  # not -11 or -12: the suffix starts after a dash
    assert store.resolve_id("-13") == "INC-20261128-13"
    clock.advance(timedelta(days=1))
    ops.declare(store, "tomorrow")
    with pytest.raises(UnknownIncidentError, match="ambiguous"):
        store.resolve_id("1")
    for bad in ("", "  ", "../incidents/INC-20261128-1", "INC-20261128-99", "*"):
        with pytest.raises(UnknownIncidentError):
            store.open(bad)


def test_no_open_incident_is_a_clear_error(store: IncidentStore) -> None:
    with pytest.raises(UnknownIncidentError, match="no open incident"):
        store.resolve_id(None)


def test_import_recreates_a_record_exactly_and_refuses_duplicates(
    store: IncidentStore, inc: IncidentFile, clock: FrozenClock, tmp_path: Path
) -> None:
    ops.log(inc, "x")
    ops.assign_role(inc, Role.IC, "ann")
    ops.decide(inc, "roll back")
    ops.add_action_item(inc, "y", owner="z")
    record = IncidentRecord.from_dict(inc.record().to_dict())
    other = IncidentStore(tmp_path / "elsewhere", clock=clock)
    assert other.import_record(record).record() == inc.record()
    assert IncidentStore(tmp_path / "elsewhere").open(inc.id).record() == inc.record()
    with pytest.raises(InvalidInputError, match="already exists"):
        store.import_record(record)


def test_unreadable_incident_file_is_a_store_error_naming_it(
    store: IncidentStore, inc: IncidentFile, clock: FrozenClock
) -> None:
    inc.path.write_bytes(inc.path.read_bytes() + b"not json at all\n")
    broken = inc.path.read_bytes()
    with pytest.raises(StoreError, match=str(inc.path)):
        IncidentStore(store.data_dir, clock=clock).open(inc.id)
    with pytest.raises(StoreError):
        ops.log(inc, "more")
    assert inc.path.read_bytes() == broken


def test_file_without_a_header_is_refused_for_writes(store: IncidentStore) -> None:
    path = store.path_for("INC-20261128-5")
    path.write_bytes(b'{"incident_tui_journal": 1}\n')
    with pytest.raises(StoreError, match="no incident header"):
        store.open("INC-20261128-5")
    assert path.read_bytes() == b'{"incident_tui_journal": 1}\n'


def test_declare_is_one_write_even_with_a_responder(store: IncidentStore) -> None:
    handle = ops.declare(store, "x", responder="ann")
    assert len(handle.path.read_bytes().splitlines()) == 2  # header + one transaction
    assert stat.S_IMODE(handle.path.stat().st_mode) == 0o600


def test_a_worker_thread_can_read_while_another_writes(inc: IncidentFile) -> None:
    import threading

    failures: list[BaseException] = []

    def write(tag: str) -> None:
        try:
            for n in range(150):
                ops.log(inc, f"{tag} {n}")
        except BaseException as exc:
            failures.append(exc)

    def read() -> None:
        try:
            for _ in range(150):
                inc.record()
        except BaseException as exc:
            failures.append(exc)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads often, so races show up
    threads = [
        threading.Thread(target=f, args=a)
        for f, a in ((write, ("a",)), (write, ("b",)), (read, ()))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    sys.setswitchinterval(interval)
    assert failures == []
    notes = [e.text for e in inc.record().events if e.kind is EventKind.NOTE]
    assert sorted(notes) == sorted(f"{t} {n}" for t in "ab" for n in range(150))


def test_a_data_dir_that_is_a_file_is_a_clear_error(tmp_path: Path, clock: FrozenClock) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("not a directory")
    with pytest.raises(StoreError, match="cannot create") as caught:
        IncidentStore(blocker, clock=clock)
    assert str(blocker) in str(caught.value)
    assert blocker.read_text() == "not a directory"


def test_import_refuses_a_record_with_a_bad_id(
    store: IncidentStore, inc: IncidentFile, tmp_path: Path
) -> None:
    raw = inc.record().to_dict()
    raw["incident"]["id"] = "../../etc/passwd"
    with pytest.raises(InvalidInputError, match="bad incident id"):
        IncidentStore(tmp_path / "other").import_record(IncidentRecord.from_dict(raw))
    assert list((tmp_path / "other" / "incidents").iterdir()) == []
