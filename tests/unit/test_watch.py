"""Being told when an incident file is written: inotify on Linux, None elsewhere."""

from __future__ import annotations

import queue
import sys
from pathlib import Path

import pytest

from incident_tui.core.store.watch import start_watching

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inotify")


def test_a_write_to_a_db_file_is_reported_and_other_files_are_not(tmp_path: Path) -> None:
    seen: queue.Queue[str] = queue.Queue()
    watcher = start_watching(tmp_path, seen.put)
    assert watcher is not None
    try:
        (tmp_path / "INC-1.db.lock").write_bytes(b"")
        (tmp_path / "INC-1.db.ckpt").write_bytes(b"x")
        (tmp_path / "INC-1.db").write_bytes(b"line\n")
        assert seen.get(timeout=2) == "INC-1.db"
        with (tmp_path / "INC-1.db").open("ab") as out:
            out.write(b"another line\n")
        assert seen.get(timeout=2) == "INC-1.db"
        (tmp_path / ".INC-2.db.tmp").write_bytes(b"compacted")
        (tmp_path / ".INC-2.db.tmp").rename(tmp_path / "INC-2.db")  # a compaction's rename
        names = set()
        while "INC-2.db" not in names:  # after any late report of the writes above
            names.add(seen.get(timeout=2))
        while not seen.empty():
            names.add(seen.get_nowait())
        assert not any(name.endswith((".lock", ".ckpt", ".tmp")) for name in names)
    finally:
        watcher.stop()


def test_a_folder_that_does_not_exist_gives_no_watcher(tmp_path: Path) -> None:
    assert start_watching(tmp_path / "missing", lambda name: None) is None
