"""Which failures count as understood (reported in one sentence, no traceback) and which as bugs (traceback kept)."""

from __future__ import annotations

import pytest
import requests
from airbyte_cdk.models import FailureType
from airbyte_cdk.sources.streams.http.exceptions import DefaultBackoffException
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from source_gong_activity.protocol.failures import is_classified_failure, retries_exhausted

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


_TRACED_EXHAUSTED = AirbyteTracedException(
    message="Exhausted available request attempts. Please see logs for more details. Exception: HTTP 500",
    exception=DefaultBackoffException(
        request=requests.PreparedRequest(),
        response=None,
        error_message="Gong had a server error (HTTP 500: boom (requestId r1)).",
    ),
)


@pytest.mark.parametrize(
    "max_retries, says",
    [
        (0, "Gong had a server error (HTTP 500: boom (requestId r1)). It was not retried ('max_retries' is 0)."),
        (1, "Gong had a server error (HTTP 500: boom (requestId r1)). It was retried up to once ('max_retries')."),
        (5, "Gong had a server error (HTTP 500: boom (requestId r1)). It was retried up to 5 times ('max_retries')."),
    ],
)
def test_given_retries_ran_out_then_gongs_own_sentence_comes_first_and_then_what_was_tried(
    max_retries: int, says: str
) -> None:
    assert retries_exhausted(_TRACED_EXHAUSTED, max_retries) == says


@pytest.mark.parametrize(
    "error",
    [
        AirbyteTracedException(message="Config field 'x' ...", failure_type=FailureType.config_error),
        AirbyteTracedException.from_exception(KeyError("userId")),
        _EXHAUSTED,  # the bare backoff exception: the CDK wraps it before a stream fails with it
    ],
)
def test_given_any_other_error_then_retries_exhausted_has_nothing_to_say(error: BaseException) -> None:
    assert retries_exhausted(error, 3) is None
