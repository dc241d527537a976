"""Turns the raw connector config into one frozen, typed `GongConfig`; the only module that reads raw config keys."""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, overload
from urllib.parse import urlparse

from airbyte_cdk.models import FailureType
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from ..calendar.days import is_written_as_day, parse_day

PERIODS = ("day", "week", "month", "quarter", "year", "total")
# A coaching record is a manager's coaching of one report over a period: a week or a month is what Gong's Coaching
# page shows, and each period costs one call per workspace and manager.
COACHING_PERIODS = ("week", "month")
DEFAULT_BASE_URL = "https://api.gong.io"
DEFAULT_REQUESTS_PER_SECOND = 3.0
DEFAULT_MAX_RETRY_AFTER_SECONDS = 600
# Gong keeps processing calls after they end, and comments, feedback and listens arrive over the following days;
# a week catches nearly all of it. activity's and activity_calls' pages are per user, not per day, so it costs them no
# extra calls; interaction_stats pays a call series per period it reaches back into, answered_scorecards the pages.
DEFAULT_LOOKBACK_DAYS = 7
DEFAULT_MAX_RETRIES = 8
# About a quarter of history per window: one call series covers many periods, and an interrupted back-fill loses
# at most one window of work.
DEFAULT_PERIODS_PER_WINDOW = {"day": 92, "week": 13, "month": 3, "quarter": 1, "year": 1}
_GONG_ID_PATTERN = re.compile(r"^\d{1,20}$")


class ConfigError(AirbyteTracedException):
    """A config value the connector cannot use; its message names the field."""

    def __init__(self, field: str, problem: str):
        message = f"Config field '{field}' {problem}"
        super().__init__(message=message, internal_message=message, failure_type=FailureType.config_error)
        self.field = field


@dataclass(frozen=True)
class AccessKey:
    access_key: str
    access_key_secret: str


@dataclass(frozen=True)
class OAuthToken:
    access_token: str | None
    client_id: str | None = None
    client_secret: str | None = None
    refresh_token: str | None = None

    @property
    def can_refresh(self) -> bool:
        return bool(self.client_id and self.client_secret and self.refresh_token)


Credentials = AccessKey | OAuthToken


@dataclass(frozen=True)
class GongConfig:
    credentials: Credentials
    start_date: dt.date
    end_date: dt.date | None
    aggregation_period: str
    interaction_period: str
    coaching_period: str
    user_ids: tuple[str, ...]
    scorecard_ids: tuple[str, ...]
    include_quiet_users: bool
    base_url: str
    lookback_days: int
    periods_per_window: int
    requests_per_second: float
    max_retry_after_seconds: int
    max_retries: int
    token_url: str


def parse_config(raw: Mapping[str, Any]) -> GongConfig:
    """Validates `raw` field by field (so every error names its field) and applies the defaults."""
    if not isinstance(raw, Mapping):
        raise ConfigError("(root)", "must be a JSON object.")
    period = _choice(raw, "aggregation_period", PERIODS, default="day")
    start_date = _date(raw, "start_date", required=True)
    end_date = _date(raw, "end_date", required=False)
    if end_date is not None and start_date >= end_date:
        raise ConfigError(
            "end_date", f"({end_date}) must be later than 'start_date' ({start_date}); end_date is exclusive."
        )
    base_url = _url(raw, "base_url", DEFAULT_BASE_URL)
    return GongConfig(
        credentials=_credentials(raw.get("credentials")),
        start_date=start_date,
        end_date=end_date,
        aggregation_period=period,
        interaction_period=_choice(raw, "interaction_period", PERIODS, default="week"),
        coaching_period=_choice(raw, "coaching_period", COACHING_PERIODS, default="month"),
        user_ids=_gong_ids(raw, "user_ids", "user"),
        scorecard_ids=_gong_ids(raw, "scorecard_ids", "scorecard"),
        include_quiet_users=_boolean(raw, "include_quiet_users", default=False),
        base_url=base_url,
        lookback_days=_integer(raw, "lookback_days", DEFAULT_LOOKBACK_DAYS, minimum=0, maximum=366),
        periods_per_window=_integer(
            raw, "periods_per_window", DEFAULT_PERIODS_PER_WINDOW.get(period, 1), minimum=1, maximum=10_000
        ),
        requests_per_second=_number(raw, "requests_per_second", DEFAULT_REQUESTS_PER_SECOND, minimum=0.01, maximum=100),
        max_retry_after_seconds=_integer(
            raw, "max_retry_after_seconds", DEFAULT_MAX_RETRY_AFTER_SECONDS, minimum=1, maximum=7 * 86400
        ),
        max_retries=_integer(raw, "max_retries", DEFAULT_MAX_RETRIES, minimum=0, maximum=20),
        token_url=_url(raw, "token_url", "https://app.gong.io/oauth2/generate-customer-token"),
    )


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _credentials(value: Any) -> Credentials:
    if value is None:
        raise ConfigError("credentials", "is required: give an access key and secret, or an OAuth token.")
    if not isinstance(value, Mapping):
        raise ConfigError("credentials", "must be an object with 'auth_type' 'access_key' or 'oauth2.0'.")
    auth_type = value.get("auth_type")
    if auth_type == "access_key":
        return AccessKey(
            access_key=_secret(value, "credentials.access_key", "access_key", required=True),
            access_key_secret=_secret(value, "credentials.access_key_secret", "access_key_secret", required=True),
        )
    if auth_type == "oauth2.0":
        token = OAuthToken(
            access_token=_secret(value, "credentials.access_token", "access_token", required=False),
            client_id=_secret(value, "credentials.client_id", "client_id", required=False),
            client_secret=_secret(value, "credentials.client_secret", "client_secret", required=False),
            refresh_token=_secret(value, "credentials.refresh_token", "refresh_token", required=False),
        )
        if not token.access_token and not token.can_refresh:
            raise ConfigError(
                "credentials.access_token",
                "is required for OAuth unless 'client_id', 'client_secret' and 'refresh_token' are all given.",
            )
        return token
    raise ConfigError("credentials.auth_type", f"must be 'access_key' or 'oauth2.0', got {auth_type!r}.")


