"""A durable, append-only TinyDB storage that several processes can share.

TinyDB's stock ``JSONStorage`` rewrites the whole file on every insert, loses the file to a
crash mid-write, and corrupts it when two processes write at once. Here each change is one
line appended to a journal with ``O_APPEND`` and ``fsync``; opening replays the lines; a torn
last line (a writer killed mid-``write``) is ignored and cut off by the next writer; an
exclusive ``flock`` on a sidecar lock file is held across every read-modify-write, and the
writer first replays whatever other processes appended.

File format, one JSON document per line::

    {"incident_tui_journal": 1}
    {"ops": [["put", "events", "1", {...}], ["del", "roles", "3"], ...]}

Each line is one transaction: all of its ops apply, or (torn) none do. Op kinds: ``put``
(table, doc id, document), ``del`` (table, doc id), ``clear`` (table), ``drop`` (table),
``replace`` (the whole database, written by compaction and by ``TinyDB.drop_tables``).
"""

from __future__ import annotations

import contextlib
import copy
import fcntl
import os
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from pathlib import Path
from typing import Any, cast

import orjson
from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Document, Table

from incident_tui.core.errors import StoreError

FORMAT_KEY = "incident_tui_journal"
FORMAT_VERSION = 1
HEADER = orjson.dumps({FORMAT_KEY: FORMAT_VERSION}) + b"\n"
FILE_MODE = 0o600

