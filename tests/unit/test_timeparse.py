"""Times a scribe types: HH:MM means the most recent such moment, in local time."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from incident_tui.core.errors import InvalidInputError
from incident_tui.core.timeparse import (
    format_duration,
    format_offset,
    parse_duration,
    parse_time,
)


@pytest.fixture
def zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """Switch the process's local zone for one test, then put UTC back."""

    def use(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()

    yield use
    os.environ["TZ"] = "UTC"
    time.tzset()


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("typed", "now", "expected"),
    [
        ("13:55", utc(2026, 11, 28, 14, 0), utc(2026, 11, 28, 13, 55)),
        ("14:00", utc(2026, 11, 28, 14, 0), utc(2026, 11, 28, 14, 0)),  # now is not the future
        ("14:00:01", utc(2026, 11, 28, 14, 0), utc(2026, 11, 27, 14, 0, 1)),
        ("23:50", utc(2026, 11, 28, 0, 10), utc(2026, 11, 27, 23, 50)),  # yesterday
        ("0:05", utc(2026, 11, 28, 0, 10), utc(2026, 11, 28, 0, 5)),
        ("23:59:59", utc(2027, 1, 1, 0, 0), utc(2026, 12, 31, 23, 59, 59)),  # across a year
        ("12:00", utc(2028, 3, 1, 11, 0), utc(2028, 2, 29, 12, 0)),  # leap day
    ],
)
def test_clock_time_is_the_most_recent_such_moment(
    typed: str, now: datetime, expected: datetime
) -> None:
    assert parse_time(typed, now) == expected


def test_clock_time_is_local_wall_clock(zone: object) -> None:
    zone("Europe/Berlin")  # type: ignore[operator]
    now = utc(2026, 11, 28, 14, 0)  # 15:00 in Berlin
    assert parse_time("14:30", now) == utc(2026, 11, 28, 13, 30)
    assert parse_time("15:30", now) == utc(2026, 11, 27, 14, 30)  # later today: yesterday


def test_yesterday_across_a_dst_change_keeps_the_wall_clock(zone: object) -> None:
    zone("America/New_York")  # type: ignore[operator]
    # 2026-11-01 02:00 EDT falls back to 01:00 EST; at 00:10 EST on 11-02, 23:50 is 11-01 EST.
    assert parse_time("23:50", utc(2026, 11, 2, 5, 10)) == utc(2026, 11, 2, 4, 50)
    # Typed at 03:00 EST on 11-01, 06:00 means 06:00 EDT of 10-31 (UTC-4).
    assert parse_time("06:00", utc(2026, 11, 1, 8, 0)) == utc(2026, 10, 31, 10, 0)
    # Spring forward 2026-03-08: 23:30 typed at 00:10 EDT on 03-09 is 23:30 EDT on 03-08.
    assert parse_time("23:30", utc(2026, 3, 9, 4, 10)) == utc(2026, 3, 9, 3, 30)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2026-11-28T13:05:00+02:00", utc(2026, 11, 28, 11, 5)),
        ("2026-11-28T13:05Z", utc(2026, 11, 28, 13, 5)),
        ("2026-11-28 13:05:30.250000+00:00", utc(2026, 11, 28, 13, 5, 30, 250000)),
        ("  2026-11-28T09:00-05:00  ", utc(2026, 11, 28, 14, 0)),
    ],
)
def test_iso_with_an_offset_or_z(typed: str, expected: datetime) -> None:
    assert parse_time(typed, utc(2026, 11, 28, 14, 0)) == expected


def test_iso_without_an_offset_is_local(zone: object) -> None:
    zone("Asia/Kolkata")  # type: ignore[operator]
    assert parse_time("2026-11-28T19:30", utc(2026, 11, 28, 14, 0)) == utc(2026, 11, 28, 14, 0)


@pytest.mark.parametrize(
    "typed",
    ["", "   ", "24:00", "12:60", "12:00:60", "noon", "12:5", "1200", "2026-13-01", "12:00 pm"],
)
def test_bad_time_is_a_one_line_error_with_the_formats(typed: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        parse_time(typed, utc(2026, 11, 28, 14, 0))
    message = str(caught.value)
    assert "\n" not in message
    assert "HH:MM" in message or "time of day" in message


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("15", 15 * 60), ("90s", 90), ("15m", 900), ("2h", 7200), ("1h30m", 5400), ("1H 5M", 3900)],
)
def test_durations(typed: str, expected: int) -> None:
    assert parse_duration(typed) == timedelta(seconds=expected)


@pytest.mark.parametrize("typed", ["", "m", "soon", "1d", "-5m"])
def test_bad_duration(typed: str) -> None:
    with pytest.raises(InvalidInputError, match="duration"):
        parse_duration(typed)


@pytest.mark.parametrize(
    ("seconds", "offset", "duration"),
    [
        (0, "T+0m", "0s"),
        (35, "T+0m", "35s"),
        (24 * 3600 + 12 * 60 + 59, "T+24h12m", "24h 12m"),
        (12 * 60, "T+12m", "12m"),
        (65 * 60, "T+1h05m", "1h 05m"),
        (27 * 3600, "T+27h00m", "27h 00m"),
        (-3 * 60, "T-3m", "0s"),
    ],
)
def test_offsets_and_durations_read_like_an_aar(seconds: int, offset: str, duration: str) -> None:
    delta = timedelta(seconds=seconds)
    assert format_offset(delta) == offset
    assert format_duration(delta) == duration
