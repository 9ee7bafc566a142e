"""Read the colours of each piece of text from a Textual SVG screenshot (for contrast tests).

The snapshot SVG draws every cell's background as a ``<rect>`` and every run of same-styled
text as a ``<text>`` whose CSS class names its fill colour; both sit on numbered lines.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from rich.color import Color, ColorSystem

_CLASS = re.compile(r"\.(terminal-r\d+) \{ fill: (#[0-9a-fA-F]{6})")
_RECT = re.compile(
    r'<rect fill="(#[0-9a-fA-F]{6})" x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="[\d.]+"'
)
_TEXT = re.compile(
    r'<text class="(terminal-r\d+)" x="([\d.]+)" y="[\d.]+" textLength="([\d.]+)" '
    r'clip-path="url\(#terminal-line-(\d+)\)">([^<]*)</text>'
)
LINE_HEIGHT = 24.4
RECT_TOP = 1.5


@dataclass(frozen=True)
class TextRun:
    """One run of text as drawn: where, what, its colour and the colour behind it."""

    line: int
    x: float
    text: str
    fg: str
    bg: str


def text_runs(svg: str) -> list[TextRun]:
    """Every visible run of text on the screen, with its foreground and background."""
    svg = re.sub(r"terminal-\d+-", "terminal-", svg)  # as saved by the snapshot plugin
    fills = dict(_CLASS.findall(svg))
    rects: dict[int, list[tuple[float, float, str]]] = {}
    for fill, x, y, width in _RECT.findall(svg):
        line = round((float(y) - RECT_TOP) / LINE_HEIGHT)
        rects.setdefault(line, []).append((float(x), float(x) + float(width), fill))
    runs = []
    for cls, x, length, line_no, raw in _TEXT.findall(svg):
        text = html.unescape(raw).replace("\xa0", " ")
        if not text.strip() or cls not in fills:
            continue
        line = int(line_no)
        middle = float(x) + float(length) / 2
        behind = [fill for start, end, fill in rects.get(line, []) if start <= middle < end]
        if behind:
            runs.append(TextRun(line, float(x), text, fills[cls], behind[-1]))
    return runs


def _luminance(hex_colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(fg: str, bg: str) -> float:
    """WCAG 2 contrast ratio between two ``#rrggbb`` colours."""
    high, low = sorted((_luminance(fg), _luminance(bg)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def in_256(hex_colour: str) -> str:
    """The colour a 256-colour terminal shows instead."""
    r, g, b = Color.parse(hex_colour).downgrade(ColorSystem.EIGHT_BIT).get_truecolor()
    return f"#{r:02x}{g:02x}{b:02x}"
