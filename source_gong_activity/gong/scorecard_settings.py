"""Gong's scorecard settings (GET /v2/settings/scorecards), read once per sync for the two streams that need them: the
`scorecards` stream itself and the words of `answered_scorecards`' answers."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import requests
from airbyte_cdk.models import FailureType
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from ..protocol.failures import malformed_response
from ..records.scorecard_settings import CurrentQuestion, current_questions
from ..records.values import MalformedResponse, listed
from .body import decoded_body, gong_error_text
from .client import GongStream
from .users import UsersLookupErrorHandler

logger = logging.getLogger("airbyte")
SETTINGS_SCOPE = "api:settings:scorecards:read"


class ScorecardSettingsLookup(GongStream):
    """The one HTTP call behind the settings: every scorecard in one answer (Gong pages nothing here, and filters
    nothing: `scorecard_ids` chooses records, not what is asked)."""

    name = "scorecards"
    primary_key = "id"
    http_method = "GET"
    # A key without the settings scope can still sync answered scorecards, without their words.
    optional = True
    scope = SETTINGS_SCOPE
    # A 429 is a plain retry: a RATE_LIMITED status would name whichever stream happened to need the settings first.
    error_handler_class = UsersLookupErrorHandler
    empty_on_404 = True  # Gong documents 404 here: a company without scorecards
    filter_fields = ()

    def path(self, **kwargs: Any) -> str:
        return "v2/settings/scorecards"

    def parse_response(self, response: requests.Response, **kwargs: Any) -> Iterable[Mapping[str, Any]]:
        if response.status_code != 200:
            return []
        try:
            return listed(decoded_body(response), "scorecards", "the response")
        except MalformedResponse as error:
            raise malformed_response("scorecards", str(error)) from None

    def settings(self) -> tuple[list[Mapping[str, Any]], str | None]:
        """Every scorecard, and Gong's words if it refused the call (401 or 403: the key lacks the scope)."""
        _, response = self._fetch_next_page(None, {}, None)
        if response.status_code in (401, 403):
            return [], gong_error_text(response)
        return list(self.parse_response(response)), None


class ScorecardSettings:
    """The settings, fetched lazily once per sync; without the scope, answers go without words (one warning) and the
    `scorecards` stream fails naming the scope."""

    def __init__(self, lookup: ScorecardSettingsLookup):
        self.lookup = lookup
        self._scorecards: list[Mapping[str, Any]] | None = None
        self._questions: dict[str, CurrentQuestion] | None = None
        self.refusal: str | None = None  # Gong's words, when it refused the call
        self._warned = False

    def scorecards(self) -> Sequence[Mapping[str, Any]]:
        """Gong's scorecards ([] when Gong refused them: `refusal` says why)."""
        if self._scorecards is None:
            self._scorecards, self.refusal = self.lookup.settings()
        return self._scorecards

    def questions(self) -> Mapping[str, CurrentQuestion] | None:
        """Question id -> the question as listed now; None (with one warning per sync) when Gong refused."""
        scorecards = self.scorecards()
        if self.refusal:
            if not self._warned:
                self._warned = True
                logger.warning(
                    f"The Gong credentials lack the scope {SETTINGS_SCOPE}, so answered_scorecards' answers carry "
                    f"no words: question_text, question_type, selected_option_texts and current_revision are null "
                    f"({self.refusal})."
                )
            return None
        if self._questions is None:
            try:
                self._questions = current_questions(scorecards)
            except MalformedResponse as error:
                raise malformed_response("scorecards", str(error)) from None
        return self._questions

    def required_for(self, purpose: str) -> Sequence[Mapping[str, Any]]:
        """The scorecards, or a config error saying that `purpose` needs the scope Gong refused."""
        scorecards = self.scorecards()
        if self.refusal:
            message = (
                f"{purpose} needs Gong's scorecard settings, and Gong refused them: the credentials lack the scope "
                f"{SETTINGS_SCOPE} ({self.refusal})."
            )
            raise AirbyteTracedException(
                message=message, internal_message=message, failure_type=FailureType.config_error
            )
        return scorecards
