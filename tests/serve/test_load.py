"""The served app under load: 10 viewers for 30 s while a writer logs 10 events a second.

Viewers are real websocket clients of a real server (each gets its own app process, as a
browser tab would); they read what the server sends their terminal. Server memory and the
number of app processes are sampled every second, reported, and bounded.
"""

from __future__ import annotations

import asyncio
import os
import re
import time
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from served import Served, children_of, rss_kib, start_server

from incident_tui.core import operations as ops

pytestmark = [pytest.mark.e2e, pytest.mark.load]

VIEWERS = 10
RATE = 10  # events a second
SECONDS = float(os.environ.get("INCIDENT_TUI_LOAD_SECONDS", "30"))
MAX_APP_PROCESSES = VIEWERS + 1
MAX_SERVER_RSS_MIB = 250
MAX_APP_RSS_MIB = 200
ANSI = re.compile(r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07]*\x07")
MARK = re.compile(r"load-(\d{4})")


async def viewer(served: Served, seen: set[int], stop: asyncio.Event) -> None:
    """One viewer tab: the page (ticket, cookie), then its terminal until told to stop."""
    # unsafe=True: keep cookies set by an IP address (127.0.0.1), as a browser does.
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        async with session.get(served.viewer) as page:
            assert page.status == 200
            html = await page.text()
        ticket = re.search(r'/ws/([A-Za-z0-9_-]+)"', html)
        assert ticket is not None
        url = f"ws://127.0.0.1:{served.port}/ws/{ticket.group(1)}?width=140&height=60"
        async with session.ws_connect(url, heartbeat=15) as socket:
            tail = ""
            while not stop.is_set():
                try:
                    message = await asyncio.wait_for(socket.receive(), 0.5)
                except TimeoutError:
                    continue
                if message.type != aiohttp.WSMsgType.BINARY:
                    if message.type in (aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                        return
                    continue
                text = tail + ANSI.sub("", message.data.decode("utf-8", "replace"))
                seen.update(int(n) for n in MARK.findall(text))
                tail = text[-20:]


async def writer(served: Served, count: int) -> float:
    """Log ``count`` events at RATE a second from another process's store; returns the time."""
    handle = served.store("load-writer").open(served.incident_id)
    started = time.monotonic()
    for number in range(count):
        await asyncio.sleep(max(0.0, started + number / RATE - time.monotonic()))
        await asyncio.to_thread(ops.log, handle, f"load-{number:04d} probe")
    return time.monotonic() - started


async def sample(served: Served, samples: list[tuple[int, int, int]], stop: asyncio.Event) -> None:
    """Every second: app processes, server RSS and the largest app RSS (KiB)."""
    while not stop.is_set():
        apps = children_of(served.process.pid)
        biggest = max((rss_kib(pid) for pid in apps), default=0)
        samples.append((len(apps), rss_kib(served.process.pid), biggest))
        await asyncio.sleep(1.0)


async def run_load(served: Served) -> tuple[list[set[int]], list[tuple[int, int, int]], int, float]:
    count = int(SECONDS * RATE)
    seen: list[set[int]] = [set() for _ in range(VIEWERS)]
    stop = asyncio.Event()
    samples: list[tuple[int, int, int]] = []
    tabs = [asyncio.create_task(viewer(served, seen[i], stop)) for i in range(VIEWERS)]
    sampler = asyncio.create_task(sample(served, samples, stop))
    await asyncio.sleep(5.0)  # every tab's app is up and drawing
    took = await writer(served, count)
    deadline = time.monotonic() + 15.0
    while time.monotonic() < deadline and any(len(s) < count for s in seen):
        await asyncio.sleep(0.25)
    stop.set()
    await asyncio.wait_for(asyncio.gather(*tabs, sampler, return_exceptions=True), 10.0)
    for tab in tabs:
        if tab.exception():
            raise tab.exception()  # type: ignore[misc]
    return seen, samples, count, took


def test_ten_viewers_see_every_event_with_bounded_memory_and_processes(
    tmp_path: Path, capsys: Any
) -> None:
    served = start_server(tmp_path)
    try:
        seen, samples, count, took = asyncio.run(run_load(served))
    finally:
        apps = served.stop()
    time.sleep(0.5)
    assert not [pid for pid in apps if Path(f"/proc/{pid}").exists()], "apps outlived the server"
    peak_apps = max(s[0] for s in samples)
    peak_server = max(s[1] for s in samples) / 1024
    peak_app = max(s[2] for s in samples) / 1024
    with capsys.disabled():
        print(
            f"\nload: {VIEWERS} viewers, {count} events in {took:.1f} s; peak app processes "
            f"{peak_apps}, server RSS {peak_server:.0f} MiB, largest app RSS {peak_app:.0f} MiB"
        )
    missing = {i: count - len(s) for i, s in enumerate(seen) if len(s) < count}
    assert not missing, f"viewers missed events: {missing}"
    assert took < SECONDS * 1.2, "the writer could not keep 10 events a second"
    assert VIEWERS <= peak_apps <= MAX_APP_PROCESSES
    assert peak_server < MAX_SERVER_RSS_MIB
    assert peak_app < MAX_APP_RSS_MIB
