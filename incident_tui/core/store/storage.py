"""TinyDB on top of the journal: TinyDB stays the API, every write becomes a journal op.

:class:`JournalStorage` (in :mod:`incident_tui.core.store.journal`) owns the file. Here a
:class:`JournalTable` turns each TinyDB write into small ``put``/``del``/``clear`` ops instead
of a rewrite of the whole database, runs it inside one locked transaction, and takes doc ids
from the journal so ids chosen by another process are never handed out twice.
"""

from __future__ import annotations

import contextlib
import copy
import os
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from pathlib import Path
from typing import Any, cast

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Document, Table

from incident_tui.core import files
from incident_tui.core.errors import StoreError
from incident_tui.core.store.checkpoint import Digester
from incident_tui.core.store.journal import Data, JournalStorage, Op, fsync_dir


class JournalTinyStorage(JournalStorage, Storage):
    """The journal as a TinyDB ``Storage``: ``read`` is cheap, ``write`` is a rare full replace.

    ``read`` hands TinyDB a view that reads a table only when TinyDB asks for that table, so
    ``db.table("roles").all()`` does not read an incident's hundred thousand events.
    """

    def read(self) -> Mapping[str, dict[str, Any]]:  # type: ignore[override]
        """The tables as TinyDB sees them, each read when first asked for."""
        return _Tables(self)

    def write(self, data: Mapping[str, Any]) -> None:
        """Replace the whole database (TinyDB calls this only from ``drop_tables``)."""
        snapshot = copy.deepcopy(dict(data))
        with self.transaction():
            self.apply(["replace", snapshot])

    def close(self) -> None:
        """Nothing to release: every write is already on disk."""


class _Tables(Mapping[str, dict[str, Any]]):
    """A journal's tables for TinyDB: each one read only when looked up."""

    def __init__(self, journal: JournalStorage) -> None:
        self._journal = journal
        self._names = journal.table_names()

    def __getitem__(self, name: str) -> dict[str, Any]:
        if name not in self._names:
            raise KeyError(name)
        return self._journal.read_table(name)

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


class _TrackedTable(MutableMapping[int, Any]):
    """The dict TinyDB's updaters mutate, turned into journal ops.

    The stored table is never touched here: documents handed out are copies, deletions and a
    clear are remembered, and :meth:`ops` says what changed. So an updater that raises
    half-way changes nothing, and an insert costs one op, not a rewrite of the table.
    """

    def __init__(self, name: str, raw: Mapping[str, Any]) -> None:
        self._name = name
        self._raw = raw
        self._lent: dict[str, Any] = {}
        self._deleted: set[str] = set()
        self._cleared = False

    def _stored(self, key: str) -> bool:
        return not self._cleared and key not in self._deleted and key in self._raw

    def __getitem__(self, doc_id: int) -> Any:
        key = str(doc_id)
        if key in self._lent:
            return self._lent[key]
        if not self._stored(key):
            raise KeyError(doc_id)
        doc = copy.deepcopy(self._raw[key])
        self._lent[key] = doc
        return doc

    def __setitem__(self, doc_id: int, doc: Any) -> None:
        key = str(doc_id)
        self._lent[key] = doc
        self._deleted.discard(key)

    def __delitem__(self, doc_id: int) -> None:
        key = str(doc_id)
        if key not in self._lent and not self._stored(key):
            raise KeyError(doc_id)
        self._lent.pop(key, None)
        if not self._cleared and key in self._raw:
            self._deleted.add(key)

    def __iter__(self) -> Iterator[int]:
        keys = [] if self._cleared else [k for k in self._raw if k not in self._deleted]
        keys += [k for k in self._lent if not self._stored(k)]
        return iter([int(k) for k in keys])

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __contains__(self, doc_id: object) -> bool:
        key = str(doc_id)
        return key in self._lent or self._stored(key)

    def clear(self) -> None:
        self._cleared = True
        self._lent.clear()
        self._deleted.clear()

    def ops(self) -> list[Op]:
        """The changes as journal ops, in the order they must be applied."""
        result: list[Op] = [["clear", self._name]] if self._cleared else []
        result += [["del", self._name, key] for key in sorted(self._deleted, key=int)]
        for key, doc in self._lent.items():
            if self._cleared or self._raw.get(key, _MISSING) != doc:
                result.append(["put", self._name, key, dict(doc)])
        return result


_MISSING = object()


