"""``e``: edit the incident's header: title, impact, the fields the updates are written from
(scope, status note, workaround, ETA, data at risk), summary and the AAR date."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from textual.app import ComposeResult
from textual.widgets import Input

from incident_tui.ui.modals.base import FormModal, labelled

TEXT_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("title", "Title", ""),
    ("impact", "Customer impact", "who is affected and how"),
    ("scope", "Customer-facing scope", "a noun phrase: card payments for EU customers"),
    ("status_note", "Status note / hypothesis", "what we think is going on"),
    ("workaround", "Workaround", "what affected users can do meanwhile"),
    ("eta", "ETA", "e.g. 16:30 UTC; empty for no ETA yet"),
    ("data_at_risk", "Data at risk", "which data may be lost or wrong"),
    ("summary", "Summary", "one line for the AAR"),
)
"""The header's text fields in the dialog's order: (id, label, placeholder)."""


@dataclass(frozen=True)
class HeaderDraft:
    """The header's editable fields as typed (the AAR date as ``YYYY-MM-DD`` or empty)."""

    title: str
    impact: str = ""
    scope: str = ""
    status_note: str = ""
    workaround: str = ""
    eta: str = ""
    data_at_risk: str = ""
    summary: str = ""
    aar_date: str = ""

    @classmethod
    def of(cls, header: Any) -> HeaderDraft:
        """The draft for an incident's header as it is now."""
        aar = header.aar_date.isoformat() if header.aar_date else ""
        return cls(**{name: getattr(header, name) for name, _, _ in TEXT_FIELDS}, aar_date=aar)

    def changes_from(self, before: HeaderDraft) -> dict[str, Any]:
        """The fields that differ from ``before``, ready for the edit operation."""
        changes: dict[str, Any] = {}
        for name in (f.name for f in fields(self) if f.name != "aar_date"):
            if getattr(self, name).strip() != getattr(before, name).strip():
                changes[name] = getattr(self, name)
        if self.aar_date.strip() != before.aar_date.strip():
            changes["aar_date"] = date.fromisoformat(self.aar_date.strip())
        return changes


class EditHeaderModal(FormModal[HeaderDraft]):
    """The header's fields, prefilled; only what changed is saved (and logged old -> new)."""

    TITLE_TEXT = "Edit the incident"
    DEFAULT_CLASSES = "compact"

    def __init__(self, draft: HeaderDraft, error: str = "") -> None:
        super().__init__(error)
        self.draft = draft

    def compose_fields(self) -> ComposeResult:
        for name, label, placeholder in TEXT_FIELDS:
            yield labelled(label)
            yield Input(getattr(self.draft, name), placeholder=placeholder, id=name)
        yield labelled("AAR date (YYYY-MM-DD)")
        yield Input(self.draft.aar_date, placeholder="e.g. 2026-12-05", id="aar")

    def collect(self) -> HeaderDraft | None:
        if not self.value("title").strip():
            self.complain("The title cannot be empty (or Esc to cancel).")
            return None
        aar = self.value("aar").strip()
        if aar:
            try:
                date.fromisoformat(aar)
            except ValueError:
                self.complain(f"cannot read date {aar!r}; use YYYY-MM-DD")
                return None
        typed = {name: self.value(name) for name, _, _ in TEXT_FIELDS}
        return HeaderDraft(**typed, aar_date=aar)
