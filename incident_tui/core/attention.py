"""What a nudge is: how urgent, what it says, and the typed action that acts on it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum, StrEnum

from incident_tui.core.models import Audience, Role


class Urgency(IntEnum):
    """How soon the IC should act; lower sorts first."""

    NOW = 1
    SOON = 2
    ADVICE = 3

    @property
    def label(self) -> str:
        """A short word for the attention strip."""
        return {Urgency.NOW: "now", Urgency.SOON: "soon", Urgency.ADVICE: "advice"}[self]


class Act(StrEnum):
    """What acting on a nudge opens in the app."""

    ROLE = "role"
    COMMS = "comms"
    ACK = "ack"
    VERIFY = "verify"
    CHECKLIST = "checklist"
    NOTE = "note"


@dataclass(frozen=True)
class NudgeAction:
    """What acting on a nudge means: a kind, and the role or audience it concerns."""

    kind: Act
    role: Role | None = None
    audience: Audience | None = None

    def __str__(self) -> str:
        detail = self.role or self.audience
        return f"{self.kind.value}:{detail.value}" if detail else self.kind.value


@dataclass(frozen=True)
class Nudge:
    """One thing the IC should look at, with what to do about it."""

    key: str
    """Stable rule key; dismissals are stored against it."""
    urgency: Urgency
    message: str
    suggestion: str
    """What to do, in words."""
    act: NudgeAction
    """What acting on it means, for the UI (assign a role, send an update, acknowledge...)."""
    since: datetime
    """When this episode of the condition began."""
