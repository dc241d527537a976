"""The `scorecards` stream: every scorecard of Gong's settings (disabled ones too) with its questions, from the sync's
one scorecard settings lookup; full refresh."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from airbyte_cdk.models import SyncMode
from airbyte_cdk.sources.streams import Stream

from ..protocol.failures import malformed_response
from ..records.scorecard_settings import records_of_scorecards
from ..records.values import MalformedResponse
from .sync import Sync


class ScorecardsStream(Stream):
    """The `scorecards` stream: one record per scorecard (or per `scorecard_ids`), its questions as listed now."""

    name = "scorecards"
    primary_key = "id"

    def __init__(self, sync: Sync):
        super().__init__()
        self._settings = sync.scorecard_settings
        self._record_sink = sync.record_sink
        self.config = sync.config

    def read_records(
        self,
        sync_mode: SyncMode,
        cursor_field: list[str] | None = None,
        stream_slice: Mapping[str, Any] | None = None,
        stream_state: Mapping[str, Any] | None = None,
    ) -> Iterable[Any]:
        scorecards = self._settings.required_for("The stream 'scorecards'")
        try:
            records = list(records_of_scorecards(scorecards))
        except MalformedResponse as error:
            raise malformed_response(self.name, str(error)) from None
        wanted = set(self.config.scorecard_ids)  # `scorecard_ids` chooses the records, as in answered_scorecards
        records = [record for record in records if not wanted or record["id"] in wanted]
        # Through the same sink as the other streams: their batches keep a null value, the CDK would drop it.
        return self._record_sink(self.name, records) if self._record_sink else records
