"""``show`` from the facts saved with each checkpoint: the same text as from every event.

The store keeps an incident's event facts with each checkpoint (``EventDigest``), thinned to
each audience's last few updates. ``IncidentReader.glance`` reads those and the
events added since, never the whole timeline; these tests hold its ``show`` text equal to
the one made from the whole record, over random histories written with checkpoints every
few lines (backdated rows, many updates, strikes of old and new updates, amendments,
severity changes, snoozes, dismissals, resolution), and check that damaged or missing
saved facts fall back to reading every event.
"""

from __future__ import annotations

import contextlib
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson
import pytest

from incident_tui.cli.show import show_lines
from incident_tui.core import facts
from incident_tui.core import operations as ops
from incident_tui.core.attention_rules import active
from incident_tui.core.clock import FrozenClock
from incident_tui.core.config import Config
from incident_tui.core.errors import InvalidInputError
from incident_tui.core.models import Audience, EventKind, Role, Severity, Status
from incident_tui.core.store import IncidentFile, IncidentStore
from incident_tui.core.store import checkpoint as ckpt

START = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def small_checkpoints(monkeypatch: pytest.MonkeyPatch) -> None:
    """Checkpoints every few lines, the events table kept lazy, few updates kept and a
    short tail: so a history of a hundred steps crosses all the paths."""
    monkeypatch.setattr(ckpt, "EVERY_LINES", 7)
    monkeypatch.setattr(ckpt, "EAGER_BYTES", 256)
    monkeypatch.setattr(facts, "KEPT_UPDATES", 2)
    monkeypatch.setattr(facts, "TAIL", 12)


def declared(data_dir: Path, title: str) -> tuple[FrozenClock, IncidentFile]:
    """A fresh incident on a frozen clock."""
    clock = FrozenClock(START)
    store = IncidentStore(data_dir, clock=clock, fsync=False)
    return clock, ops.declare(store, title, detected_at=START, responder="Ana")


def history(data_dir: Path, seed: int, steps: int = 120) -> tuple[str, FrozenClock]:
    """A random incident written one operation at a time."""
    rng = random.Random(seed)
    clock = FrozenClock(START)
    store = IncidentStore(data_dir, clock=clock, author="scribe", fsync=False)
    handle = ops.declare(store, "Glance", detected_at=START, responder="Ana")
    written: list[str] = []
    updates: list[str] = []
    for n in range(steps):
        with contextlib.suppress(InvalidInputError):  # a step the rules refuse: skip it
            clock.advance(timedelta(seconds=rng.randint(1, 400)))
            at = clock.now() - timedelta(minutes=rng.randint(1, 90)) if rng.random() < 0.2 else None
            roll = rng.random()
            if roll < 0.35:
                written.append(ops.log(handle, f"note {n}", at=at).id)
            elif roll < 0.6:
                audience = rng.choice(list(Audience))
                event = ops.record_update(handle, audience, f"update {n}", at=at)
                updates.append(event.id)
            elif roll < 0.68 and updates:
                ops.strike(
                    handle, rng.choice(updates[-4:] if rng.random() < 0.6 else updates), "no"
                )
            elif roll < 0.74 and written:
                ops.amend(handle, rng.choice(written), f"amended {n}", at=at)
            elif roll < 0.78 and written:
                ops.strike(handle, rng.choice(written), "wrong row")
            elif roll < 0.83:
                wanted = rng.choice([s for s in Severity if s is not handle.incident.severity])
                ops.set_severity(handle, wanted, f"reason {n}", at=at)
            elif roll < 0.87:
                ops.snooze(handle, rng.choice(list(Audience)), rng.randint(5, 30))
            elif roll < 0.9:
                shown = active(handle.record(), clock.now())
                if shown:
                    ops.dismiss_nudge(handle, rng.choice(shown).key)
            elif roll < 0.93:
                ops.assign_role(handle, rng.choice([Role.IC, Role.SCRIBE, Role.SME]), f"p{n}")
            else:
                written.append(ops.log(handle, f"tried {n}", kind=EventKind.ACTION, at=at).id)
    if rng.random() < 0.5:
        ops.set_status(handle, Status.RESOLVED)
        clock.advance(timedelta(minutes=rng.randint(0, 120)))
    return handle.id, clock


