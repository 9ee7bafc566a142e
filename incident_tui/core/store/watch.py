"""Being told when another process writes an incident file (Linux inotify, through ctypes).

The app shows a scribe's ``incident-tui log`` from another shell as soon as it lands: a
thread blocks on inotify for the incidents folder and calls back when a ``*.db`` file in it
is written to or replaced (a compaction renames a new file into place). Where inotify is
missing (not Linux, or out of watches) :func:`start_watching` returns None and the caller
keeps its periodic ``stat`` poll, which it keeps anyway as a fallback.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import select
import struct
import sys
import threading
from collections.abc import Callable
from pathlib import Path

IN_MODIFY = 0x002
IN_ATTRIB = 0x004
IN_CLOSE_WRITE = 0x008
IN_MOVED_TO = 0x080
IN_CREATE = 0x100
IN_NONBLOCK = 0o4000
IN_CLOEXEC = 0o2000000
_MASK = IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE
_EVENT = struct.Struct("iIII")


class Watcher:
    """A thread that calls ``changed(name)`` when a watched file in a folder is written."""

    def __init__(
        self, fd: int, folder: Path, suffix: str, changed: Callable[[str], object]
    ) -> None:
        self._fd = fd
        self._folder = folder
        self._suffix = suffix
        self._changed = changed
        self._stop_r, self._stop_w = os.pipe()
        self._thread = threading.Thread(target=self._run, name="incident-watch", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            while True:
                ready, _, _ = select.select([self._fd, self._stop_r], [], [])
                if self._stop_r in ready:
                    return
                try:
                    data = os.read(self._fd, 64 * 1024)
                except BlockingIOError:
                    continue
                names = set(_names(data))
                for name in sorted(n for n in names if n.endswith(self._suffix)):
                    self._changed(name)
        except OSError:
            return  # closed under us: the poll carries on
        finally:
            for fd in (self._fd, self._stop_r):
                with contextlib.suppress(OSError):
                    os.close(fd)

    def stop(self) -> None:
        """Stop the thread (idempotent)."""
        with contextlib.suppress(OSError):
            os.write(self._stop_w, b"x")
            os.close(self._stop_w)
        self._thread.join(timeout=1.0)


def _names(data: bytes) -> list[str]:
    names = []
    position = 0
    while position + _EVENT.size <= len(data):
        _wd, _mask, _cookie, length = _EVENT.unpack_from(data, position)
        raw = data[position + _EVENT.size : position + _EVENT.size + length]
        names.append(raw.rstrip(b"\x00").decode("utf-8", "replace"))
        position += _EVENT.size + length
    return names


def start_watching(
    folder: Path, changed: Callable[[str], object], suffix: str = ".db"
) -> Watcher | None:
    """Watch ``folder`` for writes to files ending in ``suffix``; None if inotify is missing."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)  # the C library the interpreter runs on
        fd = libc.inotify_init1(IN_NONBLOCK | IN_CLOEXEC)
    except (OSError, AttributeError):
        return None
    if fd < 0:
        return None
    if libc.inotify_add_watch(fd, os.fsencode(folder), _MASK) < 0:
        os.close(fd)
        return None
    return Watcher(fd, folder, suffix, changed)
