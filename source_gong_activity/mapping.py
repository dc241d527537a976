"""Pure functions from Gong's JSON to the unified `activity` record; no I/O."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from .periods import company_date, company_midnight


class MalformedResponse(ValueError):
    """Gong's response lacks a field the unified record needs (unknown extra fields are fine)."""


def unified_metrics(counters: Any) -> dict[str, Any]:
    """Gong's 15 counters under their unified names (see ../shared/gong-api.md); None for one Gong did not send.

    Spelled out rather than looped over a table: this runs once per record (650k for a year of days of 2,000 users)
    and a dict display takes half the time of dict(zip(...)).
    """
    get = counters.get
    return {
        "calls_hosted": get("callsAsHost"),
        "calls_attended": get("callsAttended"),
        "calls_listened_own": get("ownCallsListenedTo"),
        "calls_listened_others": get("othersCallsListenedTo"),
        "feedback_given": get("callsGaveFeedback"),
        "feedback_received": get("callsReceivedFeedback"),
        "feedback_requested": get("callsRequestedFeedback"),
        "comments_given": get("callsCommentsGiven"),
        "comments_received": get("callsCommentsReceived"),
        "calls_shared_internally": get("callsSharedInternally"),
        "calls_shared_externally": get("callsSharedExternally"),
        "scorecards_filled": get("callsScorecardsFilled"),
        "scorecards_received": get("callsScorecardsReceived"),
        "calls_marked_feedback_given": get("callsMarkedAsFeedbackGiven"),
        "calls_marked_feedback_received": get("callsMarkedAsFeedbackReceived"),
    }


# Gong's counter name -> the unified metric name (../shared/gong-api.md); `unified_metrics` spells out the same
# pairs for speed, and a unit test holds the two equal.
METRICS: dict[str, str] = {
    "callsAsHost": "calls_hosted",
    "callsAttended": "calls_attended",
    "ownCallsListenedTo": "calls_listened_own",
    "othersCallsListenedTo": "calls_listened_others",
    "callsGaveFeedback": "feedback_given",
    "callsReceivedFeedback": "feedback_received",
    "callsRequestedFeedback": "feedback_requested",
    "callsCommentsGiven": "comments_given",
    "callsCommentsReceived": "comments_received",
    "callsSharedInternally": "calls_shared_internally",
    "callsSharedExternally": "calls_shared_externally",
    "callsScorecardsFilled": "scorecards_filled",
    "callsScorecardsReceived": "scorecards_received",
    "callsMarkedAsFeedbackGiven": "calls_marked_feedback_given",
    "callsMarkedAsFeedbackReceived": "calls_marked_feedback_received",
}
# bool is an int subclass, and not a count; None is a counter Gong did not send (its contract requires none).
_INT_OR_NONE = frozenset({int, type(None)})


def to_unified_metrics(counters: Any) -> dict[str, int | None]:
    """The 15 unified metrics, checked in bulk (this runs once per record); explained only when something is wrong.

    A counter that Gong left out (or sent as null) is null in the record: the record says what Gong did not send.
    An item with no counters at all (or null) is all nulls."""
    if counters is None:
        counters = {}
    try:
        metrics = unified_metrics(counters)
    except AttributeError:
        metrics = None
    if metrics is None or not _INT_OR_NONE.issuperset(map(type, metrics.values())):
        raise MalformedResponse(complaint(counters, _is_count, "counters", "whole-number"))
    return metrics


def _is_count(value: Any) -> bool:
    return value is None or type(value) is int


def complaint(source: Any, valid: Callable[[Any], bool], things: str, thing: str) -> str:
    """What is wrong with an object that should hold the 15 Gong counters, each `valid` (or missing)."""
    if not isinstance(source, dict):
        return f"is not an object of {things}"
    for gong_name in METRICS:
        value = source.get(gong_name)
        if not valid(value):
            return f"has no {thing} '{gong_name}' (got {value!r})"
    return f"has unreadable {things}"


def to_unified_user(user_id: str, stats_email: str | None, directory_entry: Mapping[str, Any] | None) -> dict[str, Any]:
    """The record's `user`: name and email aliases from Gong's users endpoint when we have them."""
    if not directory_entry:
        emails = [{"email": stats_email, "is_primary": True}] if stats_email else []
        return {"id": user_id, "name": None, "emails": emails}
    primary = directory_entry.get("emailAddress") or stats_email
    emails = [{"email": primary, "is_primary": True}] if primary else []
    emails += [
        {"email": alias, "is_primary": False}
        for alias in directory_entry.get("emailAliases") or []
        if alias and alias != primary
    ]
    name = (
        " ".join(part for part in (directory_entry.get("firstName"), directory_entry.get("lastName")) if part) or None
    )
    return {"id": user_id, "name": name, "emails": emails}


def to_unified_record(
    record_id: str,
    user: Mapping[str, Any],
    aggregation_period: str,
    start_time: str,
    end_time: str,
    counters: Any,
    remote_data: Mapping[str, Any],
    company_time_zone: str | None,
    start_date: str,
) -> dict[str, Any]:
    """One unified record; `start_date`/`end_date` are the period's days in the company's calendar (`company_date`):
    a warehouse that stores instants in UTC would put a Tokyo Monday on Sunday, the date never."""
    return {
        "id": record_id,
        "user": user,
        "start_time": start_time,
        "end_time": end_time,
        "start_date": start_date,
        "end_date": company_date(end_time, company_time_zone),
        "company_time_zone": company_time_zone,
        "aggregation_period": aggregation_period,
        "metrics": to_unified_metrics(counters),
        "zero_filled": False,
        "created_at": None,
        "updated_at": None,
        "remote_data": remote_data,
    }


