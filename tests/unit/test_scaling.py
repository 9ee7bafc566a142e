"""Work that must not grow with the incident: counted, not timed, at 1,000 and 10,000 events.

Each test runs the same operation on two incidents ten times apart in size and counts what
it decoded (JSON documents and bytes) and how many event models it built. A change that
makes ``incident-tui log`` replay the journal, or the app's redraw rebuild every event after
one new one, fails here on any machine, however fast.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from incident_tui.cli import main
from incident_tui.core import operations as ops
from incident_tui.core import schema
from incident_tui.core.clock import FrozenClock
from incident_tui.core.models import EventKind, TimelineEvent
from incident_tui.core.store import IncidentStore, new_id

DETECTED = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
SIZES = (1_000, 10_000)


def seed(data_dir: Path, events: int) -> str:
    """An incident with ``events`` events, each on its own journal line, then compacted (as
    the store does by itself once it grows)."""
    store = IncidentStore(data_dir, clock=FrozenClock(DETECTED), author="t", fsync=False)
    handle = ops.declare(store, "Scaling", detected_at=DETECTED, responder="Ana")
    first = len(handle.record().events) + 1
    lines = []
    for n in range(events):
        moment = DETECTED + timedelta(seconds=n + 1)
        event = TimelineEvent(new_id(), EventKind.NOTE, f"row {n}", moment, moment, "t")
        op = ["put", "events", str(first + n), event.to_dict()]
        lines.append(orjson.dumps({"ops": [op]}) + b"\n")
    with open(store.path_for(handle.id), "ab") as out:
        out.write(b"".join(lines))
    IncidentStore(data_dir, fsync=False).open(handle.id).compact()
    return handle.id


@dataclass
class Work:
    documents: int = 0
    """JSON documents decoded."""
    decoded_bytes: int = 0
    models: int = 0
    """Timeline events built."""


@pytest.fixture
def count(monkeypatch: pytest.MonkeyPatch) -> Iterator[Work]:
    work = Work()
    loads, from_dict = orjson.loads, TimelineEvent.from_dict.__func__  # type: ignore[attr-defined]

    def counting_loads(data: bytes | str) -> object:
        work.documents += 1
        work.decoded_bytes += len(data)
        return loads(data)

    def counting_from_dict(cls: type[TimelineEvent], raw: dict[str, object]) -> TimelineEvent:
        work.models += 1
        result: TimelineEvent = from_dict(cls, raw)
        return result

    read_event = schema.read_event

    def counting_read_event(raw: object) -> TimelineEvent:  # the store's checked path
        work.models += 1
        return read_event(raw)

    monkeypatch.setattr(orjson, "loads", counting_loads)
    monkeypatch.setattr(TimelineEvent, "from_dict", classmethod(counting_from_dict))
    monkeypatch.setattr(schema, "read_event", counting_read_event)
    yield work


def run(data_dir: Path, *args: str) -> None:
    result = CliRunner().invoke(
        main,
        list(args),
        env={"INCIDENT_TUI_DATA_DIR": str(data_dir), "INCIDENT_TUI_AUTHOR": "t"},
    )
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("command", [["log", "one more"], ["list"]])
def test_log_and_list_do_the_same_work_at_1k_and_10k_events(
    tmp_path: Path, count: Work, command: list[str]
) -> None:
    measured = []
    for size in SIZES:
        data_dir = tmp_path / str(size)
        seed(data_dir, size)
        run(data_dir, *command)  # brings the index up to date, as any earlier command would
        count.documents = count.decoded_bytes = count.models = 0
        run(data_dir, *command)
        measured.append((count.documents, count.models))
        assert count.models == 0, f"{command[0]} built {count.models} event models at {size}"
        assert count.decoded_bytes < 64 * 1024, f"{command[0]} decoded {count.decoded_bytes} B"
    assert measured[0] == measured[1]


def test_one_new_event_builds_one_model_in_a_reader_at_1k_and_10k(
    tmp_path: Path, count: Work
) -> None:
    for size in SIZES:
        data_dir = tmp_path / str(size)
        incident_id = seed(data_dir, size)
        screen = IncidentStore(data_dir, fsync=False).open(incident_id)  # the app's reader
        scribe = IncidentStore(data_dir, fsync=False).open(incident_id, read_all=False)
        assert len(screen.record().events) == size + 4
        count.documents = count.decoded_bytes = count.models = 0
        ops.log(scribe, "from another shell")
        assert screen.changed()
        record = screen.record()
        assert record.events[-1].text == "from another shell"
        assert count.models == 1, f"{count.models} models built for one new event at {size}"
        assert count.decoded_bytes < 16 * 1024


def test_show_does_the_same_work_at_1k_and_10k_events(tmp_path: Path, count: Work) -> None:
    """``show`` prints the state and the last rows from the facts saved with the checkpoint
    and the events written since: the same rows decoded at any size."""
    measured = []
    for size in SIZES:
        data_dir = tmp_path / str(size)
        incident_id = seed(data_dir, size)
        scribe = IncidentStore(data_dir, fsync=False).open(incident_id, read_all=False)
        for n in range(5):  # after the checkpoint: read from the journal's tail
            ops.log(scribe, f"since {n}")
        count.documents = count.decoded_bytes = count.models = 0
        run(data_dir, "show")
        measured.append(count.models)
        assert count.decoded_bytes < 64 * 1024, f"show decoded {count.decoded_bytes} B"
    assert measured[0] == measured[1], f"show built {measured} event models"


@pytest.mark.parametrize("count_wanted", [1, 200, 5_000])
def test_the_first_look_reads_only_the_newest_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, count_wanted: int
) -> None:
    """The app's preview: the newest rows of a 10,000-event incident, read from the end of
    the checkpoint without reading (or checking) the rest; equal to the whole read's."""
    from incident_tui.core.store import checkpoint as ckpt

    incident_id = seed(tmp_path, 10_000)
    for n in range(3):  # and a few written after the checkpoint
        ops.log(IncidentStore(tmp_path, fsync=False).open(incident_id, False), f"late {n}")
    read: list[int] = []
    pread = ckpt.os.pread

    def counting_pread(fd: int, size: int, offset: int) -> bytes:
        read.append(size)
        return pread(fd, size, offset)

    handle = IncidentStore(tmp_path, fsync=False).open(incident_id, read_all=False)
    monkeypatch.setattr(ckpt.os, "pread", counting_pread)
    recent = handle.recent_events(count_wanted)
    monkeypatch.undo()
    whole = IncidentStore(tmp_path, fsync=False).open(incident_id).record().events
    assert recent == list(whole[-count_wanted:])
    table = handle._db.journal._ckpt.layout["events"][1]  # type: ignore[union-attr]
    assert sum(read) < table / 2 if count_wanted <= 200 else sum(read) <= table
