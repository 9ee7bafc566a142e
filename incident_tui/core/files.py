"""Creating files and directories so that nothing planted in the way can redirect a write.

Every file the tool writes is opened with ``O_NOFOLLOW`` (a symlink in its place fails the
open instead of being followed), new files with ``O_EXCL`` under an unguessable name, all of
them mode 0600; every directory the tool makes is 0700. Replacing a file is a rename of a
private temp file over it, which replaces a symlink there rather than writing through it.

Temp files carry the pid of the process that made them, so the next process to open the data
dir can remove those whose maker is gone (a crash mid-import or mid-compaction).
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import time
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)

TEMP_PATTERN = re.compile(r"^\.(?P<name>.+)\.(?P<pid>[0-9]+)(?:\.[0-9a-f]+)?\.(?:new|tmp)$")
"""``.<name>.<pid>[.<token>].new`` or ``.tmp``: what :func:`temp_path` makes (and older
versions made), with an optional ``.lock`` sidecar."""

STALE_AFTER_SECONDS = 3600.0
"""A temp file this old is left over even if its pid is in use again."""


def make_private_dir(path: Path) -> None:
    """``mkdir -p`` where every directory created is 0700; existing ones are left alone."""
    missing: list[Path] = []
    probe = path
    while not probe.exists():
        if probe.is_symlink():
            break  # a dangling link: let mkdir report it
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    for directory in reversed(missing):
        with contextlib.suppress(FileExistsError):
            os.mkdir(directory, DIR_MODE)
    if not path.is_dir():
        raise NotADirectoryError(20, "Not a directory", str(path))


def open_lock(path: Path) -> int:
    """Open (creating if needed) a lock file, never through a symlink."""
    return os.open(path, os.O_RDWR | os.O_CREAT | _NOFOLLOW | _CLOEXEC, FILE_MODE)


def open_append(path: Path, create: bool = False) -> int:
    """Open an existing file (or a new one) for appending, never through a symlink."""
    flags = os.O_WRONLY | os.O_APPEND | _NOFOLLOW | _CLOEXEC
    return os.open(path, flags | (os.O_CREAT if create else 0), FILE_MODE)


def create_new(path: Path) -> int:
    """Create ``path`` for writing; fails if anything (a file, a symlink) is already there."""
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC, FILE_MODE)


def temp_path(target: Path, suffix: str = "tmp") -> Path:
    """An unguessable temp name beside ``target``, carrying this process's pid."""
    return target.with_name(f".{target.name}.{os.getpid()}.{os.urandom(6).hex()}.{suffix}")


def write_all(fd: int, data: bytes) -> None:
    """Write every byte (a short write is retried, then reported as a full disk)."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        if written <= 0:
            raise OSError(28, "short write (disk full?)")
        view = view[written:]


def replace_file(target: Path, data: bytes, fsync: bool = True) -> None:
    """Atomically make ``target`` hold ``data`` (0600): a private temp file renamed over it.

    A symlink at ``target`` is replaced, never written through.
    """
    temp = temp_path(target)
    fd = create_new(temp)
    try:
        try:
            write_all(fd, data)
            if fsync:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def is_special(path: Path) -> bool:
    """True when ``path`` exists (following links) and is not a regular file or directory:
    a device, a FIFO, a socket, ``/dev/stdout``."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def remove_stale_temps(directory: Path) -> list[Path]:
    """Delete temp files whose maker has died (or that are over an hour old)."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        name = entry.name.removesuffix(".lock")
        match = TEMP_PATTERN.match(name)
        if match is None or not entry.is_file(follow_symlinks=False):
            continue
        try:
            age = now - entry.stat(follow_symlinks=False).st_mtime
        except OSError:
            continue
        pid = int(match.group("pid"))
        if pid == os.getpid() or (_alive(pid) and age < STALE_AFTER_SECONDS):
            continue
        with contextlib.suppress(OSError):
            os.unlink(entry.path)
            removed.append(Path(entry.path))
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True
