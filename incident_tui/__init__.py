"""incident-tui: the incident commander's cockpit in a terminal."""

__version__ = "0.1.0"
