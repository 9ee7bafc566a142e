"""The journal storage under TinyDB: replay, torn tails, damage, compaction, modes, the API."""

from __future__ import annotations

import stat
from pathlib import Path

import orjson
import pytest
from tinydb import Query
from tinydb.table import Document

from incident_tui.core.errors import StoreError
from incident_tui.core.store.journal import last_document
from incident_tui.core.store.storage import JournalDB, create_db, open_db


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "one.db"


def reopen(path: Path) -> JournalDB:
    return open_db(path, create=False)


def lines(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines()


def is_header(line: bytes) -> bool:
    parsed = orjson.loads(line)
    return parsed["incident_tui_journal"] == 1 and len(parsed["file"]) == 16


def test_new_file_is_a_header_line_and_private(path: Path) -> None:
    open_db(path)
    assert len(lines(path)) == 1 and is_header(lines(path)[0])
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.with_name("one.db.lock").stat().st_mode) == 0o600


def test_each_insert_is_one_appended_line_replayed_on_open(path: Path) -> None:
    db = open_db(path)
    events = db.table("events")
    for n in range(5):
        events.insert({"n": n})
    assert len(lines(path)) == 6  # header + one line per insert, nothing rewritten
    assert [doc["n"] for doc in reopen(path).table("events").all()] == [0, 1, 2, 3, 4]


def test_insert_multiple_keeps_every_document(path: Path) -> None:
    # Regression: every document used to get the same doc id, so only the last survived.
    db = open_db(path)
    ids = db.table("t").insert_multiple([{"a": 1}, {"a": 2}, {"a": 3}])
    assert len(set(ids)) == 3
    assert sorted(d["a"] for d in reopen(path).table("t").all()) == [1, 2, 3]
    assert len(lines(path)) == 2  # one transaction, one line


def test_tinydb_api_persists_across_reopen(path: Path) -> None:
    db = open_db(path)
    t = db.table("t")
    t.insert_multiple([{"k": "a", "v": 1}, {"k": "b", "v": 2}, {"k": "c", "v": 3}])
    t.update({"v": 20}, Query().k == "b")
    t.remove(Query().k == "a")
    t.upsert({"k": "d", "v": 4}, Query().k == "d")
    t.upsert({"k": "c", "v": 30}, Query().k == "c")
    t.upsert(Document({"k": "e", "v": 5}, doc_id=50))
    db.table("gone").insert({"x": 1})
    db.drop_table("gone")
    db.table("cleared").insert({"x": 1})
    db.table("cleared").truncate()

    again = reopen(path)
    assert {d["k"]: d["v"] for d in again.table("t").all()} == {"b": 20, "c": 30, "d": 4, "e": 5}
    assert again.table("t").get(doc_id=50) == {"k": "e", "v": 5}
    assert "gone" not in again.tables()
    assert again.table("cleared").all() == []

    again.drop_tables()
    assert reopen(path).tables() == set()


def test_doc_ids_are_not_reused_after_a_remove(path: Path) -> None:
    t = open_db(path).table("t")
    first = t.insert({"a": 1})
    t.remove(doc_ids=[first])
    assert t.insert({"a": 2}) != first


def test_a_failing_update_changes_nothing(path: Path) -> None:
    db = open_db(path)
    t = db.table("t")
    t.insert_multiple([{"a": 1}, {"a": 2}])
    before = path.read_bytes()

    def explode(doc: dict[str, int]) -> None:
        doc["a"] = 99
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        t.update(explode)
    assert path.read_bytes() == before
    assert sorted(d["a"] for d in t.all()) == [1, 2]


def test_a_failing_transaction_writes_nothing_and_memory_follows_disk(path: Path) -> None:
    db = open_db(path)
    t = db.table("t")
    t.insert({"a": 1})
    before = path.read_bytes()
    with pytest.raises(ValueError), db.transaction():
        t.insert({"a": 2})
        raise ValueError("changed my mind")
    assert path.read_bytes() == before
    assert [d["a"] for d in t.all()] == [1]


def test_other_handles_see_appends(path: Path) -> None:
    writer = open_db(path)
    reader = reopen(path)
    assert reader.table("t").all() == []
    writer.table("t").insert({"a": 1})
    assert reader.journal.changed_on_disk()
    assert [d["a"] for d in reader.table("t").all()] == [1]
    assert not reader.journal.changed_on_disk()


