"""The incident's exports: Markdown for the after-action review, JSON to rebuild it exactly.

The Markdown lives in :mod:`incident_tui.core.aar`; the escaping in
:mod:`incident_tui.core.markdown`. Both are re-exported here, where callers look first.
"""

from __future__ import annotations

import orjson

from incident_tui.core.aar import to_markdown
from incident_tui.core.errors import InvalidInputError
from incident_tui.core.markdown import block, inline
from incident_tui.core.models import IncidentRecord


def to_json(record: IncidentRecord) -> str:
    """The complete record as indented JSON, enough to rebuild the incident exactly."""
    return orjson.dumps(record.to_dict(), option=orjson.OPT_INDENT_2).decode() + "\n"


def from_json(text: str | bytes, source: str = "input") -> IncidentRecord:
    """Rebuild a record from :func:`to_json` output; one-line error naming ``source`` if bad."""
    try:
        raw = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise InvalidInputError(f"{source}: not valid JSON ({_one_line(str(exc))})") from None
    if not isinstance(raw, dict):
        raise InvalidInputError(f"{source}: not an incident-tui record (expected a JSON object)")
    try:
        return IncidentRecord.from_dict(raw)
    except InvalidInputError as exc:
        raise InvalidInputError(f"{source}: {_one_line(str(exc))}") from None
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise InvalidInputError(f"{source}: incident record has the wrong shape ({exc})") from None


def _one_line(text: str) -> str:
    return " ".join(text.split())


__all__ = ["block", "from_json", "inline", "to_json", "to_markdown"]
