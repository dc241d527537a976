"""Which failures count as understood (reported in one sentence, no traceback) and which as bugs (traceback kept)."""

from __future__ import annotations

import pytest
import requests
from airbyte_cdk.models import FailureType
from airbyte_cdk.sources.streams.http.exceptions import DefaultBackoffException
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from source_gong_activity.source import is_classified_failure

_EXHAUSTED = DefaultBackoffException(request=requests.PreparedRequest(), response=None, error_message="HTTP 500")


@pytest.mark.parametrize(
    "error, classified",
    [
        (AirbyteTracedException(message="Config field 'x' ...", failure_type=FailureType.config_error), True),
        (_EXHAUSTED, True),
        (AirbyteTracedException(message="Exhausted available request attempts.", exception=_EXHAUSTED), True),
        (AirbyteTracedException.from_exception(KeyError("userId")), False),
        (KeyError("userId"), False),
        (ValueError("bad"), False),
    ],
)
def test_given_an_error_when_classified_then_only_the_connectors_own_descriptions_count(
    error: BaseException, classified: bool
) -> None:
    assert is_classified_failure(error) is classified
