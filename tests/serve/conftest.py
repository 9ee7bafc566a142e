"""Fixtures for the served app: a real server, and Debian's chromium driven by Playwright."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from browser_helpers import CHROMIUM, CHROMIUM_ARGS
from served import Served, start_server


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    """A real ``incident-tui serve`` on a free loopback port; stopped (Ctrl+C) afterwards."""
    server = start_server(tmp_path)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless chromium (Debian's package; Playwright's own download is not used)."""
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium (.ci/run does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()
