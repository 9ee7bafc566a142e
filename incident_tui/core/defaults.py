"""The built-in update cadence and wording: DOMAIN.md's rubric and the status-page messages.

Kept apart from :mod:`incident_tui.core.config`, which reads the user's overrides of these. The
wording itself, and the small template language it is written in, live in
:mod:`incident_tui.core.wording`.
"""

from __future__ import annotations

from incident_tui.core.models import Severity
from incident_tui.core.wording import DEFAULT_TEMPLATES as DEFAULT_TEMPLATES
from incident_tui.core.wording import STATES as STATES
from incident_tui.core.wording import TemplateLine as TemplateLine
from incident_tui.core.wording import UpdateTemplate as UpdateTemplate

# Minutes between updates by severity, internal / stakeholders / external. None: no countdown
# (SEV-3 updates "as progress dictates", SEV-4 needs none). From the rubric in DOMAIN.md.
DEFAULT_CADENCE: dict[Severity, dict[str, int | None]] = {
    Severity.SEV1: {"internal": 15, "stakeholders": 30, "external": 30},
    Severity.SEV2: {"internal": 30, "stakeholders": 60, "external": 30},
    Severity.SEV3: {"internal": None, "stakeholders": None, "external": None},
    Severity.SEV4: {"internal": None, "stakeholders": None, "external": None},
}
