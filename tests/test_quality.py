"""The house rules a machine can check: lint, formatting, strict typing, the headless core.

Each tool runs as a subprocess from the project root with this interpreter; its output is shown
when it fails. A missing tool is a failure with a clear message, never a silent skip.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# import-linter has no ``python -m`` entry point; call the console script's function.
LINT_IMPORTS = (
    "import sys; from importlinter.cli import lint_imports_command;"
    " sys.exit(lint_imports_command())"
)

CHECKS = {
    "ruff check": ("ruff", ["-m", "ruff", "check", "."]),
    "ruff format --check": ("ruff", ["-m", "ruff", "format", "--check", "."]),
    "mypy --strict incident_tui": ("mypy", ["-m", "mypy", "--strict", "incident_tui"]),
    "lint-imports": ("importlinter", ["-c", LINT_IMPORTS]),
}


@pytest.mark.parametrize("name", list(CHECKS))
def test_tool_passes(name: str) -> None:
    module, args = CHECKS[name]
    if importlib.util.find_spec(module) is None:
        pytest.fail(
            f"{name}: the {module!r} package is not installed in {sys.executable}; "
            "install the test extras: python3 -m pip install -e '.[test]'"
        )
    done = subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=540,
        check=False,
    )
    assert done.returncode == 0, f"{name} failed:\n{done.stdout}\n{done.stderr}"