@pytest.mark.parametrize("seed", range(12))
def test_show_from_the_saved_facts_is_show_from_every_event(tmp_path: Path, seed: int) -> None:
    incident_id, clock = history(tmp_path, seed)
    now = clock.now()
    fresh = IncidentStore(tmp_path, clock=clock, fsync=False)
    glance = fresh.open(incident_id, read_all=False).glance()
    full = IncidentStore(tmp_path, clock=clock, fsync=False).open(incident_id).record()
    assert show_lines(glance, now) == show_lines(full, now)
    if glance.partial:
        assert len(glance.events) < len(full.events)
        assert glance.events == full.events[-len(glance.events) :]


def test_most_histories_take_the_cheap_path(tmp_path: Path) -> None:
    cheap = 0
    for seed in range(12):
        incident_id, clock = history(tmp_path / str(seed), seed)
        store = IncidentStore(tmp_path / str(seed), clock=clock, fsync=False)
        cheap += store.open(incident_id, read_all=False).glance().partial
    assert cheap >= 8, f"only {cheap} of 12 glances used the saved facts"


def test_saved_facts_are_thinned_to_each_audiences_last_updates(
    tmp_path: Path,
) -> None:
    clock, handle = declared(tmp_path, "Thin")
    for n in range(40):
        clock.advance(timedelta(minutes=1))
        ops.record_update(handle, Audience.INTERNAL, f"update {n}")
    handle.compact()  # a checkpoint of everything, facts made from every event
    journal = IncidentStore(tmp_path, clock=clock, fsync=False).open(handle.id)._db.journal
    saved = journal.digest("events")
    assert saved is not None
    read = facts.EventFacts.from_bytes(saved[0])
    texts = [row.data["text"] for row in read.updates["internal"]]
    assert texts == [f"update {n}" for n in range(40 - facts.KEPT_UPDATES, 40)]
    assert read.thinned and not read.inexact


