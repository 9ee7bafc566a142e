"""Errors the core raises; each carries one line fit to show a user."""


class IncidentError(Exception):
    """Base class: the message is a single line a user can act on."""


class StoreError(IncidentError):
    """A data file cannot be read or written."""


class UnknownIncidentError(IncidentError):
    """No incident has the given id."""


class InvalidInputError(IncidentError):
    """User input was rejected (bad time, unknown kind, empty text...)."""