class JournalTable(Table):
    """A TinyDB table whose writes go to the journal one op at a time, under the lock."""

    default_query_cache_capacity = 0
    """Another process may change the table at any moment, so cached query results go stale."""

    @property
    def _journal(self) -> JournalStorage:
        return cast(JournalStorage, self._storage)

    def _update_table(self, updater: Callable[[dict[int, Mapping[str, Any]]], None]) -> None:
        with self._journal.transaction():
            raw = self._journal.documents(self.name)
            tracked = _TrackedTable(self.name, raw)
            updater(cast(dict[int, Mapping[str, Any]], tracked))
            for op in tracked.ops():
                self._journal.apply(op)
        self.clear_cache()

    def _get_next_id(self) -> int:
        # Never trust a cached counter: another process may have inserted since. The journal
        # keeps the highest id it has seen, so this is O(1) and ids are not reused.
        return self._journal.next_doc_id(self.name)

    # Every mutator runs inside one transaction so the id choice and the write share the lock.
    def insert(self, document: Mapping[str, Any]) -> int:
        with self._journal.transaction():
            doc_id: int = super().insert(document)
            return doc_id

    def insert_multiple(self, documents: Any) -> list[int]:
        with self._journal.transaction():
            return list(super().insert_multiple(documents))

    def update(self, *args: Any, **kwargs: Any) -> list[int]:
        with self._journal.transaction():
            return list(super().update(*args, **kwargs))

    def update_multiple(self, *args: Any, **kwargs: Any) -> list[int]:
        with self._journal.transaction():
            return list(super().update_multiple(*args, **kwargs))

    def upsert(self, *args: Any, **kwargs: Any) -> list[int]:
        with self._journal.transaction():
            return list(super().upsert(*args, **kwargs))

    def remove(self, *args: Any, **kwargs: Any) -> list[int]:
        with self._journal.transaction():
            return list(super().remove(*args, **kwargs))

    def truncate(self) -> None:
        with self._journal.transaction():
            super().truncate()


class JournalDB(TinyDB):
    """TinyDB over a :class:`JournalTinyStorage`, with journal-aware tables."""

    table_class = JournalTable

    @property
    def journal(self) -> JournalStorage:
        """The journal file under this database."""
        return cast(JournalStorage, self.storage)

    def transaction(self) -> contextlib.AbstractContextManager[None]:
        """Group several table writes into one atomic, durable journal line."""
        return self.journal.transaction()

    def drop_table(self, name: str) -> None:
        """Drop one table with a small ``drop`` op (TinyDB's own version mutates in place)."""
        self._tables.pop(name, None)
        with self.journal.transaction():
            if name in self.journal.table_names():
                self.journal.apply(["drop", name])

    def drop_tables(self) -> None:
        """Drop every table."""
        self._tables.clear()
        with self.journal.transaction():
            self.journal.apply(["replace", {}])


def open_db(
    path: Path,
    create: bool = True,
    fsync: bool = True,
    checkpoints: bool = True,
    digester: Digester | None = None,
) -> JournalDB:
    """Open (or create) one journal-backed TinyDB file (``digester``: see
    :mod:`incident_tui.core.store.checkpoint`)."""
    return JournalDB(
        str(path),
        storage=JournalTinyStorage,
        create=create,
        fsync=fsync,
        checkpoints=checkpoints,
        digester=digester,
    )


def create_db(path: Path, fill: Callable[[JournalDB], None], fsync: bool = True) -> bool:
    """Create ``path`` holding what ``fill`` writes, atomically; False if ``path`` exists.

    The file is built under a temporary name and hard-linked into place, so no reader ever
    sees a half-made file (say, an incident without its header) and an existing file is never
    replaced.
    """
    temp = files.temp_path(path, "new")  # a crash leaves it for the next open to remove
    try:
        db = open_db(temp, create=True, fsync=fsync, checkpoints=False)
        with db.transaction():
            fill(db)
        try:
            os.link(temp, path)
        except FileExistsError:
            return False
    except OSError as exc:
        raise StoreError(f"{path}: cannot create ({exc.strerror or exc})") from None
    finally:
        temp.unlink(missing_ok=True)
        temp.with_name(temp.name + ".lock").unlink(missing_ok=True)
    if fsync:
        fsync_dir(path.parent)
    return True


__all__ = [
    "Data",
    "Document",
    "JournalDB",
    "JournalStorage",
    "JournalTable",
    "JournalTinyStorage",
    "create_db",
    "open_db",
]