def test_a_strike_after_thinning_reads_every_event(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock, handle = declared(tmp_path, "Strike")
    sent, sent_at = [], []
    for n in range(30):
        clock.advance(timedelta(minutes=1))
        sent.append(ops.record_update(handle, Audience.INTERNAL, f"update {n}").id)
        sent_at.append(clock.now())
    monkeypatch.setattr(ckpt, "EVERY_LINES", 1000)  # the strikes come after the last one
    for event_id in sent[-3:]:  # more than the saved facts keep
        ops.strike(handle, event_id, "sent to the wrong channel")
    now = clock.now()
    glance = IncidentStore(tmp_path, clock=clock, fsync=False).open(handle.id, False).glance()
    full = IncidentStore(tmp_path, clock=clock, fsync=False).open(handle.id).record()
    assert show_lines(glance, now) == show_lines(full, now)
    assert not glance.partial  # the saved facts no longer know the last update
    interval = Config().interval(Severity.SEV1, "internal")
    assert interval is not None
    due = (sent_at[-4] + interval).astimezone().strftime("%H:%M")
    assert f"Updates due: internal {due}" in "\n".join(show_lines(full, now))


def test_damaged_saved_facts_are_not_trusted(tmp_path: Path) -> None:
    incident_id, clock = history(tmp_path, 3)
    path = ckpt.checkpoint_path(IncidentStore(tmp_path).path_for(incident_id))
    found = ckpt.read_checkpoint(path.with_suffix(""), token_of(path))
    assert found is not None and found.digest is not None
    entry = found.digest[1]
    blob = bytearray(path.read_bytes())
    blob[entry.start + entry.length // 2] ^= 0x01
    path.write_bytes(bytes(blob))
    now = clock.now()
    glance = IncidentStore(tmp_path, clock=clock, fsync=False).open(incident_id, False).glance()
    full = IncidentStore(tmp_path, clock=clock, fsync=False).open(incident_id).record()
    assert not glance.partial
    assert show_lines(glance, now) == show_lines(full, now)


def test_a_checkpoint_without_saved_facts_gets_them_at_the_next_one(tmp_path: Path) -> None:
    incident_id, clock = history(tmp_path, 5, steps=40)
    store = IncidentStore(tmp_path, clock=clock, fsync=False)
    journal_path = store.path_for(incident_id)
    path = ckpt.checkpoint_path(journal_path)
    found = ckpt.read_checkpoint(journal_path, token_of(path))
    assert found is not None
    # Rewrite the checkpoint as one written before facts were saved: no digest.
    meta, rest = path.read_bytes().split(b"\n", 1)
    raw = orjson.loads(meta)
    del raw["digest"]
    path.write_bytes(orjson.dumps(raw) + b"\n" + rest)
    handle = IncidentStore(tmp_path, clock=clock, fsync=False).open(incident_id, False)
    assert not handle.glance().partial  # read every event
    for n in range(ckpt.EVERY_LINES):
        ops.log(handle, f"more {n}")
    now = clock.now()
    glance = IncidentStore(tmp_path, clock=clock, fsync=False).open(incident_id, False).glance()
    full = IncidentStore(tmp_path, clock=clock, fsync=False).open(incident_id).record()
    assert glance.partial
    assert show_lines(glance, now) == show_lines(full, now)


def token_of(checkpoint: Path) -> str:
    """The journal token a checkpoint was written for."""
    meta = orjson.loads(checkpoint.read_bytes().split(b"\n", 1)[0])
    return str(meta["file"])


def test_the_amendment_latest_in_the_timeline_wins_whatever_order_they_were_written(
    tmp_path: Path,
) -> None:
    clock, handle = declared(tmp_path, "Amends")
    row = ops.log(handle, "db at 90%")
    clock.advance(timedelta(minutes=10))
    ops.amend(handle, row.id, "db at 95%", at=START + timedelta(minutes=8))
    ops.amend(handle, row.id, "db at 92%", at=START + timedelta(minutes=2))  # backdated
    for n in range(ckpt.EVERY_LINES):  # so the saved facts hold both, folded as written
        ops.log(handle, f"later {n}")
    for reader in (
        IncidentStore(tmp_path, clock=clock, fsync=False).open(handle.id).record(),
        IncidentStore(tmp_path, clock=clock, fsync=False).open(handle.id, False).glance(),
    ):
        text = "\n".join(show_lines(reader, clock.now()))
        assert "db at 95% [amended]" in text
    assert reader.partial


def test_a_misfit_event_in_a_checkpoint_is_reported_with_its_line(tmp_path: Path) -> None:
    """Events in a checkpoint are decoded and checked a chunk at a time; a chunk with a
    misfit is read again one document at a time, so the error names the line."""
    from incident_tui.core.errors import StoreError

    clock, handle = declared(tmp_path, "Misfit")
    path = handle.path
    bad = {"id": "x", "kind": "note", "text": "t", "occurred_at": "yesterday-ish"}
    bad["recorded_at"] = bad["occurred_at"]
    line = orjson.dumps({"ops": [["put", "events", "900", bad]]}) + b"\n"
    with open(path, "ab") as out:
        out.write(line)
    number = path.read_bytes().count(b"\n")
    writer = IncidentStore(tmp_path, clock=clock, fsync=False).open(handle.id, False)
    for n in range(ckpt.EVERY_LINES):  # a writer checkpoints the misfit with the rest
        ops.log(writer, f"after {n}")
    assert ckpt.read_checkpoint(path, token_of(ckpt.checkpoint_path(path))) is not None
    with pytest.raises(StoreError, match=f"line {number}: events document 900"):
        IncidentStore(tmp_path, clock=clock, fsync=False).open(handle.id)
