"""The emulator's settings: one dataclass field per command-line flag (`--foo-bar` is `foo_bar`)."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import zoneinfo
from collections.abc import Sequence

from .coaching import METRICS
from .whisper import STATS

LOOPBACK = "127.0.0.1"


@dataclasses.dataclass
class EmulatorConfig:
    """Everything that shapes the emulator; defaults match the command line's."""

    host: str = LOOPBACK
    port: int = 0
    seed: int = 42
    users: int = 250
    page_size: int = 100
    timezone: str = "US/Pacific"
    history_start: dt.date = dt.date(2024, 1, 1)
    access_key: str = "test-access-key"
    access_key_secret: str = "test-access-key-secret"
    access_token: str = "test-access-token"
    client_id: str = "test-client-id"
    client_secret: str = "test-client-secret"
    refresh_token: str = "test-refresh-token-0"
    token_ttl: float = 3600
    regional_host: str | None = None
    token_without_host: bool = False
    no_users_scope: bool = False
    no_detailed_scope: bool = False
    no_interaction_scope: bool = False
    no_stats_scope: bool = False
    no_scorecards_scope: bool = False
    no_settings_scope: bool = False
    scope_status: int = 403
    not_found_message: str | None = None
    numeric_call_ids: bool = False
    numeric_scorecard_ids: bool = False
    utc_times: bool = False
    omit_zeros: bool = False
    string_scorecard_ids: bool = False
    grow_recent_days: int = 0
    today: dt.date | None = None
    inclusive_review_to: bool = False
    extra_interaction_stat: str | None = None
    no_workspaces_scope: bool = False
    no_coaching_scope: bool = False
    extra_coaching_metric: str | None = None
    rate_limit: int = 0
    daily_cap: int = 0
    daily_retry_after: int = 3600
    fail_every: int = 0
    fail_status: int = 500
    fail_path: str | None = None
    bad_request_path: str | None = None
    truncate_every: int = 0
    latency_ms: float = 0
    drop_every: int = 0
    verbose: bool = False

    def __post_init__(self) -> None:
        if isinstance(self.history_start, str):
            self.history_start = dt.date.fromisoformat(self.history_start)
        if isinstance(self.today, str):
            self.today = dt.date.fromisoformat(self.today)
        self.validate()

    def validate(self) -> None:
        """Raise ValueError naming the first field that cannot work."""
        # The emulator holds fake but usable credentials: it must never be reachable off this machine.
        if self.host != LOOPBACK:
            raise ValueError(f"host: the emulator binds {LOOPBACK} only, not {self.host!r}")
        if not 0 <= self.port <= 65535:
            raise ValueError(f"port: {self.port} is not a TCP port")
        if self.users < 0:
            raise ValueError("users: must be >= 0")
        if self.page_size < 1:
            raise ValueError("page_size: must be >= 1")
        try:
            zoneinfo.ZoneInfo(self.timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"timezone: unknown IANA time zone {self.timezone!r}") from exc
        for name in (
            "rate_limit",
            "daily_cap",
            "fail_every",
            "truncate_every",
            "drop_every",
            "latency_ms",
            "grow_recent_days",
        ):
            if getattr(self, name) < 0:
                raise ValueError(f"{name}: must be >= 0")
        if self.extra_interaction_stat is not None and self.extra_interaction_stat.strip() in ("", *STATS):
            raise ValueError("extra_interaction_stat: must name a stat Gong does not send yet, e.g. 'Filler Words'")
        if self.extra_coaching_metric is not None and self.extra_coaching_metric.strip() in ("", *METRICS):
            raise ValueError(
                "extra_coaching_metric: must name a metric Gong does not send yet, e.g. 'callsWithAiFeedback'"
            )
        if not 100 <= self.fail_status <= 599:
            raise ValueError(f"fail_status: {self.fail_status} is not an HTTP status")
        # Gong's two "Access denied" statuses: 401 on the stats endpoints and /v2/users/extensive, 403 on GET /v2/users.
        if self.scope_status not in (401, 403):
            raise ValueError(f"scope_status: must be 401 or 403, not {self.scope_status}")
        if self.not_found_message is not None and not self.not_found_message.strip():
            raise ValueError("not_found_message: must not be empty")
        for name in ("fail_path", "bad_request_path"):
            path = getattr(self, name)
            if path is not None and not path.startswith("/v2/"):
                raise ValueError(f"{name}: must be a /v2 path such as /v2/stats/activity/aggregate, not {path!r}")
        # A tenant on another region's host learns that host only from the token response: without it, no call works.
        if self.token_without_host and self.regional_host:
            raise ValueError("token_without_host: a tenant on --regional-host needs the host in the token response")

    def to_json(self) -> dict:
        """The settings as JSON-ready values (dates as YYYY-MM-DD)."""
        raw = dataclasses.asdict(self)
        raw["history_start"] = self.history_start.isoformat()
        raw["today"] = self.today.isoformat() if self.today else None
        return raw

    @classmethod
    def from_args(cls, argv: Sequence[str] | None = None) -> EmulatorConfig:
        """Parse command-line flags; argparse exits with status 2 on a bad flag."""
        parser = _parser()
        args = parser.parse_args(argv)
        try:
            return cls(**vars(args))
        except ValueError as exc:
            parser.error(str(exc))
            raise  # unreachable: parser.error exits


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m integration_tests.gong_emulator",
        description="A local Gong API emulator, bound to 127.0.0.1 only.",
    )
    for field in dataclasses.fields(EmulatorConfig):
        flag = "--" + field.name.replace("_", "-")
        if field.type == "bool":
            parser.add_argument(flag, action="store_true")
            continue
        parser.add_argument(flag, type=_FLAG_TYPES[field.type], default=field.default)
    return parser


_FLAG_TYPES = {
    "str": str,
    "int": int,
    "float": float,
    # Field types are strings under `from __future__ import annotations`; ruff's UP007 writes Optional as `| None`.
    "str | None": str,
    "dt.date": dt.date.fromisoformat,
    "dt.date | None": dt.date.fromisoformat,
}
