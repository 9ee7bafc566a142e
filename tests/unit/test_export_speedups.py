"""The export's shortcuts give what the plain per-row formulas give.

A 100,000-event export makes each stamp and ``T+`` once per minute, sorts the events for
every section in one pass, and lets most text through ``inert``/``inline`` without the full
work. Each test here pits one shortcut against the plain formula it replaced: random moments
across DST changes in several zones, random text with every kind of special character, and a
large varied record (amendments, strikes, updates, housekeeping, backdated rows, midnight and
a DST change in New York).
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from incident_tui.core import rules
from incident_tui.core.aar import to_markdown
from incident_tui.core.aar_sections import Rows, _is_update, event_text, is_housekeeping
from incident_tui.core.aar_times import AarTimes
from incident_tui.core.markdown import _CODE_SPAN, _URL, _escape_plain, inline
from incident_tui.core.models import (
    EventKind,
    Incident,
    IncidentRecord,
    Severity,
    Status,
    TimelineEvent,
)
from incident_tui.core.sanitize import _ONE_LINE, _UNSAFE, inert
from incident_tui.core.timeparse import format_offset

ZONES: list[tzinfo] = [
    UTC,
    ZoneInfo("America/New_York"),
    ZoneInfo("Europe/London"),
    ZoneInfo("Australia/Lord_Howe"),  # DST moves the clock by half an hour
    ZoneInfo("Asia/Kathmandu"),  # +05:45
    ZoneInfo("Pacific/Kiritimati"),  # +14:00
    ZoneInfo("Europe/Amsterdam"),  # offsets with seconds before 1940
    ZoneInfo("America/Santiago"),  # falls back at midnight
    timezone(timedelta(hours=-3, minutes=-30)),
]
DETECTED = datetime(2026, 3, 7, 22, 59, 30, 250000, tzinfo=UTC)
NOW = datetime(2026, 11, 4, 12, 0, tzinfo=UTC)


def record_of(
    events: list[TimelineEvent], detected: datetime = DETECTED, resolved: datetime = NOW
) -> IncidentRecord:
    incident = Incident(
        "INC-1", "Speed", Severity.SEV2, Status.RESOLVED, detected, detected, resolved_at=resolved
    )
    return IncidentRecord(incident, tuple(sorted(events, key=rules.timeline_key)))


def note(n: int, at: datetime, text: str = "", **data: object) -> TimelineEvent:
    return TimelineEvent(
        f"E{n:025d}", EventKind.NOTE, text or f"row {n}", at, at, author="Ana", data=dict(data)
    )


moments = st.builds(
    lambda days, seconds, micro: (
        DETECTED + timedelta(days=days, seconds=seconds, microseconds=micro)
    ),
    st.integers(-400, 400),
    st.integers(-86400, 86400),
    st.integers(0, 999999),
)
# Moments within a few minutes of this year's changes, where a cache by minute could go wrong.
near_changes = st.builds(
    lambda base, seconds: base + timedelta(seconds=seconds),
    st.sampled_from(
        [
            datetime(2026, 3, 8, 7, 0, tzinfo=UTC),  # New York springs forward
            datetime(2026, 11, 1, 6, 0, tzinfo=UTC),  # and falls back
            datetime(2026, 3, 29, 1, 0, tzinfo=UTC),  # London
            datetime(2026, 4, 4, 15, 0, tzinfo=UTC),  # Lord Howe, half an hour back
            datetime(1937, 6, 30, 22, 0, tzinfo=UTC),  # Amsterdam, +00:19:32 to +00:20
            DETECTED,
        ]
    ),
    st.integers(-7200, 7200),
)


@settings(max_examples=300, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    multi_day=st.booleans(),
    asked=st.lists(st.one_of(moments, near_changes), min_size=1, max_size=60),
)
def test_cached_stamps_and_offsets_equal_the_plain_formulas(
    zone: tzinfo, multi_day: bool, asked: list[datetime]
) -> None:
    times = AarTimes(record_of([]), NOW, zone)
    times.multi_day = multi_day
    pattern = "%Y-%m-%d %H:%M" if multi_day else "%H:%M"
    for moment in asked * 2:  # the second round answers from the caches
        assert times.stamp(moment) == moment.astimezone(zone).strftime(pattern)
        assert times.offset(moment) == format_offset(moment - DETECTED)


@settings(max_examples=200, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    resolved=st.one_of(moments, near_changes),
    asked=st.lists(st.one_of(moments, near_changes), max_size=40),
)
def test_the_last_local_day_is_the_latest_date_of_any_moment(
    zone: tzinfo, resolved: datetime, asked: list[datetime]
) -> None:
    record = record_of([note(n, moment) for n, moment in enumerate(asked)], resolved=resolved)
    times = AarTimes(record, NOW, zone)
    assert times.last_day == max(m.astimezone(zone).date() for m in [*asked, resolved])


def test_stamps_and_offsets_at_each_edge_a_cache_by_minute_could_blur() -> None:
    around = [DETECTED + timedelta(seconds=s, microseconds=999999) for s in range(-300, 300, 7)]
    around += [DETECTED + timedelta(seconds=s) for s in range(-300, 300, 7)]
    year_apart = [DETECTED + timedelta(days=d) for d in (-365, 0, 365, 366)]
    amsterdam = [
        datetime(1937, 6, 30, 23, 40, tzinfo=UTC) + timedelta(seconds=s) for s in range(0, 600, 13)
    ]
    for zone in ZONES:
        for multi_day in (False, True):
            times = AarTimes(record_of([]), NOW, zone)
            times.multi_day = multi_day
            pattern = "%Y-%m-%d %H:%M" if multi_day else "%H:%M"
            for moment in around + year_apart + amsterdam:
                assert times.stamp(moment) == moment.astimezone(zone).strftime(pattern)
                assert times.offset(moment) == format_offset(moment - DETECTED)


def test_the_last_local_day_survives_a_clock_set_back_a_whole_day() -> None:
    # Sitka moved from Asian to American time in 1867: the day after, local dates read a
    # day earlier, so the latest moment is not on the last local day.
    zone = ZoneInfo("America/Sitka")
    early = datetime(1867, 10, 18, 9, 30, tzinfo=UTC)  # 00:28 on the 19th, local
    late = early + timedelta(hours=23, minutes=30)  # 23:58 on the 18th, local
    assert early.astimezone(zone).date() > late.astimezone(zone).date()
    record = record_of([note(1, early)], early - timedelta(days=1), resolved=late)
    assert AarTimes(record, late, zone).last_day == early.astimezone(zone).date()


def inert_plainly(text: str) -> str:
    """``inert`` without its shortcut."""
    if _UNSAFE.search(text):
        text = text.translate(_ONE_LINE)
    return " ".join(text.split())


def inline_plainly(text: str) -> str:
    """``inline`` without its shortcuts: every line tokenised for code spans and URLs."""
    line = inert_plainly(text)
    out: list[str] = []
    pos = 0
    tokens = sorted(
        [(m.start(), m.end(), "code", m.group(0)) for m in _CODE_SPAN.finditer(line)]
        + [(m.start(), m.end(), "url", m.group(0)) for m in _URL.finditer(line)]
    )
    for start, end, kind, value in tokens:
        if start < pos:
            continue
        out.append(_escape_plain(line[pos:start]))
        out.append(value.replace("|", "\\|") if kind == "code" else f"<{value}>")
        pos = end
    out.append(_escape_plain(line[pos:]))
    return "".join(out)


PIECES = [
    " ", "  ", "\t", "\n", "\r\n", "\x00", "\x1b[31m", "\x7f", "\x85", "\x9b", "\xa0",
    "\u2003", "\u3000", "\u200e", "\u202e", "\u2066", "\u2028", "\u2029", "\ud800", "\x1c",
    "a", "Z", "9", "é", "\U0001f600", "_", "__", "*", "~", "~~", "`", "``", "|", "[", "<",
    "\\", "#", "://", "http://", "https://ex.com/a_b", "ftp://x", ".", ")", "word", "pg_base",
]  # fmt: skip
texts = st.lists(st.sampled_from(PIECES), max_size=12).map("".join) | st.text(max_size=30)


@settings(max_examples=2000, deadline=None)
@given(text=texts)
def test_inert_and_inline_equal_their_plain_versions(text: str) -> None:
    assert inert(text) == inert_plainly(text)
    assert inline(text) == inline_plainly(text)


def varied_record(size: int = 2000, seed: int = 7) -> IncidentRecord:
    """Rows of every sort, a few seconds to an hour apart, from before a New York DST change
    to past several midnights; some backdated, some before detection."""
    rnd = random.Random(seed)
    start = datetime(2026, 3, 7, 20, 0, 17, tzinfo=UTC)
    kinds = [EventKind.NOTE, EventKind.ACTION, EventKind.MITIGATION, EventKind.STATUS]
    words = ["plain", "a_b _c_ *x*", "`code | span`", "https://ex.com/x|y.", "\x1b ctrl", "  sp "]
    events: list[TimelineEvent] = []
    at = start
    for n in range(size):
        at += timedelta(seconds=rnd.choice([0, 1, 30, 59, 60, 61, 600, 3599]))
        moment = at - timedelta(minutes=rnd.randint(1, 300)) if rnd.random() < 0.05 else at
        kind = rnd.choice(kinds)
        earlier = rnd.choice(events).id if events else "none"
        data: dict[str, object] = rnd.choice(
            [{}] * 12
            + [
                {"audience": rnd.choice(["internal", "external", "bogus"]), "text": "u"},
                {"audience": "internal", "method": "clipboard", "confirmed": False},
                {"cadence": "snooze"},
                {"nudge": "ack", "dismissed": True},
                {"criterion": "root-cause"},
                {"amends": earlier, "text": rnd.choice(words)},
                {"strikes": earlier, "why": rnd.choice(words)},
                {"audience": "internal", "nudge": "x", "dismissed": True, "method": "m"},
            ]
        )
        if "audience" in data or "method" in data:
            kind = EventKind.COMMS
        elif "cadence" in data or "criterion" in data:
            kind = EventKind.SYSTEM
        text = f"{rnd.choice(words)} {n}"
        events.append(
            TimelineEvent(f"E{n:025d}", kind, text, moment, moment, author="Ana", data=data)
        )
    return record_of(events, start)


def test_one_pass_sorts_events_as_each_section_did() -> None:
    record = varied_record()
    rows = Rows.of(record)
    struck = rules.struck_ids(record)
    aside = [e for e in record.events if is_housekeeping(e) or rules.is_correction(e)]
    assert struck and aside and rows.sent  # the record has some of each
    assert rows.timeline == [e for e in record.events if e not in aside]
    assert rows.sent == [e for e in record.events if _is_update(e, struck)]
    assert rows.appendix == [
        e for e in record.events if e in aside or (_is_update(e) and e.data.get("method"))
    ]


def test_a_large_varied_timeline_reads_row_by_row_as_the_plain_formulas_give() -> None:
    record = varied_record()
    zone = ZoneInfo("America/New_York")
    markdown = to_markdown(record, NOW, zone)
    table = markdown.split("| --- | --- | --- | --- |\n", 1)[1].split("\n\n", 1)[0]
    fixes = rules.corrections(record)
    expected = [
        f"| {e.occurred_at.astimezone(zone).strftime('%Y-%m-%d %H:%M')} "
        f"| {format_offset(e.occurred_at - record.incident.detected_at)} "
        f"| {e.kind.value} | {event_text(e, fixes)} |"
        for e in record.events
        if not is_housekeeping(e) and not rules.is_correction(e)
    ]
    assert table.split("\n") == expected
    for day_and_hour in ("2026-03-08 01:", "2026-03-08 03:", "2026-03-09 "):
        assert f"| {day_and_hour}" in table  # across New York's spring change and midnight
