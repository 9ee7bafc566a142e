"""The command palette (ctrl+p): every key's action, plus "open incident ..." for each one."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher
from textual.markup import escape
from textual.screen import Screen

from incident_tui.ui.text import plain_content, printable

_GENERIC = frozenset(b.action for b in Screen.BINDINGS if isinstance(b, Binding))


class IncidentCommands(Provider):
    """Built from the screen's own bindings, so keys added later show up here too."""

    def _commands(self) -> list[tuple[str, str, Callable[[], Any]]]:
        screen = self.screen
        commands: list[tuple[str, str, Callable[[], Any]]] = []
        seen: set[str] = set()
        for key, active in screen.active_bindings.items():
            binding = active.binding
            if active.node is not screen or not binding.description or binding.action in seen:
                continue
            if binding.action in _GENERIC:
                continue
            seen.add(binding.action)
            title = f"{binding.description} ({binding.key_display or key})"
            commands.append((title, binding.tooltip, partial(screen.run_action, binding.action)))
        switch = getattr(screen, "open_incident_commands", None)
        if callable(switch):
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
