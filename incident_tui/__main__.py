"""Allow ``python -m incident_tui``."""

from incident_tui.cli import main

if __name__ == "__main__":
    main()
