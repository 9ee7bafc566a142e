"""Property: any sequence of store operations replays to the same record from disk."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from incident_tui.core import operations as ops
from incident_tui.core.clock import FrozenClock
from incident_tui.core.errors import InvalidInputError
from incident_tui.core.models import EventKind, IncidentRecord, Role, Severity, Status
from incident_tui.core.store import IncidentFile, IncidentStore
from incident_tui.core.store.journal import last_document

START = datetime(2026, 11, 28, 14, 0, tzinfo=UTC)
names = st.sampled_from(["ann", "bob", "cy", "  ", "Dë 🚒", "[b]x[/b]"])
words = st.text(max_size=12)
minutes = st.integers(min_value=0, max_value=90)
Op = tuple[Any, ...]

steps_of = st.one_of(
    st.tuples(st.just("log"), words, st.sampled_from(EventKind), minutes),
    st.tuples(st.just("severity"), st.sampled_from(Severity), words),
    st.tuples(st.just("status"), st.sampled_from(Status), words),
    st.tuples(st.just("assign"), st.sampled_from(Role), names),
    st.tuples(st.just("release"), st.sampled_from(Role), names),
    st.tuples(st.just("decide"), words, words, st.none() | st.booleans()),
    st.tuples(st.just("action"), words, names),
    st.tuples(st.just("complete"), st.integers(0, 3), st.booleans()),
    st.tuples(st.just("mark"), st.sampled_from(["acknowledged", "mitigated", "verified"]), minutes),
    st.tuples(st.just("header"), words, words),
    st.tuples(
        st.just("tick"), st.sampled_from(["root-cause", "systems-normal", "unknown"]), st.booleans()
    ),
    st.tuples(st.just("clock"), st.integers(0, 600)),
    st.tuples(st.just("compact")),
    st.tuples(st.just("close"), st.integers(-1, 20)),
    st.tuples(st.just("reopen"), st.sampled_from(Status)),
    st.tuples(st.just("amend"), st.integers(0, 5), words),
    st.tuples(st.just("strike"), st.integers(0, 5), words),
)


def apply(handle: IncidentFile, clock: FrozenClock, op: Op) -> None:
    """Run one operation the way the TUI or the CLI would."""
    kind, *args = op
    now = clock.now()
    calls: dict[str, Callable[[], object]] = {
        "log": lambda: ops.log(handle, args[0], args[1], now - timedelta(minutes=args[2])),
        "severity": lambda: ops.set_severity(handle, args[0], args[1]),
        "status": lambda: ops.set_status(handle, args[0], args[1]),
        "assign": lambda: ops.assign_role(handle, args[0], args[1]),
        "release": lambda: ops.release_role(handle, args[0], args[1]),
        "decide": lambda: ops.decide(handle, args[0], why=args[1], reversible=args[2]),
        "action": lambda: ops.add_action_item(handle, args[0], owner=args[1]),
        "complete": lambda: complete(handle, args[0], args[1]),
        "mark": lambda: ops.mark(handle, args[0], at=now - timedelta(minutes=args[1])),
        "header": lambda: ops.edit_header(handle, title=args[0], impact=args[1]),
        "tick": lambda: ops.tick_criterion(handle, args[0], args[1]),
        "clock": lambda: clock.advance(timedelta(seconds=args[0])),
        "compact": handle.compact,
        "close": lambda: ops.close(handle, now.date() + timedelta(days=args[0])),
        "reopen": lambda: ops.reopen(handle, args[0]),
        "amend": lambda: ops.amend(handle, event_id(handle, args[0]), args[1]),
        "strike": lambda: ops.strike(handle, event_id(handle, args[0]), args[1]),
    }
    calls[kind]()


def event_id(handle: IncidentFile, index: int) -> str:
    events = handle.record().events
    return events[-1 - index].id if index < len(events) else "missing"


def complete(handle: IncidentFile, index: int, done: bool) -> None:
    items = handle.record().action_items
    ops.complete_action_item(handle, items[index].id if index < len(items) else "missing", done)


@settings(
    max_examples=int(os.environ.get("STORE_REPLAY_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.lists(st.tuples(st.booleans(), steps_of), max_size=25))
def test_any_sequence_replays_to_the_same_record(steps: list[tuple[bool, Op]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        clock = FrozenClock(START)
        # Two writers on one incident (the TUI and a CLI in another shell), interleaved.
        first = IncidentStore(data, clock=clock, author="tui", fsync=False)
        second = IncidentStore(data, clock=clock, author="cli", fsync=False)
        incident_id = ops.declare(first, "Checkout errors").id
        handles = (first.open(incident_id), second.open(incident_id))
        for use_second, op in steps:
            handle = handles[use_second]
            before = handle.record()
            try:
                apply(handle, clock, op)
            except InvalidInputError:
                assert handle.record() == before  # a refused change leaves no trace
        live = handles[0].record()
        assert handles[1].record() == live
        # Listing reads the header from the end of the file; it must agree with a replay.
        path = handles[0].path
        assert last_document(path, "incident", "1") == live.incident.to_dict()
        reopened = IncidentStore(data, clock=clock, fsync=False).open(incident_id)
        assert reopened.record() == live
        reopened.compact()
        assert IncidentStore(data, clock=clock, fsync=False).open(incident_id).record() == live
        assert last_document(path, "incident", "1") == live.incident.to_dict()
        assert handles[0].record() == live  # a handle that saw the file replaced catches up
        # And the JSON export rebuilds it exactly elsewhere.
        exported = orjson.loads(orjson.dumps(live.to_dict()))
        elsewhere = IncidentStore(data / "elsewhere", clock=clock, fsync=False)
        assert elsewhere.import_record(IncidentRecord.from_dict(exported)).record() == live
