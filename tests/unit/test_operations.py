"""The operations on a real file: one clear error and not a byte written for bad input;
corrections are append-only; close is one write; exports are private and never follow a
symlink."""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from incident_tui.core import operations as ops
from incident_tui.core.clock import FrozenClock
from incident_tui.core.errors import IncidentError, InvalidInputError, StoreError
from incident_tui.core.models import EventKind, Role, Severity, Status
from incident_tui.core.store import IncidentFile, IncidentStore

MINUTE = timedelta(minutes=1)


@pytest.fixture
def inc(store: IncidentStore, clock: FrozenClock) -> IncidentFile:
    handle = ops.declare(store, "Checkout errors", severity=Severity.SEV2, responder="ann")
    ops.log(handle, "DB is dwon")
    ops.add_action_item(handle, "Canary deploys", owner="dana")
    clock.advance(MINUTE)
    return handle


def checksum(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def note_id(inc: IncidentFile, text: str) -> str:
    return next(e.id for e in inc.record().events if e.text == text)


BAD: list[tuple[str, Callable[[IncidentFile, datetime], object], str]] = [
    ("log empty", lambda f, now: ops.log(f, "  "), "must not be empty"),
    ("log future", lambda f, now: ops.log(f, "x", at=now + MINUTE), "future"),
    ("log 1999", lambda f, now: ops.log(f, "x", at=now.replace(year=1999)), "before 2000"),
    ("log reserved", lambda f, now: ops.log(f, "x", data={"strikes": "y"}), "own operation"),
    ("amend unknown", lambda f, now: ops.amend(f, "NOPE", "text"), "no single timeline event"),
    ("amend empty", lambda f, now: ops.amend(f, note_id(f, "DB is dwon"), " "), "empty"),
    ("strike no why", lambda f, now: ops.strike(f, note_id(f, "DB is dwon"), ""), "reason"),
    ("severity same", lambda f, now: ops.set_severity(f, Severity.SEV2), "already SEV-2"),
    (
        "severity future",
        lambda f, now: ops.set_severity(f, Severity.SEV1, at=now + MINUTE),
        "future",
    ),
    ("status closed", lambda f, now: ops.set_status(f, Status.CLOSED), "use close"),
    ("status same", lambda f, now: ops.set_status(f, Status.INVESTIGATING), "already"),
    ("role empty", lambda f, now: ops.assign_role(f, Role.OPS, " "), "name must not be empty"),
    ("role held", lambda f, now: ops.assign_role(f, Role.IC, "ann"), "already holds"),
    ("release", lambda f, now: ops.release_role(f, Role.OPS, "bob"), "does not hold"),
    ("decide empty", lambda f, now: ops.decide(f, ""), "decision must not be empty"),
    ("action empty", lambda f, now: ops.add_action_item(f, ""), "action item must not be"),
    (
        "action due",
        lambda f, now: ops.add_action_item(f, "x", due=now + timedelta(days=900)),
        "within a year",
    ),
    ("done unknown", lambda f, now: ops.complete_action_item(f, "zzz"), "no single action item"),
    ("update audience", lambda f, now: ops.record_update(f, "press", "x"), "unknown audience"),
    ("update empty", lambda f, now: ops.record_update(f, "external", ""), "must not be empty"),
    ("snooze long", lambda f, now: ops.snooze(f, "external", 5000), "24 hours"),
    ("dismiss", lambda f, now: ops.dismiss_nudge(f, "no-such-nudge"), "no active nudge"),
    ("mark", lambda f, now: ops.mark(f, "fixed"), "unknown milestone"),
    ("verify future", lambda f, now: ops.verify_mitigation(f, "ok", at=now + MINUTE), "future"),
    ("tick unknown", lambda f, now: ops.tick_criterion(f, "vibes"), "unknown resolution"),
    ("close late aar", lambda f, now: ops.close(f, date(2027, 6, 1)), "AAR date must be between"),
    ("close early aar", lambda f, now: ops.close(f, now.date()), "AAR date must be between"),
    ("close future", lambda f, now: ops.close(f, at=now + MINUTE), "future"),
    ("reopen open", lambda f, now: ops.reopen(f), "not closed"),
    ("edit nothing", lambda f, now: ops.edit_header(f, title="Checkout errors"), "nothing changed"),
    ("edit aar", lambda f, now: ops.edit_header(f, aar_date=date(2027, 6, 1)), "between"),
    ("edit source", lambda f, now: ops.edit_header(f, source="pager"), "unknown source"),
    ("edit severity", lambda f, now: ops.edit_header(f, severity=1), "cannot change severity"),
]


@pytest.mark.parametrize(("name", "call", "message"), BAD, ids=[b[0] for b in BAD])
def test_bad_input_is_one_clear_error_and_writes_nothing(
    inc: IncidentFile, clock: FrozenClock, name: str, call: Callable[..., object], message: str
) -> None:
    before = checksum(inc.path)
    with pytest.raises(InvalidInputError) as caught:
        call(inc, clock.now())
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)
    assert checksum(inc.path) == before


def test_declare_refuses_an_empty_title_and_creates_no_file(store: IncidentStore) -> None:
    with pytest.raises(InvalidInputError, match="title must not be empty"):
        ops.declare(store, "  ")
    assert list(store.incidents_dir.iterdir()) == []


