"""The footer: the screen's keys drawn as one line of text by one widget."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget

from incident_tui.ui.palette import palette_of

Key = tuple[str, str, str, bool]
"""A key as shown: the key, how it is written, what it does, whether it is enabled."""


class KeyFooter(Widget):
    """Key hints for the IC's screen, with the command palette's key at the right end.

    Textual's own footer is a container of one widget per key: on this screen some twenty
    widgets to style, lay out and draw, which was about a third of the time to the first
    frame. The hints never need more than a line of styled text, so that is all this is.
    Clicking a key presses it, as in Textual's footer.
    """

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"key-footer--key", "key-footer--description"}
    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        & > .key-footer--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .key-footer--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.keys: tuple[Key, ...] = ()
        """The keys shown, left to right."""
        self.palette: Key | None = None
        """The command palette's key, shown at the right end."""
        self._spans: list[tuple[int, int, str]] = []
        """Where each key was drawn, as (start, end, key), for clicks."""

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)
        self._bindings_changed(self.screen)

    def _theme_changed(self, _theme: object) -> None:
        self.refresh()

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)
        self.app.theme_changed_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        # Called whenever the bindings *might* have changed (focus moves, a dialog opens or
        # closes): redraw only when the keys shown really did.
        keys: list[Key] = []
        seen: set[str] = set()
        palette: Key | None = None
        for _node, binding, enabled, _tooltip in screen.active_bindings.values():
            shown = (binding.key, self.app.get_key_display(binding), binding.description, enabled)
            if binding.action == "command_palette" and self.app.ENABLE_COMMAND_PALETTE:
                palette = shown  # drawn at the right end, as in Textual's footer
            elif binding.show and binding.action not in seen:
                seen.add(binding.action)
                keys.append(shown)
        if (tuple(keys), palette) != (self.keys, self.palette):
            self.keys, self.palette = tuple(keys), palette
            self.refresh()

    @property
    def shown(self) -> str:
        """The footer's plain text as it is drawn at its current width."""
        return self.hints().plain

    def render_line(self, y: int) -> Strip:
        """The one line (Line API: Rich segments straight to a strip, no conversion)."""
        width = self.size.width
        base = self.rich_style
        if y:
            return Strip.blank(width, base)
        line = self.hints()
        line.stylize_before(base)
        strip = Strip(list(line.render(self.app.console)), line.cell_len)
        return strip.extend_cell_length(width, base).crop(0, width)

    def hints(self) -> Text:
        """The keys, cut at the right edge; the palette key kept at the far right."""
        # The key's colour comes from the palette: the theme's own footer key colour is
        # below 3:1 on a light theme.
        key_style = self.get_component_rich_style("key-footer--key") + Style.parse(
            palette_of(self.app).key
        )
        text_style = self.get_component_rich_style("key-footer--description")
        width = self.size.width
        palette = self.palette
        tail = Text()
        if palette is not None:
            tail.append("│ ", style=text_style)
            tail.append(palette[1], style=key_style)
            tail.append(f" {palette[2]} ", style=text_style)
        line = Text(no_wrap=True, overflow="crop", end="")
        self._spans = []
        room = width - tail.cell_len if width else 1 << 16
        if getattr(self.app, "read_only", False):
            from incident_tui.ui.read_only import FOOTER_LABEL

            line.append(f" {FOOTER_LABEL} ", style=key_style)
            line.append(" ", style=text_style)
        for key, display, description, enabled in self.keys:
            piece = Text.assemble((display, key_style), (f" {description}", text_style), " ")
            if not enabled:
                piece.stylize("dim")
            if line.cell_len + piece.cell_len > room:
                break
            self._spans.append((line.cell_len, line.cell_len + piece.cell_len, key))
            line.append_text(piece)
        if palette is not None:
            gap = max(0, room - line.cell_len)
            line.append(" " * gap)
            self._spans.append((line.cell_len, line.cell_len + tail.cell_len, palette[0]))
            line.append_text(tail)
        return line

    def on_click(self, event: events.Click) -> None:
        """A click on a key presses it."""
        for start, end, key in self._spans:
            if start <= event.x < end:
                self.app.simulate_key(key)
                return
