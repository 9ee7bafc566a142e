"""The palette keeps every severity, status and event colour AA on any built-in theme."""

from __future__ import annotations

import pytest
from rich.style import Style
from textual.app import App
from textual.color import Color
from textual.theme import BUILTIN_THEMES

from incident_tui.ui.palette import AA, contrast, in_256, palette_from


def _pairs(style: str, backgrounds: list[Color]) -> list[tuple[Color, Color]]:
    parsed = Style.parse(style)
    assert parsed.color is not None
    fg = Color(*parsed.color.get_truecolor())
    if parsed.bgcolor is not None:  # a badge: its text on its own background
        return [(fg, Color(*parsed.bgcolor.get_truecolor()))]
    return [(fg, bg) for bg in backgrounds]


# The ANSI themes name the terminal's own 16 colours, whose values only the terminal knows.
@pytest.mark.parametrize("name", sorted(n for n in BUILTIN_THEMES if not n.startswith("ansi")))
def test_every_coloured_text_is_aa_in_every_builtin_theme(name: str) -> None:
    app: App[None] = App()
    app.theme = name
    variables = app.get_css_variables()
    palette = palette_from(variables, BUILTIN_THEMES[name].dark)
    backgrounds = [Color.parse(variables[key]) for key in ("background", "surface", "panel")]
    styles = [
        *palette.severity.values(),
        *palette.status.values(),
        *palette.kind.values(),
        palette.late,
        palette.soon,
        palette.advice,
        palette.muted,
        palette.person,
        palette.key,
        palette.done,
    ]
    for style in styles:
        for fg, bg in _pairs(style, backgrounds):
            assert contrast(fg, bg) >= AA, (name, style, bg.hex)
            assert contrast(in_256(fg), in_256(bg)) >= AA, (name, style, bg.hex, "256")


def test_severities_stay_apart_in_the_default_theme() -> None:
    app: App[None] = App()
    palette = palette_from(app.get_css_variables(), dark=True)
    assert len(set(palette.severity.values())) == 4
