"""Which of some modules a snippet of Python loads, run in a fresh interpreter: for the tests
of what start-up and each command import (counted, not timed)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

PROBE = """
import json, sys
{body}
watched = {watched!r}
print(json.dumps(sorted(
    name for name in watched
    if any(m == name or m.startswith(name + ".") for m in sys.modules)
)))
"""


def loaded_after(
    body: str, data_dir: Path, watched: Iterable[str], timeout: float = 120
) -> list[str]:
    """The names in ``watched`` (a module, or a package with any of its modules) that are
    loaded once ``body`` has run, with ``data_dir`` as the data dir; the snippet must succeed."""
    env = {**os.environ, "INCIDENT_TUI_DATA_DIR": str(data_dir), "INCIDENT_TUI_AUTHOR": "t"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(body=body, watched=tuple(watched))],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stderr
    return list(json.loads(done.stdout.strip().splitlines()[-1]))