def test_two_handles_interleaving_writes_lose_nothing(path: Path) -> None:
    one, two = open_db(path).table("t"), reopen(path).table("t")
    for n in range(10):
        (one if n % 2 else two).insert({"n": n})
    assert sorted(d["n"] for d in reopen(path).table("t").all()) == list(range(10))


def test_torn_tail_is_ignored_then_cut_off_by_the_next_writer(path: Path) -> None:
    t = open_db(path).table("t")
    t.insert({"a": 1})
    good = path.read_bytes()
    with path.open("ab") as handle:
        handle.write(b'{"ops": [["put", "t", "2", {"a": 2')  # a writer killed mid-write
    again = reopen(path)
    assert [d["a"] for d in again.table("t").all()] == [1]
    again.table("t").insert({"a": 3})
    assert path.read_bytes().startswith(good)
    assert b'"a": 2' not in path.read_bytes()
    assert sorted(d["a"] for d in reopen(path).table("t").all()) == [1, 3]


def test_nul_padded_tail_after_a_power_cut_is_treated_as_torn(path: Path) -> None:
    t = open_db(path).table("t")
    t.insert({"a": 1})
    with path.open("ab") as handle:
        handle.write(b"\x00" * 300 + b'2"}]]}\n' + b"\x00" * 50)
    again = reopen(path)
    assert [d["a"] for d in again.table("t").all()] == [1]
    again.table("t").insert({"a": 2})
    assert sorted(d["a"] for d in reopen(path).table("t").all()) == [1, 2]
    assert b"\x00" not in path.read_bytes()


def test_creator_killed_before_the_header_is_written(path: Path) -> None:
    path.write_bytes(b"")
    db = reopen(path)
    db.table("t").insert({"a": 1})
    assert is_header(lines(path)[0])
    assert [d["a"] for d in reopen(path).table("t").all()] == [1]


@pytest.mark.parametrize(
    ("damage", "words"),
    [
        (lambda good: good[:30] + b"garbage\n" + good[30:], "damaged at byte"),
        (lambda good: good + b"this is not json\n", "damaged at byte"),
        (lambda good: good + b'{"ops": 7}\n', "wrong shape"),
        (lambda good: good + b'{"ops": [["put", "t", "x", {}]]}\n', "bad operation"),
        (lambda good: good + b'{"ops": [["explode"]]}\n', "bad operation"),
        (lambda good: good + b'{"ops": [["replace", [1]]]}\n', "bad operation"),
        (lambda good: b'{"_default": {"1": {"a": 1}}}\n', "not an incident-tui data file"),
        (lambda good: b'{"incident_tui_journal": 99}\n' + good.split(b"\n", 1)[1], "version"),
        (lambda good: b"\x89PNG\r\n\x1a\n" + good, "damaged at byte 0"),
        (lambda good: good[:10], "no header line"),
    ],
)
def test_unreadable_file_is_one_line_error_naming_it_and_never_written(
    path: Path, damage: object, words: str
) -> None:
    db = open_db(path)
    db.table("t").insert({"a": 1})
    db.table("t").insert({"a": 2})
    broken = damage(path.read_bytes())  # type: ignore[operator]
    path.write_bytes(broken)

    with pytest.raises(StoreError) as caught:
        reopen(path).table("t").all()
    message = str(caught.value)
    assert str(path) in message and words in message and "\n" not in message

    # A handle opened before the damage must not write over it either.
    with pytest.raises(StoreError):
        db.table("t").insert({"a": 3})
    assert path.read_bytes() == broken


def test_missing_file_without_create_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no such file"):
        open_db(tmp_path / "nope.db", create=False)


def test_deleted_file_is_an_error_not_an_empty_database(path: Path) -> None:
    db = open_db(path)
    db.table("t").insert({"a": 1})
    path.unlink()
    with pytest.raises(StoreError, match="disappeared"):
        db.table("t").insert({"a": 2})
    assert not path.exists()


