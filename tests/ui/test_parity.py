"""Parity: the same operations through the CLI (the console script, in subprocesses) and
through the app (its controller inside a running app) store the same record, field by field.

Each front end gets a fresh data dir and the same frozen clock, stepped one minute per
operation. Ids and recording times are set aside: ids are random, and an id that one record
points at from another (a decision's event, an amendment) is compared by what it points at.
"""

from __future__ import annotations

import stat
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cli"))
from cli_helpers import run_cli

from incident_tui.core.clock import FrozenClock
from incident_tui.core.models import (
    DetectionSource,
    IncidentRecord,
    Role,
    Severity,
    Status,
)
from incident_tui.core.store import IncidentStore
from incident_tui.ui.app import IncidentApp
from incident_tui.ui.controller import IncidentController
from incident_tui.ui.modals.action_item import ActionItemDraft
from incident_tui.ui.modals.decision import DecisionDraft
from incident_tui.ui.modals.declare import DeclareDraft
from incident_tui.ui.modals.event import EventDraft
from incident_tui.ui.modals.role import RoleDraft
from incident_tui.ui.modals.severity import SeverityDraft
from incident_tui.ui.modals.status import StatusDraft

START = datetime.fromisoformat("2026-11-28T14:00:00+00:00")
AUTHOR = "scribe"

Find = Callable[[str], str]
"""Looks up the id of the event (or action item) whose text is given, in that run's record."""


@dataclass(frozen=True)
class Step:
    """One operation, as a CLI command line and as a controller call."""

    name: str
    cli: Callable[[Find], list[str]]
    app: Callable[[IncidentController, Find], object]


def _at(minutes: int) -> datetime:
    return START + timedelta(minutes=minutes)


STEPS = [
    Step(
        "declare",
        lambda f: [
            "new",
            "Checkout errors",
            "--sev",
            "2",
            "--impact",
            "EU card payments fail",
            "--responder",
            "Priya",
            "--detected-at",
            "13:52",
            "--source",
            "customer",
        ],
        lambda c, f: c.declare(
            DeclareDraft(
                "Checkout errors",
                Severity.SEV2,
                "EU card payments fail",
                source=DetectionSource.CUSTOMER,
                detected_at="13:52",
                responder="Priya",
            )
        ),
    ),
    Step(
        "log",
        lambda f: ["log", "Error rate 38%", "--at", "13:59"],
        lambda c, f: c.log_event(EventDraft(START.replace(minute=59, hour=13), "Error rate 38%")),
    ),
    Step(
        "role",
        lambda f: ["role", "comms", "Marcus"],
        lambda c, f: c.assign_role(RoleDraft(Role.COMMS, "Marcus")),
    ),
    Step(
        "role sme",
        lambda f: ["role", "sme", "Wei"],
        lambda c, f: c.assign_role(RoleDraft(Role.SME, "Wei")),
    ),
    Step(
        "release",
        lambda f: ["role", "sme", "Wei", "--release"],
        lambda c, f: c.release_role(Role.SME, "Wei"),
    ),
    Step(
        "severity",
        lambda f: ["sev", "1", "--reason", "all regions"],
        lambda c, f: c.set_severity(SeverityDraft(Severity.SEV1, "all regions")),
    ),
    Step(
        "status",
        lambda f: ["status", "identified", "--note", "pool starved"],
        lambda c, f: c.set_status(StatusDraft(Status.IDENTIFIED, "pool starved")),
    ),
    Step(
        "decide",
        lambda f: ["decide", "Roll back", "--why", "deploy correlates", "--by", "Priya"],
        lambda c, f: c.decide(DecisionDraft("Roll back", "deploy correlates", "Priya")),
    ),
    Step(
        "action",
        lambda f: ["action", "Canary deploys", "--owner", "Dana"],
        lambda c, f: c.add_action_item(ActionItemDraft("Canary deploys", "Dana")),
    ),
    Step(
        "action done",
        lambda f: ["action", "done", f("Canary deploys")],
        lambda c, f: c.complete_action_item(f("Canary deploys")),
    ),
    Step(
        "update",
        lambda f: ["update", "customers", "We are investigating."],
        lambda c, f: c.record_update("external", "We are investigating."),
    ),
    Step("snooze", lambda f: ["snooze", "internal", "15"], lambda c, f: c.snooze("internal", 15)),
    Step(
        "amend",
        lambda f: ["amend", f("Error rate 38%"), "Error rate 38% on POST /checkout"],
        lambda c, f: c.amend(f("Error rate 38%"), "Error rate 38% on POST /checkout"),
    ),
    Step(
        "note to strike",
        lambda f: ["log", "DB is down"],
        lambda c, f: c.log_event(EventDraft(_at(13), "DB is down")),
    ),
    Step(
        "strike",
        lambda f: ["strike", f("DB is down"), "--why", "wrong incident"],
        lambda c, f: c.strike(f("DB is down"), "wrong incident"),
    ),
    Step(
        "mitigate",
        lambda f: ["mark", "mitigated", "--note", "rolled back to 2.13"],
        lambda c, f: c.apply_mitigation("rolled back to 2.13"),
    ),
    Step(
        "verify",
        lambda f: ["mark", "verified", "--note", "test purchase works"],
        lambda c, f: c.verify_mitigation("test purchase works"),
    ),
    Step(
        "criterion",
        lambda f: ["criteria", "root-cause"],
        lambda c, f: c.tick_criteria({"root-cause": True}),
    ),
    Step(
        "edit",
        lambda f: ["edit", "--impact", "EU and US card payments fail", "--title", "Checkout 500s"],
        lambda c, f: c.edit_header(impact="EU and US card payments fail", title="Checkout 500s"),
    ),
    Step(
        "resolve",
        lambda f: ["status", "resolved"],
        lambda c, f: c.set_status(StatusDraft(Status.RESOLVED)),
    ),
    Step(
        "close", lambda f: ["close", "--aar", "2026-12-03"], lambda c, f: c.close(date(2026, 12, 3))
    ),
    Step("reopen", lambda f: ["reopen"], lambda c, f: c.reopen()),
    Step("ack again", lambda f: ["ack"], lambda c, f: c.acknowledge()),
    Step(
        "dismiss nudge",
        lambda f: ["nudges", "no-scribe"],
        lambda c, f: c.dismiss_nudge("no-scribe"),
    ),
]
"""Every operation both front ends offer, in an order an incident could go through."""


