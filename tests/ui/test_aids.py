"""The command aids driven by keys on the IC's screen, checked against what ends up on disk."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from textual.widgets import Input, OptionList, Select, Static

from incident_tui.core import clipboard
from incident_tui.core import operations as ops
from incident_tui.core.clock import FrozenClock
from incident_tui.core.errors import StoreError
from incident_tui.core.models import EventKind, IncidentRecord, Role, Severity, Status
from incident_tui.core.playbook import CRITERION_KEYS
from incident_tui.core.store import IncidentFile, IncidentStore
from incident_tui.ui.app import IncidentApp
from incident_tui.ui.modals.checklist import ChecklistModal
from incident_tui.ui.modals.close import CloseModal
from incident_tui.ui.modals.compose import ComposeModal
from incident_tui.ui.modals.decision import DecisionModal
from incident_tui.ui.modals.handoff import HandoffModal
from incident_tui.ui.modals.mitigation import MitigationModal
from incident_tui.ui.modals.nudge import NudgeModal
from incident_tui.ui.modals.role import RoleModal
from incident_tui.ui.modals.verify import VerifyModal
from incident_tui.ui.widgets.attention import AttentionStrip

SIZE = (120, 36)

Read = Callable[[], IncidentRecord]


def strip_text(app: IncidentApp) -> str:
    return str(app.screen.query_one(AttentionStrip).render())


async def test_m_logs_the_chosen_pattern_as_mitigation_applied(
    demo_app: IncidentApp, clock: FrozenClock, on_disk: Read
) -> None:
    clock.advance(timedelta(minutes=1))
    async with demo_app.run_test(size=SIZE) as pilot:
        await pilot.press("m")
        assert isinstance(demo_app.screen, MitigationModal)
        await pilot.press("down", "down", "enter")  # roll back -> flag off -> failover
        await pilot.press(*"db to replica", "enter")
        await pilot.pause()
        assert not isinstance(demo_app.screen, MitigationModal)
    record = on_disk()
    event = record.events[-1]
    assert event.kind is EventKind.MITIGATION
    assert event.text == "Mitigation applied: Fail over: db to replica"
    assert record.incident.mitigated_at == clock.now()


async def test_m_other_needs_words_and_logs_them_alone(
    demo_app: IncidentApp, on_disk: Read
) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await pilot.press("m")
        await pilot.press(*["down"] * 8, "enter")  # the last pattern: other
        await pilot.press("enter")  # no words: refused, the dialog comes back with the reason
        await pilot.pause()
        assert isinstance(demo_app.screen, MitigationModal)
        assert "other needs a description" in str(demo_app.screen.query_one("#form-error").render())
        await pilot.press("enter")  # the reopened dialog keeps "other"; on to the detail
        await pilot.press(*"moved DNS to the old load balancer", "enter")
        await pilot.pause()
        assert not isinstance(demo_app.screen, MitigationModal)
    event = on_disk().events[-1]
    assert event.text == "Mitigation applied: moved DNS to the old load balancer"


async def test_v_shows_what_was_applied_without_the_milestone_label(
    demo_app: IncidentApp,
) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await pilot.press("v")
        assert isinstance(demo_app.screen, VerifyModal)
        shown = "\n".join(str(s.render()) for s in demo_app.screen.query(Static))
        assert "Applied: rollback to 2.13.2 complete in all regions" in shown
        assert "Mitigation applied" not in shown


async def test_m_escape_writes_nothing(demo_app: IncidentApp, on_disk: Read) -> None:
    before = on_disk()
    async with demo_app.run_test(size=SIZE) as pilot:
        await pilot.press("m", "escape")
        await pilot.pause()
    assert on_disk() == before


async def test_v_marks_verified_and_ticks_that_criterion(
    demo_app: IncidentApp, clock: FrozenClock, on_disk: Read
) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await pilot.press("v")
        assert isinstance(demo_app.screen, VerifyModal)
        await pilot.press("enter")  # nothing typed: refused, dialog stays
        await pilot.pause()
        assert isinstance(demo_app.screen, VerifyModal)
        assert "Say how it was verified" in str(demo_app.screen.query_one("#form-error").render())
        await pilot.press(*"test purchase ok in EU+US", "enter")
        await pilot.pause()
    record = on_disk()
    assert record.incident.verified_at == clock.now()
    assert record.incident.checklist == {"mitigation-verified": True}
    verified = [e for e in record.events if e.data.get("milestone") == "verified"]
    assert verified[-1].text == "Mitigation verified: test purchase ok in EU+US"


async def test_k_ticks_criteria_and_keeps_them_on_escape(
    demo_app: IncidentApp, on_disk: Read
) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await pilot.press("k")
        assert isinstance(demo_app.screen, ChecklistModal)
        await pilot.press("space", "down", "down", "space", "escape")
        await pilot.pause()
        assert not isinstance(demo_app.screen, ChecklistModal)
        await pilot.press("k", "space", "escape")  # untick the first one again
        await pilot.pause()
    checklist = on_disk().incident.checklist
    assert checklist == {"mitigation-verified": False, "systems-normal": True}


async def test_close_flow_stores_aar_date_and_closes(
    demo_app: IncidentApp, clock: FrozenClock, data_dir: Path
) -> None:
    def on_disk() -> IncidentRecord:
        # A closed incident is no longer "the latest open one": read it by id.
        return IncidentStore(data_dir, clock=clock, author="reader").open("INC-20261128-1").record()

    async with demo_app.run_test(size=SIZE) as pilot:
        await pilot.press("k", "c")
        await pilot.pause()
        assert isinstance(demo_app.screen, CloseModal)
        listed = str(demo_app.screen.query_one(".close-list", Static).render())
        assert "Reconcile orders stuck in 'pending'" in listed
        aar = demo_app.screen.query_one("#aar", Input)
        assert aar.value == "2026-12-05"  # a week out by default
        aar.value = "2027-01-20"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(demo_app.screen, CloseModal)  # beyond two weeks: refused
        assert on_disk().incident.status is Status.IDENTIFIED
        assert "AAR date must be between" in str(demo_app.screen.query_one("#form-error").render())
        aar.value = "+10"
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(demo_app.screen, CloseModal)
    incident = on_disk().incident
    assert incident.status is Status.CLOSED
    assert incident.aar_date == date(2026, 12, 8)
    assert incident.closed_at == clock.now()
    last = on_disk().events[-1]
    assert last.text == "Status identified → closed: AAR on 2026-12-08; 3 action items open"


async def test_a_failed_close_reopens_with_the_typed_aar_date(
    demo_app: IncidentApp, on_disk: Read, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(self: IncidentFile) -> None:
        raise StoreError("incident file: write failed (No space left on device)")

    monkeypatch.setattr(IncidentFile, "write", disk_full)
    async with demo_app.run_test(size=SIZE) as pilot:
        await pilot.press("k", "c")
        await pilot.pause()
        demo_app.screen.query_one("#aar", Input).value = "+10"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(demo_app.screen, CloseModal)  # reopened, not lost
        assert demo_app.screen.query_one("#aar", Input).value == "2026-12-08"
        assert "No space left" in str(demo_app.screen.query_one("#form-error").render())
    assert on_disk().incident.status is Status.IDENTIFIED
    assert on_disk().incident.aar_date is None


async def test_h_shows_the_brief_and_y_copies_it(
    demo_app: IncidentApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    copied: list[str] = []

    def fake_copy(text: str) -> object:
        copied.append(text)
        return _Confirmed()

    # The screen imports the clipboard chain when first used, so swap it where it lives.
    monkeypatch.setattr(clipboard, "copy_text", fake_copy)
    async with demo_app.run_test(size=SIZE) as pilot:
        await pilot.press("h")
        assert isinstance(demo_app.screen, HandoffModal)
        shown = str(demo_app.screen.query_one("#brief", Static).render())
        assert "Severity: SEV-1 Critical" in shown
        assert "  stakeholders: none sent yet" in shown
        await pilot.press("y")
        await demo_app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(demo_app.screen, HandoffModal)
    assert len(copied) == 1
    assert copied[0].startswith("HANDOFF BRIEF INC-20261128-1: Checkout errors")
    assert "Open actions (3):" in copied[0]


class _Confirmed:
    """Stands in for a confirmed clipboard copy."""

    wants_osc52 = False

    def summary(self) -> str:
        return "Copied via test"


async def test_handing_off_ic_records_it_and_offers_the_brief(
    demo_app: IncidentApp, clock: FrozenClock, on_disk: Read
) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        assert isinstance(demo_app.screen, RoleModal)
        await pilot.press(*"Bob Stone", "enter")
        await pilot.pause()
        assert isinstance(demo_app.screen, HandoffModal)
        shown = str(demo_app.screen.query_one("#brief", Static).render())
        await pilot.press("escape")
    assert "Handoff: Incident commander from Priya Raman to Bob Stone at 14:00" in shown
    assert "  Incident commander: Bob Stone" in shown
    record = on_disk()
    assert record.holder(Role.IC) == "Bob Stone"
    handoff = record.roles[-1]
    assert (handoff.previous, handoff.name, handoff.assigned_at) == (
        "Priya Raman",
        "Bob Stone",
        clock.now(),
    )


async def test_n_dismisses_the_top_nudge_and_logs_it(demo_app: IncidentApp, on_disk: Read) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Stakeholders not told yet, overdue" in strip_text(demo_app)
        await pilot.press("n")
        assert isinstance(demo_app.screen, NudgeModal)
        await pilot.press("x")
        await pilot.pause()
        assert "Nothing needs your attention" in strip_text(demo_app)
    last = on_disk().events[-1]
    assert last.kind is EventKind.SYSTEM
    assert last.data == {"nudge": "update-overdue:stakeholders", "dismissed": True}


async def test_n_acts_on_a_missing_role_by_opening_the_role_dialog(
    store: IncidentStore, clock: FrozenClock, data_dir: Path
) -> None:
    inc = ops.declare(store, "Search slow", severity=Severity.SEV3, responder="ana")
    app = IncidentApp(store, inc.id, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        assert isinstance(app.screen, NudgeModal)
        assert app.screen.nudge.key == "no-scribe"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RoleModal)
        assert app.screen.query_one("#role", Select).value is Role.SCRIBE
        await pilot.press(*"dee", "enter")
        await pilot.pause()
        assert "Nothing needs your attention" in strip_text(app)
    assert inc.record().holder(Role.SCRIBE) == "dee"


async def test_strip_follows_the_clock_and_other_writers(
    store: IncidentStore, clock: FrozenClock, data_dir: Path
) -> None:
    inc = ops.declare(store, "Checkout down", severity=Severity.SEV1, responder="ana")
    for role, name in ((Role.COMMS, "ben"), (Role.OPS, "cy"), (Role.SCRIBE, "dee")):
        ops.assign_role(inc, role, name)
    app = IncidentApp(store, inc.id, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Nothing needs your attention" in strip_text(app)
        other = IncidentStore(data_dir, clock=clock, author="comms")  # another terminal
        clock.advance(timedelta(minutes=14))
        ops.record_update(other.open(inc.id), "internal", "Internal update")
        clock.advance(timedelta(minutes=1))
        await pilot.pause(1.2)  # one tick: executives are due 15 min after declaration
        assert "Stakeholders not told yet, overdue" in strip_text(app)
        ops.record_update(other.open(inc.id), "stakeholders", "Exec update")
        await pilot.pause(1.2)  # one poll
        assert "Stakeholders" not in strip_text(app)


async def test_d_records_a_rubric_answer_and_reason(demo_app: IncidentApp, on_disk: Read) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await pilot.press("d")
        modal = demo_app.screen
        assert isinstance(modal, DecisionModal)
        modal.query_one("#rubric", Select).value = "communicate-publicly"
        await pilot.pause()
        guide = str(modal.query_one("#rubric-guide", Static).render())
        assert "support is getting questions" in guide
        await pilot.press("enter")  # no answer yet: refused
        await pilot.pause()
        assert isinstance(demo_app.screen, DecisionModal)
        modal.query_one("#rubric-answer", Select).value = "yes"
        modal.query_one("#why", Input).value = "support tickets doubling"
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(demo_app.screen, DecisionModal)
    decision = on_disk().decisions[-1]
    assert (decision.rubric, decision.answer) == ("communicate-publicly", "yes")
    assert decision.what == "Communicate publicly? Yes"
    assert decision.why == "support tickets doubling"


async def test_closing_with_every_criterion_ticked_warns_of_nothing(
    demo_app: IncidentApp, demo_store: IncidentStore, on_disk: Read
) -> None:
    incident = demo_store.open(demo_store.resolve_id(None))
    for audience in ("internal", "external"):  # the final updates tick themselves
        ops.record_update(
            incident, audience, f"{audience} resolved update", details={"template": "resolved"}
        )
    async with demo_app.run_test(size=SIZE) as pilot:
        await pilot.press("k")
        for _ in CRITERION_KEYS:
            await pilot.press("space", "down")
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(demo_app.screen, CloseModal)
        assert demo_app.screen.unticked == []
        await pilot.press("escape")  # changed my mind: ticks stay, nothing closed
        await pilot.pause()
    header = on_disk().incident
    assert all(header.checklist[key] for key in CRITERION_KEYS if key != "final-updates")
    assert header.status is Status.IDENTIFIED


async def test_n_acting_on_a_late_audience_opens_the_update_composer(
    demo_app: IncidentApp,
) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "enter")
        await pilot.pause()
        assert isinstance(demo_app.screen, ComposeModal)
        assert demo_app.screen.audience == "stakeholders"  # the late one is due first


async def test_strip_is_blank_with_no_incident_open(
    store: IncidentStore, clock: FrozenClock
) -> None:
    app = IncidentApp(store, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        # The declare form is on top; the strip is on the IC's screen beneath it.
        (screen,) = [s for s in app.screen_stack if s.query(AttentionStrip)]
        strip = screen.query_one(AttentionStrip)
        assert str(strip.render()).strip() == ""
        assert strip.nudges == []


async def test_each_aid_is_in_the_command_palette(demo_app: IncidentApp) -> None:
    wanted = [
        ("Mitig", MitigationModal),
        ("Verif", VerifyModal),
        ("Resol", ChecklistModal),
        ("Hando", HandoffModal),
        ("Nudg", NudgeModal),
    ]
    async with demo_app.run_test(size=SIZE) as pilot:
        for words, modal in wanted:
            await pilot.press("ctrl+p")
            await pilot.press(*words)
            await pilot.pause(0.2)  # the palette searches in the background
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(demo_app.screen, modal), words
            await pilot.press("escape")
            await pilot.pause()


async def test_checklist_marks_differ_in_shape_and_each_tick_is_saved_at_once(
    demo_app: IncidentApp, on_disk: Read
) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await pilot.press("k")
        modal = demo_app.screen
        assert isinstance(modal, ChecklistModal)
        await pilot.press("space")  # tick the first criterion; the dialog stays open
        await pilot.pause()
        assert on_disk().incident.checklist.get("mitigation-verified") is True  # saved already
        rows = [
            str(modal.query_one("#criteria", OptionList).get_option_at_index(i).prompt)
            for i in range(len(CRITERION_KEYS))
        ]
        assert rows[0].startswith("[x] Mitigation in place")
        assert rows[1].startswith("[ ] Root cause")
        final = rows[CRITERION_KEYS.index("final-updates")]
        assert final.startswith("[ ] Final internal") and "post the resolved updates" in final
        await pilot.press("down", "down", "down", "down", "space")  # the final-updates row
        await pilot.pause()
        assert "final-updates" not in on_disk().incident.checklist  # not ticked by hand
        assert "Ticked by the timeline" in str(modal.query_one("#form-error", Static).render())


async def test_the_close_dialog_offers_and_checks_the_configured_aar_window(
    demo_app: IncidentApp, clock: FrozenClock, data_dir: Path
) -> None:
    config = Path(os.environ["INCIDENT_TUI_CONFIG_DIR"])
    config.mkdir(parents=True, exist_ok=True)
    (config / "config.toml").write_text(
        "[aar]\nearliest_days = 3\ndefault_days = 21\nlatest_days = 30\n", encoding="utf-8"
    )
    async with demo_app.run_test(size=SIZE) as pilot:
        await pilot.press("k", "c")
        await pilot.pause()
        aar = demo_app.screen.query_one("#aar", Input)
        assert aar.value == "2026-12-19"  # the configured three weeks, not the built-in one
        aar.value = "+2"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(demo_app.screen, CloseModal)  # refused in the dialog, said why
        assert "3 to 30 days" in str(demo_app.screen.query_one("#form-error").render())
        aar.value = "+25"  # beyond the built-in 14 days, inside the configured 30
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(demo_app.screen, CloseModal)
    closed = IncidentStore(data_dir, clock=clock).open("INC-20261128-1").record().incident
    assert (closed.status, closed.aar_date) == (Status.CLOSED, date(2026, 12, 23))
