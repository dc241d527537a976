"""Config keys the connector does not know: named, with the nearest known field, but never a failure."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any

# Every key of the spec: anything else is most likely a typo, which would otherwise fall back to a default unnoticed.
KNOWN_FIELDS = (
    "credentials",
    "start_date",
    "end_date",
    "aggregation_period",
    "interaction_period",
    "coaching_period",
    "user_ids",
    "scorecard_ids",
    "include_quiet_users",
    "base_url",
    "lookback_days",
    "periods_per_window",
    "requests_per_second",
    "max_retry_after_seconds",
    "max_retries",
    "token_url",
)
# `token_expiry_date` is written back by the CDK's single-use refresh token authenticator.
KNOWN_CREDENTIAL_FIELDS = (
    "auth_type",
    "access_key",
    "access_key_secret",
    "access_token",
    "client_id",
    "client_secret",
    "refresh_token",
    "token_expiry_date",
)


def unknown_field_warnings(raw: Any) -> list[str]:
    """One sentence per config key the connector does not know, with the nearest known field.

    Unknown keys never fail a sync (the platform may add its own), but a typo in an optional field would otherwise
    silently leave that field at its default.
    """
    if not isinstance(raw, Mapping):
        return []
    warnings = _unknown(raw, KNOWN_FIELDS, prefix="")
    credentials = raw.get("credentials")
    if isinstance(credentials, Mapping):
        warnings += _unknown(credentials, KNOWN_CREDENTIAL_FIELDS, prefix="credentials.")
    return warnings


def _unknown(section: Mapping[str, Any], known: tuple[str, ...], prefix: str) -> list[str]:
    warnings = []
    # Keys starting with "__" are the platform's internal ones (the CDK's split_config removes them).
    for key in sorted(str(key) for key in section if not str(key).startswith("__") and key not in known):
        warning = f"Config field '{prefix}{key}' is not a field of this connector and is ignored"
        nearest = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
        warnings.append(f"{warning}; did you mean '{prefix}{nearest[0]}'?" if nearest else f"{warning}.")
    return warnings
