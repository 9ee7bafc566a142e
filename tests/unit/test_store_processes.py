"""Real processes: writers SIGKILLed mid-append, and two writers on one incident at once."""

from __future__ import annotations

import itertools
import random
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from incident_tui.core import operations as ops
from incident_tui.core.models import EventKind
from incident_tui.core.store import IncidentStore

# A writer as a scribe's shell would run it: log events, print each id once the call returns.
WRITER = """
import sys
from pathlib import Path
from incident_tui.core import operations as ops
from incident_tui.core.store import IncidentStore

data, incident, tag, count, big = sys.argv[1:6]
count = int(count)
handle = IncidentStore(Path(data), author=tag).open(incident)
print("ready", flush=True)
if sys.stdin.readline().strip() != "go":
    sys.exit(1)
padding = "x" * 65536
for n in range(count):
    # Some events are large so that a kill can land in the middle of one write().
    text = f"{tag} {n}" + (f" {padding}" if big == "big" and n % 4 == 3 else "")
    event = ops.log(handle, text)
    print(event.id, flush=True)
    if big == "big" and n % 40 == 39:
        handle.compact()  # a kill may also land mid-compaction
"""

DECLARER = """
import sys
from pathlib import Path
from incident_tui.core import operations as ops
from incident_tui.core.store import IncidentStore

store = IncidentStore(Path(sys.argv[1]), author=sys.argv[2])
print("ready", flush=True)
sys.stdin.readline()
for n in range(int(sys.argv[3])):
    print(ops.declare(store, f"{sys.argv[2]} {n}").id, flush=True)
"""


def start(script: str, *args: str) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", script, *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready", proc.stderr.read() if proc.stderr else ""
    return proc


def go(proc: subprocess.Popen[str]) -> None:
    assert proc.stdin is not None
    proc.stdin.write("go\n")
    proc.stdin.flush()


def test_writers_killed_at_random_moments_lose_no_acknowledged_event(data_dir: Path) -> None:
    incident_id = ops.declare(IncidentStore(data_dir), "crash test").id
    rng = random.Random(20261128)
    acknowledged: list[str] = []
    killed_mid_run = 0
    path = IncidentStore(data_dir).path_for(incident_id)
    for round_no in range(30):
        proc = start(WRITER, str(data_dir), incident_id, f"w{round_no}", "100000", "big")
        go(proc)
        assert proc.stdout is not None
        first = proc.stdout.readline().strip()  # every writer gets going after a crash
        assert first, proc.stderr.read() if proc.stderr else ""
        time.sleep(rng.uniform(0.0, 0.1))
        proc.kill()
        out, _ = proc.communicate()
        acknowledged.append(first)
        if round_no % 5 == 4:
            # The kernel rarely lets a kill split one write(); a power cut can. Leave the
            # half-line such a crash leaves, for the next writer to cut off.
            with path.open("ab") as handle:
                handle.write(b'{"ops": [["put", "events", "999999", {"id": "torn", "te')
        killed_mid_run += proc.returncode == -9
        acknowledged += out.split()
        # After every kill the file opens, and every event whose id was printed is there.
        record = IncidentStore(data_dir).open(incident_id).record()
        present = {event.id for event in record.events}
        missing = [i for i in acknowledged if i not in present]
        assert not missing, f"round {round_no}: lost {len(missing)} acknowledged events"
        assert "torn" not in present
    assert killed_mid_run == 30
    assert len(acknowledged) > 100  # the writers did get work done between kills

    # The next writer works, and nothing was duplicated along the way.
    after = IncidentStore(data_dir).open(incident_id)
    ops.log(after, "survived")
    events = after.record().events
    assert Counter(e.id for e in events).most_common(1)[0][1] == 1
    assert events[-1].text == "survived"


def test_two_processes_logging_at_once_get_every_event_exactly_once(data_dir: Path) -> None:
    incident_id = ops.declare(IncidentStore(data_dir), "two shells").id
    writers = [start(WRITER, str(data_dir), incident_id, tag, "500", "small") for tag in "AB"]
    for proc in writers:
        go(proc)
    printed = []
    for proc in writers:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        printed += out.split()

    events = IncidentStore(data_dir).open(incident_id).record().events
    notes = [e for e in events if e.kind is EventKind.NOTE]
    assert len(notes) == 1000
    assert len({e.id for e in notes}) == 1000
    assert sorted(e.id for e in notes) == sorted(printed)
    texts = Counter(e.text for e in notes)
    assert set(texts) == {f"{tag} {n}" for tag in "AB" for n in range(500)}
    # Both really wrote at the same time: their events interleave in the file.
    order = [e.author for e in sorted(notes, key=lambda e: e.recorded_at)]
    switches = sum(1 for a, b in itertools.pairwise(order) if a != b)
    assert switches > 1


def test_two_processes_declaring_at_once_get_distinct_ids(data_dir: Path) -> None:
    IncidentStore(data_dir)  # create the data dir before both race for it
    declarers = [start(DECLARER, str(data_dir), tag, "15") for tag in ("left", "right")]
    for proc in declarers:
        go(proc)
    ids = []
    for proc in declarers:
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        ids += out.split()
    assert len(ids) == len(set(ids)) == 30
    listed = IncidentStore(data_dir).list_incidents()
    assert sorted(s.id for s in listed) == sorted(ids)
    titles = {s.title for s in listed}
    assert titles == {f"{tag} {n}" for tag in ("left", "right") for n in range(15)}
