"""The incident's closed sets as types: severity, status, audience, roles, event kinds."""

from __future__ import annotations

import re
from enum import IntEnum, StrEnum
from typing import TypeVar

from incident_tui.core.errors import InvalidInputError


class Severity(IntEnum):
    """SEV-1 (critical) to SEV-4 (low); a lower number is worse."""

    SEV1 = 1
    SEV2 = 2
    SEV3 = 3
    SEV4 = 4

    @property
    def label(self) -> str:
        """``SEV-1`` and so on, as people say it on a call."""
        return f"SEV-{self.value}"

    @classmethod
    def parse(cls, text: str | int) -> Severity:
        """Accept ``1``, ``sev1``, ``SEV-1`` or ``sev 1``."""
        match = re.fullmatch(r"(?:SEV[\s-]*)?([1-4])", str(text).strip().upper())
        if match:
            return cls(int(match.group(1)))
        raise InvalidInputError(f"severity must be 1 to 4 (SEV-1 to SEV-4), not {text!r}")


class Status(StrEnum):
    """Where the incident stands; the first four match the status-page messages."""

    INVESTIGATING = "investigating"
    IDENTIFIED = "identified"
    MONITORING = "monitoring"
    RESOLVED = "resolved"
    CLOSED = "closed"

    @property
    def is_open(self) -> bool:
        """Open incidents still need a response; closed ones are history."""
        return self is not Status.CLOSED

    @property
    def is_active(self) -> bool:
        """Still being worked: not yet resolved (updates are owed, nudges apply)."""
        return self in (Status.INVESTIGATING, Status.IDENTIFIED, Status.MONITORING)


class Audience(StrEnum):
    """Who an update is for: the incident channel, the broader organisation, customers."""

    INTERNAL = "internal"
    STAKEHOLDERS = "stakeholders"
    EXTERNAL = "external"

    @property
    def label(self) -> str:
        """How the audience is named on screen."""
        return _AUDIENCE_LABELS[self]

    @property
    def tag(self) -> str:
        """Three letters for the header's countdowns."""
        return _AUDIENCE_TAGS[self]

    @classmethod
    def parse(cls, text: str) -> Audience:
        """Accept an audience name or a common alias (team, org, customers, status page...)."""
        raw = str(text).strip().lower()
        name = AUDIENCE_ALIASES.get(raw, raw)
        try:
            return cls(name)
        except ValueError:
            choices = ", ".join(member.value for member in cls)
            raise InvalidInputError(
                f"unknown audience {text!r}; choose one of: {choices}"
            ) from None


AUDIENCE_ALIASES: dict[str, str] = {
    "int": "internal",
    "team": "internal",
    "channel": "internal",
    "stk": "stakeholders",
    "stakeholder": "stakeholders",
    "org": "stakeholders",
    "business": "stakeholders",
    "ext": "external",
    "customers": "external",
    "customer": "external",
    "public": "external",
    "status-page": "external",
    "statuspage": "external",
}
"""Other names people use for an audience; the one parser accepts them everywhere."""

_AUDIENCE_LABELS = {
    "internal": "Internal team",
    "stakeholders": "Stakeholders",
    "external": "Customers",
}
_AUDIENCE_TAGS = {"internal": "int", "stakeholders": "stk", "external": "ext"}


class DetectionSource(StrEnum):
    """How the incident became known."""

    ALERT = "alert"
    CUSTOMER = "customer"
    INTERNAL = "internal"
    THIRD_PARTY = "third-party"


class EventKind(StrEnum):
    """What a timeline row records."""

    NOTE = "note"
    ACTION = "action"
    DECISION = "decision"
    MITIGATION = "mitigation"
    COMMS = "comms"
    SEVERITY = "severity"
    STATUS = "status"
    ROLE = "role"
    SYSTEM = "system"


class Role(StrEnum):
    """The response roles; SMEs may be many, the others are held by one person at a time."""

    IC = "ic"
    COMMS = "comms"
    OPS = "ops"
    SCRIBE = "scribe"
    SME = "sme"

    @property
    def label(self) -> str:
        """The role's name as shown on the role board."""
        return ROLE_TITLES[self]


ROLE_TITLES: dict[Role, str] = {
    Role.IC: "Incident commander",
    Role.COMMS: "Communications lead",
    Role.OPS: "Operations lead",
    Role.SCRIBE: "Scribe",
    Role.SME: "Subject matter expert",
}


E = TypeVar("E", bound=StrEnum)


def parse_enum(enum: type[E], text: str, what: str) -> E:
    """Look up ``text`` in ``enum`` or raise a one-line error listing the choices."""
    try:
        return enum(text.strip().lower())
    except ValueError:
        choices = ", ".join(member.value for member in enum)
        raise InvalidInputError(f"unknown {what} {text!r}; choose one of: {choices}") from None
