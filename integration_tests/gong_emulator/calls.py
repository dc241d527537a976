"""Gong-style call ids behind the day-by-day endpoint's lists: deterministic numeric strings per user and day."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence

from .activity import COUNTERS

# Gong's call ids are numeric strings of up to 19 digits; these have exactly 19 and stay below 2**63.
_LOWEST, _SPAN = 10**18, 8 * 10**18

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


def call_id(seed: int, user_id: str, day: dt.date, pool: str, index: int) -> str:
    """The `index`-th call of one user's pool on one day; the same arguments always give the same id."""
    return _ids(f"{seed}:calls:{user_id}:{day.isoformat()}:{pool}:", index + 1)[index]


def daily_call_ids(seed: int, user_id: str, day: dt.date, counts: Sequence[int]) -> list[list[str]]:
    """One list of call ids per counter (COUNTERS order), each exactly as long as that counter's count."""
    if not any(counts):
        return [[] for _ in counts]  # a quiet day: most of a year's days, so skip the hashing
    prefix = f"{seed}:calls:{user_id}:{day.isoformat()}:"
    own = _ids(prefix + "own:", max(count for count, is_own in zip(counts, _IS_OWN, strict=True) if is_own))
    others = _ids(prefix + "others:", max(count for count, is_own in zip(counts, _IS_OWN, strict=True) if not is_own))
    return [(own if is_own else others)[:count] for count, is_own in zip(counts, _IS_OWN, strict=True)]


def _ids(prefix: str, size: int) -> list[str]:
    blake2b = hashlib.blake2b
    return [
        str(_LOWEST + int.from_bytes(blake2b(f"{prefix}{index}".encode(), digest_size=8).digest(), "big") % _SPAN)
        for index in range(size)
    ]
