"""Property: the JSON export is the complete record; importing it recreates the incident exactly."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mdlint_helper import markdownlint

from incident_tui.core import operations as ops
from incident_tui.core.clock import FrozenClock
from incident_tui.core.errors import InvalidInputError
from incident_tui.core.export import from_json, to_json, to_markdown
from incident_tui.core.models import (
    ActionItem,
    Decision,
    DetectionSource,
    EventKind,
    Incident,
    IncidentRecord,
    Role,
    RoleAssignment,
    Severity,
    Status,
    TimelineEvent,
    sort_events,
)
from incident_tui.core.store import IncidentStore

moments = st.datetimes(
    min_value=datetime(2001, 1, 1), max_value=datetime(2090, 1, 1), timezones=st.just(UTC)
)
maybe_moment = st.none() | moments
text = st.text(max_size=40)
names = st.text(min_size=1, max_size=12)
ids = st.text(alphabet="0123456789ABCDEFGHJKMNPQRSTVWXYZ", min_size=26, max_size=26)
json_scalars = st.none() | st.booleans() | st.integers(-(2**53), 2**53) | text
data = st.dictionaries(st.text(max_size=10), json_scalars | st.lists(json_scalars, max_size=3))

incidents = st.builds(
    Incident,
    id=st.builds(
        lambda day, n: f"INC-{day}-{n}",
        st.sampled_from(["20261128", "20250101"]),
        st.integers(1, 999),
    ),
    title=names,
    severity=st.sampled_from(Severity),
    status=st.sampled_from(Status),
    detected_at=moments,
    declared_at=moments,
    impact=text,
    source=st.sampled_from(DetectionSource),
    acknowledged_at=maybe_moment,
    mitigated_at=maybe_moment,
    verified_at=maybe_moment,
    resolved_at=maybe_moment,
    closed_at=maybe_moment,
    aar_date=st.none() | st.dates(),
    checklist=st.dictionaries(st.text(min_size=1, max_size=10), st.booleans(), max_size=4),
    summary=text,
    scope=text,
    status_note=text,
    workaround=text,
    eta=text,
    data_at_risk=text,
)
events = st.builds(
    TimelineEvent,
    id=ids,
    kind=st.sampled_from(EventKind),
    text=names,
    occurred_at=moments,
    recorded_at=moments,
    author=text,
    data=data,
)
roles = st.builds(
    RoleAssignment,
    id=ids,
    role=st.sampled_from(Role),
    name=names,
    assigned_at=moments,
    previous=st.none() | names,
    released=st.booleans(),
)
decisions = st.builds(
    Decision,
    id=ids,
    what=names,
    why=text,
    decided_by=text,
    decided_at=moments,
    alternatives=text,
    reversible=st.none() | st.booleans(),
    rubric=st.none() | names,
    answer=st.none() | names,
)
action_items = st.builds(
    ActionItem,
    id=ids,
    text=names,
    created_at=moments,
    owner=text,
    due=maybe_moment,
    done=st.booleans(),
    done_at=maybe_moment,
)


@st.composite
def records(draw: st.DrawFn) -> IncidentRecord:
    """Any record, with its lists in the order the store keeps them."""
    return IncidentRecord(
        incident=draw(incidents),
        events=tuple(sort_events(draw(st.lists(events, max_size=8)))),
        roles=tuple(sorted(draw(st.lists(roles, max_size=5)), key=lambda r: (r.assigned_at, r.id))),
        decisions=tuple(
            sorted(draw(st.lists(decisions, max_size=3)), key=lambda d: (d.decided_at, d.id))
        ),
        action_items=tuple(
            sorted(draw(st.lists(action_items, max_size=3)), key=lambda a: (a.created_at, a.id))
        ),
    )


@settings(max_examples=150, deadline=None)
@given(records())
def test_json_export_then_import_recreates_the_record(record: IncidentRecord) -> None:
    assert from_json(to_json(record)) == record


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records())
def test_store_import_then_export_is_identical(record: IncidentRecord) -> None:
    """Through the store and back: the file written on import replays to the same record."""
    with tempfile.TemporaryDirectory() as tmp:
        clock = FrozenClock(datetime(2026, 11, 28, 14, 0, tzinfo=UTC))
        store = IncidentStore(Path(tmp), clock=clock, author="tester", fsync=False)
        store.import_record(from_json(to_json(record)))
        reopened = IncidentStore(Path(tmp), clock=clock, author="tester", fsync=False)
        again = reopened.open(record.incident.id).record()
        assert again == record
        assert to_json(again) == to_json(record)


@settings(max_examples=60, deadline=None)
@given(records(), moments)
def test_any_record_exports_to_markdown(record: IncidentRecord, now: datetime) -> None:
    """Whatever a record holds (even an imported oddity), the summary renders, title first."""
    text = to_markdown(record, now, tz=UTC)
    assert text.startswith("# Incident: ")
    assert text.count("\n## Timeline\n") == 1
    assert markdownlint(text) == []


def test_records_written_before_the_update_fields_still_import() -> None:
    """A file from before scope/status note/workaround/ETA/data at risk reads them as empty."""
    at = datetime(2026, 11, 28, 14, 0, tzinfo=UTC)
    current = IncidentRecord(
        Incident("INC-20261128-1", "Old", Severity.SEV2, Status.RESOLVED, at, at, scope="x")
    )
    raw = current.to_dict()
    for name in ("scope", "status_note", "workaround", "eta", "data_at_risk"):
        del raw["incident"][name]
    old = IncidentRecord.from_dict(raw)
    assert old.incident.scope == "" and old.incident.eta == ""
    assert old.incident == current.incident.with_changes(scope="")


def test_importing_twice_is_refused_without_touching_the_first(store: IncidentStore) -> None:
    inc = ops.declare(store, "Disk full", responder="Ana")
    exported = to_json(inc.record())
    with pytest.raises(InvalidInputError, match="already exists"):
        store.import_record(from_json(exported))
    assert to_json(store.open(inc.id).record()) == exported


def test_the_update_fields_survive_the_store_header_only_and_full(store: IncidentStore) -> None:
    fields = {
        "scope": "card payments for EU customers",
        "status_note": "pool starved by the 2.14.0 config",
        "workaround": "pay by PayPal",
        "eta": "16:30 UTC",
        "data_at_risk": "orders written between 21:00 and 21:40",
    }
    handle = ops.declare(store, "Checkout failing")
    ops.edit_header(handle, **fields)
    again = IncidentStore(store.data_dir, clock=store.clock, author="other")
    header = again.open(handle.id, read_all=False).header()
    full = again.open(handle.id).record().incident
    for name, value in fields.items():
        assert getattr(header, name) == value
        assert getattr(full, name) == value
