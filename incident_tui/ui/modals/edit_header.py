"""``e``: edit the incident's header: title, impact, summary and the AAR date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from textual.app import ComposeResult
from textual.widgets import Input

from incident_tui.ui.modals.base import FormModal, labelled


@dataclass(frozen=True)
class HeaderDraft:
    """The header's editable fields as typed (the AAR date as ``YYYY-MM-DD`` or empty)."""

    title: str
    impact: str = ""
    summary: str = ""
    aar_date: str = ""

    def changes_from(self, before: HeaderDraft) -> dict[str, Any]:
        """The fields that differ from ``before``, ready for the edit operation."""
        changes: dict[str, Any] = {}
        for name in ("title", "impact", "summary"):
            if getattr(self, name) != getattr(before, name):
                changes[name] = getattr(self, name)
        if self.aar_date.strip() != before.aar_date.strip():
            changes["aar_date"] = date.fromisoformat(self.aar_date.strip())
        return changes


class EditHeaderModal(FormModal[HeaderDraft]):
    """The header's fields, prefilled; only what changed is saved (and logged old -> new)."""

    TITLE_TEXT = "Edit the incident"

    def __init__(self, draft: HeaderDraft, error: str = "") -> None:
        super().__init__(error)
        self.draft = draft

    def compose_fields(self) -> ComposeResult:
        yield labelled("Title")
        yield Input(self.draft.title, id="title")
        yield labelled("Customer impact")
        yield Input(self.draft.impact, placeholder="who is affected and how", id="impact")
        yield labelled("Summary")
        yield Input(self.draft.summary, placeholder="one line for the AAR", id="summary")
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
        return HeaderDraft(
            title=self.value("title"),
            impact=self.value("impact"),
            summary=self.value("summary"),
            aar_date=aar,
        )
