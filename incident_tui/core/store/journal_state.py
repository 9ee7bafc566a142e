"""The state a journal replays to: tables of documents, some of them not read yet.

A table that came from a checkpoint and is large (an incident's events) stays as bytes in the
checkpoint file until something asks for it: the ops that later lines make to it are queued,
not applied, so writing one more event or reading the incident's header never decodes the
other hundred thousand. Asking for the table reads its bytes and applies the queued ops, in
order, exactly as a replay from the start would have.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from incident_tui.core.store.journal_format import Data, Op


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Hold the cyclic garbage collector while building many objects that all stay alive.

    Decoding 100,000 documents with it on walks the growing heap again and again (over half
    the time); they hold no cycles, so nothing is lost by collecting afterwards.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@dataclass
class LazyTable:
    """A table still in a checkpoint file, and the ops made to it since."""

    start: int
    """Where its lines start in the checkpoint file."""
    length: int
    max_key: int
    """The highest doc id the table had held when the checkpoint was written."""
    crc: int
    """CRC-32 of its lines: damaged bytes are noticed, not read as documents."""
    queued: list[Op] = field(default_factory=list)
    touched: set[str] = field(default_factory=set)
    """The doc ids the queued ops name."""
    folded: list[tuple[int, Any]] = field(default_factory=list)
    """Documents added just before this checkpoint and written into it, kept so a reader
    that last looked before it can catch up without reading the table."""
    folded_from: int | None = None
    """The highest doc id before ``folded`` (None: nothing folded, ``max_key``)."""

    def queue(self, op: Op) -> None:
        self.queued.append(op)
        self.touched.add(op[2])

    def appended(self) -> dict[str, Any] | None:
        """The queued ops as new documents, if they only added documents; else None."""
        fresh: dict[str, Any] = {}
        for op in self.queued:
            if op[0] != "put" or int(op[2]) <= self.max_key:
                return None
            fresh[str(op[2])] = op[3]
        return fresh


Loader = Callable[[str, LazyTable], dict[str, Any]]
"""Reads one lazy table's documents (raises StoreError when it cannot)."""


