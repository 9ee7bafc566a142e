"""Checkpoints: a journal's replayed state saved beside it, so opening resumes from there.

``INC-20261128-1.db`` has its checkpoint in ``INC-20261128-1.db.ckpt``. Line 1 is a JSON
object::

    {"incident_tui_checkpoint": 1, "file": "<the journal's token>", "offset": 812345,
     "lines": 1000, "before": "<hex of the journal's last bytes before offset>",
     "max_ids": {...}, "rewrites": {...},
     "tables": {"events": [start, length, max_key, crc32], ...},
     "digest": ["events", start, length, max_key, crc32]}

and after it each table's documents, ``start`` bytes after line 1: one line per document,
``["doc id", {...}]``, in the order they were added (so a table can be read one document at
a time, and a checkpoint grown by appending lines). The optional digest follows the tables:
a summary of one table's documents up to ``max_key``, made by the journal's
:class:`Digester` (for an incident, the facts of its events, see
:mod:`incident_tui.core.facts`), so a reader that needs only the summary and the newest
documents does not read the table. Each digest is the last one's with the documents added
since folded in.
Opening a journal reads line 1 and the small tables, checks that the checkpoint fits the
journal (same token, so not compacted since; the journal is at least ``offset`` long and
has the same bytes just before it), and replays only the lines after ``offset``. Large
tables (an incident's events) are read only when asked for (see
:mod:`incident_tui.core.store.journal_state`).

The journal stays the only truth: a checkpoint is written (temporary file, ``fsync``,
rename, ``fsync`` of the directory) only from a state that was replayed from it under the
writers' lock, and one that is missing, stale, torn or damaged is ignored and the journal
replayed from the start. A process killed while writing one leaves at most a temporary file,
which the next checkpoint of that journal removes.
"""

from __future__ import annotations

import contextlib
import os
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import orjson

from incident_tui.core.store.journal_format import FILE_MODE, Data, fsync_dir
from incident_tui.core.store.journal_state import LazyTable

KEY = "incident_tui_checkpoint"
VERSION = 1
EAGER_BYTES = 64 * 1024
"""Tables up to this size are read with the checkpoint; larger ones when first asked for."""
EVERY_LINES = 1000
EVERY_BYTES = 1 << 20
"""A new checkpoint is written once this many lines or bytes were replayed after the last."""
BEFORE = 32
"""How many journal bytes before ``offset`` a checkpoint keeps, to check it fits the file."""


class Digester(Protocol):
    """Keeps a summary of one table with each checkpoint (see the module's docstring)."""

    table: str
    """The table summarised."""

    def fold(self, previous: bytes | None, documents: Iterable[tuple[str, Any]]) -> bytes:
        """The summary ``previous`` (None: of no documents) with ``documents`` folded in;
        raises ValueError if a document does not fit (then no summary is kept)."""
        ...


def checkpoint_path(journal: Path) -> Path:
    """Where the checkpoint of ``journal`` lives."""
    return journal.with_name(journal.name + ".ckpt")


@dataclass
class Checkpoint:
    """A checkpoint as read (or just written): its small tables, and where the big ones are."""

    path: Path
    inode: int
    token: str
    offset: int
    lines: int
    before: bytes
    max_ids: dict[str, int]
    rewrites: dict[str, int]
    tables: Data
    lazy: dict[str, LazyTable]
    layout: dict[str, tuple[int, int, int, int]]
    """Every table's (start, length, highest key) in the file."""
    digest: tuple[str, LazyTable] | None = None
    """The table summarised and where its summary is (``max_key``: the last doc id in it)."""