def to_users_record(entry: Mapping[str, Any]) -> dict[str, Any]:
    """A record of the `users` stream: who a user is and where they sit (title, manager), from Gong's users list.

    Phone numbers, extensions, meeting links and personal settings stay out: an analysis needs none of them, and
    they are personal data.
    """
    user_id = str(entry.get("id"))
    unified = to_unified_user(user_id, None, entry)
    languages = entry.get("spokenLanguages")
    return {
        "id": user_id,
        "name": unified["name"],
        "first_name": entry.get("firstName"),
        "last_name": entry.get("lastName"),
        "emails": unified["emails"],
        "title": entry.get("title"),
        "manager_id": entry.get("managerId"),
        "active": entry.get("active"),
        "created": entry.get("created"),
        "spoken_languages": [
            {"language": language.get("language"), "primary": language.get("primary")}
            for language in languages
            if isinstance(language, Mapping)
        ]
        if isinstance(languages, list)
        else None,
    }


def users_of_page(
    response: Any, key: str, directory: Mapping[str, Mapping[str, Any]]
) -> Iterator[tuple[Mapping[str, Any], str, str, str | None, dict[str, Any]]]:
    """Each user entry of a stats page's list `key`: (the entry, where it stands for messages, its user id, its stats
    email, its unified `user`). Every stats endpoint pages over users this way."""
    for index, entry in enumerate(listed(response, key, "the response")):
        where = f"{key}[{index}]"
        user_id = required_text(entry, "userId", where)
        email = entry.get("userEmailAddress")
        yield entry, where, user_id, email, to_unified_user(user_id, email, directory.get(user_id))


def records_by_period(
    response: Mapping[str, Any],
    aggregation_period: str,
    directory: Mapping[str, Mapping[str, Any]],
    time_zone: str | None,
) -> Iterator[dict[str, Any]]:
    """Records of one /v2/stats/activity/aggregate-by-period page: one per user per period, made one at a time
    so that a page of a hundred users' year of days is never held twice in memory."""
    for entry, where, user_id, email, user in users_of_page(response, "usersAggregateActivity", directory):
        id_prefix = f"{user_id}:{aggregation_period}:"
        for period_index, item in enumerate(listed(entry, "userAggregateActivity", where)):
            try:
                start_time = required_text(item, "fromDate")
                start_date = company_date(start_time, time_zone)
                yield to_unified_record(
                    id_prefix + start_date,
                    user,
                    aggregation_period,
                    start_time,
                    required_text(item, "toDate"),
                    item,
                    {"userId": user_id, "userEmailAddress": email, **item},
                    time_zone,
                    start_date,
                )
            except MalformedResponse as error:
                # The location is built only on failure: this loop runs once per record.
                raise MalformedResponse(f"{where}.userAggregateActivity[{period_index}] {error}") from None


def records_of_total(
    response: Mapping[str, Any],
    from_date: str,
    to_date: str,
    directory: Mapping[str, Mapping[str, Any]],
    time_zone: str | None,
) -> Iterator[dict[str, Any]]:
    """Records of one /v2/stats/activity/aggregate page: one per user for the whole window."""
    start_time, end_time = window_bounds(response, from_date, to_date, time_zone)
    start_date = company_date(start_time, time_zone)
    for entry, where, user_id, _, user in users_of_page(response, "usersAggregateActivityStats", directory):
        try:
            yield to_unified_record(
                f"{user_id}:total:{from_date}:{to_date}",
                user,
                "total",
                start_time,
                end_time,
                entry.get("userAggregateActivityStats"),
                entry,
                time_zone,
                start_date,
            )
        except MalformedResponse as error:
            raise MalformedResponse(f"{where}.userAggregateActivityStats {error}") from None


def window_bounds(response: Mapping[str, Any], from_date: str, to_date: str, time_zone: str | None) -> tuple[str, str]:
    """The window's `fromDateTime` and `toDateTime` as Gong gave them, or, where it did not, the company's midnights
    of the requested days."""
    start_time = response.get("fromDateTime")
    end_time = response.get("toDateTime")
    if type(start_time) is not str or not start_time:
        start_time = company_midnight(dt.date.fromisoformat(from_date), time_zone)
    if type(end_time) is not str or not end_time:
        end_time = company_midnight(dt.date.fromisoformat(to_date), time_zone)
    return start_time, end_time


def listed(container: Any, key: str, where: str) -> list[Any]:
    """A list Gong may leave out (its contract requires no field): missing or null is empty, anything else is wrong."""
    value = container.get(key) if isinstance(container, dict) else None
    if value is None and isinstance(container, dict):
        return []
    if not isinstance(value, list):
        raise MalformedResponse(f"{where} has no list '{key}'")
    return value


def required_text(container: Any, key: str, where: str = "") -> str:
    value = container.get(key) if isinstance(container, dict) else None
    if type(value) is not str or not value:
        raise MalformedResponse(f"{where} has no '{key}'".lstrip())
    return value
