"""What changes when the app runs in a browser tab (``incident-tui serve``).

Files and the clipboard belong to the person at the browser, not to the server: the export
is delivered as a download, and copies go to the browser's clipboard (OSC 52, which the
page's terminal hands to the browser). Nothing here names a server path.
"""

from __future__ import annotations

import io
from datetime import datetime

from textual.app import App

from incident_tui.core.models import IncidentRecord

BROWSER_CLIPBOARD = "browser clipboard"
"""The copy method named in toasts and comms events for a served app."""

BROWSER_COPY_NOTE = (
    "Sent to your browser's clipboard; the browser cannot confirm it. "
    "If paste gives something else, select the text below."
)
"""The manual-copy dialog's note in a browser: no server path, no terminal hints."""


def deliver_export(app: App[object], record: IncidentRecord, now: datetime) -> str:
    """Send the Markdown summary to the browser as a download; returns the file's name."""
    from incident_tui.core.export import to_markdown

    name = f"{record.incident.id}.md"
    app.deliver_text(
        io.StringIO(to_markdown(record, now)),
        save_filename=name,
        open_method="download",
        mime_type="text/markdown",
        encoding="utf-8",
    )
    return name


def copy_in_browser(app: App[object], text: str) -> None:
    """Put ``text`` on the browser's clipboard (the page relays OSC 52 to it)."""
    app.copy_to_clipboard(text)
