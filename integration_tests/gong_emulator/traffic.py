"""Traffic bookkeeping: Gong's rate limit and daily cap, the injected faults, and the stats tests read."""

from __future__ import annotations

import collections
import math
import threading
import time
from collections.abc import Callable

from .config import EmulatorConfig
from .messages import ApiError

DROP, FAIL, TRUNCATE = "drop", "fail", "truncate"


class Stats:
    """Counts per endpoint and status, in-flight concurrency, and requests that ignored a Retry-After."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._requests: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
            self._api_requests = 0
            self._early = 0
            self._in_flight = 0
            self._max_concurrent = 0

    def started(self) -> None:
        with self._lock:
            self._in_flight += 1
            self._max_concurrent = max(self._max_concurrent, self._in_flight)

    def finished(self, key: str, outcome: str) -> None:
        with self._lock:
            self._in_flight -= 1
            self._requests[key][outcome] += 1

    def api_request(self, early: bool) -> None:
        with self._lock:
            self._api_requests += 1
            self._early += early

    def snapshot(self) -> dict:
        with self._lock:
            return {
                "requests": {key: dict(counts) for key, counts in self._requests.items()},
                "total_api_requests": self._api_requests,
                "early_requests_after_retry_after": self._early,
                "max_concurrent": self._max_concurrent,
            }


class Traffic:
    """Decides, per /v2 request, whether a limit or an injected fault answers instead of the API.

    `clock` is a monotonic clock in seconds (`time.monotonic`); a test passes one it moves itself, so that the rate
    limit's window and a Retry-After pass when the test says, not when a loaded machine gets round to it.
    """

    def __init__(self, config: EmulatorConfig, stats: Stats, clock: Callable[[], float] = time.monotonic) -> None:
        self._config = config
        self._stats = stats
        self._clock = clock
        self._lock = threading.Lock()
        self._sequence = 0  # /v2 requests over the emulator's lifetime: drives the cap and the faults
        self._admitted: collections.deque[float] = collections.deque()
        self._retry_deadline = 0.0

    def arrive(self) -> tuple[int, str | None]:
        """Count one /v2 request; return its sequence number and the fault it is due, if any."""
        now = self._clock()
        with self._lock:
            self._sequence += 1
            sequence, early = self._sequence, now < self._retry_deadline
        self._stats.api_request(early)
        return sequence, self._fault_for(sequence)

    def enforce_limits(self, sequence: int) -> None:
        """Raise Gong's 429 when the daily cap or the per-second rate is exhausted."""
        config = self._config
        if config.daily_cap and sequence > config.daily_cap:
            self.refuse(config.daily_retry_after, "API request limit exceeded: daily quota reached")
        if not config.rate_limit:
            return
        now = self._clock()
        with self._lock:
            # A moving one-second window over the calls that were let through.
            while self._admitted and self._admitted[0] <= now - 1.0:
                self._admitted.popleft()
            if len(self._admitted) < config.rate_limit:
                self._admitted.append(now)
                return
            wait = self._admitted[0] + 1.0 - now
        self.refuse(max(1, math.ceil(wait)), "API request limit exceeded: too many requests per second")

    def refuse(self, retry_after: int, message: str, status: int = 429) -> None:
        """Raise a 429 with Retry-After and remember until when a polite client stays away."""
        with self._lock:
            self._retry_deadline = self._clock() + retry_after
        raise ApiError(status, message, {"Retry-After": str(retry_after)})

    def _fault_for(self, sequence: int) -> str | None:
        config = self._config
        for fault, every in ((DROP, config.drop_every), (FAIL, config.fail_every), (TRUNCATE, config.truncate_every)):
            if every and sequence % every == 0:
                return fault
        return None