def finder(record: Callable[[], IncidentRecord]) -> Find:
    def find(text: str) -> str:
        current = record()
        for item in current.action_items:
            if item.text == text:
                return item.id
        return next(e.id for e in current.events if e.text == text)

    return find


def normalised(record: IncidentRecord) -> dict[str, Any]:
    """The record as a dict with ids replaced by their order of first appearance."""
    raw = record.to_dict()
    names: dict[str, str] = {}

    def name(value: str) -> str:
        return names.setdefault(value, f"#{len(names)}")

    for key in ("events", "roles", "decisions", "action_items"):
        for item in raw[key]:
            item["id"] = name(item["id"])
            item.pop("recorded_at", None)
    for event in raw["events"]:
        for ref in ("decision_id", "action_item_id", "amends", "strikes"):
            if ref in event["data"]:
                event["data"][ref] = name(event["data"][ref])
    return raw


def run_through_cli(data_dir: Path) -> IncidentRecord:
    store = IncidentStore(data_dir, clock=FrozenClock(START), author=AUTHOR)

    def current() -> IncidentRecord:
        listed = store.list_incidents(include_closed=True)
        return store.open(listed[0].id).record()

    find = finder(current)
    for minute, step in enumerate(STEPS):
        done = run_cli(step.cli(find), data_dir, at=_at(minute).isoformat())
        assert done.code == 0, (step.name, done.err)
    return current()


