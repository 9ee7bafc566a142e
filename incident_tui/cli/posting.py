"""``template --post``: the update to its audience's destinations, each outcome on stderr."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from incident_tui.cli.session import echo
from incident_tui.core.config import Config
from incident_tui.core.errors import InvalidInputError
from incident_tui.core.models import IncidentRecord
from incident_tui.core.templates import UpdateFormat, fill_update


def post_from_cli(
    record: IncidentRecord,
    audience: str,
    state: str,
    fmt: UpdateFormat,
    text: str,
    now: datetime,
    config: Config,
) -> tuple[str, dict[str, Any], str | None]:
    """Post; returns the timeline note, the comms event's extra data, and the failure if any.

    The text has been copied already, so nothing is lost when this fails.
    """
    from incident_tui.core.destinations import destinations_path, for_audience, load_destinations
    from incident_tui.core.posting import post_summary, post_update

    try:
        targets = for_audience(load_destinations(), audience)
    except InvalidInputError as exc:
        return "NOT posted", {"posted": [], "post_error": str(exc)}, f"not posted: {exc}"
    if not targets:
        reason = f"not posted: no destination serves {audience}; add one to {destinations_path()}"
        return "NOT posted", {"posted": [], "post_error": reason}, reason

    def refill(target: UpdateFormat, escape: Callable[[str], str] | None) -> str:
        return fill_update(record, audience, state, target, now, config, escape)

    outcomes = post_update(targets, text, fmt, refill)
    for outcome in outcomes:
        echo(outcome.line(), err=True)
    failed = [o.destination for o in outcomes if not o.ok]
    failure = f"not posted to {', '.join(failed)} (see above)" if failed else None
    return post_summary(outcomes), {"posted": [o.as_data() for o in outcomes]}, failure
