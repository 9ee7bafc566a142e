"""The clipboard chain off the UI thread, plus the one step only the UI can take: OSC 52.

``copy_text`` (core) may take a few seconds on a dead display; it runs in a thread worker and
hands its result back on the UI thread, so the screen never freezes on a clipboard.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.dom import DOMNode
from textual.worker import Worker

if TYPE_CHECKING:  # the chain (subprocess and friends) loads with the first copy
    from incident_tui.core.clipboard import CopyResult

Copier = Callable[[str, float], "CopyResult"]
"""Runs the chain for (text, timeout); tests may swap in another environment's chain."""


def default_copier(text: str, timeout: float) -> CopyResult:
    """The real chain, in this process's environment."""
    from incident_tui.core.clipboard import copy_text

    return copy_text(text, timeout=timeout)


@dataclass(frozen=True)
class CopyOutcome:
    """A finished copy as the UI reports it."""

    result: CopyResult
    method: str
    """The method named to the user and stored in the comms event."""

    @property
    def confirmed(self) -> bool:
        """True when a method read the text back; OSC 52 never can."""
        return self.result.confirmed is not None

    @property
    def note(self) -> str:
        """The manual-copy dialog's explanation (a browser gets no server path)."""
        from incident_tui.ui.browser_share import BROWSER_CLIPBOARD, BROWSER_COPY_NOTE

        return BROWSER_COPY_NOTE if self.method == BROWSER_CLIPBOARD else self.result.summary()

    def toast(self) -> str:
        """The one line shown after the copy."""
        saved = f"; saved to {self.result.file_path}" if self.result.file_path else ""
        if self.confirmed:
            return f"Copied via {self.method}{saved}"
        return f"Sent via {self.method} (cannot be confirmed){saved}"


def start_copy(
    node: DOMNode,
    text: str,
    timeout: float,
    on_done: Callable[[CopyOutcome], None],
    copier: Copier = default_copier,
) -> Worker[None]:
    """Copy ``text`` in a thread worker; ``on_done`` runs on the UI thread afterwards."""
    app = node.app

    from incident_tui.core.clipboard import OSC52, CopyResult
    from incident_tui.serve.browser import in_browser

    if in_browser():
        # The server's clipboard is nobody's on the call: the browser's is the one wanted.
        from incident_tui.ui.browser_share import BROWSER_CLIPBOARD, copy_in_browser

        copy_in_browser(app, text)
        outcome = CopyOutcome(CopyResult(None, (), None), BROWSER_CLIPBOARD)
        return node.run_worker(
            lambda: app.call_from_thread(on_done, outcome),
            name="clipboard",
            group="clipboard",
            thread=True,
            exit_on_error=False,
        )

    def finish(result: CopyResult) -> None:
        method = result.confirmed or OSC52
        if result.wants_osc52:
            # Unconfirmable, and dropped by tmux's default settings, but it costs nothing and
            # is the only route to the IC's own clipboard over plain SSH.
            app.copy_to_clipboard(text)
        on_done(CopyOutcome(result, method))

    def run() -> None:
        result = copier(text, timeout)
        app.call_from_thread(finish, result)

    return node.run_worker(
        run, name="clipboard", group="clipboard", thread=True, exit_on_error=False
    )
