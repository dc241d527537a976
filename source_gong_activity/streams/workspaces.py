"""The `workspaces` stream: Gong's workspaces (id, name, description), from the sync's one workspaces lookup."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from airbyte_cdk.models import SyncMode
from airbyte_cdk.sources.streams import Stream

from ..records.coaching import to_workspaces_record
from .engine import checked
from .sync import Sync


class WorkspacesStream(Stream):
    """The `workspaces` stream, full refresh: the lookup `coaching` asks about, so a sync of both calls Gong once."""

    name = "workspaces"
    primary_key = "id"

    def __init__(self, sync: Sync):
        super().__init__()
        self.sync = sync
        self.config = sync.config

    def read_records(
        self,
        sync_mode: SyncMode,
        cursor_field: list[str] | None = None,
        stream_slice: Mapping[str, Any] | None = None,
        stream_state: Mapping[str, Any] | None = None,
    ) -> Iterable[Any]:
        workspaces = self.sync.workspaces.required_for("The stream 'workspaces'")
        records = checked(
            (to_workspaces_record(workspace) for workspace in workspaces), self.name, self.sync.company_day
        )
        return self.sync.record_sink(self.name, records) if self.sync.record_sink else records