async def run_through_app(data_dir: Path) -> tuple[IncidentRecord, Path]:
    clock = FrozenClock(START)
    store = IncidentStore(data_dir, clock=clock, author=AUTHOR)
    app = IncidentApp(store, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        controller = app.controller

        def current() -> IncidentRecord:
            record = controller.record()
            assert record is not None
            return record

        find = finder(current)
        for minute, step in enumerate(STEPS):
            clock.set(_at(minute))
            step.app(controller, find)
            await pilot.pause()
        record = current()
        exported = controller.export_markdown()
    return record, exported


@pytest.fixture(autouse=True)
def _cli_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The subprocess CLI and the app must read the same (absent) config file.
    monkeypatch.setenv("INCIDENT_TUI_CONFIG_DIR", str(tmp_path / "config"))


async def test_cli_and_app_store_the_same_record(tmp_path: Path) -> None:
    from_cli = run_through_cli(tmp_path / "cli")
    from_app, _ = await run_through_app(tmp_path / "app")
    left, right = normalised(from_cli), normalised(from_app)
    assert left["incident"] == right["incident"]
    assert len(left["events"]) == len(right["events"])
    for one, other in zip(left["events"], right["events"], strict=True):
        assert one == other
    for key in ("roles", "decisions", "action_items"):
        assert left[key] == right[key], key
    assert left == right
    # The walk really went everywhere the table says.
    texts = [e.text for e in from_app.events]
    assert any(t.startswith("Struck: DB is down") for t in texts)
    assert from_app.incident.status is Status.INVESTIGATING  # closed, then reopened
    closing = next(e for e in from_app.events if e.data.get("to") == "closed")
    assert closing.data["aar_date"] == "2026-12-03"
    assert from_app.incident.aar_date is None  # reopening undid the close
    assert from_app.incident.checklist == {"mitigation-verified": True, "root-cause": True}


async def test_cli_and_app_export_the_same_file_safely(tmp_path: Path) -> None:
    run_through_cli(tmp_path / "cli")
    _, app_file = await run_through_app(tmp_path / "app")
    cli_file = tmp_path / "cli-export.md"
    done = run_cli(
        ["export", "1", "-o", str(cli_file)],
        tmp_path / "cli",
        at=_at(len(STEPS) - 1).isoformat(),
    )
    assert done.code == 0, done.err
    assert cli_file.read_text() == app_file.read_text()
    for path in (cli_file, app_file):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(app_file.parent.stat().st_mode) == 0o700


KEYED = [
    # (CLI command line, keys pressed in the app) for the same operation
    (["log", "rollback started"], ["t", *"rollback started", "enter"]),
    (["mark", "verified", "--note", "test purchase ok"], ["v", *"test purchase ok", "enter"]),
    (["criteria", "root-cause"], ["k", "down", "space", "escape"]),
    (["close", "--aar", "2026-12-05"], ["k", "c", "enter"]),
]
"""Operations driven through the app's own keys and dialogs (Pilot), not the controller."""


async def test_keys_in_the_app_store_what_the_cli_stores(tmp_path: Path) -> None:
    cli_dir, app_dir = tmp_path / "cli", tmp_path / "app"
    declare = ["new", "Checkout errors", "--sev", "2", "--responder", "Priya"]
    assert run_cli(declare, cli_dir, at=START.isoformat()).code == 0
    for minute, (command, _) in enumerate(KEYED, start=1):
        done = run_cli(command, cli_dir, at=_at(minute).isoformat())
        assert done.code == 0, (command, done.err)
    cli_store = IncidentStore(cli_dir, clock=FrozenClock(START), author=AUTHOR)
    from_cli = cli_store.open("INC-20261128-1").record()

    clock = FrozenClock(START)
    store = IncidentStore(app_dir, clock=clock, author=AUTHOR)
    # Declared the way the app's form does it (the first test covers the form's parity).
    IncidentController(store, clock).declare(
        DeclareDraft("Checkout errors", Severity.SEV2, responder="Priya")
    )
    app = IncidentApp(store, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        for minute, (_, keys) in enumerate(KEYED, start=1):
            clock.set(_at(minute))
            await pilot.press(*keys)
            await pilot.pause()
    from_app = IncidentStore(app_dir, clock=clock, author=AUTHOR).open("INC-20261128-1").record()
    assert from_app.incident.status is Status.CLOSED
    assert normalised(from_cli) == normalised(from_app)
