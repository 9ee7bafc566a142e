"""What the app remembers between runs about how it looks (the theme), in the state dir.

A small JSON file, written atomically at 0600 in a 0700 folder. A missing or broken file
means the defaults; it is never an error worth stopping for.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

PREFERENCES_NAME = "ui.json"


@dataclass(frozen=True)
class Preferences:
    """The remembered look of the app."""

    theme: str | None = None
    """The Textual theme chosen last (None: the default)."""


def preferences_path(state_dir: Path | None = None) -> Path:
    """Where the preferences live: ``ui.json`` in the state dir."""
    from incident_tui.core.clipboard import default_state_dir

    return (state_dir or default_state_dir()) / PREFERENCES_NAME


def load_preferences(path: Path | None = None) -> Preferences:
    """The preferences saved last; the defaults when there are none or they cannot be read."""
    path = path or preferences_path()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Preferences()
    theme = raw.get("theme") if isinstance(raw, dict) else None
    return Preferences(theme=theme if isinstance(theme, str) and theme else None)


def save_preferences(preferences: Preferences, path: Path | None = None) -> Path:
    """Write the preferences atomically (0600; the folder 0700). Raises ``OSError``."""
    path = path or preferences_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, json.dumps({"theme": preferences.theme}).encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(temp, path)
    return path
