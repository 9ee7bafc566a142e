"""The journal's on-disk format, and reading one document from the end of a file.

File format, one JSON document per line::

    {"incident_tui_journal": 1}
    {"ops": [["put", "events", "1", {...}], ["del", "roles", "3"], ...]}

Each line is one transaction: all of its ops apply, or (torn) none do. Op kinds: ``put``
(table, doc id, document), ``del`` (table, doc id), ``clear`` (table), ``drop`` (table),
``replace`` (the whole database, written by compaction and by ``TinyDB.drop_tables``).

The header also carries a random ``"file"`` token, new for every file written (created or
compacted), so a reader can tell a replaced file from the one it has read.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import orjson

FORMAT_KEY = "incident_tui_journal"
FORMAT_VERSION = 1


def new_header() -> bytes:
    """A header line naming the format and this file's own random token.

    The token tells a reader that a file at the same path is a different file (compacted
    by another process) even when the file system hands out the old inode number again.
    """
    return orjson.dumps({FORMAT_KEY: FORMAT_VERSION, "file": os.urandom(8).hex()}) + b"\n"


FILE_MODE = 0o600

Data = dict[str, dict[str, Any]]
Op = list[Any]


def fsync_dir(directory: Path) -> None:
    """Make a rename or a new file in ``directory`` survive a power cut."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def file_identity(stat: os.stat_result) -> tuple[int, int, int]:
    """What a cheap ``stat`` says about a file: same triple, nothing was written."""
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns)


def os_reason(exc: OSError) -> str:
    """The short reason of an OS error, for a one-line message."""
    return exc.strerror or str(exc)


def last_document(path: Path, table: str, key: str) -> dict[str, Any] | None:
    """One document as the journal last wrote it (see :mod:`incident_tui.core.store.peek`)."""
    from incident_tui.core.store.peek import last_document as peek

    return peek(path, table, key)
