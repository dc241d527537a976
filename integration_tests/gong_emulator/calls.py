"""Gong-style call ids behind the day-by-day endpoint's lists: deterministic per user and day, strings or numbers."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence

from .activity import COUNTERS

# As strings, these ids have exactly 19 digits and stay below 2**63.
_LOWEST, _SPAN = 10**18, 8 * 10**18
# As JSON numbers (Gong's own examples), one id in ten has 20 digits and is at least 2**64, like the example
# 37555663966526337006: no 64-bit integer holds it, and a decoder that turns big integers into floats loses digits.
# One in ten is short (12 to 17 digits, as in Gong's other examples); the rest are the 19-digit ones.
_BIG_LOWEST, _BIG_SPAN = 2**64, 10**20 - 2**64
_SHORT_DIGITS = (12, 13, 14, 15, 16, 17)

# Lists about the user's own calls draw from one pool of the day's calls, so a hosted call reappears among the
# attended, shared or commented ones, as in Gong; lists about other people's calls draw from a second pool.
_OWN_CALLS = frozenset(
    (
        "callsAsHost",
        "callsAttended",
        "ownCallsListenedTo",
        "callsReceivedFeedback",
        "callsRequestedFeedback",
        "callsCommentsReceived",
        "callsSharedInternally",
        "callsSharedExternally",
        "callsScorecardsReceived",
        "callsMarkedAsFeedbackReceived",
    )
)
POOLS = tuple("own" if name in _OWN_CALLS else "others" for name in COUNTERS)
_IS_OWN = tuple(pool == "own" for pool in POOLS)


def call_id(seed: int, user_id: str, day: dt.date, pool: str, index: int, numeric: bool = False) -> str | int:
    """The `index`-th call of one user's pool on one day; the same arguments always give the same id."""
    return _ids(f"{seed}:calls:{user_id}:{day.isoformat()}:{pool}:", index + 1, numeric)[index]


def counter_call_ids(seed: int, user_id: str, day: dt.date, counter: str, count: int, numeric: bool = False) -> list:
    """The list one counter of one day holds when its count is `count`: the first `count` ids of its pool."""
    pool = POOLS[COUNTERS.index(counter)]
    return _ids(f"{seed}:calls:{user_id}:{day.isoformat()}:{pool}:", count, numeric)


def daily_call_ids(
    seed: int, user_id: str, day: dt.date, counts: Sequence[int], numeric: bool = False
) -> list[list[str]] | list[list[int]]:
    """One list of call ids per counter (COUNTERS order), each exactly as long as that counter's count.

    Lists only grow at their end when a count grows, so late counts keep the ids already served.
    """
    if not any(counts):
        return [[] for _ in counts]  # a quiet day: most of a year's days, so skip the hashing
    prefix = f"{seed}:calls:{user_id}:{day.isoformat()}:"
    own = _ids(prefix + "own:", max(count for count, is_own in zip(counts, _IS_OWN, strict=True) if is_own), numeric)
    others = _ids(
        prefix + "others:", max(count for count, is_own in zip(counts, _IS_OWN, strict=True) if not is_own), numeric
    )
    return [(own if is_own else others)[:count] for count, is_own in zip(counts, _IS_OWN, strict=True)]


def _ids(prefix: str, size: int, numeric: bool) -> list:
    blake2b = hashlib.blake2b
    hashes = [
        int.from_bytes(blake2b(f"{prefix}{index}".encode(), digest_size=8).digest(), "big") for index in range(size)
    ]
    if not numeric:
        return [str(_LOWEST + value % _SPAN) for value in hashes]
    return [_numeric_id(value) for value in hashes]


def _numeric_id(value: int) -> int:
    rest, kind = divmod(value, 10)
    if kind == 0:
        return _BIG_LOWEST + rest % _BIG_SPAN
    if kind == 1:
        digits = _SHORT_DIGITS[rest % len(_SHORT_DIGITS)]
        return 10 ** (digits - 1) + rest % (9 * 10 ** (digits - 1))
    return _LOWEST + value % _SPAN
