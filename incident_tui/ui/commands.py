"""The command palette (ctrl+p): every action of the registry, plus "open incident ..."."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher
from textual.markup import escape

from incident_tui.ui.actions import ACTIONS
from incident_tui.ui.read_only import allows
from incident_tui.ui.text import plain_content, printable


class IncidentCommands(Provider):
    """Built from ``ui/actions.py`` (keys as the screen has them bound, remapped or not)."""

    def _commands(self) -> list[tuple[str, str, Callable[[], Any]]]:
        screen = self.screen
        read_only = bool(getattr(self.app, "read_only", False))
        keys = {
            active.binding.id: self.app.get_key_display(active.binding)
            for active in screen.active_bindings.values()
            if active.node is screen and active.binding.id
        }
        commands: list[tuple[str, str, Callable[[], Any]]] = [
            (
                f"{action.description} ({keys[action.id]})",
                action.tooltip,
                partial(screen.run_action, action.binding_action),
            )
            for action in ACTIONS
            # Only on the IC's screen, which binds them; the viewer's app offers no writes.
            if action.id in keys and allows(read_only, "perform", (action.id,))
        ]
        switch = getattr(screen, "open_incident_commands", None)
        if callable(switch) and not read_only:
            commands.extend(switch())
        return commands

    async def discover(self) -> Hits:
        for title, help_text, callback in self._commands():
            yield DiscoveryHit(
                plain_content(title), callback, text=title, help=escape(help_text) or None
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(
                    score,
                    _highlight(matcher, title),
                    callback,
                    text=title,
                    help=escape(help_text) or None,
                )


def _highlight(matcher: Matcher, title: str) -> Content:
    """The title with the matched letters marked; never parsed as markup (``Matcher.highlight``
    would read an incident titled ``[/]`` as a closing tag and crash the palette)."""
    shown = printable(title)
    content = Content(shown)
    _, offsets = matcher.fuzzy_search.match(matcher.query, title)
    for offset in offsets:
        if offset < len(shown) and not shown[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content
