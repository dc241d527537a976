"""The company's current day in its Gong time zone: what we know of it, what Gong told us, and the one probe."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from airbyte_cdk.models import FailureType
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from . import clock
from .days import day_in, is_known_time_zone

logger = logging.getLogger("airbyte")

# Asks Gong's /v2/stats/activity/aggregate about the window [from, to); answers the HTTP status and, for a 200, the
# decoded body, which names the company's zone.
Probe = Callable[[dt.date, dt.date], tuple[int, Mapping[str, Any] | None]]


def possible_company_days(now_utc: dt.datetime) -> Iterator[dt.date]:
    """Every date that can be "today" somewhere on Earth (UTC-12 to UTC+14), earliest first.

    The company's time zone is unknown before Gong's first answer; the earliest of these dates is never in the
    future for any company, so it is always a valid `toDate`.
    """
    earliest = (now_utc - dt.timedelta(hours=12)).date()
    latest = (now_utc + dt.timedelta(hours=14)).date()
    day = earliest
    while day <= latest:
        yield day
        day += dt.timedelta(days=1)


class CompanyDay:
    """The company's current day, shared by every stream of a sync.

    Known exactly once the zone is known (from saved state or any Gong answer); before that, found by `probe`
    only when a window reaches into the days that may still be in the company's future, or corrected when Gong
    refuses a `toDate` as the future. The zone itself is asked of Gong at most once a sync (`find_time_zone`).
    """

    def __init__(self, probe: Probe, now: Callable[[], dt.datetime] | None = None):
        self._probe = probe
        self._now = now or (lambda: clock.utc_now())  # looked up at each call: a test may have frozen it
        self.time_zone: str | None = None
        self._today: dt.date | None = None  # found by probing, or corrected after a refusal
        self._asked_for_zone = False
        self.unknown_because = "Gong has not named it yet"  # why the zone is not known, for the error that needs it

    def learn(self, time_zone: Any) -> bool:
        """Takes the zone Gong names in an answer (or a saved state); says whether the zone is now known."""
        if not time_zone or time_zone == self.time_zone:
            return bool(time_zone)
        if not is_known_time_zone(time_zone):
            logger.warning(f"Gong reported an unknown company time zone {time_zone!r}.")
            return False
        self.time_zone, self._today = time_zone, None
        return True

    def find_time_zone(self, from_date: str, to_date: str) -> None:
        """Asks Gong for the company's zone, once a sync, over days that had activity.

        Only /v2/stats/activity/aggregate and /v2/stats/interaction name the zone; aggregate-by-period and day-by-day
        give offsets alone. /aggregate over days where another endpoint found activity finds it too, and its first
        page names the zone. Gong refusing the call leaves the zone unknown, with a warning: records still take their
        days from the offsets Gong writes, and one that Gong wrote in UTC stops the sync (`days.ZoneUnknown`). A call
        that failed (a fault the retries did not outlast) stops the sync at once, before a record is written.
        """
        if self.time_zone or self._asked_for_zone:
            return
        self._asked_for_zone = True
        try:
            status, body = self._probe(dt.date.fromisoformat(from_date), dt.date.fromisoformat(to_date))
            answer = f"HTTP {status}"
        except AirbyteTracedException as error:
            if error.failure_type == FailureType.transient_error:
                raise  # the call failed: Gong may name the zone on the next try, and no record waits for a guess
            body, answer = None, error.message or str(error)  # Gong refused it
        if body is None or not self.learn(body.get("timeZone")):
            self.unknown_because = (
                f"Gong did not name it when asked /v2/stats/activity/aggregate for {from_date} to {to_date}: {answer}"
            )
            logger.warning(
                f"The company's time zone is not known ({self.unknown_because}); records carry a null "
                "company_time_zone and the days of the offsets Gong wrote, and a time Gong wrote in UTC stops the sync."
            )

    def earliest(self) -> dt.date:
        """A day that is today or already past for every company: always a valid `toDate`."""
        return next(possible_company_days(self._now()))

    def latest(self) -> dt.date:
        """The latest day that can be the company's today, without asking Gong."""
        if self.time_zone:
            return self.today()
        return list(possible_company_days(self._now()))[-1]

    def best_known(self) -> dt.date:
        """Today if known, otherwise the earliest possible day (which errs on the side of reading again)."""
        if self.time_zone or self._today:
            return self.today()
        return self.earliest()

    def today(self) -> dt.date:
        """The company's current day; probes Gong (one call usually, three at most) if nothing else tells."""
        if self.time_zone:
            return min(self._day_in(self.time_zone), self._today or dt.date.max)
        if self._today is None:
            self._today = self._probed_today()
        return self._today

    def refused(self, to_date: dt.date) -> None:
        """Gong refused `to_date` as the future: that day is the company's tomorrow, and a zone that said otherwise
        (saved by an earlier sync; the company has moved since) is forgotten, to be asked again."""
        self._today = to_date - dt.timedelta(days=1)
        if self.time_zone and self._day_in(self.time_zone) >= to_date:
            logger.warning(f"Gong refused {to_date} as the future: the company is no longer in {self.time_zone}.")
            self.time_zone = None

    def confirms_future(self, to_date: dt.date) -> bool:
        """Whether `to_date` is the company's future, asked of Gong, after Gong refused a request that ended there with
        a 400 (which Gong also answers for other reasons: a bad filter, say). The probe names dates only, so its 400
        means the future alone; the answer moves the company's day (`refused`) only when it confirms."""
        status, _ = self._probe(to_date - dt.timedelta(days=1), to_date)
        if status != 400:
            return False
        self.refused(to_date)
        return True

    def clamp(self, from_date: dt.date, to_date: dt.date) -> dt.date | None:
        """`to_date` no later than the company's today; None when the window lies wholly in the future."""
        if to_date > self.earliest():
            to_date = min(to_date, self.today())
        return to_date if from_date < to_date else None

    def _day_in(self, time_zone: str) -> dt.date:
        return day_in(self._now(), time_zone)

    def _probed_today(self) -> dt.date:
        """Asks for the day before each possible "today" until one is refused as the future."""
        today = None
        for day in possible_company_days(self._now()):
            status, body = self._probe(day - dt.timedelta(days=1), day)
            if status == 400:
                break
            today = day
            if status == 200 and body is not None and self.learn(body.get("timeZone")):
                return self.today()
        return today or self.earliest()
