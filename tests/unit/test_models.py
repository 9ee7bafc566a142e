"""The models: lossless dict round trips, parsing of user words, role board arithmetic."""

from __future__ import annotations

import gc
import sys
from datetime import UTC, date, datetime, timedelta, timezone

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from incident_tui.core.errors import InvalidInputError
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
    parse_enum,
)

T0 = datetime(2026, 11, 28, 14, 0, tzinfo=UTC)
MIN = timedelta(minutes=1)

aware_times = st.datetimes(
    min_value=datetime(2000, 1, 1),
    max_value=datetime(2100, 1, 1),
    timezones=st.sampled_from(
        [UTC, timezone(timedelta(hours=5, minutes=30)), timezone(-MIN * 420)]
    ),
)
texts = st.text(max_size=40)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)


def through_json(raw: dict[str, object]) -> dict[str, object]:
    """What a dict looks like after the store wrote it and read it back."""
    return orjson.loads(orjson.dumps(raw))  # type: ignore[no-any-return]


@given(
    st.builds(
        TimelineEvent,
        id=texts,
        kind=st.sampled_from(EventKind),
        text=texts,
        occurred_at=aware_times,
        recorded_at=aware_times,
        author=texts,
        data=st.dictionaries(st.text(max_size=8), json_values, max_size=4),
    )
)
def test_event_round_trips(event: TimelineEvent) -> None:
    again = TimelineEvent.from_dict(through_json(event.to_dict()))
    assert again == event
    assert again.occurred_at.tzinfo is not None


def test_an_event_row_is_frozen_small_and_out_of_the_collectors_sight() -> None:
    """An incident holds one event per row: 100,000 in a long one. Each is built without a
    Python ``__init__``, holds no GC header and is never walked by a cyclic collection."""
    event = TimelineEvent(
        id="01J", kind=EventKind.NOTE, text="x", occurred_at=T0, recorded_at=T0, data={"a": 1}
    )
    assert not gc.is_tracked(event)
    # the object header and one pointer per field, nothing more
    assert sys.getsizeof(event) == object.__basicsize__ + 7 * 8
    with pytest.raises(AttributeError):
        event.text = "changed"  # type: ignore[misc]
    assert event == TimelineEvent.from_dict(event.to_dict())
    assert (
        TimelineEvent(id="a", kind=EventKind.NOTE, text="", occurred_at=T0, recorded_at=T0).data
        == {}
    )


@given(
    st.builds(
        Incident,
        id=texts,
        title=texts,
        severity=st.sampled_from(Severity),
        status=st.sampled_from(Status),
        detected_at=aware_times,
        declared_at=aware_times,
        impact=texts,
        source=st.sampled_from(DetectionSource),
        acknowledged_at=st.none() | aware_times,
        mitigated_at=st.none() | aware_times,
        verified_at=st.none() | aware_times,
        resolved_at=st.none() | aware_times,
        closed_at=st.none() | aware_times,
        aar_date=st.none() | st.dates(),
        checklist=st.dictionaries(texts, st.booleans(), max_size=4),
        summary=texts,
    )
)
def test_incident_round_trips(incident: Incident) -> None:
    assert Incident.from_dict(through_json(incident.to_dict())) == incident


@given(
    st.builds(
        RoleAssignment,
        id=texts,
        role=st.sampled_from(Role),
        name=texts,
        assigned_at=aware_times,
        previous=st.none() | texts,
        released=st.booleans(),
    ),
    st.builds(
        Decision,
        id=texts,
        what=texts,
        why=texts,
        decided_by=texts,
        decided_at=aware_times,
        alternatives=texts,
        reversible=st.none() | st.booleans(),
        rubric=st.none() | texts,
        answer=st.none() | texts,
    ),
    st.builds(
        ActionItem,
        id=texts,
        text=texts,
        created_at=aware_times,
        owner=texts,
        due=st.none() | aware_times,
        done=st.booleans(),
        done_at=st.none() | aware_times,
    ),
)
def test_role_decision_action_round_trip(
    role: RoleAssignment, decision: Decision, item: ActionItem
) -> None:
    assert RoleAssignment.from_dict(through_json(role.to_dict())) == role
    assert Decision.from_dict(through_json(decision.to_dict())) == decision
    assert ActionItem.from_dict(through_json(item.to_dict())) == item


