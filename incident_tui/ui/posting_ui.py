"""Posting a composed update from the app: Apprise runs in a thread worker, never on the UI
thread, so a hung webhook cannot freeze the screen; the outcomes come back on the UI thread."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from textual.dom import DOMNode
from textual.worker import Worker

from incident_tui.core.config import Config
from incident_tui.core.errors import InvalidInputError
from incident_tui.core.models import IncidentRecord

if TYPE_CHECKING:
    from incident_tui.core.posting import PostOutcome
    from incident_tui.ui.modals.compose import ComposedUpdate

PostDone = Callable[["list[PostOutcome]", "str | None"], None]
"""Gets the outcomes, or the one-line reason nothing could be posted (bad config, none set)."""


def start_post(
    node: DOMNode,
    update: ComposedUpdate,
    record: IncidentRecord,
    now: datetime,
    config: Config,
    on_done: PostDone,
) -> Worker[None]:
    """Post ``update`` to its audience's destinations in a thread; ``on_done`` on the UI thread."""
    app = node.app

    def run() -> None:
        from incident_tui.core.destinations import destinations_path, for_audience
        from incident_tui.core.destinations import load_destinations as load
        from incident_tui.core.posting import post_update
        from incident_tui.core.templates import UpdateFormat, fill_update

        try:
            targets = for_audience(load(), update.audience)
        except InvalidInputError as exc:
            app.call_from_thread(on_done, [], str(exc))
            return
        if not targets:
            reason = f"no destination serves {update.audience}; add one to {destinations_path()}"
            app.call_from_thread(on_done, [], reason)
            return

        def refill(fmt: UpdateFormat, escape: Callable[[str], str] | None) -> str:
            return fill_update(record, update.audience, update.state, fmt, now, config, escape)

        outcomes = post_update(targets, update.text, update.fmt, None if update.edited else refill)
        app.call_from_thread(on_done, outcomes, None)

    return node.run_worker(run, name="post", group="post", thread=True, exit_on_error=False)