# The overloads tell the type checker what `required=True` guarantees: a value, never None.
@overload
def _secret(section: Mapping[str, Any], field: str, key: str, required: Literal[True]) -> str: ...
@overload
def _secret(section: Mapping[str, Any], field: str, key: str, required: bool) -> str | None: ...
def _secret(section: Mapping[str, Any], field: str, key: str, required: bool) -> str | None:
    value = section.get(key)
    if value is None or value == "":
        if required:
            raise ConfigError(field, "is required and must not be empty.")
        return None
    if not isinstance(value, str):
        # Never echo the value: it is a secret.
        raise ConfigError(field, "must be a string.")
    return value


@overload
def _date(raw: Mapping[str, Any], field: str, required: Literal[True]) -> dt.date: ...
@overload
def _date(raw: Mapping[str, Any], field: str, required: bool) -> dt.date | None: ...
def _date(raw: Mapping[str, Any], field: str, required: bool) -> dt.date | None:
    value = raw.get(field)
    if value is None or value == "":
        if required:
            raise ConfigError(field, "is required: the first day to sync, as YYYY-MM-DD.")
        return None
    if not is_written_as_day(value):
        raise ConfigError(field, f"must be a date in the form YYYY-MM-DD, got {value!r}.")
    day = parse_day(value)
    if day is None:
        raise ConfigError(field, f"is not a real calendar date: {value!r}.")
    return day


def _choice(raw: Mapping[str, Any], field: str, choices: tuple[str, ...], default: str) -> str:
    value = raw.get(field, default)
    if value not in choices:
        raise ConfigError(field, f"must be one of {', '.join(choices)}; got {value!r}.")
    return value


def _gong_ids(raw: Mapping[str, Any], field: str, what: str) -> tuple[str, ...]:
    """A list of Gong's numeric ids (`what`: user, scorecard) as strings, as Gong's filters take them."""
    value = raw.get(field) or []
    if not isinstance(value, list):
        raise ConfigError(field, f"must be a list of Gong {what} ids (numeric strings).")
    for gong_id in value:
        if not isinstance(gong_id, str) or not _GONG_ID_PATTERN.match(gong_id):
            raise ConfigError(field, f"must hold Gong {what} ids of up to 20 digits; {gong_id!r} is not one.")
    return tuple(value)


def _boolean(raw: Mapping[str, Any], field: str, default: bool) -> bool:
    value = raw.get(field, default)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise ConfigError(field, f"must be true or false, got {value!r}.")
    return value


def _integer(raw: Mapping[str, Any], field: str, default: int, minimum: int, maximum: int) -> int:
    value = raw.get(field, default)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(field, f"must be a whole number, got {value!r}.")
    if not minimum <= value <= maximum:
        raise ConfigError(field, f"must be between {minimum} and {maximum}, got {value}.")
    return value


def _number(raw: Mapping[str, Any], field: str, default: float, minimum: float, maximum: float) -> float:
    value = raw.get(field, default)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConfigError(field, f"must be a number, got {value!r}.")
    if not minimum <= value <= maximum:
        raise ConfigError(field, f"must be between {minimum} and {maximum}, got {value}.")
    return float(value)


def _url(raw: Mapping[str, Any], field: str, default: str) -> str:
    """An https URL, or http only to a loopback host, so credentials never travel in clear text."""
    value = raw.get(field) or default
    if not isinstance(value, str):
        raise ConfigError(field, f"must be a URL such as {default!r}.")
    parsed = urlparse(value)
    shown = _quotable(value)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise ConfigError(field, f"must be an https URL such as {default!r}, got {shown!r}.")
    if parsed.scheme == "http" and not is_loopback(parsed.hostname):
        raise ConfigError(
            field,
            "must use https: credentials are never sent in clear text (http is accepted only for a loopback host "
            f"such as 127.0.0.1), got {shown!r}.",
        )
    if parsed.query or parsed.fragment or parsed.username:
        raise ConfigError(
            field,
            f"must be a plain URL without credentials, query or fragment, got {parsed.scheme}://{parsed.hostname}/....",
        )
    return value.rstrip("/")


def _quotable(url: str) -> str:
    """A URL as an error message may quote it: a user name or password (before `@`), a query and a fragment are left
    out, as any of them may hold a secret."""
    head, at, tail = url.partition("@")
    if at:
        url = (head.split("://", 1)[0] + "://" if "://" in head else "") + "...@" + tail
    return url.split("?", 1)[0].split("#", 1)[0]
