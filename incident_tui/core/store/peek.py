"""Reading one document without replaying the journal: from its end, then its checkpoint.

Listing incidents needs each one's header, which changes rarely, in files of thousands of
events. The journal is read backwards, a block at a time, down to the checkpoint (or to the
start when there is none); a document not written since the checkpoint is taken from it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from incident_tui.core.store.checkpoint import load_table, read_checkpoint
from incident_tui.core.store.journal_format import FORMAT_KEY, FORMAT_VERSION

BLOCK = 64 * 1024

_NOT_HERE = object()
"""The line says nothing about the document."""


def last_document(path: Path, table: str, key: str) -> dict[str, Any] | None:
    """One document as the journal last wrote it, read from the end of the file.

    Returns None when the answer is not plain (no such document, a damaged line on the
    way): the caller then replays the file, which also gives the proper error.
    """
    try:
        with open(path, "rb") as handle:
            return _last_document(handle, path, table, key)
    except OSError:
        return None


def _last_document(handle: BinaryIO, path: Path, table: str, key: str) -> dict[str, Any] | None:
    first = handle.readline(1 << 16)
    try:
        header = orjson.loads(first)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(header, dict) or header.get(FORMAT_KEY) != FORMAT_VERSION:
        return None
    size = handle.seek(0, 2)
    token = header.get("file")
    found = read_checkpoint(path, token) if isinstance(token, str) else None
    if found is not None:
        handle.seek(found.offset - len(found.before))
        if not len(first) <= found.offset <= size or handle.read(len(found.before)) != (
            found.before
        ):
            found = None
    floor = found.offset if found is not None else len(first)
    quoted = orjson.dumps(table)
    lines = _backwards(handle, floor, size)
    next(lines)  # the piece after the last newline is torn or empty
    for line in lines:
        if quoted not in line:
            continue
        answer = _answer(line, table, key)
        if answer is not _NOT_HERE:
            return answer if isinstance(answer, dict) else None
    if found is None:
        return None
    documents = found.tables.get(table)
    if table in found.lazy:  # a large table: read just that one from the checkpoint
        documents = load_table(found.path, found.inode, found.lazy[table])
    document = (documents or {}).get(key)
    return document if isinstance(document, dict) else None


def _answer(line: bytes, table: str, key: str) -> object:
    """What one journal line says about the document: it, None (gone or damaged), or
    ``_NOT_HERE``."""
    try:
        ops = orjson.loads(line)["ops"]
        for op in reversed(ops):
            if op[0] == "replace":
                return op[1].get(table, {}).get(key)
            if op[1] != table:
                continue
            if op[0] == "put" and str(op[2]) == key:
                return op[3]
            if op[0] in ("clear", "drop") or (op[0] == "del" and str(op[2]) == key):
                return None
    except (orjson.JSONDecodeError, KeyError, IndexError, TypeError, AttributeError):
        return None
    return _NOT_HERE


def _backwards(handle: BinaryIO, floor: int, end: int) -> Iterator[bytes]:
    """The pieces of ``[floor, end)`` between newlines, last first (``floor`` starts a line)."""
    position, rest = end, b""
    while position > floor:
        step = min(BLOCK, position - floor)
        position -= step
        handle.seek(position)
        pieces = (handle.read(step) + rest).split(b"\n")
        rest = pieces[0]
        yield from reversed(pieces[1:])
    yield rest