Data = dict[str, dict[str, Any]]
Op = list[Any]


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class JournalStorage(Storage):  # type: ignore[misc]
    """TinyDB storage backed by an append-only, fsync'd, lock-protected journal file."""

    def __init__(self, path: str | os.PathLike[str], create: bool = True, fsync: bool = True) -> None:
        self.path = Path(path)
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self._fsync = fsync
        self._data: Data = {}
        self._offset = 0
        """Bytes of the journal already applied to ``_data`` (always at a line boundary)."""
        self._inode: int | None = None
        self._lines = 0
        """Transaction lines applied since the last snapshot: a hint for compaction."""
        self._depth = 0
        self._lock_fd: int | None = None
        self._pending: list[Op] = []
        if not self.path.exists():
            if not create:
                raise StoreError(f"{self.path}: no such file")
            self._create()
        self._catch_up()

    # -- files -------------------------------------------------------------------------

    def _create(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._locked():
            try:
                fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
            except FileExistsError:
                return  # another process made it first; fine
            try:
                os.write(fd, HEADER)
                if self._fsync:
                    os.fsync(fd)
            finally:
                os.close(fd)
            if self._fsync:
                _fsync_dir(self.path.parent)

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """Hold the exclusive inter-process lock (re-entrant within this object)."""
        if self._lock_fd is not None:
            yield
            return
        self.lock_path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, FILE_MODE)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            self._lock_fd = fd
            yield
        finally:
            self._lock_fd = None
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def _reset(self) -> None:
        self._data = {}
        self._offset = 0
        self._inode = None
        self._lines = 0

    def _catch_up(self) -> None:
        """Apply whatever was appended since we last looked; reload if the file was replaced."""
        try:
            stat = os.stat(self.path)
        except FileNotFoundError:
            raise StoreError(f"{self.path}: the file has disappeared") from None
        if self._inode is not None and (stat.st_ino != self._inode or stat.st_size < self._offset):
            self._reset()
        if self._inode is not None and stat.st_size == self._offset:
            return
        try:
            with open(self.path, "rb") as handle:
                inode = os.fstat(handle.fileno()).st_ino
                if inode != self._inode:
                    self._reset()
                handle.seek(self._offset)
                chunk = handle.read()
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot read ({exc.strerror})") from None
        self._apply_chunk(chunk, inode)

    def _apply_chunk(self, chunk: bytes, inode: int) -> None:
        start = self._offset
        position = 0
        expect_header = start == 0
        while position < len(chunk):
            end = chunk.find(b"\n", position)
            if end == -1:
                break  # an unfinished line: a writer mid-append, or a torn tail
            try:
                parsed = orjson.loads(chunk[position:end])
            except orjson.JSONDecodeError:
                if not chunk[end + 1 :].strip(b"\x00\n"):
                    break  # a torn last line (power loss can also leave NULs behind)
                raise StoreError(
                    f"{self.path}: damaged at byte {start + position} (not JSON); "
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
        version = parsed[FORMAT_KEY]
        if version != FORMAT_VERSION:
            raise StoreError(
                f"{self.path}: written by a newer or unknown version (format {version!r}); "
                "upgrade incident-tui to read it"
            )

    def _apply_line(self, parsed: Any, at: int) -> None:
        if not isinstance(parsed, dict) or not isinstance(parsed.get("ops"), list):
            raise StoreError(f"{self.path}: damaged at byte {at} (wrong shape)")
        try:
            for op in parsed["ops"]:
                self._apply_op(self._data, op)
        except (IndexError, KeyError, TypeError, ValueError):
            raise StoreError(f"{self.path}: damaged at byte {at} (bad operation)") from None

    @staticmethod
    def _apply_op(data: Data, op: Op) -> None:
        kind = op[0]
        if kind == "put":
            table, doc_id, doc = op[1], op[2], op[3]
            if not isinstance(doc, dict):
                raise TypeError("document must be an object")
            data.setdefault(str(table), {})[str(doc_id)] = doc
        elif kind == "del":
            data.get(str(op[1]), {}).pop(str(op[2]), None)
        elif kind == "clear":
            data[str(op[1])] = {}
        elif kind == "drop":
            data.pop(str(op[1]), None)
        elif kind == "replace":
            if not isinstance(op[1], dict):
                raise TypeError("replacement must be an object")
            data.clear()
            data.update(cast(Data, op[1]))
        else:
            raise ValueError(f"unknown op {kind!r}")

    # -- transactions --------------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Lock, catch up with other writers, gather ops, then append them as one durable line.

        Re-entrant: nested transactions join the outermost one. If the body raises, nothing
        is written and the in-memory state is reloaded from disk.
        """
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
            line = HEADER + line  # the creator died before writing the header
        try:
            stat = os.stat(self.path)
            if stat.st_size > self._offset:
                # A writer died mid-line (we hold the lock, so nobody is writing now):
                # cut the torn tail off so our line starts cleanly.
                os.truncate(self.path, self._offset)
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND)
            try:
                written = os.write(fd, line)
                if written != len(line):
                    raise OSError(28, "short write")
                if self._fsync:
                    os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as exc:
            with contextlib.suppress(OSError):
                os.truncate(self.path, self._offset)
            raise StoreError(f"{self.path}: write failed ({exc.strerror or exc})") from None
        self._offset += len(line)
        self._lines += 1

    def record(self, op: Op) -> None:
        """Queue one op in the current transaction (the caller has already applied it)."""
        if not self._depth:
            raise RuntimeError("record() outside a transaction")
        self._pending.append(op)

    @property
    def in_transaction(self) -> bool:
        return self._depth > 0

    # -- TinyDB's Storage interface ----------------------------------------------------------

    def read(self) -> Data:
        if not self._depth:
            self._catch_up()
        return self._data

    def write(self, data: Mapping[str, Any]) -> None:
        snapshot = copy.deepcopy(dict(data))
        with self.transaction():
            self._data.clear()
            self._data.update(snapshot)
            self.record(["replace", snapshot])

    def close(self) -> None:
        pass

    # -- housekeeping -----------------------------------------------------------------------

    def changed_on_disk(self) -> bool:
        """Cheap check (one ``stat``): has anyone written since we last read?"""
        try:
            stat = os.stat(self.path)
        except FileNotFoundError:
            return True
        return stat.st_ino != self._inode or stat.st_size != self._offset

    @property
    def journal_lines(self) -> int:
        return self._lines

    def compact(self) -> None:
        """Rewrite the journal as one snapshot line: temp file, fsync, rename, fsync dir."""
        with self._locked():
            self._catch_up()
            temp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
            body = HEADER + orjson.dumps({"ops": [["replace", self._data]]}) + b"\n"
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
            try:
                os.write(fd, body)
                os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(temp, self.path)
            _fsync_dir(self.path.parent)
            self._reset()
            self._catch_up()


class _TrackedTable(MutableMapping[int, Any]):
    """The dict TinyDB's updaters mutate, recording each change as a journal op.

    Documents handed out by ``__getitem__`` are copies; after the updater runs, any copy that
    differs from the stored document becomes a ``put``. So an insert costs one op, not a
    rewrite of the table.
    """

    def __init__(self, name: str, raw: dict[str, Any]) -> None:
        self._name = name
        self._raw = raw
        self._lent: dict[str, Any] = {}
        self.ops: list[Op] = []

    def __getitem__(self, doc_id: int) -> Any:
        key = str(doc_id)
        if key in self._lent:
            return self._lent[key]
        doc = copy.deepcopy(self._raw[key])
        self._lent[key] = doc
        return doc

    def __setitem__(self, doc_id: int, doc: Any) -> None:
        key = str(doc_id)
        self._lent[key] = doc

    def __delitem__(self, doc_id: int) -> None:
        key = str(doc_id)
        if key not in self._raw and key not in self._lent:
            raise KeyError(doc_id)
        self._lent.pop(key, None)
        if key in self._raw:
            del self._raw[key]
            self.ops.append(["del", self._name, key])

    def __iter__(self) -> Iterator[int]:
        seen = set(self._raw)
        yield from (int(k) for k in list(self._raw))
        yield from (int(k) for k in list(self._lent) if k not in seen)

    def __len__(self) -> int:
        return len(set(self._raw) | set(self._lent))

    def __contains__(self, doc_id: object) -> bool:
        key = str(doc_id)
        return key in self._raw or key in self._lent

    def clear(self) -> None:
        self._raw.clear()
        self._lent.clear()
        self.ops.append(["clear", self._name])

    def flush(self) -> None:
        """Turn changed documents into ``put`` ops and store them."""
        for key, doc in self._lent.items():
            if self._raw.get(key, _MISSING) != doc:
                stored = dict(doc)
                self._raw[key] = stored
                self.ops.append(["put", self._name, key, stored])
        self._lent.clear()


_MISSING = object()


class JournalTable(Table):  # type: ignore[misc]
    """A TinyDB table whose writes go to the journal one op at a time, under the lock."""

    default_query_cache_capacity = 0
    """Another process may change the table at any moment, so cached query results go stale."""

    @property
    def _journal(self) -> JournalStorage:
        return cast(JournalStorage, self._storage)

    def _update_table(self, updater: Callable[[dict[int, Mapping[str, Any]]], None]) -> None:
        with self._journal.transaction():
            tables = self._journal.read()
            raw = tables.setdefault(self.name, {})
            tracked = _TrackedTable(self.name, raw)
            updater(cast(dict[int, Mapping[str, Any]], tracked))
            tracked.flush()
            for op in tracked.ops:
                self._journal.record(op)
        self.clear_cache()

    def _get_next_id(self) -> int:
        # Never trust a cached counter: another process may have inserted since.
        raw = self._read_table()
        return max((int(k) for k in raw), default=0) + 1

    # Every mutator runs inside one transaction so the id choice and the write share the lock.
    def insert(self, document: Mapping[str, Any]) -> int:
        with self._journal.transaction():
            return cast(int, super().insert(document))

    def insert_multiple(self, documents: Any) -> list[int]:
        with self._journal.transaction():
            return cast(list[int], super().insert_multiple(documents))

    def update(self, *args: Any, **kwargs: Any) -> list[int]:
        with self._journal.transaction():
            return cast(list[int], super().update(*args, **kwargs))

    def update_multiple(self, *args: Any, **kwargs: Any) -> list[int]:
        with self._journal.transaction():
            return cast(list[int], super().update_multiple(*args, **kwargs))

    def upsert(self, *args: Any, **kwargs: Any) -> list[int]:
        with self._journal.transaction():
            return cast(list[int], super().upsert(*args, **kwargs))

    def remove(self, *args: Any, **kwargs: Any) -> list[int]:
        with self._journal.transaction():
            return cast(list[int], super().remove(*args, **kwargs))

    def truncate(self) -> None:
        with self._journal.transaction():
            super().truncate()


class JournalDB(TinyDB):  # type: ignore[misc]
    """TinyDB over a :class:`JournalStorage`, with journal-aware tables."""

    table_class = JournalTable
    default_storage_class = JournalStorage

    @property
    def journal(self) -> JournalStorage:
        return cast(JournalStorage, self.storage)

    def transaction(self) -> contextlib.AbstractContextManager[None]:
        """Group several table writes into one atomic, durable journal line."""
        return self.journal.transaction()


def open_db(path: Path, create: bool = True, fsync: bool = True) -> JournalDB:
    """Open (or create) one journal-backed TinyDB file."""
    return JournalDB(str(path), storage=JournalStorage, create=create, fsync=fsync)


__all__ = ["Document", "JournalDB", "JournalStorage", "JournalTable", "open_db"]
