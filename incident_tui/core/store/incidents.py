"""The incident store: the only module that knows TinyDB. Everything else speaks in models.

Layout under the data dir::

    incidents/INC-20261128-1.db   one journal-backed TinyDB file per incident
    index.db                      a cache of each incident's header, keyed by file identity
    .lock                         held while a new incident id is chosen

Past incidents are never loaded or rewritten when a new one is written; ``list`` stats every
incident file and re-reads only those whose size, mtime or inode changed since they were
indexed. The index is only a cache: deleted, stale or damaged, it rebuilds itself.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import os
import re
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

from incident_tui.core import files
from incident_tui.core.clock import Clock, SystemClock
from incident_tui.core.errors import InvalidInputError, StoreError, UnknownIncidentError
from incident_tui.core.models import Incident, IncidentRecord
from incident_tui.core.schema import INCIDENT_ID, SchemaError, read_incident
from incident_tui.core.store.incident_file import IncidentFile, IncidentWriter, new_id
from incident_tui.core.store.incident_reader import EVENT_DIGEST, HEADER_DOC, T_INCIDENT
from incident_tui.core.store.index import IncidentIndex, IncidentSummary
from incident_tui.core.store.journal_format import last_document
from incident_tui.core.store.storage import JournalDB, create_db, open_db

ENV_DATA_DIR = "INCIDENT_TUI_DATA_DIR"
ENV_AUTHOR = "INCIDENT_TUI_AUTHOR"
_ID_SUFFIX = re.compile(r"[A-Z0-9-]+\Z")

__all__ = [
    "ENV_AUTHOR",
    "ENV_DATA_DIR",
    "INCIDENT_ID",
    "IncidentFile",
    "IncidentStore",
    "IncidentSummary",
    "IncidentWriter",
    "default_author",
    "default_data_dir",
    "new_id",
]


def default_data_dir() -> Path:
    """``$INCIDENT_TUI_DATA_DIR`` if set, else the platform's user data dir."""
    override = os.environ.get(ENV_DATA_DIR)
    if override:
        return Path(override).expanduser()
    import platformdirs

    return platformdirs.user_data_path("incident-tui", appauthor=False)


def default_author() -> str:
    """Who is typing: ``$INCIDENT_TUI_AUTHOR``, else the login name."""
    override = os.environ.get(ENV_AUTHOR)
    if override:
        # An undecodable byte in the environment must not reach the file as a lone surrogate.
        return override.encode("utf-8", "replace").decode("utf-8")
    import getpass  # here: an author set in the environment never needs it

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