def read_checkpoint(journal: Path, token: str) -> Checkpoint | None:
    """The checkpoint of ``journal`` if it was written for the file with ``token``."""
    path = checkpoint_path(journal)
    try:
        with open(path, "rb") as handle:
            inode = os.fstat(handle.fileno()).st_ino
            first = handle.readline(1 << 20)
            meta = orjson.loads(first)
            if not isinstance(meta, dict) or meta.get(KEY) != VERSION:
                return None
            if meta.get("file") != token:
                return None
            base = len(first)
            tables: Data = {}
            lazy: dict[str, LazyTable] = {}
            layout: dict[str, tuple[int, int, int, int]] = {}
            for name, (start, length, max_key, crc) in dict(meta["tables"]).items():
                entry = LazyTable(base + int(start), int(length), int(max_key), int(crc))
                layout[str(name)] = (entry.start, entry.length, entry.max_key, entry.crc)
                if entry.length > EAGER_BYTES:
                    lazy[str(name)] = entry
                    continue
                handle.seek(entry.start)
                blob = handle.read(entry.length)
                documents = _documents(blob) if zlib.crc32(blob) == entry.crc else None
                if documents is None:
                    return None
                tables[str(name)] = documents
            digest = None
            if meta.get("digest") is not None:
                table, start, length, max_key, crc = meta["digest"]
                entry = LazyTable(base + int(start), int(length), int(max_key), int(crc))
                digest = (str(table), entry)
            return Checkpoint(
                path=path,
                inode=inode,
                token=token,
                offset=int(meta["offset"]),
                lines=int(meta["lines"]),
                before=bytes.fromhex(str(meta["before"])),
                max_ids={str(k): int(v) for k, v in dict(meta["max_ids"]).items()},
                rewrites={str(k): int(v) for k, v in dict(meta["rewrites"]).items()},
                tables=tables,
                lazy=lazy,
                layout=layout,
                digest=digest,
            )
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None  # no checkpoint, or not one we can use: replay instead


def _pread(path: Path, inode: int, size: int, offset: int) -> bytes | None:
    """``size`` bytes at ``offset`` of the checkpoint, if the file is still the one with
    ``inode`` (not replaced by a newer checkpoint since it was read) and holds them all."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        if os.fstat(fd).st_ino != inode:
            return None
        blob = os.pread(fd, size, offset)
    except OSError:
        return None
    finally:
        os.close(fd)
    return blob if len(blob) == size else None


def read_blob(path: Path, inode: int, entry: LazyTable) -> bytes | None:
    """The bytes of one lazy table, if the checkpoint file is still the one it came from."""
    blob = _pread(path, inode, entry.length, entry.start)
    if blob is None or zlib.crc32(blob) != entry.crc:
        return None  # replaced, torn or damaged: the caller replays the journal instead
    return blob


def read_tail(path: Path, inode: int, entry: LazyTable, size: int) -> bytes | None:
    """The last ``size`` bytes of one lazy table (all of it if shorter), if the checkpoint
    file is still the one it came from. Not checked against the table's CRC, which covers
    the whole table: for a first look only, which the checked read then replaces."""
    size = min(size, entry.length)
    return _pread(path, inode, size, entry.start + entry.length - size)


def read_digest(found: Checkpoint, table: str) -> tuple[bytes, int] | None:
    """The summary of ``table`` kept with ``found`` and the last doc id in it, if it has one
    and its bytes are intact."""
    if found.digest is None or found.digest[0] != table:
        return None
    entry = found.digest[1]
    blob = read_blob(found.path, found.inode, entry)
    return None if blob is None else (blob, entry.max_key)


def load_table(path: Path, inode: int, entry: LazyTable) -> dict[str, Any] | None:
    """One lazy table's documents, or None if they cannot be read from the checkpoint."""
    blob = read_blob(path, inode, entry)
    return None if blob is None else _documents(blob)


class Damaged(ValueError):
    """A table's bytes in a checkpoint are not what was written: replay instead."""


CHUNK = 256 * 1024
"""Bytes of document lines decoded at a time: one ``orjson.loads`` of about a thousand
documents is faster than a thousand calls, and still far from holding all of them."""


def chunks(blob: bytes) -> Iterator[bytes]:
    """A table's document lines a chunk at a time, each as one JSON array
    (``[["doc id", {...}], ...]``); raises :class:`Damaged` at a torn line."""
    position, size = 0, len(blob)
    while position < size:
        end = blob.find(b"\n", min(position + CHUNK, size - 1))
        if end == -1:
            raise Damaged("a torn line")
        yield b"[" + blob[position:end].replace(b"\n", b",") + b"]"
        position = end + 1


def pairs(chunk: bytes) -> list[tuple[str, dict[str, Any]]]:
    """One chunk's documents as (doc id, document); raises :class:`Damaged` if it holds
    anything but ``["doc id", {...}]`` lines."""
    try:
        found = orjson.loads(chunk)
    except orjson.JSONDecodeError:
        raise Damaged("not document lines") from None
    for pair in found:
        if not (
            isinstance(pair, list)
            and len(pair) == 2
            and isinstance(pair[0], str)
            and isinstance(pair[1], dict)
        ):
            raise Damaged("not a document line")
    return found  # type: ignore[no-any-return]  # checked above


