"""What a served app process learns from the server: that it runs in a browser, and as whom.

The server sets these variables for each app process it starts; nothing else here imports
aiohttp or textual-serve, so the app can read them at no cost.
"""

from __future__ import annotations

import os

ENV_BROWSER = "INCIDENT_TUI_BROWSER"
"""Set to ``writer`` or ``viewer`` in an app process started by ``incident-tui serve``."""

NAME_LIMIT = 40
"""The longest name a browser user may give (it goes in the timeline's author column)."""


def in_browser() -> bool:
    """True in an app process that ``incident-tui serve`` started for a browser tab."""
    return os.environ.get(ENV_BROWSER, "") in ("writer", "viewer")


def clean_name(raw: str) -> str | None:
    """A browser user's name made safe for the record, or None if nothing usable is left.

    One line, no control or format characters, at most :data:`NAME_LIMIT` characters.
    """
    import unicodedata

    kept = "".join(
        " " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch for ch in raw
    )
    name = " ".join(kept.split())[:NAME_LIMIT].strip()
    return name or None