class IncidentStore:
    """All incidents under one data dir."""

    def __init__(
        self,
        data_dir: Path | None = None,
        clock: Clock | None = None,
        author: str | None = None,
        fsync: bool = True,
    ) -> None:
        self.data_dir = (data_dir or default_data_dir()).expanduser()
        self.clock: Clock = clock or SystemClock()
        self.author = author or default_author()
        self._fsync = fsync
        self._open: dict[str, IncidentFile] = {}
        if self.data_dir.exists() and not self.data_dir.is_dir():
            raise StoreError(f"{self.data_dir}: cannot create the data dir (a file is in the way)")
        try:
            files.make_private_dir(self.incidents_dir)  # and the data dir, 0700
        except OSError as exc:
            raise StoreError(f"{self.incidents_dir}: cannot create ({exc.strerror})") from None
        # Temp files of a process that died mid-import or mid-compaction.
        files.remove_stale_temps(self.incidents_dir)
        files.remove_stale_temps(self.data_dir)
        self._index = IncidentIndex(self.data_dir, self._dir_lock, self._replay_header)

    @property
    def incidents_dir(self) -> Path:
        """Where the incident files live."""
        return self.data_dir / "incidents"

    def path_for(self, incident_id: str) -> Path:
        """The file of one incident (which may not exist)."""
        return self.incidents_dir / f"{incident_id}.db"

    def _open_db(self, path: Path) -> JournalDB:
        """An existing incident file, its checkpoints keeping the events' facts."""
        return open_db(path, create=False, fsync=self._fsync, digester=EVENT_DIGEST)

    def _handle(self, incident_id: str, db: JournalDB) -> IncidentFile:
        # Look ``new_id`` up at call time so a test can pin ids by patching this module.
        return IncidentFile(incident_id, db, self.clock, self.author, lambda: new_id())

    @contextlib.contextmanager
    def _dir_lock(self) -> Iterator[None]:
        try:
            fd = files.open_lock(self.data_dir / ".lock")
        except OSError as exc:
            raise StoreError(f"{self.data_dir}: cannot lock ({exc.strerror})") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    # -- opening -------------------------------------------------------------------------

    def open(self, incident_id: str, read_all: bool = True) -> IncidentFile:
        """Open an existing incident by id (case-insensitive; a unique suffix like ``3`` works).

        With ``read_all`` the whole incident is read and its shape checked now, with a clear
        error; without, only its header is (a command that adds one event needs no more),
        and the rest is read and checked when first asked for.
        """
        resolved = self.resolve_id(incident_id)
        cached = self._open.get(resolved)
        if cached is not None:
            return cached
        path = self.path_for(resolved)
        db = self._open_db(path)
        handle = self._handle(resolved, db)
        if read_all:
            handle.record()
        else:
            handle.header()
        self._open[resolved] = handle
        return handle

    def resolve_id(self, incident_id: str | None) -> str:
        """Turn a user's id (or None: the latest open incident) into an existing id.

        Accepts the full id in any case, or a suffix that starts after a ``-`` (``3``,
        ``20261128-3``); a suffix that fits several incidents is an error, not a guess.
        """
        if incident_id is None:
            latest = self.latest_open()
            if latest is None:
                raise UnknownIncidentError(
                    "no open incident; declare one with: incident-tui new TITLE"
                )
            return latest
        wanted = incident_id.strip().upper()
        if not wanted or not _ID_SUFFIX.match(wanted):
            raise UnknownIncidentError(f"no incident {incident_id!r} in {self.data_dir}")
        if INCIDENT_ID.match(wanted) and self.path_for(wanted).exists():
            return wanted
        tail = "-" + wanted.lstrip("-")
        candidates = [p.stem for p in self._incident_files() if p.stem.endswith(tail)]
        if len(candidates) == 1:
            return candidates[0]
        if candidates:
            raise UnknownIncidentError(
                f"incident id {incident_id!r} is ambiguous: {', '.join(candidates)}"
            )
        raise UnknownIncidentError(f"no incident {incident_id!r} in {self.data_dir}")

    def _incident_files(self) -> list[Path]:
        return sorted(p for p in self.incidents_dir.glob("INC-*.db") if INCIDENT_ID.match(p.stem))

    # -- creating and importing ---------------------------------------------------------

    def create(self, fill: Callable[[IncidentWriter, str], None]) -> IncidentFile:
        """Create the next ``INC-<local date>-<n>`` incident, complete, in one write.

        ``fill`` gets a writer on the new, empty file and the id chosen for it, and puts the
        header and first events (the declare operation decides what goes in).
        """
        now = self.clock.now()

        def fill_file(incident_id: str, db: JournalDB) -> None:
            handle = self._handle(incident_id, db)
            fill(IncidentWriter(handle, db, now, self.author, handle._make_id), incident_id)

        return self._open_new(self._create_numbered(now, fill_file))

    def _create_numbered(self, now: datetime, fill: Callable[[str, JournalDB], None]) -> str:
        """Create the next ``INC-<local date>-<n>`` file, complete, and return its id."""
        day = now.astimezone().strftime("%Y%m%d")
        with self._dir_lock():
            taken = [
                int(m.group(2))
                for p in self.incidents_dir.glob(f"INC-{day}-*.db")
                if (m := INCIDENT_ID.match(p.stem))
            ]
            number = max(taken, default=0) + 1
            while True:  # a file made without the lock (by hand?) just moves us on
                incident_id = f"INC-{day}-{number}"
                path = self.path_for(incident_id)
                if create_db(path, functools.partial(fill, incident_id), fsync=self._fsync):
                    self._note_created(incident_id)
                    return incident_id
                number += 1

    def _open_new(self, incident_id: str) -> IncidentFile:
        db = self._open_db(self.path_for(incident_id))
        handle = self._handle(incident_id, db)
        self._open[incident_id] = handle
        return handle

    def import_record(self, record: IncidentRecord) -> IncidentFile:
        """Recreate an exported incident exactly, under its own id."""
        incident_id = record.incident.id
        if not INCIDENT_ID.match(incident_id):
            raise InvalidInputError(f"bad incident id in record: {incident_id!r}")

        def fill(db: JournalDB) -> None:
            handle = self._handle(incident_id, db)
            IncidentWriter(handle, db, self.clock.now(), self.author, new_id).put_record(record)

        if not create_db(self.path_for(incident_id), fill, fsync=self._fsync):
            raise InvalidInputError(f"incident {incident_id} already exists in {self.data_dir}")
        return self._open_new(incident_id)

    # -- listing -------------------------------------------------------------------------

    def list_incidents(self, include_closed: bool = False) -> list[IncidentSummary]:
        """Incidents newest first, from the index; re-reads only files that changed.

        Newest means declared last on this machine (the order they were created in), so a
        clock that steps back cannot make an older incident the "latest"; incidents this
        data dir has no creation order for (imported, or from older versions) come before
        those, by when they were declared.
        """
        files = self._incident_files()
        summaries = [s for s in self._index.summaries(files) if include_closed or s.status.is_open]
        created = self._creation_order()
        return sorted(
            summaries,
            key=lambda s: (created.get(s.id, 0), s.declared_at, s.id),
            reverse=True,
        )

    @property
    def unreadable(self) -> list[str]:
        """One line for each incident file the last listing could not read (and left out)."""
        return list(self._index.unreadable.values())

    @property
    def index_stale(self) -> str | None:
        """Why the index could not be used or written, if it could not (reads still work)."""
        return self._index.stale

    @property
    def _order_path(self) -> Path:
        return self.incidents_dir / ".created"

    def _creation_order(self) -> dict[str, int]:
        """Each declared incident's place in the order it was created (1 is the first)."""
        try:
            lines = self._order_path.read_bytes().decode("utf-8", "replace").split()
        except OSError:
            return {}
        return {incident_id: place for place, incident_id in enumerate(lines, start=1)}

    def _note_created(self, incident_id: str) -> None:
        """Append to the creation order (under the dir lock); a failure only loses order."""
        with contextlib.suppress(OSError):
            fd = files.open_append(self._order_path, create=True)
            try:
                files.write_all(fd, f"{incident_id}\n".encode())
            finally:
                os.close(fd)

    def latest_open(self) -> str | None:
        """The most recently declared incident that is not closed."""
        open_ones = self.list_incidents()
        return open_ones[0].id if open_ones else None

    def _replay_header(self, path: Path) -> Incident:
        """An incident's header by replaying its file (or from the handle already open)."""
        handle = self._open.get(path.stem)
        if handle is None:
            handle = self._handle(path.stem, self._open_db(path))
        return handle._fresh_header()

    def peek_header(self, incident_id: str) -> Incident | None:
        """An incident's header read cheaply from the end of its file, without a replay.

        None when it cannot be had cheaply (no such file, an unusual last write): the caller
        then opens the incident, which gives the proper error.
        """
        raw = last_document(self.path_for(incident_id), T_INCIDENT, str(HEADER_DOC))
        if raw is None:
            return None
        try:
            return read_incident(raw)
        except SchemaError:
            return None
