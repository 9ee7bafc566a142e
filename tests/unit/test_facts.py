"""The running facts the store folds as it reads events must say what a full pass says.

An app keeps one reader open while events arrive (backdated ones, strikes of old updates,
snoozes, severity changes, nudge dismissals); every answer the countdowns and nudges read
from its records must equal the answer worked out from scratch for the same events. And the
folding must be O(1) per new event: counted, not timed.
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from incident_tui.core import cadence, nudges, rules
from incident_tui.core import operations as ops
from incident_tui.core.clock import FrozenClock, from_iso
from incident_tui.core.config import Config
from incident_tui.core.errors import InvalidInputError
from incident_tui.core.facts import EventFacts
from incident_tui.core.models import Audience, EventKind, IncidentRecord, Severity
from incident_tui.core.store import IncidentStore

START = datetime(2026, 11, 28, 14, 0, tzinfo=UTC)
audiences = st.sampled_from(list(Audience))
back = st.integers(min_value=0, max_value=120)

steps = st.lists(
    st.one_of(
        st.tuples(st.just("note"), back),
        st.tuples(st.just("update"), audiences, back),
        st.tuples(st.just("severity"), st.sampled_from(Severity), back),
        st.tuples(st.just("snooze"), audiences, st.integers(1, 90)),
        st.tuples(st.just("strike"), st.integers(0, 30)),
        st.tuples(st.just("dismiss")),
        st.tuples(st.just("clock"), st.integers(1, 900)),
    ),
    min_size=4,
    max_size=30,
)


def _answers(record: IncidentRecord, now: datetime) -> dict[str, Any]:
    return {
        "struck": rules.struck_ids(record),
        "last": {a: e.id for a, e in rules.last_updates(record).items()},
        "history": cadence._scan(record),
        "facts": nudges.timeline_facts(record),
        "countdowns": [c.short() for c in cadence.countdowns(record, now, Config())],
    }


def _reference(record: IncidentRecord, now: datetime) -> dict[str, Any]:
    """The same answers by the plain definitions: one walk over the events in timeline order,
    later rows replacing earlier ones, struck rows left out."""
    events = record.events
    struck = frozenset(
        str(e.data["strikes"]) for e in events if isinstance(e.data.get("strikes"), str)
    )
    declared = record.incident.declared_at
    last: dict[Audience, str] = {}
    updates: dict[str, list[datetime]] = {}
    snoozes: dict[str, tuple[datetime, datetime]] = {}
    severity_at, last_write = declared, declared
    dismissed: dict[str, datetime] = {}
    for e in events:
        if e.data.get("nudge") and e.data.get("dismissed") is True:
            key = str(e.data["nudge"])
            dismissed[key] = max(dismissed.get(key, e.occurred_at), e.occurred_at)
            continue
        last_write = max(last_write, e.recorded_at)
        if e.id in struck:
            continue
        if e.kind is EventKind.COMMS and e.data.get("audience") in Audience._value2member_map_:
            last[Audience(e.data["audience"])] = e.id
            updates.setdefault(str(e.data["audience"]), []).append(e.occurred_at)
        elif e.kind is EventKind.SEVERITY:
            severity_at = max(severity_at, e.occurred_at)
        elif e.kind is EventKind.SYSTEM and e.data.get("cadence") == "snooze":
            snoozes[str(e.data["audience"])] = (e.occurred_at, from_iso(str(e.data["until"])))
    ends = {a: sorted({min(times), max(times)}) for a, times in updates.items()}
    history = cadence.CommsHistory(ends, snoozes, severity_at)  # first and last, as kept
    return {
        "struck": struck,
        "last": {a: last[a] for a in Audience if a in last},
        "history": history,
        "facts": nudges.TimelineFacts(severity_at, frozenset(updates), last_write, dismissed),
        "countdowns": [
            cadence.countdown(record, a, now, Config(), history).short() for a in cadence.AUDIENCES
        ],
    }


def _step(handle: Any, clock: FrozenClock, step: tuple[Any, ...]) -> None:
    kind, *args = step
    now = clock.now()
    try:
        if kind == "note":
            ops.log(handle, "note", EventKind.NOTE, now - timedelta(minutes=args[0]))
        elif kind == "update":
            ops.record_update(handle, args[0], "text", at=now - timedelta(minutes=args[1]))
        elif kind == "severity":
            ops.set_severity(handle, args[0], "why", at=now - timedelta(minutes=args[1]))
        elif kind == "snooze":
            ops.snooze(handle, args[0], args[1])
        elif kind == "strike":
            events = [
                e
                for e in handle.record().events
                if not rules.is_correction(e) and e.kind is not EventKind.NOTE
            ]
            ops.strike(handle, events[args[0] % len(events)].id, "wrong")
        elif kind == "dismiss":
            ops.dismiss_nudge(handle, "no-scribe")
        else:
            clock.advance(timedelta(seconds=args[0]))
    except InvalidInputError:
        pass  # refused (a time before detection, nothing to dismiss...): nothing written


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps)
def test_a_reader_kept_open_answers_as_a_full_pass_does(plan: list[tuple[Any, ...]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        clock = FrozenClock(START)
        store = IncidentStore(Path(tmp), clock=clock, fsync=False)
        writer = ops.declare(store, "Checkout errors", impact="checkout fails")
        writer.clock.advance(timedelta(hours=3))
        screen = IncidentStore(Path(tmp), clock=clock, fsync=False).open(writer.id)
        screen.record()  # read once, then only what arrives
        for step in plan:
            _step(writer, clock, step)
            kept = screen.record()  # folded event by event
            assert isinstance(kept.facts, EventFacts)
            scratch = replace(kept, facts=None)  # the same events, worked out from nothing
            expected = _reference(kept, clock.now())
            assert _answers(kept, clock.now()) == expected
            assert _answers(scratch, clock.now()) == expected


def test_one_new_event_folds_once_and_old_records_keep_their_facts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = FrozenClock(START)
    store = IncidentStore(tmp_path, clock=clock, fsync=False)
    writer = ops.declare(store, "Checkout errors", impact="checkout fails")
    for n in range(300):
        ops.log(writer, f"row {n}")
    screen = IncidentStore(tmp_path, clock=clock, fsync=False).open(writer.id)
    before = screen.record()
    folded: list[str] = []
    add = EventFacts.add

    def counting(self: EventFacts, event: Any) -> None:
        folded.append(event.text)
        add(self, event)

    monkeypatch.setattr(EventFacts, "add", counting)
    update = ops.record_update(writer, Audience.INTERNAL, "Still investigating")
    after = screen.record()
    assert folded == [update.text]  # one fold for one event, not 300
    assert rules.last_updates(after)[Audience.INTERNAL].id == update.id
    assert Audience.INTERNAL not in rules.last_updates(before)  # the old record is unchanged


def test_a_new_update_moves_its_audiences_span_without_a_pass_over_the_others(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from incident_tui.core.models import TimelineEvent

    def update(n: int, audience: str = "internal") -> TimelineEvent:
        at = START + timedelta(minutes=n)
        data = {"audience": audience, "text": f"u{n}"}
        return TimelineEvent(f"e{n:05d}", EventKind.COMMS, f"u{n}", at, at, "t", data)

    facts = EventFacts.of(update(n) for n in range(1, 3_001))
    assert facts.update_spans()["internal"] == (update(1).occurred_at, update(3_000).occurred_at)

    def no_pass(self: EventFacts, rows: object) -> list[TimelineEvent]:
        raise AssertionError("walked every update")

    monkeypatch.setattr(EventFacts, "counted", no_pass)
    facts.add(update(0, "external"))
    facts.add(update(3_001))
    assert facts.update_spans() == {
        "internal": (update(1).occurred_at, update(3_001).occurred_at),
        "external": (update(0).occurred_at, update(0).occurred_at),
    }
    monkeypatch.undo()
    struck = TimelineEvent("s", EventKind.SYSTEM, "x", START, START, "t", {"strikes": "e03001"})
    facts.add(struck)  # the last internal update struck: worked out again, once
    assert facts.update_spans()["internal"][1] == update(3_000).occurred_at
