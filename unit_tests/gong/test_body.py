"""`gong.body`: the one decoder of Gong's bodies keeps every integer exact, and gives one outside 64 bits (signed) as
its decimal digits."""

from __future__ import annotations

import json

import pytest

from source_gong_activity.gong.body import decode_json

# The edges of a signed 64-bit integer, written out.
INT64_MAX = 9223372036854775807
INT64_MIN = -9223372036854775808


@pytest.mark.parametrize(
    "raw, expected",
    [
        (b'{"ids": ["37555663966526337006"], "n": 3}', {"ids": ["37555663966526337006"], "n": 3}),
        (b'{"ids": [37555663966526337006]}', {"ids": ["37555663966526337006"]}),
        (b'{"ids":[1, 37555663966526337006]}', {"ids": [1, "37555663966526337006"]}),
        (b'{"ids": {"a": 37555663966526337006}}', {"ids": {"a": "37555663966526337006"}}),
        (b'{"id":\n\t 123456789012345678901234}', {"id": "123456789012345678901234"}),
        (b'{"id": 9223372036854775807}', {"id": INT64_MAX}),
        (b'{"id": 9223372036854775808}', {"id": "9223372036854775808"}),
        (b'{"id": 18446744073709551615}', {"id": "18446744073709551615"}),  # orjson reads it exactly: still text
        (b'{"id": -9223372036854775808}', {"id": INT64_MIN}),
        (b'{"id": -9223372036854775809}', {"id": "-9223372036854775809"}),
        (b'{"id": 1118660649136386710, "n": 9}', {"id": 1118660649136386710, "n": 9}),
        (b'{"id": 9000000000000000000, "x": 9.5}', {"id": 9000000000000000000, "x": 9.5}),
        (b'{"x": 92233720368547758080.5, "n": 1}', {"x": 92233720368547758080.5, "n": 1}),  # a float stays one
        (b'{"name": "Call 9999999999999999999"}', {"name": "Call 9999999999999999999"}),  # text in a string
        (b"18446744073709551616", "18446744073709551616"),
        (b" -9223372036854775809", "-9223372036854775809"),
        (b"7", 7),
    ],
)
def test_decode_json_gives_an_integer_outside_64_bits_as_its_digits_and_keeps_every_other_value(
    raw: bytes, expected: object
) -> None:
    decoded = decode_json(raw)
    assert decoded == expected
    assert json.dumps(decoded) == json.dumps(expected)  # the same types too: 7 is not "7", nor 9.5 a string


def test_decode_json_finds_a_wide_integer_across_the_slices_it_scans() -> None:
    for digits in (b"37555663966526337006", b"9300000000000000001"):
        for padding in range(1 << 20, (1 << 20) - 25, -1):  # the digits cut at every place by the slice boundary
            raw = b'{"pad": "' + b"x" * padding + b'", "ids": [' + digits + b"]}"
            assert decode_json(raw)["ids"] == [digits.decode()], (digits, padding)


def test_decode_json_keeps_a_19_digit_integer_below_2_pow_63_cut_by_a_slice_boundary_a_number() -> None:
    for padding in range(1 << 20, (1 << 20) - 25, -1):
        raw = b'{"pad": "' + b"x" * padding + b'", "ids": [9000000000000000000, 1]}'
        assert decode_json(raw)["ids"] == [9000000000000000000, 1], padding
