"""Export: the incident summary (Markdown) or the complete record (JSON), written safely.

One function for the CLI's ``export -o`` and the app's ``x``: the file is written under a
temporary name and renamed into place (never half a file), is readable by its owner only
(0600), and a symlink planted at the target is refused, never followed. A folder it creates
is 0700.
"""

from __future__ import annotations

import contextlib
import os
import stat
from datetime import datetime, tzinfo
from pathlib import Path

from incident_tui.core.errors import InvalidInputError, StoreError
from incident_tui.core.files import make_private_dir
from incident_tui.core.models import IncidentRecord

FORMATS = ("md", "json")


def render(record: IncidentRecord, fmt: str, now: datetime, tz: tzinfo | None = None) -> str:
    """The export's text: ``md`` (the AAR summary, in ``tz`` or local time) or ``json`` (the
    whole record)."""
    from incident_tui.core.export import to_json, to_markdown

    if fmt == "md":
        return to_markdown(record, now, tz)
    if fmt == "json":
        return to_json(record)
    raise InvalidInputError(f"unknown export format {fmt!r}; choose one of: {', '.join(FORMATS)}")


def default_path(data_dir: Path, record: IncidentRecord, fmt: str = "md") -> Path:
    """Where the app puts an export: ``<data dir>/exports/<ID>.<fmt>``."""
    return data_dir / "exports" / f"{record.incident.id}.{fmt}"


def export(
    record: IncidentRecord,
    path: Path,
    now: datetime,
    fmt: str = "md",
    make_folder: bool = False,
    tz: tzinfo | None = None,
) -> Path:
    """Render ``record`` and write it to ``path`` safely; returns the path written.

    ``make_folder``: create the folder (0700) if missing; the app's own ``exports`` folder is
    made this way, while a folder the user named must already exist.
    """
    write_private(path, render(record, fmt, now, tz), make_folder)
    return path


def write_private(path: Path, text: str, make_folder: bool = False) -> None:
    """Write ``text`` to ``path`` atomically, mode 0600, never through a symlink."""
    where = path.parent
    try:
        if make_folder:
            make_private_dir(where)  # every folder it makes (parents too) is 0700
            os.chmod(where, 0o700)
        target = os.lstat(path) if os.path.lexists(path) else None
    except OSError as exc:
        raise StoreError(f"{where}: cannot create the folder ({exc.strerror or exc})") from None
    if target is not None and stat.S_ISLNK(target.st_mode):
        raise StoreError(f"{path}: cannot write (a symbolic link; refusing to follow it)")
    if target is not None and not stat.S_ISREG(target.st_mode):
        raise StoreError(f"{path}: cannot write (not a regular file)")
    import tempfile  # here, not at the top: it pulls in shutil, bz2 and lzma, which `log` skips

    try:
        fd, temp = tempfile.mkstemp(dir=where, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise StoreError(f"{path}: cannot write ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            os.fchmod(handle.fileno(), 0o600)
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        # rename replaces the directory entry itself: even a symlink planted since the check
        # above is replaced, not followed.
        os.replace(temp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise StoreError(f"{path}: cannot write ({exc.strerror or exc})") from None
