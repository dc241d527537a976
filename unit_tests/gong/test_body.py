"""`gong.body`: the one decoder of Gong's bodies keeps every integer exact."""

from __future__ import annotations

import json

import pytest

from source_gong_activity.gong.body import decode_json


@pytest.mark.parametrize(
    "raw",
    [
        b'{"ids": ["37555663966526337006"], "n": 3}',  # a 20-digit string is no number: orjson is safe
        b'{"ids": [37555663966526337006]}',
        b'{"ids":[1, 37555663966526337006]}',
        b'{"ids": {"a": 37555663966526337006}}',
    ],
)
def test_decode_json_keeps_every_integer_exact(raw: bytes) -> None:
    assert decode_json(raw) == json.loads(raw)


def test_decode_json_finds_a_big_integer_across_the_slices_it_scans() -> None:
    for padding in range(1 << 20, (1 << 20) - 25, -1):  # the 20 digits cut at every place by the slice boundary
        raw = b'{"pad": "' + b"x" * padding + b'", "ids": [37555663966526337006]}'
        assert decode_json(raw)["ids"] == [37555663966526337006], padding
