"""The one place the screen's actions meet the store: open, poll, write, export."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from incident_tui.core.clock import Clock
from incident_tui.core.errors import StoreError, UnknownIncidentError
from incident_tui.core.files import make_private_dir, replace_file
from incident_tui.core.models import Incident, IncidentRecord, Role, Status
from incident_tui.core.schema import SchemaError, read_incident
from incident_tui.core.store import IncidentFile, IncidentStore, IncidentSummary
from incident_tui.core.store.incident_reader import HEADER_DOC, T_INCIDENT
from incident_tui.core.store.journal_format import last_document

if TYPE_CHECKING:  # the drafts come with their dialogs, which load on first use
    from incident_tui.ui.modals.action_item import ActionItemDraft
    from incident_tui.ui.modals.decision import DecisionDraft
    from incident_tui.ui.modals.declare import DeclareDraft
    from incident_tui.ui.modals.event import EventDraft
    from incident_tui.ui.modals.role import RoleDraft
    from incident_tui.ui.modals.severity import SeverityDraft
    from incident_tui.ui.modals.status import StatusDraft

LOAD_IN_BACKGROUND_BYTES = 256 * 1024
"""Files at least this big (about a thousand events) are read after the first frame.

Below it a full read takes a few milliseconds and the screen opens complete; above it the
screen opens on the header alone and the timeline follows (about 80 ms at 10,000 events).
"""


def _header_of(listed: IncidentSummary | None, path: Path) -> Incident | None:
    """The header for the first frame, as cheaply as it can be had (None: not cheaply)."""
    if listed is not None and listed.status in (
        Status.INVESTIGATING,
        Status.IDENTIFIED,
        Status.MONITORING,
    ):
        # The index, already read to find the incident, has all the header strip shows: an
        # incident in these states has no resolved_at (reopening clears it). The fields it
        # lacks keep their defaults until the full record replaces this a moment later.
        return Incident(
            id=listed.id,
            title=listed.title,
            severity=listed.severity,
            status=listed.status,
            detected_at=listed.detected_at,
            declared_at=listed.declared_at,
        )
    raw = last_document(path, T_INCIDENT, str(HEADER_DOC))
    if raw is None:
        return None
    try:
        return read_incident(raw)
    except SchemaError:
        return None  # the full open says what is wrong with it


class IncidentController:
    """Holds the open incident; every write goes through here and may raise ``IncidentError``.

    Writes are synchronous (about a millisecond each) so the record on screen is never behind
    what was typed; errors propagate so the screen can keep the typed text and say why.
    """

    def __init__(self, store: IncidentStore, clock: Clock) -> None:
        self.store = store
        self.clock = clock
        self.incident: IncidentFile | None = None
        """The incident on screen, or None before one is declared (or while it loads)."""
        self.pending_id: str | None = None
        """The incident being read in the background, if any (see open_header_first)."""

    # -- opening and reading ------------------------------------------------------------

    def open(self, incident_id: str | None) -> IncidentRecord | None:
        """Open ``incident_id``, or the latest open incident when None (None if there is none)."""
        if incident_id is None:
            latest = self.store.latest_open()
            if latest is None:
                self.incident = None
                return None
            incident_id = latest
        self.incident = self.store.open(incident_id)
        return self.incident.record()

    def open_header_first(
        self, incident_id: str | None, min_bytes: int = LOAD_IN_BACKGROUND_BYTES
    ) -> Incident | None:
        """Begin opening ``incident_id`` (None: the latest open incident).

        A small file is opened at once and None returned. A file of ``min_bytes`` or more
        gets only its header read, from the end of the file, and that header is returned:
        the caller shows it and calls :meth:`finish_open` (from a worker thread) for the
        rest. Anything unusual (no such file, a header that cannot be read cheaply) falls back
        to opening at once, which raises the proper error.
        """
        self.pending_id = None
        listed: IncidentSummary | None = None
        if incident_id is None:
            open_ones = self.store.list_incidents()
            listed = open_ones[0] if open_ones else None
            incident_id = listed.id if listed else None
        if incident_id is not None:
            path = self.store.path_for(incident_id)
            try:
                big = path.stat().st_size >= min_bytes
            except OSError:
                big = False  # e.g. a short id like "3": the full open resolves it
            header = _header_of(listed, path) if big else None
            if header is not None:
                self.incident = None
                self.pending_id = incident_id
                return header
        self.open(incident_id)
        return None

    def finish_open(self) -> tuple[IncidentFile, IncidentRecord]:
        """Read the incident :meth:`open_header_first` deferred; safe in a worker thread.

        Only reads: the caller hands the result to :meth:`opened` on the UI thread, so the
        screen never sees a half-open incident. Raises ``IncidentError`` like :meth:`open`.
        """
        if self.pending_id is None:
            raise UnknownIncidentError("no incident is waiting to be opened")
        incident = self.store.open(self.pending_id)
        return incident, incident.record()

    def opened(self, incident: IncidentFile) -> None:
        """Make the incident read by :meth:`finish_open` the open one."""
        self.incident = incident
        self.pending_id = None

    def record(self) -> IncidentRecord | None:
        """The open incident as it is on disk now."""
        return self.incident.record() if self.incident else None

    def poll(self) -> IncidentRecord | None:
        """The new record if the file changed since last read (one ``stat``), else None."""
        if self.incident is None or not self.incident.changed():
            return None
        return self.incident.record()

    def open_incidents(self) -> list[IncidentSummary]:
        """Every open incident, newest first."""
        return self.store.list_incidents()

    def _file(self) -> IncidentFile:
        if self.incident is None:
            raise UnknownIncidentError("no incident open; press i to declare one")
        return self.incident

    # -- writing --------------------------------------------------------------------------

    def declare(self, draft: DeclareDraft) -> IncidentRecord:
        """Declare a new incident from the form and make it the open one."""
        from incident_tui.core.timeparse import parse_time

        detected: datetime | None = None
        if draft.detected_at.strip():
            detected = parse_time(draft.detected_at, self.clock.now())
        self.incident = self.store.declare(
            draft.title,
            severity=draft.severity,
            impact=draft.impact,
            source=draft.source,
            detected_at=detected,
            responder=draft.responder,
        )
        return self.incident.record()

    def log_event(self, draft: EventDraft) -> None:
        """Append a timeline event at the time captured when ``t`` was pressed."""
        self._file().log(draft.text, kind=draft.kind, occurred_at=draft.occurred_at)

    def decide(self, draft: DecisionDraft) -> None:
        """Record a decision."""
        self._file().decide(
            draft.what,
            why=draft.why,
            decided_by=draft.decided_by,
            rubric=draft.rubric,
            answer=draft.answer,
        )

    def add_action_item(self, draft: ActionItemDraft) -> None:
        """Add a follow-up action item."""
        self._file().add_action_item(draft.text, owner=draft.owner)

    def assign_role(self, draft: RoleDraft) -> None:
        """Give a role to someone (a handoff if it was held)."""
        self._file().assign_role(draft.role, draft.name)

    def set_severity(self, draft: SeverityDraft) -> None:
        """Change severity with its reason."""
        self._file().set_severity(draft.severity, draft.reason)

    def set_status(self, draft: StatusDraft) -> None:
        """Move to a new status."""
        self._file().set_status(draft.status, draft.note)

    def holders(self) -> dict[Role, list[str]]:
        """Who holds each role now."""
        record = self.record()
        return record.current_roles() if record else {role: [] for role in Role}

    def export_markdown(self) -> Path:
        """Write the incident summary to ``<data dir>/exports/<ID>.md`` and return the path."""
        from incident_tui.core.export import to_markdown

        incident = self._file()
        text = to_markdown(incident.record(), self.clock.now())
        path = self.store.data_dir / "exports" / f"{incident.id}.md"
        try:
            make_private_dir(path.parent)
            replace_file(path, text.encode("utf-8"))  # never through a planted symlink
        except OSError as exc:
            raise StoreError(f"{path}: cannot write the export ({exc.strerror or exc})") from None
        return path
