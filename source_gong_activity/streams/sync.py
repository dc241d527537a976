"""What every stream of one sync shares: one config, one set of credentials and one call budget, one users lookup,
one scorecard settings lookup, one workspaces lookup, one company day, and one way out for records."""

from __future__ import annotations

import dataclasses

from airbyte_cdk.sources.streams.call_rate import HttpAPIBudget
from requests.auth import AuthBase

from ..calendar.company_day import CompanyDay
from ..config.settings import GongConfig
from ..gong.scorecard_settings import ScorecardSettings
from ..gong.users import UserDirectory
from ..gong.workspaces import WorkspaceDirectory
from ..protocol.output import RecordSink


@dataclasses.dataclass(frozen=True)
class Sync:
    config: GongConfig
    authenticator: AuthBase
    budget: HttpAPIBudget
    users: UserDirectory  # Gong's users list, looked up once, when a record first needs it
    company_day: CompanyDay  # the company's day and zone, learned once
    scorecard_settings: ScorecardSettings  # Gong's scorecards and questions, looked up once, when first needed
    workspaces: WorkspaceDirectory  # Gong's workspaces, looked up once, for `workspaces` and `coaching`
    record_sink: RecordSink | None  # None: records leave as they are (the CDK's entrypoint and test helpers)
