"""Hostile text and the checks every output must pass: no raw control byte, no traceback."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner
from hypothesis import strategies as st

from incident_tui.cli import main

FROZEN = "2026-11-28T14:00:00+00:00"

RAW_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
"""What must never reach a terminal, clipboard or document: C0 (bar tab and newline), DEL,
C1, bidi controls and lone surrogates."""

NASTY_PIECES = [
    "\x1b]52;c;aGFja2Vk\x07",  # OSC 52: write the reader's clipboard
    "\x1b[2J\x1b[H",  # clear the screen
    "\x1b[31m",
    "\x9b31m",  # C1 CSI
    "\u202eevil\u202c",  # right-to-left override
    "\u2066\u2067\u2068\u2069\u200e\u200f\u061c",
    "[/]",
    "[bold]",
    "[link=http://x]x[/link]",
    "[/]ana",
    "\nStatus: resolved",
    "\r\n- forged line",
    "\u2028\u2029\x85",
    "\x00\x07\x08\x7f",
    "*_`#|<>",
    "{title}",
    "%s%n",
]

hostile_text = st.lists(
    st.sampled_from(NASTY_PIECES)
    | st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=8),
    min_size=1,
    max_size=5,
).map("".join)
"""Text a paste or a hostile file could hold: escape sequences, C1, bidi, markup, newlines."""

nonblank_hostile = hostile_text.filter(lambda s: s.strip() != "")


def assert_inert(text: str, where: str = "") -> None:
    """No character a terminal would obey, and no traceback."""
    found = RAW_CONTROL.findall(text)
    assert not found, (where, found[:5], text[:300])
    assert "Traceback" not in text, (where, text[-2000:])


@dataclass
class Outcome:
    code: int
    out: str
    err: str


def run(data_dir: Path, *args: str, stdin: bytes | None = None) -> Outcome:
    """``incident-tui ARGS`` in-process (fast enough for hypothesis), on a frozen clock."""
    env = {
        "INCIDENT_TUI_DATA_DIR": str(data_dir),
        "INCIDENT_TUI_FROZEN_AT": FROZEN,
        "INCIDENT_TUI_AUTHOR": "scribe",
        "INCIDENT_TUI_STATE_DIR": str(data_dir.parent / "state"),
        "INCIDENT_TUI_CONFIG_DIR": str(data_dir.parent / "config"),
        # No clipboard tool may run: the copy falls through to the state dir's file.
        "PATH": os.defpath if not os.environ.get("HOSTILE_KEEP_PATH") else os.environ["PATH"],
        "DISPLAY": "",
        "WAYLAND_DISPLAY": "",
        "TMUX": "",
    }
    result = CliRunner().invoke(main, list(args), env=env, input=stdin)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"{args!r} raised {result.exception!r}") from result.exception
    return Outcome(result.exit_code, result.stdout, result.stderr)


def assert_one_error_line(outcome: Outcome, *fragments: str) -> None:
    """Exit 1 with exactly one ``error:`` line, naming what it must."""
    assert outcome.code == 1, outcome
    lines = outcome.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), outcome.err
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    assert_inert(outcome.err)


def snapshot(directory: Path) -> dict[str, bytes]:
    """Every file under ``directory`` and its bytes (to prove a refusal changed nothing)."""
    return {
        str(path.relative_to(directory)): path.read_bytes()
        for path in sorted(directory.rglob("*"))
        if path.is_file() and not path.name.endswith(".lock")
    }
