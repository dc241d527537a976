"""Deterministic daily activity counters, stored compactly: one byte per user, counter and day."""

from __future__ import annotations

import datetime as dt
import math
import random
import threading

COUNTERS = (
    "callsAsHost",
    "callsAttended",
    "ownCallsListenedTo",
    "othersCallsListenedTo",
    "callsGaveFeedback",
    "callsReceivedFeedback",
    "callsRequestedFeedback",
    "callsCommentsGiven",
    "callsCommentsReceived",
    "callsSharedInternally",
    "callsSharedExternally",
    "callsScorecardsFilled",
    "callsScorecardsReceived",
    "callsMarkedAsFeedbackGiven",
    "callsMarkedAsFeedbackReceived",
)

# Days are generated in blocks seeded by (seed, user, block), so a day's counters never depend on how far
# "today" has moved: extending the history later yields the same bytes for the days already served.
BLOCK_DAYS = 256

# Mean count per active day, in COUNTERS order. Reps host and get coached; managers listen, comment and score.
_PROFILE_MEANS = {
    "rep": (2.5, 3.0, 1.2, 0.6, 0.1, 0.4, 0.2, 0.3, 0.5, 0.3, 0.15, 0.05, 0.4, 0.05, 0.3),
    "manager": (0.5, 2.5, 0.3, 4.0, 2.0, 0.05, 0.02, 2.5, 0.1, 0.8, 0.05, 1.5, 0.05, 1.5, 0.05),
    "other": (0.8, 2.0, 0.5, 1.5, 0.3, 0.1, 0.05, 0.6, 0.1, 0.5, 0.2, 0.2, 0.1, 0.2, 0.1),
}
# callsAttended is at least 1 on an active day, so "the user has any activity" is exactly "the mask is set".
_ALWAYS_ACTIVE_COUNTER = COUNTERS.index("callsAttended")

# Chance out of 256 that a weekday (Mon..Sun) is all-zero for an active user: weekends are mostly quiet.
_QUIET_CUTOFFS = (13, 13, 13, 13, 13, 205, 205)


def _quantile_table(mean: float, minimum: int) -> bytes:
    """A bytes.translate table mapping a uniform random byte to a Poisson(mean) draw plus `minimum`."""
    table = bytearray(256)
    cumulative, probability, value = 0.0, math.exp(-mean), 0
    for byte in range(256):
        target = (byte + 0.5) / 256
        while cumulative + probability < target and value < 200:
            cumulative += probability
            value += 1
            probability *= mean / value
        table[byte] = value + minimum
    return bytes(table)


def _profile_tables(means: tuple[float, ...]) -> tuple[bytes, ...]:
    return tuple(
        _quantile_table(
            mean - 1 if index == _ALWAYS_ACTIVE_COUNTER else mean, 1 if index == _ALWAYS_ACTIVE_COUNTER else 0
        )
        for index, mean in enumerate(means)
    )


_PROFILE_TABLES = {profile: _profile_tables(means) for profile, means in _PROFILE_MEANS.items()}
_MASK_TABLES = tuple(bytes(0 if byte < cutoff else 0xFF for byte in range(256)) for cutoff in _QUIET_CUTOFFS)
_EMPTY = (tuple(b"" for _ in COUNTERS), b"")


class ActivityStore:
    """Per-user daily counters for the days since `history_start`, generated lazily and cached."""

    def __init__(self, seed: int, history_start: dt.date) -> None:
        self._seed = seed
        self._history_start = history_start
        self._profiles: dict[str, str] = {}
        # user id -> (15 columns, mask); each column holds one count per day, the mask 0xFF on active days.
        self._data: dict[str, tuple[tuple[bytes, ...], bytes]] = {}
        self._lock = threading.Lock()

    def add_user(self, user_id: str, profile: str | None) -> None:
        """Register a user; a profile of None marks a quiet user who never has any activity."""
        if profile is not None:
            self._profiles[user_id] = profile
        self._data[user_id] = _EMPTY

    def is_active(self, user_id: str, start: int, end: int) -> bool:
        """Whether the user has any nonzero counter on day indexes [start, end)."""
        mask = self._ensure(user_id, end)[1]
        return mask.find(b"\xff", max(start, 0), max(end, 0)) >= 0

    def active_days(self, user_id: str, start: int, end: int) -> bytes:
        """The activity mask for day indexes [start, end): 0xFF on days with any nonzero counter, zero elsewhere."""
        mask = self._ensure(user_id, end)[1]
        low, high = min(max(start, 0), len(mask)), min(max(end, 0), len(mask))
        if high <= low:
            return bytes(end - start)
        return bytes(low - start) + mask[low:high] + bytes(end - high)

    def window(self, user_id: str, start: int, end: int) -> list[bytes]:
        """The 15 counter columns for day indexes [start, end), zero-filled outside the history."""
        columns, mask = self._ensure(user_id, end)
        size = end - start
        low, high = min(max(start, 0), len(mask)), min(max(end, 0), len(mask))
        if high <= low:
            return [bytes(size)] * len(COUNTERS)
        before, after = bytes(low - start), bytes(end - high)
        if not before and not after:
            return [column[low:high] for column in columns]
        return [before + column[low:high] + after for column in columns]

    def _ensure(self, user_id: str, days: int) -> tuple[tuple[bytes, ...], bytes]:
        data = self._data[user_id]
        if len(data[1]) >= days or user_id not in self._profiles:
            return data
        with self._lock:
            columns, mask = self._data[user_id]
            parts = [(columns, mask)]
            block = len(mask) // BLOCK_DAYS
            while block * BLOCK_DAYS < days:
                parts.append(self._generate_block(user_id, block))
                block += 1
            # One assignment publishes the extension, so readers in other threads see old or new, never half.
            data = (
                tuple(b"".join(part[0][i] for part in parts) for i in range(len(COUNTERS))),
                b"".join(part[1] for part in parts),
            )
            self._data[user_id] = data
            return data

    def _generate_block(self, user_id: str, block: int) -> tuple[tuple[bytes, ...], bytes]:
        # Whole-block byte operations (randbytes, translate, big-int AND) keep generation at C speed.
        rng = random.Random(f"{self._seed}:{user_id}:{block}")
        first_weekday = (self._history_start + dt.timedelta(days=block * BLOCK_DAYS)).weekday()
        draws = rng.randbytes(BLOCK_DAYS)
        mask = bytearray(BLOCK_DAYS)
        for offset in range(7):
            mask[offset::7] = draws[offset::7].translate(_MASK_TABLES[(first_weekday + offset) % 7])
        mask_bits = int.from_bytes(mask, "little")
        columns = tuple(
            (int.from_bytes(rng.randbytes(BLOCK_DAYS).translate(table), "little") & mask_bits).to_bytes(
                BLOCK_DAYS, "little"
            )
            for table in _PROFILE_TABLES[self._profiles[user_id]]
        )
        return columns, bytes(mask)
