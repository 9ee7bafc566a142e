"""A durable, append-only journal file that several processes can share.

TinyDB's stock ``JSONStorage`` rewrites the whole file on every insert, loses the file to a
crash mid-write, and corrupts it when two processes write at once. Here each change is one
line appended with ``O_APPEND`` and ``fsync``; opening replays the lines; a torn last line (a
writer killed mid-``write``) is ignored by readers and cut off by the next writer; an
exclusive ``flock`` on a sidecar lock file is held across every read-modify-write, and the
writer first replays whatever other processes appended.

Opening does not replay the whole history: every 1,000 lines (or MiB) the state is saved in
a checkpoint beside the journal (:mod:`incident_tui.core.store.checkpoint`), and opening
resumes from it, leaving its large tables unread until asked for
(:mod:`incident_tui.core.store.journal_state`).

The file format is described in :mod:`incident_tui.core.store.journal_format`.

A file that cannot be read raises a one-line :class:`StoreError` naming it, and nothing in
this module ever writes to such a file.
"""

from __future__ import annotations

import contextlib
import fcntl
import itertools
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from incident_tui.core import files
from incident_tui.core.errors import StoreError
from incident_tui.core.store import checkpoint as ckpt
from incident_tui.core.store.journal_format import (
    FILE_MODE,
    FORMAT_KEY,
    FORMAT_VERSION,
    Data,
    Op,
    file_identity,
    fsync_dir,
    new_header,
    os_reason,
)
from incident_tui.core.store.journal_replay import JournalReplay
from incident_tui.core.store.journal_state import LazyTable
from incident_tui.core.store.peek import last_document

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


class JournalStorage(JournalReplay):
    """The replayed state of one journal file, plus locked, durable appends to it.

    One object per thread: the object serialises its own transactions with a re-entrant
    thread lock, and separate objects (in this or another process) serialise through
    ``flock``.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        create: bool = True,
        fsync: bool = True,
        checkpoints: bool = True,
        digester: ckpt.Digester | None = None,
    ):
        self._setup(Path(path), fsync, checkpoints)
        self._digester = digester
        """Keeps a summary of one table with each checkpoint (an incident's event facts)."""
        if not self.path.exists():
            if not create:
                raise StoreError(f"{self.path}: no such file")
            self._create()
        self._catch_up()
        self._maybe_checkpoint()

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
                self._maybe_checkpoint()

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
        self._state.apply(op)
        self._pending.append(op)

    def next_doc_id(self, table: str) -> int:
        """Reserve a fresh doc id for ``table`` (call inside a transaction)."""
        if not self._depth:
            raise RuntimeError("next_doc_id() outside a transaction")
        number = max(self._state.max_ids.get(table, 0), 0) + 1
        self._state.max_ids[table] = number
        return number

    @property
    def in_transaction(self) -> bool:
        """True while a transaction is open on this object."""
        return self._depth > 0

    # -- housekeeping --------------------------------------------------------------------

    def _maybe_checkpoint(self) -> None:
        """Write a checkpoint once enough was replayed after the last one (never raises)."""
        offset, lines = self._ckpt_at
        if not self._checkpoints or self._depth or self._token is None:
            return
        if self._offset - offset < ckpt.EVERY_BYTES and self._lines - lines < ckpt.EVERY_LINES:
            return
        try:
            with self._locked():
                self._catch_up()
                self._write_checkpoint()
        except (StoreError, OSError):
            self._checkpoints = False  # a read-only place, say: replaying still works

    def _write_checkpoint(self) -> None:
        """Save the state as a checkpoint (hold the lock, caught up, no pending ops)."""
        state, found = self._state, self._ckpt
        if self._token is None or self._offset == 0:
            return
        blobs: dict[str, tuple[bytes, int]] = {}
        folded: dict[str, tuple[int, list[tuple[int, Any]]]] = {}
        digest: tuple[str, bytes, int] | None = None
        for name in state.names():
            entry = state.lazy.get(name)
            blob: bytes | None = None
            old: bytes | None = None
            fresh = entry.appended() if entry is not None else None
            if entry is not None and fresh is not None and found is not None:
                old = ckpt.read_blob(found.path, found.inode, entry)
                blob = None if old is None else ckpt.appended_blob(old, fresh)
                added = [(int(key), doc) for key, doc in fresh.items()]
                folded[name] = (entry.max_key, added)
            if blob is None:
                old = fresh = None
                blob = ckpt.table_blob(state.table(name, self._load_lazy) or {})
            blobs[name] = (blob, state.max_ids.get(name, 0))
            if self._digester is not None and name == self._digester.table:
                summary = self._digest(name, entry, old, fresh)
                if summary is not None:
                    digest = (name, summary, state.max_ids.get(name, 0))
        with open(self.path, "rb") as handle:
            handle.seek(max(0, self._offset - ckpt.BEFORE))
            before = handle.read(min(self._offset, ckpt.BEFORE))
        written = ckpt.write_checkpoint(
            self.path,
            self._token,
            self._offset,
            self._lines,
            before,
            state.max_ids,
            state.rewrites,
            blobs,
            fsync=self._fsync,
            digest=digest,
        )
        for name in state.lazy:
            state.lazy[name] = written.lazy[name]
            if name in folded:
                state.lazy[name].folded_from, state.lazy[name].folded = folded[name]
        state.checkpointed()
        self._ckpt, self._ckpt_at = written, (self._offset, self._lines)

    def _digest(
        self,
        name: str,
        entry: LazyTable | None,
        old: bytes | None,
        fresh: dict[str, Any] | None,
    ) -> bytes | None:
        """The new checkpoint's summary of ``name``: the last one's with the documents added
        since folded in, else made from every document (once: after a compaction, a
        rewrite, or for a checkpoint written before summaries were kept). None if a
        document does not fit: readers then read the table itself."""
        digester, found = self._digester, self._ckpt
        assert digester is not None
        if entry is not None and fresh is not None and found is not None:
            previous = ckpt.read_digest(found, name)
            if previous is not None and previous[1] == entry.max_key:
                with contextlib.suppress(ValueError):  # else: from every document
                    return digester.fold(previous[0], fresh.items())
        try:
            if old is not None and fresh is not None:
                return digester.fold(None, itertools.chain(ckpt.documents(old), fresh.items()))
            return digester.fold(None, (self._state.table(name, self._load_lazy) or {}).items())
        except ValueError:  # checkpoint.Damaged is one
            return None

    def compact(self) -> None:
        """Rewrite the journal as one snapshot line: temp file, fsync, rename, fsync dir.

        A checkpoint of the new file is written right after, so the next open reads no
        snapshot line at all.
        """
        with self._thread_lock, self._locked():
            self._catch_up()
            data = self._state.everything(self._load_lazy)
            temp = files.temp_path(self.path)  # unguessable, created O_EXCL|O_NOFOLLOW
            header = new_header()
            body = header + orjson.dumps({"ops": [["replace", data]]}) + b"\n"
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
            if self._checkpoints and len(body) >= ckpt.EAGER_BYTES:
                with contextlib.suppress(OSError):
                    self._write_checkpoint()
