"""``HH:MM`` on the days the clocks change: the most recent such wall-clock moment, DST included.

Each test sets ``$TZ`` for itself (the suite pins UTC), so the parser reads the zone database
the way it does on a scribe's machine in New York or on Lord Howe Island, whose clocks move by
half an hour.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, available_timezones

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from incident_tui.core.timeparse import local_zone, parse_due, parse_time


@pytest.fixture
def zone(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[ZoneInfo]:
    name = request.param
    monkeypatch.setenv("TZ", name)
    time.tzset()
    yield ZoneInfo(name)
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


NY = "America/New_York"
LH = "Australia/Lord_Howe"


@pytest.mark.parametrize("zone", [NY], indirect=True)
def test_new_york_spring_forward_day(zone: ZoneInfo) -> None:
    # 2026-03-08: 02:00 EST becomes 03:00 EDT. Now is 10:00 EDT (14:00 UTC).
    now = utc(2026, 3, 8, 14, 0)
    assert parse_time("09:30", now) == utc(2026, 3, 8, 13, 30)  # EDT, not off by an hour
    assert parse_time("01:30", now) == utc(2026, 3, 8, 6, 30)  # still EST
    assert parse_time("03:15", now) == utc(2026, 3, 8, 7, 15)  # first minutes of EDT
    # 02:30 never showed on a New York clock that day: read with the offset before the change.
    assert parse_time("02:30", now) == utc(2026, 3, 8, 7, 30)
    # Typed just after the change, a time before it is still today.
    assert parse_time("01:55", utc(2026, 3, 8, 7, 5)) == utc(2026, 3, 8, 6, 55)


@pytest.mark.parametrize("zone", [NY], indirect=True)
def test_new_york_fall_back_day(zone: ZoneInfo) -> None:
    # 2026-11-01: 02:00 EDT becomes 01:00 EST; 01:00-01:59 happens twice.
    now = utc(2026, 11, 1, 15, 0)  # 10:00 EST
    assert parse_time("09:30", now) == utc(2026, 11, 1, 14, 30)
    assert parse_time("00:30", now) == utc(2026, 11, 1, 4, 30)  # EDT
    # After both 01:30s, "01:30" is the later one (EST)...
    assert parse_time("01:30", now) == utc(2026, 11, 1, 6, 30)
    # ...but typed between them it is the one that has happened (EDT).
    assert parse_time("01:30", utc(2026, 11, 1, 5, 45)) == utc(2026, 11, 1, 5, 30)
    # The day before, in EDT, typed early on the change day.
    assert parse_time("23:00", utc(2026, 11, 1, 7, 0)) == utc(2026, 11, 1, 3, 0)


@pytest.mark.parametrize("zone", [LH], indirect=True)
def test_lord_howe_half_hour_changes(zone: ZoneInfo) -> None:
    # 2026-04-05: 02:00 (+11) becomes 01:30 (+10:30); 01:30-01:59 happens twice.
    now = utc(2026, 4, 5, 0, 0)  # 10:30 local (+10:30)
    assert parse_time("10:00", now) == utc(2026, 4, 4, 23, 30)
    assert parse_time("01:45", now) == utc(2026, 4, 4, 15, 15)  # the later 01:45 (+10:30)
    assert parse_time("01:15", now) == utc(2026, 4, 4, 14, 15)  # before the change (+11)
    # 2026-10-04: 02:00 (+10:30) becomes 02:30 (+11); 02:00-02:29 never shows.
    later = utc(2026, 10, 4, 0, 0)  # 11:00 local (+11)
    assert parse_time("10:30", later) == utc(2026, 10, 3, 23, 30)
    assert parse_time("02:45", later) == utc(2026, 10, 3, 15, 45)
    assert parse_time("02:15", later) == utc(2026, 10, 3, 15, 45)  # in the gap: old offset
    assert parse_time("01:00", later) == utc(2026, 10, 3, 14, 30)


@pytest.mark.parametrize("zone", [NY], indirect=True)
def test_iso_without_offset_is_local_with_dst(zone: ZoneInfo) -> None:
    now = utc(2026, 7, 1, 18, 0)
    assert parse_time("2026-07-01T09:00", now) == utc(2026, 7, 1, 13, 0)  # EDT
    assert parse_time("2026-01-15T09:00", now) == utc(2026, 1, 15, 14, 0)  # EST


@pytest.mark.parametrize("zone", [NY], indirect=True)
def test_the_local_zone_follows_tz(zone: ZoneInfo) -> None:
    assert local_zone() == zone


_ZONES = sorted(
    z for z in available_timezones() if "/" in z and not z.startswith(("posix/", "right/"))
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from(_ZONES),
    seconds=st.integers(min_value=0, max_value=3 * 365 * 86400),
    minutes_back=st.integers(min_value=0, max_value=23 * 60 + 59),
)
def test_hh_mm_is_the_latest_matching_moment_in_any_zone(
    name: str, seconds: int, minutes_back: int
) -> None:
    """For any zone and moment, a time that showed on the clock in the last day parses to the
    latest moment that showed it: not in the future, and no later minute up to now shows it."""
    zone = ZoneInfo(name)
    now = utc(2025, 1, 1) + timedelta(seconds=seconds)
    earlier = now - timedelta(minutes=minutes_back)
    shown_then = earlier.replace(second=0).astimezone(zone)  # a moment that really happened
    typed = shown_then.strftime("%H:%M")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TZ", name)
        time.tzset()
        try:
            got = parse_time(typed, now)
        finally:
            patch.setenv("TZ", "UTC")
            time.tzset()
    assert shown_then <= got <= now
    assert got.astimezone(zone).strftime("%H:%M") == typed
    probe = got + timedelta(minutes=1)
    while probe <= now:  # no later moment up to now shows the same time
        assert probe.astimezone(zone).strftime("%H:%M") != typed, (name, now, typed, got)
        probe += timedelta(minutes=1)


@pytest.mark.parametrize("zone", [NY], indirect=True)
def test_cli_at_on_the_fall_back_night_stores_the_moment_that_happened(
    zone: ZoneInfo, data_dir: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``log --at 01:30`` typed at 01:45 EST, after both 01:30s, is the EST one (06:30 UTC)."""
    import json

    from click.testing import CliRunner

    from incident_tui.cli import main

    monkeypatch.setenv("INCIDENT_TUI_FROZEN_AT", "2026-11-01T06:45:00+00:00")
    runner = CliRunner()
    assert runner.invoke(main, ["new", "Night incident", "--detected-at", "00:50"]).exit_code == 0
    logged = runner.invoke(main, ["log", "replica lag spiking", "--at", "01:30"])
    assert logged.exit_code == 0, logged.output
    record = json.loads(runner.invoke(main, ["show", "--json"]).output)
    event = next(e for e in record["events"] if e["text"] == "replica lag spiking")
    assert event["occurred_at"] == "2026-11-01T06:30:00+00:00"
    assert record["incident"]["detected_at"] == "2026-11-01T04:50:00+00:00"  # 00:50 EDT


@pytest.mark.parametrize("zone", [NY], indirect=True)
def test_a_due_hh_mm_is_the_next_such_moment_across_a_dst_change(zone: ZoneInfo) -> None:
    # The evening before spring-forward (2026-03-07 22:00 EST): "09:00" is tomorrow, in EDT.
    assert parse_due("09:00", utc(2026, 3, 8, 3, 0)) == utc(2026, 3, 8, 13, 0)
    # The evening before fall-back (2026-10-31 22:00 EDT): "09:00" is tomorrow, in EST.
    assert parse_due("09:00", utc(2026, 11, 1, 2, 0)) == utc(2026, 11, 1, 14, 0)
    # Later today stays today; +2h is two real hours.
    assert parse_due("23:00", utc(2026, 3, 8, 3, 0)) == utc(2026, 3, 8, 4, 0)
    assert parse_due("+2h", utc(2026, 3, 8, 6, 30)) == utc(2026, 3, 8, 8, 30)