class JournalState:
    """Tables, the highest id each ever held, and counters that tell readers what changed."""

    def __init__(self) -> None:
        self.data: Data = {}
        self.lazy: dict[str, LazyTable] = {}
        self.max_ids: dict[str, int] = {}
        """Highest doc id each table has ever held in the replayed history (never reused)."""
        self.rewrites: dict[str, int] = {}
        """Per table, how many changes were not a put of a new document."""
        self.generation = 0
        """Bumped by every in-memory change, even one a failed transaction later drops."""
        self.epoch = 0
        """Bumped when the whole state is replaced."""
        self.loaded_tables = 0
        """How many lazy tables were read (a measure of work, for tests)."""
        self.since: dict[str, list[Op]] | None = None
        """Per read table, the ops made to it since the checkpoint (None: no checkpoint), so
        it can be put back to lazy (:meth:`release`)."""
        self.unreleasable: set[str] = set()
        """Tables cleared, dropped or replaced since the checkpoint."""

    def names(self) -> list[str]:
        """Every table, read or not."""
        return [*self.data, *(name for name in self.lazy if name not in self.data)]

    def table(self, name: str, loader: Loader) -> dict[str, Any] | None:
        """One table's documents (reading it if it is lazy), or None if there is none."""
        if name in self.lazy:
            self.materialize(name, loader)
        return self.data.get(name)

    def everything(self, loader: Loader) -> Data:
        """Every table, read."""
        for name in list(self.lazy):
            self.materialize(name, loader)
        return self.data

    def materialize(self, name: str, loader: Loader) -> None:
        lazy = self.lazy[name]
        with paused_gc():
            documents = loader(name, lazy)
        del self.lazy[name]
        self.loaded_tables += 1
        self.data[name] = documents
        rewrites, since, self.since = self.rewrites.get(name, 0), self.since, None
        try:
            for op in lazy.queued:  # already counted as rewrites (or not) when queued
                self.apply(op)
        finally:
            self.rewrites[name], self.since = rewrites, since
        if since is not None:
            since[name] = list(lazy.queued)

    def release(self, name: str, entry: LazyTable) -> bool:
        """Drop a read table's documents, to be read again from the checkpoint (where
        ``entry`` says it is) if asked for: a reader that built its own models from them
        need not keep them twice."""
        if self.since is None or name not in self.data or name in self.unreleasable:
            return False
        lazy = LazyTable(entry.start, entry.length, entry.max_key, entry.crc)
        for op in self.since.pop(name, []):
            lazy.queue(op)
        self.lazy[name] = lazy
        del self.data[name]
        return True

    def appended_since(self, name: str, after: int, loader: Loader) -> list[tuple[int, Any]]:
        """The documents with an id above ``after``, in the order they were added, provided
        the table only gained documents since (the caller checks ``rewrites``)."""
        lazy = self.lazy.get(name)
        if lazy is not None:
            floor = lazy.max_key if lazy.folded_from is None else lazy.folded_from
            if after >= floor:
                queued = [(int(op[2]), op[3]) for op in lazy.queued if op[0] == "put"]
                return [(n, doc) for n, doc in [*lazy.folded, *queued] if n > after]
            self.materialize(name, loader)  # missed more than the last checkpoint kept
        fresh = []
        for key, doc in reversed((self.data.get(name) or {}).items()):
            number = int(key)
            if number <= after:
                break
            fresh.append((number, doc))
        fresh.reverse()
        return fresh

    def checkpointed(self) -> None:
        """A checkpoint of the state as it is was just written (or read)."""
        self.since = {}
        self.unreleasable = set()

    def has_key(self, name: str, key: str, loader: Loader) -> bool:
        """Is document ``key`` in table ``name``? Answered without reading a lazy table when
        the key is newer than the checkpoint and no queued op touched it."""
        lazy = self.lazy.get(name)
        if lazy is not None and key not in lazy.touched and int(key) > lazy.max_key:
            return False
        documents = self.table(name, loader)
        return documents is not None and key in documents

    def apply(self, op: Op) -> None:
        """Apply one op; raises IndexError/KeyError/TypeError/ValueError on a bad one."""
        self.generation += 1
        kind = op[0]
        data = self.data
        if kind == "put":
            table, key, doc = str(op[1]), str(op[2]), op[3]
            if not isinstance(doc, dict):
                raise TypeError("document must be an object")
            number = int(key)
            if number > self.max_ids.get(table, 0):
                self.max_ids[table] = number
            lazy = self.lazy.get(table)
            if lazy is not None:
                if number <= lazy.max_key or key in lazy.touched:
                    self.rewrites[table] = self.rewrites.get(table, 0) + 1
                lazy.queue(["put", table, key, doc])
                return
            documents = data.setdefault(table, {})
            if key in documents:
                self.rewrites[table] = self.rewrites.get(table, 0) + 1
            documents[key] = doc
            if self.since is not None:
                self.since.setdefault(table, []).append(["put", table, key, doc])
        elif kind in ("del", "clear", "drop"):
            table = str(op[1])
            self.rewrites[table] = self.rewrites.get(table, 0) + 1
            if kind == "del":
                key = str(op[2])
                if table in self.lazy:
                    self.lazy[table].queue(["del", table, key])
                    return
                data.get(table, {}).pop(key, None)
                if self.since is not None:
                    self.since.setdefault(table, []).append(["del", table, key])
                return
            self.unreleasable.add(table)
            self.lazy.pop(table, None)
            if kind == "clear":
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
            self.epoch += 1
            self.unreleasable.update(self.names(), snapshot)
            self.lazy.clear()
            data.clear()
            data.update(cast(Data, snapshot))
            self.max_ids = {
                name: max((int(k) for k in table), default=0) for name, table in data.items()
            }
        else:
            raise ValueError(f"unknown op {kind!r}")


class LazyDocuments(Mapping[str, Any]):
    """One table's documents as a mapping that reads a lazy table only when it must.

    ``key in docs`` and ``docs.get(key)`` for a key newer than the checkpoint (a document
    being inserted) are answered without reading the table.
    """

    def __init__(self, state: JournalState, name: str, loader: Loader) -> None:
        self._state = state
        self._name = name
        self._loader = loader

    def _documents(self) -> dict[str, Any]:
        return self._state.table(self._name, self._loader) or {}

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str) or not key.isdigit():
            return False
        return self._state.has_key(self._name, key, self._loader)

    def __getitem__(self, key: str) -> Any:
        if key not in self:
            raise KeyError(key)
        return self._documents()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._documents())

    def __len__(self) -> int:
        return len(self._documents())
