"""Our own ULIDs: standard text any ULID reader accepts, increasing within a process."""

from __future__ import annotations

import time

import pytest
from ulid import ULID

from incident_tui.core.ulid import encode, new_ulid


def test_a_new_id_reads_back_as_a_ulid_of_now() -> None:
    before = time.time()
    text = new_ulid()
    after = time.time()
    parsed = ULID.from_str(text)
    assert str(parsed) == text
    assert before - 0.002 <= parsed.timestamp <= after + 0.002


def test_encoding_matches_the_reference_for_edge_values() -> None:
    for value in (0, 1, 31, 32, (1 << 80) - 1, 1 << 80, (1 << 128) - 1, 0x0123456789ABCDEF << 40):
        assert encode(value) == str(ULID.from_int(value))


def test_encoding_rejects_numbers_that_are_not_128_bits() -> None:
    with pytest.raises(ValueError):
        encode(1 << 128)
    with pytest.raises(ValueError):
        encode(-1)


def test_ids_made_in_a_burst_strictly_increase() -> None:
    ids = [new_ulid() for _ in range(5000)]
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)
