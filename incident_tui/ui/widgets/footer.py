"""The footer: Textual's own, rebuilt only when the keys it shows really change."""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer

Signature = tuple[tuple[str, str, str, bool, bool], ...]


class KeyFooter(Footer):
    """Key hints for the IC's screen.

    Textual's footer rebuilds all of its key widgets whenever the screen's bindings *might*
    have changed (focus moves, a dialog opens or closes), which on this screen means some
    twenty widgets rebuilt per dialog round trip. The keys rarely change, so skip the rebuild
    when they are the same as those already shown.
    """

    _shown: Signature | None = None

    def bindings_changed(self, screen: Screen[object]) -> None:
        signature: Signature = tuple(
            (binding.key, binding.key_display or "", binding.description, enabled, binding.show)
            for _node, binding, enabled, _tooltip in screen.active_bindings.values()
        )
        rebuilds = screen.app.app_focus and self.is_attached and screen is self.screen
        if rebuilds and signature == self._shown:
            return
        if rebuilds:
            self._shown = signature
        super().bindings_changed(screen)
