"""Checkpoints: opening resumes from one and reads the same state a full replay would.

The thresholds are lowered so that a few dozen writes make checkpoints; a checkpoint that is
stale, damaged or half-written is ignored, and a process killed while writing one loses
nothing.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from tinydb import Query

from incident_tui.core import operations as ops
from incident_tui.core.store import checkpoint as ckpt
from incident_tui.core.store.storage import JournalDB, open_db


@pytest.fixture(autouse=True)
def small_thresholds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ckpt, "EVERY_LINES", 10)
    monkeypatch.setattr(ckpt, "EAGER_BYTES", 200)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "one.db"


def replayed(path: Path) -> dict[str, list[dict[str, object]]]:
    """Every table as a replay from the start (no checkpoint) reads it."""
    db = open_db(path, create=False, checkpoints=False)
    return {name: db.table(name).all() for name in sorted(db.tables())}


def seen(db: JournalDB) -> dict[str, list[dict[str, object]]]:
    return {name: db.table(name).all() for name in sorted(db.tables())}


def write_history(db: JournalDB, rng: random.Random, steps: int) -> None:
    """Inserts into a big table and a small one, with updates, removals and a clear."""
    big, small = db.table("events"), db.table("header")
    for n in range(steps):
        roll = rng.random()
        if roll < 0.7:
            big.insert({"n": n, "text": f"event {n} " + "x" * rng.randrange(40)})
        elif roll < 0.8:
            small.upsert({"title": f"title {n}"}, Query().title.exists())
        elif roll < 0.9 and big.all():
            big.update({"edited": n}, doc_ids=[rng.choice(big.all()).doc_id])
        elif roll < 0.97 and big.all():
            big.remove(doc_ids=[rng.choice(big.all()).doc_id])
        else:
            small.truncate()


def test_a_checkpoint_is_written_and_opening_resumes_from_it(path: Path) -> None:
    db = open_db(path)
    for n in range(25):
        db.table("events").insert({"n": n, "pad": "y" * 30})
    assert ckpt.checkpoint_path(path).exists()

    again = open_db(path, create=False)
    # Only the lines after the checkpoint were decoded, and the big table was not read.
    assert again.journal.decoded_lines < ckpt.EVERY_LINES
    assert again.journal.tables_read == 0
    assert seen(again) == replayed(path)
    assert again.journal.tables_read == 1


@pytest.mark.parametrize("seed", range(6))
def test_any_history_reads_the_same_with_and_without_checkpoints(path: Path, seed: int) -> None:
    rng = random.Random(seed)
    db = open_db(path)
    other = open_db(path, create=False)  # a second writer that resumes and writes too
    for _ in range(4):
        write_history(db, rng, 30)
        write_history(other, rng, 20)
        fresh = open_db(path, create=False)
        assert seen(fresh) == replayed(path) == seen(db) == seen(other)


def test_writing_into_an_unread_table_does_not_read_it(path: Path) -> None:
    db = open_db(path)
    for n in range(40):
        db.table("events").insert({"n": n, "pad": "z" * 30})
    db.table("events").remove(doc_ids=[3])
    db.table("header").insert({"title": "t"})
    resumed = open_db(path, create=False)
    for n in range(40, 45):
        resumed.table("events").insert({"n": n})
    resumed.table("header").update({"title": "u"})
    assert resumed.journal.tables_read == 0
    numbers = [doc["n"] for doc in resumed.table("events").all()]
    assert numbers == [n for n in range(45) if n != 2]  # doc id 3 held n == 2
    assert resumed.journal.tables_read == 1


def test_doc_ids_are_not_reused_after_resuming(path: Path) -> None:
    db = open_db(path)
    ids = [db.table("events").insert({"n": n, "pad": "p" * 30}) for n in range(30)]
    db.table("events").remove(doc_ids=ids[-5:])
    resumed = open_db(path, create=False)
    assert resumed.table("events").insert({"n": 99}) == ids[-1] + 1


def test_a_stale_checkpoint_is_ignored_after_another_process_compacts(path: Path) -> None:
    db = open_db(path)
    for n in range(30):
        db.table("events").insert({"n": n, "pad": "q" * 30})
    old_checkpoint = ckpt.checkpoint_path(path).read_bytes()
    db.journal.compact()
    ckpt.checkpoint_path(path).write_bytes(old_checkpoint)  # as if the new one never came
    db.table("events").insert({"n": 30})
    again = open_db(path, create=False)
    assert [d["n"] for d in again.table("events").all()] == list(range(31))


@pytest.mark.parametrize(
    "damage",
    ["garbage", "empty", "torn table", "wrong offset", "journal cut and regrown"],
)
def test_a_damaged_checkpoint_is_ignored_and_the_journal_replayed(path: Path, damage: str) -> None:
    # (The journal is append-only; a hand edit in its middle is not detected, as
    # before a checkpoint only the bytes just before its offset are compared.)
    db = open_db(path)
    for n in range(30):
        db.table("events").insert({"n": n, "pad": "r" * 30})
    db.table("header").insert({"title": "kept"})
    expected = replayed(path)
    cp = ckpt.checkpoint_path(path)
    body = cp.read_bytes()
    if damage == "garbage":
        cp.write_bytes(b"\x00 not a checkpoint")
    elif damage == "empty":
        cp.write_bytes(b"")
    elif damage == "torn table":
        cp.write_bytes(body[: len(body) - 40])
    elif damage == "wrong offset":
        cp.write_bytes(body.replace(b'"offset":', b'"offset":1', 1))
    else:  # the same file (token) cut back past the checkpoint and written again
        text = path.read_bytes()
        kept = text[: text.index(b"\n", len(text) // 2) + 1]
        path.write_bytes(kept)
        other = open_db(path, create=False, checkpoints=False)
        while path.stat().st_size < len(text) + 100:
            other.table("events").insert({"n": -1, "pad": "different"})
        expected = replayed(path)
    assert seen(open_db(path, create=False)) == expected


def test_a_checkpoint_replaced_while_a_table_is_unread_falls_back_to_the_journal(
    path: Path,
) -> None:
    db = open_db(path)
    for n in range(30):
        db.table("events").insert({"n": n, "pad": "s" * 30})
    resumed = open_db(path, create=False)
    ckpt.checkpoint_path(path).unlink()  # the unread table's bytes are gone
    assert seen(resumed) == replayed(path)


def test_a_new_checkpoint_adds_new_documents_without_decoding_the_old(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = open_db(path)
    for n in range(30):
        db.table("events").insert({"n": n, "pad": "t" * 30})
    writer = open_db(path, create=False)
    for n in range(30, 45):  # crosses the threshold: a new checkpoint is written
        writer.table("events").insert({"n": n})
    assert writer.journal.tables_read == 0
    fresh = open_db(path, create=False)
    assert fresh.journal.decoded_lines < ckpt.EVERY_LINES
    assert [d["n"] for d in fresh.table("events").all()] == list(range(45))


def test_checkpoints_are_private_files(path: Path) -> None:
    db = open_db(path)
    for n in range(15):
        db.table("t").insert({"n": n})
    assert oct(ckpt.checkpoint_path(path).stat().st_mode & 0o777) == oct(0o600)


# A writer whose checkpoints pause half-way, so a SIGKILL lands inside one.
KILLED_WRITER = """
import os, sys, time
from pathlib import Path
from incident_tui.core.store import checkpoint as ckpt
from incident_tui.core.store.storage import open_db