def test_at_backdates_occurred_at_and_keeps_recorded_at(
    inc: IncidentFile, clock: FrozenClock
) -> None:
    earlier = clock.now() - timedelta(minutes=20)
    event = ops.set_severity(inc, Severity.SEV1, "all regions", at=earlier)
    assert (event.occurred_at, event.recorded_at) == (earlier, clock.now())
    decision = ops.decide(inc, "Roll back", at=earlier)
    assert decision.decided_at == earlier
    resolved = ops.set_status(inc, Status.RESOLVED, at=earlier)
    assert inc.record().incident.resolved_at == resolved.occurred_at == earlier


def test_amend_and_strike_append_and_keep_the_original(inc: IncidentFile) -> None:
    original = note_id(inc, "DB is dwon")
    amended = ops.amend(inc, original[-8:], "DB is down")
    assert amended.data == {"amends": original, "text": "DB is down", "was": "DB is dwon"}
    struck = ops.strike(inc, original, "wrong incident")
    assert struck.data == {"strikes": original, "why": "wrong incident"}
    events = {e.id: e for e in inc.record().events}
    assert events[original].text == "DB is dwon"  # still there, unchanged
    with pytest.raises(InvalidInputError, match="struck"):
        ops.amend(inc, original, "again")


def test_a_struck_update_no_longer_counts_and_a_struck_milestone_is_cleared(
    inc: IncidentFile, clock: FrozenClock
) -> None:
    from incident_tui.core.rules import last_updates

    sent = ops.record_update(inc, "customers", "We are investigating.")
    assert set(last_updates(inc.record())) == {"external"}
    from incident_tui.core.export import to_markdown

    def updates_sent() -> str:
        text = to_markdown(inc.record(), clock.now())
        return text[text.index("## Updates sent") :].split("\n## ")[0]

    assert "We are investigating." in updates_sent()
    ops.strike(inc, sent.id, "posted to the wrong page")
    assert last_updates(inc.record()) == {}
    assert "We are investigating." not in updates_sent()
    applied = ops.apply_mitigation(inc, "rolled back", at=clock.now() - MINUTE)
    assert inc.record().incident.mitigated_at == applied.occurred_at
    ops.strike(inc, applied.id, "the rollback did not happen")
    assert inc.record().incident.mitigated_at is None


def test_verify_ticks_its_criterion_in_the_same_write(inc: IncidentFile) -> None:
    before = inc._db.journal.journal_lines
    ops.verify_mitigation(inc, "test purchase works")
    header = inc.record().incident
    assert header.verified_at is not None and header.mitigated_at is not None
    assert header.checklist == {"mitigation-verified": True}
    assert inc._db.journal.journal_lines == before + 1  # one journal transaction


def test_close_is_one_write_and_reopen_undoes_it(inc: IncidentFile, clock: FrozenClock) -> None:
    before = inc._db.journal.journal_lines
    event = ops.close(inc, date(2026, 12, 3))
    assert inc._db.journal.journal_lines == before + 1
    header = inc.record().incident
    assert (header.status, header.closed_at, header.aar_date) == (
        Status.CLOSED,
        clock.now(),
        date(2026, 12, 3),
    )
    assert event.text == "Status investigating → closed: AAR on 2026-12-03; 1 action items open"
    with pytest.raises(InvalidInputError, match="reopen"):
        ops.set_severity(inc, Severity.SEV1)
    ops.reopen(inc)
    header = inc.record().incident
    assert (header.status, header.closed_at, header.resolved_at) == (
        Status.INVESTIGATING,
        None,
        None,
    )


def test_edit_header_says_old_and_new(inc: IncidentFile) -> None:
    event = ops.edit_header(inc, impact="EU card payments", aar_date=date(2026, 12, 1))
    assert event.text == "Impact: (none) -> EU card payments; AAR date: (none) -> 2026-12-01"
    assert event.data == {"edited": {"impact": "EU card payments", "aar_date": "2026-12-01"}}


# -- export ---------------------------------------------------------------------------------


def test_export_is_private_and_atomic_in_a_private_folder(
    inc: IncidentFile, tmp_path: Path, clock: FrozenClock
) -> None:
    target = tmp_path / "exports" / "summary.md"
    ops.export(inc.record(), target, clock.now(), make_folder=True)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert stat.S_IMODE(target.parent.stat().st_mode) == 0o700
    assert target.read_text().startswith("# Incident: Checkout errors")
    target.chmod(0o644)  # an older, looser export is replaced by a private one
    ops.export(inc.record(), target, clock.now(), fmt="json")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_text().startswith("{")
    assert [p.name for p in target.parent.iterdir()] == ["summary.md"]  # no temp left


def test_export_never_follows_a_planted_symlink(
    inc: IncidentFile, tmp_path: Path, clock: FrozenClock
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    target = tmp_path / "summary.md"
    os.symlink(victim, target)
    with pytest.raises(StoreError, match="symbolic link"):
        ops.export(inc.record(), target, clock.now())
    assert victim.read_text() == "keep me"
    assert target.is_symlink()


def test_export_into_a_missing_folder_the_user_named_is_refused(
    inc: IncidentFile, tmp_path: Path, clock: FrozenClock
) -> None:
    target = tmp_path / "nope" / "summary.md"
    with pytest.raises(IncidentError, match="cannot write"):
        ops.export(inc.record(), target, clock.now())
    assert not target.parent.exists()


def test_a_comms_log_is_not_an_update_unless_recorded_as_one(inc: IncidentFile) -> None:
    with pytest.raises(InvalidInputError, match="record_update"):
        ops.log(inc, "sent", kind=EventKind.COMMS, data={"audience": "external"})
