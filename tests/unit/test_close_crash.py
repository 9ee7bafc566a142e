"""Closing is one write: a process SIGKILLed at any moment while closing and reopening never
leaves a closed incident without its closed time and AAR date, nor an AAR date or closed time
on an incident that is not closed."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from pathlib import Path

from incident_tui.core import operations as ops
from incident_tui.core.models import IncidentRecord, Status
from incident_tui.core.store import IncidentStore

ROUNDS = int(os.environ.get("CLOSE_CRASH_ROUNDS", "40"))

# Closes and reopens as fast as it can, with fsync on, until it is killed.
CLOSER = """
import sys
from datetime import timedelta
from pathlib import Path
from incident_tui.core import operations as ops
from incident_tui.core.store import IncidentStore

handle = IncidentStore(Path(sys.argv[1]), author="closer").open(sys.argv[2])
print("ready", flush=True)
while True:
    if handle.record().incident.status.is_open:
        today = handle.clock.now().astimezone().date()
        ops.close(handle, today + timedelta(days=7))
    else:
        ops.reopen(handle)
"""


def consistent(record: IncidentRecord) -> bool:
    header = record.incident
    closed = header.status is Status.CLOSED
    return closed == (header.closed_at is not None) == (header.aar_date is not None)


def test_a_kill_during_close_never_leaves_half_a_close(data_dir: Path) -> None:
    incident_id = ops.declare(IncidentStore(data_dir), "crash while closing").id
    rng = random.Random(20261128)
    seen_closed = seen_open = 0
    for round_no in range(ROUNDS):
        proc = subprocess.Popen(
            [sys.executable, "-c", CLOSER, str(data_dir), incident_id],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready", proc.communicate()[1]
        time.sleep(rng.uniform(0.005, 0.15))
        proc.kill()
        _, err = proc.communicate()
        assert proc.returncode == -9, err  # killed while working, not failed on its own
        record = IncidentStore(data_dir).open(incident_id).record()
        assert consistent(record), f"round {round_no}: {record.incident}"
        seen_closed += record.incident.status is Status.CLOSED
        seen_open += record.incident.status is not Status.CLOSED
    # The kills landed in both states, so both halves of the loop were interrupted.
    assert seen_closed and seen_open
    # And every close on the timeline carries its AAR date.
    record = IncidentStore(data_dir).open(incident_id).record()
    closes = [e for e in record.events if e.data.get("to") == "closed"]
    assert len(closes) >= ROUNDS // 2  # the closer got real work done between kills
    assert all(e.data.get("aar_date") for e in closes)
