"""`gong.auth`: where credentials may go when Gong's token response names a regional host."""

from __future__ import annotations

import pytest
from airbyte_cdk.models import FailureType
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from source_gong_activity.gong.auth import _checked_regional_url


@pytest.mark.parametrize(
    "url",
    [
        "https://us-49467.api.gong.io",
        "https://api.gong.io/",
        "https://gong.io",
        "http://127.0.0.1:8080",
        "http://localhost:9000",
        "https://[::1]:8443",
    ],
)
def test_the_regional_host_is_used_when_it_is_https_under_gong_io_or_loopback(url: str) -> None:
    assert _checked_regional_url(url) == url.rstrip("/")


@pytest.mark.parametrize(
    "url",
    [
        "http://us-49467.api.gong.io",  # not https: the token would cross the network in clear
        "https://api.gong.io.evil.example",  # gong.io must end the host name
        "https://evilgong.io",
        "https://user:pw@api.gong.io",
        "https://10.0.0.5",
        "ftp://api.gong.io",
        "https://api.gong.io:notaport",
    ],
)
def test_any_other_regional_host_is_refused_with_a_clear_config_error(url: str) -> None:
    with pytest.raises(AirbyteTracedException) as raised:
        _checked_regional_url(url)
    assert raised.value.failure_type == FailureType.config_error
    assert raised.value.message.startswith(f"Gong's token response named the API host {url!r}, which is not an https")
    assert "no credential was sent to it" in raised.value.message
