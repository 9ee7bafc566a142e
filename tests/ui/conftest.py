"""Fixtures for the IC screen: a demo incident on a frozen clock, and a fresh view of the disk."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from incident_tui.core.clock import FrozenClock
from incident_tui.core.demo import seed_demo
from incident_tui.core.models import IncidentRecord
from incident_tui.core.store import IncidentStore
from incident_tui.ui.app import IncidentApp

SIZE = (120, 36)


@pytest.fixture
def demo_store(store: IncidentStore) -> IncidentStore:
    """The frozen-clock store with the demo SEV-1 seeded in it."""
    seed_demo(store)
    return store


@pytest.fixture
def demo_app(demo_store: IncidentStore, clock: FrozenClock) -> IncidentApp:
    """The app on the demo incident, on the frozen clock."""
    return IncidentApp(demo_store, clock=clock)


@pytest.fixture
def on_disk(data_dir: Path, clock: FrozenClock) -> Callable[[], IncidentRecord]:
    """Read the demo incident back from disk through a brand-new store (no shared caches)."""

    def read() -> IncidentRecord:
        fresh = IncidentStore(data_dir, clock=clock, author="reader")
        return fresh.open(fresh.resolve_id(None)).record()

    return read
