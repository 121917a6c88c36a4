# SPDX-License-Identifier: Apache-2.0
"""RFC 8785: the cyberphone test data (both copies in fixtures/vectors/crypto), the number table of
RFC 8785 Appendix B, and the strict parser's refusals."""
from __future__ import annotations

import json
import struct

import pytest
from conftest import VECTORS, load

from agent_passport import PassportError, canonicalize, parse_json
from agent_passport.jcs import number_to_string

CASES = load(VECTORS / "crypto" / "jcs-rfc8785-testdata.json")["cases"]
FOLDER = VECTORS / "crypto" / "jcs-testdata"


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_rfc8785_testdata(case: dict) -> None:
    out = canonicalize(json.loads(case["inputText"])).encode("utf-8")
    assert out.hex() == case["expectedCanonicalHex"]


@pytest.mark.parametrize("name", sorted(p.stem for p in (FOLDER / "input").glob("*.json")))
def test_jcs_testdata_folder(name: str) -> None:
    value = json.loads((FOLDER / "input" / f"{name}.json").read_text("utf-8"))
    expected = (FOLDER / "output" / f"{name}.json").read_bytes()
    outhex = "".join((FOLDER / "outhex" / f"{name}.txt").read_text().split())
    out = canonicalize(value).encode("utf-8")
    assert out == expected
    assert out.hex() == outhex.lower()


# RFC 8785 Appendix B: IEEE 754 bit patterns and their JCS (ECMAScript) forms.
APPENDIX_B = [
    ("0000000000000000", "0"), ("8000000000000000", "0"), ("0000000000000001", "5e-324"),
    ("8000000000000001", "-5e-324"), ("7fefffffffffffff", "1.7976931348623157e+308"),
    ("ffefffffffffffff", "-1.7976931348623157e+308"), ("4340000000000000", "9007199254740992"),
    ("c340000000000000", "-9007199254740992"), ("4430000000000000", "295147905179352830000"),
    ("44b52d02c7e14af5", "9.999999999999997e+22"), ("44b52d02c7e14af6", "1e+23"),
    ("44b52d02c7e14af7", "1.0000000000000001e+23"), ("444b1ae4d6e2ef4e", "999999999999999700000"),
    ("444b1ae4d6e2ef4f", "999999999999999900000"), ("444b1ae4d6e2ef50", "1e+21"),
    ("3eb0c6f7a0b5ed8c", "9.999999999999997e-7"), ("3eb0c6f7a0b5ed8d", "0.000001"),
    ("41b3de4355555553", "333333333.3333332"), ("41b3de4355555554", "333333333.33333325"),
    ("41b3de4355555555", "333333333.3333333"), ("41b3de4355555556", "333333333.3333334"),
    ("41b3de4355555557", "333333333.33333343"), ("becbf647612f3696", "-0.0000033333333333333333"),
    ("43143ff3c1cb0959", "1424953923781206.2"),
]


@pytest.mark.parametrize(("bits", "expected"), APPENDIX_B)
def test_appendix_b_numbers(bits: str, expected: str) -> None:
    assert number_to_string(struct.unpack(">d", bytes.fromhex(bits))[0]) == expected


@pytest.mark.parametrize("bits", ["7fffffffffffffff", "7ff0000000000000", "fff0000000000000"])
def test_nan_and_infinity_are_refused(bits: str) -> None:
    with pytest.raises(PassportError) as e:
        number_to_string(struct.unpack(">d", bytes.fromhex(bits))[0])
    assert e.value.code == "ERR_PARSE_NUMBER"


def test_keys_sort_by_utf16_code_units() -> None:
    # U+10000 is D800 DC00 in UTF-16: before U+FB33 there, after it in code points.
    assert canonicalize({"\ufb33": 1, "\U00010000": 2}) == '{"\U00010000":2,"\ufb33":1}'


def test_strings_escape_only_what_json_requires() -> None:
    assert canonicalize("\u0007\n\"\\/\u20ac") == '"\\u0007\\n\\"\\\\/\u20ac"'


def test_integers_beyond_2_53_are_refused() -> None:
    with pytest.raises(PassportError) as e:
        canonicalize(2**53 + 1)
    assert e.value.code == "ERR_PARSE_NUMBER"


@pytest.mark.parametrize(("text", "code"), [
    ('{"a":1,"a":2}', "ERR_PARSE_DUPLICATE_KEY"),
    ('{"__proto__":1}', "ERR_PARSE_FORBIDDEN_KEY"),
    ("[NaN]", "ERR_PARSE_NUMBER"),
    ('["\\ud800"]', "ERR_PARSE_STRING"),
    ("[1e400]", "ERR_PARSE_NUMBER"),
    ("{", "ERR_PARSE_JSON"),
    ("[" * 40 + "]" * 40, "ERR_PARSE_DEPTH"),
])
def test_strict_parser_refusals(text: str, code: str) -> None:
    with pytest.raises(PassportError) as e:
        parse_json(text)
    assert e.value.code == code


def test_strict_parser_size_limit() -> None:
    with pytest.raises(PassportError) as e:
        parse_json(b"[" + b"1," * 100 + b"1]", max_bytes=100)
    assert e.value.code == "ERR_PARSE_SIZE"


def test_integer_literals_beyond_2_53_are_refused_and_doubles_print_as_in_ecmascript() -> None:
    assert parse_json("[9007199254740991, 1e21]") == [9007199254740991, 1e21]
    for text in ("[9007199254740992]", "[-295147905179352830000]"):
        with pytest.raises(PassportError) as e:
            parse_json(text)
        assert e.value.code == "ERR_PARSE_NUMBER"
    assert canonicalize([2**60, 295147905179352830000.0]) == "[1152921504606847000,295147905179352830000]"
