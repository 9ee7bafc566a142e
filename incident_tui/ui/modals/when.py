"""The "When" field of a form, apart from the forms: the IC's screen builds one per keypress
and needs none of the dialogs' widgets (TextArea, Input) to do it before its first frame."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime


@dataclass
class When:
    """The dialog's "When" field: the moment its key was pressed, which the scribe may change
    (``HH:MM``, ``-5m``, ISO-8601) before saving; Enter with it untouched keeps the keypress."""

    pressed: datetime
    """The moment the dialog's key was pressed."""
    shown: str
    """The field's text at first (the keypress as a local or UTC clock time)."""
    parse: Callable[[str], datetime]
    """Reads a typed time (raises InvalidInputError on nonsense or a future time)."""
    typed: str | None = None
    """What the field held when the form was saved (kept when a failed save reopens it)."""
    chosen: datetime | None = None
    """The moment saved with: the keypress, or the time typed."""