Decode = Callable[[bytes], Iterable[tuple[str, Any]]]
"""Decodes one chunk (see :func:`chunks`) to (doc id, document) pairs, raising
:class:`Damaged` if it cannot: :func:`pairs`, or a reader's own typed decoder."""


def documents(blob: bytes, decode: Decode = pairs) -> Iterator[tuple[str, Any]]:
    """A table's documents, in the order they were added, decoded a chunk at a time by
    ``decode`` (plain dicts by default); raises :class:`Damaged` at lines that are not
    ``["doc id", {...}]``."""
    for chunk in chunks(blob):
        yield from decode(chunk)


def _documents(blob: bytes) -> dict[str, Any] | None:
    try:
        return dict(documents(blob))
    except Damaged:
        return None


def table_blob(table: dict[str, Any]) -> bytes:
    """A table as the checkpoint keeps it: one ``["doc id", {...}]`` line per document, so
    it can be read a document at a time and grown by appending."""
    return b"".join(
        orjson.dumps([key, doc], option=orjson.OPT_APPEND_NEWLINE) for key, doc in table.items()
    )


def appended_blob(old: bytes, fresh: dict[str, Any]) -> bytes:
    """The table ``old`` with the documents ``fresh`` added at its end, without decoding
    ``old``: a checkpoint of 100,000 events plus 1,000 new ones costs a copy, not a parse."""
    return old + table_blob(fresh)


def write_checkpoint(
    journal: Path,
    token: str,
    offset: int,
    lines: int,
    before: bytes,
    max_ids: dict[str, int],
    rewrites: dict[str, int],
    blobs: dict[str, tuple[bytes, int]],
    fsync: bool = True,
    digest: tuple[str, bytes, int] | None = None,
) -> Checkpoint:
    """Write a checkpoint of ``blobs`` (table -> (:func:`table_blob`, highest key)) and
    ``digest`` (table, summary, highest key summarised); raises OSError."""
    path = checkpoint_path(journal)
    layout: dict[str, list[int]] = {}
    position = 0
    for name, (blob, max_key) in blobs.items():
        layout[name] = [position, len(blob), max_key, zlib.crc32(blob)]
        position += len(blob)
    summary: list[Any] | None = None
    if digest is not None:
        table, blob, max_key = digest
        summary = [table, position, len(blob), max_key, zlib.crc32(blob)]
    meta: dict[str, Any] = {
        KEY: VERSION,
        "file": token,
        "offset": offset,
        "lines": lines,
        "before": before.hex(),
        "max_ids": max_ids,
        "rewrites": rewrites,
        "tables": layout,
    }
    if summary is not None:
        meta["digest"] = summary
    first = orjson.dumps(meta) + b"\n"
    _remove_stale_temps(path)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    try:
        try:
            with os.fdopen(os.dup(fd), "wb") as out:
                out.write(first)
                for blob, _ in blobs.values():
                    out.write(blob)
                if digest is not None:
                    out.write(digest[1])
            if fsync:
                os.fsync(fd)
            inode = os.fstat(fd).st_ino
        finally:
            os.close(fd)
        os.replace(temp, path)
    except OSError:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    if fsync:
        fsync_dir(path.parent)
    base = len(first)
    return Checkpoint(
        path=path,
        inode=inode,
        token=token,
        offset=offset,
        lines=lines,
        before=before,
        max_ids=dict(max_ids),
        rewrites=dict(rewrites),
        tables={},
        lazy={
            name: LazyTable(base + start, length, max_key, crc)
            for name, (start, length, max_key, crc) in layout.items()
        },
        layout={
            name: (base + start, length, max_key, crc)
            for name, (start, length, max_key, crc) in layout.items()
        },
        digest=None
        if summary is None
        else (summary[0], LazyTable(base + summary[1], summary[2], summary[3], summary[4])),
    )


def _remove_stale_temps(path: Path) -> None:
    """Drop temporary files of checkpoints whose writers died (we hold the writers' lock)."""
    for stale in path.parent.glob(f".{path.name}.*.tmp"):
        with contextlib.suppress(OSError):
            stale.unlink()


def remove_checkpoint(journal: Path) -> None:
    """Forget the checkpoint of ``journal`` (for a file that is about to be replaced)."""
    with contextlib.suppress(OSError):
        checkpoint_path(journal).unlink()
