"""Whisper-recorded calls behind /v2/stats/interaction: per user per day a few calls, each with its own measures."""

from __future__ import annotations

import dataclasses
import random
import threading

from .activity import BLOCK_DAYS, COUNTERS, ActivityStore

# Stat names as Gong's interaction endpoint sends them, in the order served.
TALK_RATIO = "Talk Ratio"
LONGEST_MONOLOGUE = "Longest Monologue"
LONGEST_STORY = "Longest Customer Story"
INTERACTIVITY = "Interactivity"
PATIENCE = "Patience"
QUESTION_RATE = "Question Rate"
STATS = (TALK_RATIO, LONGEST_MONOLOGUE, LONGEST_STORY, INTERACTIVITY, PATIENCE, QUESTION_RATE)
# A per-call measure behind the optional stat Gong "adds later" (--extra-interaction-stat names it).
EXTRA = "extra"
MEASURES = (*STATS, EXTRA)
# "Longest ..." stats are the window's maximum in whole seconds; the others are call-weighted means, rounded so.
LONGEST = frozenset((LONGEST_MONOLOGUE, LONGEST_STORY))
DECIMALS = {TALK_RATIO: 2, INTERACTIVITY: 1, PATIENCE: 2, QUESTION_RATE: 1, EXTRA: 1}

UNRECORDED_USER_SHARE = 0.2  # users whose calls Whisper never records
NO_STORY_USER_SHARE = 0.15  # users Gong never credits with a customer story
EXTRA_STAT_USER_SHARE = 0.5  # users who get the extra stat when it is switched on

_HOSTED = COUNTERS.index("callsAsHost")


@dataclasses.dataclass(frozen=True)
class Traits:
    """What stays fixed for one user: how many hosted calls Whisper records, and the user's speaking style."""

    recorded_share: float
    tells_stories: bool
    has_extra_stat: bool
    talk_ratio: float


def user_traits(seed: int, user_id: str) -> Traits:
    # Seeded by the user alone, so a user's traits do not depend on how many users the company has.
    rng = random.Random(f"{seed}:whisper:{user_id}")
    recorded = rng.random() >= UNRECORDED_USER_SHARE
    share = rng.uniform(0.1, 0.4)
    return Traits(
        recorded_share=share if recorded else 0.0,
        tells_stories=rng.random() >= NO_STORY_USER_SHARE,
        has_extra_stat=rng.random() < EXTRA_STAT_USER_SHARE,
        talk_ratio=rng.uniform(0.3, 0.7),
    )


def _one_call(rng: random.Random, talk_ratio: float) -> tuple[float | int, ...]:
    """The measures of one call, in MEASURES order and natural units (fraction, seconds, score, per hour)."""
    # Plain uniform draws (squared for the long-tailed "Longest" ones): a year for 2000 users is ~400k calls.
    draw = rng.random
    return (
        round(min(0.95, max(0.05, talk_ratio + 0.15 * (draw() + draw() - 1))), 2),
        int(20 + 500 * draw() ** 2),
        int(10 + 350 * draw() ** 2),
        round(2.0 + 7.5 * draw(), 1),
        round(0.3 + 2.5 * draw(), 2),
        round(3.0 + 35.0 * draw(), 1),
        round(12.0 * draw(), 1),
    )


class WhisperStore:
    """Per-user daily lists of Whisper-recorded calls, a share of the calls the user hosted that day."""

    def __init__(self, seed: int, activity: ActivityStore) -> None:
        self._seed, self._activity = seed, activity
        self._traits: dict[str, Traits] = {}
        self._blocks: dict[tuple[str, int], list[list[tuple]]] = {}
        self._lock = threading.Lock()

    def traits(self, user_id: str) -> Traits:
        if user_id not in self._traits:
            self._traits[user_id] = user_traits(self._seed, user_id)
        return self._traits[user_id]

    def days(self, user_id: str, start: int, end: int) -> list[list[tuple]]:
        """For each day index in [start, end), the calls recorded that day (measure tuples in MEASURES order)."""
        days: list[list[tuple]] = [[] for _ in range(min(end, 0) - start)]  # before history_start: no calls
        index, stop = max(start, 0), max(end, 0)
        while index < stop:
            block, offset = divmod(index, BLOCK_DAYS)
            take = min(stop - index, BLOCK_DAYS - offset)
            days.extend(self._block(user_id, block)[offset : offset + take])
            index += take
        return days

    def _block(self, user_id: str, block: int) -> list[list[tuple]]:
        key = (user_id, block)
        cached = self._blocks.get(key)
        if cached is not None:
            return cached
        traits = self.traits(user_id)
        days: list[list[tuple]] = [[] for _ in range(BLOCK_DAYS)]
        if traits.recorded_share:
            hosted = self._activity.window(user_id, block * BLOCK_DAYS, (block + 1) * BLOCK_DAYS)[_HOSTED]
            rng = random.Random(f"{self._seed}:whisper:{user_id}:{block}")
            share, draw = traits.recorded_share, rng.random
            for offset, count in enumerate(hosted):
                if not count:
                    continue  # no hosted call, nothing to record (and no draw, which keeps blocks cheap)
                recorded = sum(draw() < share for _ in range(count))
                days[offset] = [_one_call(rng, traits.talk_ratio) for _ in range(recorded)]
        with self._lock:
            return self._blocks.setdefault(key, days)


def window_stats(calls: list[tuple], traits: Traits, extra_stat: str | None) -> list[dict]:
    """personInteractionStats for a window's calls (at least one): means weighted by call, maxima for "Longest"."""
    stats = []
    for position, name in enumerate(MEASURES):
        if (name == LONGEST_STORY and not traits.tells_stories) or (name == EXTRA and not traits.has_extra_stat):
            continue
        if name == EXTRA and extra_stat is None:
            continue
        values = [call[position] for call in calls]
        value = max(values) if name in LONGEST else round(sum(values) / len(values), DECIMALS[name])
        stats.append({"name": extra_stat if name == EXTRA else name, "value": value})
    return stats
