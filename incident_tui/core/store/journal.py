"""A durable, append-only journal file that several processes can share.

TinyDB's stock ``JSONStorage`` rewrites the whole file on every insert, loses the file to a
crash mid-write, and corrupts it when two processes write at once. Here each change is one
line appended with ``O_APPEND`` and ``fsync``; opening replays the lines; a torn last line (a
writer killed mid-``write``) is ignored by readers and cut off by the next writer; an
exclusive ``flock`` on a sidecar lock file is held across every read-modify-write, and the
writer first replays whatever other processes appended.

The file format is described in :mod:`incident_tui.core.store.journal_format`.

A file that cannot be read raises a one-line :class:`StoreError` naming it, and nothing in
this module ever writes to such a file.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO, cast

import orjson

from incident_tui.core import files
from incident_tui.core.errors import StoreError
from incident_tui.core.store.journal_format import (
    FILE_MODE,
    FORMAT_KEY,
    FORMAT_VERSION,
    Data,
    Op,
    file_identity,
    fsync_dir,
    last_document,
    new_header,
    os_reason,
    where,
)

__all__ = [
    "FILE_MODE",
    "FORMAT_KEY",
    "FORMAT_VERSION",
    "Data",
    "JournalStorage",
    "Op",
    "fsync_dir",
    "last_document",
    "new_header",
]


class JournalStorage:
    """The replayed state of one journal file, plus locked, durable appends to it.

    One object per thread: the object serialises its own transactions with a re-entrant
    thread lock, and separate objects (in this or another process) serialise through
    ``flock``.
    """

    def __init__(self, path: str | os.PathLike[str], create: bool = True, fsync: bool = True):
        self.path = Path(path)
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self._fsync = fsync
        self._data: Data = {}
        self._max_ids: dict[str, int] = {}
        """Highest doc id each table has ever held in the replayed history (never reused)."""
        self._offset = 0
        """Bytes of the journal already applied to ``_data`` (always at a line boundary)."""
        self._inode: int | None = None
        self._token: str | None = None
        """The header's file token of the file ``_data`` came from."""
        self._seen: tuple[int, int, int] | None = None
        """(inode, size, mtime) when we last read: unchanged means nothing to do."""
        self._lines = 0
        """Transaction lines applied since the last snapshot: a hint for compaction."""
        self._generation = 0
        """Bumped by every in-memory change, even one a failed transaction later drops."""
        self._epoch = 0
        """Bumped when the whole state is reloaded or replaced."""
        self._rewrites: dict[str, int] = {}
        """Per table, how many changes were not a put of a new document."""
        self._depth = 0
        self._lock_fd: int | None = None
        self._pending: list[Op] = []
        self._thread_lock = threading.RLock()
        if not self.path.exists():
            if not create:
                raise StoreError(f"{self.path}: no such file")
            self._create()
        self._catch_up()

    # -- files -------------------------------------------------------------------------

    def _create(self) -> None:
        try:
            files.make_private_dir(self.path.parent)
            with self._locked():
                try:
                    fd = files.create_new(self.path)
                except FileExistsError:
                    return  # another process made it first; fine
                try:
                    os.write(fd, new_header())
                    if self._fsync:
                        os.fsync(fd)
                finally:
                    os.close(fd)
                if self._fsync:
                    fsync_dir(self.path.parent)
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot create ({os_reason(exc)})") from None

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """Hold the exclusive inter-process lock (re-entrant within this object)."""
        if self._lock_fd is not None:
            yield
            return
        try:
            fd = files.open_lock(self.lock_path)  # never through a planted symlink
        except OSError as exc:
            raise StoreError(f"{self.lock_path}: cannot lock ({os_reason(exc)})") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            self._lock_fd = fd
            yield
        finally:
            self._lock_fd = None
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def _reset(self) -> None:
        self._generation += 1
        self._epoch += 1
        self._data = {}
        self._max_ids = {}
        self._offset = 0
        self._inode = None
        self._token = None
        self._seen = None
        self._lines = 0

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
                handle.seek(self._offset)
                chunk = handle.read()
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot read ({os_reason(exc)})") from None
        self._apply_chunk(chunk, opened.st_ino)
        self._seen = file_identity(opened)

    def _same_file(self, handle: BinaryIO, opened: os.stat_result) -> bool:
        """Is the open file the one ``_data`` was read from, only grown since?"""
        if opened.st_ino != self._inode or opened.st_size < self._offset:
            return False
        first = handle.read(4096).split(b"\n", 1)[0]
        try:
            header = orjson.loads(first)
        except orjson.JSONDecodeError:
            return False
        return isinstance(header, dict) and header.get("file") == self._token

    def _apply_chunk(self, chunk: bytes, inode: int) -> None:
        start = self._offset
        position = 0
        expect_header = start == 0
        while position < len(chunk):
            end = chunk.find(b"\n", position)
            if end == -1:
                break  # an unfinished line: a writer mid-append, or a torn tail
            line = chunk[position:end]
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
                self._apply_op(op)
        except (IndexError, KeyError, TypeError, ValueError, AttributeError):
            raise StoreError(f"{self.path}: {where(self.path, at)} (bad operation)") from None

    def _apply_op(self, op: Op) -> None:
        self._generation += 1
        kind = op[0]
        data = self._data
        if kind == "put":
            table, key, doc = str(op[1]), str(op[2]), op[3]
            if not isinstance(doc, dict):
                raise TypeError("document must be an object")
            number = int(key)
            documents = data.setdefault(table, {})
            if key in documents:
                self._rewrites[table] = self._rewrites.get(table, 0) + 1
            documents[key] = doc
            if number > self._max_ids.get(table, 0):
                self._max_ids[table] = number
        elif kind in ("del", "clear", "drop"):
            table = str(op[1])
            self._rewrites[table] = self._rewrites.get(table, 0) + 1
            if kind == "del":
                data.get(table, {}).pop(str(op[2]), None)
            elif kind == "clear":
                data[table] = {}
            else:
                data.pop(table, None)
        elif kind == "replace":
            snapshot = op[1]
            if not isinstance(snapshot, dict) or not all(
                isinstance(t, dict) and all(isinstance(d, dict) for d in t.values())
                for t in snapshot.values()
            ):
                raise TypeError("replacement must map tables to documents")
            self._epoch += 1
            data.clear()
            data.update(cast(Data, snapshot))
            self._max_ids = {
                name: max((int(k) for k in table), default=0) for name, table in data.items()
            }
        else:
            raise ValueError(f"unknown op {kind!r}")

    # -- transactions --------------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Lock, catch up with other writers, gather ops, then append them as one durable line.

        Re-entrant: nested transactions join the outermost one. If the body raises, nothing
        is written, and any change already applied in memory is dropped by reloading.
        """
        with self._thread_lock:
            if self._depth:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            with self._locked():
                self._catch_up()
                self._depth = 1
                self._pending = []
                try:
                    yield
                    if self._pending:
                        self._append(self._pending)
                except BaseException:
                    if self._pending:
                        self._reset()
                        with contextlib.suppress(StoreError):
                            self._catch_up()
                    raise
                finally:
                    self._depth = 0
                    self._pending = []

    def _append(self, ops: list[Op]) -> None:
        line = orjson.dumps({"ops": ops}) + b"\n"
        if self._offset == 0:
            line = new_header() + line  # the creator died before writing the header
        try:
            if os.stat(self.path).st_size > self._offset:
                # A writer died mid-line (we hold the lock, so nobody is writing now):
                # cut the torn tail off so our line starts cleanly.
                os.truncate(self.path, self._offset)
            fd = files.open_append(self.path)
            try:
                written = os.write(fd, line)
                if written != len(line):
                    raise OSError(28, "short write (disk full?)")
                if self._fsync:
                    os.fsync(fd)
                after = os.fstat(fd)
            finally:
                os.close(fd)
        except OSError as exc:
            with contextlib.suppress(OSError):
                os.truncate(self.path, self._offset)
            raise StoreError(f"{self.path}: write failed ({os_reason(exc)})") from None
        if self._offset == 0:
            self._reset()  # we wrote a fresh header: read it back for its token
            self._catch_up()
            return
        self._offset += len(line)
        self._lines += 1
        if after.st_size == self._offset:  # we hold the lock, so this is our own write
            self._seen = file_identity(after)

    def apply(self, op: Op) -> None:
        """Apply one op in memory and queue it for the current transaction's line."""
        if not self._depth:
            raise RuntimeError("apply() outside a transaction")
        self._apply_op(op)
        self._pending.append(op)

    def next_doc_id(self, table: str) -> int:
        """Reserve a fresh doc id for ``table`` (call inside a transaction)."""
        if not self._depth:
            raise RuntimeError("next_doc_id() outside a transaction")
        number = max(self._max_ids.get(table, 0), 0) + 1
        self._max_ids[table] = number
        return number

    @property
    def in_transaction(self) -> bool:
        """True while a transaction is open on this object."""
        return self._depth > 0

    # -- reading -----------------------------------------------------------------------

    def read(self) -> Data:
        """The current state (shared, do not mutate), caught up with other writers."""
        with self._thread_lock:
            if not self._depth:
                self._catch_up()
            return self._data

    @property
    def thread_lock(self) -> threading.RLock:
        """Held by every transaction; hold it to read ``_data`` while another thread writes."""
        return self._thread_lock

    @property
    def version(self) -> tuple[int | None, int, int]:
        """Changes whenever the state in memory changes: (inode, bytes applied, generation)."""
        return (self._inode, self._offset, self._generation)

    def table_epoch(self, table: str) -> tuple[int, int]:
        """Unchanged as long as ``table`` only gained new documents (appended in order)."""
        return (self._epoch, self._rewrites.get(table, 0))

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

    # -- housekeeping --------------------------------------------------------------------

    def compact(self) -> None:
        """Rewrite the journal as one snapshot line: temp file, fsync, rename, fsync dir."""
        with self._thread_lock, self._locked():
            self._catch_up()
            temp = files.temp_path(self.path)  # unguessable, created O_EXCL|O_NOFOLLOW
            body = new_header() + orjson.dumps({"ops": [["replace", self._data]]}) + b"\n"
            try:
                fd = files.create_new(temp)
                try:
                    if os.write(fd, body) != len(body):
                        raise OSError(28, "short write (disk full?)")
                    os.fsync(fd)
                finally:
                    os.close(fd)
                os.replace(temp, self.path)
                fsync_dir(self.path.parent)
            except OSError as exc:
                with contextlib.suppress(OSError):
                    temp.unlink()
                raise StoreError(f"{self.path}: compaction failed ({os_reason(exc)})") from None
            self._reset()
            self._catch_up()