def test_times_are_stored_as_utc_iso() -> None:
    local = datetime(2026, 11, 28, 19, 30, tzinfo=timezone(timedelta(hours=5, minutes=30)))
    raw = TimelineEvent("e", EventKind.NOTE, "x", local, local).to_dict()
    assert raw["occurred_at"] == "2026-11-28T14:00:00+00:00"


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        TimelineEvent("e", EventKind.NOTE, "x", datetime(2026, 1, 1), T0).to_dict()


def test_record_round_trips_and_sorts_events() -> None:
    incident = Incident("INC-20261128-1", "t", Severity.SEV1, Status.MONITORING, T0, T0 + MIN)
    late = TimelineEvent("b", EventKind.NOTE, "late", T0 + 5 * MIN, T0 + 5 * MIN)
    early = TimelineEvent("a", EventKind.NOTE, "back-dated", T0 + MIN, T0 + 9 * MIN)
    record = IncidentRecord(
        incident=incident,
        events=(early, late),
        roles=(RoleAssignment("r", Role.IC, "ann", T0),),
        decisions=(Decision("d", "roll back", "deploy", "ann", T0 + MIN),),
        action_items=(ActionItem("x", "canary", T0, owner="bob", due=T0 + 60 * MIN),),
    )
    raw = through_json(record.to_dict())
    raw["events"] = list(reversed(raw["events"]))  # type: ignore[arg-type]
    assert IncidentRecord.from_dict(raw) == record


@pytest.mark.parametrize(
    "raw",
    [
        {},
        {"format": "something-else", "version": 1},
        {"format": "incident-tui/record", "version": 2},
        {"format": "incident-tui/record", "version": 1, "incident": {}},
        {"format": "incident-tui/record", "version": 1, "incident": None, "events": []},
    ],
)
def test_record_of_the_wrong_shape_is_a_clear_error(raw: dict[str, object]) -> None:
    with pytest.raises(InvalidInputError) as caught:
        IncidentRecord.from_dict(raw)
    assert "\n" not in str(caught.value)


def test_current_roles_follow_handoffs_and_releases() -> None:
    entries = (
        RoleAssignment("1", Role.IC, "ann", T0),
        RoleAssignment("2", Role.SME, "db", T0),
        RoleAssignment("3", Role.IC, "bob", T0 + MIN, previous="ann"),
        RoleAssignment("4", Role.SME, "net", T0 + MIN),
        RoleAssignment("5", Role.SME, "db", T0 + 2 * MIN, released=True),
        RoleAssignment("6", Role.SCRIBE, "cy", T0),
        RoleAssignment("7", Role.SCRIBE, "cy", T0 + 3 * MIN, released=True),
    )
    record = IncidentRecord(
        Incident("i", "t", Severity.SEV2, Status.INVESTIGATING, T0, T0), roles=entries
    )
    roles = record.current_roles()
    assert roles[Role.IC] == ["bob"] and roles[Role.SME] == ["net"]
    assert record.holder(Role.IC) == "bob"
    assert record.holder(Role.SCRIBE) is None
    assert record.holder(Role.COMMS) is None


@pytest.mark.parametrize(
    ("text", "level"), [("1", 1), ("sev2", 2), ("SEV-3", 3), (" sev 4 ", 4), (2, 2)]
)
def test_severity_parses_what_people_type(text: str | int, level: int) -> None:
    assert Severity.parse(text) == level
    assert Severity(level).label == f"SEV-{level}"


@pytest.mark.parametrize("text", ["0", "5", "sev", "critical", "", "1.5", "-1", "--2", "sev-"])
def test_bad_severity_lists_the_range(text: str) -> None:
    with pytest.raises(InvalidInputError, match="1 to 4"):
        Severity.parse(text)


def test_enum_parsing_names_the_choices() -> None:
    assert parse_enum(DetectionSource, " Third-Party ", "source") is DetectionSource.THIRD_PARTY
    with pytest.raises(InvalidInputError, match="alert, customer, internal, third-party"):
        parse_enum(DetectionSource, "pager", "source")


def test_milestones_and_open_statuses() -> None:
    incident = Incident(
        "i",
        "t",
        Severity.SEV2,
        Status.RESOLVED,
        T0,
        T0,
        resolved_at=T0 + MIN,
        aar_date=date(2026, 12, 5),
    )
    assert incident.milestone("resolved") == T0 + MIN
    assert incident.milestone("closed") is None
    with pytest.raises(InvalidInputError, match="unknown milestone"):
        incident.milestone("lunch")
    assert [s for s in Status if not s.is_open] == [Status.CLOSED]
