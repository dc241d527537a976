"""Who coaches whom behind GET /v2/coaching: each manager's metrics on the calls their direct reports hosted.

The data agrees with the activity endpoints: a call id in a report's metrics is one of the report's `callsAsHost`
ids of day-by-day, recorded in the asked workspace (workspaces.py), on a company day whose midnight lies in the
asked [from, to). Which of those calls the manager listened to, attended, gave feedback on, commented on or scored
is a fixed draw per manager, metric and call; a manager without any activity coaches nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import zoneinfo
from typing import TYPE_CHECKING

from .activity import COUNTERS
from .calls import counter_call_ids
from .messages import ApiError
from .workspaces import Workspace, call_workspace, company_workspaces

if TYPE_CHECKING:
    from .dataset import Dataset

# The metric names seen in public use of the endpoint, in the order served, and how often a manager's draw picks
# one of a report's calls for each.
METRICS = (
    "callsListenedTo",
    "callsManagerAttended",
    "callsWithFeedback",
    "callsManagerCommentedOn",
    "callsWithScorecardFilled",
)
_SHARES = (0.35, 0.2, 0.15, 0.15, 0.1)
EXTRA_METRIC_SHARE = 0.25  # the metric --extra-coaching-metric names, one Gong "adds later"
_HOSTED = "callsAsHost"
_HOSTED_COLUMN = COUNTERS.index(_HOSTED)
COACHING_USER_FIELDS = ("id", "emailAddress", "firstName", "lastName", "title")


@dataclasses.dataclass(frozen=True)
class HostedCall:
    """One call a user hosted: its id as day-by-day writes it (as a string), its day, its place in that day's
    callsAsHost list, and the id of the workspace it was recorded in."""

    call_id: str
    day: dt.date
    index: int
    workspace_id: str


class CoachingBook:
    """The company's workspaces and coaching data, derived from the users list and the hosted calls of `dataset`."""

    def __init__(self, dataset: Dataset) -> None:
        self._dataset = dataset
        self._zone = zoneinfo.ZoneInfo(dataset.timezone)
        self._workspaces: tuple[Workspace, ...] = company_workspaces(dataset.seed)
        self._users = {user["id"]: user for user in dataset.users()}
        self._reports: dict[str, list[dict]] = {}
        for user in dataset.users():  # served order (by id), so reports are listed in that order too
            if user.get("managerId") is not None:
                self._reports.setdefault(user["managerId"], []).append(user)

    def workspaces(self) -> list[dict]:
        """The `workspaces` list GET /v2/workspaces answers with."""
        return [workspace.served() for workspace in self._workspaces]

    def managers(self) -> list[str]:
        """Ids of every user who is some user's managerId, in served order (deactivated ones included)."""
        return [user_id for user_id in self._users if user_id in self._reports]

    def is_deactivated(self, user_id: str) -> bool:
        return self._users[user_id]["active"] is not True

    def direct_reports(self, manager_id: str) -> list[str]:
        """Ids of the users whose managerId is `manager_id`, in served order."""
        return [user["id"] for user in self._reports.get(manager_id, [])]

    def days(self, from_time: dt.datetime, to_time: dt.datetime) -> list[dt.date]:
        """The company days whose midnight instant lies in [from_time, to_time) and that have data: from
        --history-start up to yesterday (like the stats endpoints, coaching never serves the company's today)."""
        low = self._midnight(self._dataset.history_start)
        high = self._midnight(self._dataset.today())
        # Clipping to two midnights keeps the same days and keeps far-off instants out of date arithmetic.
        start, end = max(_utc(from_time), low), min(_utc(to_time), high)
        if start >= end:
            return []
        first, stop = self._first_day_from(start), self._first_day_from(end)
        return [first + dt.timedelta(days=offset) for offset in range((stop - first).days)]

    def hosted_calls(self, user_id: str, from_day: dt.date, to_day: dt.date) -> list[HostedCall]:
        """Every call `user_id` hosted on the days [from_day, to_day), in day-by-day's order, with its workspace."""
        dataset, calls = self._dataset, []
        hosted = dataset.window_columns(user_id, from_day, to_day)[_HOSTED_COLUMN]  # late counts included
        for offset, count in enumerate(hosted):
            if not count:
                continue
            day = from_day + dt.timedelta(days=offset)
            ids = counter_call_ids(dataset.seed, user_id, day, _HOSTED, count, dataset.style.numeric_call_ids)
            calls += [
                HostedCall(
                    str(call_id), day, index, self._workspaces[call_workspace(dataset.seed, user_id, day, index)].id
                )
                for index, call_id in enumerate(ids)
            ]
        return calls

    def expected(
        self,
        workspace_id: str,
        manager_id: str,
        from_time: dt.datetime,
        to_time: dt.datetime,
        extra_metric: str | None = None,
    ) -> list[dict]:
        """The `coachingData` list GET /v2/coaching answers with, or the ApiError (400) it answers instead.

        `from_time`/`to_time` are timezone-aware; pass the emulator's --extra-coaching-metric as `extra_metric`.
        """
        self.check(workspace_id, manager_id, from_time, to_time)
        days = self.days(from_time, to_time)
        reports = [
            {
                "report": _coaching_user(report),
                "metrics": self._metrics(workspace_id, manager_id, report["id"], days, extra_metric),
            }
            for report in self._reports.get(manager_id, [])
        ]
        return [{"manager": _coaching_user(self._users[manager_id]), "directReportsMetrics": reports}]

    def check(self, workspace_id: str, manager_id: str, from_time: dt.datetime, to_time: dt.datetime) -> None:
        """Raise the 400 Gong answers for a window, workspace or manager it cannot serve."""
        if _utc(from_time) >= _utc(to_time):
            raise ApiError(400, f"from ({from_time.isoformat()}) must be earlier than to ({to_time.isoformat()})")
        if workspace_id not in {workspace.id for workspace in self._workspaces}:
            raise ApiError(400, f"workspace-id {workspace_id}: no such workspace in this company")
        if manager_id not in self._users:
            raise ApiError(400, f"manager-id {manager_id}: no such user in this company")
        if self.is_deactivated(manager_id):
            raise ApiError(400, f"manager-id {manager_id}: the user is deactivated")

    def _metrics(
        self, workspace_id: str, manager_id: str, report_id: str, days: list[dt.date], extra_metric: str | None
    ) -> dict[str, list[str]]:
        # Nothing to say about a report who hosted no call there in the window: an empty map.
        calls = [call for call in self._hosted_on(report_id, days) if call.workspace_id == workspace_id]
        if not calls:
            return {}
        names = (*METRICS, extra_metric) if extra_metric else METRICS
        shares = (*_SHARES, EXTRA_METRIC_SHARE)
        coaches = self._dataset.has_activity(manager_id)
        metrics = {
            name: [call.call_id for call in calls if coaches and self._picks(manager_id, report_id, name, share, call)]
            for name, share in zip(names, shares, strict=False)
        }
        if self._dataset.style.omit_zeros:
            return {name: ids for name, ids in metrics.items() if ids}
        return metrics

    def _hosted_on(self, user_id: str, days: list[dt.date]) -> list[HostedCall]:
        return self.hosted_calls(user_id, days[0], days[-1] + dt.timedelta(days=1)) if days else []

    def _picks(self, manager_id: str, report_id: str, metric: str, share: float, call: HostedCall) -> bool:
        # Keyed by the call's host, day and place, not its id's text: the same calls are picked whether ids are
        # served as strings or numbers, and a grown day keeps the picks it had.
        key = f"{self._dataset.seed}:coaching:{manager_id}:{metric}:{report_id}:{call.day.isoformat()}:{call.index}"
        return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big") < share * 2**64

    def _midnight(self, day: dt.date) -> dt.datetime:
        return dt.datetime(day.year, day.month, day.day, tzinfo=self._zone).astimezone(dt.UTC)

    def _first_day_from(self, instant: dt.datetime) -> dt.date:
        """The first company day whose midnight is at or after `instant`."""
        day = instant.astimezone(self._zone).date()
        return day if self._midnight(day) >= instant else day + dt.timedelta(days=1)


def _coaching_user(user: dict) -> dict:
    """A CoachingUser: the users list's record cut to the five fields the contract gives it."""
    return {name: user[name] for name in COACHING_USER_FIELDS}


def _utc(moment: dt.datetime) -> dt.datetime:
    # Aware datetimes that share one tzinfo compare by wall time, not instant; in UTC they compare as instants.
    return moment.astimezone(dt.UTC)
