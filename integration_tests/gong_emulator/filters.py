"""Parsing and validating the request bodies of the stats endpoints: Gong's filters, their dates and ids."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

from .messages import ApiError
from .periods import parse_day


@dataclasses.dataclass(frozen=True)
class ActivityFilter:
    from_date: dt.date
    to_date: dt.date
    user_ids: frozenset[str] | None


@dataclasses.dataclass(frozen=True)
class ScorecardFilter:
    """The answered-scorecards filter: review and call days [from, to) in the company's zone, each bound optional."""

    review_from: dt.date | None = None
    review_to: dt.date | None = None
    call_from: dt.date | None = None
    call_to: dt.date | None = None
    reviewed_user_ids: frozenset[str] | None = None
    scorecard_ids: frozenset[str] | None = None


def json_object(raw: bytes) -> dict:
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, "Malformed request: the body is not valid JSON") from None
    if not isinstance(body, dict):
        raise ApiError(400, "Malformed request: the body must be a JSON object")
    return body


def activity_filter(body: dict, today: dt.date, timezone: str) -> ActivityFilter:
    """The validated filter of an activity request, or a 400 that says what is wrong with it."""
    raw = body.get("filter")
    if not isinstance(raw, dict):
        raise ApiError(400, "filter is required and must be a JSON object")
    from_date, to_date = _filter_date(raw, "fromDate"), _filter_date(raw, "toDate")
    if from_date >= to_date:
        raise ApiError(400, f"filter.fromDate ({from_date}) must be earlier than filter.toDate ({to_date})")
    if to_date > today:
        raise ApiError(
            400,
            f"filter.toDate ({to_date}) is in the future: it must not exceed the current day "
            f"({today}) in the company's time zone ({timezone})",
        )
    for name in ("createdFromDateTime", "createdToDateTime"):
        _check_date_time(raw, name)
    return ActivityFilter(from_date, to_date, parse_user_ids(raw.get("userIds")))


def scorecard_filter(body: dict, today: dt.date, timezone: str) -> ScorecardFilter:
    """The validated filter of an answered-scorecards request (every field optional), or a 400 saying what is wrong.

    Gong does not publish whether reviewToDate is exclusive; here it is, so a range whose ends are equal is empty
    (a 404, as a public report says Gong answers). A `to` date must not be after the company's today, as elsewhere.
    """
    raw = body.get("filter")
    raw = {} if raw is None else raw  # every field is optional, the filter itself too
    if not isinstance(raw, dict):
        raise ApiError(400, "filter must be a JSON object")
    dates = {
        name: _optional_date(raw, name) for name in ("reviewFromDate", "reviewToDate", "callFromDate", "callToDate")
    }
    for kind in ("review", "call"):
        low, high = dates[f"{kind}FromDate"], dates[f"{kind}ToDate"]
        if low is not None and high is not None and low > high:
            raise ApiError(400, f"filter.{kind}FromDate ({low}) must not be later than filter.{kind}ToDate ({high})")
        if high is not None and high > today:
            raise ApiError(
                400,
                f"filter.{kind}ToDate ({high}) is in the future: it must not exceed the current day ({today}) "
                f"in the company's time zone ({timezone})",
            )
    return ScorecardFilter(
        dates["reviewFromDate"],
        dates["reviewToDate"],
        dates["callFromDate"],
        dates["callToDate"],
        parse_user_ids(raw.get("reviewedUserIds"), "filter.reviewedUserIds"),
        parse_user_ids(raw.get("scorecardIds"), "filter.scorecardIds"),
    )


def _optional_date(raw: dict, name: str) -> dt.date | None:
    return None if raw.get(name) is None else _filter_date(raw, name)


def _filter_date(raw: dict, name: str) -> dt.date:
    if raw.get(name) is None:
        raise ApiError(400, f"filter.{name} is required (YYYY-MM-DD)")
    day = parse_day(raw[name])
    if day is None:
        raise ApiError(400, f"filter.{name} must be a date in the format YYYY-MM-DD, got {raw[name]!r}")
    return day


def _check_date_time(raw: dict, name: str) -> None:
    value = raw.get(name)
    if value is None:
        return
    try:
        dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (AttributeError, ValueError):
        raise ApiError(400, f"filter.{name} must be an ISO-8601 date-time, got {value!r}") from None


def parse_user_ids(value: object, name: str = "filter.userIds") -> frozenset[str] | None:
    """Gong's lists of ids (userIds, reviewedUserIds, scorecardIds): numeric, up to 20 digits; None or [] means all."""
    if value is None:
        return None
    if not isinstance(value, list):
        raise ApiError(400, f"{name} must be a list of numeric ids")
    ids = set()
    for item in value:
        text = str(item) if isinstance(item, int) and not isinstance(item, bool) else item
        if not isinstance(text, str) or not text.isdigit() or not text.isascii() or len(text) > 20:
            raise ApiError(400, f"{name} must hold numeric ids (up to 20 digits), got {item!r}")
        ids.add(text)
    return frozenset(ids) or None
