"""The one place the screen's actions meet the store: open, poll, write, export.

Every write is one call into :mod:`incident_tui.core.operations`; no rule lives here."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from incident_tui.core import operations as ops
from incident_tui.core.clock import Clock
from incident_tui.core.errors import UnknownIncidentError
from incident_tui.core.models import ActionItem, Incident, IncidentRecord, Role, Severity, Status
from incident_tui.core.store import IncidentFile, IncidentStore, IncidentSummary

if TYPE_CHECKING:  # the drafts come with their dialogs, which load on first use
    from incident_tui.core.config import Config
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


def _index_header(listed: IncidentSummary) -> Incident | None:
    """The header for the first frame from the index, when the index has all it needs."""
    if not listed.status.is_active:
        return None
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
        self._config: Config | None = None

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
            header = None
            if big:
                header = _index_header(listed) if listed else None
                header = header or self.store.peek_header(incident_id)
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

    # -- writing: one method per operation, each a call into core.operations ----------------

    @property
    def config(self) -> Config:
        """The user's config (default severity, AAR window), read on first use."""
        if self._config is None:
            from incident_tui.core.config import load_config

            self._config = load_config().config
        return self._config

    def default_severity(self) -> Severity:
        """The severity the declare form starts at (from config; SEV-1 by default)."""
        return self.config.default_severity

    def declare(self, draft: DeclareDraft) -> IncidentRecord:
        """Declare a new incident from the form and make it the open one."""
        from incident_tui.core.timeparse import parse_time

        detected: datetime | None = None
        if draft.detected_at.strip():
            detected = parse_time(draft.detected_at, self.clock.now())
        self.incident = ops.declare(
            self.store,
            draft.title,
            severity=draft.severity,
            impact=draft.impact,
            source=draft.source,
            detected_at=detected,
            responder=draft.responder,
        )
        return self.incident.record()

    def log_event(self, draft: EventDraft, at: datetime | None = None) -> None:
        """Append a timeline event at ``at`` (the dialog's When), else at the time captured
        when ``t`` was pressed."""
        ops.log(self._file(), draft.text, kind=draft.kind, at=at or draft.occurred_at)

    def amend(self, event_id: str, text: str, at: datetime | None = None) -> None:
        """Correct an event's text (append-only)."""
        ops.amend(self._file(), event_id, text, at=at)

    def strike(self, event_id: str, why: str, at: datetime | None = None) -> None:
        """Strike an event written in error (append-only)."""
        ops.strike(self._file(), event_id, why, at=at)

    def decide(self, draft: DecisionDraft, at: datetime | None = None) -> None:
        """Record a decision."""
        ops.decide(
            self._file(),
            draft.what,
            why=draft.why,
            decided_by=draft.decided_by,
            rubric=draft.rubric,
            answer=draft.answer,
            at=at,
        )

    def add_action_item(
        self, draft: ActionItemDraft, due: datetime | None = None, at: datetime | None = None
    ) -> None:
        """Add a follow-up action item; its due time is ``due``, or the one typed in the form."""
        if due is None and draft.due.strip():
            from incident_tui.core.timeparse import parse_due

            due = parse_due(draft.due, self.clock.now())
        ops.add_action_item(self._file(), draft.text, owner=draft.owner, due=due, at=at)

    def complete_action_item(
        self, item_id: str, done: bool = True, at: datetime | None = None
    ) -> ActionItem:
        """Tick (or reopen) an action item; returns it as stored."""
        return ops.complete_action_item(self._file(), item_id, done=done, at=at)

    def edit_action_item(
        self, item_id: str, before: ActionItemDraft, after: ActionItemDraft
    ) -> ActionItem:
        """Save what the edit form changed (only those fields); returns the item as stored."""
        from incident_tui.core.timeparse import parse_due

        typed = after.due.strip()
        changed = typed != before.due.strip()
        return ops.edit_action_item(
            self._file(),
            item_id,
            text=after.text if after.text != before.text else None,
            owner=after.owner if after.owner != before.owner else None,
            due=parse_due(typed, self.clock.now()) if changed and typed else None,
            clear_due=changed and not typed,
        )

    def assign_role(self, draft: RoleDraft, at: datetime | None = None) -> None:
        """Give a role to someone (a handoff if it was held)."""
        ops.assign_role(self._file(), draft.role, draft.name, at=at)

    def release_role(self, role: Role, name: str, at: datetime | None = None) -> None:
        """Someone gives a role up."""
        ops.release_role(self._file(), role, name, at=at)

    def set_severity(self, draft: SeverityDraft, at: datetime | None = None) -> None:
        """Change severity with its reason."""
        ops.set_severity(self._file(), draft.severity, draft.reason, at=at)

    def set_status(self, draft: StatusDraft, at: datetime | None = None) -> None:
        """Move to a new status (closing is :meth:`close`)."""
        ops.set_status(self._file(), draft.status, draft.note, at=at)

    def acknowledge(self, at: datetime | None = None) -> None:
        """Acknowledge the incident, by whoever runs the app."""
        ops.acknowledge(self._file(), at=at)

    def apply_mitigation(self, what: str, at: datetime | None = None) -> None:
        """A mitigation was applied."""
        ops.apply_mitigation(self._file(), what, at=at)

    def verify_mitigation(self, how: str, at: datetime | None = None) -> None:
        """The mitigation was verified: milestone and criterion, in one write."""
        ops.verify_mitigation(self._file(), how, at=at)

    def tick_criteria(self, ticked: dict[str, bool], at: datetime | None = None) -> None:
        """Tick or untick resolution criteria (those already so are left alone)."""
        incident = self._file()
        stored = incident.incident.checklist
        for key, done in ticked.items():
            if stored.get(key, False) != done:
                ops.tick_criterion(incident, key, done, at=at)

    def close(self, aar_date: date, at: datetime | None = None) -> None:
        """Close the incident with its AAR date, in one write."""
        ops.close(self._file(), aar_date, at=at, window=self.config.aar)

    def reopen(
        self, at: datetime | None = None, status: Status = Status.INVESTIGATING, note: str = ""
    ) -> None:
        """Reopen the closed incident on screen (investigating again, unless told otherwise)."""
        ops.reopen(self._file(), status=status, note=note, at=at)

    def edit_header(self, at: datetime | None = None, **changes: Any) -> None:
        """Change title, impact, summary, source or AAR date."""
        ops.edit_header(self._file(), at=at, window=self.config.aar, **changes)

    def sign_as(self, author: str) -> None:
        """Every event written from here on (this incident or another) carries ``author``."""
        self.store.author = author
        if self.incident is not None:
            self.incident.author = author

    def record_update(
        self,
        audience: str,
        text: str,
        summary: str | None = None,
        details: dict[str, Any] | None = None,
        at: datetime | None = None,
    ) -> None:
        """Record an update sent to an audience (restarts its countdown)."""
        ops.record_update(self._file(), audience, text, at=at, summary=summary, details=details)

    def snooze(self, audience: str, minutes: int, at: datetime | None = None) -> None:
        """Push one audience's update reminder back."""
        ops.snooze(self._file(), audience, minutes, at=at)

    def dismiss_nudge(
        self, key: str, config: Config | None = None, at: datetime | None = None
    ) -> None:
        """Dismiss an active nudge for its current episode (judged by ``config``'s cadence)."""
        ops.dismiss_nudge(self._file(), key, at=at, config=config)

    def holders(self) -> dict[Role, list[str]]:
        """Who holds each role now."""
        record = self.record()
        return record.current_roles() if record else {role: [] for role in Role}

    def export_markdown(self, utc: bool = False) -> Path:
        """Write the incident summary to ``<data dir>/exports/<ID>.md`` (0600, atomic); times
        in UTC when ``utc``, else local."""
        from datetime import UTC

        record = self._file().record()
        path = ops.default_path(self.store.data_dir, record, "md")
        tz = UTC if utc else None
        return ops.export(record, path, self.clock.now(), "md", make_folder=True, tz=tz)
