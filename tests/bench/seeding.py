"""Build incidents of a given size quickly, in the exact journal shape the store writes.

Each event is its own journal line, as when it was logged one keypress at a time. Writing
the lines directly (one buffered write, no fsync) takes seconds for 100,000 events where
logging them one by one takes minutes; the file is byte-for-byte what ``IncidentFile.log``
would have appended.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson

from incident_tui.core import operations as ops
from incident_tui.core.clock import FrozenClock
from incident_tui.core.models import EventKind, TimelineEvent
from incident_tui.core.store import IncidentStore, new_id

DETECTED = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


def seed(data_dir: Path, events: int, start: datetime = DETECTED) -> str:
    """An open incident holding ``events`` events after its declaration; returns its id."""
    clock = FrozenClock(start)
    store = IncidentStore(data_dir, clock=clock, author="bench", fsync=False)
    handle = ops.declare(store, "Bench incident", detected_at=start, responder="Ana")
    path = store.path_for(handle.id)
    next_doc = len(handle.record().events) + 1
    lines = []
    for n in range(events):
        moment = start + timedelta(seconds=n + 1)
        comms = n % 20 == 0
        event = TimelineEvent(
            id=new_id(),
            kind=EventKind.COMMS if comms else EventKind.NOTE,
            text=f"row {n}: something happened | with detail",
            occurred_at=moment,
            # Saved a moment after the keypress, as from the app's dialog (so each event
            # holds two distinct times, as a real one does).
            recorded_at=moment + timedelta(milliseconds=1500),
            author=f"responder-{n % 7}",
            data={"audience": "internal", "text": f"update {n}"} if comms else {},
        )
        op = ["put", "events", str(next_doc + n), event.to_dict()]
        lines.append(orjson.dumps({"ops": [op]}) + b"\n")
    with open(path, "ab") as out:
        out.write(b"".join(lines))
    return handle.id
