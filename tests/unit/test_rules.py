"""The pure rules, on records built in memory: no disk, no clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from incident_tui.core import rules
from incident_tui.core.errors import InvalidInputError
from incident_tui.core.models import (
    Audience,
    EventKind,
    Incident,
    IncidentRecord,
    Severity,
    Status,
    TimelineEvent,
)
from incident_tui.core.rules import AarWindow

NOW = datetime(2026, 11, 28, 14, 0, tzinfo=UTC)
TODAY = date(2026, 11, 28)


def header(**changes: Any) -> Incident:
    base = Incident(
        id="INC-20261128-1",
        title="Checkout errors",
        severity=Severity.SEV1,
        status=Status.INVESTIGATING,
        detected_at=NOW - timedelta(minutes=10),
        declared_at=NOW - timedelta(minutes=8),
    )
    return base.with_changes(**changes)


def event(n: int, kind: EventKind = EventKind.NOTE, text: str = "", **data: Any) -> TimelineEvent:
    at = NOW - timedelta(minutes=60 - n)
    return TimelineEvent(f"E{n:03d}", kind, text or f"event {n}", at, at, "ann", data)


def amendment(n: int, target: str, text: str) -> TimelineEvent:
    at = NOW - timedelta(minutes=60 - n)
    data = {"amends": target, "text": text}
    return TimelineEvent(f"E{n:03d}", EventKind.SYSTEM, f"Amended: {text}", at, at, "ann", data)


def record(*events: TimelineEvent, **changes: Any) -> IncidentRecord:
    return IncidentRecord(header(**changes), tuple(events))


# -- times ------------------------------------------------------------------------------------


def test_occurred_at_defaults_to_now_and_refuses_the_future_and_typos() -> None:
    assert rules.occurred_at(None, NOW) == NOW
    earlier = NOW - timedelta(hours=3)
    assert rules.occurred_at(earlier, NOW) == earlier
    with pytest.raises(InvalidInputError, match="future"):
        rules.occurred_at(NOW + timedelta(seconds=1), NOW)
    with pytest.raises(InvalidInputError, match="before 2000"):
        rules.occurred_at(datetime(1999, 12, 31, tzinfo=UTC), NOW)
    with pytest.raises(InvalidInputError, match="time zone"):
        rules.occurred_at(datetime(2026, 11, 28, 13, 0), NOW)


def test_due_times_stay_within_a_year() -> None:
    assert rules.due_at(NOW + timedelta(days=30), NOW) == NOW + timedelta(days=30)
    with pytest.raises(InvalidInputError, match="within a year"):
        rules.due_at(NOW + timedelta(days=400), NOW)


# -- status -----------------------------------------------------------------------------------


def test_resolving_stamps_resolved_and_an_active_status_clears_it() -> None:
    assert rules.status_changes(header(), Status.RESOLVED, NOW) == {
        "status": Status.RESOLVED,
        "resolved_at": NOW,
    }
    resolved = header(status=Status.RESOLVED, resolved_at=NOW)
    assert rules.status_changes(resolved, Status.MONITORING, NOW) == {
        "status": Status.MONITORING,
        "resolved_at": None,
    }


def test_status_closed_is_refused_and_points_to_close() -> None:
    with pytest.raises(InvalidInputError, match="use close"):
        rules.status_changes(header(), Status.CLOSED, NOW)
    with pytest.raises(InvalidInputError, match="reopen"):
        rules.status_changes(header(status=Status.CLOSED), Status.MONITORING, NOW)
    with pytest.raises(InvalidInputError, match="already investigating"):
        rules.status_changes(header(), Status.INVESTIGATING, NOW)


def test_status_is_active_only_before_resolution() -> None:
    assert [s for s in Status if s.is_active] == [
        Status.INVESTIGATING,
        Status.IDENTIFIED,
        Status.MONITORING,
    ]


# -- milestones -------------------------------------------------------------------------------


def test_verified_implies_mitigated_and_acknowledged_when_missing() -> None:
    assert rules.milestone_changes(header(), "verified", NOW) == {
        "verified_at": NOW,
        "mitigated_at": NOW,
        "acknowledged_at": NOW,
    }
    earlier = NOW - timedelta(minutes=5)
    mitigated = header(acknowledged_at=earlier, mitigated_at=earlier)
    assert rules.milestone_changes(mitigated, "verified", NOW) == {"verified_at": NOW}
    with pytest.raises(InvalidInputError, match="unknown milestone"):
        rules.milestone_changes(header(), "fixed", NOW)


# -- closing and the AAR window ---------------------------------------------------------------


def test_closing_sets_status_time_and_aar_together() -> None:
    window = AarWindow()
    changes = rules.close_changes(header(), date(2026, 12, 5), NOW, window, TODAY)
    assert changes == {
        "status": Status.CLOSED,
        "closed_at": NOW,
        "aar_date": date(2026, 12, 5),
        "resolved_at": NOW,
    }
    with pytest.raises(InvalidInputError, match="already closed"):
        rules.close_changes(header(status=Status.CLOSED), date(2026, 12, 5), NOW, window, TODAY)


@pytest.mark.parametrize(
    ("aar", "ok"),
    [
        (TODAY, False),
        (TODAY + timedelta(days=1), True),
        (TODAY + timedelta(days=14), True),
        (TODAY + timedelta(days=15), False),
        (date(2027, 6, 1), False),
    ],
)
def test_the_aar_window_is_one_to_fourteen_days_by_default(aar: date, ok: bool) -> None:
    if ok:
        assert AarWindow().check(aar, TODAY) == aar
    else:
        with pytest.raises(InvalidInputError, match="between 2026-11-29 and 2026-12-12"):
            AarWindow().check(aar, TODAY)


def test_a_configured_window_moves_the_default_and_the_bounds() -> None:
    window = AarWindow(earliest=3, default=5, latest=21)
    assert window.parse("", TODAY) == TODAY + timedelta(days=5)
    assert window.parse("+21", TODAY) == TODAY + timedelta(days=21)
    with pytest.raises(InvalidInputError):
        window.parse("+2", TODAY)
    with pytest.raises(InvalidInputError, match="YYYY-MM-DD"):
        window.parse("next week", TODAY)
    with pytest.raises(InvalidInputError):
        AarWindow(earliest=5, default=3, latest=10)


def test_reopen_only_from_closed() -> None:
    closed = header(status=Status.CLOSED, closed_at=NOW, resolved_at=NOW)
    assert rules.reopen_changes(closed, Status.INVESTIGATING) == {
        "status": Status.INVESTIGATING,
        "closed_at": None,
        "aar_date": None,
        "resolved_at": None,
    }
    assert rules.reopen_changes(closed, Status.RESOLVED) == {
        "status": Status.RESOLVED,
        "closed_at": None,
        "aar_date": None,
    }
    with pytest.raises(InvalidInputError, match="not closed"):
        rules.reopen_changes(header(), Status.INVESTIGATING)


# -- header edits -----------------------------------------------------------------------------


def test_header_edits_say_old_and_new_in_header_order_and_check_the_aar() -> None:
    current = header(impact="EU card payments")
    real, lines = rules.header_edit(
        current, {"impact": "EU and US", "title": "Checkout 500s"}, AarWindow(), TODAY
    )
    assert real == {"title": "Checkout 500s", "impact": "EU and US"}
    assert lines == [
        "Title: Checkout errors -> Checkout 500s",
        "Impact: EU card payments -> EU and US",
    ]
    unchanged, none = rules.header_edit(current, {"title": "Checkout errors"}, AarWindow(), TODAY)
    assert unchanged == {} and none == []
    with pytest.raises(InvalidInputError, match="between"):
        rules.header_edit(current, {"aar_date": date(2027, 6, 1)}, AarWindow(), TODAY)
    with pytest.raises(InvalidInputError, match="cannot change severity"):
        rules.header_edit(current, {"severity": 2}, AarWindow(), TODAY)
    with pytest.raises(InvalidInputError, match="title must not be empty"):
        rules.header_edit(current, {"title": "  "}, AarWindow(), TODAY)


# -- corrections and updates ------------------------------------------------------------------


def test_amendments_change_the_effective_text_and_strikes_mark_it() -> None:
    note = event(1, text="DB is dwon")
    fixed = amendment(2, "E001", "DB is down")
    struck = event(3, EventKind.SYSTEM, strikes="E001", why="wrong incident")
    both = record(note, fixed, struck)
    fixes = rules.corrections(both)
    assert rules.effective_text(note, fixes) == "DB is down"
    assert fixes["E001"].struck and fixes["E001"].why == "wrong incident"
    assert rules.struck_ids(both) == frozenset({"E001"})
    assert note.text == "DB is dwon"  # the original is never changed


def test_corrections_cannot_be_corrected_and_state_changes_are_not_struck() -> None:
    fixed = amendment(2, "E001", "x")
    with pytest.raises(InvalidInputError, match="correction"):
        rules.check_amendable(fixed, record(event(1), fixed))
    change = event(3, EventKind.SEVERITY)
    with pytest.raises(InvalidInputError, match="new severity change"):
        rules.check_strikable(change, record(change))
    declared = event(4, EventKind.SYSTEM, milestone="declared")
    with pytest.raises(InvalidInputError, match="cannot be struck"):
        rules.check_strikable(declared, record(declared))


def test_striking_a_milestone_falls_back_to_the_one_before_or_clears_it() -> None:
    first = event(1, EventKind.MITIGATION, milestone="mitigated")
    second = event(2, EventKind.MITIGATION, milestone="mitigated")
    both = record(first, second)
    assert rules.milestones_after_strike(both, second) == {"mitigated_at": first.occurred_at}
    assert rules.milestones_after_strike(record(first), first) == {"mitigated_at": None}
    assert rules.milestones_after_strike(both, event(3)) == {}


def test_what_counts_as_an_update_to_an_audience() -> None:
    sent = event(1, EventKind.COMMS, audience="external", text="Status page")
    later = event(2, EventKind.COMMS, audience="external", text="Status page again")
    internal = event(3, EventKind.COMMS, audience="internal")
    odd = event(4, EventKind.COMMS, audience="press")
    note = event(5, audience="external")  # not a comms event
    assert rules.update_audience(sent) is Audience.EXTERNAL
    assert rules.update_audience(odd) is None and rules.update_audience(note) is None
    assert rules.update_audience(sent, frozenset({"E001"})) is None
    latest = rules.last_updates(record(sent, later, internal, odd, note))
    assert latest == {Audience.EXTERNAL: later, Audience.INTERNAL: internal}
    struck = event(6, EventKind.SYSTEM, strikes="E002", why="not sent")
    assert rules.last_updates(record(sent, later, internal, struck))[Audience.EXTERNAL] == sent


@pytest.mark.parametrize(
    ("typed", "audience"),
    [
        ("internal", Audience.INTERNAL),
        ("Team", Audience.INTERNAL),
        ("org", Audience.STAKEHOLDERS),
        ("customers", Audience.EXTERNAL),
        ("status-page", Audience.EXTERNAL),
        (" EXT ", Audience.EXTERNAL),
    ],
)
def test_one_audience_parser_with_aliases(typed: str, audience: Audience) -> None:
    assert Audience.parse(typed) is audience


def test_an_unknown_audience_names_the_choices() -> None:
    with pytest.raises(InvalidInputError, match="internal, stakeholders, external"):
        Audience.parse("press")
