"""The `users` stream: every Gong user (or `user_ids`) with name, emails, title and manager, from the sync's one users
lookup."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from airbyte_cdk.models import SyncMode
from airbyte_cdk.sources.streams import Stream

from ..records.users import to_users_record
from .sync import Sync


class UsersStream(Stream):
    """The `users` stream: every Gong user (or `user_ids`) with name, emails, title and manager; full refresh."""

    name = "users"
    primary_key = "id"

    def __init__(self, sync: Sync):
        super().__init__()
        self._directory = sync.users
        self._record_sink = sync.record_sink
        self.config = sync.config

    def read_records(
        self,
        sync_mode: SyncMode,
        cursor_field: list[str] | None = None,
        stream_slice: Mapping[str, Any] | None = None,
        stream_state: Mapping[str, Any] | None = None,
    ) -> Iterable[Any]:
        users = self._directory.required_for("The stream 'users'")
        wanted = set(self.config.user_ids)  # `user_ids` chooses the records, as in every stream
        records = (to_users_record(user) for user_id, user in users.items() if not wanted or user_id in wanted)
        # Through the same sink as the stats streams: their batches keep a null manager_id, the CDK would drop it.
        return self._record_sink(self.name, records) if self._record_sink else records
