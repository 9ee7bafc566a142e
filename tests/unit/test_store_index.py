"""Listing incidents: newest first, closed hidden, and an index that heals itself."""

from __future__ import annotations

from datetime import timedelta

from incident_tui.core import operations as ops
from incident_tui.core.clock import FrozenClock
from incident_tui.core.models import Severity
from incident_tui.core.store import IncidentStore

HOUR = timedelta(hours=1)


def declare_three(store: IncidentStore, clock: FrozenClock) -> list[str]:
    ids = []
    for title in ("first", "second", "third"):
        ids.append(ops.declare(store, title).id)
        clock.advance(HOUR)
    return ids


def titles(store: IncidentStore, include_closed: bool = False) -> list[str]:
    return [s.title for s in store.list_incidents(include_closed=include_closed)]


def test_list_is_newest_first_and_hides_closed(store: IncidentStore, clock: FrozenClock) -> None:
    _, second, third = declare_three(store, clock)
    ops.close(store.open(third))
    assert titles(store) == ["second", "first"]
    assert titles(store, include_closed=True) == ["third", "second", "first"]
    assert store.latest_open() == second
    assert store.resolve_id(None) == second


def test_list_is_empty_without_incidents(store: IncidentStore) -> None:
    assert store.list_incidents(include_closed=True) == []
    assert store.latest_open() is None


def test_changes_from_another_store_show_up(store: IncidentStore, clock: FrozenClock) -> None:
    first, *_ = declare_three(store, clock)
    assert store.list_incidents()[-1].severity is Severity.SEV1
    other = IncidentStore(store.data_dir, clock=clock)
    ops.set_severity(other.open(first), Severity.SEV2)
    ops.edit_header(other.open(first), title="renamed")
    summary = store.list_incidents()[-1]
    assert (summary.title, summary.severity) == ("renamed", Severity.SEV2)


def test_deleted_index_is_rebuilt(store: IncidentStore, clock: FrozenClock) -> None:
    declare_three(store, clock)
    before = store.list_incidents()
    (store.data_dir / "index.db").unlink()
    assert IncidentStore(store.data_dir, clock=clock).list_incidents() == before
    assert (store.data_dir / "index.db").exists()


def test_damaged_index_is_set_aside_and_rebuilt(store: IncidentStore, clock: FrozenClock) -> None:
    ids = declare_three(store, clock)
    before = store.list_incidents()
    files = {i: store.path_for(i).read_bytes() for i in ids}
    (store.data_dir / "index.db").write_bytes(b"\x00garbage\n")
    assert IncidentStore(store.data_dir, clock=clock).list_incidents() == before
    assert (store.data_dir / "index.db.damaged").read_bytes() == b"\x00garbage\n"
    assert {i: store.path_for(i).read_bytes() for i in ids} == files


def test_index_with_wrong_shaped_entries_is_corrected(
    store: IncidentStore, clock: FrozenClock
) -> None:
    declare_three(store, clock)
    before = store.list_incidents()
    fresh = IncidentStore(store.data_dir, clock=clock)
    index = fresh._index._open().table("incidents")
    index.update({"severity": "very bad", "stamp": None})
    assert fresh.list_incidents() == before


def test_deleted_incident_leaves_the_list_and_the_index(
    store: IncidentStore, clock: FrozenClock
) -> None:
    first, second, _ = declare_three(store, clock)
    store.list_incidents()
    store.path_for(second).unlink()
    assert titles(store) == ["third", "first"]
    entries = {d["id"] for d in store._index._open().table("incidents").all()}
    assert second not in entries and first in entries


def test_unreadable_incident_is_left_out_of_the_list_and_untouched(
    store: IncidentStore, clock: FrozenClock
) -> None:
    _, second, _ = declare_three(store, clock)
    path = store.path_for(second)
    path.write_bytes(b"{broken\n" + path.read_bytes())
    broken = path.read_bytes()
    assert titles(IncidentStore(store.data_dir, clock=clock)) == ["third", "first"]
    assert path.read_bytes() == broken


def test_warm_list_does_not_reread_unchanged_incidents(
    store: IncidentStore, clock: FrozenClock
) -> None:
    declare_three(store, clock)
    store.list_incidents()
    fresh = IncidentStore(store.data_dir, clock=clock)
    fresh._index._read_summary = None  # type: ignore[assignment,method-assign]
    assert titles(fresh) == ["third", "second", "first"]  # served wholly from the index


def test_cold_list_agrees_with_each_opened_incident(
    store: IncidentStore, clock: FrozenClock
) -> None:
    ids = declare_three(store, clock)
    ops.set_severity(store.open(ids[0]), Severity.SEV2)
    ops.log(store.open(ids[0]), 'a note that mentions "incident" in quotes')
    ops.close(store.open(ids[1]))
    store.open(ids[1]).compact()
    ops.edit_header(store.open(ids[2]), title="renamed after the fact")
    (store.data_dir / "index.db").unlink(missing_ok=True)
    fresh = IncidentStore(store.data_dir, clock=clock)
    listed = {s.id: s for s in fresh.list_incidents(include_closed=True)}
    for incident_id in ids:
        header = IncidentStore(store.data_dir, clock=clock).open(incident_id).record().incident
        summary = listed[incident_id]
        assert (summary.title, summary.severity, summary.status) == (
            header.title,
            header.severity,
            header.status,
        )
