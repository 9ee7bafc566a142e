"""Replaying a journal file into tables: from its checkpoint if one fits, else from the start.

:class:`JournalReplay` reads; :class:`~incident_tui.core.store.journal.JournalStorage` adds
the locked, durable writes and the housekeeping (checkpoints, compaction).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from incident_tui.core.errors import StoreError
from incident_tui.core.store import checkpoint as ckpt
from incident_tui.core.store.journal_format import (
    FORMAT_KEY,
    FORMAT_VERSION,
    Data,
    Op,
    file_identity,
    os_reason,
    where,
)
from incident_tui.core.store.journal_state import (
    JournalState,
    LazyDocuments,
    LazyTable,
    paused_gc,
)


class JournalReplay:
    """The replayed state of one journal file, caught up with its writers on every read."""

    _depth = 0
    """Open transactions (writers, see the subclass): no catching up in the middle of one."""

    def _setup(self, path: Path, fsync: bool, checkpoints: bool) -> None:
        self.path = path
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self._fsync = fsync
        self._checkpoints = checkpoints
        self._state = JournalState()
        self._offset = 0
        """Bytes of the journal already applied to the state (always at a line boundary)."""
        self._upto: int | None = None
        """Replay no further than this (a scratch replay of the part a checkpoint covers)."""
        self._inode: int | None = None
        self._token: str | None = None
        """The header's file token of the file the state came from."""
        self._seen: tuple[int, int, int] | None = None
        """(inode, size, mtime) when we last read: unchanged means nothing to do."""
        self._lines = 0
        """Transaction lines replayed since the last snapshot: a hint for compaction."""
        self._ckpt: ckpt.Checkpoint | None = None
        """The checkpoint the state's unread tables are in."""
        self._ckpt_at = (0, 0)
        """(offset, lines) of the newest checkpoint of this file we know of."""
        self.decoded_lines = 0
        """Journal lines decoded by this object: a measure of work, for tests."""
        self._depth = 0
        self._lock_fd: int | None = None
        self._pending: list[Op] = []
        self._thread_lock = threading.RLock()

    def _reset(self) -> None:
        previous = self._state
        self._state = JournalState()
        self._state.generation = previous.generation + 1
        self._state.epoch = previous.epoch + 1
        self._state.rewrites = previous.rewrites
        self._offset = 0
        self._inode = None
        self._token = None
        self._seen = None
        self._lines = 0
        self._ckpt = None
        self._ckpt_at = (0, 0)

    def _catch_up(self) -> None:
        """Apply whatever was appended since we last looked; reload if the file was replaced."""
        try:
            stat = os.stat(self.path)
        except FileNotFoundError:
            raise StoreError(f"{self.path}: the file has disappeared") from None
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot read ({os_reason(exc)})") from None
        if self._inode is not None and file_identity(stat) == self._seen:
            return
        try:
            with open(self.path, "rb") as handle:
                opened = os.fstat(handle.fileno())
                if self._inode is not None and not self._same_file(handle, opened):
                    self._reset()  # compacted (replaced) by someone, or shortened
                if self._offset == 0 and self._checkpoints:
                    self._resume(handle, opened)
                handle.seek(self._offset)
                limit = -1 if self._upto is None else self._upto - self._offset
                chunk = handle.read(limit)
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot read ({os_reason(exc)})") from None
        with paused_gc():
            self._apply_chunk(chunk, opened.st_ino)
        self._seen = file_identity(opened)

    def _same_file(self, handle: BinaryIO, opened: os.stat_result) -> bool:
        """Is the open file the one the state was read from, only grown since?"""
        if opened.st_ino != self._inode or opened.st_size < self._offset:
            return False
        first = handle.read(4096).split(b"\n", 1)[0]
        try:
            header = orjson.loads(first)
        except orjson.JSONDecodeError:
            return False
        return isinstance(header, dict) and header.get("file") == self._token

    def _resume(self, handle: BinaryIO, opened: os.stat_result) -> None:
        """Start from the checkpoint if there is one that fits this file."""
        first = handle.readline(1 << 16)
        try:
            header = orjson.loads(first)
        except orjson.JSONDecodeError:
            return  # reported properly by the replay
        if not isinstance(header, dict) or header.get(FORMAT_KEY) != FORMAT_VERSION:
            return
        token = header.get("file")
        found = ckpt.read_checkpoint(self.path, token) if isinstance(token, str) else None
        if found is None or not len(first) <= found.offset <= opened.st_size:
            return
        handle.seek(found.offset - len(found.before))
        if not found.before or handle.read(len(found.before)) != found.before:
            return  # not the bytes it was written after: replay instead
        state = self._state
        state.data, state.lazy = found.tables, found.lazy
        state.max_ids, state.rewrites = found.max_ids, found.rewrites
        self._token = token
        self._offset, self._lines, self._inode = found.offset, found.lines, opened.st_ino
        self._ckpt, self._ckpt_at = found, (found.offset, found.lines)
        state.checkpointed()

    def _apply_chunk(self, chunk: bytes, inode: int) -> None:
        start = self._offset
        position = 0
        expect_header = start == 0
        while position < len(chunk):
            end = chunk.find(b"\n", position)
            if end == -1:
                break  # an unfinished line: a writer mid-append, or a torn tail
            line = chunk[position:end]
            self.decoded_lines += 1
            try:
                parsed = orjson.loads(line)
            except orjson.JSONDecodeError:
                last = not chunk[end + 1 :].strip(b"\x00\n")
                if last and b"\x00" in line:
                    break  # a torn last line that a power cut padded with NULs
                raise StoreError(
                    f"{self.path}: {where(self.path, start + position)} (not JSON); "
                    "the file was left untouched"
                ) from None
            if expect_header:
                self._check_header(parsed)
                expect_header = False
            else:
                self._apply_line(parsed, start + position)
                self._lines += 1
            position = end + 1
        if expect_header and chunk.strip(b"\x00\n"):
            raise StoreError(f"{self.path}: not an incident-tui data file (no header line)")
        self._offset = start + position
        self._inode = inode

    def _check_header(self, parsed: Any) -> None:
        if not isinstance(parsed, dict) or FORMAT_KEY not in parsed:
            raise StoreError(f"{self.path}: not an incident-tui data file (bad header)")
        token = parsed.get("file")
        self._token = token if isinstance(token, str) else None
        version = parsed[FORMAT_KEY]
        if version != FORMAT_VERSION:
            raise StoreError(
                f"{self.path}: written in an unknown format version ({version!r}); "
                "a newer incident-tui may read it"
            )

    def _apply_line(self, parsed: Any, at: int) -> None:
        if not isinstance(parsed, dict) or not isinstance(parsed.get("ops"), list):
            raise StoreError(f"{self.path}: {where(self.path, at)} (wrong shape)")
        try:
            for op in parsed["ops"]:
                self._state.apply(op)
        except (IndexError, KeyError, TypeError, ValueError, AttributeError):
            raise StoreError(f"{self.path}: {where(self.path, at)} (bad operation)") from None

    def _load_lazy(self, name: str, entry: LazyTable) -> dict[str, Any]:
        """Read a table left in the checkpoint; if that fails, replay the part it covers."""
        found = self._ckpt
        if found is None:
            raise StoreError(f"{self.path}: lost track of its checkpoint")
        documents = ckpt.load_table(found.path, found.inode, entry)
        if documents is not None:
            return documents
        scratch = self._scratch_replay(found.offset)
        if scratch._token != self._token or scratch._offset != found.offset:
            raise StoreError(f"{self.path}: changed while being read; try again")
        return scratch._state.data.get(name, {})

    # -- reading -----------------------------------------------------------------------

    def read(self) -> Data:
        """Every table (shared, do not mutate), caught up with other writers."""
        with self._thread_lock:
            self._refresh()
            return self._state.everything(self._load_lazy)

    def read_table(self, name: str) -> dict[str, Any]:
        """One table (shared, do not mutate), caught up; the others stay unread."""
        with self._thread_lock:
            self._refresh()
            return self._state.table(name, self._load_lazy) or {}

    def read_tables(self, names: Iterable[str]) -> dict[str, dict[str, Any]]:
        """Some tables (shared, do not mutate), caught up once, so all are of one moment;
        the others stay unread."""
        with self._thread_lock:
            self._refresh()
            return {name: self._state.table(name, self._load_lazy) or {} for name in names}

    def documents(self, name: str) -> Mapping[str, Any]:
        """One table as a mapping that reads a checkpointed table only when it must (for a
        write inside a transaction: inserting a document does not read the others)."""
        with self._thread_lock:
            self._refresh()
            return LazyDocuments(self._state, name, self._load_lazy)

    def table_names(self) -> list[str]:
        """Every table's name, caught up, without reading any table."""
        with self._thread_lock:
            self._refresh()
            return self._state.names()

    def _refresh(self) -> None:
        if not self._depth:
            self._catch_up()
            self._maybe_checkpoint()

    def stream_table(
        self, name: str, decode: ckpt.Decode = ckpt.pairs
    ) -> Iterator[tuple[str, Any]]:
        """One table's documents (doc id, document), decoded a chunk at a time and not kept.

        For a reader that builds its own models from them: a table still in the checkpoint
        is not read into memory at all (100,000 raw events would double the app's memory),
        and its lines are decoded by ``decode`` (a reader's typed decoder skips the plain
        dicts); documents not in the checkpoint come as dicts. Call after a read, holding
        :attr:`thread_lock`. Raises :class:`checkpoint.Damaged` if the checkpoint's bytes
        are damaged part-way (or ``decode`` refuses them): use :meth:`read_table` then.
        """
        state, found = self._state, self._ckpt
        entry = state.lazy.get(name)
        fresh = entry.appended() if entry is not None else None
        blob = None
        if entry is not None and fresh is not None and found is not None:
            blob = ckpt.read_blob(found.path, found.inode, entry)
        if blob is None or fresh is None:
            yield from (state.table(name, self._load_lazy) or {}).items()
            return
        yield from ckpt.documents(blob, decode)
        yield from fresh.items()

    def recent_documents(self, name: str, count: int) -> list[tuple[str, dict[str, Any]]]:
        """The last ``count`` documents added to ``name`` (doc id, document), oldest first,
        reading and decoding only those: a first look at a table still in the checkpoint
        (its CRC is not checked: the full read that follows does). Empty when
        there is nothing to gain (the table is already read, so all of it is as cheap) or
        it cannot be done cheaply (documents removed or rewritten since the checkpoint)."""
        with self._thread_lock:
            self._refresh()
            state, found = self._state, self._ckpt
            entry = state.lazy.get(name)
            if entry is None:
                return []
            fresh = entry.appended()
            if fresh is None or found is None:
                return []
            recent = list(fresh.items())[-count:]
            wanted = count - len(recent)
            if wanted <= 0:
                return recent
            # Only the table's last lines are read (not the 25 MB of 100,000 events): a
            # window of the end, doubled until it holds enough whole lines.
            size = 64 * 1024
            while True:
                blob = ckpt.read_tail(found.path, found.inode, entry, size)
                if blob is None:
                    return recent
                whole = len(blob) == entry.length
                start, lines = len(blob), 0
                while lines < wanted and start > 0:
                    before = blob.rfind(b"\n", 0, start - 1)
                    if before == -1 and not whole:
                        break  # the line starts before the window
                    start, lines = before + 1, lines + 1
                if lines == wanted or whole:
                    break
                size *= 4
            try:
                return [*ckpt.documents(blob[start:]), *recent]
            except ckpt.Damaged:
                return recent

    def digest(self, name: str) -> tuple[bytes, int] | None:
        """The summary of ``name`` kept with the checkpoint the state is from, and the last
        doc id in it: the documents above that id (:meth:`appended_since`) are all that was
        added since. None when there is none, or ``name`` changed otherwise than by added
        documents since, or is already read (then it is as cheap to use the table). Not
        caught up (read first, holding :attr:`thread_lock`), so it fits what was read."""
        with self._thread_lock:
            found, entry = self._ckpt, self._state.lazy.get(name)
            if found is None or entry is None or entry.appended() is None:
                return None
            summary = ckpt.read_digest(found, name)
            if summary is None or summary[1] != entry.max_key:
                return None
            return summary

    def release(self, name: str) -> bool:
        """Let go of a large table's documents (a reader has built what it needs from them);
        they are read again from the checkpoint if asked for. False if they must stay."""
        with self._thread_lock:
            found = self._ckpt
            place = found.layout.get(name) if found is not None else None
            if place is None or place[1] <= ckpt.EAGER_BYTES:
                return False
            return self._state.release(name, LazyTable(*place))

    def appended_since(self, name: str, after: int) -> list[tuple[int, Any]]:
        """The documents of ``name`` with an id above ``after`` (doc id, document), in the
        order they were added, without reading the table or catching up (read first). Only
        meaningful while :meth:`table_epoch` is unchanged (the table only gained documents)."""
        with self._thread_lock:
            return self._state.appended_since(name, after, self._load_lazy)

    @property
    def thread_lock(self) -> threading.RLock:
        """Held by every transaction; hold it to read the state while another thread writes."""
        return self._thread_lock

    @property
    def version(self) -> tuple[int | None, int, int]:
        """Changes whenever the state in memory changes: (inode, bytes applied, generation)."""
        return (self._inode, self._offset, self._state.generation)

    def table_epoch(self, table: str) -> tuple[int, int]:
        """Unchanged as long as ``table`` only gained new documents (appended in order)."""
        return (self._state.epoch, self._state.rewrites.get(table, 0))

    def changed_on_disk(self) -> bool:
        """Cheap check (one ``stat``): has anyone written since we last read?"""
        try:
            stat = os.stat(self.path)
        except OSError:
            return True
        return file_identity(stat) != self._seen

    @property
    def journal_lines(self) -> int:
        """Transaction lines replayed since the file was last compacted."""
        return self._lines

    @property
    def tables_read(self) -> int:
        """How many checkpointed tables were read so far: a measure of work, for tests."""
        return self._state.loaded_tables

    def _maybe_checkpoint(self) -> None:
        """Save a checkpoint when enough was replayed since the last (the writer does)."""

    def _scratch_replay(self, upto: int) -> JournalReplay:
        scratch = JournalReplay.__new__(JournalReplay)
        scratch._setup(self.path, fsync=False, checkpoints=False)
        scratch._upto = upto
        scratch._catch_up()
        return scratch