def test_compaction_keeps_data_and_other_handles_follow(path: Path) -> None:
    db = open_db(path)
    other = reopen(path)
    t = db.table("t")
    for n in range(20):
        t.insert({"n": n})
    t.remove(Query().n < 5)
    assert len(other.table("t").all()) == 15
    size_before = path.stat().st_size

    db.journal.compact()
    assert len(lines(path)) == 2
    assert path.stat().st_size < size_before
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]

    other.table("t").insert({"n": 100})  # the other handle picks up the new file first
    db.table("t").insert({"n": 101})
    expected = [*range(5, 20), 100, 101]
    for handle in (db, other, reopen(path)):
        assert sorted(d["n"] for d in handle.table("t").all()) == expected


def test_create_db_is_atomic_and_never_replaces(tmp_path: Path) -> None:
    target = tmp_path / "new.db"
    assert create_db(target, lambda db: db.table("t").insert({"a": 1}))
    assert not create_db(target, lambda db: db.table("t").insert({"a": 2}))
    assert [d["a"] for d in reopen(target).table("t").all()] == [1]
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.db"]


def test_a_replaced_file_is_noticed_even_when_its_inode_number_is_reused(
    path: Path, tmp_path: Path
) -> None:
    # Regression: a reader used to trust "same inode, not shorter" and read a compacted file
    # from its old offset, landing mid-line ("damaged at byte ..."). A file system may hand
    # the old inode number to the compacted file; rewriting in place gives the same view.
    reader = open_db(path)
    reader.table("t").insert_multiple({"n": n} for n in range(5))
    assert len(reader.table("t").all()) == 5
    other = open_db(tmp_path / "other.db")
    other.table("t").insert_multiple({"n": f"other {n}" * 20} for n in range(50))
    inode = path.stat().st_ino
    path.write_bytes((tmp_path / "other.db").read_bytes())  # same inode, longer, new content
    assert path.stat().st_ino == inode
    assert sorted(d["n"] for d in reader.table("t").all()) == sorted(
        f"other {n}" * 20 for n in range(50)
    )


def test_journal_line_holds_only_the_change(path: Path) -> None:
    t = open_db(path).table("t")
    t.insert_multiple({"n": n} for n in range(100))
    t.update({"n": -1}, doc_ids=[7])
    last = orjson.loads(lines(path)[-1])
    assert last == {"ops": [["put", "t", "7", {"n": -1}]]}


def test_a_failed_fsync_is_an_error_and_leaves_no_half_kept_change(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = open_db(path)
    db.table("t").insert({"a": 1})
    before = path.read_bytes()

    def broken_disk(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr("incident_tui.core.store.journal.os.fsync", broken_disk)
    with pytest.raises(StoreError, match="write failed \\(Input/output error\\)") as caught:
        db.table("t").insert({"a": 2})
    assert str(path) in str(caught.value)
    assert path.read_bytes() == before
    assert [d["a"] for d in db.table("t").all()] == [1]
    monkeypatch.undo()
    db.table("t").insert({"a": 3})
    assert [d["a"] for d in reopen(path).table("t").all()] == [1, 3]


def test_last_document_reads_from_the_end_like_a_replay_would(path: Path) -> None:
    db = open_db(path)
    head, other = db.table("head"), db.table("other")
    head.insert({"v": 1})
    other.insert_multiple({"head": n} for n in range(20))  # "head" as a key, not a table
    head.update({"v": 2}, doc_ids=[1])
    other.insert({"x": 1})
    assert last_document(path, "head", "1") == {"v": 2}
    db.journal.compact()
    other.insert({"x": 2})
    assert last_document(path, "head", "1") == {"v": 2}  # from the compacted snapshot
    with path.open("ab") as handle:
        handle.write(b'{"ops": [["put", "head", "1", {"v": 3')  # torn: not the last word
    assert last_document(path, "head", "1") == {"v": 2}
    assert last_document(path, "head", "2") is None
    db.table("head").remove(doc_ids=[1])
    assert last_document(path, "head", "1") is None


def test_last_document_gives_up_on_damage_so_the_caller_replays(path: Path) -> None:
    db = open_db(path)
    db.table("head").insert({"v": 1})
    good = path.read_bytes()
    path.write_bytes(good + b'{"ops": [["put", "head", "1", 7]]}\n')
    assert last_document(path, "head", "1") is None
    path.write_bytes(good + b'not json "head"\n')
    assert last_document(path, "head", "1") is None
    path.write_bytes(b'{"incident_tui_journal": 2}\n' + good.split(b"\n", 1)[1])
    assert last_document(path, "head", "1") is None
    assert last_document(path.with_name("missing.db"), "head", "1") is None
