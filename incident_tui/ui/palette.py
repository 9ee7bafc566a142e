"""The colours of the screen's urgent text, taken from the theme and made readable.

Severity and status colours come from the theme's variables (``$error``, ``$warning``, ...),
so every theme works. Each colour is then checked against the background it is drawn on and
moved towards black or white until it reaches WCAG AA (4.5:1), both as the theme defines it
and as a 256-colour terminal shows it (the nearest of the 256), so a badge that is readable in
truecolour does not sink below 4.5:1 over SSH in an old terminal.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from rich.color import Color as RichColor
from rich.color import ColorSystem
from textual.color import Color, ColorParseError

from incident_tui.core.models import EventKind, Severity, Status

if TYPE_CHECKING:
    from textual.app import App

AA = 4.5
"""WCAG AA contrast for normal text."""

WHITE = Color(255, 255, 255)
BLACK = Color(0, 0, 0)


@lru_cache(maxsize=4096)  # a palette checks the same few backgrounds some 200 times
def luminance(color: Color) -> float:
    """WCAG relative luminance."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(color.r) + 0.7152 * channel(color.g) + 0.0722 * channel(color.b)


def contrast(a: Color, b: Color) -> float:
    """WCAG contrast ratio of two opaque colours (1 to 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@lru_cache(maxsize=4096)  # as for luminance: the same backgrounds again and again
def in_256(color: Color) -> Color:
    """The colour a 256-colour terminal draws for ``color``."""
    triplet = RichColor.from_rgb(color.r, color.g, color.b).downgrade(ColorSystem.EIGHT_BIT)
    r, g, b = triplet.get_truecolor()
    return Color(r, g, b)


def worst_contrast(fg: Color, backgrounds: tuple[Color, ...]) -> float:
    """The lowest contrast of ``fg`` over any of ``backgrounds``, truecolour or 256 colours."""
    return min(min(contrast(fg, bg), contrast(in_256(fg), in_256(bg))) for bg in backgrounds)


def readable(fg: Color, backgrounds: tuple[Color, ...]) -> Color:
    """``fg`` moved towards black or white just far enough to be AA on every background."""
    if worst_contrast(fg, backgrounds) >= AA:
        return fg
    # Dark backgrounds want a lighter text colour, light ones a darker one.
    towards = WHITE if luminance(backgrounds[0]) < 0.18 else BLACK
    for step in range(1, 41):
        moved = fg.blend(towards, step / 40)
        if worst_contrast(moved, backgrounds) >= AA:
            return moved
    return towards


def badge(background: Color) -> str:
    """A badge style: ``background`` (made darker or lighter if need be) with black or white."""
    for step in range(0, 41):
        for towards in (BLACK, WHITE):
            bg = background.blend(towards, step / 40)
            for fg in (WHITE, BLACK):
                if worst_contrast(fg, (bg,)) >= AA:
                    return f"bold {fg.hex} on {bg.hex}"
    return f"bold {WHITE.hex} on {BLACK.hex}"


def _var(variables: Mapping[str, str], name: str, fallback: str) -> Color:
    try:
        return Color.parse(variables.get(name, fallback))
    except ColorParseError:  # a value such as "auto 87%": use the fallback colour
        return Color.parse(fallback)


@dataclass(frozen=True)
class Palette:
    """Rich styles for colour-coded text on the IC's screen, each AA on its background."""

    severity: dict[Severity, str] = field(default_factory=dict)
    """Badge style per severity."""
    status: dict[Status, str] = field(default_factory=dict)
    """Text style per status (bold, coloured)."""
    kind: dict[EventKind, str] = field(default_factory=dict)
    """Text style per timeline event kind."""
    late: str = "bold white on red"
    """An overdue countdown (``LATE``), a gap in the roles: the alarm badge."""
    soon: str = "bold black on yellow"
    """A warning badge (a nudge that is due soon)."""
    advice: str = "bold black on cyan"
    """An informational badge."""
    muted: str = ""
    """Secondary text that must still be read (authors, notes, "(detected ...)")."""
    person: str = ""
    """A person's name in the decision log."""
    key: str = "bold"
    """A key name in help text."""
    done: str = ""
    """Something finished (a done action item, a ticked criterion)."""
    good: str = "bold"
    """A label for the reassuring side (a rubric's "Yes if"): the theme's success, bold."""
    bad: str = "bold"
    """A label for the alarming side (a rubric's "No if", a form's error): error, bold."""


def palette_from(variables: Mapping[str, str], dark: bool) -> Palette:
    """The palette for a theme, given its CSS variables (``App.theme_variables``)."""
    background = _var(variables, "background", "#121212" if dark else "#efefef")
    surface = _var(variables, "surface", background.hex)
    panel = _var(variables, "panel", surface.hex)
    backgrounds = (background, surface, panel)
    foreground = _var(variables, "foreground", "#e0e0e0" if dark else "#1f1f1f")
    error = _var(variables, "error", "#ba3c5b")
    warning = _var(variables, "warning", "#ffa62b")
    success = _var(variables, "success", "#4ebf71")
    accent = _var(variables, "accent", "#ffa62b")
    primary = _var(variables, "primary", "#0178d4")
    secondary = _var(variables, "secondary", "#004578")
    # SEV-3 sits between a warning and the calm colour: a mix keeps it apart from SEV-2.
    sev3 = warning.blend(success, 0.5)

    def text(color: Color, bold: bool = False) -> str:
        return ("bold " if bold else "") + readable(color, backgrounds).hex

    muted = foreground.blend(background, 0.35)
    return Palette(
        severity={
            Severity.SEV1: badge(error),
            Severity.SEV2: badge(warning),
            Severity.SEV3: badge(sev3),
            Severity.SEV4: badge(primary),
        },
        status={
            Status.INVESTIGATING: text(error, bold=True),
            Status.IDENTIFIED: text(warning, bold=True),
            Status.MONITORING: text(sev3, bold=True),
            Status.RESOLVED: text(success, bold=True),
            Status.CLOSED: text(muted, bold=True),
        },
        kind={
            EventKind.NOTE: text(foreground),
            EventKind.ACTION: text(primary),
            EventKind.DECISION: text(secondary.blend(accent, 0.5), bold=True),
            EventKind.MITIGATION: text(success, bold=True),
            EventKind.COMMS: text(primary.blend(success, 0.5)),
            EventKind.SEVERITY: text(error, bold=True),
            EventKind.STATUS: text(warning, bold=True),
            EventKind.ROLE: text(accent),
            EventKind.SYSTEM: text(muted),
        },
        late=badge(error),
        soon=badge(warning),
        advice=badge(primary),
        muted=text(muted),
        person=text(primary.blend(error, 0.5)),
        key=text(accent, bold=True),
        done=text(success),
        good=text(success, bold=True),
        bad=text(error, bold=True),
    )


_BY_THEME: dict[tuple[str, bool], Palette] = {}


def palette_of(app: App[object]) -> Palette:
    """The palette for the app's current theme (worked out once per theme)."""
    key = (app.theme, app.current_theme.dark)
    palette = _BY_THEME.get(key)
    if palette is None:
        palette = _BY_THEME[key] = palette_from(app.get_css_variables(), key[1])
    return palette


def default_palette() -> Palette:
    """The palette before the app's theme is known (Textual's default dark colours)."""
    key = ("", True)
    palette = _BY_THEME.get(key)
    if palette is None:
        palette = _BY_THEME[key] = palette_from({}, dark=True)
    return palette