ckpt.EVERY_LINES = 10
ckpt.EAGER_BYTES = 200
where = sys.argv[2]
real_replace, real_fsync = os.replace, os.fsync

def pause():
    print("in-checkpoint", flush=True)
    time.sleep(30)

if where == "before-rename":
    def replace(src, dst):
        if str(dst).endswith(".ckpt"):
            pause()
        real_replace(src, dst)
    ckpt.os.replace = replace
else:
    def fsync(fd):
        if os.readlink(f"/proc/self/fd/{fd}").endswith(".tmp"):
            pause()
        real_fsync(fd)
    ckpt.os.fsync = fsync

db = open_db(Path(sys.argv[1]))
for n in range(1000):
    doc_id = db.table("events").insert({"n": n, "pad": "k" * 30})
    print(doc_id, flush=True)
"""


@pytest.mark.parametrize("where", ["before-fsync", "before-rename"])
def test_a_writer_killed_inside_a_checkpoint_loses_nothing(path: Path, where: str) -> None:
    for round_no in range(3):
        proc = subprocess.Popen(
            [sys.executable, "-c", KILLED_WRITER, str(path), where],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout is not None
        acknowledged = []
        for line in proc.stdout:
            if line.strip() == "in-checkpoint":
                break
            acknowledged.append(int(line))
        else:
            pytest.fail(f"no checkpoint was started: {proc.stderr.read() if proc.stderr else ''}")
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        assert acknowledged, f"round {round_no}: the writer wrote nothing"
        # A temporary file may be left behind; opening ignores it and reads everything.
        db = open_db(path, create=False)
        ids = [doc.doc_id for doc in db.table("events").all()]
        assert set(acknowledged) <= set(ids)
        assert seen(db) == replayed(path)
    # The next checkpoint clears what the killed writers left, and writing goes on.
    db = open_db(path, create=False)
    for n in range(12):
        db.table("events").insert({"n": n})
    assert not list(path.parent.glob(".*.tmp"))
    assert seen(open_db(path, create=False)) == replayed(path)


def test_the_replay_property_holds_with_a_checkpoint_every_few_lines(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The store's own property test (two writers, compactions, every operation), with
    # checkpoints written every 3 lines and every table over 200 bytes left unread until
    # asked for: readers resume, release and re-read the events table all the way through.
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from tests.unit.test_store_replay import (
        steps_of,
        test_any_sequence_replays_to_the_same_record,
    )

    monkeypatch.setattr(ckpt, "EVERY_LINES", 3)
    inner = test_any_sequence_replays_to_the_same_record.hypothesis.inner_test  # type: ignore[attr-defined]
    examples = int(os.environ.get("STORE_REPLAY_EXAMPLES", "20"))
    again = settings(
        max_examples=examples, deadline=None, suppress_health_check=[HealthCheck.too_slow]
    )(given(st.lists(st.tuples(st.booleans(), steps_of), max_size=25))(inner))
    again()


def test_a_reader_lets_go_of_the_raw_events_and_still_sees_new_ones(tmp_path: Path) -> None:
    from incident_tui.core.store import IncidentStore

    store = IncidentStore(tmp_path, fsync=False)
    handle = ops.declare(store, "Memory")
    for n in range(40):
        ops.log(handle, f"event {n} " + "w" * 40)
    reader = IncidentStore(tmp_path, fsync=False).open(handle.id)
    writer = IncidentStore(tmp_path, fsync=False).open(handle.id, read_all=False)
    first = reader.record()
    assert reader._db.journal.release("events") is False  # already let go by record()
    ops.log(writer, "after the reader let go")
    second = reader.record()
    assert second.events[: len(first.events)] == first.events
    assert [e.text for e in second.events[len(first.events) :]] == ["after the reader let go"]
    # The TinyDB view of the same handle still reads every event (again, from the checkpoint).
    assert len(reader._db.table("events").all()) == len(second.events)
    assert IncidentStore(tmp_path, fsync=False).open(handle.id).record() == second


def test_a_reader_falls_back_to_the_journal_when_the_checkpoint_is_damaged_in_place(
    tmp_path: Path,
) -> None:
    from incident_tui.core.store import IncidentStore

    store = IncidentStore(tmp_path, fsync=False)
    handle = ops.declare(store, "Damage")
    for n in range(30):
        ops.log(handle, f"event {n} " + "v" * 40)
    expected = handle.record()
    cp = ckpt.checkpoint_path(store.path_for(handle.id))
    body = bytearray(cp.read_bytes())
    at = body.index(b"event 20 ")
    body[at : at + 9] = b'"}]\n[{"x'  # same size, same file: a line that is not a document
    with open(cp, "r+b") as out:
        out.write(bytes(body))
    assert IncidentStore(tmp_path, fsync=False).open(handle.id).record() == expected
